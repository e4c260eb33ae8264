/**
 * The ReplicaSet controller — pkg/controller/replicaset/replica_set.go: keeps `spec.replicas` pods
 * matching a ReplicaSet's selector alive.
 *
 * syncReplicaSet(key): read the ReplicaSet from the cache; list the namespace's pods and keep the
 * active ones the ReplicaSet claims (adopting orphans that match, releasing its pods that no longer
 * do); if its expectations are satisfied (the cache has seen all of its own earlier creates and
 * deletes), create the missing pods in slow-start batches of 1, 2, 4… (at most 500 per sync) or delete
 * the surplus, the pods ranked by getPodsToDelete; then write status (replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas, observedGeneration, the ReplicaFailure condition).
 *
 * Left out: the ReplicationController flavour, metrics, the terminatingReplicas field (1.33).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import { isNotFound } from '../../api/errors.ts';
import { labelSelectorAsSelector, selectorFromSet } from '../../api/labels/selector.ts';
import { isPodActive, isPodAvailable, isPodReady } from '../../api/pod/podutil.ts';
import { rfc3339 } from '../../api/time.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import { getPodsToDelete } from '../activePods.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { ControllerRefManager } from '../controllerRefManager.ts';
import { UIDTrackingControllerExpectations } from '../expectations.ts';
import { PodControl, getControllerOf, messageOf, newControllerRef, type PodObject } from '../podControl.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

export const BURST_REPLICAS = 500;
/** controller.SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH_SIZE = 1;

type ReplicaSetObject = ReplicaSet & KubeObject;

const RS_API_VERSION = 'apps/v1';
const RS_KIND = 'ReplicaSet';

function isDeleted<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return obj instanceof DeletedFinalStateUnknown;
}

/**
 * Run `fn` `count` times in batches of 1, 2, 4…, stopping after the first batch with a failure
 * (controller.slowStartBatch). Returns how many succeeded and the first error.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
  }
  return { successes };
}

export class ReplicaSetController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly rsInformer: SharedIndexInformer<ReplicaSetObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly rsLister: Lister<ReplicaSetObject>;
  private readonly podLister: Lister<PodObject>;
  private readonly replicaSets: ResourceClient<ReplicaSetObject>;
  private readonly podControl: PodControl;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly burstReplicas = BURST_REPLICAS,
  ) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'replicaset' });
    this.expectations = new UIDTrackingControllerExpectations(ctx.clock);
    this.rsInformer = ctx.informers.informerFor<ReplicaSetObject>(RESOURCES.replicasets);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.rsLister = this.rsInformer.lister();
    this.podLister = this.podInformer.lister();
    this.replicaSets = ctx.client.resource<ReplicaSetObject>(RESOURCES.replicasets);
    this.podControl = new PodControl(ctx.client.resource<PodObject>(RESOURCES.pods), ctx.recorder('replicaset-controller'));

    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (oldRs, newRs) => {
        if (oldRs.metadata?.uid !== newRs.metadata?.uid) this.deleteRS(oldRs);
        this.enqueue(newRs);
      },
      onDelete: (rs) => this.deleteRS(rs),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (oldPod, newPod) => this.updatePod(oldPod, newPod),
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.rsInformer.waitForSync()) || !(await this.podInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncReplicaSet(key), { onError: (key, error) => this.ctx.handleError(new Error(`sync "${key}" failed with ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  private enqueue(rs: ReplicaSetObject): void {
    this.queue.add(metaNamespaceKeyFunc(rs));
  }

  private deleteRS(obj: ReplicaSetObject | DeletedFinalStateUnknown<ReplicaSetObject>): void {
    const key = isDeleted(obj) ? obj.key : metaNamespaceKeyFunc(obj);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  /** The ReplicaSet a controllerRef names, if it is one the cache has with that UID. */
  private resolveControllerRef(namespace: string, pod: PodObject): ReplicaSetObject | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== RS_KIND) return undefined;
    const rs = this.rsLister.byNamespace(namespace).get(ref.name);
    return rs && rs.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** The ReplicaSets whose selector matches an orphan pod's labels (GetPodReplicaSets). */
  private getPodReplicaSets(pod: PodObject): ReplicaSetObject[] {
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.rsLister
      .byNamespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((rs) => {
        const selector = labelSelectorAsSelector(rs.spec?.selector);
        return !selector.empty() && selector.matches(labels);
      });
  }

  private addPod(pod: PodObject): void {
    if (pod.metadata?.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
      if (!rs) return;
      const key = metaNamespaceKeyFunc(rs);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const rs of this.getPodReplicaSets(pod)) this.enqueue(rs);
  }

  private updatePod(oldPod: PodObject, newPod: PodObject): void {
    if (newPod.metadata?.resourceVersion === oldPod.metadata?.resourceVersion) return;
    const labelChanged = JSON.stringify(newPod.metadata?.labels ?? {}) !== JSON.stringify(oldPod.metadata?.labels ?? {});
    if (newPod.metadata?.deletionTimestamp) {
      this.deletePod(newPod);
      if (labelChanged) this.deletePod(oldPod);
      return;
    }
    const namespace = newPod.metadata?.namespace ?? '';
    const oldRef = getControllerOf(oldPod);
    const newRef = getControllerOf(newPod);
    if (oldRef && (!newRef || oldRef.uid !== newRef.uid)) {
      const rs = this.resolveControllerRef(namespace, oldPod);
      if (rs) this.enqueue(rs);
    }
    if (newRef) {
      const rs = this.resolveControllerRef(namespace, newPod);
      if (!rs) return;
      this.enqueue(rs);
      // A pod that just became ready is available only after minReadySeconds: look again then.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(oldPod) && isPodReady(newPod) && minReady > 0) this.queue.addAfter(metaNamespaceKeyFunc(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || oldRef) for (const rs of this.getPodReplicaSets(newPod)) this.enqueue(rs);
  }

  private deletePod(obj: PodObject | DeletedFinalStateUnknown<PodObject>): void {
    const pod = isDeleted(obj) ? obj.obj : obj;
    if (!pod) return;
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (!rs) return;
    const key = metaNamespaceKeyFunc(rs);
    this.expectations.deletionObservedOf(key, metaNamespaceKeyFunc(pod));
    this.queue.add(key);
  }

  async syncReplicaSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const rs = this.rsLister.byNamespace(namespace).get(name);
    if (!rs) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rsNeedsSync = this.expectations.satisfiedExpectations(key);
    const selector = labelSelectorAsSelector(rs.spec?.selector);
    const active = this.podLister.byNamespace(namespace).list().filter(isPodActive);
    const manager = new ControllerRefManager<PodObject>({
      controller: rs,
      apiVersion: RS_API_VERSION,
      kind: RS_KIND,
      selector,
      client: this.ctx.client.resource<PodObject>(RESOURCES.pods),
      getController: () => this.replicaSets.get(namespace, name),
    });
    const filteredPods = await manager.claim(active);

    let manageError: unknown;
    if (rsNeedsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(filteredPods, rs, key);
      } catch (error) {
        manageError = error;
      }
    }
    const copy = deepCopy(rs);
    const newStatus = this.calculateStatus(copy, filteredPods, manageError);
    const updated = await this.updateReplicaSetStatus(copy, newStatus);
    const minReady = updated.spec?.minReadySeconds ?? 0;
    const st: ReplicaSetStatus = updated.status ?? { replicas: 0 };
    if (manageError === undefined && minReady > 0 && st.readyReplicas === updated.spec?.replicas && st.availableReplicas !== updated.spec?.replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  private async manageReplicas(filteredPods: PodObject[], rs: ReplicaSetObject, key: string): Promise<void> {
    const wanted = rs.spec?.replicas ?? 1;
    let diff = filteredPods.length - wanted;
    if (diff < 0) {
      diff = Math.min(-diff, this.burstReplicas);
      this.expectations.expectCreations(key, diff);
      const ref = newControllerRef(rs, RS_API_VERSION, RS_KIND);
      const template = rs.spec?.template ?? {};
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        await this.podControl.createPods(rs.metadata?.namespace ?? '', template, rs, ref);
      });
      const skipped = diff - successes;
      // Creates that failed or never ran will never be observed: stop expecting them.
      if (skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);
      if (error !== undefined) throw error;
    } else if (diff > 0) {
      diff = Math.min(diff, this.burstReplicas);
      const related = this.getIndirectlyRelatedPods(rs);
      const toDelete = getPodsToDelete(filteredPods, related, diff, this.ctx.clock.now());
      this.expectations.expectDeletionsOf(
        key,
        toDelete.map((p) => metaNamespaceKeyFunc(p)),
      );
      const results = await Promise.allSettled(
        toDelete.map(async (pod) => {
          try {
            await this.podControl.deletePod(rs.metadata?.namespace ?? '', pod.metadata?.name ?? '', rs);
          } catch (error) {
            // A failed delete will never be observed; a pod already gone is not an error.
            this.expectations.deletionObservedOf(key, metaNamespaceKeyFunc(pod));
            if (!isNotFound(error)) throw error;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /** Pods owned by any ReplicaSet of the same owner (a Deployment's other ReplicaSets), for ranking. */
  private getIndirectlyRelatedPods(rs: ReplicaSetObject): PodObject[] {
    const owner = getControllerOf(rs);
    const namespace = rs.metadata?.namespace ?? '';
    const siblings = owner ? this.rsLister.byNamespace(namespace).list().filter((o) => getControllerOf(o)?.uid === owner.uid) : [rs];
    const uids = new Set(siblings.map((s) => s.metadata?.uid));
    return this.podLister
      .byNamespace(namespace)
      .list()
      .filter((pod) => uids.has(getControllerOf(pod)?.uid));
  }

  private calculateStatus(rs: ReplicaSetObject, filteredPods: PodObject[], manageError: unknown): ReplicaSetStatus {
    const templateLabels = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const now = this.ctx.clock.now();
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const pod of filteredPods) {
      if (templateLabels.matches(pod.metadata?.labels ?? {})) fullyLabeled++;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod as Pod, minReady, now)) available++;
      }
    }
    const status: ReplicaSetStatus = {
      ...rs.status,
      replicas: filteredPods.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
    };
    const conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
    const existing = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    if (manageError !== undefined && !existing) {
      const wanted = rs.spec?.replicas ?? 1;
      const reason = filteredPods.length < wanted ? 'FailedCreate' : 'FailedDelete';
      const condition: ReplicaSetCondition = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason, message: messageOf(manageError) };
      conditions.push(condition);
    } else if (manageError !== undefined && existing) {
      conditions.push(existing);
    }
    if (conditions.length) status.conditions = conditions;
    else delete status.conditions;
    return status;
  }

  /** Write status if it changed (updateReplicaSetStatus, one retry after a conflict). */
  private async updateReplicaSetStatus(rs: ReplicaSetObject, newStatus: ReplicaSetStatus): Promise<ReplicaSetObject> {
    const generation = rs.metadata?.generation as number | undefined;
    const same = (r: ReplicaSetObject) => JSON.stringify({ ...r.status, observedGeneration: undefined }) === JSON.stringify({ ...newStatus, observedGeneration: undefined }) && r.status?.observedGeneration === generation;
    if (same(rs)) return rs;
    let current = rs;
    for (let attempt = 0; ; attempt++) {
      const body: ReplicaSetObject = { ...current, status: { ...newStatus, observedGeneration: generation } };
      try {
        return await this.replicaSets.updateStatus(current.metadata?.namespace ?? '', body);
      } catch (error) {
        if (attempt >= 1) throw error;
        current = await this.replicaSets.get(current.metadata?.namespace ?? '', current.metadata?.name ?? '');
      }
    }
  }
}

export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: 'replicaset-controller',
  workers: 5,
  init: (ctx) => new ReplicaSetController(ctx),
};
