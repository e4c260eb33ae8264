/**
 * loadavg — kernel/sched/loadavg.c's global load average: every LOAD_FREQ the number of runnable (and
 * uninterruptible) tasks is folded into three fixed-point exponential averages (1, 5 and 15 minutes,
 * FSHIFT 11 bits of fraction), and /proc/loadavg prints them rounded to two decimals.
 */

/** Bits of fraction. */
export const FSHIFT = 11;
/** 1.0 in fixed point. */
export const FIXED_1 = 1 << FSHIFT;
/** 1/exp(5s/1min), 1/exp(5s/5min), 1/exp(5s/15min) in fixed point. */
export const EXP_1 = 1884;
/** The 5-minute decay factor. */
export const EXP_5 = 2014;
/** The 15-minute decay factor. */
export const EXP_15 = 2037;
/** LOAD_FREQ: 5 s and one jiffy at HZ=250, in ms. */
export const LOAD_FREQ_MS = 5004;

/** calc_load(): one decay step of a fixed-point average toward `active` (fixed point). */
export function calcLoad(load: number, exp: number, active: number): number {
  let newload = load * exp + active * (FIXED_1 - exp);
  if (active >= load) newload += FIXED_1 - 1;
  return Math.floor(newload / FIXED_1);
}

/** The three load averages of a host. */
export class LoadAvg {
  /** avenrun[]: the 1, 5 and 15 minute averages in fixed point. */
  readonly avenrun: [number, number, number] = [0, 0, 0];

  /** Fold one LOAD_FREQ sample of `active` tasks (may be fractional: a task runnable part of the time). */
  sample(active: number): void {
    const a = Math.round(active * FIXED_1);
    this.avenrun[0] = calcLoad(this.avenrun[0], EXP_1, a);
    this.avenrun[1] = calcLoad(this.avenrun[1], EXP_5, a);
    this.avenrun[2] = calcLoad(this.avenrun[2], EXP_15, a);
  }

  /** The averages as numbers (1.0 = one task). */
  get averages(): [number, number, number] {
    return [this.avenrun[0] / FIXED_1, this.avenrun[1] / FIXED_1, this.avenrun[2] / FIXED_1];
  }

  /** The three averages as /proc/loadavg prints them ("0.52 0.31 0.12"), with its FIXED_1/200 rounding. */
  format(): string {
    return this.avenrun
      .map((x) => {
        const v = x + FIXED_1 / 200;
        return `${v >> FSHIFT}.${`${((v & (FIXED_1 - 1)) * 100) >> FSHIFT}`.padStart(2, '0')}`;
      })
      .join(' ');
  }

  /** A whole /proc/loadavg line: the averages, running/total tasks, and the last pid allocated. */
  procLoadavg(nrRunning: number, nrThreads: number, lastPid: number): string {
    return `${this.format()} ${nrRunning}/${nrThreads} ${lastPid}\n`;
  }
}
