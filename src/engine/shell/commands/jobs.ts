/**
 * jobs, wait, kill, fg, bg and disown — bash's job-control builtins over the shell's job table
 * (jobs.ts): `jobs [-lprs] [%job…]` (`[1]+  Running                 sleep 10 &`), `wait [-n] [%job|pid…]`
 * with the job's status (127 for an unknown one), `kill [-s SIG|-n N|-SIG] %job|pid…` and `kill -l`,
 * `disown`. Job specs are bash's: `%1`, `%+`, `%%`, `%-`, `%name`, `%?text`.
 *
 * Reduced, since a job here never stops: `fg` prints the job and waits for it in the foreground (Ctrl-C
 * interrupts it), `bg` finds every job already running, and SIGSTOP/SIGTSTP/SIGTTIN/SIGTTOU are refused.
 * A pid that is no job is, on an emulated host, any process, sent a real signal by kill(2); on the laptop
 * it is the shell itself (`kill $$`) or no process at all.
 */
import { KernelError } from '../../kernel/errno.ts';
import { EXIT, type Command, type CommandContext } from '../command.ts';
import type { Job } from '../jobs.ts';
import { SIGCHLD, SIGCONT, SIGINT, SIGSTOP, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, signalName, signalNumber, signalTable } from '../signals.ts';

const JOBS_USAGE = 'jobs: usage: jobs [-lnprs] [jobspec ...] or jobs -x command [args]\n';
const KILL_USAGE = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n';
const WAIT_USAGE = 'wait: usage: wait [-fn] [-p var] [id ...]\n';

