/**
 * kill — procps-ng 4's /usr/bin/kill (not bash's builtin): `kill [-SIG|-s SIG|--signal SIG] PID…` sends
 * kill(2) from the caller to each pid (negative: a process group; after `--`), `-l [SIG]` lists or
 * translates names, `-L` prints the table. Messages start with argv[0], as procps prints its invocation
 * name (`/usr/bin/kill: (99999): No such process`). On the laptop no process exists to signal.
 * Left out: -q/--queue (sigqueue), --verbose, --timeout.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { parseSignal } from '../../../kernel/process/signal.ts';
import { EXIT, type Command } from '../../command.ts';
import { callerOf } from './caller.ts';
import { KILL_USAGE } from './usage.ts';

/** procps' names of signals 1–31 (29 is POLL). */
const NAMES = [
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT',
  'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'POLL', 'PWR', 'SYS',
];

/** A signal from a name or number, -1 when it names none (kill(2) then refuses it with EINVAL, as procps lets it). */
function signalOf(text: string): number {
  if (text.toUpperCase().replace(/^SIG/, '') === 'POLL') return 29;
  return parseSignal(text) ?? -1;
}

export const kill: Command = (ctx) => {
  const tool = ctx.argv[0] ?? 'kill';
  const args = ctx.argv.slice(1);
  const usage = (): number => {
    ctx.stderr(KILL_USAGE);
    return EXIT.failure;
  };
  const first = args[0];
  if (first === undefined) return usage();
  if (first === '-h' || first === '--help') {
    ctx.stdout(KILL_USAGE);
    return EXIT.ok;
  }
  if (first === '-V' || first === '--version') {
    ctx.stdout('kill from procps-ng 4.0.4\n');
    return EXIT.ok;
  }
  if (first === '-L' || first === '--table') {
    ctx.stdout(NAMES.map((name, i) => `${String(i + 1).padStart(2)} ${name.padEnd(8)}${(i + 1) % 7 === 0 || i === NAMES.length - 1 ? '\n' : ''}`).join(''));
    return EXIT.ok;
  }
  if (first === '-l' || first === '--list' || first.startsWith('--list=')) {
    const operand = first.startsWith('--list=') ? first.slice(7) : args[1];
    if (operand === undefined) {
      ctx.stdout(`${NAMES.slice(0, 16).join(' ')}\n${NAMES.slice(16).join(' ')}\n`);
      return EXIT.ok;
    }
    if (/^\d+$/.test(operand)) {
      const n = Number(operand) & 0x7f;
      if (n >= 1 && n <= NAMES.length) ctx.stdout(`${NAMES[n - 1]}\n`);
      else ctx.stderr(`${tool}: unknown signal name ${operand}\n`);
      return EXIT.ok;
    }
    const n = signalOf(operand);
    if (n < 0) ctx.stderr(`${tool}: unknown signal name ${operand}\n`);
    else ctx.stdout(`${n}\n`);
    return EXIT.ok;
  }
  let signal = 15;
  let i = 0;
  if (first === '-s' || first === '--signal') {
    if (args[1] === undefined) return usage();
    signal = signalOf(args[1]);
    i = 2;
  } else if (/^-\d+$/.test(first)) {
    signal = Number(first.slice(1));
    i = 1;
  } else if (first.startsWith('-') && first !== '--') {
    signal = signalOf(first.slice(1));
    if (signal < 0) {
      ctx.stderr(`${tool}: invalid argument ${first[1]}\n`);
      return usage();
    }
    i = 1;
  }
  if (args[i] === '--') i++;
  const pids = args.slice(i);
  if (pids.length === 0) return usage();
  const caller = callerOf(ctx);
  let status: number = EXIT.ok;
  for (const text of pids) {
    if (!/^-?\d+$/.test(text)) {
      ctx.stderr(`${tool}: failed to parse argument: '${text}'\n`);
      status = EXIT.failure;
      continue;
    }
    try {
      if (!caller) throw new KernelError('ESRCH');
      caller.host.table.kill(caller.process, Number(text), signal);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      ctx.stderr(`${tool}: (${text}): ${error.describe}\n`);
      status = EXIT.failure;
    }
  }
  return status;
};
