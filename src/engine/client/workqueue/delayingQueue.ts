/**
 * DelayingQueue — client-go's workqueue.DelayingInterface (util/workqueue/delaying_queue.go): a
 * workqueue whose items can be added after a delay, each delay a timer on the injected Clock.
 *
 * Guarantees: `addAfter(item, ms)` adds the item once `ms` of virtual time has passed (at once for
 * ms ≤ 0), with all the workqueue's guarantees from then on. An item waiting already is not waited for
 * twice: a second `addAfter` keeps whichever time is earlier. `shutDown` cancels every waiting timer.
 * Items due at the same instant are added in the order they were scheduled (the clock's tie rule).
 */
import type { Clock, Timer } from '../../base/clock.ts';
import { Type, type Interface } from './workqueue.ts';

export interface DelayingInterface<T> extends Interface<T> {
  addAfter(item: T, delayMs: number): void;
}

export class DelayingQueue<T> extends Type<T> implements DelayingInterface<T> {
  private readonly waiting = new Map<T, Timer>();

  constructor(
    protected readonly clock: Clock,
    private readonly name = 'workqueue',
  ) {
    super();
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(item);
    if (existing) {
      if (existing.dueAt <= readyAt) return;
      existing.cancel();
    }
    this.waiting.set(
      item,
      this.clock.after(
        delayMs,
        () => {
          this.waiting.delete(item);
          this.add(item);
        },
        `${this.name} addAfter`,
      ),
    );
  }

  override shutDown(): void {
    this.cancelWaiting();
    super.shutDown();
  }

  override shutDownWithDrain(): Promise<void> {
    this.cancelWaiting();
    return super.shutDownWithDrain();
  }

  private cancelWaiting(): void {
    for (const timer of this.waiting.values()) timer.cancel();
    this.waiting.clear();
  }
}
