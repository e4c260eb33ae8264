/**
 * LineEditor — what a pty's line discipline and GNU readline do between a terminal and bash: take the raw
 * bytes a terminal sends (keys, escape sequences, pastes), keep the line being typed, and echo it back
 * with the cursor where the terminal should draw it.
 *
 * Keys: printable text (including CJK, measured with wcwidth so the cursor lands right), Enter, Backspace,
 * Delete, ←/→, Home/End, ↑/↓ and Ctrl-P/N through history, Ctrl-A/E/B/F, Alt-B/F, Ctrl-U/K/W, Ctrl-L,
 * Ctrl-C (abandon the line) and Ctrl-D (end of input on an empty line, else delete). History follows
 * Debian's default HISTCONTROL=ignoreboth: no consecutive duplicates, nothing that starts with a space.
 *
 * `feed` stops at the first event (a submitted line, Ctrl-C, Ctrl-D) and hands back the unread rest, so the
 * shell can hold it as typeahead while the command runs, as a tty does.
 *
 * Redrawing handles lines longer than the terminal is wide: positions are kept in columns from the start
 * of the prompt and converted to (row, column) with the terminal's width.
 */
import { charWidth, stringWidth } from './wcwidth.ts';

export type LineEvent = { type: 'line'; text: string } | { type: 'interrupt' } | { type: 'eof' };

export interface FeedResult {
  event?: LineEvent;
  /** Input after the event, not yet read. */
  rest: string;
}

