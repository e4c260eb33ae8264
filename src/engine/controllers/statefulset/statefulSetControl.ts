/**
 * defaultStatefulSetControl — pkg/controller/statefulset/stateful_set_control.go: one reconcile of a
 * StatefulSet against its pods.
 *
 * - Revisions: the set's template is the update revision (created, or an equal older revision renumbered
 *   on a rollback); status.currentRevision names the current one. Old revisions beyond
 *   revisionHistoryLimit that no pod uses are deleted.
 * - Pods are split into replicas (ordinals start…start+replicas-1, missing ones built at the revision
 *   the strategy gives them) and condemned (beyond the range).
 * - Replicas are processed in ordinal order: a Failed or Succeeded pod is deleted and made again; a
 *   missing pod is created (its claims first). With OrderedReady ("monotonic") the pass stops at the
 *   first pod created, terminating, not Running and Ready, or not yet available for minReadySeconds, so
 *   web-1 is created only once web-0 is Ready. Parallel processes them all, in slow-start batches.
 * - Condemned pods are deleted highest ordinal first; OrderedReady deletes one at a time and only when
 *   every other pod is healthy.
 * - RollingUpdate then deletes pods not at the update revision, highest ordinal first, down to the
 *   partition, at most maxUnavailable unavailable at once (MaxUnavailableStatefulSet, taken as on, so
 *   maxUnavailable defaults to 1); the replica pass recreates them at the update revision. OnDelete
 *   leaves that to whoever deletes the pods.
 * - Status counts replicas, ready, available, current and updated pods; once all replicas are updated
 *   and ready the update revision becomes the current one.
 *
 * Left out: metrics. Waits that upstream logs at V(4) are silent.
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isNotFound } from '../../api/errors.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import type { Clock } from '../../base/clock.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import { equalRevision, findEqualRevisions, revisionsToTruncate, sortControllerRevisions, type ControllerRevisionObject, type History } from '../history/controllerHistory.ts';
import type { PodObject } from '../podControl.ts';
import { slowStartBatch } from '../replicaset/replicaSet.ts';
import { aggregate, type StatefulPodControl } from './statefulPodControl.ts';
import {
  allowsBurst,
  applyRevision,
  completeRollingUpdate,
  getEndOrdinal,
  getOrdinal,
  getPodRevision,
  getStartOrdinal,
  getStatefulSetMaxUnavailable,
  identityMatches,
  inconsistentStatus,
  isCreated,
  isFailed,
  isHealthy,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isTerminating,
  newRevision,
  newVersionedStatefulSetPod,
  nextRevision,
  podInOrdinalRange,
  replicasOf,
  STATEFULSET_API_VERSION,
  STATEFULSET_KIND,
  storageMatches,
  type StatefulSetObject,
} from './statefulSetUtils.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** Writes a set's status (the StatefulSetStatusUpdater). */
export type StatusUpdater = (set: StatefulSetObject, status: StatefulSetStatus) => Promise<void>;

interface Revisions {
  current: ControllerRevisionObject;
  update: ControllerRevisionObject;
  collisionCount: number;
}

/** Whether the pass over the pods must stop here (monotonic waits, or an error). */
type Step = (i: number) => Promise<boolean>;

