/**
 * kubectl describe's PrefixWriter (pkg/describe: prefixWriter, nestedPrefixWriter) over the tabwriter:
 * `write(level, text)` indents by two spaces per level, `writeLine(...parts)` is fmt.Sprintln (parts
 * joined by spaces, then a newline), `flush()` ends the current alignment block.
 *
 * Left out: printers.WriteEscaped's escaping of terminal control characters.
 */
import { TabWriter } from '../printers/tabwriter.ts';

/** describe's `tabwriter.Writer.Init(buf, 0, 8, 2, ' ', 0)`. */
export const DESCRIBE_TABWRITER = { minWidth: 0, padding: 2 } as const;

export const LEVEL_0 = 0;
export const LEVEL_1 = 1;
export const LEVEL_2 = 2;
export const LEVEL_3 = 3;
export const LEVEL_4 = 4;

export interface PrefixWriter {
  write(level: number, text: string): void;
  writeLine(...parts: string[]): void;
  flush(): void;
}

class Writer implements PrefixWriter {
  constructor(private readonly out: TabWriter) {}
  write(level: number, text: string): void {
    this.out.write('  '.repeat(level) + text);
  }
  writeLine(...parts: string[]): void {
    this.out.write(parts.join(' ') + '\n');
  }
  flush(): void {
    this.out.flush();
  }
}

/** NewNestedPrefixWriter: every write is `indent` levels deeper. */
export function nestedPrefixWriter(w: PrefixWriter, indent: number): PrefixWriter {
  return {
    write: (level, text) => w.write(level + indent, text),
    writeLine: (...parts) => w.write(indent, parts.join(' ') + '\n'),
    flush: () => w.flush(),
  };
}

/** tabbedString: runs `f` against a PrefixWriter and returns the aligned text. */
export function tabbedString(f: (w: PrefixWriter) => void): string {
  const tw = new TabWriter(DESCRIBE_TABWRITER);
  f(new Writer(tw));
  return tw.take();
}
