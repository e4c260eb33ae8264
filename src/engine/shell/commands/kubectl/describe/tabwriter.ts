/**
 * Go's text/tabwriter as kubectl describe configures it (`tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)`:
 * minwidth 0, padding 2, space padding, no flags), the aligner every describer's text goes through.
 *
 * Contract: text is cut into tab-terminated cells; the last cell of a line belongs to no column. A
 * column block is a run of consecutive lines that all have a tab-terminated cell in that column; its
 * width is the widest cell plus the padding (an empty column is 2 wide). `flush()` formats what is
 * buffered, so text after it aligns on its own (DescribeEvents flushes before its table).
 *
 * Left out: the flags (AlignRight, Debug, DiscardEmptyColumns, FilterHTML, StripEscape,
 * TabIndent), escapes, '\f' and '\v' — describe uses none of them.
 */

interface Cell {
  text: string;
  width: number;
}

export class TabWriter {
  private readonly padding = 2;
  private out = '';
  /** Lines ended by '\n', then possibly the partial line flush() closed. */
  private lines: Cell[][] = [];
  private current: Cell[] = [];
  private cell = '';
  private widths: number[] = [];

  write(text: string): void {
    for (const ch of text) {
      if (ch === '\t') {
        this.terminateCell();
      } else if (ch === '\n') {
        this.terminateCell();
        const cells = this.current.length;
        this.lines.push(this.current);
        this.current = [];
        // A line of one cell ends every column block: Go formats what came before right away.
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

  /** Flushes and returns all output so far. */
  toString(): string {
    this.flush();
    return this.out;
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

  private complete = true;

  private format(line0: number, line1: number): void {
    const column = this.widths.length;
    for (let i = line0; i < line1; i++) {
      if (column >= this.lines[i]!.length - 1) continue;
      this.writeLines(line0, i);
      line0 = i;
      let width = 0;
      for (; i < line1; i++) {
        const line = this.lines[i]!;
        if (column >= line.length - 1) break;
        width = Math.max(width, line[column]!.width + this.padding);
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
      const line = this.lines[i]!;
      line.forEach((c, j) => {
        this.out += c.text;
        if (j < this.widths.length) this.out += ' '.repeat(this.widths[j]! - c.width);
      });
      if (this.complete || i + 1 < this.lines.length) this.out += '\n';
    }
  }
}
