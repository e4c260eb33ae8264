/**
 * Go's text/tabwriter as kubectl configures it (cli-runtime/pkg/printers/tabwriter.go: minwidth 6,
 * padding 3, pad character ' ', no flags): tab-terminated cells are aligned in columns, a column as wide
 * as its widest cell plus 3 (at least 6); the text after a line's last tab is not padded, so lines end
 * without trailing spaces unless their last cell is empty. A column block runs over consecutive lines
 * that have that column; a line without tabs ends every block (tabwriter flushes there).
 *
 * Left out: escapes (0xff), `\v` and `\f` cells, the flags kubectl does not set. Widths count code
 * points, as Go counts runes (wide CJK characters misalign in both).
 */

export interface TabWriterOptions {
  readonly minWidth?: number;
  readonly padding?: number;
}

/** Align `text` (lines ending in "\n", cells ending in "\t") as kubectl's tabwriter prints it. */
export function tabwrite(text: string, options: TabWriterOptions = {}): string {
  const minWidth = options.minWidth ?? 6;
  const padding = options.padding ?? 3;
  const rawLines = text.split('\n');
  const tail = rawLines.pop() ?? '';
  let out = '';
  let block: string[][] = [];
  const flush = (): void => {
    if (block.length > 0) out += formatBlock(block, minWidth, padding).map((l) => `${l}\n`).join('');
    block = [];
  };
  for (const raw of rawLines) {
    const cells = raw.split('\t');
    block.push(cells);
    if (cells.length === 1) flush();
  }
  if (tail === '') {
    flush();
    return out;
  }
  // Text after the last newline is a line of its own, printed without one.
  block.push(tail.split('\t'));
  flush();
  return out.slice(0, -1);
}

function width(s: string): number {
  return [...s].length;
}

function formatBlock(lines: readonly string[][], minWidth: number, padding: number): string[] {
  const out = lines.map(() => '');
  const widths: number[] = [];
  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i] ?? [];
      let text = '';
      cells.forEach((cell, j) => {
        text += cell;
        const w = widths[j];
        if (j < cells.length - 1 && w !== undefined) text += ' '.repeat(Math.max(0, w - width(cell)));
      });
      out[i] = text;
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i]?.length ?? 0) - 1) continue;
      writeLines(start, i);
      start = i;
      let w = minWidth;
      for (; i < line1; i++) {
        const cells = lines[i] ?? [];
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column] ?? '') + padding);
      }
      widths.push(w);
      format(start, i);
      widths.pop();
      start = i;
      i--;
    }
    writeLines(start, line1);
  };
  format(0, lines.length);
  return out;
}
