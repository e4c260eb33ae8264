/**
 * Go's text/tabwriter as kubectl vendors it (github.com/liggitt/tabwriter, text/tabwriter plus the
 * RememberWidths flag), the one aligner of the lab's kubectl. Two setups use it:
 * - the printers (cli-runtime/pkg/printers/tabwriter.go): minwidth 6, padding 3 — the defaults here;
 *   `kubectl get -w` adds RememberWidths, so a column never narrows while the watch runs;
 * - kubectl describe (`tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)`): minwidth 0, padding 2.
 *
 * Contract: text is cut into tab-terminated cells; the text after a line's last tab belongs to no column
 * and is not padded. A column block is a run of consecutive lines that all have a tab-terminated cell in
 * that column; its width is its widest cell plus the padding, at least minwidth. A line of one cell ends
 * every block (Go formats what came before right away), and so does `flush()`; text after a flush aligns
 * on its own. Text after the last newline is a line of its own, printed without a newline. Widths count
 * code points, as Go counts runes (wide CJK characters misalign in both).
 *
 * Left out: the flags kubectl does not set (AlignRight, Debug, DiscardEmptyColumns, FilterHTML,
 * StripEscape, TabIndent), escapes (0xff), '\f' and '\v' cells.
 */

export interface TabWriterOptions {
  readonly minWidth?: number;
  readonly padding?: number;
  /** RememberWidths: a column keeps the widest width it had in earlier flushes. */
  readonly rememberWidths?: boolean;
}

interface Cell {
  readonly text: string;
  readonly width: number;
}

export class TabWriter {
  private readonly minWidth: number;
  private readonly padding: number;
  private readonly rememberWidths: boolean;
  private out = '';
  /** Lines ended by '\n', then possibly the partial line flush() closed. */
  private lines: Cell[][] = [];
  private current: Cell[] = [];
  private cell = '';
  private widths: number[] = [];
  private maxWidths: number[] = [];
  private complete = true;

  constructor(options: TabWriterOptions = {}) {
    this.minWidth = options.minWidth ?? 6;
    this.padding = options.padding ?? 3;
    this.rememberWidths = options.rememberWidths ?? false;
  }

  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t') {
        this.terminateCell();
      } else if (ch === '\n') {
        this.terminateCell();
        const cells = this.current.length;
        this.lines.push(this.current);
        this.current = [];
        if (cells === 1) this.format0(true);
      } else {
        this.cell += ch;
      }
    }
  }

  /** Formats and emits everything buffered; a partial last line is emitted without a newline. */
  flush(): void {
    let complete = true;
    if (this.cell.length > 0 || this.current.length > 0) {
      this.terminateCell();
      this.lines.push(this.current);
      this.current = [];
      complete = false;
    }
    this.format0(complete);
  }

  /** Flushes and returns the text emitted since the last take(). */
  take(): string {
    this.flush();
    const out = this.out;
    this.out = '';
    return out;
  }

  private terminateCell(): void {
    this.current.push({ text: this.cell, width: [...this.cell].length });
    this.cell = '';
  }

  private format0(complete: boolean): void {
    this.widths = [];
    this.complete = complete;
    this.format(0, this.lines.length);
    this.lines = [];
  }

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= (this.lines[i]?.length ?? 0) - 1) continue;
      this.writeLines(line0, i);
      line0 = i;
      let width = this.minWidth;
      for (; i < line1; i++) {
        const line = this.lines[i] ?? [];
        if (column >= line.length - 1) break;
        width = Math.max(width, (line[column]?.width ?? 0) + this.padding);
      }
      if (this.rememberWidths) {
        const remembered = this.maxWidths[column];
        if (remembered === undefined) this.maxWidths[column] = width;
        else if (remembered > width) width = remembered;
        else this.maxWidths[column] = width;
      }
      this.widths.push(width);
      this.format(line0, i);
      this.widths.pop();
      line0 = i;
    }
    this.writeLines(line0, line1);
  }

  private writeLines(line0: number, line1: number): void {
    for (let i = line0; i < line1; i++) {
      const line = this.lines[i] ?? [];
      line.forEach((c, j) => {
        this.out += c.text;
        const width = this.widths[j];
        if (width !== undefined) this.out += ' '.repeat(Math.max(0, width - c.width));
      });
      if (this.complete || i + 1 < this.lines.length) this.out += '\n';
    }
  }
}

/** Align `text` in one go (the printers' setup unless `options` say otherwise). */
export function tabwrite(text: string, options: TabWriterOptions = {}): string {
  const w = new TabWriter(options);
  w.write(text);
  return w.take();
}
