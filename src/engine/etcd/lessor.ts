/**
 * Lessor — etcd's lease bookkeeping (server/lease/lessor.go): granted leases, the keys attached to each,
 * and their expiry on the virtual clock.
 *
 * Contract: a lease lives `ttl` seconds from its grant or last renewal; when that time comes the lessor
 * calls `onExpire(id)` and the server revokes it (deleting its keys in one revision). TTLs below etcd's
 * minimum (2 s with the default heartbeat and election timeout) are raised to it, as upstream does.
 *
 * Left out: the primary/secondary lessor split, checkpointing, and the 500 ms expiry sweep: a lease here
 * expires exactly at its deadline.
 */
import type { Clock, Timer } from '../base/clock.ts';
import type { LeaseHooks } from './store.ts';

/** etcd's minimum TTL: ceil(1.5 × election ticks × heartbeat) = ceil(1.5 s) with the defaults. */
export const MIN_LEASE_TTL = 2;
/** etcd's MaxLeaseTTL (seconds). */
export const MAX_LEASE_TTL = 9_000_000_000;

export interface Lease {
  readonly id: bigint;
  /** Granted TTL in seconds. */
  readonly ttl: number;
  /** Virtual time (ms) at which it expires. */
  expiresAt: number;
  readonly keys: Set<string>;
  timer: Timer | undefined;
}

export class Lessor implements LeaseHooks {
  private readonly leases = new Map<bigint, Lease>();

  constructor(
    private readonly clock: Clock,
    private readonly onExpire: (id: bigint) => void,
  ) {}

  grant(id: bigint, ttl: number): Lease {
    const lease: Lease = { id, ttl: Math.max(ttl, MIN_LEASE_TTL), expiresAt: 0, keys: new Set(), timer: undefined };
    this.leases.set(id, lease);
    this.renew(id);
    return lease;
  }

  /** Push the lease's deadline to now + ttl. */
  renew(id: bigint): Lease | undefined {
    const lease = this.leases.get(id);
    if (!lease) return undefined;
    lease.timer?.cancel();
    lease.expiresAt = this.clock.now() + lease.ttl * 1000;
    lease.timer = this.clock.after(lease.ttl * 1000, () => this.onExpire(id), `etcd lease ${id.toString(16).padStart(16, '0')}`);
    return lease;
  }

  /** Forget a lease (its keys are the caller's to delete first). */
  remove(id: bigint): void {
    const lease = this.leases.get(id);
    if (!lease) return;
    lease.timer?.cancel();
    this.leases.delete(id);
  }

  lookup(id: bigint): Lease | undefined {
    return this.leases.get(id);
  }

  /** Every live lease, in grant order. */
  all(): Lease[] {
    return [...this.leases.values()];
  }

  attach(lease: bigint, key: string): void {
    this.leases.get(lease)?.keys.add(key);
  }

  detach(lease: bigint, key: string): void {
    this.leases.get(lease)?.keys.delete(key);
  }

  /** Stop every expiry timer (the server is going away). */
  stop(): void {
    for (const lease of this.leases.values()) lease.timer?.cancel();
  }
}
