/**
 * LeaderElector — client-go's tools/leaderelection with a LeaseLock: how kube-controller-manager and
 * kube-scheduler make sure one instance acts at a time. The lock is a coordination.k8s.io/v1 Lease
 * (`kube-system/kube-controller-manager`), its `holderIdentity` the leader, `renewTime` its heartbeat.
 *
 * The loop, on the virtual clock: every `retryPeriod` (jittered by up to 1.2×, as wait.JitterUntil) try to
 * acquire — create the Lease, or take it over once its holder has not renewed for `leaseDuration` — and
 * once leading, renew every `retryPeriod`. A leader that fails to renew for `renewDeadline` steps down
 * (`onStoppedLeading`), as a real one exits. Writes are optimistic updates: two electors never both win.
 *
 * Guarantees: `onStartedLeading` runs once per term, before any renewal; `onNewLeader` reports each
 * change of holder observed; after `stop()` no timer remains. With `releaseOnCancel` the lease is
 * given up on stop (holderIdentity cleared, leaseDurationSeconds 1) so a successor need not wait.
 * Left out: the ConfigMap/Endpoints locks, MultiLock, the health-check adaptor, coordinated election.
 */
import type { Lease } from 'kubernetes-types/coordination/v1';
import { rfc3339Micro } from '../../api/time.ts';
import type { Clock, Timer } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { isNotFound } from '../../api/errors.ts';
import { EVENT_TYPE_NORMAL, type EventRecorder } from '../record/eventRecorder.ts';
import type { KubeObject, RestClient } from '../rest/restClient.ts';
import { RESOURCES } from '../resources.ts';

/** kube-controller-manager's and kube-scheduler's defaults (--leader-elect-*). */
export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
const JITTER_FACTOR = 1.2;

export interface LeaderElectionConfig {
  client: RestClient;
  clock: Clock;
  rng: SeededRng;
  namespace: string;
  name: string;
  /** This candidate, e.g. `control-plane_4f1c…` (hostname and a uuid, as the components build it). */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
  /** Records the `LeaderElection` event (`<identity> became leader`) on the Lease. */
  recorder?: EventRecorder;
  onStartedLeading(): void;
  onStoppedLeading(): void;
  onNewLeader?(identity: string): void;
}

type LeaseObject = Lease & KubeObject;

export class LeaderElector {
  private timer: Timer | undefined;
  private leading = false;
  private stopped = false;
  private observedHolder = '';
  /** When this candidate last saw the lease change (the holder's renewals), on the virtual clock. */
  private observedAt = 0;
  private observedRenewTime = '';
  private lastRenewed = 0;
  private readonly leases;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;

  constructor(private readonly config: LeaderElectionConfig) {
    this.leases = config.client.resource<LeaseObject>(RESOURCES.leases);
    this.leaseDurationMs = config.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = config.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = config.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The holder this candidate last observed ('' before the first read). */
  get leader(): string {
    return this.observedHolder;
  }

  /** Start campaigning: the first attempt runs at once. */
  run(): void {
    void this.attempt();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.leading) {
      this.leading = false;
      if (this.config.releaseOnCancel) void this.release();
      this.config.onStoppedLeading();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const delay = this.leading ? this.retryPeriodMs : this.retryPeriodMs * (1 + this.config.rng.next() * (JITTER_FACTOR - 1));
    this.timer = this.config.clock.after(delay, () => void this.attempt(), `leader election ${this.config.name}`);
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    const ok = await this.tryAcquireOrRenew();
    if (this.stopped) return;
    const now = this.config.clock.now();
    if (ok) {
      this.lastRenewed = now;
      if (!this.leading) {
        this.leading = true;
        this.config.recorder?.eventf(this.eventTarget(), EVENT_TYPE_NORMAL, 'LeaderElection', '%s became leader', this.config.identity);
        this.config.onStartedLeading();
      }
    } else if (this.leading && now - this.lastRenewed >= this.renewDeadlineMs) {
      this.leading = false;
      this.config.onStoppedLeading();
    }
    this.schedule();
  }

  private eventTarget(): KubeObject {
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: this.config.namespace, name: this.config.name } };
  }

  private observe(lease: LeaseObject): void {
    const holder = lease.spec?.holderIdentity ?? '';
    const renewTime = lease.spec?.renewTime ?? '';
    if (holder !== this.observedHolder || renewTime !== this.observedRenewTime) {
      this.observedAt = this.config.clock.now();
      this.observedRenewTime = renewTime;
    }
    if (holder !== this.observedHolder) {
      this.observedHolder = holder;
      if (holder) this.config.onNewLeader?.(holder);
    }
  }

  private spec(previous: Lease['spec'] | undefined): NonNullable<Lease['spec']> {
    const now = rfc3339Micro(this.config.clock.now());
    const mine = previous?.holderIdentity === this.config.identity;
    return {
      holderIdentity: this.config.identity,
      leaseDurationSeconds: Math.round(this.leaseDurationMs / 1000),
      acquireTime: mine ? previous?.acquireTime : now,
      renewTime: now,
      leaseTransitions: mine ? (previous?.leaseTransitions ?? 0) : previous ? (previous.leaseTransitions ?? 0) + 1 : 0,
    };
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name } = this.config;
    let lease: LeaseObject;
    try {
      lease = await this.leases.get(namespace, name);
    } catch (error) {
      if (!isNotFound(error)) return false;
      try {
        const created = await this.leases.create(namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec: this.spec(undefined) });
        this.observe(created);
        return true;
      } catch {
        return false;
      }
    }
    this.observe(lease);
    const holder = lease.spec?.holderIdentity ?? '';
    const durationMs = (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
    const expired = this.config.clock.now() - this.observedAt >= durationMs;
    if (holder && holder !== this.config.identity && !expired) return false;
    try {
      const updated = await this.leases.update(namespace, { ...lease, spec: this.spec(lease.spec) });
      this.observe(updated);
      return true;
    } catch {
      return false;
    }
  }

  private async release(): Promise<void> {
    try {
      const lease = await this.leases.get(this.config.namespace, this.config.name);
      if (lease.spec?.holderIdentity !== this.config.identity) return;
      await this.leases.update(this.config.namespace, { ...lease, spec: { ...lease.spec, holderIdentity: undefined, leaseDurationSeconds: 1, renewTime: rfc3339Micro(this.config.clock.now()) } });
    } catch {
      // Releasing is a courtesy: the lease expires anyway.
    }
  }
}
