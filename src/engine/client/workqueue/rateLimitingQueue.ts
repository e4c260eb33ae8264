/**
 * RateLimitingQueue — client-go's workqueue.RateLimitingInterface (util/workqueue/rate_limiting_queue.go):
 * a delaying queue that asks a RateLimiter how long a failed item should wait.
 *
 * The controller contract: after a sync fails, `addRateLimited(key)` (the wait grows with each failure of
 * that key, and all keys together respect the overall bucket); after a sync succeeds, `forget(key)` so
 * the key's next failure starts from the base delay again. `numRequeues` lets a controller give up after
 * N tries. `forget` only resets the rate limiter: it does not remove a queued or waiting item.
 */
import type { Clock } from '../../base/clock.ts';
import { DelayingQueue, type DelayingInterface } from './delayingQueue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rateLimiter.ts';

export interface RateLimitingInterface<T> extends DelayingInterface<T> {
  addRateLimited(item: T): void;
  forget(item: T): void;
  numRequeues(item: T): number;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> implements RateLimitingInterface<T> {
  readonly rateLimiter: RateLimiter<T>;

  /** `rateLimiter` defaults to client-go's DefaultControllerRateLimiter on this clock. */
  constructor(clock: Clock, options: { rateLimiter?: RateLimiter<T>; name?: string } = {}) {
    super(clock, options.name);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
