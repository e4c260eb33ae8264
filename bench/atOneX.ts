/**
 * atOneX — live through a stretch of virtual time at 1× as the worker does: a RealTimeDriver drives the
 * clock, its wall clock a fake that jumps to each wake-up the driver asks for, and promises settle (one
 * macrotask) after each wake-up, as they do between a worker's timer callbacks. The stretch takes only
 * the CPU it needs, so that CPU time (process.cpuUsage, setup excluded) is what the lab costs per second
 * of wall time at 1×.
 */
import type { Clock } from '../src/engine/base/clock.ts';
import { RealTimeDriver, type WallHost } from '../src/engine/base/realTimeDriver.ts';

export interface OneXStretch {
  /** CPU time (user + system) the stretch took, in ms. */
  cpuMs: number;
  /** Virtual ms the clock moved: the stretch asked for, give or take the driver's last wake-up. */
  virtualMs: number;
  /** How many times the driver woke up. */
  wakeUps: number;
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Drive `clock` at 1× for `stretchMs` of wall (= virtual) time; rethrows what the driver reported. */
export async function atOneX(clock: Clock, stretchMs: number): Promise<OneXStretch> {
  let wall = 0;
  let pending: { fn: () => void; at: number } | undefined;
  const host: WallHost = {
    now: () => wall,
    setTimer(fn, ms) {
      const timer = { fn, at: wall + ms };
      pending = timer;
      return () => {
        if (pending === timer) pending = undefined;
      };
    },
  };
  let failure: unknown;
  const from = clock.now();
  const cpuBefore = process.cpuUsage();
  clock.setSpeed(1);
  const driver = new RealTimeDriver(clock, host, (error) => (failure = error));
  clock.play();
  let wakeUps = 0;
  while (pending && pending.at <= stretchMs) {
    const { fn, at } = pending;
    pending = undefined;
    wall = at;
    fn();
    wakeUps++;
    await settle();
  }
  clock.pause();
  driver.dispose();
  const used = process.cpuUsage(cpuBefore);
  if (failure !== undefined) throw failure;
  return { cpuMs: (used.user + used.system) / 1000, virtualMs: clock.now() - from, wakeUps };
}
