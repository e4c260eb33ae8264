/**
 * The Job controller — pkg/controller/job/job_controller.go (Kubernetes 1.32, with its default feature
 * gates: JobPodReplacementPolicy, JobBackoffLimitPerIndex, JobManagedBy, JobSuccessPolicy, PodIndexLabel
 * on): runs a Job's pods to completion.
 *
 * syncJob(key): read the Job from the cache and copy it (a finished Job, or one managed by another
 * controller through spec.managedBy, is left alone); claim the namespace's pods (adopting orphans that
 * match, with the tracking finalizer; releasing ours that stopped matching); count the pods that
 * finished since the last sync (trackingUtils.ts: through status.uncountedTerminatedPods and the
 * `batch.kubernetes.io/job-tracking` finalizer, so each is counted once), set status.startTime on the
 * first start, then decide, in upstream's order:
 * - the Job has failed: a pod failure policy FailJob rule matched (reason PodFailurePolicy), more pods
 *   failed than backoffLimit (or, with restartPolicy OnFailure, its running pods' containers restarted
 *   that often: BackoffLimitExceeded), it ran longer than activeDeadlineSeconds (DeadlineExceeded), or,
 *   with backoffLimitPerIndex, more indexes failed than maxFailedIndexes / every index is done and some
 *   failed — or it has succeeded early by its success policy;
 * - otherwise manageJob: a suspended Job's active pods are deleted; else the Job wants
 *   min(parallelism, completions − succeeded) active pods (parallelism until the first success when it
 *   has no completions), deletes the surplus (duplicate indexes first, then as controller.ActivePods
 *   ranks them) or creates the missing ones in slow-start batches — but not before the failure backoff
 *   (backoffUtils.ts: 10s, 20s, 40s… from the last failure's finish time) has passed;
 * - it is complete once enough pods succeeded and none is active.
 * A failed or complete Job first gets the interim condition FailureTarget / SuccessCriteriaMet, its
 * remaining pods are deleted, and only once none is left terminating and every pod is counted does it
 * get Failed / Complete (with completionTime), and the event (`Completed  Job completed`,
 * `BackoffLimitExceeded  Job has reached the specified backoff limit`, …). Status is written when
 * anything changed: active, ready, terminating, succeeded, failed, completedIndexes, failedIndexes,
 * conditions (Suspended: JobSuspended / JobResumed too), uncountedTerminatedPods.
 *
 * Pod events sync the Job after a 1s batching delay (syncJobBatchPeriod); spec changes and Job
 * creation sync it at once; an activeDeadlineSeconds and a backoff delay requeue it on the clock.
 * Pods of a deleted or finished Job that still carry the finalizer go through the orphan queue, which
 * only removes the finalizer.
 *
 * Left out: metrics and logging. As upstream does, a sync that waits out the failure backoff reports
 * `active: 0` even while other pods of the Job run.
 */
import type { Job, JobCondition, JobStatus } from 'kubernetes-types/batch/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { StatusError, isNotFound } from '../../api/errors.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { isPodActive, isPodReady, isPodTerminating } from '../../api/pod/podutil.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { ItemExponentialFailureRateLimiter } from '../../client/workqueue/rateLimiter.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import { sortForDeletion } from '../activePods.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { ControllerRefManager } from '../controllerRefManager.ts';
import { ControllerExpectations } from '../expectations.ts';
import { PodControl, getControllerOf, getPodFromTemplate, messageOf, newControllerRef, type PodObject } from '../podControl.ts';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../replicaset/replicaSet.ts';
import { BackoffStore, getRemainingTime, type BackoffRecord } from './backoffUtils.ts';
import {
  OrderedIntervals,
  UNKNOWN_COMPLETION_INDEX,
  addCompletionIndexEnvVariables,
  appendDuplicatedIndexPodsForRemoval,
  byCompletionIndex,
  calculateFailedIndexes,
  calculateSucceededIndexes,
  firstPendingIndexes,
  getCompletionIndex,
  getPodsWithDelayedDeletionPerIndex,
  getRemainingTimePerIndex,
  hasBackoffLimitPerIndex,
  isIndexedJob,
  podGenerateNameWithIndex,
  setCompletionIndex,
} from './indexedJobUtils.ts';
import { isPodFailed, matchPodFailurePolicy, onlyReplaceFailedPods } from './podFailurePolicy.ts';
import { hasSuccessCriteriaMetCondition, isSuccessCriteriaMetCondition, matchSuccessPolicy } from './successPolicy.ts';
import { JOB_TRACKING_FINALIZER, UIDTrackingExpectations, hasJobTrackingFinalizer, removeTrackingFinalizerPatch } from './trackingUtils.ts';
import { isJobFinished } from './util/jobUtil.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

export type JobObject = Job & KubeObject;

const JOB_API_VERSION = 'batch/v1';
const JOB_KIND = 'Job';
/** The spec.managedBy value that means this controller. */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

/** syncJobBatchPeriod: pod events sync their Job this much later, together. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** DefaultJobApiBackOff / MaxJobApiBackOff: the retry delays of a failing sync. */
export const DEFAULT_JOB_API_BACKOFF_MS = 1000;
export const MAX_JOB_API_BACKOFF_MS = 60_000;
/** MaxUncountedPods: at most this many UIDs in status.uncountedTerminatedPods per sync. */
export const MAX_UNCOUNTED_PODS = 500;
/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_MAX_FAILED_INDEXES_EXCEEDED = 'MaxFailedIndexesExceeded';
export const REASON_FAILED_INDEXES = 'FailedIndexes';
export const REASON_SUCCESS_POLICY = 'SuccessPolicy';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';

