/**
 * PriorityQueue (pkg/scheduler/backend/queue/scheduling_queue.go, Kubernetes 1.32 with queueing hints):
 * where pods wait to be scheduled.
 *
 * - activeQ: pods ready to be tried, ordered by the QueueSort plugin (PrioritySort: higher priority
 *   first, then earlier timestamp). `pop` hands out the head (waiting while it is empty) and marks the pod
 *   in flight until `done`.
 * - podBackoffQ: pods waiting out their backoff, ordered by when it ends. Backoff is 1s doubled per
 *   attempt up to 10s, counted from the pod's last (re)queue. Every second, pods whose backoff ended move
 *   to activeQ.
 * - unschedulablePods: pods the last attempt found unschedulable. A cluster event moves a pod back (to
 *   backoffQ while its backoff lasts, else to activeQ) only if a plugin that rejected it registered that
 *   event and the plugin's queueing hint says Queue. Every 30s, pods that waited there over 5 minutes are
 *   moved anyway (UnschedulableTimeout).
 *
 * Events that arrive while pods are in flight are remembered, so a pod that fails after such an event is
 * requeued at once instead of waiting for the next one. A pod rejected by no plugin (an error) goes to
 * backoffQ. PreEnqueue plugins (SchedulingGates) keep a pod out of activeQ: it waits, gated, in
 * unschedulablePods until an update lets it through.
 *
 * All delays are timers on the virtual Clock.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock, Timer } from '../../base/clock.ts';
import type { NominatingInfo, PreEnqueuePlugin } from '../framework/interface.ts';
import { isSuccess } from '../framework/interface.ts';
import {
  EVENT_FORCE_ACTIVATE,
  EVENT_UNSCHEDULABLE_TIMEOUT,
  eventMatches,
  podSchedulingPropertiesChange,
  type ClusterEvent,
  type ClusterEventWithHint,
} from '../framework/events.ts';
import { PodInfo, QueuedPodInfo } from '../framework/types.ts';
import { Heap } from './heap.ts';
import type { PodNominator } from './nominator.ts';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
/** podMaxInUnschedulablePodsDuration. */
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS = 5 * 60_000;
const FLUSH_BACKOFF_PERIOD_MS = 1000;
const FLUSH_UNSCHEDULABLE_PERIOD_MS = 30_000;

/** One plugin's interest in one kind of event, for one profile. */
export interface QueueingHintEntry {
  pluginName: string;
  registration: ClusterEventWithHint;
}

export interface PriorityQueueOptions {
  clock: Clock;
  nominator: PodNominator;
  /** The QueueSort plugin's order. */
  less: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** The PreEnqueue plugins of a pod's profile. */
  preEnqueuePlugins: (schedulerName: string) => readonly PreEnqueuePlugin[];
  /** The queueing hints of a pod's profile. */
  queueingHints: (schedulerName: string) => readonly QueueingHintEntry[];
  /** Whether any profile's plugin registered an event like this one (isEventOfInterest). */
  isEventOfInterest: (event: ClusterEvent) => boolean;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
}

/** Where requeuePodViaQueueingHint put a pod. */
export type QueueName = 'activeQ' | 'backoffQ' | 'unschedulablePods';
type Strategy = 'queueSkip' | 'queueAfterBackoff' | 'queueImmediately';

interface InFlightNode {
  prev: InFlightNode | undefined;
  next: InFlightNode | undefined;
  /** A marker: the pod popped at this point. */
  podUID?: string;
  /** An event observed while some pod was in flight. */
  event?: { event: ClusterEvent; oldObj: unknown; newObj: unknown };
}

function schedulerNameOf(pod: Pod): string {
  return pod.spec?.schedulerName ?? 'default-scheduler';
}

function uidOf(pod: Pod): string {
  return pod.metadata?.uid ?? '';
}

export class PriorityQueue {
  private readonly clock: Clock;
  private readonly nominator: PodNominator;
  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulablePods = new Map<string, QueuedPodInfo>();
  private readonly inFlightPods = new Map<string, InFlightNode>();
  private inFlightHead: InFlightNode | undefined;
  private inFlightTail: InFlightNode | undefined;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly waiters: Array<(pi: QueuedPodInfo | undefined) => void> = [];
  private timers: Timer[] = [];
  private closed = false;
  /** Incremented by every pop. */
  schedulingCycle = 0;

  constructor(private readonly options: PriorityQueueOptions) {
    this.clock = options.clock;
    this.nominator = options.nominator;
    this.initialBackoffMs = options.podInitialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.podMaxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxInUnschedulableMs = options.podMaxInUnschedulablePodsDurationMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS;
    this.activeQ = new Heap<QueuedPodInfo>((p) => p.uid, options.less);
    this.backoffQ = new Heap<QueuedPodInfo>((p) => p.uid, (a, b) => this.backoffTime(a) < this.backoffTime(b));
  }

