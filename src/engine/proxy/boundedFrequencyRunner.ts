/**
 * BoundedFrequencyRunner — kube-proxy's pkg/util/async runner, which governs how often the proxier
 * rewrites the rules: `run()` asks for a run, which happens at once while a token bucket (burst
 * `burst`, one token per `minIntervalMs`) allows it and otherwise as soon as the next token is due;
 * asks made meanwhile fold into that one run. With no ask, it runs every `maxIntervalMs` after the
 * last run. `retryAfter(ms)` brings the next run forward to at most `ms` away (a failed sync's retry).
 * Time is the caller's virtual clock.
 *
 * Left out: the V(3) "sync-runner: ran, next possible in …" log lines.
 */
import type { Timer } from '../base/clock.ts';

/** What the runner needs of a clock: a process's ProgramContext or the Clock itself. */
export interface RunnerScheduler {
  now(): number;
  after(ms: number, fn: () => void, label?: string): Timer;
}

export class BoundedFrequencyRunner {
  private tokens: number;
  private lastRefill: number;
  private timer: Timer | undefined;
  private stopped = false;
  private looping = false;

  constructor(
    private readonly name: string,
    private readonly fn: () => void,
    private readonly minIntervalMs: number,
    private readonly maxIntervalMs: number,
    private readonly burst: number,
    private readonly scheduler: RunnerScheduler,
  ) {
    this.tokens = burst;
    this.lastRefill = scheduler.now();
  }

  /** Start the loop: the first periodic run comes `maxIntervalMs` from now. */
  loop(): void {
    if (this.looping || this.stopped) return;
    this.looping = true;
    this.schedule(this.maxIntervalMs);
  }

  /** Ask for a run: now if the bucket allows, else when the next token is due. */
  run(): void {
    if (!this.looping || this.stopped) return;
    this.schedule(0);
  }

  /** Run again no later than `ms` from now. */
  retryAfter(ms: number): void {
    if (!this.looping || this.stopped) return;
    this.schedule(ms);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Keep the earlier of the pending wake-up and one `delayMs` from now. */
  private schedule(delayMs: number): void {
    const due = this.scheduler.now() + delayMs;
    if (this.timer && !this.timer.cancelled && this.timer.dueAt <= due) return;
    this.timer?.cancel();
    this.timer = this.scheduler.after(delayMs, () => this.tryRun(), this.name);
  }

  private tryRun(): void {
    this.timer = undefined;
    if (this.stopped) return;
    if (this.tryAccept()) {
      this.fn();
      if (!this.timer) this.schedule(this.maxIntervalMs);
      return;
    }
    // The next token is due in (1 - tokens) × minInterval.
    this.schedule(Math.min(Math.ceil((1 - this.tokens) * this.minIntervalMs), this.maxIntervalMs));
  }

  /** The token bucket: refill at one token per minInterval, up to `burst`. */
  private tryAccept(): boolean {
    if (this.minIntervalMs <= 0) return true;
    const now = this.scheduler.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.lastRefill) / this.minIntervalMs);
    this.lastRefill = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
