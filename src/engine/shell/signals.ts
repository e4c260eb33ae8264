/**
 * Signals as bash speaks of them (`kill -l`, `kill -s NAME`, job notices), over the kernel's one table of
 * numbers and names (kernel/process/signal.ts): names without `SIG`, and no name for 32 and 33, which
 * glibc keeps for itself.
 */
import { listSignals, parseSignal, signalName as kernelSignalName, SIGRTMIN } from '../kernel/process/signal.ts';

export {
  SIGCHLD, SIGCONT, SIGHUP, SIGINT, SIGKILL, SIGPIPE, SIGSTOP, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, signalDescription,
} from '../kernel/process/signal.ts';

/** A signal's name without `SIG` (`KILL`, `RTMIN+3`), or undefined when bash knows no such signal. */
export function signalName(signal: number): string | undefined {
  if (!Number.isInteger(signal) || signal < 1 || signal > 64 || (signal > 31 && signal < SIGRTMIN)) return undefined;
  return kernelSignalName(signal).slice(3);
}

/** A signal's number from `KILL`, `SIGKILL`, `kill` or `9`; undefined when bash would not know it. */
export function signalNumber(spec: string): number | undefined {
  const n = parseSignal(spec);
  return n !== undefined && (n === 0 || signalName(n) !== undefined) ? n : undefined;
}

/** `kill -l`: every signal as `NN) SIGNAME`, five to a line, tab-separated, as bash prints them. */
export function signalTable(): string {
  let out = '';
  let count = 0;
  for (const { number, name } of listSignals()) {
    count++;
    out += `${String(number).padStart(2)}) ${name}${count % 5 === 0 ? '\n' : '\t'}`;
  }
  return out.endsWith('\n') ? out : out + '\n';
}