export const jobs: Command = (ctx) => {
  const table = ctx.shell.jobs;
  let flags = '';
  let i = 1;
  for (; i < ctx.argv.length && /^-./.test(ctx.argv[i]!); i++) {
    const arg = ctx.argv[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    const bad = [...arg.slice(1)].find((f) => !'lnprs'.includes(f));
    if (bad !== undefined) {
      ctx.stderr(`${ctx.shell.errorPrefix}jobs: -${bad}: invalid option\n${JOBS_USAGE}`);
      return EXIT.usage;
    }
    flags += arg.slice(1);
  }
  let status: number = EXIT.ok;
  let shown: Job[] = [];
  if (i < ctx.argv.length) {
    for (const spec of ctx.argv.slice(i)) {
      const job = table.find(spec);
      if (typeof job === 'string') {
        ctx.stderr(`${ctx.shell.errorPrefix}jobs: ${job}\n`);
        status = EXIT.failure;
      } else shown.push(job);
    }
  } else shown = table.list();
  if (flags.includes('r')) shown = shown.filter((j) => !j.done);
  if (flags.includes('s')) shown = [];
  if (flags.includes('n')) shown = shown.filter((j) => j.done);
  let out = '';
  for (const job of shown) out += flags.includes('p') ? `${job.pid}\n` : table.format(job, flags.includes('l'));
  ctx.stdout(out);
  // A job reported as ended here is not reported again.
  for (const job of shown) if (job.done) table.remove(job);
  return status;
};

export const wait: Command = async (ctx) => {
  const table = ctx.shell.jobs;
  let args = ctx.argv.slice(1);
  let next = false;
  while (args[0] !== undefined && /^-./.test(args[0])) {
    const arg = args[0];
    args = args.slice(1);
    if (arg === '--') break;
    for (const flag of arg.slice(1)) {
      if (flag === 'n') next = true;
      else if (flag !== 'f') {
        ctx.stderr(`${ctx.shell.errorPrefix}wait: -${flag}: invalid option\n${WAIT_USAGE}`);
        return EXIT.usage;
      }
    }
  }
  // The jobs waited for are forgotten, but for those a notice reports (reapJobs, below).
  const forget = (job: Job) => {
    if (!ctx.shell.interactive && job.signal === undefined) table.remove(job);
  };
  /** Wait for the jobs (with `any`, for the first to end). */
  const waitFor = async (list: Job[], any: boolean): Promise<number | undefined> => {
    const running = list.filter((j) => !j.done);
    if (running.length === 0 || (any && running.length < list.length)) {
      const done = list.find((j) => j.done);
      if (done) forget(done);
      return done?.status ?? 0;
    }
    let stop!: () => void;
    const interrupted = new Promise<undefined>((resolve) => (stop = () => resolve(undefined)));
    const sub = ctx.interrupt.onDidFire(() => stop());
    if (ctx.interrupt.fired) stop();
    const ended = any ? Promise.race(running.map((j) => j.finished.then(() => [j]))) : Promise.all(running.map((j) => j.finished)).then(() => running);
    try {
      const jobs = await Promise.race([ended, interrupted]);
      if (!jobs) return undefined;
      for (const job of jobs) forget(job);
      return jobs[jobs.length - 1]!.status;
    } finally {
      sub.dispose();
    }
  };
  let status: number = EXIT.ok;
  if (args.length === 0) {
    const all = table.list();
    if (next && all.length === 0) return EXIT.notFound;
    const result = await waitFor(all, next);
    if (result === undefined) return EXIT.interrupted;
    status = next ? result : EXIT.ok;
  }
  for (const arg of args) {
    let job: Job | undefined;
    if (arg.startsWith('%')) {
      const found = table.find(arg);
      if (typeof found === 'string') {
        ctx.stderr(`${ctx.shell.errorPrefix}wait: ${found}\n`);
        status = EXIT.notFound;
        continue;
      }
      job = found;
    } else if (/^\d+$/.test(arg)) {
      job = table.byPid(Number(arg));
      if (!job) {
        const reaped = table.reapedStatus(Number(arg));
        if (reaped === undefined) {
          ctx.stderr(`${ctx.shell.errorPrefix}wait: pid ${arg} is not a child of this shell\n`);
          status = EXIT.notFound;
        } else status = reaped;
        continue;
      }
    } else {
      ctx.stderr(`${ctx.shell.errorPrefix}wait: \`${arg}': not a pid or valid job spec\n`);
      status = EXIT.failure;
      continue;
    }
    const result = await waitFor([job], false);
    if (result === undefined) return EXIT.interrupted;
    status = result;
  }
  ctx.shell.reapJobs();
  if (args.length === 0 && !next) table.forgetReaped();
  return status;
};

export const kill: Command = (ctx) => {
  const prefix = `${ctx.shell.errorPrefix}kill: `;
  const args = ctx.argv.slice(1);
  if (args[0] === '-l' || args[0] === '-L') return listSignals(ctx, args.slice(1));
  let signal = SIGTERM;
  let i = 0;
  const spec = (text: string): boolean => {
    const n = signalNumber(text);
    if (n === undefined) {
      ctx.stderr(`${prefix}${text}: invalid signal specification\n`);
      return false;
    }
    signal = n;
    return true;
  };
  if (args[0] === '-s' || args[0] === '-n') {
    if (args[1] === undefined) {
      ctx.stderr(`${prefix}${args[0]}: option requires an argument\n`);
      return EXIT.failure;
    }
    if (!spec(args[1])) return EXIT.failure;
    i = 2;
  } else if (args[0] !== undefined && /^-./.test(args[0]) && args[0] !== '--') {
    if (!spec(args[0].slice(1))) return EXIT.failure;
    i = 1;
  }
  if (args[i] === '--') i++;
  if (i >= args.length) {
    ctx.stderr(KILL_USAGE);
    return EXIT.usage;
  }
  let status: number = EXIT.ok;
  for (const target of args.slice(i)) {
    let job: Job | undefined;
    if (target.startsWith('%')) {
      const found = ctx.shell.jobs.find(target);
      if (typeof found === 'string') {
        ctx.stderr(`${prefix}${found}\n`);
        status = EXIT.failure;
        continue;
      }
      job = found;
    } else if (/^-?\d+$/.test(target)) {
      const pid = Number(target);
      job = ctx.shell.jobs.byPid(pid);
      if (!job && ctx.process) {
        if (!signalProcess(ctx, pid, signal)) status = EXIT.failure;
        continue;
      }
      if (!job) {
        if (pid === ctx.shell.pid) signalShell(ctx, signal);
        else {
          ctx.stderr(`${prefix}(${target}) - No such process\n`);
          status = EXIT.failure;
        }
        continue;
      }
    } else {
      ctx.stderr(`${prefix}${target}: arguments must be process or job IDs\n`);
      status = EXIT.failure;
      continue;
    }
    if (job.done || signal === 0 || [SIGCHLD, SIGCONT, SIGURG, SIGWINCH].includes(signal)) continue;
    if ([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU].includes(signal)) {
      ctx.stderr(`${prefix}SIG${signalName(signal)}: stopping a job is not supported by this shell\n`);
      status = EXIT.failure;
      continue;
    }
    ctx.shell.jobs.kill(job, signal);
  }
  return status;
};

/** kill(2) from the shell's process on a host, worded as bash words its failure: `(99999) - No such process`. */
function signalProcess(ctx: CommandContext, pid: number, signal: number): boolean {
  const { host, process } = ctx.process!;
  try {
    host.table.kill(process, pid, signal);
    return true;
  } catch (error) {
    if (!(error instanceof KernelError)) throw error;
    ctx.stderr(`${ctx.shell.errorPrefix}kill: (${pid}) - ${error.describe}\n`);
    return false;
  }
}

/** A signal to the shell's own pid: an interactive bash ignores TERM, INT and QUIT; anything else ends it. */
function signalShell(ctx: CommandContext, signal: number): void {
  if (signal === 0 || [SIGCHLD, SIGCONT, SIGURG, SIGWINCH].includes(signal)) return;
  if (ctx.shell.interactive && (signal === SIGTERM || signal === SIGINT || signal === 3)) return;
  ctx.shell.exit(128 + signal);
}

/** `kill -l`: the table, or each operand translated (a number to its name, 128+N too; a name to its number). */
function listSignals(ctx: CommandContext, operands: string[]): number {
  if (operands.length === 0) {
    ctx.stdout(signalTable());
    return EXIT.ok;
  }
  let out = '';
  let status: number = EXIT.ok;
  for (const op of operands) {
    if (/^\d+$/.test(op)) {
      let n = Number(op);
      if (n > 128) n -= 128;
      const name = n === 0 ? 'EXIT' : signalName(n);
      if (name === undefined) {
        ctx.stderr(`${ctx.shell.errorPrefix}kill: ${op}: invalid signal specification\n`);
        status = EXIT.failure;
      } else out += `${name}\n`;
      continue;
    }
    const n = signalNumber(op);
    if (n === undefined) {
      ctx.stderr(`${ctx.shell.errorPrefix}kill: ${op}: invalid signal specification\n`);
      status = EXIT.failure;
    } else out += `${n}\n`;
  }
  ctx.stdout(out);
  return status;
}

/** The job a `fg`/`bg`/`disown` operand names (the current job by default), or undefined after bash's message. */
function jobOperand(ctx: CommandContext, name: string, spec: string | undefined): Job | undefined {
  const found = ctx.shell.jobs.find(spec ?? '%+');
  if (typeof found !== 'string') return found;
  ctx.stderr(`${ctx.shell.errorPrefix}${name}: ${spec === undefined ? 'current: no such job' : found}\n`);
  return undefined;
}

export const fg: Command = async (ctx) => {
  if (!ctx.shell.interactive) {
    ctx.stderr(`${ctx.shell.errorPrefix}fg: no job control\n`);
    return EXIT.failure;
  }
  const job = jobOperand(ctx, 'fg', ctx.argv[1]);
  if (!job) return EXIT.failure;
  if (job.done) {
    ctx.stderr(`${ctx.shell.errorPrefix}fg: job has terminated\n`);
    ctx.shell.jobs.remove(job);
    return EXIT.failure;
  }
  ctx.stdout(`${job.command}\n`);
  const sub = ctx.interrupt.onDidFire(() => ctx.shell.jobs.kill(job, SIGINT));
  if (ctx.interrupt.fired) ctx.shell.jobs.kill(job, SIGINT);
  try {
    return await job.finished;
  } finally {
    sub.dispose();
    ctx.shell.jobs.remove(job);
  }
};

export const bg: Command = (ctx) => {
  if (!ctx.shell.interactive) {
    ctx.stderr(`${ctx.shell.errorPrefix}bg: no job control\n`);
    return EXIT.failure;
  }
  const specs = ctx.argv.length > 1 ? ctx.argv.slice(1) : [undefined];
  let status: number = EXIT.ok;
  for (const spec of specs) {
    const job = jobOperand(ctx, 'bg', spec);
    if (!job) status = EXIT.failure;
    else if (job.done) {
      ctx.stderr(`${ctx.shell.errorPrefix}bg: job has terminated\n`);
      status = EXIT.failure;
    } else ctx.stderr(`${ctx.shell.errorPrefix}bg: job ${job.number} already in background\n`);
  }
  return status;
};

export const disown: Command = (ctx) => {
  const args = ctx.argv.slice(1).filter((a) => !/^-[ahr]+$/.test(a));
  const all = ctx.argv.slice(1).some((a) => /^-[hr]*a/.test(a));
  if (all) {
    for (const job of ctx.shell.jobs.list()) ctx.shell.jobs.disown(job);
    return EXIT.ok;
  }
  let status: number = EXIT.ok;
  for (const spec of args.length > 0 ? args : [undefined]) {
    const job = jobOperand(ctx, 'disown', spec);
    if (!job) status = EXIT.failure;
    else ctx.shell.jobs.disown(job);
  }
  return status;
};
