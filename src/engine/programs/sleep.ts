/**
 * sleep — GNU coreutils 9.1 as Debian bookworm and Ubuntu ship it, in a container's C locale: the sum of
 * its NUMBER[SUFFIX] operands (s, m, h, d; fractions; `inf`/`infinity` sleeps forever) on virtual time,
 * then exit 0. A bad operand prints `sleep: invalid time interval 'x'` and exits 1. Signals keep their
 * default actions, so SIGTERM ends it with status 143 as a shell reports it.
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { parseInterval } from '../shell/commands/sleep.ts';
import { AddressSpace } from './addressSpace.ts';

const TRY_HELP = "Try 'sleep --help' for more information.\n";

const HELP = `Usage: sleep NUMBER[SUFFIX]...
  or:  sleep OPTION
Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),
'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an
integer.  Given two or more arguments, pause for the amount of time
specified by the sum of their values.

      --help        display this help and exit
      --version     output version information and exit

GNU coreutils online help: <https://www.gnu.org/software/coreutils/>
Full documentation <https://www.gnu.org/software/coreutils/sleep>
or available locally via: info '(coreutils) sleep invocation'
`;

const VERSION = `sleep (GNU coreutils) 9.1
Copyright (C) 2022 Free Software Foundation, Inc.
License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.
This is free software: you are free to change and redistribute it.
There is NO WARRANTY, to the extent permitted by law.

Written by Jim Meyering and Paul Eggert.
`;

export class Sleep implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    const { stdout, stderr } = process.stdio;
    const fail = (message: string) => {
      stderr.write(`sleep: ${message}\n${TRY_HELP}`);
      sys.exit(1);
    };
    let operands = process.argv.slice(1);
    const first = operands[0];
    if (first === '--help') {
      stdout.write(HELP);
      return sys.exit(0);
    }
    if (first === '--version') {
      stdout.write(VERSION);
      return sys.exit(0);
    }
    if (first === '--') operands = operands.slice(1);
    else if (first !== undefined && first.startsWith('--')) return fail(`unrecognized option '${first}'`);
    else if (first !== undefined && first.length > 1 && first.startsWith('-')) return fail(`invalid option -- '${first[1]}'`);
    if (operands.length === 0) return fail('missing operand');
    let total = 0;
    let bad = false;
    for (const operand of operands) {
      const ms = parseInterval(operand);
      if (ms === undefined) {
        stderr.write(`sleep: invalid time interval '${operand}'\n`);
        bad = true;
      } else total += ms;
    }
    if (bad) {
      stderr.write(TRY_HELP);
      return sys.exit(1);
    }
    new AddressSpace(this.host, process, { vszKb: 8_324, rssKb: 1_280 });
    sys.setRunState('S');
    if (total !== Infinity) sys.after(total, () => sys.exit(0), `sleep ${operands.join(' ')}`);
  }
}
