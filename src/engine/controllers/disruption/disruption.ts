/**
 * The disruption controller — pkg/controller/disruption: keeps every PodDisruptionBudget's status true,
 * so that `kubectl drain` and the eviction API know how many pods may go. For the pods the budget
 * selects it counts currentHealthy (Ready, not being deleted), works out desiredHealthy and expectedPods
 * — minAvailable as a number counts the pods themselves; minAvailable as a percentage and maxUnavailable
 * ask the pods' controllers for their scale (a ReplicaSet's Deployment, a StatefulSet, a ReplicaSet) —
 * and writes disruptionsAllowed with the DisruptionAllowed condition (SufficientPods / InsufficientPods).
 * Entries of disruptedPods (evictions not yet seen as deletions) older than 2 minutes are dropped.
 */
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { getValueFromIntOrPercent } from '../../api/intstr.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { isPodReady } from '../../api/pod/podutil.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { getControllerOf, messageOf } from '../podControl.ts';

export const DELETION_TIMEOUT_MS = 2 * 60_000;

type PdbObject = PodDisruptionBudget & KubeObject;
type PodObject = Pod & KubeObject;
type Scaled = KubeObject & { spec?: { replicas?: number } };


export class DisruptionController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly pdbInformer: SharedIndexInformer<PdbObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly rs: Lister<Scaled>;
  private readonly deployments: Lister<Scaled>;
  private readonly statefulsets: Lister<Scaled>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'disruption' });
    this.pdbInformer = ctx.informers.informerFor<PdbObject>(RESOURCES.poddisruptionbudgets);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.rs = ctx.informers.lister<Scaled>(RESOURCES.replicasets);
    this.deployments = ctx.informers.lister<Scaled>(RESOURCES.deployments);
    this.statefulsets = ctx.informers.lister<Scaled>(RESOURCES.statefulsets);
    const enqueue = (p: PdbObject) => this.queue.add(metaNamespaceKeyFunc(p));
    this.pdbInformer.addEventHandler({ onAdd: enqueue, onUpdate: (_o, p) => enqueue(p) });
    const podChanged = (obj: PodObject | DeletedFinalStateUnknown<PodObject>) => {
      const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
      if (!pod) return;
      for (const pdb of this.pdbInformer.lister().byNamespace(pod.metadata?.namespace ?? '').list()) {
        if (labelSelectorAsSelector(pdb.spec?.selector).matches(pod.metadata?.labels ?? {})) enqueue(pdb);
      }
    };
    this.podInformer.addEventHandler({ onAdd: podChanged, onUpdate: (_o, p) => podChanged(p), onDelete: podChanged });
  }

  async run(workers: number): Promise<void> {
    const informers = [this.pdbInformer, this.podInformer, ...[RESOURCES.replicasets, RESOURCES.deployments, RESOURCES.statefulsets].map((r) => this.ctx.informers.informerFor(r))];
    for (const informer of informers) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), { onError: (key, error) => this.ctx.handleError(new Error(`failed to sync pdb ${key}: ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  /** The scale of the controller a pod belongs to, counted once per controller (getExpectedScale). */
  private expectedScale(pods: PodObject[]): number {
    const seen = new Map<string, number>();
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      if (!ref) throw new Error(`found no controller ref for pod "${pod.metadata?.name}"`);
      const namespace = pod.metadata?.namespace ?? '';
      let owner: Scaled | undefined;
      if (ref.kind === 'ReplicaSet') {
        const rs = this.rs.byNamespace(namespace).get(ref.name);
        const deployRef = rs && getControllerOf(rs);
        owner = deployRef?.kind === 'Deployment' ? this.deployments.byNamespace(namespace).get(deployRef.name) : rs;
      } else if (ref.kind === 'StatefulSet') owner = this.statefulsets.byNamespace(namespace).get(ref.name);
      if (!owner) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
      seen.set(owner.metadata?.uid ?? '', owner.spec?.replicas ?? 1);
    }
    return [...seen.values()].reduce((a, b) => a + b, 0);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pdb = this.pdbInformer.lister().byNamespace(namespace).get(name);
    if (!pdb) return;
    const selector = labelSelectorAsSelector(pdb.spec?.selector);
    const pods = this.podInformer.lister().byNamespace(namespace).list(selector);
    const now = this.ctx.clock.now();
    const currentHealthy = pods.filter((p) => !p.metadata?.deletionTimestamp && isPodReady(p)).length;
    let expectedCount: number;
    let desiredHealthy: number;
    const { minAvailable, maxUnavailable } = pdb.spec ?? {};
    try {
      if (maxUnavailable !== undefined) {
        expectedCount = this.expectedScale(pods);
        desiredHealthy = Math.max(expectedCount - getValueFromIntOrPercent(maxUnavailable, expectedCount, true), 0);
      } else if (typeof minAvailable === 'number') {
        expectedCount = pods.length;
        desiredHealthy = minAvailable;
      } else if (typeof minAvailable === 'string') {
        expectedCount = this.expectedScale(pods);
        desiredHealthy = getValueFromIntOrPercent(minAvailable, expectedCount, true);
      } else {
        expectedCount = pods.length;
        desiredHealthy = 0;
      }
    } catch (error) {
      // Upstream records an event and sets a zero budget, so no eviction passes a budget it cannot compute.
      this.ctx.recorder('controllermanager').event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${messageOf(error)}`);
      expectedCount = 0;
      desiredHealthy = 0;
    }
    const disrupted = Object.fromEntries(Object.entries(pdb.status?.disruptedPods ?? {}).filter(([pod, at]) => Date.parse(at) + DELETION_TIMEOUT_MS > now && pods.some((p) => p.metadata?.name === pod && !p.metadata?.deletionTimestamp)));
    let allowed = currentHealthy - desiredHealthy - Object.keys(disrupted).length;
    if (expectedCount <= 0 || allowed <= 0) allowed = 0;
    const previous = pdb.status?.conditions?.find((c) => c.type === 'DisruptionAllowed');
    const conditionStatus = allowed > 0 ? 'True' : 'False';
    const status: PodDisruptionBudgetStatus = {
      ...(Object.keys(disrupted).length ? { disruptedPods: disrupted } : {}),
      currentHealthy,
      desiredHealthy,
      disruptionsAllowed: allowed,
      expectedPods: expectedCount,
      observedGeneration: pdb.metadata?.generation as number | undefined,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: conditionStatus,
          reason: allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: pdb.metadata?.generation as number | undefined,
          lastTransitionTime: previous?.status === conditionStatus ? previous.lastTransitionTime : rfc3339(now),
        },
      ],
    };
    if (JSON.stringify(pdb.status ?? {}) === JSON.stringify(status)) return;
    try {
      await this.ctx.client.resource<PdbObject>(RESOURCES.poddisruptionbudgets).updateStatus(namespace, { ...pdb, status });
    } catch (error) {
      if (isNotFound(error)) return;
      if (!isConflict(error)) throw error;
      this.queue.add(key);
    }
  }
}

export const disruptionControllerDescriptor: ControllerDescriptor = {
  name: 'disruption-controller',
  workers: 1,
  init: (ctx) => new DisruptionController(ctx),
};
