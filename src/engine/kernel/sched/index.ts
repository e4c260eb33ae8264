/**
 * The Linux CPU scheduler's fair class (kernel/sched/fair.c, core.c, loadavg.c) for one emulated host:
 * per-CPU run queues ordered by vruntime with group scheduling from the cgroup tree, CFS bandwidth
 * throttling from cpu.max / cpu.cfs_quota_us, per-task and per-cgroup CPU accounting (user vs system),
 * per-CPU times for /proc/stat and the load averages of /proc/loadavg.
 *
 * Left out: the RT and deadline classes, EEVDF (6.6+), sub-slice preemption (time is shared fluidly within
 * a tick), wakeup preemption, PELT load tracking, NUMA and the full load balancer (a simple
 * busiest-to-idlest move per tick stands in for it), and SMT/core scheduling.
 */
export {
  CfsScheduler,
  SCHED_LATENCY_NS,
  SCHED_MIN_GRANULARITY_NS,
  type CpuDemand,
  type CpuTimes,
  type RunQueueEntity,
  type TaskSchedStats,
} from './cfsScheduler.ts';
export { EXP_1, EXP_15, EXP_5, FIXED_1, FSHIFT, LOAD_FREQ_MS, LoadAvg, calcLoad } from './loadavg.ts';
export { NICE_0_LOAD, WEIGHT_IDLEPRIO, niceToWeight, sched_prio_to_weight, weightToNice } from './prioToWeight.ts';
