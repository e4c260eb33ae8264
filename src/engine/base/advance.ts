/**
 * advanceSettled — move a virtual clock by `ms` the way the real-time driver lives through it: one due
 * timer at a time, letting what each timer started (promise chains: in-process API calls, watches,
 * programs) settle before the next one runs. `settle` says how: a few microtask turns, or a macrotask.
 * Resolves at exactly now + `ms`, with the number of timers that ran.
 */
import type { Clock } from './clock.ts';

export async function advanceSettled(clock: Clock, ms: number, settle: () => Promise<void>): Promise<number> {
  const end = clock.now() + ms;
  let steps = 0;
  await settle();
  for (let due = clock.nextDueAt(); due !== undefined && due <= end; due = clock.nextDueAt()) {
    clock.step();
    steps++;
    await settle();
  }
  if (clock.now() < end) clock.advance(end - clock.now());
  await settle();
  return steps;
}