const ESC = '\x1b';

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  private prompt = '';
  private promptWidth = 0;
  /** Where the terminal's cursor is, in columns from the start of the prompt. */
  private shownAt = 0;
  private historyIndex = 0;
  /** The line being typed before the user went up into history. */
  private draft: string[] = [];

  constructor(
    private readonly write: (text: string) => void,
    private readonly history: string[],
    private cols = 80,
  ) {}

  get text(): string {
    return this.chars.join('');
  }

  setColumns(cols: number): void {
    this.cols = Math.max(1, Math.floor(cols));
  }

  /** Show a prompt and start an empty line. */
  begin(prompt: string): void {
    this.prompt = prompt;
    this.promptWidth = stringWidth(stripAnsi(prompt));
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = this.history.length;
    this.draft = [];
    this.write(prompt + this.wrapFix(this.promptWidth));
    this.shownAt = this.promptWidth;
  }

  feed(data: string): FeedResult {
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === ESC) {
        const seq = readEscape(data, i);
        i += seq.length;
        this.onEscape(seq);
        continue;
      }
      i++;
      switch (ch) {
        case '\r':
        case '\n': {
          if (ch === '\r' && data[i] === '\n') i++;
          return { event: this.submit(), rest: data.slice(i) };
        }
        case '\x03':
          this.moveCursor(this.chars.length);
          this.write('^C\r\n');
          return { event: { type: 'interrupt' }, rest: data.slice(i) };
        case '\x04':
          if (this.chars.length === 0) {
            this.write('\r\n');
            return { event: { type: 'eof' }, rest: data.slice(i) };
          }
          this.deleteRange(this.cursor, this.cursor + 1);
          break;
        case '\x7f':
        case '\b':
          this.deleteRange(this.cursor - 1, this.cursor);
          break;
        case '\x01':
          this.moveCursor(0);
          break;
        case '\x05':
          this.moveCursor(this.chars.length);
          break;
        case '\x02':
          this.moveCursor(this.cursor - 1);
          break;
        case '\x06':
          this.moveCursor(this.cursor + 1);
          break;
        case '\x15':
          this.deleteRange(0, this.cursor);
          break;
        case '\x0b':
          this.deleteRange(this.cursor, this.chars.length);
          break;
        case '\x17':
          this.deleteRange(this.wordStartBefore(this.cursor, /\s/), this.cursor);
          break;
        case '\x0c':
          this.write('\x1b[H\x1b[2J');
          this.shownAt = 0;
          this.redrawAll();
          break;
        case '\x10':
          this.historyMove(-1);
          break;
        case '\x0e':
          this.historyMove(1);
          break;
        default: {
          // A whole run of printable text at once (typing is one char, a paste is many).
          let j = i - 1;
          while (j < data.length && isPrintable(data.charCodeAt(j))) j++;
          if (j > i - 1) {
            this.insert(data.slice(i - 1, j));
            i = j;
          } else {
            this.write('\x07');
          }
        }
      }
    }
    return { rest: '' };
  }

  private onEscape(seq: string): void {
    switch (seq) {
      case '\x1b[A':
      case '\x1bOA':
        this.historyMove(-1);
        break;
      case '\x1b[B':
      case '\x1bOB':
        this.historyMove(1);
        break;
      case '\x1b[C':
      case '\x1bOC':
        this.moveCursor(this.cursor + 1);
        break;
      case '\x1b[D':
      case '\x1bOD':
        this.moveCursor(this.cursor - 1);
        break;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
        this.moveCursor(0);
        break;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
        this.moveCursor(this.chars.length);
        break;
      case '\x1b[3~':
        this.deleteRange(this.cursor, this.cursor + 1);
        break;
      case '\x1bb':
      case '\x1b[1;5D':
        this.moveCursor(this.wordStartBefore(this.cursor, /[^\p{L}\p{N}]/u));
        break;
      case '\x1bf':
      case '\x1b[1;5C':
        this.moveCursor(this.wordEndAfter(this.cursor));
        break;
      default:
        break; // Unbound keys (F1, PageUp…) do nothing, as in readline.
    }
  }

  private submit(): LineEvent {
    const text = this.text;
    this.moveCursor(this.chars.length);
    this.write('\r\n');
    if (text.trim() !== '' && !text.startsWith(' ') && this.history[this.history.length - 1] !== text) this.history.push(text);
    this.chars = [];
    this.cursor = 0;
    return { type: 'line', text };
  }

  private insert(text: string): void {
    const added = Array.from(text);
    const atEnd = this.cursor === this.chars.length;
    this.chars.splice(this.cursor, 0, ...added);
    this.cursor += added.length;
    if (atEnd) {
      // The common case, typing at the end: echo just the new text.
      const end = this.columnOf(this.cursor);
      this.write(text + this.wrapFix(end));
      this.shownAt = end;
    } else {
      this.redrawFrom(this.cursor - added.length);
    }
  }

  private deleteRange(from: number, to: number): void {
    from = Math.max(0, from);
    to = Math.min(this.chars.length, to);
    if (from >= to) return;
    this.chars.splice(from, to - from);
    this.cursor = from;
    this.redrawFrom(from);
  }

  private moveCursor(index: number): void {
    this.cursor = Math.max(0, Math.min(this.chars.length, index));
    const target = this.columnOf(this.cursor);
    this.write(this.moveFromTo(this.shownAt, target));
    this.shownAt = target;
  }

  private historyMove(delta: number): void {
    const next = this.historyIndex + delta;
    if (next < 0 || next > this.history.length) {
      this.write('\x07');
      return;
    }
    if (this.historyIndex === this.history.length) this.draft = this.chars;
    this.historyIndex = next;
    this.chars = next === this.history.length ? this.draft : Array.from(this.history[next]!);
    this.cursor = this.chars.length;
    this.redrawFrom(0);
  }

  /** Rewrite the line from character `from` to the end, clear what is left of the old line, put the cursor back. */
  private redrawFrom(from: number): void {
    const start = this.columnOf(from);
    const end = this.columnOf(this.chars.length);
    const target = this.columnOf(this.cursor);
    this.write(this.moveFromTo(this.shownAt, start) + this.chars.slice(from).join('') + this.wrapFix(end) + '\x1b[J' + this.moveFromTo(end, target));
    this.shownAt = target;
  }

  private redrawAll(): void {
    this.write(this.prompt + this.wrapFix(this.promptWidth));
    this.shownAt = this.promptWidth;
    this.redrawFrom(0);
  }

  private columnOf(index: number): number {
    let col = this.promptWidth;
    for (let k = 0; k < index; k++) col += charWidth(this.chars[k]!.codePointAt(0)!);
    return col;
  }

  /**
   * A terminal that has just filled the last column leaves the cursor there ("pending wrap"). Writing a
   * space and a carriage return forces the wrap, so the cursor really is at column 0 of the next row.
   */
  private wrapFix(col: number): string {
    return col > 0 && col % this.cols === 0 ? ' \r' : '';
  }

  private moveFromTo(from: number, to: number): string {
    const rows = Math.floor(to / this.cols) - Math.floor(from / this.cols);
    const col = to % this.cols;
    let out = '';
    if (rows < 0) out += `${ESC}[${-rows}A`;
    if (rows > 0) out += `${ESC}[${rows}B`;
    if (rows !== 0 || col !== from % this.cols) out += '\r' + (col > 0 ? `${ESC}[${col}C` : '');
    return out;
  }

  private wordStartBefore(index: number, separator: RegExp): number {
    let k = index;
    while (k > 0 && separator.test(this.chars[k - 1]!)) k--;
    while (k > 0 && !separator.test(this.chars[k - 1]!)) k--;
    return k;
  }

  private wordEndAfter(index: number): number {
    const separator = /[^\p{L}\p{N}]/u;
    let k = index;
    while (k < this.chars.length && separator.test(this.chars[k]!)) k++;
    while (k < this.chars.length && !separator.test(this.chars[k]!)) k++;
    return k;
  }
}

function isPrintable(code: number): boolean {
  return code >= 0x20 && code !== 0x7f;
}

/** One escape sequence starting at `i`: CSI (ESC [ … final), SS3 (ESC O x), or ESC + one char. */
function readEscape(data: string, i: number): string {
  const next = data[i + 1];
  if (next === '[') {
    let j = i + 2;
    while (j < data.length && /[0-9;?]/.test(data[j]!)) j++;
    return data.slice(i, Math.min(j + 1, data.length));
  }
  if (next === 'O') return data.slice(i, i + 3);
  return data.slice(i, i + 2);
}

// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Text without SGR and other CSI sequences: what the terminal actually shows. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}
