/**
 * renice — util-linux 2.39's renice for processes: `renice [-n] PRIORITY [-p] PID…` sets each process's
 * nice value (setpriority(PRIO_PROCESS), clamped to -20..19) and prints
 * `123 (process ID) old priority 0, new priority 5`. The host's CFS scheduler takes the new weight from
 * then on (sched_prio_to_weight: nice 5 is 335 against nice 0's 1024). Lowering a nice value takes
 * CAP_SYS_NICE (EACCES), and changing another user's process needs the same uid or CAP_SYS_NICE (EPERM).
 * Pids are the caller's pid namespace's. On the laptop there is no process to renice.
 *
 * Left out: -g (process groups), -u (users), --relative, and the per-thread view.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { CAP, nsCapable } from '../../../kernel/process/capability.ts';
import type { Process } from '../../../kernel/process/process.ts';
import { EXIT, type Command } from '../../command.ts';
import { callerOf, type Caller } from './caller.ts';

const USAGE = `
Usage:
 renice [-n|--priority] <priority> [-p|--pid] <pid>...

Alter the priority of running processes.

Options:
 -n, --priority <num>   specify the nice value
 -p, --pid              interpret arguments as process ID (default)

 -h, --help             display this help
 -V, --version          display version

For more details see renice(1).
`;

const NICE_MIN = -20;
const NICE_MAX = 19;

/** setpriority(PRIO_PROCESS, pid, nice) as `caller`: the old nice value, or a KernelError. */
function setNice(caller: Caller, target: Process, nice: number): number {
  const cred = caller.process.cred;
  const userNs = caller.host.table.initNs.user;
  const old = target.nice;
  if (cred.euid !== 0 && cred.euid !== target.cred.uid && cred.euid !== target.cred.euid && !nsCapable(cred, userNs, CAP.CAP_SYS_NICE)) throw new KernelError('EPERM');
  const clamped = Math.max(NICE_MIN, Math.min(NICE_MAX, nice));
  if (clamped < old && !nsCapable(cred, userNs, CAP.CAP_SYS_NICE)) throw new KernelError('EACCES');
  caller.host.scheduler.reweight(() => (target.nice = clamped));
  return old;
}

export const renice: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  if (args[0] === '-h' || args[0] === '--help') {
    ctx.stdout(USAGE);
    return EXIT.ok;
  }
  if (args[0] === '-V' || args[0] === '--version') {
    ctx.stdout('renice from util-linux 2.39.3\n');
    return EXIT.ok;
  }
  let i = 0;
  if (args[0] === '-n' || args[0] === '--priority') i = 1;
  const priority = args[i];
  if (priority === undefined) {
    ctx.stderr('renice: not enough arguments\n' + "Try 'renice --help' for more information.\n");
    return EXIT.failure;
  }
  if (!/^[-+]?\d+$/.test(priority)) {
    ctx.stderr(`renice: invalid priority '${priority}'\nTry 'renice --help' for more information.\n`);
    return EXIT.failure;
  }
  const nice = Number(priority);
  const operands = args.slice(i + 1).filter((a) => a !== '-p' && a !== '--pid');
  if (operands.length === 0) {
    ctx.stderr('renice: not enough arguments\n' + "Try 'renice --help' for more information.\n");
    return EXIT.failure;
  }
  const caller = callerOf(ctx);
  let failed = false;
  for (const text of operands) {
    if (!/^\d+$/.test(text)) {
      ctx.stderr(`renice: unknown option: ${text}\nTry 'renice --help' for more information.\n`);
      return EXIT.failure;
    }
    const target = caller?.host.table.find(Number(text), caller.process.pidNs);
    if (!caller || !target || target.exitState) {
      ctx.stderr(`renice: failed to get priority for ${text} (process ID): No such process\n`);
      failed = true;
      continue;
    }
    try {
      const old = setNice(caller, target, nice);
      ctx.stdout(`${text} (process ID) old priority ${old}, new priority ${target.nice}\n`);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      ctx.stderr(`renice: failed to set priority for ${text} (process ID): ${error.describe}\n`);
      failed = true;
    }
  }
  return failed ? EXIT.failure : EXIT.ok;
};
