/**
 * burnCpu — a process computing for a given amount of CPU time, as a busy loop does: its task asks the
 * host's CFS scheduler for a whole CPU (demand 1) until the scheduler has run it for that long, then
 * sleeps again. The wall time it takes is what the scheduler grants: other tasks on the CPU share it, and
 * a cgroup's cpu.max quota throttles it, so a request computed under a 500m limit takes twice its CPU time.
 *
 * Left out: the time being user or system (it is all user time).
 */
import type { Host } from '../kernel/host.ts';
import type { ProgramContext } from '../kernel/process/program.ts';

/** Below this much left (ns) the work counts as done: the scheduler's accounting is not exact to the ns. */
const SLACK_NS = 1_000;
/** The shortest wait between looks at the task's runtime, ms. */
const MIN_CHECK_MS = 0.05;

/** Run `ns` of CPU time on `sys.process`, then call `done` (not called if the process exits first). */
export function burnCpu(host: Host, sys: ProgramContext, ns: number, done: () => void): void {
  const task = host.taskOf(sys.process);
  const runtime = () => host.scheduler.taskStats(task)?.sumExecNs ?? 0;
  host.scheduler.setDemand(task, 1);
  const start = runtime();
  sys.setRunState('R');
  const check = () => {
    const left = ns - (runtime() - start);
    if (left > SLACK_NS) {
      sys.after(Math.max(left / 1e6, MIN_CHECK_MS), check, 'cpu');
      return;
    }
    host.scheduler.setDemand(task, 0);
    sys.setRunState('S');
    done();
  };
  sys.after(ns / 1e6, check, 'cpu');
}
