/**
 * sched_prio_to_weight — kernel/sched/core.c's load weight for each nice value (-20..19): each step is
 * ~1.25×, so one nice level is ~10% CPU against a nice-0 task. NICE_0_LOAD is 1024.
 */

/** The load weight of nice 0. */
export const NICE_0_LOAD = 1024;

/** Weight of a SCHED_IDLE entity (WEIGHT_IDLEPRIO). */
export const WEIGHT_IDLEPRIO = 3;

/** sched_prio_to_weight[nice + 20]. */
export const sched_prio_to_weight: readonly number[] = [
  /* -20 */ 88761, 71755, 56483, 46273, 36291,
  /* -15 */ 29154, 23254, 18705, 14949, 11916,
  /* -10 */ 9548, 7620, 6100, 4904, 3906,
  /*  -5 */ 3121, 2501, 1991, 1586, 1277,
  /*   0 */ 1024, 820, 655, 526, 423,
  /*   5 */ 335, 272, 215, 172, 137,
  /*  10 */ 110, 87, 70, 56, 45,
  /*  15 */ 36, 29, 23, 18, 15,
];

/** The load weight of a nice value (clamped to -20..19). */
export function niceToWeight(nice: number): number {
  const n = Math.max(-20, Math.min(19, Math.round(nice)));
  return sched_prio_to_weight[n + 20]!;
}

/** The nice value whose weight is closest to `weight` (cpu.weight.nice's read side). */
export function weightToNice(weight: number): number {
  let best = 0;
  for (let i = 1; i < sched_prio_to_weight.length; i++) {
    if (Math.abs(sched_prio_to_weight[i]! - weight) < Math.abs(sched_prio_to_weight[best]! - weight)) best = i;
  }
  return best - 20;
}
