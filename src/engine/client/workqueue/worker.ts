/**
 * The controller worker loop — what every kube-controller-manager controller writes by hand
 * (`worker → processNextWorkItem → syncHandler(key)`), written once:
 *
 *   processNextWorkItem: get a key (or learn the queue shut down); run syncHandler(key); on success
 *   `forget(key)` (reset its backoff), on failure `addRateLimited(key)` (retry later, slower each time);
 *   in every case `done(key)`, so the key can be handed out again.
 *
 * `runWorkers(queue, n, syncHandler)` runs n such loops concurrently (as `go wait.Until(worker, …)` n
 * times) and resolves when all have seen the queue shut down. The workqueue guarantees no two workers
 * sync the same key at once. A key that keeps failing is retried forever unless `maxRetries` is given,
 * after which it is forgotten and `onDrop` told (as the Job and EndpointSlice controllers do).
 */
import type { RateLimitingInterface } from './rateLimitingQueue.ts';

export interface WorkerOptions<T> {
  /** Give up on a key after this many failed syncs in a row (default: never). */
  maxRetries?: number;
  /** A sync failed (utilruntime.HandleError): for traces and logs. */
  onError?: (item: T, error: unknown) => void;
  /** A key was given up on after maxRetries. */
  onDrop?: (item: T, error: unknown) => void;
}

/** One round of a worker; resolves false once the queue has shut down. */
export async function processNextWorkItem<T>(queue: RateLimitingInterface<T>, syncHandler: (item: T) => Promise<void> | void, options: WorkerOptions<T> = {}): Promise<boolean> {
  const next = await queue.get();
  if (next.shutdown) return false;
  const item = next.item;
  try {
    await syncHandler(item);
    queue.forget(item);
  } catch (error) {
    options.onError?.(item, error);
    if (options.maxRetries !== undefined && queue.numRequeues(item) >= options.maxRetries) {
      queue.forget(item);
      options.onDrop?.(item, error);
    } else {
      queue.addRateLimited(item);
    }
  } finally {
    queue.done(item);
  }
  return true;
}

/** Run `workers` loops of processNextWorkItem; resolves when every loop has stopped at shutdown. */
export async function runWorkers<T>(queue: RateLimitingInterface<T>, workers: number, syncHandler: (item: T) => Promise<void> | void, options: WorkerOptions<T> = {}): Promise<void> {
  const worker = async () => {
    while (await processNextWorkItem(queue, syncHandler, options));
  };
  await Promise.all(Array.from({ length: workers }, worker));
}
