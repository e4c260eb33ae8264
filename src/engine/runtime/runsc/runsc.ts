/**
 * The runsc binary's programs on the node: `runsc-gofer` and `runsc-sandbox` are runsc re-executed with
 * those names as argv[0]; both sleep while the sandbox runs. The sandbox holds the sentry's memory, which
 * is charged to the container's cgroup: its own footprint at boot.
 */
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { AddressSpace } from '../../programs/addressSpace.ts';

/** KiB the sentry has resident once booted. */
export const SENTRY_BOOT_RSS_KB = 38 * 1024;

export class RunscProcess implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    sys.setRunState('S');
    const sandbox = sys.process.argv[0] === 'runsc-sandbox';
    new AddressSpace(this.host, sys.process, sandbox ? { vszKb: 2_300_000, rssKb: SENTRY_BOOT_RSS_KB } : { vszKb: 1_250_000, rssKb: 12 * 1024 });
  }
}