export class StatefulSetControl {
  constructor(
    private readonly podControl: StatefulPodControl,
    private readonly updateStatus: StatusUpdater,
    private readonly history: History,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  /** ListRevisions: the revisions the set owns or that match it as orphans. */
  listRevisions(set: StatefulSetObject): ControllerRevisionObject[] {
    return this.history.listControllerRevisions(set, labelSelectorAsSelector(set.spec?.selector));
  }

  /** AdoptOrphanRevisions. */
  async adoptOrphanRevisions(set: StatefulSetObject, revisions: readonly ControllerRevisionObject[]): Promise<void> {
    for (const revision of revisions) await this.history.adoptControllerRevision(set, STATEFULSET_API_VERSION, STATEFULSET_KIND, revision);
  }

  /** UpdateStatefulSet: reconcile, write status, then trim the history (also after a failure). */
  async updateStatefulSet(original: StatefulSetObject, pods: readonly PodObject[]): Promise<StatefulSetStatus | undefined> {
    const set = deepCopy(original);
    const revisions = sortControllerRevisions(this.listRevisions(set));
    let revs: Revisions | undefined;
    let status: StatefulSetStatus | undefined;
    let error: unknown;
    try {
      revs = await this.getStatefulSetRevisions(set, revisions);
      status = await this.performUpdate(set, pods, revs);
    } catch (e) {
      error = e;
    }
    let truncateError: unknown;
    try {
      await this.truncateHistory(set, pods, revisions, revs?.current, revs?.update);
    } catch (e) {
      truncateError = e;
    }
    if (error !== undefined) throw aggregate(truncateError === undefined ? [error] : [error, truncateError]);
    if (truncateError !== undefined) throw truncateError;
    return status;
  }

  /** performUpdate: reconcile the pods, and write the status even when that failed part way. */
  private async performUpdate(set: StatefulSetObject, pods: readonly PodObject[], revs: Revisions): Promise<StatefulSetStatus> {
    const { status, error } = await this.updateStatefulSetPods(set, revs, pods);
    let statusError: unknown;
    try {
      await this.updateStatefulSetStatus(set, status);
    } catch (e) {
      statusError = e;
    }
    if (error !== undefined) throw error;
    if (statusError !== undefined) throw statusError;
    return status;
  }

  /**
   * truncateHistory: delete the oldest revisions that are neither current, nor the update revision, nor
   * any pod's, until revisionHistoryLimit remain.
   */
  private async truncateHistory(set: StatefulSetObject, pods: readonly Pod[], revisions: readonly ControllerRevisionObject[], current?: ControllerRevisionObject, update?: ControllerRevisionObject): Promise<void> {
    const live = new Set<string>();
    if (current) live.add(current.metadata?.name ?? '');
    if (update) live.add(update.metadata?.name ?? '');
    for (const pod of pods) live.add(getPodRevision(pod));
    const isLive = (r: ControllerRevisionObject) => live.has(r.metadata?.name ?? '');
    const historic = revisions.filter((r) => !isLive(r)).length;
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (limit < 0 || historic <= limit) return;
    for (const revision of revisionsToTruncate(revisions, isLive, historic - limit)) await this.history.deleteControllerRevision(revision);
  }

  /** getStatefulSetRevisions: the current and update revisions, creating or renumbering the update one. */
  private async getStatefulSetRevisions(set: StatefulSetObject, revisions: readonly ControllerRevisionObject[]): Promise<Revisions> {
    let collisionCount = set.status?.collisionCount ?? 0;
    let update = newRevision(set, nextRevision(revisions), collisionCount);
    const equal = findEqualRevisions(revisions, update);
    const last = revisions[revisions.length - 1];
    const lastEqual = equal[equal.length - 1];
    if (lastEqual && equalRevision(last, lastEqual)) {
      update = last!;
    } else if (lastEqual) {
      update = await this.history.updateControllerRevision(lastEqual, update.revision);
    } else {
      const created = await this.history.createControllerRevision(set, update, collisionCount);
      update = created.revision;
      collisionCount = created.collisionCount;
    }
    const current = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /**
   * updateStatefulSet (the pod part): create, recreate, delete and update pods toward the target state.
   * Returns the status to write and the error that stopped it, if any.
   */
  private async updateStatefulSetPods(set: StatefulSetObject, revs: Revisions, pods: readonly PodObject[]): Promise<{ status: StatefulSetStatus; error?: unknown }> {
    const currentSet = applyRevision(set, revs.current);
    const updateSet = applyRevision(set, revs.update);
    const minReadySeconds = set.spec?.minReadySeconds ?? 0;
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata?.generation as number | undefined,
      replicas: 0,
      currentRevision: revs.current.metadata?.name ?? '',
      updateRevision: revs.update.metadata?.name ?? '',
      collisionCount: revs.collisionCount,
    };
    const recount = (...lists: ReadonlyArray<readonly Pod[]>) => this.countReplicas(status, minReadySeconds, revs, lists);
    recount(pods);

    const start = getStartOrdinal(set);
    const replicas: PodObject[] = new Array<PodObject>(replicasOf(set));
    const condemned: PodObject[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
      else if (getOrdinal(pod) >= 0) condemned.push(pod);
    }
    for (let ord = start; ord <= getEndOrdinal(set); ord++) {
      replicas[ord - start] ??= newVersionedStatefulSetPod(currentSet, updateSet, revs.current.metadata?.name ?? '', revs.update.metadata?.name ?? '', ord);
    }
    condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

    let firstUnhealthyPod: PodObject | undefined;
    for (const pod of replicas) if (!isHealthy(pod)) firstUnhealthyPod ??= pod;
    for (let i = condemned.length - 1; i >= 0; i--) if (!isHealthy(condemned[i]!)) firstUnhealthyPod ??= condemned[i];

    if (set.metadata?.deletionTimestamp) return { status };

    const monotonic = !allowsBurst(set);
    const stop = async (step: Step, count: number): Promise<{ exit: boolean; error?: unknown }> => {
      try {
        return { exit: await this.runForAll(count, step, monotonic) };
      } catch (error) {
        return { exit: true, error };
      }
    };

    for (const [step, count] of [
      [(i: number) => this.processReplica(set, currentSet, updateSet, revs, monotonic, replicas, i), replicas.length],
      [(i: number) => this.fixPodClaim(updateSet, condemned[i]!), condemned.length],
      [(i: number) => this.processCondemned(set, firstUnhealthyPod, monotonic, condemned, i), condemned.length],
    ] as Array<[Step, number]>) {
      const { exit, error } = await stop(step, count);
      if (exit) {
        recount(replicas, condemned);
        return { status, error };
      }
    }
    recount(replicas, condemned);

    if (set.spec?.updateStrategy?.type === 'OnDelete') return { status };
    try {
      await this.rollingUpdate(set, replicas, revs.update, status);
    } catch (error) {
      return { status, error };
    }
    return { status };
  }

  /** runForAll: in order, stopping at the first step that says so (monotonic), or in slow-start batches. */
  private async runForAll(count: number, step: Step, monotonic: boolean): Promise<boolean> {
    if (monotonic) {
      for (let i = 0; i < count; i++) if (await step(i)) return true;
      return false;
    }
    let next = 0;
    const { error } = await slowStartBatch(count, 1, async () => {
      await step(next++);
    });
    if (error !== undefined) throw error;
    return false;
  }

  /** processReplica: recreate a finished pod, create a missing one, wait for order, enforce identity. */
  private async processReplica(set: StatefulSetObject, currentSet: StatefulSetObject, updateSet: StatefulSetObject, revs: Revisions, monotonic: boolean, replicas: PodObject[], i: number): Promise<boolean> {
    const namespace = set.metadata?.namespace ?? '';
    const name = set.metadata?.name ?? '';
    if (isFailed(replicas[i]!) || isSucceeded(replicas[i]!)) {
      if (isFailed(replicas[i]!)) {
        this.recorder.eventf(set, EVENT_TYPE_WARNING, 'RecreatingFailedPod', 'StatefulSet %s/%s is recreating failed Pod %s', namespace, name, replicas[i]!.metadata?.name);
      } else {
        this.recorder.eventf(set, EVENT_TYPE_NORMAL, 'RecreatingTerminatedPod', 'StatefulSet %s/%s is recreating terminated Pod %s', namespace, name, replicas[i]!.metadata?.name);
      }
      await this.podControl.deleteStatefulPod(set, replicas[i]!);
      replicas[i] = newVersionedStatefulSetPod(currentSet, updateSet, revs.current.metadata?.name ?? '', revs.update.metadata?.name ?? '', i + getStartOrdinal(set));
    }
    const pod = replicas[i]!;
    if (!isCreated(pod)) {
      if (this.podControl.podClaimIsStale(set, pod)) return true;
      await this.podControl.createStatefulPod(set, pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await this.podControl.createMissingPersistentVolumeClaims(set, pod);
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, set.spec?.minReadySeconds ?? 0, this.clock.now()))) return true;

    if (identityMatches(set, pod) && storageMatches(set, pod) && this.podControl.claimsMatchRetentionPolicy(updateSet, pod)) return false;
    await this.podControl.updateStatefulPod(updateSet, pod);
    return false;
  }

