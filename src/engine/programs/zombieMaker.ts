/**
 * zombie-maker — the lab's zombie demo. Every interval (`--interval 1s`) it forks a child, up to
 * `--count 3`, and never waits for them: each child forks a grandchild and exits at once, so the child
 * stays `Z` (zombie-maker <defunct>) beneath its living parent. The grandchild, orphaned, is reparented
 * to the pid namespace's init (or a subreaper) and exits a second later: an init that reaps (tini, pause)
 * makes it vanish, one that does not (zombie-maker itself as pid 1, `sleep`) leaves it `Z` too.
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { AddressSpace } from './addressSpace.ts';
import { durationFlag, numberFlag, parseLabArgs } from './labArgs.ts';

/** How long an orphaned grandchild lives. */
const GRANDCHILD_LIFETIME_MS = 1_000;

/** A grandchild: sleeps, then exits. */
class Orphan implements Program {
  start(sys: ProgramContext): void {
    sys.setRunState('S');
    sys.after(GRANDCHILD_LIFETIME_MS, () => sys.exit(0));
  }
}

/** A child: forks its grandchild and exits at once. */
class Child implements Program {
  start(sys: ProgramContext): void {
    sys.clone({ program: new Orphan() });
    sys.exit(0);
  }
}

export class ZombieMaker implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const args = parseLabArgs(sys, {
      count: numberFlag(3, 0, 1000, 'children to fork'),
      interval: durationFlag(1_000, 'time between forks'),
    });
    if (!args) return;
    new AddressSpace(this.host, sys.process, { vszKb: 1_604, rssKb: 896 });
    const { stdout } = sys.process.stdio;
    sys.setRunState('S');
    let forked = 0;
    const fork = () => {
      if (forked >= args.count) return;
      forked++;
      const child = sys.clone({ program: new Child() });
      stdout.write(`zombie-maker: forked child ${child.pidIn(sys.process.pidNs)}, not waiting for it\n`);
      if (forked < args.count) sys.after(args.interval, fork);
    };
    fork();
  }
}
