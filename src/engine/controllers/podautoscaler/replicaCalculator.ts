/**
 * The replica calculator (pkg/controller/podautoscaler/replica_calculator.go, Kubernetes 1.32): how many
 * replicas a resource metric asks for.
 *
 * Pods are grouped first: deleted, failed and pending pods are ignored; a pod without a metric is missing;
 * for CPU, a pod is unready when it has no Ready condition or start time, or — within the CPU
 * initialization period (5 min) after its start — when it is not Ready or its metric's window began
 * before it last became Ready, or — later — when it is not Ready and never was (its readiness last
 * changed within 30 s of its start). The ratio of the ready pods' usage to the target decides: within the
 * tolerance (0.1) of 1 nothing changes; else ceil(ratio × ready pods). With missing pods (counted at the
 * target's level, at least 100%, when scaling down, at 0 when scaling up) or unready pods during a scale
 * up (counted at 0), the ratio is computed again over all of them, and the change is dropped when that
 * flips its direction or falls within the tolerance.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../api/resource/quantity.ts';
import type { MetricsClient, PodMetricsInfo } from './metricsClient.ts';

/** --horizontal-pod-autoscaler-tolerance. */
export const DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const DELAY_OF_INITIAL_READINESS_STATUS_MS = 30_000;

export interface ReplicaCalculation {
  replicas: number;
  /** Utilization in percent of the request (utilization targets). */
  utilization: number;
  /** The average usage per pod, milli-units. */
  rawUtilization: number;
  timestamp: number;
}

interface Grouped {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

function groupPods(pods: readonly Pod[], metrics: PodMetricsInfo, resource: string, now: number): Grouped {
  const out: Grouped = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed' || pod.status?.phase === 'Pending') {
      out.ignored.add(name);
      continue;
    }
    const metric = metrics.get(name);
    if (!metric) {
      out.missing.add(name);
      continue;
    }
    if (resource === 'cpu') {
      const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
      const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
      let unready: boolean;
      if (!ready || start === undefined) unready = true;
      else {
        const transition = Date.parse(ready.lastTransitionTime ?? '') || 0;
        if (start + CPU_INITIALIZATION_PERIOD_MS > now) unready = ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
        else unready = ready.status === 'False' && start + DELAY_OF_INITIAL_READINESS_STATUS_MS > transition;
      }
      if (unready) {
        out.unready.add(name);
        continue;
      }
    }
    out.readyPodCount++;
  }
  return out;
}

/** calculatePodRequests: each pod's request of `resource` (one container's, or all), milli-units. */
function podRequests(pods: readonly Pod[], container: string, resource: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let total = 0;
    for (const c of pod.spec?.containers ?? []) {
      if (container && c.name !== container) continue;
      const request = c.resources?.requests?.[resource];
      if (request === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
      total += parseQuantity(String(request)).milliValue();
    }
    out.set(pod.metadata?.name ?? '', total);
  }
  return out;
}

/** GetResourceUtilizationRatio. */
export function resourceUtilizationRatio(metrics: PodMetricsInfo, requests: ReadonlyMap<string, number>, target: number): { ratio: number; utilization: number; raw: number } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entities = 0;
  for (const [name, metric] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    entities++;
  }
  if (entities === 0) throw new Error('no metrics returned matched known pods');
  if (requestsTotal === 0) throw new Error('no pods with non-zero request');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { ratio: utilization / target, utilization, raw: Math.trunc(metricsTotal / entities) };
}

/** GetMetricUsageRatio: the average usage against an average-value target. */
function usageRatio(metrics: PodMetricsInfo, target: number): { ratio: number; raw: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const raw = Math.trunc(total / metrics.size);
  return { ratio: raw / target, raw };
}

export class ReplicaCalculator {
  constructor(
    private readonly metricsClient: MetricsClient,
    private readonly tolerance = DEFAULT_TOLERANCE,
  ) {}

  /** GetResourceReplicas: for an averageUtilization target (percent of request). */
  async getResourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, namespace: string, selector: string, pods: readonly Pod[], container: string, now: number): Promise<ReplicaCalculation> {
    const { metrics, timestamp } = await this.fetch(resource, namespace, selector, container);
    if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
    const g = groupPods(pods, metrics, resource, now);
    for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
    if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
    const requests = podRequests(pods, container, resource);
    const { ratio, utilization, raw } = resourceUtilizationRatio(metrics, requests, targetUtilization);
    const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
    if (!scaleUpWithUnready && g.missing.size === 0) {
      if (Math.abs(1 - ratio) <= this.tolerance) return { replicas: currentReplicas, utilization, rawUtilization: raw, timestamp };
      return { replicas: Math.ceil(ratio * g.readyPodCount), utilization, rawUtilization: raw, timestamp };
    }
    if (g.missing.size > 0) {
      const fallback = Math.max(100, targetUtilization);
      for (const name of g.missing) metrics.set(name, { timestamp, windowMs: 0, value: ratio < 1 ? Math.trunc(((requests.get(name) ?? 0) * fallback) / 100) : 0 });
    }
    if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { timestamp, windowMs: 0, value: 0 });
    const next = resourceUtilizationRatio(metrics, requests, targetUtilization).ratio;
    return { replicas: this.settled(currentReplicas, ratio, next, metrics.size), utilization, rawUtilization: raw, timestamp };
  }

  /** GetRawResourceReplicas: for an averageValue target (milli-units per pod). */
  async getRawResourceReplicas(currentReplicas: number, targetUsage: number, resource: string, namespace: string, selector: string, pods: readonly Pod[], container: string, now: number): Promise<ReplicaCalculation> {
    const { metrics, timestamp } = await this.fetch(resource, namespace, selector, container);
    if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
    const g = groupPods(pods, metrics, resource, now);
    for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
    if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
    const { ratio, raw } = usageRatio(metrics, targetUsage);
    const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
    if (!scaleUpWithUnready && g.missing.size === 0) {
      if (Math.abs(1 - ratio) <= this.tolerance) return { replicas: currentReplicas, utilization: 0, rawUtilization: raw, timestamp };
      return { replicas: Math.ceil(ratio * g.readyPodCount), utilization: 0, rawUtilization: raw, timestamp };
    }
    for (const name of g.missing) metrics.set(name, { timestamp, windowMs: 0, value: ratio < 1 ? targetUsage : 0 });
    if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { timestamp, windowMs: 0, value: 0 });
    const next = usageRatio(metrics, targetUsage).ratio;
    return { replicas: this.settled(currentReplicas, ratio, next, metrics.size), utilization: 0, rawUtilization: raw, timestamp };
  }

  /** The second pass: no change within the tolerance or when the direction flips. */
  private settled(currentReplicas: number, ratio: number, next: number, count: number): number {
    if (Math.abs(1 - next) <= this.tolerance || (ratio < 1 && next > 1) || (ratio > 1 && next < 1)) return currentReplicas;
    const replicas = Math.ceil(next * count);
    if ((next < 1 && replicas > currentReplicas) || (next > 1 && replicas < currentReplicas)) return currentReplicas;
    return replicas;
  }

  private async fetch(resource: string, namespace: string, selector: string, container: string) {
    try {
      return await this.metricsClient.getResourceMetric(resource, namespace, selector, container);
    } catch (e) {
      throw new Error(`unable to get metrics for resource ${resource}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }
}