/** What one syncJob knows (syncJobCtx). */
interface SyncJobCtx {
  job: JobObject;
  pods: PodObject[];
  finishedCondition: JobCondition | undefined;
  activePods: PodObject[];
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  failedIndexes: OrderedIntervals | undefined;
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: ReadonlySet<string>;
  uncounted: { succeeded: ReadonlySet<string>; failed: ReadonlySet<string> };
  podsWithDelayedDeletionPerIndex: Map<number, PodObject> | undefined;
  terminating: number;
  ready: number;
}

function isDeleted<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return obj instanceof DeletedFinalStateUnknown;
}

function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

function findConditionByType(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * ensureJobConditionStatus: set the condition of `type` (a new one only when not False); returns
 * whether anything changed.
 */
function ensureJobConditionStatus(status: JobStatus, type: string, conditionStatus: string, reason: string, message: string, now: number): boolean {
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i]!;
    if (c.status === conditionStatus && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    conditions[i] = newCondition(type, conditionStatus, reason, message, now);
    return true;
  }
  if (conditionStatus === 'False') return false;
  conditions.push(newCondition(type, conditionStatus, reason, message, now));
  return true;
}

function jobSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** managedByExternalController: spec.managedBy naming another controller. */
function managedByExternalController(job: Job): string | undefined {
  const managedBy = job.spec?.managedBy;
  return managedBy != null && managedBy !== JOB_CONTROLLER_NAME ? managedBy : undefined;
}

/** JobStatus as Go serialises it: zero counters and empty strings and lists are omitted. */
function wireStatus(status: JobStatus): JobStatus {
  const out: JobStatus = {};
  if (status.conditions?.length) out.conditions = status.conditions;
  if (status.startTime) out.startTime = status.startTime;
  if (status.completionTime) out.completionTime = status.completionTime;
  if (status.active) out.active = status.active;
  if (status.succeeded) out.succeeded = status.succeeded;
  if (status.failed) out.failed = status.failed;
  if (status.terminating != null) out.terminating = status.terminating;
  if (status.completedIndexes) out.completedIndexes = status.completedIndexes;
  if (status.failedIndexes != null) out.failedIndexes = status.failedIndexes;
  const uncounted = status.uncountedTerminatedPods;
  if (uncounted) out.uncountedTerminatedPods = { ...(uncounted.succeeded?.length ? { succeeded: uncounted.succeeded } : {}), ...(uncounted.failed?.length ? { failed: uncounted.failed } : {}) };
  if (status.ready != null) out.ready = status.ready;
  return out;
}

function uncountedOf(job: Job): { succeeded: string[]; failed: string[] } {
  const status = (job.status ??= {});
  const uncounted = (status.uncountedTerminatedPods ??= {});
  return { succeeded: (uncounted.succeeded ??= []), failed: (uncounted.failed ??= []) };
}

/**
 * cleanUncountedPodsWithoutFinalizers: move the uncounted UIDs whose pods lost the finalizer into the
 * counters. Returns whether the status changed.
 */
function cleanUncountedPodsWithoutFinalizers(job: Job, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const status = job.status!;
  const uncounted = uncountedOf(job);
  let updated = false;
  const succeeded = uncounted.succeeded.filter((uid) => uidsWithFinalizer.has(uid));
  if (succeeded.length !== uncounted.succeeded.length) {
    updated = true;
    status.succeeded = (status.succeeded ?? 0) + uncounted.succeeded.length - succeeded.length;
    status.uncountedTerminatedPods!.succeeded = succeeded;
  }
  const failed = uncounted.failed.filter((uid) => uidsWithFinalizer.has(uid));
  if (failed.length !== uncounted.failed.length) {
    updated = true;
    status.failed = (status.failed ?? 0) + uncounted.failed.length - failed.length;
    status.uncountedTerminatedPods!.failed = failed;
  }
  return updated;
}

/** pastBackoffLimitOnFailure: restartPolicy OnFailure and the running pods' restarts reached backoffLimit. */
function pastBackoffLimitOnFailure(job: Job, pods: readonly PodObject[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of pod.status?.initContainerStatuses ?? []) restarts += s.restartCount ?? 0;
    for (const s of pod.status?.containerStatuses ?? []) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** getFailJobMessage: the message of the first failed pod a FailJob rule matches. */
function getFailJobMessage(job: Job, pods: readonly PodObject[]): string | undefined {
  if (!job.spec?.podFailurePolicy) return undefined;
  for (const pod of pods) {
    if (!isPodFailed(pod, job)) continue;
    const { jobFailureMessage } = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
    if (jobFailureMessage !== undefined) return jobFailureMessage;
  }
  return undefined;
}

/** getValidPodsWithFilter: pods not counted yet (finalizer, not uncounted) with a valid index, that pass `filter`. */
function getValidPodsWithFilter(ctx: SyncJobCtx, uncounted: ReadonlySet<string> | undefined, filter: (pod: PodObject) => boolean): PodObject[] {
  const indexed = isIndexedJob(ctx.job);
  const completions = ctx.job.spec?.completions ?? 0;
  return ctx.pods.filter((pod) => {
    const uid = pod.metadata?.uid ?? '';
    if (!hasJobTrackingFinalizer(pod) || uncounted?.has(uid) || ctx.expectedRmFinalizers.has(uid)) return false;
    if (indexed) {
      const ix = getCompletionIndex(pod.metadata?.annotations);
      if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) return false;
    }
    return filter(pod);
  });
}

