/**
 * crash-looper — the lab's CrashLoopBackOff demo: it prints one line, waits, and exits with a chosen code.
 * `crash-looper --exit-code 1 --after 5s --message "..."`; the default line is
 * `crash-looper: started; exiting with code 1 in 5s`. SIGTERM ends it at once (status 143).
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { AddressSpace } from './addressSpace.ts';
import { durationFlag, numberFlag, parseLabArgs, textFlag } from './labArgs.ts';

export class CrashLooper implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const args = parseLabArgs(sys, {
      'exit-code': numberFlag(1, 0, 255, 'the exit code'),
      after: durationFlag(5_000, 'how long to run before exiting'),
      message: textFlag('', 'the line to print at start'),
    });
    if (!args) return;
    new AddressSpace(this.host, sys.process, { vszKb: 1_604, rssKb: 896 });
    const code = args['exit-code'];
    const line = args.message !== '' ? args.message : `crash-looper: started; exiting with code ${code} in ${args.after / 1000}s`;
    sys.process.stdio.stdout.write(`${line}\n`);
    sys.setRunState('S');
    sys.after(args.after, () => sys.exit(code));
  }
}
