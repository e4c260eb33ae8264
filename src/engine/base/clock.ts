/**
 * Clock — the engine's only source of time.
 *
 * Every delay in the engine (probe periods, backoff, lease renewals, CronJob schedules, CPU ticks) is a
 * timer on this clock's queue. The queue is ordered by (due time, sequence number): two timers due at the
 * same instant run in the order they were scheduled, so a run is a pure function of its inputs.
 *
 * Time only moves when someone moves it:
 * - `step()` runs the next due timer (jumping time to it), `advance(ms)` runs everything due within `ms`
 *   and lands exactly `ms` later, `runUntil(predicate, maxMs)` steps until the predicate holds. These run
 *   as fast as the CPU allows; tests and lesson checks use them, never sleeps.
 * - In real-time mode a host (the worker, `kubelab serve`) calls `advanceReal(wallMs)` as wall time passes;
 *   the clock converts it to virtual time with `speed` (0.25×–100×) and does nothing while paused. The
 *   engine itself never reads the wall clock.
 *
 * Guarantees: time never goes backwards (but for `travel`, when a lab is restored from its image); a
 * callback sees `now()` equal to its due time; a timer cancelled before it runs never runs; timers
 * scheduled by a callback for "now" run in the same advance, after the ones already queued for that instant.
 */
import { Emitter } from './emitter.ts';

export interface Timer {
  /** Virtual time (ms since the Unix epoch) at which the callback runs. */
  readonly dueAt: number;
  /** What scheduled it, for traces and debugging (e.g. "kubelet/probe web-0"). */
  readonly label: string;
  cancel(): void;
  readonly cancelled: boolean;
}

export interface ClockState {
  /** Virtual time, ms since the Unix epoch. */
  readonly now: number;
  readonly paused: boolean;
  /** Virtual ms per wall ms in real-time mode. */
  readonly speed: number;
  /** Timers waiting in the queue. */
  readonly pending: number;
}

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 100;

/** A fixed start for headless and test clusters, so their output is the same on every run. */
export const DEFAULT_EPOCH = Date.UTC(2026, 0, 1, 0, 0, 0);

/** A queue entry is also the Timer handed to the caller: one object per timer, no closures. */
class Entry implements Timer {
  cancelled = false;

  constructor(
    private readonly clock: Clock,
    public dueAt: number,
    public seq: number,
    readonly label: string,
    readonly callback: () => void,
    /** For `every`: the period to reschedule with (0 for one-shot timers). */
    readonly period: number,
  ) {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.clock.timerCancelled();
  }
}

export class Clock {
  private current: number;
  private seq = 0;
  private readonly heap: Entry[] = [];
  private live = 0;
  private _paused: boolean;
  private _speed = 1;
  private running = false;
  /** Virtual ms of real-time progress not yet applied (sub-millisecond remainders). */
  private realRemainder = 0;

  private readonly _onDidChangeState = new Emitter<ClockState>();
  /** Fires after play/pause/speed changes and after each `advance`, `step` or `advanceReal` that moved time. */
  readonly onDidChangeState = this._onDidChangeState.event;

  constructor(options: { startTime?: number; paused?: boolean } = {}) {
    this.current = options.startTime ?? DEFAULT_EPOCH;
    this._paused = options.paused ?? true;
  }

  /** Virtual time in ms since the Unix epoch. */
  now(): number {
    return this.current;
  }

  get paused(): boolean {
    return this._paused;
  }

  get speed(): number {
    return this._speed;
  }

  get state(): ClockState {
    return { now: this.current, paused: this._paused, speed: this._speed, pending: this.live };
  }

  /** Run `callback` once, `delayMs` of virtual time from now (0 = after what is already due now). */
  after(delayMs: number, callback: () => void, label = ''): Timer {
    return this.schedule(this.current + checkDelay(delayMs, 'after'), 0, callback, label);
  }

  /** Run `callback` every `periodMs`, first at now + periodMs. */
  every(periodMs: number, callback: () => void, label = ''): Timer {
    const period = checkDelay(periodMs, 'every');
    if (period === 0) throw new RangeError('Clock.every: period must be greater than 0 ms');
    return this.schedule(this.current + period, period, callback, label);
  }

  /** Run the next due timer, moving time to it. Returns false when the queue is empty. */
  step(): boolean {
    const next = this.peek();
    if (!next) return false;
    this.runDue(next.dueAt);
    this.changed();
    return true;
  }