/** activePodsForRemoval: duplicate / invalid indexes first, then as controller.ActivePods ranks them. */
function activePodsForRemoval(job: Job, pods: readonly PodObject[], rmAtLeast: number): PodObject[] {
  let rm: PodObject[] = [];
  let left: PodObject[] = [...pods];
  if (isIndexedJob(job)) ({ rm, left } = appendDuplicatedIndexPodsForRemoval(pods, job.spec?.completions ?? 0));
  if (rm.length < rmAtLeast) rm = [...rm, ...sortForDeletion(left, 0).slice(0, rmAtLeast - rm.length)];
  return rm;
}

export class JobController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  readonly orphanQueue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  readonly finalizerExpectations = new UIDTrackingExpectations();
  private readonly podBackoffStore = new BackoffStore();
  private readonly jobInformer: SharedIndexInformer<JobObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly jobLister: Lister<JobObject>;
  private readonly podLister: Lister<PodObject>;
  private readonly jobs: ResourceClient<JobObject>;
  private readonly pods: ResourceClient<PodObject>;
  private readonly podControl: PodControl;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    const rateLimiter = () => new ItemExponentialFailureRateLimiter<string>(DEFAULT_JOB_API_BACKOFF_MS, MAX_JOB_API_BACKOFF_MS);
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'job', rateLimiter: rateLimiter() });
    this.orphanQueue = new RateLimitingQueue<string>(ctx.clock, { name: 'job_orphan_pod', rateLimiter: rateLimiter() });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.jobInformer = ctx.informers.informerFor<JobObject>(RESOURCES.jobs);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.jobLister = this.jobInformer.lister();
    this.podLister = this.podInformer.lister();
    this.jobs = ctx.client.resource<JobObject>(RESOURCES.jobs);
    this.pods = ctx.client.resource<PodObject>(RESOURCES.pods);
    this.recorder = ctx.recorder('job-controller');
    this.podControl = new PodControl(this.pods, this.recorder);

    this.jobInformer.addEventHandler({
      onAdd: (job) => this.queue.add(metaNamespaceKeyFunc(job)),
      onUpdate: (oldJob, curJob) => this.updateJob(oldJob, curJob),
      onDelete: (job) => this.deleteJob(job),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (oldPod, curPod) => this.updatePod(oldPod, curPod),
      onDelete: (pod) => this.deletePod(pod, true),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.podInformer.waitForSync()) || !(await this.jobInformer.waitForSync())) return;
    await Promise.all([
      runWorkers(this.queue, workers, (key) => this.syncJob(key), { onError: (_, error) => this.ctx.handleError(new Error(`syncing job: ${messageOf(error)}`)) }),
      runWorkers(this.orphanQueue, 1, (key) => this.syncOrphanPod(key), { onError: (_, error) => this.ctx.handleError(new Error(`Error syncing orphan pod: ${messageOf(error)}`)) }),
    ]);
  }

  shutdown(): void {
    this.queue.shutDown();
    this.orphanQueue.shutDown();
  }

  // —— informer handlers ——

  private enqueueSyncJobBatched(job: JobObject): void {
    this.queue.addAfter(metaNamespaceKeyFunc(job), SYNC_JOB_BATCH_PERIOD_MS);
  }

  private enqueueOrphanPod(pod: PodObject): void {
    this.orphanQueue.add(metaNamespaceKeyFunc(pod));
  }

  private resolveControllerRef(namespace: string, ref: { kind?: string; name?: string; uid?: string } | undefined): JobObject | undefined {
    if (!ref || ref.kind !== JOB_KIND) return undefined;
    const job = this.jobLister.byNamespace(namespace).get(ref.name ?? '');
    return job && job.metadata?.uid === ref.uid ? job : undefined;
  }

  /** getPodJobs: the Jobs whose selector matches an orphan pod. */
  private getPodJobs(pod: PodObject): JobObject[] {
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.jobLister
      .byNamespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((job) => {
        const selector = labelSelectorAsSelector(job.spec?.selector);
        return !selector.empty() && selector.matches(labels);
      });
  }

  private addPod(pod: PodObject): void {
    if (pod.metadata?.deletionTimestamp) {
      this.deletePod(pod, false);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (!job) return;
      this.expectations.creationObserved(metaNamespaceKeyFunc(job));
      this.enqueueSyncJobBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    for (const job of this.getPodJobs(pod)) this.enqueueSyncJobBatched(job);
  }

  private updatePod(oldPod: PodObject, curPod: PodObject): void {
    if (curPod.metadata?.resourceVersion === oldPod.metadata?.resourceVersion) return;
    if (curPod.metadata?.deletionTimestamp) {
      this.deletePod(curPod, false);
      return;
    }
    const namespace = curPod.metadata?.namespace ?? '';
    const uid = curPod.metadata?.uid ?? '';
    const finalizerRemoved = !hasJobTrackingFinalizer(curPod);
    const curRef = getControllerOf(curPod);
    const oldRef = getControllerOf(oldPod);
    const refChanged = JSON.stringify(curRef ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(namespace, oldRef);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(metaNamespaceKeyFunc(job), uid);
        this.enqueueSyncJobBatched(job);
      }
    }
    if (curRef) {
      const job = this.resolveControllerRef(namespace, curRef);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(metaNamespaceKeyFunc(job), uid);
      this.enqueueSyncJobBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(curPod)) this.enqueueOrphanPod(curPod);
    const labelChanged = JSON.stringify(curPod.metadata?.labels ?? {}) !== JSON.stringify(oldPod.metadata?.labels ?? {});
    if (labelChanged || refChanged) for (const job of this.getPodJobs(curPod)) this.enqueueSyncJobBatched(job);
  }

  /** deletePod: `final` for the delete event itself, false for the update that set deletionTimestamp. */
  private deletePod(obj: PodObject | DeletedFinalStateUnknown<PodObject>, final: boolean): void {
    const pod = isDeleted(obj) ? obj.obj : obj;
    if (!pod) return;
    const ref = getControllerOf(pod);
    const hasFinalizer = hasJobTrackingFinalizer(pod);
    if (!ref) {
      // Perhaps a Job's pod whose reference the garbage collector removed.
      if (hasFinalizer) this.enqueueOrphanPod(pod);
      return;
    }
    const job = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.enqueueOrphanPod(pod);
      return;
    }
    const key = metaNamespaceKeyFunc(job);
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata?.uid ?? '');
    this.enqueueSyncJobBatched(job);
  }

  private updateJob(oldJob: JobObject, curJob: JobObject): void {
    const key = metaNamespaceKeyFunc(curJob);
    // A status update (pod events, mostly) waits for the batch; a spec change syncs now.
    if (curJob.metadata?.generation === oldJob.metadata?.generation) this.enqueueSyncJobBatched(curJob);
    else this.queue.add(key);
    // Belt and braces: a finished Job must not leave finalizers on its pods.
    if (isJobFinished(curJob)) this.cleanupPodFinalizers(curJob);
    const startTime = curJob.status?.startTime;
    const ads = curJob.spec?.activeDeadlineSeconds;
    if (!startTime || ads == null) return;
    const oldAds = oldJob.spec?.activeDeadlineSeconds;
    if (oldAds == null || oldAds !== ads) this.queue.addAfter(key, ads * 1000 - (this.ctx.clock.now() - Date.parse(startTime)));
  }

  private deleteJob(obj: JobObject | DeletedFinalStateUnknown<JobObject>): void {
    this.queue.add(isDeleted(obj) ? obj.key : metaNamespaceKeyFunc(obj));
    const job = isDeleted(obj) ? obj.obj : obj;
    if (job) this.cleanupPodFinalizers(job);
  }

  /** cleanupPodFinalizers: the Job's pods still carrying the finalizer go to the orphan queue. */
  private cleanupPodFinalizers(job: JobObject): void {
    const selector = labelSelectorAsSelector(job.spec?.selector);
    for (const pod of this.podLister.byNamespace(job.metadata?.namespace ?? '').list(selector)) {
      if (getControllerOf(pod)?.uid === job.metadata?.uid && hasJobTrackingFinalizer(pod)) this.enqueueOrphanPod(pod);
    }
  }

  /** syncOrphanPod: remove the finalizer of a pod no running Job of ours controls. */
  async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.podLister.byNamespace(namespace).get(name);
    if (!pod) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== JOB_KIND || ref.apiVersion !== JOB_API_VERSION) return;
      const job = this.resolveControllerRef(namespace, ref);
      if (job && managedByExternalController(job) !== undefined) return;
      if (job && !isJobFinished(job)) return;
    }
    if (!hasJobTrackingFinalizer(pod)) return;
    try {
      await this.pods.patch(namespace, name, 'strategic', removeTrackingFinalizerPatch());
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** getPodsForJob: the namespace's pods this Job owns after adopting and releasing. */
  private async getPodsForJob(job: JobObject): Promise<PodObject[]> {
    const namespace = job.metadata?.namespace ?? '';
    const manager = new ControllerRefManager<PodObject>({
      controller: job,
      apiVersion: JOB_API_VERSION,
      kind: JOB_KIND,
      selector: labelSelectorAsSelector(job.spec?.selector),
      client: this.pods,
      getController: () => this.jobs.get(namespace, job.metadata?.name ?? ''),
      finalizers: [JOB_TRACKING_FINALIZER],
    });
    const claimed = await manager.claim(this.podLister.byNamespace(namespace).list());
    // An adopted pod got the finalizer with its ownerReference; the cached copy does not show it yet.
    return claimed.map((pod) => {
      const adopted = !(pod.metadata?.ownerReferences ?? []).some((r) => r.uid === job.metadata?.uid);
      if (!adopted || hasJobTrackingFinalizer(pod)) return pod;
      return { ...pod, metadata: { ...pod.metadata, finalizers: [...(pod.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER] } };
    });
  }

  // —— syncJob ——

  async syncJob(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const sharedJob = this.jobLister.byNamespace(namespace).get(name);
    if (!sharedJob) {
      this.expectations.deleteExpectations(key);
      this.finalizerExpectations.deleteExpectations(key);
      this.podBackoffStore.removeBackoffRecord(key);
      return;
    }
    if (managedByExternalController(sharedJob) !== undefined) return;
    const job = deepCopy(sharedJob);
    if (isJobFinished(job)) {
      this.podBackoffStore.removeBackoffRecord(key);
      return;
    }
    const mode = job.spec?.completionMode;
    if (mode != null && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(job, EVENT_TYPE_WARNING, 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const now = this.ctx.clock.now();
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};
    // Expectations first: a pod created after this check is seen by the next sync.
    const satisfiedExpectations = this.expectations.satisfiedExpectations(key);
    const pods = await this.getPodsForJob(job);
    const activePods = pods.filter(isPodActive);
    const uncounted = uncountedOf(job);
    const ctx: SyncJobCtx = {
      job,
      pods,
      finishedCondition: undefined,
      activePods,
      succeeded: 0,
      failed: 0,
      prevSucceededIndexes: new OrderedIntervals(),
      succeededIndexes: new OrderedIntervals(),
      failedIndexes: undefined,
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
      expectedRmFinalizers: this.finalizerExpectations.getExpectedUIDs(key),
      uncounted: { succeeded: new Set(uncounted.succeeded), failed: new Set(uncounted.failed) },
      podsWithDelayedDeletionPerIndex: undefined,
      terminating: pods.filter(isPodTerminating).length,
      ready: activePods.filter(isPodReady).length,
    };
    let active = activePods.length;
    const newSucceededPods = getValidPodsWithFilter(ctx, ctx.uncounted.succeeded, (p) => p.status?.phase === 'Succeeded');
    const newFailedPods = getValidPodsWithFilter(ctx, ctx.uncounted.failed, (p) => isPodFailed(p, job));
    ctx.succeeded = (status.succeeded ?? 0) + newSucceededPods.length + ctx.uncounted.succeeded.size;
    const nonIgnoredFailed = job.spec?.podFailurePolicy ? newFailedPods.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length : newFailedPods.length;
    ctx.failed = (status.failed ?? 0) + nonIgnoredFailed + ctx.uncounted.failed.size;

    if (!status.startTime && !jobSuspended(job)) status.startTime = rfc3339(now);
    ctx.newBackoffRecord = this.podBackoffStore.newBackoffRecord(key, newSucceededPods, newFailedPods);

    let manageJobErr: unknown;
    const exceedsBackoffLimit = ctx.failed > (job.spec?.backoffLimit ?? 6);
    ctx.finishedCondition = hasSuccessCriteriaMetCondition(job);
    // Once the success criteria are met, the pod failure policy no longer applies.
    if (!ctx.finishedCondition) {
      const failureTarget = findConditionByType(status.conditions, 'FailureTarget');
      if (failureTarget?.status === 'True') {
        ctx.finishedCondition = newCondition('Failed', 'True', failureTarget.reason ?? '', failureTarget.message ?? '', now);
      } else {
        const failJobMessage = getFailJobMessage(job, pods);
        if (failJobMessage !== undefined) ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_POD_FAILURE_POLICY, failJobMessage, now);
      }
    }
    if (!ctx.finishedCondition) {
      const ads = job.spec?.activeDeadlineSeconds;
      if (exceedsBackoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT_EXCEEDED, 'Job has reached the specified backoff limit', now);
      } else if (this.pastActiveDeadline(job)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_DEADLINE_EXCEEDED, 'Job was active longer than specified deadline', now);
      } else if (ads != null && !jobSuspended(job)) {
        this.queue.addAfter(key, ads * 1000 - (now - Date.parse(status.startTime ?? rfc3339(now))));
      }
    }

    if (isIndexedJob(job)) {
      const completions = job.spec?.completions ?? 0;
      [ctx.prevSucceededIndexes, ctx.succeededIndexes] = calculateSucceededIndexes(job, pods);
      ctx.succeeded = ctx.succeededIndexes.total();
      if (hasBackoffLimitPerIndex(job)) {
        ctx.failedIndexes = calculateFailedIndexes(job, pods);
        if (!ctx.finishedCondition) {
          const maxFailedIndexes = job.spec?.maxFailedIndexes;
          const failedIndexes = ctx.failedIndexes.total();
          if (maxFailedIndexes != null && failedIndexes > maxFailedIndexes) {
            ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_MAX_FAILED_INDEXES_EXCEEDED, 'Job has exceeded the specified maximal number of failed indexes', now);
          } else if (failedIndexes > 0 && failedIndexes + ctx.succeededIndexes.total() >= completions) {
            ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_FAILED_INDEXES, 'Job has failed indexes', now);
          }
        }
        const failedPods = getValidPodsWithFilter(ctx, undefined, (p) => isPodFailed(p, job));
        ctx.podsWithDelayedDeletionPerIndex = getPodsWithDelayedDeletionPerIndex(job, failedPods, activePods, ctx.succeededIndexes, ctx.failedIndexes);
      }
      if (!ctx.finishedCondition) {
        const message = matchSuccessPolicy(job.spec?.successPolicy, completions, ctx.succeededIndexes);
        if (message !== undefined) ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', REASON_SUCCESS_POLICY, message, now);
      }
    }

    let suspendCondChanged = false;
    if (ctx.finishedCondition) {
      // The Job is done: terminate what still runs, keeping the finalizers so those pods are counted.
      const { deletedReady, deleted, error } = await this.deleteActivePods(job, activePods);
      if (deleted !== active || !satisfiedExpectations) ctx.finishedCondition = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageJobErr = error;
    } else {
      let manageJobCalled = false;
      if (satisfiedExpectations && !job.metadata?.deletionTimestamp) {
        const result = await this.manageJob(ctx);
        active = result.active;
        manageJobErr = result.error;
        manageJobCalled = true;
      }
      const completions = job.spec?.completions;
      // Without completions, any success ends the Job once the rest have stopped.
      const complete = completions == null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) {
        ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, 'Reached expected number of succeeded pods', now);
      } else if (manageJobCalled) {
        if (jobSuspended(job)) {
          if (ensureJobConditionStatus(status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendCondChanged = true;
            this.recorder.event(job, EVENT_TYPE_NORMAL, 'Suspended', 'Job suspended');
          }
        } else if (ensureJobConditionStatus(status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendCondChanged = true;
          this.recorder.event(job, EVENT_TYPE_NORMAL, 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts from the resume, as from the first start.
          status.startTime = rfc3339(now);
        }
      }
    }

    const needsStatusUpdate = suspendCondChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    try {
      await this.trackJobStatusAndRemoveFinalizers(ctx, needsStatusUpdate);
    } catch (error) {
      throw new Error(`tracking status: ${messageOf(error)}`, { cause: error });
    }
    if (manageJobErr !== undefined) throw manageJobErr;
  }

  /** pastActiveDeadline: activeDeadlineSeconds since startTime have passed (never while suspended). */
  private pastActiveDeadline(job: Job): boolean {
    const ads = job.spec?.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (ads == null || !start || jobSuspended(job)) return false;
    return this.ctx.clock.now() - Date.parse(start) >= ads * 1000;
  }

  /** deleteActivePods: delete, keeping the finalizers. Returns how many (and how many ready) went. */
  private async deleteActivePods(job: JobObject, pods: readonly PodObject[]): Promise<{ deletedReady: number; deleted: number; error?: unknown }> {
    const namespace = job.metadata?.namespace ?? '';
    let deleted = pods.length;
    let deletedReady = 0;
    let firstError: unknown;
    await Promise.all(
      pods.map(async (pod) => {
        try {
          await this.podControl.deletePod(namespace, pod.metadata?.name ?? '', job);
        } catch (error) {
          if (!isNotFound(error)) {
            deleted--;
            firstError ??= error;
            this.ctx.handleError(error);
          }
        }
        if (isPodReady(pod)) deletedReady++;
      }),
    );
    return firstError === undefined ? { deletedReady, deleted } : { deletedReady, deleted, error: firstError };
  }

  /** deleteJobPods: remove the finalizer (these pods are not counted), then delete. */
  private async deleteJobPods(job: JobObject, key: string, pods: readonly PodObject[]): Promise<{ removedReady: number; removed: number; error?: unknown }> {
    let removed = pods.length;
    let removedReady = 0;
    let firstError: unknown;
    const failDelete = (error: unknown) => {
      // The informer will not see this deletion.
      this.expectations.deletionObserved(key);
      if (!isNotFound(error)) {
        removed--;
        firstError ??= error;
        this.ctx.handleError(error);
      }
    };
    await Promise.all(
      pods.map(async (pod) => {
        const namespace = pod.metadata?.namespace ?? '';
        const name = pod.metadata?.name ?? '';
        if (hasJobTrackingFinalizer(pod)) {
          try {
            await this.pods.patch(namespace, name, 'strategic', removeTrackingFinalizerPatch());
          } catch (error) {
            failDelete(isNotFound(error) ? error : new Error(`removing completion finalizer: ${messageOf(error)}`, { cause: error }));
            return;
          }
        }
        try {
          await this.podControl.deletePod(namespace, name, job);
        } catch (error) {
          failDelete(error);
        }
        if (isPodReady(pod)) removedReady++;
      }),
    );
    return firstError === undefined ? { removedReady, removed } : { removedReady, removed, error: firstError };
  }

  /** manageJob: the active pods the Job wants, within backoff. Returns the new active count. */
  private async manageJob(ctx: SyncJobCtx): Promise<{ active: number; error?: unknown }> {
    const job = ctx.job;
    const key = metaNamespaceKeyFunc(job);
    let active = ctx.activePods.length;
    const parallelism = job.spec?.parallelism ?? 1;

    if (jobSuspended(job)) {
      const podsToDelete = activePodsForRemoval(job, ctx.activePods, active);
      this.expectations.expectDeletions(key, podsToDelete.length);
      const { removedReady, removed, error } = await this.deleteJobPods(job, key, podsToDelete);
      ctx.terminating += removed;
      ctx.ready -= removedReady;
      return { active: active - removed, error };
    }

    const completions = job.spec?.completions;
    let wantActive: number;
    if (completions == null) wantActive = ctx.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));

    const rmAtLeast = Math.max(active - wantActive, 0);
    const podsToDelete = activePodsForRemoval(job, ctx.activePods, rmAtLeast).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (podsToDelete.length > 0) {
      // Deleting and creating in one sync never mix; deleting comes first.
      this.expectations.expectDeletions(key, podsToDelete.length);
      const { removedReady, removed, error } = await this.deleteJobPods(job, key, podsToDelete);
      ctx.terminating += removed;
      ctx.ready -= removedReady;
      return { active: active - removed, error };
    }

    const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    const now = this.ctx.clock.now();
    const remaining = hasBackoffLimitPerIndex(job) ? 0 : getRemainingTime(ctx.newBackoffRecord, now);
    if (remaining > 0) {
      this.queue.addAfter(key, Math.max(remaining, SYNC_JOB_BATCH_PERIOD_MS));
      return { active: 0 };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexesToAdd: number[] = [];
    if (isIndexedJob(job)) {
      indexesToAdd = firstPendingIndexes(ctx, diff, completions ?? 0);
      if (hasBackoffLimitPerIndex(job)) {
        const delayed = ctx.podsWithDelayedDeletionPerIndex ?? new Map<number, PodObject>();
        const ready = indexesToAdd.filter((ix) => getRemainingTimePerIndex(now, delayed.get(ix)) === 0);
        if (ready.length === 0 && indexesToAdd.length > 0) {
          const minRemaining = Math.min(...indexesToAdd.map((ix) => getRemainingTimePerIndex(now, delayed.get(ix))));
          this.queue.addAfter(key, Math.max(minRemaining, SYNC_JOB_BATCH_PERIOD_MS));
          return { active: 0 };
        }
        indexesToAdd = ready;
      }
      diff = indexesToAdd.length;
    }
    if (diff === 0) return { active };

    this.expectations.expectCreations(key, diff);
    active += diff;
    const template: PodTemplateSpec = deepCopy(job.spec?.template ?? {});
    if (isIndexedJob(job)) addCompletionIndexEnvVariables(template);
    const meta = (template.metadata ??= {});
    if (!(meta.finalizers ?? []).includes(JOB_TRACKING_FINALIZER)) meta.finalizers = [...(meta.finalizers ?? []), JOB_TRACKING_FINALIZER];
    const ref = newControllerRef(job, JOB_API_VERSION, JOB_KIND);
    const namespace = job.metadata?.namespace ?? '';
    const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      const index = indexesToAdd.shift();
      let podTemplate = template;
      if (index !== undefined) {
        podTemplate = deepCopy(template);
        setCompletionIndex(podTemplate, job, index, ctx.podsWithDelayedDeletionPerIndex?.get(index));
      }
      const pod = getPodFromTemplate(podTemplate, job, ref);
      if (index !== undefined) pod.metadata!.generateName = podGenerateNameWithIndex(job.metadata?.name ?? '', index);
      try {
        await this.podControl.createPod(namespace, pod, job);
      } catch (createError) {
        // A namespace being torn down refuses every pod: nothing to retry, nothing to count.
        const terminatingNamespace = createError instanceof StatusError && (createError.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
        if (!terminatingNamespace) throw createError;
      }
    });
    // Creates that failed, or never ran after a failed batch, will never be observed.
    const notCreated = diff - successes;
    if (notCreated > 0) {
      this.expectations.lowerExpectations(key, notCreated, 0);
      active -= notCreated;
    }
    return error === undefined ? { active } : { active, error };
  }

  // —— status tracking ——

  /**
   * trackJobStatusAndRemoveFinalizers: put newly finished pods into uncountedTerminatedPods, remove their
   * finalizers, move them into the counters, and add the finished condition when everything is counted
   * — at most MAX_UNCOUNTED_PODS pods per sync.
   */
  private async trackJobStatusAndRemoveFinalizers(ctx: SyncJobCtx, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    const now = this.ctx.clock.now();
    const isIndexed = isIndexedJob(ctx.job);
    const completions = ctx.job.spec?.completions ?? 0;
    const podsToRemoveFinalizer: PodObject[] = [];
    const newSucceededIndexes: number[] = [];
    if (isIndexed) ctx.pods = [...ctx.pods].sort(byCompletionIndex);
    const uidsWithFinalizer = new Set<string>();
    for (const pod of ctx.pods) {
      const uid = pod.metadata?.uid ?? '';
      if (hasJobTrackingFinalizer(pod) && !ctx.expectedRmFinalizers.has(uid)) uidsWithFinalizer.add(uid);
    }
    if (cleanUncountedPodsWithoutFinalizers(ctx.job, uidsWithFinalizer)) needsFlush = true;
    const uncountedStatus = uncountedOf(ctx.job);
    let reachedMaxUncountedPods = false;
    for (const pod of ctx.pods) {
      const uid = pod.metadata?.uid ?? '';
      if (!hasJobTrackingFinalizer(pod) || ctx.expectedRmFinalizers.has(uid)) continue;
      const considerPodFailed = isPodFailed(pod, ctx.job);
      if (!this.canRemoveFinalizer(ctx, pod, considerPodFailed)) continue;
      podsToRemoveFinalizer.push(pod);
      if (pod.status?.phase === 'Succeeded' && !ctx.uncounted.failed.has(uid)) {
        if (isIndexed) {
          // The index is enough to not count a success twice.
          const ix = getCompletionIndex(pod.metadata?.annotations);
          if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && !ctx.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncounted.succeeded.has(uid)) {
          needsFlush = true;
          uncountedStatus.succeeded.push(uid);
        }
      } else if (considerPodFailed || (ctx.finishedCondition && !isSuccessCriteriaMetCondition(ctx.finishedCondition))) {
        // Once the Job has failed, every pod that did not succeed counts as failed.
        const ix = getCompletionIndex(pod.metadata?.annotations);
        if (!ctx.uncounted.failed.has(uid) && (!isIndexed || (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions))) {
          if (!ctx.job.spec?.podFailurePolicy || matchPodFailurePolicy(ctx.job.spec.podFailurePolicy, pod).countFailed) {
            needsFlush = true;
            uncountedStatus.failed.push(uid);
          }
        }
      }
      if (newSucceededIndexes.length + uncountedStatus.succeeded.length + uncountedStatus.failed.length >= MAX_UNCOUNTED_PODS) {
        // Enough for one sync; the status update brings the Job back for the rest.
        reachedMaxUncountedPods = true;
        break;
      }
    }
    const status = ctx.job.status!;
    if (isIndexed) {
      ctx.succeededIndexes = ctx.succeededIndexes.withOrderedIndexes(newSucceededIndexes);
      const succeededIndexesStr = ctx.succeededIndexes.toString();
      if (succeededIndexesStr !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = ctx.succeededIndexes.total();
      status.completedIndexes = succeededIndexesStr;
      const failedIndexesStr = ctx.failedIndexes?.toString();
      if (status.failedIndexes !== failedIndexesStr) {
        if (failedIndexesStr === undefined) delete status.failedIndexes;
        else status.failedIndexes = failedIndexesStr;
        needsFlush = true;
      }
    }
    if (ctx.finishedCondition?.type === 'FailureTarget') {
      // Record why before the finalizers go; Failed follows once the pods are gone.
      (status.conditions ??= []).push(ctx.finishedCondition);
      needsFlush = true;
      ctx.finishedCondition = newCondition('Failed', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', now);
    }
    if (isSuccessCriteriaMetCondition(ctx.finishedCondition)) {
      if (!hasSuccessCriteriaMetCondition(ctx.job)) {
        (status.conditions ??= []).push(ctx.finishedCondition!);
        needsFlush = true;
      }
      ctx.finishedCondition = newCondition('Complete', 'True', ctx.finishedCondition!.reason ?? '', ctx.finishedCondition!.message ?? '', now);
    }
    needsFlush = await this.flushUncountedAndRemoveFinalizers(ctx, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
    const jobFinished = !reachedMaxUncountedPods && this.enactJobFinished(ctx);
    if (jobFinished) needsFlush = true;
    if (needsFlush) {
      try {
        ctx.job = await this.updateJobStatus(ctx.job);
      } catch (error) {
        throw new Error(`removing uncounted pods from status: ${messageOf(error)}`, { cause: error });
      }
      if (jobFinished) this.recordJobFinished(ctx.job, ctx.finishedCondition!);
    }
  }

  /**
   * canRemoveFinalizer: the Job is being deleted or has finished, the pod succeeded, or it failed — unless
   * it is the last failure of its index and its replacement must carry the failure count first.
   */
  private canRemoveFinalizer(ctx: SyncJobCtx, pod: PodObject, considerPodFailed: boolean): boolean {
    if (ctx.job.metadata?.deletionTimestamp || ctx.finishedCondition || pod.status?.phase === 'Succeeded') return true;
    if (!considerPodFailed) return false;
    if (hasBackoffLimitPerIndex(ctx.job)) {
      const ix = getCompletionIndex(pod.metadata?.annotations);
      if (ix !== UNKNOWN_COMPLETION_INDEX && ctx.podsWithDelayedDeletionPerIndex?.get(ix)?.metadata?.uid === pod.metadata?.uid) return false;
    }
    return true;
  }

  /**
   * flushUncountedAndRemoveFinalizers: write the status with the new uncounted UIDs (and interim
   * conditions), remove those pods' finalizers, count the ones removed; on a partial failure write the
   * progress. Returns whether changes remain to be written.
   */
  private async flushUncountedAndRemoveFinalizers(ctx: SyncJobCtx, podsToRemoveFinalizer: readonly PodObject[], uidsWithFinalizer: Set<string>, needsFlushIn: boolean): Promise<boolean> {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      try {
        ctx.job = await this.updateJobStatus(ctx.job);
      } catch (error) {
        throw new Error(`adding uncounted pods to status: ${messageOf(error)}`, { cause: error });
      }
      this.podBackoffStore.updateBackoffRecord(ctx.newBackoffRecord);
      needsFlush = false;
    }
    let rmErr: unknown;
    if (podsToRemoveFinalizer.length > 0) {
      const { succeeded, error } = await this.removeTrackingFinalizerFromPods(metaNamespaceKeyFunc(ctx.job), podsToRemoveFinalizer);
      podsToRemoveFinalizer.forEach((pod, i) => {
        if (succeeded[i]) uidsWithFinalizer.delete(pod.metadata?.uid ?? '');
      });
      rmErr = error;
    }
    if (cleanUncountedPodsWithoutFinalizers(ctx.job, uidsWithFinalizer)) needsFlush = true;
    if (rmErr !== undefined && needsFlush) {
      try {
        ctx.job = await this.updateJobStatus(ctx.job);
      } catch (error) {
        throw new Error(`removing uncounted pods from status: ${messageOf(error)}`, { cause: error });
      }
    }
    if (rmErr !== undefined) throw rmErr;
    return needsFlush;
  }

  /** removeTrackingFinalizerFromPods: which removals succeeded (a pod already gone counts), and the first error. */
  private async removeTrackingFinalizerFromPods(jobKey: string, pods: readonly PodObject[]): Promise<{ succeeded: boolean[]; error?: unknown }> {
    this.finalizerExpectations.expectFinalizersRemoved(
      jobKey,
      pods.map((p) => p.metadata?.uid ?? ''),
    );
    const succeeded = pods.map(() => false);
    let firstError: unknown;
    await Promise.all(
      pods.map(async (pod, i) => {
        try {
          await this.pods.patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', removeTrackingFinalizerPatch());
        } catch (error) {
          // No update will show this removal.
          this.finalizerExpectations.finalizerRemovalObserved(jobKey, pod.metadata?.uid ?? '');
          if (!isNotFound(error)) {
            firstError ??= error;
            this.ctx.handleError(new Error(`removing tracking finalizer: ${messageOf(error)}`));
            return;
          }
        }
        succeeded[i] = true;
      }),
    );
    return firstError === undefined ? { succeeded } : { succeeded, error: firstError };
  }

  /**
   * enactJobFinished: add the Complete or Failed condition (and completionTime) once no pod is left
   * uncounted or terminating. Returns whether it did.
   */
  private enactJobFinished(ctx: SyncJobCtx): boolean {
    const condition = ctx.finishedCondition;
    if (!condition) return false;
    const uncounted = ctx.job.status?.uncountedTerminatedPods;
    if ((uncounted?.succeeded?.length ?? 0) + (uncounted?.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) return false;
    const status = ctx.job.status!;
    ensureJobConditionStatus(status, condition.type, condition.status, condition.reason ?? '', condition.message ?? '', this.ctx.clock.now());
    if (condition.type === 'Complete') status.completionTime = condition.lastTransitionTime;
    return true;
  }

  /** recordJobFinished: the event a finished Job gets. */
  private recordJobFinished(job: JobObject, condition: JobCondition): void {
    if (condition.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions != null && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(job, EVENT_TYPE_WARNING, 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(job, EVENT_TYPE_NORMAL, 'Completed', 'Job completed');
      return;
    }
    this.recorder.event(job, EVENT_TYPE_WARNING, condition.reason ?? '', condition.message ?? '');
  }

  private async updateJobStatus(job: JobObject): Promise<JobObject> {
    const updated = await this.jobs.updateStatus(job.metadata?.namespace ?? '', { ...job, status: wireStatus(job.status ?? {}) });
    uncountedOf(updated);
    return updated;
  }
}

export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job-controller',
  workers: 5,
  init: (ctx) => new JobController(ctx),
};
