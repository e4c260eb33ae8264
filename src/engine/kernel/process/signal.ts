/**
 * signal — Linux's signals (signal(7), arch/x86 numbering): numbers, names in `kill -l` order (with
 * glibc's SIGRTMIN = 34, since glibc keeps 32 and 33 for threads), default actions, and signal masks as
 * 64-bit sets (bit n-1 for signal n, as SigBlk/SigIgn/SigCgt in /proc/<pid>/status).
 */

/** Hangup. */
export const SIGHUP = 1;
/** Interrupt from the keyboard (^C). */
export const SIGINT = 2;
/** Quit from the keyboard (^\). */
export const SIGQUIT = 3;
/** Illegal instruction. */
export const SIGILL = 4;
/** Trace or breakpoint trap. */
export const SIGTRAP = 5;
/** abort(3). */
export const SIGABRT = 6;
/** Bus error. */
export const SIGBUS = 7;
/** Floating-point exception. */
export const SIGFPE = 8;
/** Kill: cannot be caught, blocked or ignored. */
export const SIGKILL = 9;
/** User-defined signal 1. */
export const SIGUSR1 = 10;
/** Invalid memory reference. */
export const SIGSEGV = 11;
/** User-defined signal 2. */
export const SIGUSR2 = 12;
/** Write to a pipe with no readers. */
export const SIGPIPE = 13;
/** Timer from alarm(2). */
export const SIGALRM = 14;
/** Termination: what kill(1) and `docker stop` send first. */
export const SIGTERM = 15;
/** Stack fault on a coprocessor (unused). */
export const SIGSTKFLT = 16;
/** A child stopped, continued or terminated. */
export const SIGCHLD = 17;
/** Continue if stopped. */
export const SIGCONT = 18;
/** Stop: cannot be caught, blocked or ignored. */
export const SIGSTOP = 19;
/** Stop typed at the terminal (^Z). */
export const SIGTSTP = 20;
/** Terminal input for a background process. */
export const SIGTTIN = 21;
/** Terminal output for a background process. */
export const SIGTTOU = 22;
/** Urgent condition on a socket. */
export const SIGURG = 23;
/** CPU time limit exceeded. */
export const SIGXCPU = 24;
/** File size limit exceeded. */
export const SIGXFSZ = 25;
/** Virtual alarm clock. */
export const SIGVTALRM = 26;
/** Profiling timer expired. */
export const SIGPROF = 27;
/** Window resize. */
export const SIGWINCH = 28;
/** I/O now possible. */
export const SIGIO = 29;
/** Power failure. */
export const SIGPWR = 30;
/** Bad system call. */
export const SIGSYS = 31;
/** The first real-time signal as glibc reports it. */
export const SIGRTMIN = 34;
/** The last real-time signal (_NSIG). */
export const SIGRTMAX = 64;
/** Signals are 1.._NSIG. */
export const NSIG = 64;

/** What a signal does when its disposition is the default (signal(7), "Standard signals"). */
export type DefaultAction = 'term' | 'core' | 'stop' | 'cont' | 'ign';

const STANDARD: ReadonlyArray<readonly [string, DefaultAction]> = [
  ['SIGHUP', 'term'], ['SIGINT', 'term'], ['SIGQUIT', 'core'], ['SIGILL', 'core'], ['SIGTRAP', 'core'],
  ['SIGABRT', 'core'], ['SIGBUS', 'core'], ['SIGFPE', 'core'], ['SIGKILL', 'term'], ['SIGUSR1', 'term'],
  ['SIGSEGV', 'core'], ['SIGUSR2', 'term'], ['SIGPIPE', 'term'], ['SIGALRM', 'term'], ['SIGTERM', 'term'],
  ['SIGSTKFLT', 'term'], ['SIGCHLD', 'ign'], ['SIGCONT', 'cont'], ['SIGSTOP', 'stop'], ['SIGTSTP', 'stop'],
  ['SIGTTIN', 'stop'], ['SIGTTOU', 'stop'], ['SIGURG', 'ign'], ['SIGXCPU', 'core'], ['SIGXFSZ', 'core'],
  ['SIGVTALRM', 'term'], ['SIGPROF', 'term'], ['SIGWINCH', 'ign'], ['SIGIO', 'term'], ['SIGPWR', 'term'],
  ['SIGSYS', 'core'],
];

/** Whether `sig` is a signal number (1..64); 0 is kill(2)'s "check only" and is not. */
export function isValidSignal(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= NSIG;
}

