/**
 * Rate limiters — client-go's workqueue rate limiters (util/workqueue/default_rate_limiters.go): how long
 * a failed item waits before it is retried.
 *
 * - ItemExponentialFailureRateLimiter: per item, base × 2^failures, capped (controllers: 5ms → 1000s);
 *   `forget` resets the item.
 * - BucketRateLimiter: an overall token bucket (10 qps, burst 100), so a storm of failing items cannot
 *   retry faster than that together. It knows no items: `forget` does nothing.
 * - MaxOfRateLimiter: the longest wait of several; `defaultControllerRateLimiter()` is the max of the
 *   two above, as client-go's DefaultControllerRateLimiter.
 * - ItemFastSlowRateLimiter: `fast` for the first `maxFastAttempts` tries, `slow` after.
 *
 * Delays are whole ms of virtual time (the bucket reads the injected Clock).
 */
import type { Clock } from '../../base/clock.ts';
import { TokenBucket } from './tokenBucket.ts';

export interface RateLimiter<T> {
  /** How long to wait before retrying `item` (and count this as a failure). */
  when(item: T): number;
  /** Stop tracking `item` (it succeeded, or was given up on). */
  forget(item: T): void;
  /** How many times `item` has failed since it was last forgotten. */
  numRequeues(item: T): number;
}

export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs: number,
    readonly maxDelayMs: number,
  ) {}

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseDelayMs * 2 ** exp;
    return backoff > this.maxDelayMs ? this.maxDelayMs : backoff;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export class BucketRateLimiter<T> implements RateLimiter<T> {
  constructor(readonly bucket: TokenBucket) {}

  when(_item: T): number {
    return this.bucket.reserve();
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly fastDelayMs: number,
    readonly slowDelayMs: number,
    readonly maxFastAttempts: number,
  ) {}

  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  /** Asks every limiter (each counts the failure), answers the longest wait. */
  when(item: T): number {
    let longest = 0;
    for (const limiter of this.limiters) longest = Math.max(longest, limiter.when(item));
    return longest;
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const limiter of this.limiters) most = Math.max(most, limiter.numRequeues(item));
    return most;
  }
}

/** client-go's DefaultControllerRateLimiter: max(per-item 5ms → 1000s, overall 10 qps burst 100). */
export function defaultControllerRateLimiter<T>(clock: Clock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(new TokenBucket(clock, 10, 100)));
}
