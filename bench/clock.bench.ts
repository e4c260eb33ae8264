import { Clock } from '../src/engine/base/clock.ts';
import { SeededRng } from '../src/engine/base/seededRng.ts';
import { timed, type Benchmark } from './benchmark.ts';

/** How fast the virtual clock runs timers: the ceiling for every simulation built on it. */
export const clockBenchmark: Benchmark = {
  id: 'clock',
  title: 'Virtual clock',
  async run() {
    // One-shot timers at random delays, as controllers and kubelets schedule them.
    const oneShot = 1_000_000;
    const clock = new Clock();
    const rng = new SeededRng(1);
    let ran = 0;
    const tick = () => ran++;
    const scheduleMs = await timed(() => {
      for (let i = 0; i < oneShot; i++) clock.after(rng.int(600_000), tick);
    });
    const runMs = await timed(() => clock.advance(600_000));
    if (ran !== oneShot) throw new Error(`clock bench: ran ${ran} of ${oneShot} timers`);

    // Periodic timers, as leases, probes and status updates are: 10k of them for a virtual hour.
    const periodic = new Clock();
    let fired = 0;
    for (let i = 0; i < 10_000; i++) periodic.every(1000 + (i % 100) * 10, () => fired++);
    const periodicMs = await timed(() => periodic.advance(3_600_000));

    return [
      { name: 'clock: schedule one-shot timers', value: Math.round(oneShot / (scheduleMs / 1000)), unit: 'timers/s', note: `${oneShot.toLocaleString('en')} timers` },
      { name: 'clock: run one-shot timers', value: Math.round(oneShot / (runMs / 1000)), unit: 'events/s', note: `${oneShot.toLocaleString('en')} timers` },
      { name: 'clock: run periodic timers', value: Math.round(fired / (periodicMs / 1000)), unit: 'events/s', note: `10k timers, 1 virtual hour, ${fired.toLocaleString('en')} events` },
    ];
  },
};
