/**
 * memory-hog — the lab's OOM demo: it allocates and touches memory in steps, every interval, until it
 * holds the total, then holds it forever. `memory-hog --total 200Mi --step 10Mi --interval 1s`. Each step
 * prints `memory-hog: allocated 10 MiB (total 10 MiB)`; past the cgroup's memory.max the OOM killer ends it
 * (status 137).
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { AddressSpace } from './addressSpace.ts';
import { durationFlag, parseLabArgs, sizeFlag } from './labArgs.ts';

const MiB = 1024 * 1024;

function mib(bytes: number): string {
  return `${Number((bytes / MiB).toFixed(1))} MiB`;
}

export class MemoryHog implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const args = parseLabArgs(sys, {
      total: sizeFlag(256 * MiB, 'memory to allocate in all'),
      step: sizeFlag(16 * MiB, 'memory to allocate each interval'),
      interval: durationFlag(1_000, 'time between steps'),
    });
    if (!args) return;
    const { stdout } = sys.process.stdio;
    const memory = new AddressSpace(this.host, sys.process, { vszKb: 1_604, rssKb: 900 });
    const step = Math.max(args.step, 4096);
    let held = 0;
    sys.setRunState('S');
    const grow = () => {
      const bytes = Math.min(step, args.total - held);
      if (bytes <= 0) return;
      if (!memory.allocate(bytes).ok) return;
      held += bytes;
      stdout.write(`memory-hog: allocated ${mib(bytes)} (total ${mib(held)})\n`);
      if (held >= args.total) stdout.write(`memory-hog: holding ${mib(held)}\n`);
      else sys.after(args.interval, grow);
    };
    grow();
  }
}
