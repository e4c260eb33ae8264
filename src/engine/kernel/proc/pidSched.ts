/**
 * /proc/<pid>/sched — kernel/sched/debug.c's proc_sched_show_task (CONFIG_SCHED_DEBUG, schedstats off, as
 * Ubuntu boots): the task's CFS numbers from the host's scheduler. se.vruntime and se.sum_exec_runtime in
 * ms with six decimals (`%14Ld.%06ld`), counters right-aligned to 21 (`%-45s:%21Ld`). se.load.weight is the
 * scaled weight a 64-bit kernel keeps (scale_load: the nice weight × 1024, so nice 0 is 1048576).
 *
 * Left out: the PELT averages (se.avg.*), clock-delta, NUMA balancing lines, the schedstat block and
 * writing the file (which resets schedstats); nr_switches is
 * /proc/<pid>/status's model (contextSwitches), not a count; a task that never ran shows zeros.
 */
import type { PidNamespace } from '../ns/pidNamespace.ts';
import type { Process } from '../process/process.ts';
import { niceToWeight } from '../sched/prioToWeight.ts';
import type { ProcHost } from './procHost.ts';
import { contextSwitches } from './status.ts';

/** SCHED_LOAD_RESOLUTION's scale on 64-bit kernels (scale_load). */
const SCHED_FIXEDPOINT_SHIFT = 10;
/** The default priority of a SCHED_NORMAL task at nice 0 (DEFAULT_PRIO). */
const DEFAULT_PRIO = 120;

const counter = (name: string, value: number): string => `${name.padEnd(45)}:${String(Math.trunc(value)).padStart(21)}\n`;

/** `%14Ld.%06ld` of SPLIT_NS: whole ms, then the ns remainder in six digits. */
function splitNs(name: string, ns: number): string {
  const whole = Math.trunc(ns);
  const ms = Math.trunc(whole / 1e6);
  const rest = Math.abs(whole % 1e6);
  return `${name.padEnd(45)}:${String(ms).padStart(14)}.${String(rest).padStart(6, '0')}\n`;
}

/** The text of /proc/<pid>/sched for `process`, its pid numbered in `pidNs`. */
export function procPidSched(host: ProcHost, process: Process, pidNs: PidNamespace): string {
  const stats = process.kthread || process.exitState ? undefined : host.scheduler.taskStats(host.taskOf(process));
  const now = (host.clock.now() - host.bootTime) * 1e6;
  const switches = contextSwitches(host, process);
  const weight = stats?.weight ?? niceToWeight(process.nice);
  return (
    `${process.comm} (${process.pidIn(pidNs)}, #threads: ${process.threads})\n` +
    `${'-'.repeat(67)}\n` +
    splitNs('se.exec_start', stats && stats.demand > 0 ? now : 0) +
    splitNs('se.vruntime', stats?.vruntimeNs ?? 0) +
    splitNs('se.sum_exec_runtime', stats?.sumExecNs ?? 0) +
    counter('se.nr_migrations', 0) +
    counter('nr_switches', switches.voluntary + switches.nonvoluntary) +
    counter('nr_voluntary_switches', switches.voluntary) +
    counter('nr_involuntary_switches', switches.nonvoluntary) +
    counter('se.load.weight', weight * 2 ** SCHED_FIXEDPOINT_SHIFT) +
    counter('policy', 0) +
    counter('prio', DEFAULT_PRIO + process.nice)
  );
}
