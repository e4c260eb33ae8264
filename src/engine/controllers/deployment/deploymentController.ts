/**
 * The Deployment controller — pkg/controller/deployment (Kubernetes 1.32): deployment_controller.go,
 * sync.go, rolling.go, recreate.go, progress.go. A Deployment runs its pods through ReplicaSets, one per
 * pod template: the new ReplicaSet (its template equals the Deployment's, ignoring `pod-template-hash`,
 * named `<deployment>-<hash>`) and the old ones.
 *
 * syncDeployment(key): read the Deployment from the cache and copy it; claim the namespace's
 * ReplicaSets (adopt matching orphans, release those that stopped matching); then, in upstream's order:
 * a Deployment being deleted only gets its status; pausing or resuming sets the Progressing condition
 * (DeploymentPaused / DeploymentResumed); a paused Deployment or a scaling event (an active ReplicaSet's
 * desired-replicas annotation differs from spec.replicas) is scaled, proportionally across the active
 * ReplicaSets in a rolling update (leftovers to the largest), without rolling out; otherwise the strategy
 * runs — RollingUpdate (grow the new ReplicaSet within maxSurge, shrink the old ones within
 * maxUnavailable, unhealthy old replicas first) or Recreate (old ReplicaSets to zero, wait until their
 * pods are gone, then the new one at full size). Each write of a ReplicaSet's size records a
 * `ScalingReplicaSet` event (`Scaled up replica set web-7d4b9c8f5 from 0 to 3`). Revisions: the new
 * ReplicaSet gets the highest old revision + 1 (a ReplicaSet rolled back to keeps its old revisions in
 * `revision-history`), and the Deployment's `deployment.kubernetes.io/revision` follows it. Status:
 * replica counts summed over the ReplicaSets, Available (minimum availability), Progressing (created /
 * found / updated / complete / timed out after progressDeadlineSeconds, with a requeue for the check),
 * and ReplicaFailure surfaced from the ReplicaSets. Once a rollout is complete, old ReplicaSets scaled to
 * zero beyond revisionHistoryLimit are deleted, lowest revision first. A hash collision with a
 * ReplicaSet that is not ours bumps status.collisionCount and retries under another name.
 *
 * Deleting a Deployment is the garbage collector's work (its ReplicaSets carry its controller reference).
 * `kubectl rollout undo` is client-side in 1.32: it copies an old ReplicaSet's template into the
 * Deployment, and this controller then finds that ReplicaSet as the new one and raises its revision.
 *
 * Left out: the deprecated `deprecated.deployment.rollback.to` annotation (rollback.go, only reachable by
 * setting that annotation by hand), the SelectingAll warning (apps/v1 validation rejects an empty
 * selector, so it cannot happen), metrics and logging. The revision annotation is written with the
 * status update, as upstream does (deployments/status keeps annotation changes).
 */
import type { Deployment, DeploymentStatus, ReplicaSet } from 'kubernetes-types/apps/v1';
import { StatusError, isAlreadyExists, isNotFound } from '../../api/errors.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { ControllerRefManager } from '../controllerRefManager.ts';
import { canonicalJson, computeHash } from '../hash.ts';
import { getControllerOf, messageOf, newControllerRef, type PodObject } from '../podControl.ts';
import * as util from './util/deploymentUtil.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** maxRetries: a Deployment whose sync keeps failing is dropped after this many retries. */
export const MAX_RETRIES = 15;
export const SCALING_REPLICA_SET_REASON = 'ScalingReplicaSet';

export type DeploymentObject = Deployment & KubeObject;
export type ReplicaSetObject = ReplicaSet & KubeObject;

const DEPLOYMENT_API_VERSION = 'apps/v1';
const DEPLOYMENT_KIND = 'Deployment';
const RS_KIND = 'ReplicaSet';

function isDeleted<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return obj instanceof DeletedFinalStateUnknown;
}