  /** The condemned pod's claims get the owner references the retention policy gives a scaled-down pod. */
  private async fixPodClaim(updateSet: StatefulSetObject, pod: PodObject): Promise<boolean> {
    if (!this.podControl.claimsMatchRetentionPolicy(updateSet, pod)) await this.podControl.updatePodClaimForRetentionPolicy(updateSet, pod);
    return false;
  }

  /** processCondemned: delete a pod beyond the range; OrderedReady waits for terminations and health first. */
  private async processCondemned(set: StatefulSetObject, firstUnhealthyPod: PodObject | undefined, monotonic: boolean, condemned: readonly PodObject[], i: number): Promise<boolean> {
    const pod = condemned[i]!;
    if (isTerminating(pod)) return monotonic;
    if (monotonic && pod !== firstUnhealthyPod && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, set.spec?.minReadySeconds ?? 0, this.clock.now()))) return true;
    await this.podControl.deleteStatefulPod(set, pod);
    return true;
  }

  /**
   * updateStatefulSetAfterInvariantEstablished: with every replica present, delete up to maxUnavailable
   * minus the unhealthy replicas of the pods not at the update revision, highest ordinal first, stopping
   * at the partition.
   */
  private async rollingUpdate(set: StatefulSetObject, replicas: readonly PodObject[], update: ControllerRevisionObject, status: StatefulSetStatus): Promise<void> {
    const rollingUpdate = set.spec?.updateStrategy?.rollingUpdate;
    const updateMin = rollingUpdate?.partition ?? 0;
    const maxUnavailable = rollingUpdate ? getStatefulSetMaxUnavailable(rollingUpdate.maxUnavailable, replicasOf(set)) : 1;
    const unavailable = replicas.filter((p) => !isHealthy(p)).length;
    if (unavailable >= maxUnavailable) return;
    let toDelete = maxUnavailable - unavailable;
    for (let target = replicas.length - 1; target >= updateMin && toDelete > 0; target--) {
      const pod = replicas[target]!;
      if (getPodRevision(pod) === update.metadata?.name || isTerminating(pod)) continue;
      try {
        await this.podControl.deleteStatefulPod(set, pod);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      toDelete--;
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    }
  }

  /** updateStatus: count the pods of `lists` into `status`. */
  private countReplicas(status: StatefulSetStatus, minReadySeconds: number, revs: Revisions, lists: ReadonlyArray<readonly Pod[]>): void {
    const now = this.clock.now();
    status.replicas = 0;
    status.readyReplicas = 0;
    status.availableReplicas = 0;
    status.currentReplicas = 0;
    status.updatedReplicas = 0;
    for (const list of lists) {
      for (const pod of list) {
        if (isCreated(pod)) status.replicas++;
        if (isRunningAndReady(pod)) {
          status.readyReplicas++;
          if (isRunningAndAvailable(pod, minReadySeconds, now)) status.availableReplicas++;
        }
        if (isCreated(pod) && !isTerminating(pod)) {
          const revision = getPodRevision(pod);
          if (revision === revs.current.metadata?.name) status.currentReplicas++;
          if (revision === revs.update.metadata?.name) status.updatedReplicas++;
        }
      }
    }
  }

  /** updateStatefulSetStatus: complete a finished rollout, then write the status if it changed. */
  private async updateStatefulSetStatus(set: StatefulSetObject, status: StatefulSetStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    await this.updateStatus(deepCopy(set), status);
  }
}
