/**
 * The three ways mawk stops with status 2, each printed its own way after "awk: ": a compile error
 * (`line N: syntax error at or near X`, with the -f file's name first when there is one), a run time
 * error (`run time error: …` and a second line with FILENAME, FNR and NR), and a fatal condition
 * (`cannot open "f" for output (…)`, `program limit exceeded: …`).
 */

export class AwkSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly file: string | undefined,
    /** mawk's unexpected_char() prints `N: ` without "line" and without the file. */
    readonly bare = false,
  ) {
    super(message);
  }

  /** The text after "awk: ". */
  get text(): string {
    if (this.bare) return `${this.line}: ${this.message}`;
    return `${this.file === undefined ? '' : `${this.file}: `}line ${this.line}: ${this.message}`;
  }
}

export class AwkRuntimeError extends Error {}

export class AwkFatal extends Error {}
