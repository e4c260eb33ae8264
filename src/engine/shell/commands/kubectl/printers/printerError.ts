/**
 * PrinterError — an error a printer reports as kubectl reports it: `message` is the text kubectl
 * prints after `error: ` (cmdutil.CheckErr adds the prefix and, if missing, the final newline).
 */
export class PrinterError extends Error {
  override readonly name = 'PrinterError';

  /** What kubectl had already written to stdout when it failed (custom-columns prints row by row). */
  readonly output: string;

  constructor(message: string, output = '') {
    super(message);
    this.output = output;
  }

  /** What kubectl writes to stderr: `error: <message>`, ending in a newline. */
  get stderr(): string {
    const text = `error: ${this.message}`;
    return text.endsWith('\n') ? text : `${text}\n`;
  }
}
