/**
 * The horizontal pod autoscaler controller — pkg/controller/podautoscaler/horizontal.go (Kubernetes 1.32),
 * autoscaling/v2.
 *
 * Every HPA is reconciled each sync period (15 s, --horizontal-pod-autoscaler-sync-period; the first one
 * a period after it appears, as the fixed-interval rate limiter of rateLimiters.ts delays it, and a failed
 * sync is retried a period later too): read the target's scale
 * subresource; outside [minReplicas, maxReplicas] go to the bound; else ask each Resource and
 * ContainerResource metric (Utilization or AverageValue, through metrics.k8s.io) for a replica count
 * (replicaCalculator.ts) and take the largest. Without `behavior`, the highest recommendation of the
 * last 5 minutes (--horizontal-pod-autoscaler-downscale-stabilization) wins and a scale up is capped at
 * max(2 × current, 4); with it, the scale-up and scale-down stabilization windows bound the
 * recommendation and the policies (Pods/Percent per period, selectPolicy Max/Min/Disabled) bound the
 * rate, counting the changes the controller made in each period. A change is written through the scale
 * subresource with the event `SuccessfulRescale` `New size: N; reason: …`; the status (current/desired
 * replicas, currentMetrics, lastScaleTime) and the conditions AbleToScale, ScalingActive and
 * ScalingLimited are written back when they changed. Failures are Warning events (FailedGetScale,
 * FailedGetResourceMetric, FailedComputeMetricsReplicas, FailedRescale) and False conditions.
 *
 * Left out: Pods, Object and External metrics (the custom and external metrics APIs are not served),
 * the v1 API, monitoring metrics.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, HPAScalingRules, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { Pod } from 'kubernetes-types/core/v1';
import { isNotFound } from '../../api/errors.ts';
import { parseSelector } from '../../api/labels/selector.ts';
import { newMilliQuantity, parseQuantity } from '../../api/resource/quantity.ts';
import { kindFor } from '../../api/scheme.ts';
import { rfc3339 } from '../../api/time.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import { resourcePath, type KubeObject, type ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';
import { RestMetricsClient, type MetricsClient } from './metricsClient.ts';
import { newDefaultHPARateLimiter } from './rateLimiters.ts';
import { ReplicaCalculator } from './replicaCalculator.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

type HPA = HorizontalPodAutoscaler & KubeObject;
type PodObject = Pod & KubeObject;

/** --horizontal-pod-autoscaler-sync-period. */
export const SYNC_PERIOD_MS = 15_000;
/** --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_WINDOW_MS = 5 * 60_000;

interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

interface Timestamped {
  recommendation: number;
  timestamp: number;
}

interface ScaleEvent {
  change: number;
  timestamp: number;
}

type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export class HorizontalController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly hpaInformer: SharedIndexInformer<HPA>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly hpas: ResourceClient<HPA>;
  private readonly recorder: EventRecorder;
  private readonly calculator: ReplicaCalculator;
  private readonly recommendations = new Map<string, Timestamped[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();

  constructor(
    private readonly ctx: ControllerContext,
    metricsClient: MetricsClient = new RestMetricsClient(ctx.client),
  ) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'horizontalpodautoscaler', rateLimiter: newDefaultHPARateLimiter(SYNC_PERIOD_MS) });
    this.hpaInformer = ctx.informers.informerFor<HPA>(RESOURCES.horizontalpodautoscalers);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.hpas = ctx.client.resource<HPA>(RESOURCES.horizontalpodautoscalers);
    this.recorder = ctx.recorder('horizontal-pod-autoscaler');
    this.calculator = new ReplicaCalculator(metricsClient);
    // enqueueHPA: always a sync period away; a key already waiting keeps its earlier time.
    const enqueue = (hpa: HPA) => this.queue.addRateLimited(metaNamespaceKeyFunc(hpa));
    this.hpaInformer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_, hpa) => enqueue(hpa),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.hpaInformer.waitForSync()) || !(await this.podInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), {
      onError: (key, error) => this.ctx.handleError(new Error(`error syncing HPA ${key}: ${messageOf(error)}`)),
    });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  /**
   * processNextWorkItem's part: reconcile, then come back a sync period later while the HPA exists,
   * whether or not the sync failed (the worker's own requeue of a failure waits the same fixed period).
   */
  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.hpaInformer.lister().byNamespace(namespace).get(name);
    if (!cached) {
      this.recommendations.delete(key);
      this.scaleUpEvents.delete(key);
      this.scaleDownEvents.delete(key);
      return;
    }
    try {
      await this.reconcileAutoscaler(deepCopy(cached), key);
    } finally {
      this.queue.addRateLimited(key);
    }
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  private setCondition(hpa: HPA, type: ConditionType, status: 'True' | 'False', reason: string, message: string): void {
    const conditions = (hpa.status ??= { desiredReplicas: 0 }).conditions ?? [];
    const existing = conditions.find((c) => c.type === type);
    const next: HorizontalPodAutoscalerCondition = { type, status, lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : rfc3339(this.now()), reason, message };
    hpa.status.conditions = existing ? conditions.map((c) => (c === existing ? next : c)) : [...conditions, next];
  }

  private scaleClient(hpa: HPA): { path: string } | undefined {
    const ref = hpa.spec?.scaleTargetRef;
    const info = ref ? kindFor(ref.apiVersion ?? '', ref.kind) : undefined;
    if (!ref || !info) return undefined;
    return { path: resourcePath({ group: info.group, version: info.version, resource: info.resource, namespaced: true }, hpa.metadata?.namespace ?? '', ref.name, 'scale') };
  }

  async reconcileAutoscaler(hpa: HPA, key: string): Promise<void> {
    const before = JSON.stringify(hpa.status ?? {});
    const ref = hpa.spec?.scaleTargetRef;
    const reference = `${ref?.kind ?? ''}/${ref?.name ?? ''}`;
    const target = this.scaleClient(hpa);
    let scale: Scale;
    try {
      if (!target) throw new Error(`unable to determine resource for scale target reference: no matches for kind "${ref?.kind ?? ''}" in version "${ref?.apiVersion ?? ''}"`);
      scale = JSON.parse((await this.ctx.client.raw('GET', target.path)).body ?? '{}') as Scale;
    } catch (e) {
      const message = messageOf(e);
      this.setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
      this.recorder.event(hpa, EVENT_TYPE_WARNING, 'FailedGetScale', message);
      await this.updateStatusIfNeeded(hpa, before);
      throw new Error(`failed to query scale subresource for ${reference}: ${message}`, { cause: e });
    }
    this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const currentReplicas = scale.spec?.replicas ?? 0;
    this.recordInitialRecommendation(currentReplicas, key);
    const minReplicas = hpa.spec?.minReplicas ?? 1;
    const maxReplicas = hpa.spec?.maxReplicas ?? 0;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let metricStatuses: MetricStatus[] = hpa.status?.currentMetrics ?? [];
    if (currentReplicas === 0 && minReplicas !== 0) {
      rescale = false;
      this.setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const computed = await this.computeReplicasForMetrics(hpa, scale, currentReplicas);
      metricStatuses = computed.statuses;
      if (computed.replicas === -1) {
        this.setStatus(hpa, currentReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false);
        await this.updateStatusIfNeeded(hpa, before);
        this.recorder.event(hpa, EVENT_TYPE_WARNING, 'FailedComputeMetricsReplicas', `invalid metrics (${computed.invalid} invalid out of ${hpa.spec?.metrics?.length ?? 0}), first error is: ${computed.error}`);
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: invalid metrics (${computed.invalid} invalid out of ${hpa.spec?.metrics?.length ?? 0}), first error is: ${computed.error}`);
      }
      desiredReplicas = computed.replicas;
      if (desiredReplicas > currentReplicas) rescaleReason = `${computed.metricName} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      desiredReplicas = hpa.spec?.behavior ? this.normalizeWithBehaviors(hpa, key, currentReplicas, desiredReplicas, minReplicas) : this.normalizeDesiredReplicas(hpa, key, currentReplicas, desiredReplicas, minReplicas);
      rescale = desiredReplicas !== currentReplicas;
    }
    if (rescale) {
      try {
        await this.ctx.client.raw('PUT', target.path, {}, JSON.stringify({ ...scale, spec: { ...scale.spec, replicas: desiredReplicas } }));
      } catch (e) {
        const message = messageOf(e);
        this.recorder.event(hpa, EVENT_TYPE_WARNING, 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${message}`);
        this.setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${message}`);
        this.setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, false);
        await this.updateStatusIfNeeded(hpa, before);
        throw new Error(`failed to rescale ${reference}: ${message}`, { cause: e });
      }
      this.setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`);
      this.recorder.event(hpa, EVENT_TYPE_NORMAL, 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`);
      this.storeScaleEvent(hpa, key, currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale);
    await this.updateStatusIfNeeded(hpa, before);
  }

  private setStatus(hpa: HPA, currentReplicas: number, desiredReplicas: number, metrics: MetricStatus[], rescale: boolean): void {
    const old = hpa.status;
    hpa.status = { currentReplicas, desiredReplicas };
    const lastScaleTime = rescale ? rfc3339(this.now()) : old?.lastScaleTime;
    if (lastScaleTime) hpa.status.lastScaleTime = lastScaleTime;
    if (metrics.length > 0) hpa.status.currentMetrics = metrics;
    if (old?.conditions) hpa.status.conditions = old.conditions;
  }

  private async updateStatusIfNeeded(hpa: HPA, before: string): Promise<void> {
    if (JSON.stringify(hpa.status ?? {}) === before) return;
    try {
      await this.hpas.updateStatus(hpa.metadata?.namespace ?? '', hpa);
    } catch (e) {
      if (isNotFound(e)) return;
      this.recorder.event(hpa, EVENT_TYPE_WARNING, 'FailedUpdateStatus', messageOf(e));
      throw new Error(`failed to update status for ${hpa.metadata?.name ?? ''}: ${messageOf(e)}`, { cause: e });
    }
  }

  /** computeReplicasForMetrics: the largest proposal of the valid metrics; -1 when none is valid. */
  private async computeReplicasForMetrics(hpa: HPA, scale: Scale, currentReplicas: number): Promise<{ replicas: number; metricName: string; statuses: MetricStatus[]; invalid: number; error: string }> {
    const specs = hpa.spec?.metrics ?? [];
    const selectorText = scale.status?.selector ?? '';
    const statuses: MetricStatus[] = [];
    let replicas = 0;
    let metricName = '';
    let invalid = 0;
    let firstError = '';
    if (!selectorText) {
      const message = 'selector is required';
      this.recorder.event(hpa, EVENT_TYPE_WARNING, 'SelectorRequired', message);
      this.setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', 'the HPA target\'s scale is missing a selector');
      return { replicas: -1, metricName, statuses, invalid: specs.length, error: message };
    }
    const selector = parseSelector(selectorText);
    const namespace = hpa.metadata?.namespace ?? '';
    const pods = this.podInformer.lister().byNamespace(namespace).list(selector);
    for (const spec of specs) {
      try {
        const proposal = await this.computeReplicasForMetric(spec, currentReplicas, namespace, selectorText, pods);
        statuses.push(proposal.status);
        if (replicas === 0 || proposal.replicas > replicas) {
          replicas = proposal.replicas;
          metricName = proposal.name;
        }
      } catch (e) {
        invalid++;
        const message = messageOf(e);
        if (!firstError) firstError = message;
        statuses.push({ type: '' });
        this.recorder.event(hpa, EVENT_TYPE_WARNING, 'FailedGetResourceMetric', message);
        this.setCondition(hpa, 'ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${message}`);
      }
    }
    if (invalid >= specs.length || (invalid > 0 && replicas < currentReplicas)) return { replicas: -1, metricName, statuses, invalid, error: firstError };
    this.setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metricName}`);
    return { replicas, metricName, statuses, invalid, error: firstError };
  }

  private async computeReplicasForMetric(spec: MetricSpec, currentReplicas: number, namespace: string, selector: string, pods: PodObject[]): Promise<{ replicas: number; name: string; status: MetricStatus }> {
    const source = spec.type === 'Resource' ? spec.resource : spec.type === 'ContainerResource' ? spec.containerResource : undefined;
    if (!source) throw new Error(`unknown metric source type "${spec.type}"`);
    const container = spec.type === 'ContainerResource' ? (spec.containerResource?.container ?? '') : '';
    const resource = source.name;
    const target = source.target;
    const now = this.now();
    const wrap = (e: unknown) => new Error(`failed to get ${resource} utilization: ${messageOf(e)}`, { cause: e });
    const current = (averageUtilization: number | undefined, raw: number) => {
      const value = { ...(averageUtilization !== undefined ? { averageUtilization } : {}), averageValue: newMilliQuantity(raw, 'DecimalSI').toString() };
      return spec.type === 'Resource' ? { type: spec.type, resource: { name: resource, current: value } } : { type: spec.type, containerResource: { name: resource, container, current: value } };
    };
    if (target.averageValue !== undefined) {
      const targetUsage = parseQuantity(String(target.averageValue)).milliValue();
      const r = await this.calculator.getRawResourceReplicas(currentReplicas, targetUsage, resource, namespace, selector, pods, container, now).catch((e: unknown) => {
        throw wrap(e);
      });
      return { replicas: r.replicas, name: `${resource} resource`, status: current(undefined, r.rawUtilization) };
    }
    if (target.averageUtilization === undefined) throw new Error('invalid resource metric source: neither a utilization target nor a value target was set');
    const r = await this.calculator.getResourceReplicas(currentReplicas, target.averageUtilization, resource, namespace, selector, pods, container, now).catch((e: unknown) => {
      throw wrap(e);
    });
    const name = spec.type === 'Resource' ? `${resource} resource utilization (percentage of request)` : `${resource} container resource utilization (percentage of request)`;
    return { replicas: r.replicas, name, status: current(r.utilization, r.rawUtilization) };
  }

  private recordInitialRecommendation(currentReplicas: number, key: string): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ recommendation: currentReplicas, timestamp: this.now() }]);
  }

  /** normalizeDesiredReplicas: the 5-minute downscale stabilization, then min/max and the scale-up limit. */
  private normalizeDesiredReplicas(hpa: HPA, key: string, currentReplicas: number, proposed: number, minReplicas: number): number {
    const now = this.now();
    const cutoff = now - DOWNSCALE_STABILIZATION_WINDOW_MS;
    const list = this.recommendations.get(key) ?? [];
    let stabilized = proposed;
    let oldIndex = -1;
    list.forEach((rec, i) => {
      if (rec.timestamp < cutoff) oldIndex = i;
      else if (rec.recommendation > stabilized) stabilized = rec.recommendation;
    });
    if (oldIndex >= 0) list[oldIndex] = { recommendation: proposed, timestamp: now };
    else list.push({ recommendation: proposed, timestamp: now });
    this.recommendations.set(key, list);
    if (stabilized !== proposed) this.setCondition(hpa, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    else this.setCondition(hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    const maxReplicas = hpa.spec?.maxReplicas ?? 0;
    let desired = stabilized;
    let condition = 'DesiredWithinRange';
    let reason = 'the desired count is within the acceptable range';
    const scaleUpLimit = Math.max(2 * currentReplicas, 4);
    if (stabilized < minReplicas) [desired, condition, reason] = [minReplicas, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
    else if (maxReplicas > scaleUpLimit && stabilized > scaleUpLimit) [desired, condition, reason] = [scaleUpLimit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'];
    else if (maxReplicas <= scaleUpLimit && stabilized > maxReplicas) [desired, condition, reason] = [maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
    this.setCondition(hpa, 'ScalingLimited', desired === stabilized ? 'False' : 'True', condition, reason);
    return desired;
  }

  /** normalizeDesiredReplicasWithBehaviors: both stabilization windows, then the policies' rate limits. */
  private normalizeWithBehaviors(hpa: HPA, key: string, currentReplicas: number, proposed: number, minReplicas: number): number {
    const behavior = hpa.spec?.behavior ?? {};
    const up: HPAScalingRules = behavior.scaleUp ?? {};
    const down: HPAScalingRules = behavior.scaleDown ?? {};
    const now = this.now();
    const upCutoff = now - (up.stabilizationWindowSeconds ?? 0) * 1000;
    const downCutoff = now - (down.stabilizationWindowSeconds ?? DOWNSCALE_STABILIZATION_WINDOW_MS / 1000) * 1000;
    let upRecommendation = proposed;
    let downRecommendation = proposed;
    let oldIndex = -1;
    const list = this.recommendations.get(key) ?? [];
    list.forEach((rec, i) => {
      if (rec.timestamp > upCutoff) upRecommendation = Math.min(rec.recommendation, upRecommendation);
      if (rec.timestamp > downCutoff) downRecommendation = Math.max(rec.recommendation, downRecommendation);
      if (rec.timestamp < upCutoff && rec.timestamp < downCutoff) oldIndex = i;
    });
    let stabilized = currentReplicas;
    if (stabilized < upRecommendation) stabilized = upRecommendation;
    if (stabilized > downRecommendation) stabilized = downRecommendation;
    if (oldIndex >= 0) list[oldIndex] = { recommendation: proposed, timestamp: now };
    else list.push({ recommendation: proposed, timestamp: now });
    this.recommendations.set(key, list);
    if (stabilized !== proposed) {
      if (proposed >= currentReplicas) this.setCondition(hpa, 'AbleToScale', 'True', 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation');
      else this.setCondition(hpa, 'AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    } else this.setCondition(hpa, 'AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    const maxReplicas = hpa.spec?.maxReplicas ?? 0;
    let desired = stabilized;
    let condition = 'DesiredWithinRange';
    let reason = 'the desired count is within the acceptable range';
    const upEvents = this.scaleUpEvents.get(key) ?? [];
    const downEvents = this.scaleDownEvents.get(key) ?? [];
    if (stabilized > currentReplicas) {
      const limit = Math.max(currentReplicas, scaleLimit(currentReplicas, upEvents, downEvents, up, 'up', now));
      const [allowed, c, r] = maxReplicas > limit ? [limit, 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'] : [maxReplicas, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count'];
      if (stabilized > allowed) [desired, condition, reason] = [allowed, c, r];
    } else if (stabilized < currentReplicas) {
      const limit = Math.min(currentReplicas, scaleLimit(currentReplicas, upEvents, downEvents, down, 'down', now));
      const [allowed, c, r] = minReplicas < limit ? [limit, 'ScaleDownLimit', 'the desired replica count is decreasing faster than the maximum scale rate'] : [minReplicas, 'TooFewReplicas', 'the desired replica count is less than the minimum replica count'];
      if (stabilized < allowed) [desired, condition, reason] = [allowed, c, r];
    }
    this.setCondition(hpa, 'ScalingLimited', desired === stabilized ? 'False' : 'True', condition, reason);
    return desired;
  }

  /** storeScaleEvent: the changes the behavior policies count (only with a behavior). */
  private storeScaleEvent(hpa: HPA, key: string, previous: number, next: number): void {
    const behavior = hpa.spec?.behavior;
    if (!behavior) return;
    const longest = (rules: HPAScalingRules | undefined) => Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds)) * 1000;
    const now = this.now();
    const [map, rules] = next > previous ? [this.scaleUpEvents, behavior.scaleUp] : [this.scaleDownEvents, behavior.scaleDown];
    const kept = (map.get(key) ?? []).filter((e) => e.timestamp > now - longest(rules));
    map.set(key, [...kept, { change: Math.abs(next - previous), timestamp: now }]);
  }
}

/** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
function scaleLimit(current: number, upEvents: readonly ScaleEvent[], downEvents: readonly ScaleEvent[], rules: HPAScalingRules, direction: 'up' | 'down', now: number): number {
  const select = rules.selectPolicy ?? 'Max';
  if (select === 'Disabled') return current;
  // Scaling up, Max picks the largest limit; scaling down, Max picks the largest change: the smallest count.
  const pickLargest = (select === 'Max') === (direction === 'up');
  let result = pickLargest ? -Infinity : Infinity;
  const changed = (events: readonly ScaleEvent[], periodSeconds: number) => events.filter((e) => e.timestamp > now - periodSeconds * 1000).reduce((n, e) => n + e.change, 0);
  for (const policy of rules.policies ?? []) {
    const periodStart = current - changed(upEvents, policy.periodSeconds) + changed(downEvents, policy.periodSeconds);
    let proposed: number;
    if (direction === 'up') proposed = policy.type === 'Pods' ? periodStart + policy.value : Math.ceil(periodStart * (1 + policy.value / 100));
    else proposed = policy.type === 'Pods' ? periodStart - policy.value : Math.trunc(periodStart * (1 - policy.value / 100));
    result = pickLargest ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

export const horizontalPodAutoscalerControllerDescriptor: ControllerDescriptor = {
  name: 'horizontal-pod-autoscaler-controller',
  workers: 5,
  init: (ctx) => new HorizontalController(ctx),
};
