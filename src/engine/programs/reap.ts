/**
 * reap — the loop an init process runs on SIGCHLD: `while (waitpid(-1, &status, WNOHANG) > 0)`, stopping
 * at "no child has changed" or ECHILD.
 */
import { KernelError } from '../kernel/errno.ts';
import type { WaitResult } from '../kernel/process/process.ts';
import type { ProgramContext } from '../kernel/process/program.ts';

/** Reap every child that has exited; `onReaped` sees each one. Returns how many were reaped. */
export function reapAll(sys: ProgramContext, options: number, onReaped?: (result: WaitResult) => void): number {
  let count = 0;
  for (;;) {
    let result: WaitResult | undefined;
    try {
      result = sys.waitpid(-1, options);
    } catch (error) {
      if (error instanceof KernelError && error.code === 'ECHILD') return count;
      throw error;
    }
    if (!result) return count;
    count++;
    onReaped?.(result);
  }
}