  /** Run: start the backoff and unschedulable flushes. */
  run(): void {
    if (this.timers.length > 0 || this.closed) return;
    this.timers.push(this.clock.every(FLUSH_BACKOFF_PERIOD_MS, () => this.flushBackoffQCompleted(), 'kube-scheduler/flushBackoffQCompleted'));
    this.timers.push(this.clock.every(FLUSH_UNSCHEDULABLE_PERIOD_MS, () => this.flushUnschedulablePodsLeftover(), 'kube-scheduler/flushUnschedulablePodsLeftover'));
  }

  /** Close: stop the flushes; a pending pop resolves with undefined. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** Add: a new unscheduled pod. */
  add(pod: Pod): void {
    const pi = new QueuedPodInfo(new PodInfo(pod), this.clock.now());
    this.moveToActiveQ(pi);
  }

  /** Pop: the head of activeQ (waits while it is empty; undefined once closed). */
  pop(): Promise<QueuedPodInfo | undefined> {
    const pi = this.popNow();
    if (pi || this.closed) return Promise.resolve(pi);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private popNow(): QueuedPodInfo | undefined {
    const pi = this.activeQ.pop();
    if (!pi) return undefined;
    pi.attempts++;
    this.schedulingCycle++;
    const marker: InFlightNode = { prev: this.inFlightTail, next: undefined, podUID: pi.uid };
    this.append(marker);
    this.inFlightPods.set(pi.uid, marker);
    pi.unschedulablePlugins = new Set();
    pi.pendingPlugins = new Set();
    return pi;
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.activeQ.length > 0) {
      const pi = this.popNow();
      this.waiters.shift()!(pi);
    }
  }

  /** Done: the pod's cycle is over; events seen only by it are forgotten. */
  done(uid: string): void {
    const marker = this.inFlightPods.get(uid);
    if (!marker) return;
    this.inFlightPods.delete(uid);
    this.unlink(marker);
    while (this.inFlightHead && this.inFlightHead.event) this.unlink(this.inFlightHead);
  }

  private append(node: InFlightNode): void {
    node.prev = this.inFlightTail;
    node.next = undefined;
    if (this.inFlightTail) this.inFlightTail.next = node;
    else this.inFlightHead = node;
    this.inFlightTail = node;
  }

  private unlink(node: InFlightNode): void {
    if (node.prev) node.prev.next = node.next;
    else this.inFlightHead = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.inFlightTail = node.prev;
    node.prev = node.next = undefined;
  }

  /** Events observed since the pod was popped. */
  private clusterEventsForPod(uid: string): Array<{ event: ClusterEvent; oldObj: unknown; newObj: unknown }> {
    const out: Array<{ event: ClusterEvent; oldObj: unknown; newObj: unknown }> = [];
    const marker = this.inFlightPods.get(uid);
    for (let n = marker?.next; n; n = n.next) if (n.event) out.push(n.event);
    return out;
  }

  /** AddUnschedulableIfNotPresent: a pod whose attempt failed comes back. */
  addUnschedulableIfNotPresent(pi: QueuedPodInfo): void {
    try {
      const uid = pi.uid;
      if (this.unschedulablePods.has(uid) || this.activeQ.has(uid) || this.backoffQ.has(uid)) return;
      pi.refreshTimestamp(this.clock.now());
      const strategy = this.determineSchedulingHintForInFlightPod(pi);
      this.requeuePodViaQueueingHint(pi, strategy);
      this.nominator.addNominatedPod(pi.podInfo);
    } finally {
      this.done(pi.uid);
    }
  }

  private determineSchedulingHintForInFlightPod(pi: QueuedPodInfo): Strategy {
    const events = this.clusterEventsForPod(pi.uid);
    if (pi.unschedulablePlugins.size === 0 && pi.pendingPlugins.size === 0) return 'queueAfterBackoff';
    let strategy: Strategy = 'queueSkip';
    for (const e of events) {
      const s = this.isPodWorthRequeuing(pi, e.event, e.oldObj, e.newObj);
      if (s === 'queueImmediately') return s;
      if (s === 'queueAfterBackoff') strategy = s;
    }
    return strategy;
  }

