/**
 * The eviction manager (pkg/kubelet/eviction, Kubernetes 1.32): node-pressure eviction with the default
 * hard thresholds `memory.available<100Mi`, `nodefs.available<10%`, `nodefs.inodesFree<5%`,
 * `imagefs.available<15%`, `imagefs.inodesFree<5%`.
 *
 * Every 10 s (monitoringInterval) `synchronize` observes the signals in the summary (node memory's
 * availableBytes; the root file system for nodefs; runtime.imageFs for imagefs), finds the thresholds
 * met, and keeps the node conditions they raise — MemoryPressure, DiskPressure — true until none was
 * observed for the pressure transition period (5m). The kubelet's node status reads them
 * (`nodeConditions`), and the node lifecycle controller turns them into the
 * `node.kubernetes.io/memory-pressure` and `disk-pressure` taints. When a threshold is met on stats newer
 * than the last pass, it records `EvictionThresholdMet` on the Node; for a disk signal it first reclaims
 * node-level resources (dead containers, unused images) and stops there if that was enough. Otherwise
 * it ranks the active pods — pods whose usage exceeds their requests first, then lower priority, then by
 * usage above requests — and evicts the first one that is not critical: the `Evicted` event with the
 * upstream message, the pod killed with the 1 s grace period of a hard eviction, its final status phase
 * Failed, reason Evicted, with the DisruptionTarget condition. At most one pod per pass.
 *
 * Left out: soft thresholds and their grace periods, eviction-minimum-reclaim, allocatableMemory.available,
 * pid.available and PIDPressure, local storage (emptyDir, ephemeral-storage limit) evictions, memcg
 * threshold notifiers, the admission of pods under pressure, waiting for the evicted pod's cleanup
 * before the next pass (the next pass comes at the next tick).
 */
