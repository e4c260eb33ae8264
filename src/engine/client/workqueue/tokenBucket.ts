/**
 * TokenBucket — the token bucket behind client-go's rate limits (golang.org/x/time/rate.Limiter, as
 * wrapped by workqueue's BucketRateLimiter and util/flowcontrol's token bucket), on the virtual Clock.
 *
 * The bucket holds up to `burst` tokens and starts full; it refills at `qps` tokens per second of
 * virtual time. `tryAccept` takes a token if one is there (flowcontrol.TryAccept: the event spam
 * filter). `reserve` always takes one, letting the bucket go negative, and returns how long the caller
 * must wait for its token (rate.Limiter.Reserve().Delay(): the workqueue's overall rate limit), so
 * reservations queue up one 1/qps apart.
 */
import type { Clock } from '../../base/clock.ts';

/** Token counts within this of a whole token count as whole (float dust from qps like 1/300). */
const EPSILON = 1e-9;

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    readonly qps: number,
    readonly burst: number,
  ) {
    if (!(qps > 0) || !(burst > 0)) throw new RangeError(`TokenBucket: qps and burst must be > 0, got ${qps}, ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  /** Take a token if one is available now (or at `now`, a time not before the last call's). */
  tryAccept(now = this.clock.now()): boolean {
    this.refill(now);
    if (this.tokens < 1 - EPSILON) return false;
    this.tokens -= 1;
    return true;
  }

  /** Take a token, possibly in advance; returns the whole ms to wait until it is ours (0: now). */
  reserve(now = this.clock.now()): number {
    this.refill(now);
    this.tokens -= 1;
    if (this.tokens >= -EPSILON) return 0;
    return Math.ceil((-this.tokens * 1000) / this.qps - EPSILON);
  }

  /** Tokens available now (may be negative after reservations). */
  available(): number {
    this.refill(this.clock.now());
    return this.tokens;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
  }
}
