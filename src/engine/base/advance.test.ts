import { describe, expect, it } from 'vitest';
import { advanceSettled } from './advance.ts';
import { Clock } from './clock.ts';

describe('advanceSettled', () => {
  it('runs each due timer with its continuations settled before the next, and ends exactly at now + ms', async () => {
    const clock = new Clock({ startTime: 0 });
    const seen: string[] = [];
    clock.after(10, () => void Promise.resolve().then(() => clock.after(5, () => seen.push(`chained at ${clock.now()}`))));
    clock.after(12, () => seen.push(`plain at ${clock.now()}`));
    clock.after(100, () => seen.push('too late'));
    const steps = await advanceSettled(clock, 50, async () => {
      for (let i = 0; i < 3; i++) await Promise.resolve();
    });
    expect(seen).toEqual(['plain at 12', 'chained at 15']);
    expect(steps).toBe(3);
    expect(clock.now()).toBe(50);
  });
});
