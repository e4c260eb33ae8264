/**
 * Workqueue — client-go's workqueue.Type (util/workqueue/queue.go): the queue between a controller's
 * event handlers (which only compute a key and `add` it) and its workers (which `get`, sync, `done`).
 *
 * Guarantees (the reason controllers use it instead of a plain FIFO):
 * - Fair: items are handed out in the order they were added.
 * - Stingy: an item added many times before it is handed out is handed out once (the queue is a set
 *   of dirty items, so a burst of events for one object costs one sync).
 * - Never concurrent per item: an item handed out and not yet `done` is not handed out again; if it
 *   is added meanwhile it is remembered as dirty and queued again when `done` is called. Two workers
 *   therefore never sync the same key at once, and a change during a sync is never lost.
 * - `shutDown`: `add` is ignored from then on; `get` keeps handing out what is queued and then answers
 *   `{ shutdown: true }` — to every waiting and every later caller. `shutDownWithDrain` also waits for
 *   every handed-out item to be `done`.
 *
 * Items are compared as Set members (SameValueZero): use strings (keys), as controllers do.
 * `get` is asynchronous: it resolves at once when an item is queued, else when one is added. Left out:
 * metrics and the pluggable underlying queue.
 */

export type GetResult<T> = { item: T; shutdown: false } | { item?: undefined; shutdown: true };

export interface Interface<T> {
  add(item: T): void;
  len(): number;
  get(): Promise<GetResult<T>>;
  done(item: T): void;
  shutDown(): void;
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

export class Type<T> implements Interface<T> {
  /** The order items are handed out in; every element is also in `dirty`. */
  private queue: T[] = [];
  /** Items that need processing (queued, or added again while processing). */
  private readonly dirty = new Set<T>();
  /** Items handed out and not yet done. */
  private readonly processing = new Set<T>();
  private readonly waiters: Array<(result: GetResult<T>) => void> = [];
  private drainWaiters: Array<() => void> = [];
  private shutdown = false;

  add(item: T): void {
    if (this.shutdown || this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.dispatch();
  }

  /** Number of items waiting to be handed out (not those being processed). */
  len(): number {
    return this.queue.length;
  }

  get(): Promise<GetResult<T>> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shutdown) return Promise.resolve({ shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The item's processing is over; if it was added meanwhile, it is queued again now. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.dispatch();
    }
    if (this.processing.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  shutDown(): void {
    this.shutdown = true;
    // Waiters exist only while the queue is empty: nothing more will come for them.
    for (const resolve of this.waiters.splice(0)) resolve({ shutdown: true });
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  /** Shut down, resolving once every handed-out item is done (workers should keep draining meanwhile). */
  shutDownWithDrain(): Promise<void> {
    this.shutdown = true;
    for (const resolve of this.waiters.splice(0)) resolve({ shutdown: true });
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  shuttingDown(): boolean {
    return this.shutdown;
  }

  private take(): GetResult<T> {
    const item = this.queue.shift()!;
    this.processing.add(item);
    this.dirty.delete(item);
    return { item, shutdown: false };
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) this.waiters.shift()!(this.take());
  }
}
