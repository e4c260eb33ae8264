/**
 * RealTimeDriver — moves a Clock with wall time, for hosts that show a live lab (the worker, `kubelab
 * serve`). The engine never reads the wall clock itself, so the host passes in how to read it and how to
 * set a timer; tests pass fakes.
 *
 * While the clock plays, the driver wakes at least every `maxTickMs` (so a UI clock keeps moving and a new
 * short timer waits at most that long) or sooner when a timer is due, and advances virtual time by the
 * wall time that passed × speed. While paused it sleeps, and it resumes on play.
 */
import type { Clock } from './clock.ts';
import type { Disposable } from './emitter.ts';

export interface WallHost {
  /** Wall time in ms (any origin). */
  now(): number;
  /** Call `fn` after about `ms` wall ms; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export class RealTimeDriver {
  private last = 0;
  private cancelTimer: (() => void) | undefined;
  private disposed = false;
  private readonly subscription: Disposable;
  /** Set when a tick threw: the driver stops, and the host decides what to tell the user. */
  failure: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly host: WallHost,
    private readonly onError: (error: unknown) => void,
    private readonly maxTickMs = 16,
  ) {
    this.subscription = clock.onDidChangeState((state) => {
      if (!state.paused && this.cancelTimer === undefined && this.failure === undefined) this.resume();
    });
    if (!clock.paused) this.resume();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private resume(): void {
    this.last = this.host.now();
    this.schedule();
  }

  private schedule(): void {
    // A state change during a tick may have scheduled already: one wake-up at a time.
    this.cancelTimer?.();
    const wait = Math.min(this.maxTickMs, this.clock.wallMsUntilNext());
    this.cancelTimer = this.host.setTimer(this.tick, Math.max(0, wait));
  }

  private readonly tick = (): void => {
    this.cancelTimer = undefined;
    if (this.disposed) return;
    const now = this.host.now();
    const wall = now - this.last;
    this.last = now;
    try {
      this.clock.advanceReal(wall);
    } catch (error) {
      this.failure = error;
      this.onError(error);
      return;
    }
    if (!this.clock.paused) this.schedule();
  };
}
