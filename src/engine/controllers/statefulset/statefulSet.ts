/**
 * The StatefulSet controller — pkg/controller/statefulset/stateful_set.go: pods with stable identities
 * (`web-0`, `web-1`…), stable storage (a PersistentVolumeClaim per volumeClaimTemplate and ordinal) and
 * ordered rollout, scale and update.
 *
 * Informer handlers only enqueue the owning set's key. sync(key): read the set from the cache; adopt its
 * orphaned ControllerRevisions; claim the pods whose names make them members (`<set>-<ordinal>`) and
 * whose labels match; reconcile (statefulSetControl.ts); when minReadySeconds is set and not every
 * replica is available yet, look again after minReadySeconds. There are no expectations: a pod's fixed
 * name makes a second create fail with AlreadyExists, and the sync is retried.
 *
 * Left out: metrics and the StatefulSet conditions field (upstream sets none in 1.32).
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { isPodReady } from '../../api/pod/podutil.ts';
import { isConflict } from '../../api/errors.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { ControllerRefManager } from '../controllerRefManager.ts';
import { History, type ControllerRevisionObject } from '../history/controllerHistory.ts';
import { getControllerOf, messageOf, type PodObject } from '../podControl.ts';
import { StatefulPodControl } from './statefulPodControl.ts';
import { StatefulSetControl } from './statefulSetControl.ts';
import { isMemberOf, replicasOf, STATEFULSET_API_VERSION, STATEFULSET_KIND, type ClaimObject, type StatefulSetObject } from './statefulSetUtils.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** How many times a conflicting status write is retried (retry.DefaultRetry's steps). */
const STATUS_UPDATE_RETRIES = 5;

function isDeleted<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return obj instanceof DeletedFinalStateUnknown;
}

/**
 * The status as the apiserver serializes it: replicas and availableReplicas always, the other counts
 * and revisions only when set (omitempty), collisionCount whenever the controller has one.
 */
export function wireStatus(status: StatefulSetStatus): StatefulSetStatus {
  const out: StatefulSetStatus = { replicas: status.replicas };
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.currentReplicas) out.currentReplicas = status.currentReplicas;
  if (status.updatedReplicas) out.updatedReplicas = status.updatedReplicas;
  if (status.currentRevision) out.currentRevision = status.currentRevision;
  if (status.updateRevision) out.updateRevision = status.updateRevision;
  if (status.collisionCount !== undefined) out.collisionCount = status.collisionCount;
  if (status.conditions?.length) out.conditions = status.conditions;
  out.availableReplicas = status.availableReplicas ?? 0;
  return out;
}