/** errors.HasStatusCause(err, v1.NamespaceTerminatingCause). */
function namespaceTerminating(error: unknown): boolean {
  return error instanceof StatusError && (error.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

function sameUid(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  return a !== undefined && b !== undefined && a.metadata?.uid === b.metadata?.uid;
}

/** DeploymentStatus as Go serializes it: zero counts and empty lists are omitted, collisionCount kept when set. */
function omitEmpty(status: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const key of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    const v = status[key];
    if (v) out[key] = v;
  }
  if (status.conditions?.length) out.conditions = status.conditions;
  if (status.collisionCount !== undefined && status.collisionCount !== null) out.collisionCount = status.collisionCount;
  return out;
}

/**
 * calculateStatus: the status the ReplicaSets add up to, with the Deployment's conditions and the
 * Available condition set from maxUnavailable.
 */
function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, now: string): DeploymentStatus {
  const availableReplicas = util.getAvailableReplicaCountForReplicaSets(allRSs);
  const totalReplicas = util.getReplicaCountForReplicaSets(allRSs);
  const unavailableReplicas = Math.max(totalReplicas - availableReplicas, 0);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: util.getActualReplicaCountForReplicaSets(allRSs),
    updatedReplicas: util.getActualReplicaCountForReplicaSets([newRS]),
    readyReplicas: util.getReadyReplicaCountForReplicaSets(allRSs),
    availableReplicas,
    unavailableReplicas,
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  };
  if (availableReplicas >= util.deploymentReplicas(d) - util.maxUnavailable(d)) {
    util.setDeploymentCondition(status, util.newDeploymentCondition('Available', 'True', util.MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    util.setDeploymentCondition(status, util.newDeploymentCondition('Available', 'False', util.MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  }
  return omitEmpty(status);
}

/** Whether the pods of old ReplicaSets still run (oldPodsRunning): Recreate waits for them. */
function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: ReadonlyMap<string, readonly PodObject[]>): boolean {
  if (util.getActualReplicaCountForReplicaSets(oldRSs) > 0) return true;
  for (const [rsUid, pods] of podMap) {
    if (newRS && newRS.metadata?.uid === rsUid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

export class DeploymentController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly dInformer: SharedIndexInformer<DeploymentObject>;
  private readonly rsInformer: SharedIndexInformer<ReplicaSetObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly dLister: Lister<DeploymentObject>;
  private readonly rsLister: Lister<ReplicaSetObject>;
  private readonly podLister: Lister<PodObject>;
  private readonly deployments: ResourceClient<DeploymentObject>;
  private readonly replicaSets: ResourceClient<ReplicaSetObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'deployment' });
    this.dInformer = ctx.informers.informerFor<DeploymentObject>(RESOURCES.deployments);
    this.rsInformer = ctx.informers.informerFor<ReplicaSetObject>(RESOURCES.replicasets);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.dLister = this.dInformer.lister();
    this.rsLister = this.rsInformer.lister();
    this.podLister = this.podInformer.lister();
    this.deployments = ctx.client.resource<DeploymentObject>(RESOURCES.deployments);
    this.replicaSets = ctx.client.resource<ReplicaSetObject>(RESOURCES.replicasets);
    this.recorder = ctx.recorder('deployment-controller');

    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (d) => this.queue.add(isDeleted(d) ? d.key : metaNamespaceKeyFunc(d)),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (oldRS, curRS) => this.updateReplicaSet(oldRS, curRS),
      onDelete: (rs) => this.deleteReplicaSet(rs),
    });
    this.podInformer.addEventHandler({
      onDelete: (pod) => this.deletePod(pod),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.dInformer.waitForSync()) || !(await this.rsInformer.waitForSync()) || !(await this.podInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncHandler(key), {
      maxRetries: MAX_RETRIES,
      onDrop: (key, error) => this.ctx.handleError(new Error(`dropping deployment "${key}" out of the queue: ${messageOf(error)}`)),
    });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  /** handleErr: a namespace being deleted refuses new ReplicaSets — not worth a retry. */
  private async syncHandler(key: string): Promise<void> {
    try {
      await this.syncDeployment(key);
    } catch (error) {
      if (namespaceTerminating(error)) return;
      throw error;
    }
  }

  // ---- informer handlers: they only find Deployments and enqueue their keys ----

  private enqueue(d: DeploymentObject): void {
    this.queue.add(metaNamespaceKeyFunc(d));
  }

  /** The Deployment a controllerRef names, if the cache has it with that UID. */
  private resolveControllerRef(namespace: string, ref: { kind?: string; name?: string; uid?: string } | undefined): DeploymentObject | undefined {
    if (!ref || ref.kind !== DEPLOYMENT_KIND) return undefined;
    const d = this.dLister.byNamespace(namespace).get(ref.name ?? '');
    return d && d.metadata?.uid === ref.uid ? d : undefined;
  }

  /** GetDeploymentsForReplicaSet: the Deployments whose selector matches an orphan ReplicaSet. */
  private getDeploymentsForReplicaSet(rs: ReplicaSetObject): DeploymentObject[] {
    const labels = rs.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.dLister
      .byNamespace(rs.metadata?.namespace ?? '')
      .list()
      .filter((d) => {
        const selector = labelSelectorAsSelector(d.spec?.selector);
        return !selector.empty() && selector.matches(labels);
      });
  }

  private addReplicaSet(rs: ReplicaSetObject): void {
    if (rs.metadata?.deletionTimestamp) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.getDeploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private updateReplicaSet(oldRS: ReplicaSetObject, curRS: ReplicaSetObject): void {
    if (curRS.metadata?.resourceVersion === oldRS.metadata?.resourceVersion) return;
    const namespace = curRS.metadata?.namespace ?? '';
    const curRef = getControllerOf(curRS);
    const oldRef = getControllerOf(oldRS);
    const refChanged = canonicalJson(curRef ?? null) !== canonicalJson(oldRef ?? null);
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(namespace, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(namespace, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelChanged = canonicalJson(curRS.metadata?.labels ?? {}) !== canonicalJson(oldRS.metadata?.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.getDeploymentsForReplicaSet(curRS)) this.enqueue(d);
  }

  private deleteReplicaSet(obj: ReplicaSetObject | DeletedFinalStateUnknown<ReplicaSetObject>): void {
    const rs = isDeleted(obj) ? obj.obj : obj;
    if (!rs) return;
    const ref = getControllerOf(rs);
    if (!ref) return;
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
    if (d) this.enqueue(d);
  }

  /** The Deployment owning the ReplicaSet that owns a pod (getDeploymentForPod). */
  private getDeploymentForPod(pod: PodObject): DeploymentObject | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== RS_KIND) return undefined;
    const rs = this.rsLister.byNamespace(pod.metadata?.namespace ?? '').get(ref.name);
    if (!rs || rs.metadata?.uid !== ref.uid) return undefined;
    return this.resolveControllerRef(rs.metadata?.namespace ?? '', getControllerOf(rs));
  }

  /** deletePod: a Recreate Deployment whose last pod is gone may now create its new ReplicaSet. */
  private deletePod(obj: PodObject | DeletedFinalStateUnknown<PodObject>): void {
    const pod = isDeleted(obj) ? obj.obj : obj;
    if (!pod) return;
    const d = this.getDeploymentForPod(pod);
    if (!d || d.spec?.strategy?.type !== 'Recreate') return;
    const rsList = this.rsLister
      .byNamespace(d.metadata?.namespace ?? '')
      .list(labelSelectorAsSelector(d.spec?.selector))
      .filter((rs) => getControllerOf(rs)?.uid === d.metadata?.uid);
    let numPods = 0;
    for (const pods of this.getPodMapForDeployment(d, rsList).values()) numPods += pods.length;
    if (numPods === 0) this.enqueue(d);
  }

  // ---- syncDeployment (deployment_controller.go) ----

  async syncDeployment(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dLister.byNamespace(namespace).get(name);
    if (!cached) return;
    const d = deepCopy(cached);

    const rsList = await this.getReplicaSetsForDeployment(d);
    const podMap = this.getPodMapForDeployment(d, rsList);

    if (d.metadata?.deletionTimestamp) {
      await this.syncStatusOnly(d, rsList);
      return;
    }
    await this.checkPausedConditions(d);
    if (d.spec?.paused) {
      await this.sync(d, rsList);
      return;
    }
    if (await this.isScalingEvent(d, rsList)) {
      await this.sync(d, rsList);
      return;
    }
    switch (d.spec?.strategy?.type) {
      case 'Recreate':
        await this.rolloutRecreate(d, rsList, podMap);
        return;
      case 'RollingUpdate':
        await this.rolloutRolling(d, rsList);
        return;
      default:
        throw new Error(`unexpected deployment strategy type: ${d.spec?.strategy?.type ?? ''}`);
    }
  }

  /** The ReplicaSets this Deployment owns, after adopting matching orphans and releasing the rest. */
  private async getReplicaSetsForDeployment(d: DeploymentObject): Promise<ReplicaSetObject[]> {
    const namespace = d.metadata?.namespace ?? '';
    const manager = new ControllerRefManager<ReplicaSetObject>({
      controller: d,
      apiVersion: DEPLOYMENT_API_VERSION,
      kind: DEPLOYMENT_KIND,
      selector: labelSelectorAsSelector(d.spec?.selector),
      client: this.replicaSets,
      getController: () => this.deployments.get(namespace, d.metadata?.name ?? ''),
    });
    return manager.claim(this.rsLister.byNamespace(namespace).list());
  }

  /** getPodMapForDeployment: the Deployment's pods by the UID of the ReplicaSet that owns them. */
  private getPodMapForDeployment(d: DeploymentObject, rsList: readonly ReplicaSetObject[]): Map<string, PodObject[]> {
    const podMap = new Map<string, PodObject[]>();
    for (const rs of rsList) podMap.set(rs.metadata?.uid ?? '', []);
    const pods = this.podLister.byNamespace(d.metadata?.namespace ?? '').list(labelSelectorAsSelector(d.spec?.selector));
    for (const pod of pods) {
      const ref = getControllerOf(pod);
      if (ref) podMap.get(ref.uid)?.push(pod);
    }
    return podMap;
  }

  // ---- writes of the Deployment ----

  /** UpdateStatus of the working copy (its revision annotation too); its resourceVersion follows each write. */
  private async updateStatus(d: DeploymentObject): Promise<void> {
    const namespace = d.metadata?.namespace ?? '';
    const updated = await this.deployments.updateStatus(namespace, d);
    d.metadata = { ...d.metadata, resourceVersion: updated.metadata?.resourceVersion };
  }

  private now(): string {
    return rfc3339(this.ctx.clock.now());
  }

  // ---- sync.go ----

  /** syncStatusOnly: only the status, no changes to ReplicaSets. */
  private async syncStatusOnly(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /** sync: scaling events and paused Deployments — scale, no rollout. */
  private async sync(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanupDeployment(oldRSs, d);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS, d);
  }

  /**
   * checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed, so a Deployment
   * paused for longer than its deadline is not reported as stuck once resumed.
   */
  private async checkPausedConditions(d: DeploymentObject): Promise<void> {
    if (!util.hasProgressDeadline(d)) return;
    const cond = util.getDeploymentCondition(d.status, 'Progressing');
    if (cond?.reason === util.TIMED_OUT_REASON) return;
    const pausedCondExists = cond?.reason === util.PAUSED_DEPLOY_REASON;
    const status = (d.status ??= {});
    if (d.spec?.paused && !pausedCondExists) {
      util.setDeploymentCondition(status, util.newDeploymentCondition('Progressing', 'Unknown', util.PAUSED_DEPLOY_REASON, 'Deployment is paused', this.now()));
    } else if (!d.spec?.paused && pausedCondExists) {
      util.setDeploymentCondition(status, util.newDeploymentCondition('Progressing', 'Unknown', util.RESUMED_DEPLOY_REASON, 'Deployment is resumed', this.now()));
    } else {
      return;
    }
    await this.updateStatus(d);
  }

  /**
   * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created if asked and missing) with its revision
   * brought up to date, and all the old ones. A ReplicaSet written on the way replaces its entry in rsList.
   */
  private async getAllReplicaSetsAndSyncRevision(d: DeploymentObject, rsList: ReplicaSetObject[], createIfNotExisted: boolean): Promise<{ newRS: ReplicaSetObject | undefined; oldRSs: ReplicaSetObject[] }> {
    const { allRSs: oldRSs } = util.findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, createIfNotExisted);
    if (newRS) {
      const i = rsList.findIndex((rs) => sameUid(rs, newRS));
      if (i >= 0) rsList[i] = newRS;
    }
    return { newRS, oldRSs };
  }

  /**
   * getNewReplicaSet: the ReplicaSet whose template is the Deployment's, its annotations, minReadySeconds
   * and revision synced (and the Deployment's revision with it); or, if asked, a new one created at the
   * size the strategy allows.
   */
  private async getNewReplicaSet(d: DeploymentObject, rsList: readonly ReplicaSetObject[], oldRSs: readonly ReplicaSetObject[], createIfNotExisted: boolean): Promise<ReplicaSetObject | undefined> {
    const namespace = d.metadata?.namespace ?? '';
    const existingNewRS = util.findNewReplicaSet(d, rsList);
    const newRevision = String(util.maxRevision(oldRSs) + 1);
    const status = (d.status ??= {});

    if (existingNewRS) {
      const rsCopy = deepCopy(existingNewRS);
      const annotationsUpdated = util.setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadySecondsNeedsUpdate = (rsCopy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (annotationsUpdated || minReadySecondsNeedsUpdate) {
        rsCopy.spec = { ...rsCopy.spec!, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
        if (!rsCopy.spec.minReadySeconds) delete rsCopy.spec.minReadySeconds;
        return this.replicaSets.update(namespace, rsCopy);
      }
      let needsUpdate = util.setDeploymentRevision(d, rsCopy.metadata?.annotations?.[util.REVISION_ANNOTATION] ?? '');
      if (util.hasProgressDeadline(d) && !util.getDeploymentCondition(status, 'Progressing')) {
        util.setDeploymentCondition(status, util.newDeploymentCondition('Progressing', 'True', util.FOUND_NEW_RS_REASON, `Found new replica set ${JSON.stringify(rsCopy.metadata?.name ?? '')}`, this.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.updateStatus(d);
      return rsCopy;
    }

    if (!createIfNotExisted) return undefined;

    const newRSTemplate = deepCopy(d.spec!.template);
    const podTemplateSpecHash = computeHash(newRSTemplate, status.collisionCount ?? undefined);
    newRSTemplate.metadata = { ...newRSTemplate.metadata, labels: { ...newRSTemplate.metadata?.labels, [util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY]: podTemplateSpecHash } };
    const newRS: ReplicaSetObject = {
      apiVersion: 'apps/v1',
      kind: RS_KIND,
      metadata: {
        name: `${d.metadata?.name ?? ''}-${podTemplateSpecHash}`,
        namespace,
        ownerReferences: [newControllerRef(d, DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND)],
        labels: { ...newRSTemplate.metadata.labels },
      },
      spec: {
        replicas: 0,
        ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
        selector: util.cloneSelectorAndAddLabel(d.spec?.selector, util.DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY, podTemplateSpecHash),
        template: newRSTemplate,
      },
    };
    const newReplicasCount = util.newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = newReplicasCount;
    util.setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let createdRS: ReplicaSetObject;
    let alreadyExists = false;
    try {
      createdRS = await this.replicaSets.create(namespace, newRS);
    } catch (error) {
      if (isAlreadyExists(error)) {
        alreadyExists = true;
        const rs = this.rsLister.byNamespace(namespace).get(newRS.metadata!.name!);
        if (!rs) throw error;
        // Ours, with the same template: the cache was slow. Anything else is a hash collision.
        if (getControllerOf(rs)?.uid === d.metadata?.uid && util.equalIgnoreHash(d.spec?.template, rs.spec?.template)) {
          createdRS = rs;
        } else {
          status.collisionCount = (status.collisionCount ?? 0) + 1;
          try {
            await this.updateStatus(d);
          } catch {
            // The original error is the one to retry on.
          }
          throw error;
        }
      } else if (namespaceTerminating(error)) {
        throw error;
      } else {
        const msg = `Failed to create new replica set ${JSON.stringify(newRS.metadata!.name!)}: ${messageOf(error)}`;
        if (util.hasProgressDeadline(d)) {
          util.setDeploymentCondition(status, util.newDeploymentCondition('Progressing', 'False', util.FAILED_RS_CREATE_REASON, msg, this.now()));
          try {
            await this.updateStatus(d);
          } catch {
            // Reporting the failed create matters more than this write.
          }
        }
        this.recorder.eventf(d, EVENT_TYPE_WARNING, util.FAILED_RS_CREATE_REASON, '%s', msg);
        throw error;
      }
    }
    if (!alreadyExists && newReplicasCount > 0) {
      this.recorder.eventf(d, EVENT_TYPE_NORMAL, SCALING_REPLICA_SET_REASON, 'Scaled up replica set %s from 0 to %d', createdRS.metadata?.name ?? '', newReplicasCount);
    }
    let needsUpdate = util.setDeploymentRevision(d, newRevision);
    if (!alreadyExists && util.hasProgressDeadline(d)) {
      util.setDeploymentCondition(status, util.newDeploymentCondition('Progressing', 'True', util.NEW_REPLICA_SET_REASON, `Created new replica set ${JSON.stringify(createdRS.metadata?.name ?? '')}`, this.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.updateStatus(d);
    return createdRS;
  }

  /**
   * scale: a lone active ReplicaSet takes the whole size; a saturated new ReplicaSet sends the old ones
   * to zero; otherwise, in a rolling update, the difference between what may run (replicas + maxSurge)
   * and what runs is shared out in proportion to each active ReplicaSet's size — larger first (newer
   * first among equals when adding, older first when removing) — and the leftover goes to the first.
   */
  private async scale(d: DeploymentObject, newRS: ReplicaSetObject | undefined, oldRSs: readonly ReplicaSetObject[]): Promise<void> {
    const replicas = util.deploymentReplicas(d);
    const activeOrLatest = util.findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (util.replicaSetReplicas(activeOrLatest) === replicas) return;
      await this.scaleReplicaSetAndRecordEvent(activeOrLatest, replicas, d);
      return;
    }
    if (util.isSaturated(d, newRS)) {
      for (const old of util.filterActiveReplicaSets(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!util.isRollingUpdate(d)) return;
    const allRSs = util.filterActiveReplicaSets([...oldRSs, newRS]);
    const allRSsReplicas = util.getReplicaCountForReplicaSets(allRSs);
    const allowedSize = replicas > 0 ? replicas + util.maxSurge(d) : 0;
    const toAdd = allowedSize - allRSsReplicas;
    let scalingOperation = '';
    if (toAdd > 0) {
      allRSs.sort(util.bySizeNewer);
      scalingOperation = 'up';
    } else if (toAdd < 0) {
      allRSs.sort(util.bySizeOlder);
      scalingOperation = 'down';
    }
    let added = 0;
    const nameToSize = new Map<string, number>();
    for (const rs of allRSs) {
      const size = util.replicaSetReplicas(rs);
      if (toAdd !== 0) {
        const proportion = util.getProportion(rs, d, toAdd, added);
        nameToSize.set(rs.metadata?.name ?? '', size + proportion);
        added += proportion;
      } else {
        nameToSize.set(rs.metadata?.name ?? '', size);
      }
    }
    for (const [i, rs] of allRSs.entries()) {
      const name = rs.metadata?.name ?? '';
      if (i === 0 && toAdd !== 0) nameToSize.set(name, Math.max(nameToSize.get(name)! + toAdd - added, 0));
      await this.scaleReplicaSet(rs, nameToSize.get(name)!, d, scalingOperation);
    }
  }

  private async scaleReplicaSetAndRecordEvent(rs: ReplicaSetObject, newScale: number, d: DeploymentObject): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
    if (util.replicaSetReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d, util.replicaSetReplicas(rs) < newScale ? 'up' : 'down');
  }

  /** scaleReplicaSet: write the size and the desired/max replicas annotations; an event when the size changed. */
  private async scaleReplicaSet(rs: ReplicaSetObject, newScale: number, d: DeploymentObject, scalingOperation: string): Promise<{ scaled: boolean; rs: ReplicaSetObject }> {
    const oldScale = util.replicaSetReplicas(rs);
    const sizeNeedsUpdate = oldScale !== newScale;
    const desired = util.deploymentReplicas(d);
    const max = desired + util.maxSurge(d);
    if (!sizeNeedsUpdate && !util.replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const rsCopy = deepCopy(rs);
    rsCopy.spec = { ...rsCopy.spec!, replicas: newScale };
    util.setReplicasAnnotations(rsCopy, desired, max);
    const updated = await this.replicaSets.update(rsCopy.metadata?.namespace ?? '', rsCopy);
    if (sizeNeedsUpdate) {
      this.recorder.eventf(d, EVENT_TYPE_NORMAL, SCALING_REPLICA_SET_REASON, 'Scaled %s replica set %s from %d to %d', scalingOperation, updated.metadata?.name ?? '', oldScale, newScale);
    }
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  /**
   * cleanupDeployment: keep revisionHistoryLimit old ReplicaSets; delete the surplus, lowest revision
   * first, skipping any that still has replicas or whose latest spec its controller has not seen.
   */
  private async cleanupDeployment(oldRSs: readonly ReplicaSetObject[], d: DeploymentObject): Promise<void> {
    if (!util.hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const diff = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    if (diff <= 0) return;
    cleanable.sort(util.byRevision);
    for (const rs of cleanable.slice(0, diff)) {
      const generation = (rs.metadata?.generation as number | undefined) ?? 0;
      if ((rs.status?.replicas ?? 0) !== 0 || util.replicaSetReplicas(rs) !== 0 || generation > (rs.status?.observedGeneration ?? 0) || rs.metadata?.deletionTimestamp) continue;
      try {
        await this.replicaSets.delete(rs.metadata?.namespace ?? '', rs.metadata?.name ?? '');
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  /** syncDeploymentStatus: write the calculated status if it changed. */
  private async syncDeploymentStatus(allRSs: readonly (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
    const newStatus = calculateStatus(allRSs, newRS, d, this.now());
    if (canonicalJson(omitEmpty(d.status ?? {})) === canonicalJson(newStatus)) return;
    d.status = newStatus;
    await this.updateStatus(d);
  }

  /** isScalingEvent: an active ReplicaSet's desired-replicas annotation is not spec.replicas. */
  private async isScalingEvent(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (const rs of util.filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = util.getDesiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== util.deploymentReplicas(d)) return true;
    }
    return false;
  }

  // ---- rolling.go ----

  private async rolloutRolling(d: DeploymentObject, rsList: ReplicaSetObject[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true);
    const allRSs = [...oldRSs, newRS!];
    if (await this.reconcileNewReplicaSet(allRSs, newRS!, d)) {
      await this.syncRolloutStatus(allRSs, newRS, d);
      return;
    }
    if (await this.reconcileOldReplicaSets(allRSs, util.filterActiveReplicaSets(oldRSs), newRS!, d)) {
      await this.syncRolloutStatus(allRSs, newRS, d);
      return;
    }
    if (util.deploymentComplete(d, d.status)) await this.cleanupDeployment(oldRSs, d);
    await this.syncRolloutStatus(allRSs, newRS, d);
  }

  /** reconcileNewReplicaSet: down to spec.replicas if above, else up as far as maxSurge allows. */
  private async reconcileNewReplicaSet(allRSs: readonly ReplicaSetObject[], newRS: ReplicaSetObject, d: DeploymentObject): Promise<boolean> {
    const replicas = util.deploymentReplicas(d);
    const current = util.replicaSetReplicas(newRS);
    if (current === replicas) return false;
    if (current > replicas) return (await this.scaleReplicaSetAndRecordEvent(newRS, replicas, d)).scaled;
    return (await this.scaleReplicaSetAndRecordEvent(newRS, util.newRSNewReplicas(d, allRSs, newRS), d)).scaled;
  }

  /**
   * reconcileOldReplicaSets: scale old ReplicaSets down by at most
   * allPods - minAvailable - newRSUnavailable (so unavailable new pods never let availability drop
   * further), unhealthy old replicas first, then available ones while availability stays above
   * minAvailable. Errors while scaling only stop this round, as upstream.
   */
  private async reconcileOldReplicaSets(allRSs: readonly ReplicaSetObject[], oldRSs: ReplicaSetObject[], newRS: ReplicaSetObject, d: DeploymentObject): Promise<boolean> {
    if (util.getReplicaCountForReplicaSets(oldRSs) === 0) return false;
    const allPodsCount = util.getReplicaCountForReplicaSets(allRSs);
    const maxUnavailable = util.maxUnavailable(d);
    const minAvailable = util.deploymentReplicas(d) - maxUnavailable;
    const newRSUnavailablePodCount = util.replicaSetReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
    if (maxScaledDown <= 0) return false;

    let cleaned: { oldRSs: ReplicaSetObject[]; count: number };
    try {
      cleaned = await this.cleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
    } catch {
      return false;
    }
    let scaledDownCount: number;
    try {
      scaledDownCount = await this.scaleDownOldReplicaSetsForRollingUpdate([...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
    } catch {
      return false;
    }
    return cleaned.count + scaledDownCount > 0;
  }

  /** cleanupUnhealthyReplicas: scale old ReplicaSets down by their unavailable replicas, oldest first. */
  private async cleanupUnhealthyReplicas(oldRSs: ReplicaSetObject[], d: DeploymentObject, maxCleanupCount: number): Promise<{ oldRSs: ReplicaSetObject[]; count: number }> {
    oldRSs.sort(util.byCreationTimestamp);
    let totalScaledDown = 0;
    for (const [i, targetRS] of oldRSs.entries()) {
      if (totalScaledDown >= maxCleanupCount) break;
      const replicas = util.replicaSetReplicas(targetRS);
      if (replicas === 0) continue;
      const available = targetRS.status?.availableReplicas ?? 0;
      if (replicas === available) continue;
      const scaledDownCount = Math.min(maxCleanupCount - totalScaledDown, replicas - available);
      const newReplicasCount = replicas - scaledDownCount;
      if (newReplicasCount > replicas) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${targetRS.metadata?.namespace}/${targetRS.metadata?.name} ${replicas} -> ${newReplicasCount}`);
      const { rs } = await this.scaleReplicaSetAndRecordEvent(targetRS, newReplicasCount, d);
      totalScaledDown += scaledDownCount;
      oldRSs[i] = rs;
    }
    return { oldRSs, count: totalScaledDown };
  }

  /** scaleDownOldReplicaSetsForRollingUpdate: take available old replicas down to minAvailable, oldest ReplicaSets first. */
  private async scaleDownOldReplicaSetsForRollingUpdate(allRSs: readonly ReplicaSetObject[], oldRSs: ReplicaSetObject[], d: DeploymentObject): Promise<number> {
    const minAvailable = util.deploymentReplicas(d) - util.maxUnavailable(d);
    const availablePodCount = util.getAvailableReplicaCountForReplicaSets(allRSs);
    if (availablePodCount <= minAvailable) return 0;
    oldRSs.sort(util.byCreationTimestamp);
    let totalScaledDown = 0;
    const totalScaleDownCount = availablePodCount - minAvailable;
    for (const targetRS of oldRSs) {
      if (totalScaledDown >= totalScaleDownCount) break;
      const replicas = util.replicaSetReplicas(targetRS);
      if (replicas === 0) continue;
      const scaleDownCount = Math.min(replicas, totalScaleDownCount - totalScaledDown);
      const newReplicasCount = replicas - scaleDownCount;
      if (newReplicasCount > replicas) throw new Error(`when scaling down old RS, got invalid request to scale down ${targetRS.metadata?.namespace}/${targetRS.metadata?.name} ${replicas} -> ${newReplicasCount}`);
      await this.scaleReplicaSetAndRecordEvent(targetRS, newReplicasCount, d);
      totalScaledDown += scaleDownCount;
    }
    return totalScaledDown;
  }

  // ---- recreate.go ----

  /** rolloutRecreate: old ReplicaSets to zero; once no old pod runs, the new ReplicaSet at full size. */
  private async rolloutRecreate(d: DeploymentObject, rsList: ReplicaSetObject[], podMap: ReadonlyMap<string, readonly PodObject[]>): Promise<void> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, false);
    let allRSs: (ReplicaSetObject | undefined)[] = [...oldRSs, newRS];
    const activeOldRSs = util.filterActiveReplicaSets(oldRSs);

    let scaledDown = false;
    for (const [i, rs] of activeOldRSs.entries()) {
      const result = await this.scaleReplicaSetAndRecordEvent(rs, 0, d);
      if (result.scaled) {
        activeOldRSs[i] = result.rs;
        scaledDown = true;
      }
    }
    if (scaledDown || oldPodsRunning(newRS, oldRSs, podMap)) {
      await this.syncRolloutStatus(allRSs, newRS, d);
      return;
    }
    if (!newRS) {
      ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(d, rsList, true));
      allRSs = [...oldRSs, newRS];
    }
    await this.scaleReplicaSetAndRecordEvent(newRS!, util.deploymentReplicas(d), d);
    if (util.deploymentComplete(d, d.status)) await this.cleanupDeployment(oldRSs, d);
    await this.syncRolloutStatus(allRSs, newRS, d);
  }

  // ---- progress.go ----

  /**
   * syncRolloutStatus: the calculated status plus the Progressing condition (complete, progressing, or
   * timed out — estimated only while a rollout is under way) and ReplicaFailure from the ReplicaSets.
   * When nothing changed, requeue the Deployment for its deadline check.
   */
  private async syncRolloutStatus(allRSs: readonly (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined, d: DeploymentObject): Promise<void> {
    const now = this.now();
    const newStatus = calculateStatus(allRSs, newRS, d, now);
    if (!util.hasProgressDeadline(d)) util.removeDeploymentCondition(newStatus, 'Progressing');
    const currentCond = util.getDeploymentCondition(d.status, 'Progressing');
    const isCompleteDeployment = (newStatus.replicas ?? 0) === (newStatus.updatedReplicas ?? 0) && currentCond?.reason === util.NEW_RS_AVAILABLE_REASON;
    if (util.hasProgressDeadline(d) && !isCompleteDeployment) {
      const subject = newRS ? `ReplicaSet ${JSON.stringify(newRS.metadata?.name ?? '')}` : `Deployment ${JSON.stringify(d.metadata?.name ?? '')}`;
      if (util.deploymentComplete(d, newStatus)) {
        util.setDeploymentCondition(newStatus, util.newDeploymentCondition('Progressing', 'True', util.NEW_RS_AVAILABLE_REASON, `${subject} has successfully progressed.`, now));
      } else if (util.deploymentProgressing(d, newStatus)) {
        const condition = util.newDeploymentCondition('Progressing', 'True', util.REPLICA_SET_UPDATED_REASON, `${subject} is progressing.`, now);
        if (currentCond) {
          if (currentCond.status === 'True') condition.lastTransitionTime = currentCond.lastTransitionTime;
          util.removeDeploymentCondition(newStatus, 'Progressing');
        }
        util.setDeploymentCondition(newStatus, condition);
      } else if (util.deploymentTimedOut(d, newStatus, this.ctx.clock.now())) {
        util.setDeploymentCondition(newStatus, util.newDeploymentCondition('Progressing', 'False', util.TIMED_OUT_REASON, `${subject} has timed out progressing.`, now));
      }
    }
    const failure = this.getReplicaFailures(allRSs, newRS)[0];
    if (failure) util.setDeploymentCondition(newStatus, failure);
    else util.removeDeploymentCondition(newStatus, 'ReplicaFailure');

    if (canonicalJson(omitEmpty(d.status ?? {})) === canonicalJson(omitEmpty(newStatus))) {
      this.requeueStuckDeployment(d, newStatus);
      return;
    }
    d.status = omitEmpty(newStatus);
    await this.updateStatus(d);
  }

  /** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else the old ones'. */
  private getReplicaFailures(allRSs: readonly (ReplicaSetObject | undefined)[], newRS: ReplicaSetObject | undefined) {
    const failuresOf = (rs: ReplicaSetObject | undefined) => (rs?.status?.conditions ?? []).filter((c) => c.type === 'ReplicaFailure').map(util.replicaSetToDeploymentCondition);
    const fromNew = failuresOf(newRS);
    if (fromNew.length > 0) return fromNew;
    return allRSs.flatMap(failuresOf);
  }

  /**
   * requeueStuckDeployment: a rollout that shows no progress is looked at again when its deadline
   * passes (one second late, against skew); at once, rate-limited, if that is less than a second away.
   */
  private requeueStuckDeployment(d: DeploymentObject, newStatus: DeploymentStatus): void {
    const currentCond = util.getDeploymentCondition(d.status, 'Progressing');
    if (!util.hasProgressDeadline(d) || !currentCond) return;
    if (util.deploymentComplete(d, newStatus) || currentCond.reason === util.TIMED_OUT_REASON) return;
    const key = metaNamespaceKeyFunc(d);
    const after = Date.parse(currentCond.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - this.ctx.clock.now();
    if (after < 1000) {
      this.queue.addRateLimited(key);
      return;
    }
    this.queue.addAfter(key, after + 1000);
  }
}

export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment-controller',
  workers: 5,
  init: (ctx) => new DeploymentController(ctx),
};
