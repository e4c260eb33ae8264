// client-go's util/workqueue: the Type queue (fair, stingy, never concurrent per item), DelayingQueue and
// RateLimitingQueue on the virtual Clock, the default rate limiters (per-item exponential 5ms → 1000s,
// overall 10 qps burst 100), and the controller worker loop. Left out: metrics, ParallelizeUntil.
export { Type, type GetResult, type Interface } from './workqueue.ts';
export { DelayingQueue, type DelayingInterface } from './delayingQueue.ts';
export { RateLimitingQueue, type RateLimitingInterface } from './rateLimitingQueue.ts';
export { BucketRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter, type RateLimiter } from './rateLimiter.ts';
export { TokenBucket } from './tokenBucket.ts';
export { processNextWorkItem, runWorkers, type WorkerOptions } from './worker.ts';
