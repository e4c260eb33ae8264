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
 * Tab is readline's `complete`: the editor asks its owner for candidates (a `complete` event) and gets
 * them back through `completed`. One candidate is inserted with a space (none after a directory); several
 * insert their longest common prefix and ring the bell; a Tab that changed nothing, right after another,
 * lists them in columns as bash does (asking `Display all N possibilities? (y or n)` from 100 on).
 * Ctrl-R is `reverse-search-history`: the prompt becomes ``(reverse-i-search)`query': `` and shows the
 * newest history line containing the query; Ctrl-R again goes further back (an empty query reuses the
 * last one), Backspace shortens the query, Enter runs the line, Escape keeps it for editing, Ctrl-G gives
 * the line back as it was, and any other editing key ends the search and then does its usual work.
 *
 * `feed` stops at the first event (a submitted line, Ctrl-C, Ctrl-D, Tab) and hands back the unread rest,
 * so the shell can hold it as typeahead while the command (or the completion) runs, as a tty does.
 *
 * Redrawing handles lines longer than the terminal is wide: positions are kept in columns from the start
 * of the prompt and converted to (row, column) with the terminal's width.
 */
import type { Candidate } from './completion.ts';
import { charWidth, stringWidth } from './wcwidth.ts';

/** `complete`: Tab was pressed with the cursor at `cursor` (a string index into `text`). */
export type LineEvent = { type: 'line'; text: string } | { type: 'interrupt' } | { type: 'eof' } | { type: 'complete'; text: string; cursor: number };

export interface FeedResult {
  event?: LineEvent;
  /** Input after the event, not yet read. */
  rest: string;
}

const ESC = '\x1b';
const BELL = '\x07';
/** readline's completion-query-items: from this many candidates on, ask before listing them. */
const QUERY_ITEMS = 100;

/** A reverse-i-search in progress. */
interface Search {
  query: string;
  failed: boolean;
  /** The history index of the line shown (history.length: the line being edited) and where the match starts in it. */
  at: number;
  pos: number;
  /** The line, cursor and history position before the search, for Ctrl-G. */
  saved: { chars: string[]; cursor: number; historyIndex: number };
}

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
  /** The prompt on screen now: `prompt`, or reverse-i-search's. */
  private shownPrompt = '';
  private search: Search | undefined;
  /** The query of the last reverse-i-search, which Ctrl-R on an empty query reuses. */
  private lastQuery = '';
  /** After a Tab: whether it changed the line (a second Tab that follows one that did not, lists). */
  private lastTab: { changed: boolean } | undefined;
  /** Candidates waiting for the answer to "Display all N possibilities? (y or n)". */
  private pendingList: Candidate[] | undefined;

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
    this.shownPrompt = prompt;
    this.promptWidth = stringWidth(stripAnsi(prompt));
    this.chars = [];
    this.cursor = 0;
    this.historyIndex = this.history.length;
    this.draft = [];
    this.search = undefined;
    this.lastTab = undefined;
    this.pendingList = undefined;
    this.write(prompt + this.wrapFix(this.promptWidth));
    this.shownAt = this.promptWidth;
  }

  feed(data: string): FeedResult {
    let i = 0;
    while (i < data.length) {
      const ch = data[i]!;
      if (this.pendingList) {
        i++;
        this.answerListQuery(ch);
        continue;
      }
      const tab = this.lastTab;
      this.lastTab = undefined;
      if (this.search) {
        const key = ch === ESC ? readEscape(data, i) : ch;
        if (this.searchKey(key)) {
          i += key.length;
          continue;
        }
      }
      if (ch === ESC) {
        const seq = readEscape(data, i);
        i += seq.length;
        this.onEscape(seq);
        continue;
      }
      i++;
      switch (ch) {
        case '\t': {
          this.lastTab = tab;
          const before = this.chars.slice(0, this.cursor).join('');
          return { event: { type: 'complete', text: this.text, cursor: before.length }, rest: data.slice(i) };
        }
        case '\x12':
          this.startSearch();
          break;
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
            this.write(BELL);
          }
        }
      }
    }
    return { rest: '' };
  }

  /**
   * The candidates for the `complete` event just returned, `from` being where the word starts (a string
   * index). Applies them as readline's `complete` does.
   */
  completed(from: number, candidates: readonly Candidate[]): void {
    const again = this.lastTab !== undefined && !this.lastTab.changed;
    const start = Array.from(this.text.slice(0, from)).length;
    const word = this.chars.slice(start, this.cursor).join('');
    if (candidates.length === 0) {
      this.lastTab = { changed: false };
      this.write(BELL);
      return;
    }
    if (again && candidates.length > 1) {
      this.lastTab = { changed: false };
      if (candidates.length >= QUERY_ITEMS) {
        this.moveCursor(this.chars.length);
        this.write(`\r\nDisplay all ${candidates.length} possibilities? (y or n)`);
        this.pendingList = [...candidates];
        return;
      }
      this.listCandidates(candidates);
      return;
    }
    const only = candidates.length === 1 ? candidates[0]! : undefined;
    const insert = only ? only.text + (only.noSpace ? '' : ' ') : commonPrefix(candidates.map((c) => c.text));
    // A common prefix shorter than the word typed (`"po` against `pods`, `pod-1`) leaves the word alone.
    const changed = insert !== word && (only !== undefined || insert.startsWith(word));
    if (changed && insert.startsWith(word)) this.insert(insert.slice(word.length));
    else if (changed) this.replace(start, this.cursor, insert);
    this.lastTab = { changed };
    if (!only) this.write(BELL);
  }

  private answerListQuery(key: string): void {
    const candidates = this.pendingList!;
    if (key === 'y' || key === 'Y' || key === ' ') {
      this.pendingList = undefined;
      this.write('\r\n');
      this.shownAt = 0;
      this.listCandidates(candidates, false);
    } else if (key === 'n' || key === 'N' || key === '\x7f' || key === '\x07' || key === '\x03') {
      this.pendingList = undefined;
      this.write('\r\n');
      this.shownAt = 0;
      this.redrawAll();
    } else this.write(BELL);
  }

  /** rl_display_match_list: sorted down the columns, as many columns as fit, then the prompt and line again. */
  private listCandidates(candidates: readonly Candidate[], fromLine = true): void {
    const shown = candidates.map((c) => c.display ?? c.text);
    const width = Math.max(...shown.map((s) => stringWidth(s))) + 2;
    let columns = Math.floor(this.cols / width);
    if (columns !== 1 && columns * width === this.cols) columns--;
    columns = Math.max(1, columns);
    const rows = Math.ceil(shown.length / columns);
    let out = '';
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const item = shown[r + c * rows];
        if (item === undefined) break;
        const last = c + 1 === columns || r + (c + 1) * rows >= shown.length;
        out += last ? item : item + ' '.repeat(Math.max(1, width - stringWidth(item)));
      }
      out += '\r\n';
    }
    if (fromLine) {
      this.moveCursor(this.chars.length);
      out = '\r\n' + out;
    }
    this.write(out);
    this.shownAt = 0;
    this.redrawAll();
  }

  /** Replace the characters [from, to) with `text`, leaving the cursor after it. */
  private replace(from: number, to: number, text: string): void {
    const added = Array.from(text);
    this.chars.splice(from, to - from, ...added);
    this.cursor = from + added.length;
    this.redrawFrom(from);
  }

  // —— reverse-i-search ——

  private startSearch(): void {
    if (this.historyIndex === this.history.length) this.draft = [...this.chars];
    this.search = { query: '', failed: false, at: this.historyIndex, pos: this.cursor, saved: { chars: [...this.chars], cursor: this.cursor, historyIndex: this.historyIndex } };
    this.showSearch();
  }

  /** A key during a search; false when it ends the search and is then to be handled as usual. */
  private searchKey(key: string): boolean {
    const search = this.search!;
    switch (key) {
      case '\x12': {
        if (search.query === '') {
          if (this.lastQuery === '') {
            this.write(BELL);
            return true;
          }
          search.query = this.lastQuery;
          this.findFrom(search.at === this.history.length ? this.history.length - 1 : search.at, undefined);
        } else if (!search.failed) this.findFrom(search.at, search.pos - 1, this.history[search.at]);
        else this.write(BELL);
        this.showSearch();
        return true;
      }
      case '\x7f':
      case '\b':
        if (search.query === '') {
          this.write(BELL);
          return true;
        }
        search.query = Array.from(search.query).slice(0, -1).join('');
        this.findFrom(Math.min(search.saved.historyIndex, this.history.length - 1), undefined);
        this.showSearch();
        return true;
      case '\x07':
        this.chars = search.saved.chars;
        this.cursor = search.saved.cursor;
        this.historyIndex = search.saved.historyIndex;
        this.endSearch();
        return true;
      case ESC:
        this.endSearch();
        return true;
      case '\x03':
        // Ctrl-C abandons the search and the line, as SIGINT does.
        this.search = undefined;
        this.shownPrompt = this.prompt;
        return false;
      default:
        if (key.length === 1 && isPrintable(key.charCodeAt(0))) {
          search.query += key;
          if (!search.failed) this.findFrom(search.at === this.history.length ? this.history.length - 1 : search.at, undefined);
          else this.write(BELL);
          this.showSearch();
          return true;
        }
        // Enter, arrows, Ctrl-A… end the search with the line found, then act.
        this.endSearch();
        return false;
    }
  }

  /**
   * Find the query at or before history line `at` (in that line, starting at or before `pos`; undefined:
   * anywhere), skipping lines equal to `skip`. Shows the match, or marks the search failed.
   */
  private findFrom(at: number, pos: number | undefined, skip?: string): void {
    const search = this.search!;
    const query = search.query;
    for (let k = at; k >= 0; k--) {
      const line = this.history[k]!;
      if (k !== at && line === skip) continue;
      const chars = Array.from(line);
      const limit = k === at && pos !== undefined ? pos : chars.length;
      if (limit < 0) continue;
      const found = line.lastIndexOf(query, chars.slice(0, limit).join('').length);
      if (found < 0) continue;
      search.at = k;
      search.pos = Array.from(line.slice(0, found)).length;
      search.failed = false;
      this.lastQuery = query;
      this.chars = chars;
      this.cursor = search.pos;
      return;
    }
    search.failed = true;
    this.write(BELL);
  }

  private showSearch(): void {
    const search = this.search!;
    this.showPrompt(`(${search.failed ? 'failed ' : ''}reverse-i-search)\`${search.query}': `);
  }

  /** Leave the search with the line shown, the normal prompt back, history positioned at the match. */
  private endSearch(): void {
    const search = this.search!;
    this.search = undefined;
    if (search.at < this.history.length && this.history[search.at] === this.text) this.historyIndex = search.at;
    this.showPrompt(this.prompt);
  }

  /** Draw `prompt` in place of the one shown, then the line, the cursor where it belongs. */
  private showPrompt(prompt: string): void {
    this.write(this.moveFromTo(this.shownAt, 0));
    this.shownPrompt = prompt;
    this.promptWidth = stringWidth(stripAnsi(prompt));
    this.write(prompt + this.wrapFix(this.promptWidth));
    this.shownAt = this.promptWidth;
    this.redrawFrom(0);
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
      this.write(BELL);
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
    this.write(this.shownPrompt + this.wrapFix(this.promptWidth));
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

/** The longest common prefix of some strings, by code point. */
function commonPrefix(texts: readonly string[]): string {
  let prefix = Array.from(texts[0] ?? '');
  for (const t of texts.slice(1)) {
    const chars = Array.from(t);
    let k = 0;
    while (k < prefix.length && k < chars.length && prefix[k] === chars[k]) k++;
    prefix = prefix.slice(0, k);
  }
  return prefix.join('');
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
