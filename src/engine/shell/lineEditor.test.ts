import { describe, expect, it } from 'vitest';
import { LineEditor, stripAnsi } from './lineEditor.ts';
import { stringWidth } from './wcwidth.ts';

/** A tiny terminal model: enough of xterm to check where text and the cursor end up. */
class Screen {
  rows: string[][] = [[]];
  row = 0;
  col = 0;
  pendingWrap = false;
  bells = 0;
  constructor(private readonly cols: number) {}
  write(data: string) {
    for (let i = 0; i < data.length; ) {
      const rest = data.slice(i);
      // eslint-disable-next-line no-control-regex -- parsing terminal escape sequences
      const csi = /^\x1b\[(\d*)([ABCDJK])/.exec(rest);
      if (csi) {
        const n = Number(csi[1] || 1);
        if (csi[2] === 'A') this.row -= n;
        if (csi[2] === 'B') this.row += n;
        if (csi[2] === 'C') this.col += n;
        if (csi[2] === 'D') this.col -= n;
        if (csi[2] === 'J') {
          this.line().length = this.col;
          this.rows.length = this.row + 1;
        }
        this.pendingWrap = false;
        i += csi[0].length;
        continue;
      }
      const ch = String.fromCodePoint(rest.codePointAt(0)!);
      i += ch.length;
      if (ch === '\x07') {
        this.bells++;
      } else if (ch === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (ch === '\n') {
        this.row++;
        this.pendingWrap = false;
      } else {
        if (this.pendingWrap) {
          this.row++;
          this.col = 0;
          this.pendingWrap = false;
        }
        const w = stringWidth(ch);
        const line = this.line();
        line[this.col] = ch;
        if (w === 2) line[this.col + 1] = '';
        this.col += w;
        if (this.col >= this.cols) {
          this.col = this.cols - 1;
          this.pendingWrap = true;
        }
      }
    }
  }
  line() {
    while (this.rows.length <= this.row) this.rows.push([]);
    return this.rows[this.row]!;
  }
  text() {
    return this.rows.map((r) => Array.from(r, (c) => c ?? ' ').join('')).join('\n');
  }
}

function setup(cols = 20, prompt = '$ ') {
  const screen = new Screen(cols);
  const history: string[] = [];
  const editor = new LineEditor((s) => screen.write(s), history, cols);
  editor.begin(prompt);
  return { screen, editor, history };
}

describe('LineEditor', () => {
  it('inserts in the middle and redraws the tail', () => {
    const { screen, editor } = setup();
    editor.feed('helo\x1b[D');
    editor.feed('l');
    expect(editor.text).toBe('hello');
    expect(screen.text()).toBe('$ hello');
    expect(screen.col).toBe(6);
  });

  it('keeps the cursor right over Chinese (double-width) text', () => {
    const { screen, editor } = setup();
    editor.feed('你好世界');
    expect(screen.col).toBe(10);
    editor.feed('\x1b[D\x1b[D\x7f');
    expect(editor.text).toBe('你世界');
    expect(screen.text()).toBe('$ 你世界');
    expect(screen.col).toBe(4);
  });

  it('wraps long lines and edits across the wrap', () => {
    const { screen, editor } = setup(10);
    editor.feed('abcdefghijklmnop');
    expect(screen.text()).toBe('$ abcdefgh\nijklmnop');
    editor.feed('\x01X');
    expect(screen.text()).toBe('$ Xabcdefg\nhijklmnop');
    expect([screen.row, screen.col]).toEqual([0, 3]);
    editor.feed('\x05');
    expect([screen.row, screen.col]).toEqual([1, 9]);
    editor.feed('\x15');
    expect(screen.text()).toBe('$ ');
  });

  it('forces the wrap when a line ends exactly at the last column', () => {
    const { screen, editor } = setup(10);
    editor.feed('abcdefgh');
    expect([screen.row, screen.col]).toEqual([1, 0]);
    editor.feed('\x7f');
    expect(screen.text()).toBe('$ abcdefg');
    expect([screen.row, screen.col]).toEqual([0, 9]);
  });

  it.each([
    ['Ctrl-W deletes the word before the cursor', 'kubectl get pods\x17', 'kubectl get '],
    ['Ctrl-K kills to the end', 'abc def\x01\x06\x06\x0b', 'ab'],
    ['Delete removes under the cursor', 'abc\x01\x1b[3~', 'bc'],
    ['Alt-B / Alt-F move by words', 'one two\x1bbX\x1bfY', 'one XtwoY'],
    ['Home/End keys', 'bc\x1b[Ha\x1b[Fd', 'abcd'],
    ['Ctrl-D deletes under the cursor on a non-empty line', 'ab\x01\x04', 'b'],
  ])('%s', (_name, keys, expected) => {
    const { editor, screen } = setup(40);
    editor.feed(keys);
    expect(editor.text).toBe(expected);
    expect(stripAnsi(screen.text())).toBe(`$ ${expected}`);
  });

  it('submits on Enter and returns the unread rest as typeahead', () => {
    const { editor } = setup();
    const r = editor.feed('one\rtwo');
    expect(r).toEqual({ event: { type: 'line', text: 'one' }, rest: 'two' });
  });

  it('keeps history as ignoreboth does', () => {
    const { editor, history } = setup();
    for (const line of ['a', 'a', ' secret', '', 'b']) {
      editor.feed(line + '\r');
      editor.begin('$ ');
    }
    expect(history).toEqual(['a', 'b']);
  });

  it('restores the draft when coming back down from history', () => {
    const { editor } = setup();
    editor.feed('old\r');
    editor.begin('$ ');
    editor.feed('dra');
    editor.feed('\x1b[A');
    expect(editor.text).toBe('old');
    editor.feed('\x1b[B');
    expect(editor.text).toBe('dra');
  });
});

describe('LineEditor: Tab completion', () => {
  const c = (...texts: string[]) => texts.map((text) => ({ text, ...(text.endsWith('/') ? { noSpace: true, display: text } : {}) }));

  it('asks for candidates with the line and cursor, and inserts a unique one with a space', () => {
    const { editor, screen } = setup(40);
    expect(editor.feed('kubectl get depl\tx')).toEqual({ event: { type: 'complete', text: 'kubectl get depl', cursor: 16 }, rest: 'x' });
    editor.completed(12, c('deployments.apps'));
    expect(editor.text).toBe('kubectl get deployments.apps ');
    expect(screen.text()).toBe('$ kubectl get deployments.apps ');
    expect(screen.col).toBe(31);
  });

  it('puts no space after a directory', () => {
    const { editor } = setup(40);
    editor.feed('cat ma\t');
    editor.completed(4, c('manifests/'));
    expect(editor.text).toBe('cat manifests/');
  });

  it('inserts the common prefix of several and rings the bell; lists them on the Tab after one that changed nothing', () => {
    const { editor, screen } = setup(30);
    editor.feed('k get pods w\t');
    editor.completed(11, c('web-1', 'web-10', 'web-2'));
    expect(editor.text).toBe('k get pods web-');
    expect(screen.bells).toBe(1);
    editor.feed('\t');
    editor.completed(11, c('web-1', 'web-10', 'web-2'));
    expect(editor.text).toBe('k get pods web-');
    expect(screen.bells).toBe(2);
    editor.feed('\t');
    editor.completed(11, c('web-1', 'web-10', 'web-2'));
    // Columns 8 wide (web-10 + 2), 3 of them in 30 columns, sorted down then across; then prompt and line again.
    expect(screen.text()).toBe('$ k get pods web-\nweb-1   web-10  web-2\n$ k get pods web-');
    expect([screen.row, screen.col]).toEqual([2, 17]);
  });

  it('any other key in between starts over (no list on the next Tab)', () => {
    const { editor, screen } = setup(30);
    editor.feed('cat \t');
    editor.completed(4, c('a', 'b'));
    editor.feed('\x1b[D\x1b[C\t');
    editor.completed(4, c('a', 'b'));
    expect(screen.text()).toBe('$ cat ');
  });

  it('shows directories by name when listing', () => {
    const { editor, screen } = setup(40);
    editor.feed('cat m/\t');
    editor.completed(4, [{ text: 'm/a.yaml', display: 'a.yaml' }, { text: 'm/b/', display: 'b/', noSpace: true }]);
    editor.feed('\t');
    editor.completed(4, [{ text: 'm/a.yaml', display: 'a.yaml' }, { text: 'm/b/', display: 'b/', noSpace: true }]);
    expect(screen.text()).toBe('$ cat m/\na.yaml  b/\n$ cat m/');
  });

  it('asks before listing 100 or more, and n declines', () => {
    const { editor, screen } = setup(40);
    const many = Array.from({ length: 120 }, (_, i) => ({ text: `pod-${i}` }));
    editor.feed('k get po pod-\t');
    editor.completed(9, many);
    editor.feed('\t');
    editor.completed(9, many);
    expect(screen.text()).toBe('$ k get po pod-\nDisplay all 120 possibilities? (y or n)');
    editor.feed('n');
    expect(screen.text()).toBe('$ k get po pod-\nDisplay all 120 possibilities? (y or n)\n$ k get po pod-');
    expect(editor.text).toBe('k get po pod-');
  });

  it('rings the bell when nothing matches', () => {
    const out: string[] = [];
    const editor = new LineEditor((s) => out.push(s), [], 40);
    editor.begin('$ ');
    editor.feed('zz\t');
    editor.completed(0, []);
    expect(out.at(-1)).toBe('\x07');
    expect(editor.text).toBe('zz');
  });
});

describe('LineEditor: Ctrl-R reverse-i-search', () => {
  function withHistory(lines: string[], cols = 60) {
    const t = setup(cols);
    for (const line of lines) {
      t.editor.feed(line + '\r');
      t.editor.begin('$ ');
    }
    t.screen.rows = [[]];
    t.screen.row = 0;
    t.screen.col = 0;
    t.editor.feed('\x0c');
    return t;
  }

  it('shows bash\'s prompt and the newest match, the cursor on the match', () => {
    const { editor, screen } = withHistory(['kubectl get pods', 'echo hello', 'kubectl get deploy']);
    editor.feed('\x12');
    expect(screen.text()).toBe("(reverse-i-search)`': ");
    editor.feed('get');
    expect(screen.text()).toBe("(reverse-i-search)`get': kubectl get deploy");
    expect(screen.col).toBe("(reverse-i-search)`get': kubectl ".length);
    editor.feed('\x12');
    expect(screen.text()).toBe("(reverse-i-search)`get': kubectl get pods");
    editor.feed('\x12');
    expect(screen.text()).toBe("(failed reverse-i-search)`get': kubectl get pods");
  });

  it('Enter runs the line found, with the normal prompt back', () => {
    const { editor, screen } = withHistory(['kubectl get pods', 'echo hello']);
    editor.feed('\x12kub');
    expect(editor.feed('\r')).toEqual({ event: { type: 'line', text: 'kubectl get pods' }, rest: '' });
    expect(screen.text()).toBe('$ kubectl get pods');
    expect(screen.row).toBe(1);
  });

  it('Escape keeps the line for editing; other keys end the search and act', () => {
    const { editor, screen } = withHistory(['kubectl get pods', 'echo hello']);
    editor.feed('\x12ech\x1b');
    expect(screen.text()).toBe('$ echo hello');
    expect(screen.col).toBe(2);
    editor.feed('\x05!');
    expect(editor.text).toBe('echo hello!');
    editor.begin('$ ');
    editor.feed('\x12get\x01#');
    expect(editor.text).toBe('#kubectl get pods');
  });

  it('Ctrl-G gives back the line as it was', () => {
    const { editor, screen } = withHistory(['kubectl get pods']);
    editor.feed('draft\x12kub');
    expect(editor.text).toBe('kubectl get pods');
    editor.feed('\x07');
    expect(editor.text).toBe('draft');
    expect(screen.text()).toBe('$ draft');
    expect(screen.col).toBe(7);
  });

  it('Backspace shortens the query; Ctrl-R on an empty query reuses the last one', () => {
    const { editor, screen } = withHistory(['echo one', 'echo two']);
    editor.feed('\x12twx');
    expect(screen.text()).toBe("(failed reverse-i-search)`twx': echo two");
    editor.feed('\x7f');
    expect(screen.text()).toBe("(reverse-i-search)`tw': echo two");
    editor.feed('\x07');
    editor.feed('\x12\x12');
    expect(screen.text()).toBe("(reverse-i-search)`tw': echo two");
  });
});
