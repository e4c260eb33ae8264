/**
 * Jobs — a shell's background jobs, as bash's jobs.c keeps them: numbered from 1 (one more than the
 * highest in use), the current (`+`) and previous (`-`) job chosen as bash's set_current_job and
 * reset_current choose them, exit statuses and terminating signals, job specs (`%1`, `%+`, `%%`, `%-`,
 * `%name`, `%?text`, or a pid), the lines `jobs` prints and the statuses of reaped jobs that `wait PID`
 * still reports (bash's bgpids).
 *
 * A job runs on the virtual clock as an ordinary async task with its own Interrupt. A signal ends it at
 * once: its status is 128+signal from that moment and whatever it still writes is dropped. Left out:
 * stopping a job (SIGSTOP, Ctrl-Z): there is no process to freeze, so a job is Running or done.
 */
import { Interrupt } from './command.ts';
import { signalDescription } from './signals.ts';

export interface Job {
  readonly number: number;
  readonly pid: number;
  /** The command as bash prints it (print_cmd.c). */
  readonly command: string;
  /** Whether it has ended (by itself or by a signal). */
  readonly done: boolean;
  /** Its exit status once done (128+signal when a signal ended it). */
  readonly status: number;
  /** The signal that ended it, if one did. */
  readonly signal: number | undefined;
  /** Resolves with the status when the job ends. */
  readonly finished: Promise<number>;
  /** Fired when a signal ends the job: its work stops at the next point it checks. */
  readonly interrupt: Interrupt;
}

class JobEntry implements Job {
  done = false;
  status = 0;
  signal: number | undefined;
  readonly interrupt = new Interrupt();
  readonly finished: Promise<number>;
  private resolve!: (status: number) => void;

  constructor(
    readonly number: number,
    readonly pid: number,
    readonly command: string,
  ) {
    this.finished = new Promise((resolve) => (this.resolve = resolve));
  }

  end(status: number, signal?: number): void {
    if (this.done) return;
    this.done = true;
    this.status = status;
    this.signal = signal;
    this.resolve(status);
  }
}

export class JobTable {
  private readonly jobs = new Map<number, JobEntry>();
  /** Jobs a subshell sees because its parent started them (bash's copied job list): listed, never reported. */
  private readonly inherited = new Set<Job>();
  private current: number | undefined;
  private previous: number | undefined;
  /** bash's bgpids: statuses of reaped jobs, by pid, for `wait PID`. */
  private readonly reaped = new Map<number, number>();
  /** `$!`: the pid of the last job started. */
  lastPid: number | undefined;

  /**
   * Start `run` as job; it receives the job's Interrupt and a `live` check (false once a signal ended
   * the job, when its output must be dropped).
   */
  start(pid: number, command: string, run: (job: Job, live: () => boolean) => Promise<number>): Job {
    let number = 1;
    for (const n of this.jobs.keys()) number = Math.max(number, n + 1);
    const job = new JobEntry(number, pid, command);
    this.jobs.set(number, job);
    this.lastPid = pid;
    this.setCurrent(number);
    run(job, () => !job.done).then(
      (status) => job.end(status),
      () => job.end(1),
    );
    return job;
  }

  /** A subshell's table: the parent's jobs, to list and signal (`kill $(jobs -p)`), plus its own. */
  fork(): JobTable {
    const child = new JobTable();
    for (const [n, job] of this.jobs) {
      child.jobs.set(n, job);
      child.inherited.add(job);
    }
    child.current = this.current;
    child.previous = this.previous;
    child.lastPid = this.lastPid;
    return child;
  }

  /** Whether this shell started the job (a subshell does not report its parent's jobs). */
  owns(job: Job): boolean {
    return !this.inherited.has(job);
  }

  /** Jobs by number, ascending. */
  list(): Job[] {
    return [...this.jobs.values()].sort((a, b) => a.number - b.number);
  }

  get size(): number {
    return this.jobs.size;
  }

  /** `+`, `-` or a space: the job's mark in `jobs`. */
  mark(job: Job): string {
    return job.number === this.current ? '+' : job.number === this.previous ? '-' : ' ';
  }

  /** A job by spec (`%1`, `%+`, `%%`, `%-`, `%sleep`, `%?text`); a string is bash's complaint. */
  find(spec: string): Job | string {
    const body = spec.startsWith('%') ? spec.slice(1) : spec;
    let job: JobEntry | undefined;
    if (body === '' || body === '%' || body === '+') job = this.current === undefined ? undefined : this.jobs.get(this.current);
    else if (body === '-') job = this.previous === undefined ? undefined : this.jobs.get(this.previous);
    else if (/^\d+$/.test(body)) job = this.jobs.get(Number(body));
    else {
      const contains = body.startsWith('?');
      const text = contains ? body.slice(1) : body;
      const matches = this.list().filter((j) => (contains ? j.command.includes(text) : j.command.startsWith(text)));
      if (matches.length > 1) return `${text}: ambiguous job spec`;
      job = matches[0] as JobEntry | undefined;
    }
    return job ?? `${spec}: no such job`;
  }

  /** The job whose process is `pid`. */
  byPid(pid: number): Job | undefined {
    return this.list().find((j) => j.pid === pid);
  }

  /** Send a signal: the job ends now with 128+signal. */
  kill(job: Job, signal: number): void {
    const entry = this.jobs.get(job.number);
    if (!entry || entry.done) return;
    entry.end(128 + signal, signal);
    entry.interrupt.fire();
  }

  /** Forget a job (it was reported or waited for), keeping its status for `wait PID`. */
  remove(job: Job): void {
    if (this.jobs.get(job.number) !== job) return;
    this.jobs.delete(job.number);
    if (job.done) this.reaped.set(job.pid, job.status);
    if (job.number === this.current || job.number === this.previous) this.resetCurrent();
  }

  /** Forget a job without a trace (`disown`). */
  disown(job: Job): void {
    this.remove(job);
    this.reaped.delete(job.pid);
  }

  /** The status `wait PID` reports for a job already reaped, if any. */
  reapedStatus(pid: number): number | undefined {
    return this.reaped.get(pid);
  }

  /** `wait` with no operands forgets every reaped status, as bash does. */
  forgetReaped(): void {
    this.reaped.clear();
  }

  /** A job's state as `jobs` words it: Running, Done, Exit N, or the signal's description. */
  stateText(job: Job): string {
    if (!job.done) return 'Running';
    if (job.signal !== undefined) return signalDescription(job.signal);
    return job.status === 0 ? 'Done' : `Exit ${job.status}`;
  }

  /** A line of `jobs` (with `-l`, the pid), as bash's pretty_print_job prints it; running jobs end in `&`. */
  format(job: Job, long = false): string {
    const state = this.stateText(job).padEnd(24);
    const head = long ? `[${job.number}]${this.mark(job)} ${job.pid} ` : `[${job.number}]${this.mark(job)}  `;
    return `${head}${state}${job.command}${job.done ? '' : ' &'}\n`;
  }

  /** bash's set_current_job: `job` becomes current, the newest running job older than it previous. */
  private setCurrent(number: number): void {
    this.current = number;
    const older = this.list().filter((j) => !j.done && j.number < number);
    const prev = older[older.length - 1];
    this.previous = prev ? prev.number : number;
  }

  /** bash's reset_current: the newest running job becomes current. */
  private resetCurrent(): void {
    const running = this.list().filter((j) => !j.done);
    const newest = running[running.length - 1];
    if (newest) this.setCurrent(newest.number);
    else this.current = this.previous = undefined;
  }
}
