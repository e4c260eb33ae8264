import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rateLimiter.ts';
import { TokenBucket } from './tokenBucket.ts';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per failure from the base, capped, per item; forget resets', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
    const delays = Array.from({ length: 20 }, () => limiter.when('a'));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1000_000);
    expect(delays[19]).toBe(1000_000);
    expect(limiter.when('b')).toBe(5);
    expect(limiter.numRequeues('a')).toBe(20);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then spaces reservations 1/qps apart, refilling with virtual time', () => {
    const clock = new Clock();
    const bucket = new TokenBucket(clock, 10, 100);
    const delays = Array.from({ length: 103 }, () => bucket.reserve());
    expect(delays.slice(0, 100).every((d) => d === 0)).toBe(true);
    expect(delays.slice(100)).toEqual([100, 200, 300]);
    clock.advance(10_300);
    expect(bucket.available()).toBeCloseTo(100);
  });

  it.each([
    [0, false],
    [299_999, false],
    [300_000, true],
  ])('tryAccept at 1/300 qps, burst 1: after %i ms → %s', (ms, accepted) => {
    const clock = new Clock();
    const bucket = new TokenBucket(clock, 1 / 300, 1);
    expect(bucket.tryAccept()).toBe(true);
    clock.advance(ms);
    expect(bucket.tryAccept()).toBe(accepted);
  });
});

describe('MaxOfRateLimiter / defaultControllerRateLimiter', () => {
  it('answers the longest wait of its limiters', () => {
    const clock = new Clock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    // 100 distinct items empty the bucket (each waits its own 5ms), the 101st waits for the bucket.
    const first = Array.from({ length: 100 }, (_, i) => limiter.when(`k${i}`));
    expect(new Set(first)).toEqual(new Set([5]));
    expect(limiter.when('k100')).toBe(100);
    // An item failing repeatedly is held by its own backoff once that exceeds the bucket's.
    const item = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(5, 1000_000), new BucketRateLimiter(new TokenBucket(clock, 10, 100)));
    const waits = Array.from({ length: 12 }, () => item.when('x'));
    expect(waits.slice(8)).toEqual([1280, 2560, 5120, 10_240]);
    expect(item.numRequeues('x')).toBe(12);
    item.forget('x');
    expect(item.numRequeues('x')).toBe(0);
  });
});

describe('ItemFastSlowRateLimiter', () => {
  it('is fast for maxFastAttempts, then slow', () => {
    const limiter = new ItemFastSlowRateLimiter<string>(10, 1000, 2);
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([10, 10, 1000]);
    limiter.forget('a');
    expect(limiter.when('a')).toBe(10);
  });
});