/**
 * The name of a signal as bash's `kill -l` prints it: SIGTERM, SIGRTMIN+3, SIGRTMAX-14 (the upper half
 * of the real-time range counts down from SIGRTMAX). Signals 32 and 33 have no name: "SIG32".
 */
export function signalName(sig: number): string {
  if (sig >= 1 && sig <= 31) return STANDARD[sig - 1]![0];
  if (sig === SIGRTMIN) return 'SIGRTMIN';
  if (sig === SIGRTMAX) return 'SIGRTMAX';
  if (sig > SIGRTMIN && sig <= SIGRTMIN + 15) return `SIGRTMIN+${sig - SIGRTMIN}`;
  if (sig > SIGRTMIN + 15 && sig < SIGRTMAX) return `SIGRTMAX-${SIGRTMAX - sig}`;
  return `SIG${sig}`;
}

/** The signals `kill -l` lists, in order: 1–31, then 34–64 (glibc hides 32 and 33). */
export function listSignals(): Array<{ number: number; name: string }> {
  const out: Array<{ number: number; name: string }> = [];
  for (let sig = 1; sig <= NSIG; sig++) if (sig < 32 || sig >= SIGRTMIN) out.push({ number: sig, name: signalName(sig) });
  return out;
}

/**
 * A signal from what a user types: a number ("9"), a name with or without SIG ("TERM", "SIGterm"),
 * or a real-time offset ("RTMIN+2", "SIGRTMAX-1"). Undefined when it names no signal.
 */
export function parseSignal(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n === 0 || isValidSignal(n) ? n : undefined;
  }
  const name = text.toUpperCase().replace(/^SIG/, '');
  const rt = /^RT(MIN|MAX)(?:([+-])(\d+))?$/.exec(name);
  if (rt) {
    const base = rt[1] === 'MIN' ? SIGRTMIN : SIGRTMAX;
    const offset = rt[3] === undefined ? 0 : Number(rt[3]) * (rt[2] === '+' ? 1 : -1);
    const sig = base + offset;
    return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : undefined;
  }
  const i = STANDARD.findIndex(([n]) => n === `SIG${name}`);
  return i < 0 ? undefined : i + 1;
}

const DESCRIPTIONS = [
  'Hangup', 'Interrupt', 'Quit', 'Illegal instruction', 'Trace/breakpoint trap', 'Aborted', 'Bus error', 'Floating point exception',
  'Killed', 'User defined signal 1', 'Segmentation fault', 'User defined signal 2', 'Broken pipe', 'Alarm clock', 'Terminated',
  'Stack fault', 'Child exited', 'Continued', 'Stopped (signal)', 'Stopped', 'Stopped (tty input)', 'Stopped (tty output)',
  'Urgent I/O condition', 'CPU time limit exceeded', 'File size limit exceeded', 'Virtual timer expired', 'Profiling timer expired',
  'Window changed', 'I/O possible', 'Power failure', 'Bad system call',
];

/** What strsignal(3) says of a signal ("Terminated"), as job notices and programs print it. */
export function signalDescription(sig: number): string {
  if (sig >= 1 && sig <= DESCRIPTIONS.length) return DESCRIPTIONS[sig - 1]!;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return `Real-time signal ${sig - SIGRTMIN}`;
  return `Unknown signal ${sig}`;
}

/** What the default disposition of `sig` does; real-time signals and 32, 33 terminate. */
export function defaultAction(sig: number): DefaultAction {
  return sig >= 1 && sig <= 31 ? STANDARD[sig - 1]![1] : 'term';
}

/** SIGKILL and SIGSTOP: never caught, blocked or ignored (sig_kernel_only). */
export function isKernelOnly(sig: number): boolean {
  return sig === SIGKILL || sig === SIGSTOP;
}

/** The stop signals: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU (sig_kernel_stop). */
export function isStopSignal(sig: number): boolean {
  return sig === SIGSTOP || sig === SIGTSTP || sig === SIGTTIN || sig === SIGTTOU;
}

/** The bit of `sig` in a signal set (sigmask). */
export function sigmask(sig: number): bigint {
  return 1n << BigInt(sig - 1);
}

/** A signal set holding `sigs`. */
export function sigset(sigs: Iterable<number>): bigint {
  let set = 0n;
  for (const sig of sigs) set |= sigmask(sig);
  return set;
}

/** The signals in a set, ascending. */
export function sigsetMembers(set: bigint): number[] {
  const out: number[] = [];
  for (let sig = 1; sig <= NSIG; sig++) if ((set & sigmask(sig)) !== 0n) out.push(sig);
  return out;
}
