/**
 * stdio — what a process's file descriptors 0, 1 and 2 are connected to: a terminal, a pipe to another
 * process, a container's log (the shim's FIFOs), /dev/null. Programs read and write through these; the
 * thing at the other end decides what the bytes become (a terminal's screen, `kubectl logs`, the next
 * command of a pipeline). A child inherits its parent's stdio, as fork(2) copies the descriptor table.
 *
 * Left out: the rest of the descriptor table (open files, sockets — the network issue adds sockets),
 * dup2 and close of arbitrary descriptors, partial reads and O_NONBLOCK.
 */

/** Where written text goes. */
export interface Sink {
  write(text: string): void;
}

/** Where input comes from: `read` resolves with the next chunk, or undefined at end of file. */
export interface Source {
  read(): Promise<string | undefined>;
  /**
   * Resolves once the writer is done, reading nothing: what a reader that reads to the end will get is
   * then all there. (A process that never reads its stdin leaves the data for the next reader.)
   */
  ended?(): Promise<void>;
  /** Take every chunk there is now, without waiting (reads of a pipe whose writer is done). */
  takeAll?(): string;
  /**
   * Give back what was read but not used, to be read first next: bash reads a pipe a byte at a time, so a
   * `read` takes its line and no more, and a nested shell's `read` leaves the rest to its parent's.
   */
  unread?(text: string): void;
}

/** Descriptors 0, 1 and 2. */
export interface Stdio {
  readonly stdin: Source;
  readonly stdout: Sink;
  readonly stderr: Sink;
  /** The controlling terminal's name when these are a terminal ("pts/0"), for /proc/<pid>/fd and `tty`. */
  readonly tty?: string;
}

const NULL_SINK: Sink = { write: () => undefined };
const EOF_SOURCE: Source = { read: () => Promise.resolve(undefined), ended: () => Promise.resolve(), takeAll: () => '' };

/** /dev/null on all three: reads see end of file, writes vanish (a daemon's stdio). */
export const NULL_STDIO: Stdio = { stdin: EOF_SOURCE, stdout: NULL_SINK, stderr: NULL_SINK };

/**
 * A pipe: what is written to `sink` is read from `source`, in order; `close()` (the writer's last
 * descriptor going away) makes reads past the written data see end of file.
 */
export class Pipe {
  private readonly chunks: string[] = [];
  private readonly waiting: Array<(chunk: string | undefined) => void> = [];
  private readonly enders: Array<() => void> = [];
  private closed = false;

  readonly sink: Sink = {
    write: (text) => {
      if (this.closed || text === '') return;
      const reader = this.waiting.shift();
      if (reader) reader(text);
      else this.chunks.push(text);
    },
  };

  readonly source: Source = {
    read: () => {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) return Promise.resolve(chunk);
      if (this.closed) return Promise.resolve(undefined);
      return new Promise((resolve) => this.waiting.push(resolve));
    },
    ended: () => (this.closed ? Promise.resolve() : new Promise<void>((resolve) => this.enders.push(resolve))),
    takeAll: () => this.chunks.splice(0).join(''),
    unread: (text) => {
      if (text === '') return;
      const reader = this.waiting.shift();
      if (reader) reader(text);
      else this.chunks.unshift(text);
    },
  };

  /** The write end is closed: pending and later reads past the data get end of file. */
  close(): void {
    this.closed = true;
    for (const reader of this.waiting.splice(0)) reader(undefined);
    for (const ended of this.enders.splice(0)) ended();
  }
}