  /** Run every timer due within `ms`, then stand exactly `ms` later. */
  advance(ms: number): void {
    const target = this.current + checkDelay(ms, 'advance');
    this.runDue(target);
    this.changed();
  }

  /**
   * Step until `predicate()` holds or `maxMs` of virtual time has passed. Returns whether it holds.
   * The predicate is checked before the first step and after every timer.
   */
  runUntil(predicate: () => boolean, maxMs: number): boolean {
    const limit = this.current + checkDelay(maxMs, 'runUntil');
    let moved = false;
    try {
      while (!predicate()) {
        const next = this.peek();
        if (!next || next.dueAt > limit) {
          this.runDue(limit);
          moved = true;
          return predicate();
        }
        this.runOne(next);
        moved = true;
      }
      return true;
    } finally {
      if (moved) this.changed();
    }
  }

  /**
   * Set virtual time to `now` (earlier or later), moving every queued timer with it so each keeps the delay
   * it had left: what restoring a saved lab does to the lab's own timers (its shells, its diagrams' watches).
   * The one exception to "time never goes backwards"; nothing runs. Not from inside a timer callback.
   */
  travel(now: number): void {
    if (this.running) throw new Error('Clock: travel called from inside a timer callback');
    if (!Number.isFinite(now)) throw new RangeError(`Clock.travel: time must be a finite number, got ${now}`);
    const delta = now - this.current;
    // The same shift for every entry keeps the heap's order.
    for (const entry of this.heap) entry.dueAt += delta;
    this.current = now;
    this.realRemainder = 0;
    this.changed();
  }

  /** The due time of the next timer, or undefined when none is queued. */
  nextDueAt(): number | undefined {
    return this.peek()?.dueAt;
  }

  // —— real-time mode ——

  play(): void {
    if (!this._paused) return;
    this._paused = false;
    this.changed();
  }

  pause(): void {
    if (this._paused) return;
    this._paused = true;
    this.realRemainder = 0;
    this.changed();
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
      throw new RangeError(`Clock speed must be between ${MIN_SPEED}× and ${MAX_SPEED}×, got ${speed}`);
    }
    if (speed === this._speed) return;
    this._speed = speed;
    this.changed();
  }

  /**
   * Called by a real-time host as wall time passes: advances virtual time by `wallMs × speed`
   * unless paused. Returns the virtual ms advanced.
   */
  advanceReal(wallMs: number): number {
    if (this._paused || !(wallMs > 0)) return 0;
    const exact = wallMs * this._speed + this.realRemainder;
    const whole = Math.floor(exact);
    this.realRemainder = exact - whole;
    if (whole > 0) this.advance(whole);
    return whole;
  }

  /** Wall ms until the next timer is due at the current speed (Infinity when paused or idle). */
  wallMsUntilNext(): number {
    const due = this.nextDueAt();
    if (this._paused || due === undefined) return Infinity;
    return Math.max(0, (due - this.current - this.realRemainder) / this._speed);
  }

  // —— queue ——

  private schedule(dueAt: number, period: number, callback: () => void, label: string): Timer {
    const entry = new Entry(this, dueAt, this.seq++, label, callback, period);
    this.push(entry);
    this.live++;
    return entry;
  }

  /** Called by a Timer when it is cancelled. */
  timerCancelled(): void {
    this.live--;
  }

  private runDue(target: number): void {
    if (this.running) throw new Error('Clock: advance/step called from inside a timer callback');
    for (let next = this.peek(); next && next.dueAt <= target; next = this.peek()) this.runOne(next);
    this.current = Math.max(this.current, target);
  }

  private runOne(entry: Entry): void {
    this.pop();
    this.current = entry.dueAt;
    if (entry.period > 0) {
      entry.dueAt += entry.period;
      entry.seq = this.seq++;
      this.push(entry);
    } else {
      entry.cancelled = true;
      this.live--;
    }
    this.running = true;
    try {
      entry.callback();
    } finally {
      this.running = false;
    }
  }

  /** The earliest live entry, dropping cancelled ones from the top. */
  private peek(): Entry | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private changed(): void {
    if (this._onDidChangeState.hasListeners) this._onDidChangeState.fire(this.state);
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && before(heap[r]!, heap[l]!) ? r : l;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}

function checkDelay(ms: number, what: string): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Clock.${what}: delay must be a finite number ≥ 0, got ${ms}`);
  return ms;
}
