/**
 * klog — the log lines of every Kubernetes component (k8s.io/klog/v2 with its text format), in one
 * home: the header `Lmmdd hh:mm:ss.uuuuuu threadid file:line] `, then either a printf-style message as
 * it is (`Infof`) or a structured one (`InfoS`/`ErrorS`): the message quoted as Go's strconv.Quote does,
 * then ` key=value` pairs — strings, errors and Stringers quoted, numbers and booleans bare, slices and
 * maps as JSON (`IPs=["172.18.0.3"]`), a string holding a newline in klog's multi-line form
 * (`key=<` / tab-indented lines / ` >`). ErrorS puts `err=` first. Verbosity gates `V(n)` lines as
 * `--v` does. Times are UTC, from the caller's virtual clock.
 *
 * Left out: the JSON logging format, `--vmodule`, log files and their headers, stack traces of Fatal.
 */

export type KlogSeverity = 'I' | 'W' | 'E' | 'F';

/** A value of a key/value pair: strings quote, numbers and booleans print bare, arrays and objects as JSON. */
export type KlogValue = string | number | boolean | null | readonly unknown[] | { readonly [key: string]: unknown };

/** Key/value pairs in the order they print. */
export type KlogPairs = Readonly<Record<string, KlogValue>>;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The header: `I0101 00:00:00.000000       1 server.go:698] `. Virtual time has ms resolution: the µs end in 000. */
export function klogHeader(severity: KlogSeverity, timeMs: number, threadId: number, source: string): string {
  const d = new Date(timeMs);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
  return `${severity}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${time} ${String(threadId).padStart(7)} ${source}] `;
}

/** Go's strconv.Quote for the strings klog prints. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** One ` key=value` as klog's text format writes it. */
export function klogPair(key: string, value: KlogValue): string {
  if (typeof value === 'string') {
    if (!value.includes('\n')) return ` ${key}=${goQuote(value)}`;
    const lines = value.replace(/\n$/, '').split('\n');
    return ` ${key}=<\n${lines.map((l) => `\t${l}\n`).join('')} >`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return ` ${key}=${String(value)}`;
  if (value === null) return ` ${key}=null`;
  return ` ${key}=${JSON.stringify(value)}`;
}

/** A structured message: the quoted message and its pairs. */
export function klogStructured(msg: string, pairs: KlogPairs = {}): string {
  return goQuote(msg) + Object.entries(pairs).map(([k, v]) => klogPair(k, v)).join('');
}

export interface KlogOptions {
  /** Where each finished line (newline included) goes: a process's stderr. */
  write: (line: string) => void;
  /** Virtual time in ms since the epoch. */
  now: () => number;
  /** The thread id the header shows (a containerized Go program's is its pid, 1). */
  threadId: number;
  /** `--v`: V(n) lines print when n ≤ verbosity. */
  verbosity?: number;
}

/** A component's logger: `logger.infoS('server.go:698', 'Successfully retrieved node IP(s)', { IPs: [...] })`. */
export class Klog {
  readonly verbosity: number;

  constructor(private readonly options: KlogOptions) {
    this.verbosity = options.verbosity ?? 0;
  }

  /** Whether V(level) lines print. */
  enabled(level: number): boolean {
    return level <= this.verbosity;
  }

  /** klog.Infof: the text as it is. */
  infof(source: string, text: string): void {
    this.line('I', source, text);
  }

  /** klog.InfoS. */
  infoS(source: string, msg: string, pairs?: KlogPairs): void {
    this.line('I', source, klogStructured(msg, pairs));
  }

  /** klog.V(level).InfoS: printed only at that verbosity. */
  vInfoS(level: number, source: string, msg: string, pairs?: KlogPairs): void {
    if (this.enabled(level)) this.infoS(source, msg, pairs);
  }

  /** klog.Warningf. */
  warningf(source: string, text: string): void {
    this.line('W', source, text);
  }

  /** klog.ErrorS(err, msg, kv…): `err=` first (none when err is undefined, as ErrorS(nil, …)). */
  errorS(source: string, err: string | undefined, msg: string, pairs: KlogPairs = {}): void {
    this.line('E', source, klogStructured(msg, err === undefined ? pairs : { err, ...pairs }));
  }

  private line(severity: KlogSeverity, source: string, text: string): void {
    this.options.write(`${klogHeader(severity, this.options.now(), this.options.threadId, source)}${text}\n`);
  }
}