  private isPodWorthRequeuing(pi: QueuedPodInfo, event: ClusterEvent, oldObj: unknown, newObj: unknown): Strategy {
    const rejectors = pi.unschedulablePlugins.size + pi.pendingPlugins.size;
    if (rejectors === 0) return 'queueAfterBackoff';
    if (event.resource === '*') return 'queueAfterBackoff';
    let strategy: Strategy = 'queueSkip';
    for (const { pluginName, registration } of this.options.queueingHints(schedulerNameOf(pi.pod))) {
      if (!pi.unschedulablePlugins.has(pluginName) && !pi.pendingPlugins.has(pluginName)) continue;
      if (!eventMatches(registration.event, event)) continue;
      let hint: 'Queue' | 'QueueSkip';
      try {
        hint = registration.queueingHintFn ? registration.queueingHintFn(pi.pod, oldObj, newObj) : 'Queue';
      } catch {
        hint = 'Queue';
      }
      if (hint === 'QueueSkip') continue;
      if (pi.pendingPlugins.has(pluginName)) return 'queueImmediately';
      strategy = 'queueAfterBackoff';
    }
    return strategy;
  }

  private requeuePodViaQueueingHint(pi: QueuedPodInfo, strategy: Strategy): QueueName {
    if (strategy === 'queueSkip') {
      this.unschedulablePods.set(pi.uid, pi);
      return 'unschedulablePods';
    }
    if (strategy === 'queueAfterBackoff' && this.isPodBackingoff(pi)) {
      this.backoffQ.addOrUpdate(pi);
      return 'backoffQ';
    }
    return this.moveToActiveQ(pi) ? 'activeQ' : 'unschedulablePods';
  }

  /** moveToActiveQ: run PreEnqueue plugins; a gated pod waits in unschedulablePods instead. */
  private moveToActiveQ(pi: QueuedPodInfo): boolean {
    pi.gated = !this.runPreEnqueuePlugins(pi);
    if (pi.gated) {
      if (this.activeQ.has(pi.uid) || this.backoffQ.has(pi.uid)) return false;
      this.unschedulablePods.set(pi.uid, pi);
      return false;
    }
    pi.initialAttemptTimestamp ??= this.clock.now();
    this.activeQ.addOrUpdate(pi);
    this.unschedulablePods.delete(pi.uid);
    this.backoffQ.delete(pi.uid);
    this.nominator.addNominatedPod(pi.podInfo);
    this.wake();
    return true;
  }

  private runPreEnqueuePlugins(pi: QueuedPodInfo): boolean {
    for (const pl of this.options.preEnqueuePlugins(schedulerNameOf(pi.pod))) {
      const s = pl.preEnqueue(pi.pod);
      if (isSuccess(s)) continue;
      pi.unschedulablePlugins.add(pl.name);
      return false;
    }
    return true;
  }

  /** getBackoffTime: timestamp + initial × 2^(attempts-1), at most max. */
  backoffTime(pi: QueuedPodInfo): number {
    return pi.timestamp + this.backoffDuration(pi);
  }

  private backoffDuration(pi: QueuedPodInfo): number {
    if (pi.attempts === 0) return 0;
    let duration = this.initialBackoffMs;
    for (let i = 1; i < pi.attempts; i++) {
      if (duration > this.maxBackoffMs - duration) return this.maxBackoffMs;
      duration += duration;
    }
    return duration;
  }

  private isPodBackingoff(pi: QueuedPodInfo): boolean {
    if (pi.gated) return false;
    return this.backoffTime(pi) > this.clock.now();
  }

  /** flushBackoffQCompleted: pods whose backoff is over go to activeQ. */
  flushBackoffQCompleted(): void {
    for (let pi = this.backoffQ.peek(); pi && !this.isPodBackingoff(pi); pi = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.moveToActiveQ(pi);
    }
  }

