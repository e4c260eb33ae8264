/**
 * Autosaver — when to save the lab: a few seconds after it changes, at most once every `minIntervalMs`
 * (the clock changes the lab every frame while it runs), and at once when asked to flush (the page is
 * hidden or closing, or an import must be kept before anything else happens).
 *
 * Contract: `changed()` is cheap (called for every diff from the worker); one save runs at a time; a
 * change during a save is saved by the next one; a failed save goes to `onError` (the UI shows it) and
 * the lab counts as unsaved until a later save succeeds. Timers and the clock are injected, so tests use
 * fake ones.
 */

export interface AutosaveTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutosaverOptions {
  /** Save the lab; rejects when the save failed. */
  save(): Promise<void>;
  onError(error: unknown): void;
  /** Wait after a change before saving (default 2 s), so a burst of changes is one save. */
  delayMs?: number;
  /** At least this long between the starts of two saves (default 5 s). */
  minIntervalMs?: number;
  timers?: AutosaveTimers;
}

const WINDOW_TIMERS: AutosaveTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Autosaver {
  private dirty = false;
  private timer: unknown;
  private saving: Promise<void> | undefined;
  private lastStart = Number.NEGATIVE_INFINITY;
  private disposed = false;
  private readonly delayMs: number;
  private readonly minIntervalMs: number;
  private readonly timers: AutosaveTimers;

  constructor(private readonly options: AutosaverOptions) {
    this.delayMs = options.delayMs ?? 2000;
    this.minIntervalMs = options.minIntervalMs ?? 5000;
    this.timers = options.timers ?? WINDOW_TIMERS;
  }

  /** Whether there are changes no save has kept yet. */
  get pending(): boolean {
    return this.dirty;
  }

  /** The lab changed: a save follows, after the delay and no sooner than the interval allows. */
  changed(): void {
    this.dirty = true;
    if (this.timer === undefined && this.saving === undefined && !this.disposed) this.schedule();
  }

  /** Save now if anything is unsaved (or `force`), whatever the interval; resolves when saved. */
  async flush(force = false): Promise<void> {
    if (force) this.dirty = true;
    this.cancel();
    if (this.saving) await this.saving;
    if (this.dirty && !this.disposed) await this.run();
  }

  dispose(): void {
    this.disposed = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const now = this.timers.now();
    const at = Math.max(now + this.delayMs, this.lastStart + this.minIntervalMs);
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, at - now);
  }

  private run(): Promise<void> {
    if (!this.dirty || this.disposed) return Promise.resolve();
    this.dirty = false;
    this.lastStart = this.timers.now();
    const saving = this.options
      .save()
      .catch((error: unknown) => {
        this.dirty = true;
        this.options.onError(error);
      })
      .finally(() => {
        this.saving = undefined;
        if (this.dirty && this.timer === undefined && !this.disposed) this.schedule();
      });
    this.saving = saving;
    return saving;
  }
}
