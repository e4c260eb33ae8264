/**
 * pause — registry.k8s.io/pause (build/pause/linux/pause.c, v3.10): the sandbox's init. It sleeps in
 * pause(2) forever, reaps every child that dies (a pod's orphans are reparented to it), and exits 0 on
 * SIGINT or SIGTERM after psignal(3)'s "Shutting down, got signal: Terminated". `-v` prints its version;
 * a pause that is not pid 1 warns on stderr.
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { SIGCHLD, SIGINT, SIGTERM } from '../kernel/process/signal.ts';
import { WNOHANG } from '../kernel/process/waitStatus.ts';
import { signalDescription } from '../kernel/process/signal.ts';
import { AddressSpace } from './addressSpace.ts';
import { reapAll } from './reap.ts';

/** The version pause.c was built as. */
export const PAUSE_VERSION = 'v3.10';

export class Pause implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const { process } = sys;
    if (process.argv.slice(1).some((a) => a.toLowerCase() === '-v')) {
      process.stdio.stdout.write(`pause.c ${PAUSE_VERSION}\n`);
      sys.exit(0);
      return;
    }
    new AddressSpace(this.host, process, { vszKb: 1020, rssKb: 4 });
    if (process.pidIn(process.pidNs) !== 1) process.stdio.stderr.write('Warning: pause should be the first process\n');
    const sigdown = (signal: number) => {
      process.stdio.stderr.write(`Shutting down, got signal: ${signalDescription(signal)}\n`);
      sys.exit(0);
    };
    sys.sigaction(SIGINT, sigdown);
    sys.sigaction(SIGTERM, sigdown);
    sys.sigaction(SIGCHLD, () => reapAll(sys, WNOHANG));
    sys.setRunState('S');
  }
}
