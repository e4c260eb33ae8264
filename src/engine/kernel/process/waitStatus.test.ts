import { describe, expect, it } from 'vitest';
import { SIGKILL, SIGSEGV, SIGTERM, SIGTSTP } from './signal.ts';
import {
  CONTINUED_STATUS, exitedStatus, shellExitStatus, signaledStatus, stoppedStatus, WCOREDUMP, WEXITSTATUS, WIFCONTINUED, WIFEXITED, WIFSIGNALED,
  WIFSTOPPED, WSTOPSIG, WTERMSIG,
} from './waitStatus.ts';

describe('wait status', () => {
  it.each([
    ['exit(0)', exitedStatus(0), 0x0000, 0],
    ['exit(3)', exitedStatus(3), 0x0300, 3],
    ['exit(256) keeps the low byte', exitedStatus(256), 0x0000, 0],
    ['SIGKILL', signaledStatus(SIGKILL, false), 0x0009, 137],
    ['SIGTERM', signaledStatus(SIGTERM, false), 0x000f, 143],
    ['SIGSEGV with a core dump', signaledStatus(SIGSEGV, true), 0x008b, 139],
    ['stopped by SIGTSTP', stoppedStatus(SIGTSTP), 0x147f, 148],
  ])('%s encodes as %i, $? %i', (_what, status, encoded, shell) => {
    expect(status).toBe(encoded);
    expect(shellExitStatus(status)).toBe(shell);
  });

  it('decodes with the W* macros', () => {
    const exited = exitedStatus(42);
    expect([WIFEXITED(exited), WEXITSTATUS(exited), WIFSIGNALED(exited), WIFSTOPPED(exited)]).toEqual([true, 42, false, false]);
    const killed = signaledStatus(SIGSEGV, true);
    expect([WIFEXITED(killed), WIFSIGNALED(killed), WTERMSIG(killed), WCOREDUMP(killed)]).toEqual([false, true, SIGSEGV, true]);
    const stopped = stoppedStatus(SIGTSTP);
    expect([WIFSTOPPED(stopped), WSTOPSIG(stopped), WIFSIGNALED(stopped), WIFEXITED(stopped)]).toEqual([true, SIGTSTP, false, false]);
    expect([WIFCONTINUED(CONTINUED_STATUS), WIFSTOPPED(CONTINUED_STATUS), WIFEXITED(CONTINUED_STATUS)]).toEqual([true, false, false]);
  });
});
