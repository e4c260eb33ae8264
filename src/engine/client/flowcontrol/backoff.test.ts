import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('starts at the initial duration and doubles per bump, capped at the maximum', () => {
    const clock = new Clock();
    const backoff = new Backoff(clock, 1000, 5000);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      backoff.next('a', clock.now());
      seen.push(backoff.get('a'));
      clock.advance(100);
    }
    expect(seen).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoff.get('b')).toBe(0);
  });

  it.each([
    ['just bumped', 0, true],
    ['inside the window', 999, true],
    ['the window has passed', 1000, false],
    ['expired after twice the maximum', 10_001, false],
  ])('isInBackOffSinceUpdate: %s', (_name, elapsed, inBackoff) => {
    const clock = new Clock();
    const backoff = new Backoff(clock, 1000, 5000);
    backoff.next('a', clock.now());
    expect(backoff.isInBackOffSinceUpdate('a', clock.now() + elapsed)).toBe(inBackoff);
  });

  it('restarts from the initial duration once an entry expired, and gc drops expired entries', () => {
    const clock = new Clock();
    const backoff = new Backoff(clock, 1000, 5000);
    backoff.next('a', clock.now());
    backoff.next('a', clock.now());
    expect(backoff.get('a')).toBe(2000);
    clock.advance(10_001);
    backoff.next('a', clock.now());
    expect(backoff.get('a')).toBe(1000);
    clock.advance(10_001);
    backoff.gc();
    expect(backoff.get('a')).toBe(0);
    expect(backoff.isInBackOffSinceUpdate('a', clock.now())).toBe(false);
  });
});
