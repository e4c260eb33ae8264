/**
 * waitStatus — the status word wait(2) returns and its W* macros (as glibc defines them), and the exit
 * status a shell reports for it ($?: the exit code, or 128 + the signal that killed it, so 137 after
 * SIGKILL and 143 after SIGTERM).
 */

/** waitpid option: return at once when no child has changed state. */
export const WNOHANG = 1;
/** waitpid option: also report children stopped by a signal. */
export const WUNTRACED = 2;
/** waitpid option: also report stopped children resumed by SIGCONT. */
export const WCONTINUED = 8;

/** The status of a child that called exit(code): code in bits 8–15. */
export function exitedStatus(code: number): number {
  return (code & 0xff) << 8;
}

/** The status of a child killed by `sig`, with bit 7 set when it dumped core. */
export function signaledStatus(sig: number, core: boolean): number {
  return (sig & 0x7f) | (core ? 0x80 : 0);
}

/** The status of a child stopped by `sig`. */
export function stoppedStatus(sig: number): number {
  return ((sig & 0xff) << 8) | 0x7f;
}

/** The status of a child resumed by SIGCONT. */
export const CONTINUED_STATUS = 0xffff;

/** True if the child exited normally. */
export function WIFEXITED(status: number): boolean {
  return (status & 0x7f) === 0;
}

/** The exit code, when WIFEXITED. */
export function WEXITSTATUS(status: number): number {
  return (status >> 8) & 0xff;
}

/** True if a signal killed the child. */
export function WIFSIGNALED(status: number): boolean {
  const low = status & 0x7f;
  return low !== 0 && low !== 0x7f;
}

/** The signal that killed the child, when WIFSIGNALED. */
export function WTERMSIG(status: number): number {
  return status & 0x7f;
}

/** True if the child dumped core, when WIFSIGNALED. */
export function WCOREDUMP(status: number): boolean {
  return (status & 0x80) !== 0;
}

/** True if the child is stopped. */
export function WIFSTOPPED(status: number): boolean {
  return (status & 0xff) === 0x7f;
}

/** The signal that stopped the child, when WIFSTOPPED. */
export function WSTOPSIG(status: number): number {
  return (status >> 8) & 0xff;
}

/** True if the child was resumed by SIGCONT. */
export function WIFCONTINUED(status: number): boolean {
  return status === CONTINUED_STATUS;
}

/** What a shell puts in $? for a child that ended with this status: the code, or 128 + signal. */
export function shellExitStatus(status: number): number {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  if (WIFSTOPPED(status)) return 128 + WSTOPSIG(status);
  return 0;
}
