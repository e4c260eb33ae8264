/**
 * PipeStdin — the read end of a kernel Pipe as the shell's Stdin: what a pipeline stage on a host reads.
 * `read` (the builtin) waits for a whole line, or `count` characters, or the end of the pipe, and gives what
 * it read past them back to the pipe (bash reads a pipe a byte at a time); `source` hands the pipe on to a
 * process the stage runs (cat, head, a nested shell), so what `read` took is gone for it and what it did
 * not take is there, as with a real descriptor. `readAll` never waits: it takes what has arrived and not
 * been read.
 */
import type { Disposable } from '../../base/emitter.ts';
import type { Interrupt } from '../command.ts';
import type { Source } from '../../kernel/process/stdio.ts';
import { TextStdin, type ReadRequest, type ReadResult, type Stdin } from '../stdin.ts';

export class PipeStdin implements Stdin {
  readonly terminal = false;
  private buffer = '';
  private eof = false;
  /** A read of the pipe under way: kept, so a `read` cut short by Ctrl-C loses no data. */
  private pending: Promise<void> | undefined;

  constructor(private readonly pipe: Source) {}

  /** What has arrived and not been read. */
  readAll(): string {
    const text = this.buffer;
    this.buffer = '';
    return text;
  }

  async read(request: ReadRequest, interrupt: Interrupt): Promise<ReadResult> {
    for (;;) {
      if (this.eof || this.satisfies(request)) {
        const text = new TextStdin(this.buffer);
        const result = text.readNow(request);
        this.buffer = text.readAll();
        if (this.pipe.unread && this.buffer !== '') {
          // The pipe reads as far as the end of file again after what is given back.
          this.pipe.unread(this.readAll());
          this.eof = false;
        }
        return result;
      }
      if (interrupt.fired) return { text: '', eof: false, interrupted: true };
      let subscription: Disposable | undefined;
      const stop = new Promise<void>((resolve) => (subscription = interrupt.onDidFire(resolve)));
      await Promise.race([this.fill(), stop]);
      subscription?.dispose();
    }
  }

  ready(): boolean {
    return this.buffer !== '' || this.eof;
  }

  /** The rest of the pipe, for a process's stdin. */
  readonly source: Source = {
    read: async () => {
      if (this.buffer === '' && !this.eof) await this.fill();
      if (this.buffer !== '') return this.readAll();
      return undefined;
    },
    ended: async () => {
      if (this.pipe.ended) await this.pipe.ended();
      else while (!this.eof) await this.fill();
    },
    takeAll: () => this.readAll() + (this.pipe.takeAll?.() ?? ''),
    unread: (text) => {
      if (this.pipe.unread) this.pipe.unread(text);
      else this.buffer = text + this.buffer;
    },
  };

  private satisfies(request: ReadRequest): boolean {
    if (request.delimiter !== undefined && this.buffer.includes(request.delimiter)) return true;
    return request.count !== undefined && [...this.buffer].length >= request.count;
  }

  /** Take the next chunk of the pipe into the buffer. */
  private fill(): Promise<void> {
    this.pending ??= this.pipe.read().then((chunk) => {
      this.pending = undefined;
      if (chunk === undefined) this.eof = true;
      else this.buffer += chunk;
    });
    return this.pending;
  }
}
