/**
 * Stdin — a command's standard input as the shell holds it: the unread rest of a file, pipe,
 * here-document or here-string, shared by the commands that read it in turn; or the terminal.
 *
 * The simplification (the contract of `CommandContext.stdin`): a command that reads its stdin reads all
 * of what is left, as `cat` would, and one that never looks at it (`echo`) leaves it. Only `read` takes
 * exactly what it needs (bash reads a pipe byte by byte and seeks back in a file), so
 * `while read -r line; do …; done < file` sees one line per turn, `{ read a; read b; } < file` the first
 * two, and a command inside such a loop that reads stdin swallows the rest, as a real one would.
 */
import type { Interrupt } from './command.ts';

export interface ReadRequest {
  /** Stop after this character (consumed, not returned); undefined: only `count` or the end stops. */
  delimiter?: string;
  /** Stop after this many characters. */
  count?: number;
  /** A terminal echoes what is typed (false for `read -s`). */
  echo?: boolean;
  /** A terminal gives up after this many ms of virtual time (`read -t`). */
  timeoutMs?: number;
}

export interface ReadResult {
  text: string;
  /** The input ended before the delimiter or the count was reached. */
  eof: boolean;
  /** A terminal read that `timeoutMs` or Ctrl-C cut short. */
  timedOut?: boolean;
  interrupted?: boolean;
}

export interface Stdin {
  /** The terminal of an interactive session (`read -p` prompts only then). */
  readonly terminal: boolean;
  /** Everything not yet read, which is then read (empty for a terminal: commands here never block on it). */
  readAll(): string;
  /** Take what `request` asks for. */
  read(request: ReadRequest, interrupt: Interrupt): Promise<ReadResult>;
  /** Whether a read would not wait now (`read -t 0`): always for a file or pipe, typed keys for a terminal. */
  ready(): boolean;
}

/** The text of a file, pipe or here-document, with a cursor. */
export class TextStdin implements Stdin {
  readonly terminal = false;
  private pos = 0;

  constructor(private readonly text: string) {}

  readAll(): string {
    const rest = this.text.slice(this.pos);
    this.pos = this.text.length;
    return rest;
  }

  read(request: ReadRequest): Promise<ReadResult> {
    return Promise.resolve(this.readNow(request));
  }

  /** `read` without waiting: text input is all there. */
  readNow(request: ReadRequest): ReadResult {
    const rest = this.text.slice(this.pos);
    let end = rest.length;
    let taken = rest.length;
    if (request.delimiter !== undefined) {
      const at = rest.indexOf(request.delimiter);
      if (at >= 0) {
        end = at;
        taken = at + request.delimiter.length;
      }
    }
    const chars = [...rest.slice(0, end)];
    if (request.count !== undefined && chars.length >= request.count) {
      const text = chars.slice(0, request.count).join('');
      this.pos += text.length;
      return { text, eof: false };
    }
    this.pos += taken;
    return { text: rest.slice(0, end), eof: taken === end && (request.count === undefined || chars.length < request.count) };
  }

  ready(): boolean {
    return true;
  }
}

/** No input at all (`/dev/null`): a background job's stdin, and a headless script's. */
export const EMPTY_STDIN: Stdin = new (class implements Stdin {
  readonly terminal = false;
  readAll(): string {
    return '';
  }
  read(): Promise<ReadResult> {
    return Promise.resolve({ text: '', eof: true });
  }
  ready(): boolean {
    return true;
  }
})();
