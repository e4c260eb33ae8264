/**
 * Backoff — client-go's util/flowcontrol/backoff.go: a per-key exponential backoff on the virtual clock.
 * `next(id, now)` starts a key at the initial duration, or doubles it (capped at the maximum) if the key
 * was last bumped less than twice the maximum ago; `isInBackOffSinceUpdate(id, now)` says whether `now`
 * is still inside the window opened by that last bump. Entries untouched for twice the maximum expire
 * (and `gc` drops them). The DaemonSet controller keys it by DaemonSet and node, so a daemon pod the
 * kubelet keeps rejecting is deleted and recreated 1s, 2s, 4s… apart (flowcontrol.NewBackOff(1s, 15m)).
 *
 * Left out: jitter (NewBackOff has none) and the alternate expiration of NewFakeBackOff and friends.
 */
import type { Clock } from '../../base/clock.ts';

interface BackoffEntry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly perItemBackoff = new Map<string, BackoffEntry>();

  constructor(
    readonly clock: Clock,
    private readonly defaultDurationMs: number,
    private readonly maxDurationMs: number,
  ) {}

  /** The current backoff of `id` in ms (0 if it has none). */
  get(id: string): number {
    return this.perItemBackoff.get(id)?.backoffMs ?? 0;
  }

  /** Move `id` to its next backoff: the initial one if it has none or it expired, else double, capped. */
  next(id: string, eventTime: number): void {
    const entry = this.perItemBackoff.get(id);
    if (!entry || this.hasExpired(eventTime, entry.lastUpdate)) {
      this.perItemBackoff.set(id, { backoffMs: this.defaultDurationMs, lastUpdate: this.clock.now() });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxDurationMs);
    entry.lastUpdate = this.clock.now();
  }

  /** Whether less than the current backoff has passed between the last `next` of `id` and `eventTime`. */
  isInBackOffSinceUpdate(id: string, eventTime: number): boolean {
    const entry = this.perItemBackoff.get(id);
    if (!entry || this.hasExpired(eventTime, entry.lastUpdate)) return false;
    return eventTime - entry.lastUpdate < entry.backoffMs;
  }

  reset(id: string): void {
    this.perItemBackoff.delete(id);
  }

  /** Drop the entries not bumped for twice the maximum (callers run it periodically). */
  gc(): void {
    const now = this.clock.now();
    for (const [id, entry] of this.perItemBackoff) if (now - entry.lastUpdate > this.maxDurationMs * 2) this.perItemBackoff.delete(id);
  }

  /** An entry is stable again once it has been left alone for twice the maximum. */
  private hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > this.maxDurationMs * 2;
  }
}