export class StatefulSetController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly setInformer: SharedIndexInformer<StatefulSetObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly claimInformer: SharedIndexInformer<ClaimObject>;
  private readonly revisionInformer: SharedIndexInformer<ControllerRevisionObject>;
  private readonly setLister: Lister<StatefulSetObject>;
  private readonly podLister: Lister<PodObject>;
  private readonly sets: ResourceClient<StatefulSetObject>;
  private readonly control: StatefulSetControl;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'statefulset' });
    this.setInformer = ctx.informers.informerFor<StatefulSetObject>(RESOURCES.statefulsets);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.claimInformer = ctx.informers.informerFor<ClaimObject>(RESOURCES.persistentvolumeclaims);
    this.revisionInformer = ctx.informers.informerFor<ControllerRevisionObject>(RESOURCES.controllerrevisions);
    this.setLister = this.setInformer.lister();
    this.podLister = this.podInformer.lister();
    this.sets = ctx.client.resource<StatefulSetObject>(RESOURCES.statefulsets);
    const recorder = ctx.recorder('statefulset-controller');
    const podControl = new StatefulPodControl(
      ctx.client.resource<PodObject>(RESOURCES.pods),
      this.podLister,
      ctx.client.resource<ClaimObject>(RESOURCES.persistentvolumeclaims),
      this.claimInformer.lister(),
      recorder,
    );
    const history = new History(ctx.client.resource<ControllerRevisionObject>(RESOURCES.controllerrevisions), this.revisionInformer.lister());
    this.control = new StatefulSetControl(podControl, (set, status) => this.updateStatefulSetStatus(set, status), history, recorder, ctx.clock);

    this.setInformer.addEventHandler({
      onAdd: (set) => this.enqueue(set),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => this.queue.add(isDeleted(obj) ? obj.key : metaNamespaceKeyFunc(obj)),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (oldPod, curPod) => this.updatePod(oldPod, curPod),
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.podInformer, this.setInformer, this.claimInformer, this.revisionInformer]) if (!(await informer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), { onError: (key, error) => this.ctx.handleError(new Error(`error syncing StatefulSet ${key}, requeuing: ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  private enqueue(set: StatefulSetObject): void {
    this.queue.add(metaNamespaceKeyFunc(set));
  }

  /** The set a controllerRef names, if the cache has it with that UID. */
  private resolveControllerRef(namespace: string, pod: PodObject): StatefulSetObject | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== STATEFULSET_KIND) return undefined;
    const set = this.setLister.byNamespace(namespace).get(ref.name);
    return set && set.metadata?.uid === ref.uid ? set : undefined;
  }

  /** GetPodStatefulSets: the sets whose non-empty selector matches an orphan pod's labels. */
  private getStatefulSetsForPod(pod: PodObject): StatefulSetObject[] {
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.setLister
      .byNamespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((set) => {
        const selector = labelSelectorAsSelector(set.spec?.selector);
        return !selector.empty() && selector.matches(labels);
      });
  }

  private addPod(pod: PodObject): void {
    if (pod.metadata?.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const set = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
      if (set) this.enqueue(set);
      return;
    }
    for (const set of this.getStatefulSetsForPod(pod)) this.enqueue(set);
  }

  private updatePod(oldPod: PodObject, curPod: PodObject): void {
    if (curPod.metadata?.resourceVersion === oldPod.metadata?.resourceVersion) return;
    const namespace = curPod.metadata?.namespace ?? '';
    const labelChanged = JSON.stringify(curPod.metadata?.labels ?? {}) !== JSON.stringify(oldPod.metadata?.labels ?? {});
    const curRef = getControllerOf(curPod);
    const oldRef = getControllerOf(oldPod);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const set = this.resolveControllerRef(namespace, oldPod);
      if (set) this.enqueue(set);
    }
    if (curRef) {
      const set = this.resolveControllerRef(namespace, curPod);
      if (!set) return;
      this.enqueue(set);
      // A pod that just became ready is available only after minReadySeconds: look again then.
      const minReady = set.spec?.minReadySeconds ?? 0;
      if (!isPodReady(oldPod) && isPodReady(curPod) && minReady > 0) this.queue.addAfter(metaNamespaceKeyFunc(set), minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const set of this.getStatefulSetsForPod(curPod)) this.enqueue(set);
  }

  private deletePod(obj: PodObject | DeletedFinalStateUnknown<PodObject>): void {
    const pod = isDeleted(obj) ? obj.obj : obj;
    if (!pod || !getControllerOf(pod)) return;
    const set = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (set) this.enqueue(set);
  }

  /** sync: adopt orphaned revisions, claim the member pods, reconcile. */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const set = this.setLister.byNamespace(namespace).get(name);
    if (!set) return;
    let selector;
    try {
      selector = labelSelectorAsSelector(set.spec?.selector);
    } catch (error) {
      // A selector that does not parse will not parse on a retry either.
      this.ctx.handleError(new Error(`error converting StatefulSet ${key} selector: ${messageOf(error)}`));
      return;
    }
    await this.adoptOrphanRevisions(set);
    const manager = new ControllerRefManager<PodObject>({
      controller: set,
      apiVersion: STATEFULSET_API_VERSION,
      kind: STATEFULSET_KIND,
      selector,
      client: this.ctx.client.resource<PodObject>(RESOURCES.pods),
      getController: () => this.sets.get(namespace, name),
    });
    const pods = await manager.claim(this.podLister.byNamespace(namespace).list(), (pod) => isMemberOf(set, pod));
    const status = await this.control.updateStatefulSet(set, pods);
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && status && status.availableReplicas !== replicasOf(set)) this.queue.addAfter(key, minReady * 1000);
  }

  /** adoptOrphanRevisions: orphaned revisions matching the set become its own, once a fresh read confirms it. */
  private async adoptOrphanRevisions(set: StatefulSetObject): Promise<void> {
    const orphans = this.control.listRevisions(set).filter((r) => !getControllerOf(r));
    if (orphans.length === 0) return;
    const meta = set.metadata ?? {};
    const fresh = await this.sets.get(meta.namespace ?? '', meta.name ?? '');
    if (fresh.metadata?.uid !== meta.uid) throw new Error(`can't adopt ControllerRevisions: original StatefulSet ${meta.namespace}/${meta.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${meta.uid}`);
    if (fresh.metadata?.deletionTimestamp) throw new Error(`can't adopt ControllerRevisions: ${meta.namespace}/${meta.name} has just been deleted at ${String(fresh.metadata.deletionTimestamp)}`);
    await this.control.adoptOrphanRevisions(set, orphans);
  }

  /** StatefulSetStatusUpdater: write the status, retrying conflicts on the cache's newer copy. */
  private async updateStatefulSetStatus(original: StatefulSetObject, status: StatefulSetStatus): Promise<void> {
    let set = original;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.sets.updateStatus(set.metadata?.namespace ?? '', { ...set, status: wireStatus(status) });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt >= STATUS_UPDATE_RETRIES - 1) throw error;
        const cached = this.setLister.byNamespace(set.metadata?.namespace ?? '').get(set.metadata?.name ?? '');
        set = cached ? deepCopy(cached) : await this.sets.get(set.metadata?.namespace ?? '', set.metadata?.name ?? '');
      }
    }
  }
}

export const statefulSetControllerDescriptor: ControllerDescriptor = {
  name: 'statefulset-controller',
  workers: 5,
  init: (ctx) => new StatefulSetController(ctx),
};
