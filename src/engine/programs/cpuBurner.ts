/**
 * cpu-burner — the lab's HPA demo load: one busy process asking for a fraction of a CPU (`--cpu 0.5`,
 * in cores, at most 1), scheduled and throttled by CFS like any other task. SIGUSR1 doubles the demand (up
 * to one CPU) and SIGUSR2 halves it, so a lesson can raise and lower the load without a restart; each change
 * prints `cpu-burner: burning 0.5 CPU`.
 */
import type { Host } from '../kernel/host.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { SIGUSR1, SIGUSR2 } from '../kernel/process/signal.ts';
import { AddressSpace } from './addressSpace.ts';
import { numberFlag, parseLabArgs } from './labArgs.ts';

export class CpuBurner implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    const args = parseLabArgs(sys, { cpu: numberFlag(1, 0, 1, 'CPUs to burn (0 to 1)') });
    if (!args) return;
    new AddressSpace(this.host, sys.process, { vszKb: 1_604, rssKb: 900 });
    const task = this.host.taskOf(sys.process);
    const burn = (cpu: number) => {
      this.host.scheduler.setDemand(task, cpu);
      sys.setRunState(cpu > 0 ? 'R' : 'S');
      sys.process.stdio.stdout.write(`cpu-burner: burning ${cpu} CPU\n`);
      demand = cpu;
    };
    let demand = 0;
    sys.sigaction(SIGUSR1, () => burn(Math.min(1, demand === 0 ? 0.1 : demand * 2)));
    sys.sigaction(SIGUSR2, () => burn(demand / 2));
    burn(args.cpu);
  }
}
