import { describe, expect, it } from 'vitest';
import { LineEditor, stripAnsi } from './lineEditor.ts';
import { stringWidth } from './wcwidth.ts';

/** A tiny terminal model: enough of xterm to check where text and the cursor end up. */
class Screen {
  rows: string[][] = [[]];
  row = 0;
  col = 0;
  pendingWrap = false;
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
      if (ch === '\r') {
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
