/**
 * Reading a container's CRI log (pkg/kubelet/kuberuntime/logs/logs.go ReadLogs): the records of the file
 * the runtime writes (criLog.ts), turned back into the container's output — stdout and stderr
 * interleaved in the order they were logged, a `P` record's text joined to the next — with the options
 * of a PodLogOptions: the last `tailLines` lines, only records at or after `since`, each line prefixed
 * by its time (`--timestamps`, always nine fraction digits as the kubelet's timeFormatOut has), and at
 * most `limitBytes` bytes in all.
 */
import { parseCriLog, type LogRecord } from '../../runtime/cri/criLog.ts';

/** What ReadLogs takes of a PodLogOptions, with `since` resolved to a time. */
export interface LogOptions {
  tailLines?: number;
  /** Only records logged at or after this time, ms. */
  since?: number;
  timestamps?: boolean;
  limitBytes?: number;
  follow?: boolean;
}

/** The kubelet's timeFormatOut: RFC3339 with nine fraction digits, in UTC. */
export function formatLogTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

/**
 * A running read of one log: `take` returns the output of the records given to it, applying `since`,
 * `timestamps` and the byte limit across calls; `exhausted` is true once the limit is reached.
 */
export class LogWriter {
  private remaining: number;
  /** Whether the last record written was partial: the next one continues its line, without a prefix. */
  private midLine = false;

  constructor(private readonly options: LogOptions) {
    this.remaining = options.limitBytes !== undefined && options.limitBytes > 0 ? options.limitBytes : Infinity;
  }

  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  take(records: readonly LogRecord[]): string {
    let out = '';
    for (const r of records) {
      if (this.exhausted) break;
      if (this.options.since !== undefined && r.time < this.options.since) continue;
      const prefix = this.options.timestamps && !this.midLine ? `${formatLogTime(r.time)} ` : '';
      let text = `${prefix}${r.text}${r.partial ? '' : '\n'}`;
      this.midLine = r.partial;
      if (text.length > this.remaining) text = text.slice(0, this.remaining);
      this.remaining -= text.length;
      out += text;
    }
    return out;
  }
}

/** The complete records of `content` (text up to its last newline) and how many characters they span. */
export function completeRecords(content: string): { records: LogRecord[]; length: number } {
  const end = content.lastIndexOf('\n') + 1;
  return { records: parseCriLog(content.slice(0, end)), length: end };
}

/** The records to start from for `tailLines`: the last n lines of the file (tail.FindTailLineStartIndex). */
export function tail(records: LogRecord[], tailLines: number | undefined): LogRecord[] {
  if (tailLines === undefined || tailLines < 0) return records;
  return tailLines === 0 ? [] : records.slice(-tailLines);
}
