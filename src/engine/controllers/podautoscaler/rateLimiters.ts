/**
 * The HPA's work queue rate limiter — pkg/controller/podautoscaler/rate_limiters.go.
 *
 * Every HPA key waits the same fixed interval (the sync period) whether it is queued by the informer,
 * requeued after a sync, or requeued after a failed one: a failing HPA is retried once a period, not
 * after an exponential back-off starting at 5 ms (which would also spend its events' spam budget — 25
 * per object — in a second).
 */
import type { RateLimiter } from '../../client/workqueue/rateLimiter.ts';

/** FixedItemIntervalRateLimiter: `intervalMs` for every item, every time. */
export class FixedItemIntervalRateLimiter<T> implements RateLimiter<T> {
  constructor(readonly intervalMs: number) {}

  when(_item: T): number {
    return this.intervalMs;
  }

  /** Always 1, as upstream: the limiter keeps no per-item state. */
  numRequeues(_item: T): number {
    return 1;
  }

  forget(_item: T): void {}
}

/** NewDefaultHPARateLimiter: the fixed interval of the sync period. */
export function newDefaultHPARateLimiter<T>(intervalMs: number): RateLimiter<T> {
  return new FixedItemIntervalRateLimiter<T>(intervalMs);
}
