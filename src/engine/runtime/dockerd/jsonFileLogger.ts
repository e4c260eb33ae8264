/**
 * JSONFileLogger — docker's default `json-file` log driver (daemon/logger/jsonfilelog): each line a
 * container writes becomes one JSON object `{"log":"…\n","stream":"stdout","time":"…"}` appended to
 * /var/lib/docker/containers/<id>/<id>-json.log (mode 0640), with Go's encoding/json escaping and the
 * time in RFC 3339 with nanoseconds (trailing zeros dropped). The log copier splits the streams into
 * lines; a line without its newline waits for the rest, and is written as it is when the stream ends.
 * Readers get the kept entries (tail, since, until) and, following, each new entry as it is written.
 *
 * Left out: rotation (max-size, max-file), compression, the partial-line metadata of lines over 16 KiB,
 * and log tags and labels.
 */
import { Emitter, type Event } from '../../base/emitter.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { marshal } from '../image/marshal.ts';
import { rfc3339Nano } from '../runc/state.ts';
import type { LogEntry, LogsOptions } from './engineApi.ts';

/** One container's json-file log. */
export class JSONFileLogger {
  private readonly partial = { stdout: '', stderr: '' };
  private readonly _onDidLog = new Emitter<LogEntry>();
  /** Each entry as it is written. */
  readonly onDidLog: Event<LogEntry> = this._onDidLog.event;

  constructor(
    private readonly vfs: Vfs,
    /** The log file. */
    readonly path: string,
    private readonly now: () => number,
  ) {}

  /** Create the (empty) file, as the driver does when the container is created. */
  create(): void {
    this.vfs.writeFile(this.path, '', { mode: 0o640 });
  }

  /** What the container wrote to `stream`. */
  write(stream: 'stdout' | 'stderr', text: string): void {
    let buffered = this.partial[stream] + text;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      this.log({ stream, log: buffered.slice(0, nl + 1), time: this.now() });
      buffered = buffered.slice(nl + 1);
    }
    this.partial[stream] = buffered;
  }

  /** The streams ended: write what is left of unfinished lines. */
  close(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] === '') continue;
      this.log({ stream, log: this.partial[stream], time: this.now() });
      this.partial[stream] = '';
    }
  }

  /** The kept entries, filtered as `docker logs` asks. */
  read(options: LogsOptions = {}): LogEntry[] {
    let entries: LogEntry[] = [];
    let text: string;
    try {
      text = this.vfs.readFile(this.path);
    } catch {
      return [];
    }
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const raw = JSON.parse(line) as { log: string; stream: 'stdout' | 'stderr'; time: string };
      entries.push({ stream: raw.stream, log: raw.log, time: Date.parse(raw.time) });
    }
    entries = entries.filter((e) => matches(e, options));
    if (options.tail !== undefined && options.tail >= 0) entries = options.tail === 0 ? [] : entries.slice(-options.tail);
    return entries;
  }

  private log(entry: LogEntry): void {
    this.vfs.writeFile(this.path, `${marshal({ log: entry.log, stream: entry.stream, time: rfc3339Nano(entry.time) })}\n`, { append: true });
    this._onDidLog.fire(entry);
  }
}

/** Whether an entry passes `docker logs`' stream and time filters. */
export function matches(entry: LogEntry, options: LogsOptions): boolean {
  if (options.stdout === false && entry.stream === 'stdout') return false;
  if (options.stderr === false && entry.stream === 'stderr') return false;
  if (options.since !== undefined && entry.time < options.since) return false;
  if (options.until !== undefined && entry.time >= options.until) return false;
  return true;
}