import type { NodeCondition, ObjectReference, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { newQuantity } from '../../api/resource/quantity.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Clock, Timer } from '../../base/clock.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import { podRequestAmounts } from '../../scheduler/framework/resource.ts';
import type { PodStats, Summary } from '../stats/types.ts';

/** The eviction manager's monitoringInterval. */
export const MONITORING_INTERVAL_MS = 10_000;
/** --eviction-pressure-transition-period's default. */
export const PRESSURE_TRANSITION_PERIOD_MS = 5 * 60_000;
/** How long a pod gets to stop under a hard threshold (immediateEvictionGracePeriodSeconds). */
export const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS = 1;
/** The pod status reason (eviction.Reason). */
export const REASON = 'Evicted';
/** A priority at or above this makes a pod critical: never evicted (scheduling.SystemCriticalPriority). */
export const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

export type Signal = 'memory.available' | 'nodefs.available' | 'nodefs.inodesFree' | 'imagefs.available' | 'imagefs.inodesFree';

/** A hard threshold: the signal below a quantity (bytes, or inodes) or a share of the capacity. */
export interface Threshold {
  signal: Signal;
  value: { quantity: number } | { percentage: number };
}

/** DefaultEvictionHard. */
export const DEFAULT_EVICTION_HARD: readonly Threshold[] = [
  { signal: 'memory.available', value: { quantity: 100 * 1024 * 1024 } },
  { signal: 'nodefs.available', value: { percentage: 0.1 } },
  { signal: 'nodefs.inodesFree', value: { percentage: 0.05 } },
  { signal: 'imagefs.available', value: { percentage: 0.15 } },
  { signal: 'imagefs.inodesFree', value: { percentage: 0.05 } },
];

/** The resource each signal starves, and the node condition it raises. */
const SIGNAL_RESOURCE: Readonly<Record<Signal, { resource: 'memory' | 'ephemeral-storage' | 'inodes'; condition: 'MemoryPressure' | 'DiskPressure' }>> = {
  'memory.available': { resource: 'memory', condition: 'MemoryPressure' },
  'nodefs.available': { resource: 'ephemeral-storage', condition: 'DiskPressure' },
  'nodefs.inodesFree': { resource: 'inodes', condition: 'DiskPressure' },
  'imagefs.available': { resource: 'ephemeral-storage', condition: 'DiskPressure' },
  'imagefs.inodesFree': { resource: 'inodes', condition: 'DiskPressure' },
};

/** The condition texts of the kubelet's MemoryPressure and DiskPressure setters, with the event each transition records. */
const PRESSURE_TEXT = {
  MemoryPressure: {
    True: { reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', event: 'NodeHasInsufficientMemory' },
    False: { reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  },
  DiskPressure: {
    True: { reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', event: 'NodeHasDiskPressure' },
    False: { reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  },
} as const;

/** One signal's observation: what is available, of what capacity, sampled when. */
export interface Observation {
  available: number;
  capacity: number;
  time: string;
}

export type Observations = Partial<Record<Signal, Observation>>;

/** makeSignalObservations: the signals the summary carries. */
export function makeSignalObservations(summary: Summary): Observations {
  const out: Observations = {};
  const { memory, fs, runtime } = summary.node;
  if (memory?.availableBytes !== undefined) out['memory.available'] = { available: memory.availableBytes, capacity: memory.availableBytes + memory.workingSetBytes, time: memory.time };
  if (fs?.availableBytes !== undefined && fs.capacityBytes !== undefined) out['nodefs.available'] = { available: fs.availableBytes, capacity: fs.capacityBytes, time: fs.time };
  if (fs?.inodesFree !== undefined && fs.inodes !== undefined) out['nodefs.inodesFree'] = { available: fs.inodesFree, capacity: fs.inodes, time: fs.time };
  const image = runtime?.imageFs;
  if (image?.availableBytes !== undefined && image.capacityBytes !== undefined) out['imagefs.available'] = { available: image.availableBytes, capacity: image.capacityBytes, time: image.time };
  if (image?.inodesFree !== undefined && image.inodes !== undefined) out['imagefs.inodesFree'] = { available: image.inodesFree, capacity: image.inodes, time: image.time };
  return out;
}

/** The threshold's quantity for a capacity (GetThresholdQuantity). */
export function thresholdQuantity(t: Threshold, capacity: number): number {
  return 'quantity' in t.value ? t.value.quantity : Math.floor(t.value.percentage * capacity);
}

/** thresholdsMet: the thresholds whose signal is observed below them. */
export function thresholdsMet(thresholds: readonly Threshold[], observations: Observations): Threshold[] {
  return thresholds.filter((t) => {
    const o = observations[t.signal];
    return o !== undefined && o.available < thresholdQuantity(t, o.capacity);
  });
}

/** A byte or inode count as a BinarySI quantity prints (`100Mi`, `94208Ki`, `1234`). */
function binary(n: number): string {
  return newQuantity(Math.round(n), 'BinarySI').toString();
}

/** What a pod asks for and uses of the resource an eviction reclaims, in bytes. */
function podUsage(stats: PodStats | undefined, resource: string): number | undefined {
  if (!stats) return undefined;
  if (resource === 'memory') return stats.memory?.workingSetBytes ?? 0;
  return stats['ephemeral-storage']?.usedBytes ?? 0;
}

function podRequest(pod: Pod, resource: string): number {
  return podRequestAmounts(pod).get(resource === 'memory' ? 'memory' : 'ephemeral-storage') ?? 0;
}

/**
 * The memory and disk rank functions (rankMemoryPressure, rankDiskPressureFunc): pods without stats
 * first, then those whose usage exceeds their requests, then lower priority, then more usage above
 * requests. Stable: pods equal in every key keep their order.
 */
export function rankPods(pods: readonly Pod[], stats: (pod: Pod) => PodStats | undefined, resource: 'memory' | 'ephemeral-storage' | 'inodes'): Pod[] {
  const key = (pod: Pod) => {
    const usage = podUsage(stats(pod), resource);
    const request = podRequest(pod, resource);
    return { found: usage !== undefined, exceeds: usage !== undefined && usage > request, priority: pod.spec?.priority ?? 0, above: (usage ?? 0) - request };
  };
  const keyed = pods.map((pod) => ({ pod, k: key(pod) }));
  keyed.sort((a, b) => Number(a.k.found) - Number(b.k.found) || Number(b.k.exceeds) - Number(a.k.exceeds) || a.k.priority - b.k.priority || b.k.above - a.k.above);
  return keyed.map((x) => x.pod);
}

/** evictionMessage: the node-low sentence, the threshold met, and every container using more than it requests. */
export function evictionMessage(resource: string, pod: Pod, stats: PodStats | undefined, threshold: Threshold | undefined, observation: Observation | undefined): string {
  let message = `The node was low on resource: ${resource}. `;
  if (threshold && observation) message += `Threshold quantity: ${binary(thresholdQuantity(threshold, observation.capacity))}, available: ${binary(observation.available)}. `;
  for (const cs of stats?.containers ?? []) {
    const container = pod.spec?.containers.find((c) => c.name === cs.name);
    if (!container || resource !== 'memory' || cs.memory === undefined) continue;
    const request = String(container.resources?.requests?.memory ?? '0');
    const requestBytes = podRequestAmounts({ spec: { containers: [container] } }).get('memory') ?? 0;
    if (cs.memory.workingSetBytes > requestBytes) message += `Container ${cs.name} was using ${binary(cs.memory.workingSetBytes)}, request is ${request}, has larger consumption of ${resource}. `;
  }
  return message;
}

/** Whether the kubelet must not evict the pod (IsCriticalPod: static, mirror or system-critical priority). */
function isCriticalPod(pod: Pod): boolean {
  const source = pod.metadata?.annotations?.['kubernetes.io/config.source'];
  if (source !== undefined && source !== 'api') return true;
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return true;
  return (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

export interface EvictionManagerOptions {
  clock: Clock;
  /** The summary API with stats sampled now (Get with updateStats). */
  summary: () => Promise<Summary>;
  recorder: EventRecorder;
  /** The Node, for its events. */
  nodeRef: ObjectReference;
  /** The pods running on the node (activePods). */
  activePods: () => readonly Pod[];
  /**
   * killPodFunc: stop the pod's containers within the grace period and write its final status as
   * `update` makes it; resolves once done.
   */
  killPod: (pod: Pod, gracePeriodSeconds: number, update: (status: PodStatus) => PodStatus) => Promise<void>;
  /** Node-level reclaim for disk signals: dead containers, then unused images (containerGC and imageGC). */
  reclaimDisk?: ReadonlyArray<() => Promise<void>>;
  thresholds?: readonly Threshold[];
  pressureTransitionPeriodMs?: number;
}

type PressureCondition = 'MemoryPressure' | 'DiskPressure';

export class EvictionManager {
  private readonly thresholds: readonly Threshold[];
  private timer: Timer | undefined;
  private running: Promise<Pod | undefined> | undefined;
  /** When each pressure condition was last observed (nodeConditionsLastObservedAt). */
  private readonly lastObservedAt = new Map<PressureCondition, number>();
  private conditions = new Set<PressureCondition>();
  private lastObservations: Observations = {};

  constructor(private readonly options: EvictionManagerOptions) {
    this.thresholds = options.thresholds ?? DEFAULT_EVICTION_HARD;
  }

  /** Start the monitoring loop: a pass every MONITORING_INTERVAL_MS. */
  start(): void {
    this.timer ??= this.options.clock.every(MONITORING_INTERVAL_MS, () => void this.synchronize().catch(() => undefined), 'eviction manager');
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  isUnderMemoryPressure(): boolean {
    return this.conditions.has('MemoryPressure');
  }

  isUnderDiskPressure(): boolean {
    return this.conditions.has('DiskPressure');
  }

  /**
   * The node status setters' MemoryPressure and DiskPressure: `conditions` (the kubelet's) with these two
   * set from the manager's state, lastTransitionTime kept from `previous` while the status holds, and an
   * event on the Node for each transition.
   */
  nodeConditions(conditions: readonly NodeCondition[], previous: readonly NodeCondition[], now: number): NodeCondition[] {
    return conditions.map((c) => {
      if (c.type !== 'MemoryPressure' && c.type !== 'DiskPressure') return c;
      const status = this.conditions.has(c.type) ? 'True' : 'False';
      const text = PRESSURE_TEXT[c.type][status];
      const old = previous.find((p) => p.type === c.type);
      if (old && old.status !== status) this.options.recorder.event(this.options.nodeRef, EVENT_TYPE_NORMAL, text.event, `Node ${this.options.nodeRef.name ?? ''} status is now: ${text.event}`);
      const lastTransitionTime = old && old.status === status ? (old.lastTransitionTime ?? rfc3339(now)) : rfc3339(now);
      return { ...c, status, reason: text.reason, message: text.message, lastTransitionTime };
    });
  }

  /** One pass; a pass still running is not overlapped. Resolves to the pod evicted, if any. */
  synchronize(): Promise<Pod | undefined> {
    this.running ??= this.sync().finally(() => (this.running = undefined));
    return this.running;
  }

  private async sync(): Promise<Pod | undefined> {
    const { clock, recorder, nodeRef } = this.options;
    const activePods = this.options.activePods();
    const summary = await this.options.summary();
    const observations = makeSignalObservations(summary);
    const met = thresholdsMet(this.thresholds, observations);
    const now = clock.now();
    for (const t of met) this.lastObservedAt.set(SIGNAL_RESOURCE[t.signal].condition, now);
    const period = this.options.pressureTransitionPeriodMs ?? PRESSURE_TRANSITION_PERIOD_MS;
    this.conditions = new Set([...this.lastObservedAt].filter(([, at]) => now - at < period).map(([c]) => c));
    // thresholdsUpdatedStats: act only on signals sampled since the last pass.
    const updated = met.filter((t) => observations[t.signal]?.time !== this.lastObservations[t.signal]?.time);
    this.lastObservations = observations;
    // byEvictionPriority: memory first.
    const threshold = [...updated].sort((a, b) => Number(b.signal === 'memory.available') - Number(a.signal === 'memory.available'))[0];
    if (!threshold) return undefined;
    const resource = SIGNAL_RESOURCE[threshold.signal].resource;
    recorder.event(nodeRef, EVENT_TYPE_WARNING, 'EvictionThresholdMet', `Attempting to reclaim ${resource}`);
    if (resource !== 'memory' && this.options.reclaimDisk?.length) {
      for (const reclaim of this.options.reclaimDisk) await reclaim().catch(() => undefined);
      if (thresholdsMet(this.thresholds, makeSignalObservations(await this.options.summary())).length === 0) return undefined;
    }
    const statsByUid = new Map(summary.pods.map((p) => [p.podRef.uid, p]));
    const stats = (pod: Pod) => statsByUid.get(pod.metadata?.uid ?? '');
    for (const pod of rankPods(activePods, stats, resource)) {
      if (isCriticalPod(pod)) continue;
      const message = evictionMessage(resource, pod, stats(pod), threshold, observations[threshold.signal]);
      recorder.event(pod, EVENT_TYPE_WARNING, REASON, message);
      const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message, lastTransitionTime: rfc3339(clock.now()) };
      await this.options.killPod(pod, IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS, (status) => ({
        ...status,
        phase: 'Failed',
        reason: REASON,
        message,
        conditions: [...(status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition],
      }));
      return pod;
    }
    return undefined;
  }
}
