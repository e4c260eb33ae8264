/**
 * date-logger — the lab's logging demo, like `while true; do date; sleep 1; done`: every interval it prints
 * the virtual time in date(1)'s default format (`Thu Jan  1 00:00:01 UTC 2026`) on stdout.
 * `date-logger --interval 1s`.
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { formatDate } from '../shell/commands/date.ts';
import { AddressSpace } from './addressSpace.ts';
import { durationFlag, parseLabArgs } from './labArgs.ts';

/** date(1)'s default format. */
export const DATE_FORMAT = '%a %b %e %H:%M:%S %Z %Y';

export class DateLogger implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const args = parseLabArgs(sys, { interval: durationFlag(1_000, 'time between lines') });
    if (!args) return;
    if (args.interval <= 0) {
      sys.process.stdio.stderr.write('date-logger: --interval must be positive\n');
      sys.exit(2);
      return;
    }
    new AddressSpace(this.host, sys.process, { vszKb: 1_604, rssKb: 900 });
    sys.setRunState('S');
    sys.every(args.interval, () => sys.process.stdio.stdout.write(`${formatDate(sys.now(), DATE_FORMAT)}\n`));
  }
}
