/**
 * The CRI log format containerd writes a container's output in (pkg/cri/io/logger.go redirectLogs, read by
 * the kubelet's kuberuntime logs and `crictl logs`): one record per line,
 * `<RFC3339Nano time> <stdout|stderr> <F|P> <text>\n`, the tag `P` marking a piece of a line longer than
 * the 16 KiB line limit and `F` the piece that ends it. A line the process leaves unterminated when its
 * stream closes is written as a full line. Times are Go's RFC3339Nano in UTC: trailing zeros of the
 * fraction dropped.
 *
 * Left out: the log rotation the kubelet does (ReopenContainerLog only reopens the file).
 */
import type { Clock } from '../../base/clock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';

/** containerd's default max_container_log_line_size. */
export const MAX_CONTAINER_LOG_LINE_SIZE = 16 * 1024;

/** Go's time.RFC3339Nano of `ms` in UTC. */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** One record of a CRI log. */
export interface LogRecord {
  /** When it was written, ms. */
  time: number;
  stream: 'stdout' | 'stderr';
  /** Whether the line goes on in the next record (`P`). */
  partial: boolean;
  /** The text, without its newline. */
  text: string;
}

/** Parse a CRI log file's records (kubelet's parseCRILog); malformed lines are skipped. */
export function parseCriLog(content: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of content.split('\n')) {
    const m = /^(\S+) (stdout|stderr) (F|P) (.*)$/.exec(line);
    if (!m) continue;
    const time = Date.parse(m[1]!);
    if (Number.isNaN(time)) continue;
    records.push({ time, stream: m[2] as LogRecord['stream'], partial: m[3] === 'P', text: m[4]! });
  }
  return records;
}

/** Writes a container's two streams into its log file. */
export class CriLogger {
  private readonly pending = { stdout: '', stderr: '' };

  constructor(
    private readonly vfs: Vfs,
    /** The log file (created if missing, appended to). */
    public path: string,
    private readonly clock: Clock,
  ) {}

  /** Create the file if it is not there (openLogFile with O_CREATE|O_APPEND). */
  open(): void {
    const dir = this.path.slice(0, this.path.lastIndexOf('/'));
    if (dir) this.vfs.mkdirAll(dir, 0o755);
    this.vfs.writeFile(this.path, '', { append: true, mode: 0o640 });
  }

  /** What the container wrote on `stream`: its complete lines are logged, the rest waits for more. */
  write(stream: 'stdout' | 'stderr', text: string): void {
    let buffer = this.pending[stream] + text;
    let out = '';
    const time = rfc3339Nano(this.clock.now());
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      out += this.records(time, stream, buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
    while (buffer.length > MAX_CONTAINER_LOG_LINE_SIZE) {
      out += `${time} ${stream} P ${buffer.slice(0, MAX_CONTAINER_LOG_LINE_SIZE)}\n`;
      buffer = buffer.slice(MAX_CONTAINER_LOG_LINE_SIZE);
    }
    this.pending[stream] = buffer;
    if (out) this.append(out);
  }

  /** The streams closed: an unterminated last line is logged as full. */
  close(): void {
    const time = rfc3339Nano(this.clock.now());
    let out = '';
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream]) out += `${time} ${stream} F ${this.pending[stream]}\n`;
      this.pending[stream] = '';
    }
    if (out) this.append(out);
  }

  private records(time: string, stream: string, line: string): string {
    let out = '';
    let rest = line;
    while (rest.length > MAX_CONTAINER_LOG_LINE_SIZE) {
      out += `${time} ${stream} P ${rest.slice(0, MAX_CONTAINER_LOG_LINE_SIZE)}\n`;
      rest = rest.slice(MAX_CONTAINER_LOG_LINE_SIZE);
    }
    return `${out}${time} ${stream} F ${rest}\n`;
  }

  private append(text: string): void {
    try {
      this.vfs.writeFile(this.path, text, { append: true });
    } catch {
      // containerd drops output it cannot write (the file removed under it); the container carries on.
    }
  }
}