  /** flushUnschedulablePodsLeftover: pods unschedulable for too long are retried anyway. */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const toMove: QueuedPodInfo[] = [];
    for (const pi of this.unschedulablePods.values()) if (now - pi.timestamp > this.maxInUnschedulableMs) toMove.push(pi);
    if (toMove.length > 0) this.movePodsToActiveOrBackoffQueue(toMove, EVENT_UNSCHEDULABLE_TIMEOUT, undefined, undefined);
  }

  /** MoveAllToActiveOrBackoffQueue: a cluster event happened; move the unschedulable pods it may help. */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj: unknown, newObj: unknown, preCheck?: (pod: Pod) => boolean): void {
    if (this.unschedulablePods.size === 0 && this.inFlightPods.size === 0) return;
    const pods: QueuedPodInfo[] = [];
    for (const pi of this.unschedulablePods.values()) if (!preCheck || preCheck(pi.pod)) pods.push(pi);
    this.movePodsToActiveOrBackoffQueue(pods, event, oldObj, newObj);
  }

  private movePodsToActiveOrBackoffQueue(pods: readonly QueuedPodInfo[], event: ClusterEvent, oldObj: unknown, newObj: unknown): void {
    if (event.resource !== '*' && !this.options.isEventOfInterest(event)) return;
    for (const pi of pods) {
      // Only the pod's own update can let a gated pod through (see update).
      if (pi.gated) continue;
      const strategy = this.isPodWorthRequeuing(pi, event, oldObj, newObj);
      if (strategy === 'queueSkip') continue;
      this.unschedulablePods.delete(pi.uid);
      this.requeuePodViaQueueingHint(pi, strategy);
    }
    if (this.inFlightPods.size > 0) this.append({ prev: undefined, next: undefined, event: { event, oldObj, newObj } });
  }

  /** Activate: move these pods (if waiting in backoffQ or unschedulablePods) to activeQ now. */
  activate(pods: readonly Pod[]): void {
    for (const pod of pods) {
      const uid = uidOf(pod);
      if (this.activeQ.has(uid)) continue;
      const pi = this.unschedulablePods.get(uid) ?? this.backoffQ.get(uid);
      if (!pi) {
        if (this.inFlightPods.has(uid)) this.append({ prev: undefined, next: undefined, event: { event: EVENT_FORCE_ACTIVATE, oldObj: undefined, newObj: pod } });
        continue;
      }
      this.moveToActiveQ(pi);
    }
  }

  /** Update: an unscheduled pod changed. */
  update(oldPod: Pod, newPod: Pod): void {
    const uid = uidOf(newPod);
    const events = podSchedulingPropertiesChange(newPod, oldPod);
    if (this.inFlightPods.has(uid)) {
      for (const event of events) this.append({ prev: undefined, next: undefined, event: { event, oldObj: oldPod, newObj: newPod } });
      return;
    }
    const inActive = this.activeQ.get(uid);
    if (inActive) {
      const old = inActive.podInfo.pod;
      inActive.podInfo = new PodInfo(newPod, inActive.podInfo);
      this.activeQ.addOrUpdate(inActive);
      this.nominator.updateNominatedPod(old, inActive.podInfo);
      return;
    }
    const inBackoff = this.backoffQ.get(uid);
    if (inBackoff) {
      const old = inBackoff.podInfo.pod;
      inBackoff.podInfo = new PodInfo(newPod, inBackoff.podInfo);
      this.backoffQ.addOrUpdate(inBackoff);
      this.nominator.updateNominatedPod(old, inBackoff.podInfo);
      return;
    }
    const pi = this.unschedulablePods.get(uid);
    if (pi) {
      const old = pi.podInfo.pod;
      pi.podInfo = new PodInfo(newPod, pi.podInfo);
      this.nominator.updateNominatedPod(old, pi.podInfo);
      for (const event of events) {
        const strategy = this.isPodWorthRequeuing(pi, event, oldPod, newPod);
        if (strategy === 'queueSkip') continue;
        this.unschedulablePods.delete(uid);
        const queue = this.requeuePodViaQueueingHint(pi, strategy);
        if (queue === 'activeQ') break;
      }
      return;
    }
    this.moveToActiveQ(new QueuedPodInfo(new PodInfo(newPod), this.clock.now()));
  }

  /** Delete: the pod is gone (deleted, or bound by someone). */
  delete(pod: Pod): void {
    const uid = uidOf(pod);
    this.nominator.deleteNominatedPodIfExists(pod);
    this.activeQ.delete(uid);
    this.backoffQ.delete(uid);
    this.unschedulablePods.delete(uid);
  }

  /** AddNominatedPod (the queue is the nominator's front door). */
  addNominatedPod(pi: PodInfo, info?: NominatingInfo): void {
    this.nominator.addNominatedPod(pi, info);
  }

  /** Pods in each sub-queue (PendingPods). */
  pendingPods(): { activeQ: Pod[]; backoffQ: Pod[]; unschedulablePods: Pod[] } {
    return {
      activeQ: this.activeQ.list().map((p) => p.pod),
      backoffQ: this.backoffQ.list().map((p) => p.pod),
      unschedulablePods: [...this.unschedulablePods.values()].map((p) => p.pod),
    };
  }

  /** Where a pod waits now, if anywhere. */
  whereIs(uid: string): QueueName | 'inFlight' | undefined {
    if (this.activeQ.has(uid)) return 'activeQ';
    if (this.backoffQ.has(uid)) return 'backoffQ';
    if (this.unschedulablePods.has(uid)) return 'unschedulablePods';
    if (this.inFlightPods.has(uid)) return 'inFlight';
    return undefined;
  }
}
