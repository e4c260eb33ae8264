/**
 * Linux's signals on x86-64 as bash names them (`kill -l`, `kill -s NAME`) and as strsignal(3) describes
 * them in job notices ("Terminated", "Killed"). Real-time signals 34–64 are SIGRTMIN+n / SIGRTMAX-n.
 */

const NAMES = [
  'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', 'STKFLT',
  'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS',
];

const DESCRIPTIONS = [
  'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/breakpoint trap', 'Aborted', 'Bus error', 'Floating point exception',
  'Killed', 'User defined signal 1', 'Segmentation fault', 'User defined signal 2', 'Broken pipe', 'Alarm clock', 'Terminated',
  'Stack fault', 'Child exited', 'Continued', 'Stopped (signal)', 'Stopped', 'Stopped (tty input)', 'Stopped (tty output)',
  'Urgent I/O condition', 'CPU time limit exceeded', 'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired',
  'Window changed', 'I/O possible', 'Power failure', 'Bad system call',
];

export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGKILL = 9;
export const SIGPIPE = 13;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGURG = 23;
export const SIGWINCH = 28;

const SIGRTMIN = 34;
const SIGRTMAX = 64;

/** A signal's name without `SIG` (`KILL`, `RTMIN+3`), or undefined when there is no such signal. */
export function signalName(signal: number): string | undefined {
  if (signal >= 1 && signal <= NAMES.length) return NAMES[signal - 1];
  if (signal >= SIGRTMIN && signal <= SIGRTMAX) {
    const up = signal - SIGRTMIN;
    const down = SIGRTMAX - signal;
    if (up === 0) return 'RTMIN';
    if (down === 0) return 'RTMAX';
    return up <= 15 ? `RTMIN+${up}` : `RTMAX-${down}`;
  }
  return undefined;
}

/** A signal's number from `KILL`, `SIGKILL`, `kill` or `9`; undefined when bash would not know it. */
export function signalNumber(spec: string): number | undefined {
  if (/^\d+$/.test(spec)) {
    const n = Number(spec);
    return n === 0 || signalName(n) !== undefined ? n : undefined;
  }
  const name = spec.toUpperCase().replace(/^SIG/, '');
  for (let n = 1; n <= SIGRTMAX; n++) if (signalName(n) === name) return n;
  return undefined;
}

/** What strsignal(3) says of a signal ("Terminated"), as job notices print it. */
export function signalDescription(signal: number): string {
  if (signal >= 1 && signal <= DESCRIPTIONS.length) return DESCRIPTIONS[signal - 1]!;
  if (signal >= SIGRTMIN && signal <= SIGRTMAX) return `Real-time signal ${signal - SIGRTMIN}`;
  return `Unknown signal ${signal}`;
}

/** `kill -l`: every signal as `NN) SIGNAME`, five to a line, tab-separated, as bash prints them. */
export function signalTable(): string {
  let out = '';
  let count = 0;
  for (let n = 1; n <= SIGRTMAX; n++) {
    const name = signalName(n);
    if (name === undefined) continue;
    count++;
    out += `${String(n).padStart(2)}) SIG${name}${count % 5 === 0 ? '\n' : '\t'}`;
  }
  return out.endsWith('\n') ? out : out + '\n';
}
