/**
 * The CronJob controller — pkg/controller/cronjob/cronjob_controllerv2.go and utils.go (Kubernetes
 * 1.32): starts a Job at each time of a CronJob's schedule, in its time zone.
 *
 * sync(key): read the CronJob and every Job it controls; delete the oldest finished Jobs beyond
 * successfulJobsHistoryLimit / failedJobsHistoryLimit (by start time); then syncCronJob: drop finished
 * Jobs from status.active (`SawCompletedJob`), record status.lastSuccessfulTime, forget active Jobs that
 * are gone (`MissingJob`); a CronJob being deleted, with an unknown time zone or suspended stops here.
 * Otherwise it finds the most recent start time not yet run (nextScheduleTime, warning
 * `TooManyMissedTimes` past 100 missed times — and still starting the most recent one), skips it if it
 * is older than startingDeadlineSeconds (`MissSchedule`) or already run, skips it under Forbid while a
 * Job is active (`JobAlreadyActive`), deletes the active Jobs first under Replace, and creates the Job
 * `<cronjob>-<scheduled time in minutes since the epoch>` from the job template, annotated with
 * `batch.kubernetes.io/cronjob-scheduled-timestamp` (RFC 3339 in the CronJob's zone), owned by the
 * CronJob. The name is the lock: a Job that already exists is not created twice. status.active and
 * status.lastScheduleTime are written once per sync, and the key is requeued on the clock for just
 * after the next start time (time moves only on the virtual clock, so "the next time" is exact).
 *
 * Jobs are deleted with background propagation: the garbage collector removes their pods. A Job with
 * this CronJob's controller reference that status.active lacks is reported (`UnexpectedJob`), not
 * adopted, as upstream does.
 *
 * Left out: metrics. Where upstream, having re-read the CronJob to find such a Job, goes on with the
 * fresh copy but writes the status of the old one (a conflict, then a retry), this writes the fresh one.
 */
import type { CronJob, CronJobStatus, Job } from 'kubernetes-types/batch/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import { StatusError, isAlreadyExists, isNotFound } from '../../api/errors.ts';
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
import { finishedCondition, isJobFinished, isJobSucceeded } from '../job/util/jobUtil.ts';
import { getControllerOf, messageOf, newControllerRef } from '../podControl.ts';
import { nextScheduleTime, nextScheduleTimeDuration, parseStandardSchedule } from './schedule.ts';
import { Location, formatRFC1123Z } from './timeZone.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

export type CronJobObject = CronJob & KubeObject;
export type JobObject = Job & KubeObject;

/** batchv1.CronJobScheduledTimestampAnnotation. */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const CRONJOB_API_VERSION = 'batch/v1';
const CRONJOB_KIND = 'CronJob';

/** getJobName: `<cronjob>-<minutes since the epoch>`, the same for every attempt at one start time. */
export function getJobName(cj: CronJob, scheduledTime: number): string {
  return `${cj.metadata?.name ?? ''}-${Math.floor(scheduledTime / 60_000)}`;
}

/** byJobStartTime: started Jobs first, oldest first, names breaking ties. */
function byJobStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  const ta = sa ? Date.parse(sa) : 0;
  const tb = sb ? Date.parse(sb) : 0;
  if (ta === tb) return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
  return ta - tb;
}

function inActiveList(cj: CronJob, uid: string | undefined): boolean {
  return (cj.status?.active ?? []).some((j) => j.uid === uid);
}

function inActiveListByName(cj: CronJob, namespace: string, name: string): boolean {
  return (cj.status?.active ?? []).some((j) => j.name === name && j.namespace === namespace);
}

function deleteFromActiveList(cj: CronJob, uid: string | undefined): void {
  const status = (cj.status ??= {});
  status.active = (status.active ?? []).filter((j) => j.uid !== uid);
}

/** ref.GetReference for a Job. */
function getRef(job: JobObject): ObjectReference {
  return { kind: 'Job', namespace: job.metadata?.namespace ?? '', name: job.metadata?.name ?? '', uid: job.metadata?.uid ?? '', apiVersion: 'batch/v1', resourceVersion: job.metadata?.resourceVersion ?? '' };
}

/** CronJobStatus as Go serialises it: an empty active list is omitted. */
function wireStatus(status: CronJobStatus | undefined): CronJobStatus {
  const out: CronJobStatus = {};
  if (status?.active?.length) out.active = status.active;
  if (status?.lastScheduleTime) out.lastScheduleTime = status.lastScheduleTime;
  if (status?.lastSuccessfulTime) out.lastSuccessfulTime = status.lastSuccessfulTime;
  return out;
}

function isDeleted<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return obj instanceof DeletedFinalStateUnknown;
}

interface SyncResult {
  /** Requeue after this many ms. */
  requeueAfter?: number;
  updateStatus: boolean;
  error?: unknown;
}

export class CronJobController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly jobInformer: SharedIndexInformer<JobObject>;
  private readonly cronJobInformer: SharedIndexInformer<CronJobObject>;
  private readonly jobLister: Lister<JobObject>;
  private readonly cronJobLister: Lister<CronJobObject>;
  private readonly jobs: ResourceClient<JobObject>;
  private readonly cronJobs: ResourceClient<CronJobObject>;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'cronjob' });
    this.jobInformer = ctx.informers.informerFor<JobObject>(RESOURCES.jobs);
    this.cronJobInformer = ctx.informers.informerFor<CronJobObject>(RESOURCES.cronjobs);
    this.jobLister = this.jobInformer.lister();
    this.cronJobLister = this.cronJobInformer.lister();
    this.jobs = ctx.client.resource<JobObject>(RESOURCES.jobs);
    this.cronJobs = ctx.client.resource<CronJobObject>(RESOURCES.cronjobs);
    this.recorder = ctx.recorder('cronjob-controller');

    this.jobInformer.addEventHandler({
      onAdd: (job) => this.addJob(job),
      onUpdate: (oldJob, newJob) => this.updateJob(oldJob, newJob),
      onDelete: (job) => this.deleteJob(job),
    });
    this.cronJobInformer.addEventHandler({
      onAdd: (cj) => this.enqueueController(cj),
      onUpdate: (oldCj, newCj) => this.updateCronJob(oldCj, newCj),
      onDelete: (cj) => this.queue.add(isDeleted(cj) ? cj.key : metaNamespaceKeyFunc(cj)),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.jobInformer.waitForSync()) || !(await this.cronJobInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.sync(key), {
      onError: (key, error) => this.ctx.handleError(new Error(`error syncing CronJobController ${key}, requeuing: ${messageOf(error)}`)),
    });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  private enqueueController(cj: CronJobObject): void {
    this.queue.add(metaNamespaceKeyFunc(cj));
  }

  private resolveControllerRef(namespace: string, job: JobObject): CronJobObject | undefined {
    const ref = getControllerOf(job);
    if (!ref || ref.kind !== CRONJOB_KIND) return undefined;
    const cj = this.cronJobLister.byNamespace(namespace).get(ref.name);
    return cj && cj.metadata?.uid === ref.uid ? cj : undefined;
  }

  private addJob(job: JobObject): void {
    if (job.metadata?.deletionTimestamp) {
      this.deleteJob(job);
      return;
    }
    const cj = this.resolveControllerRef(job.metadata?.namespace ?? '', job);
    if (cj) this.enqueueController(cj);
  }

  private updateJob(oldJob: JobObject, newJob: JobObject): void {
    if (newJob.metadata?.resourceVersion === oldJob.metadata?.resourceVersion) return;
    const oldRef = getControllerOf(oldJob);
    const newRef = getControllerOf(newJob);
    if (oldRef && JSON.stringify(oldRef) !== JSON.stringify(newRef ?? null)) {
      const old = this.resolveControllerRef(oldJob.metadata?.namespace ?? '', oldJob);
      if (old) this.enqueueController(old);
    }
    if (newRef) {
      const cj = this.resolveControllerRef(newJob.metadata?.namespace ?? '', newJob);
      if (cj) this.enqueueController(cj);
    }
  }

  private deleteJob(obj: JobObject | DeletedFinalStateUnknown<JobObject>): void {
    const job = isDeleted(obj) ? obj.obj : obj;
    if (!job || !getControllerOf(job)) return;
    const cj = this.resolveControllerRef(job.metadata?.namespace ?? '', job);
    if (cj) this.enqueueController(cj);
  }

  /**
   * updateCronJob: a new schedule or time zone requeues for its next time; any other change syncs now
   * (within the starting deadline it may start the current time's Job).
   */
  private updateCronJob(oldCj: CronJobObject, newCj: CronJobObject): void {
    if (oldCj.spec?.schedule !== newCj.spec?.schedule || (oldCj.spec?.timeZone ?? null) !== (newCj.spec?.timeZone ?? null)) {
      const sched = parseStandardSchedule(this.formatSchedule(newCj, false));
      if (typeof sched === 'string') {
        this.recorder.eventf(newCj, EVENT_TYPE_WARNING, 'UnParseableCronJobSchedule', 'unparseable schedule for cronjob: %s', newCj.spec?.schedule ?? '');
        return;
      }
      this.queue.addAfter(metaNamespaceKeyFunc(newCj), nextScheduleTimeDuration(newCj, this.ctx.clock.now(), sched));
      return;
    }
    this.enqueueController(newCj);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cronJob = this.cronJobLister.byNamespace(namespace).get(name);
    if (!cronJob) return;
    const jobsToBeReconciled = this.getJobsToBeReconciled(cronJob);
    // One copy collects every change; status is written once.
    const holder = { cj: deepCopy(cronJob) };
    const updateStatusAfterCleanup = await this.cleanupFinishedJobs(holder.cj, jobsToBeReconciled);
    const { requeueAfter, updateStatus, error } = await this.syncCronJob(holder, jobsToBeReconciled);
    if (updateStatusAfterCleanup || updateStatus) {
      await this.cronJobs.updateStatus(namespace, { ...holder.cj, status: wireStatus(holder.cj.status) });
    }
    if (requeueAfter !== undefined) {
      this.queue.addAfter(key, requeueAfter);
      return;
    }
    if (error !== undefined) throw error;
  }

  /** Every Job of the namespace whose controller reference names this CronJob. */
  private getJobsToBeReconciled(cj: CronJobObject): JobObject[] {
    return this.jobLister
      .byNamespace(cj.metadata?.namespace ?? '')
      .list()
      .filter((job) => getControllerOf(job)?.name === cj.metadata?.name);
  }

  /** formatSchedule: the schedule with the time zone as robfig's TZ= prefix. */
  private formatSchedule(cj: CronJobObject, warn: boolean): string {
    const schedule = cj.spec?.schedule ?? '';
    if (schedule.includes('TZ')) {
      if (warn) {
        this.recorder.eventf(cj, EVENT_TYPE_WARNING, 'UnsupportedSchedule', 'CRON_TZ or TZ used in schedule %q is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details', schedule);
      }
      return schedule;
    }
    const tz = cj.spec?.timeZone;
    if (tz != null && Location.load(tz)) return `TZ=${tz} ${schedule}`;
    return schedule;
  }

  /** syncCronJob: reconcile the CronJob with its Jobs; `holder.cj` is the copy whose status is written. */
  private async syncCronJob(holder: { cj: CronJobObject }, jobs: readonly JobObject[]): Promise<SyncResult> {
    const now = this.ctx.clock.now();
    let updateStatus = false;
    const childrenJobs = new Set<string>();
    for (const j of jobs) {
      const cronJob = holder.cj;
      childrenJobs.add(j.metadata?.uid ?? '');
      const found = inActiveList(cronJob, j.metadata?.uid);
      if (!found && !isJobFinished(j)) {
        let fresh: CronJobObject;
        try {
          fresh = await this.cronJobs.get(cronJob.metadata?.namespace ?? '', cronJob.metadata?.name ?? '');
        } catch (error) {
          return { updateStatus, error };
        }
        if (inActiveList(fresh, j.metadata?.uid)) {
          holder.cj = fresh;
          continue;
        }
        this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'UnexpectedJob', 'Saw a job that the controller did not create or forgot: %s', j.metadata?.name ?? '');
      } else if (found && isJobFinished(j)) {
        deleteFromActiveList(cronJob, j.metadata?.uid);
        this.recorder.eventf(cronJob, EVENT_TYPE_NORMAL, 'SawCompletedJob', 'Saw completed job: %s, status: %v', j.metadata?.name ?? '', finishedCondition(j) ?? '');
        updateStatus = true;
      } else if (isJobSucceeded(j)) {
        const status = (cronJob.status ??= {});
        const completion = j.status?.completionTime;
        if (!status.lastSuccessfulTime) {
          if (completion) status.lastSuccessfulTime = completion;
          updateStatus = true;
        }
        if (completion && status.lastSuccessfulTime && Date.parse(completion) > Date.parse(status.lastSuccessfulTime)) {
          status.lastSuccessfulTime = completion;
          updateStatus = true;
        }
      }
    }
    const cronJob = holder.cj;
    const namespace = cronJob.metadata?.namespace ?? '';

    // Active Jobs the cache does not have: ask the apiserver before forgetting them.
    for (const ref of [...(cronJob.status?.active ?? [])]) {
      if (childrenJobs.has(ref.uid ?? '')) continue;
      try {
        await this.jobs.get(ref.namespace ?? namespace, ref.name ?? '');
      } catch (error) {
        if (!isNotFound(error)) return { updateStatus, error };
        this.recorder.eventf(cronJob, EVENT_TYPE_NORMAL, 'MissingJob', 'Active job went missing: %v', ref.name ?? '');
        deleteFromActiveList(cronJob, ref.uid);
        updateStatus = true;
      }
    }

    if (cronJob.metadata?.deletionTimestamp) return { updateStatus };

    const timeZone = cronJob.spec?.timeZone;
    if (timeZone != null && !Location.load(timeZone)) {
      this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'UnknownTimeZone', 'invalid timeZone: %q: %s', timeZone, `unknown time zone ${timeZone}`);
      return { updateStatus };
    }
    if (cronJob.spec?.suspend) return { updateStatus };

    const sched = parseStandardSchedule(this.formatSchedule(cronJob, true));
    if (typeof sched === 'string') {
      this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'UnparseableSchedule', 'unparseable schedule: %q : %s', cronJob.spec?.schedule ?? '', sched);
      return { updateStatus };
    }
    const { scheduledTime, error: scheduleError } = nextScheduleTime(cronJob, now, sched, () =>
      this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'),
    );
    if (scheduleError !== undefined) {
      this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'InvalidSchedule', 'invalid schedule: %s : %s', cronJob.spec?.schedule ?? '', scheduleError);
      return { updateStatus };
    }
    const requeue = () => nextScheduleTimeDuration(cronJob, now, sched);
    if (scheduledTime === undefined) return { requeueAfter: requeue(), updateStatus };

    const deadline = cronJob.spec?.startingDeadlineSeconds;
    if (deadline != null && scheduledTime + deadline * 1000 < now) {
      this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'MissSchedule', 'Missed scheduled time to start a job: %s', formatRFC1123Z(scheduledTime));
      return { requeueAfter: requeue(), updateStatus };
    }
    const lastScheduleTime = cronJob.status?.lastScheduleTime;
    if (inActiveListByName(cronJob, namespace, getJobName(cronJob, scheduledTime)) || (lastScheduleTime !== undefined && Date.parse(lastScheduleTime) === scheduledTime)) {
      return { requeueAfter: requeue(), updateStatus };
    }
    if (cronJob.spec?.concurrencyPolicy === 'Forbid' && (cronJob.status?.active ?? []).length > 0) {
      this.recorder.eventf(cronJob, EVENT_TYPE_NORMAL, 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: requeue(), updateStatus };
    }
    if (cronJob.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(cronJob.status?.active ?? [])]) {
        let job: JobObject;
        try {
          job = await this.jobs.get(ref.namespace ?? namespace, ref.name ?? '');
        } catch (error) {
          this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'FailedGet', 'Get job: %v', messageOf(error));
          return { updateStatus, error };
        }
        if (!(await this.reapJob(cronJob, job))) {
          return { updateStatus, error: new Error(`could not replace job ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`) };
        }
        updateStatus = true;
      }
    }

    const jobReq = this.getJobFromTemplate(cronJob, scheduledTime);
    let jobResp: JobObject;
    let jobAlreadyExists = false;
    try {
      jobResp = await this.jobs.create(namespace, jobReq);
    } catch (error) {
      const terminating = error instanceof StatusError && (error.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
      if (terminating) return { updateStatus, error };
      if (!isAlreadyExists(error)) {
        this.recorder.eventf(cronJob, EVENT_TYPE_WARNING, 'FailedCreate', 'Error creating job: %v', messageOf(error));
        return { updateStatus, error };
      }
      // Created before, by us (then the active list lost it) or by someone else (then leave it be).
      jobAlreadyExists = true;
      try {
        jobResp = await this.jobs.get(namespace, jobReq.metadata?.name ?? '');
      } catch (getError) {
        return { updateStatus, error: getError };
      }
      if (getControllerOf(jobResp)?.uid !== cronJob.metadata?.uid) return { updateStatus };
      if (inActiveList(cronJob, jobResp.metadata?.uid)) return { updateStatus };
    }
    if (!jobAlreadyExists) this.recorder.eventf(cronJob, EVENT_TYPE_NORMAL, 'SuccessfulCreate', 'Created job %v', jobResp.metadata?.name ?? '');

    const status = (cronJob.status ??= {});
    status.active = [...(status.active ?? []), getRef(jobResp)];
    status.lastScheduleTime = rfc3339(scheduledTime);
    return { requeueAfter: requeue(), updateStatus: true };
  }

  /** getJobFromTemplate2. */
  private getJobFromTemplate(cj: CronJobObject, scheduledTime: number): JobObject {
    const template = cj.spec?.jobTemplate;
    const loc = Location.load(cj.spec?.timeZone ?? '') ?? Location.UTC;
    const annotations = { ...template?.metadata?.annotations, [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: loc.formatRFC3339(scheduledTime) };
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: getJobName(cj, scheduledTime),
        ...(template?.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
        annotations,
        ownerReferences: [newControllerRef(cj, CRONJOB_API_VERSION, CRONJOB_KIND)],
      },
      spec: deepCopy(template?.spec ?? { template: {} }),
    };
  }

  /** cleanupFinishedJobs: keep the newest finished Jobs within the history limits. */
  private async cleanupFinishedJobs(cj: CronJobObject, jobs: readonly JobObject[]): Promise<boolean> {
    const successLimit = cj.spec?.successfulJobsHistoryLimit;
    const failedLimit = cj.spec?.failedJobsHistoryLimit;
    if (successLimit == null && failedLimit == null) return false;
    const successful = jobs.filter((j) => finishedCondition(j) === 'Complete');
    const failed = jobs.filter((j) => finishedCondition(j) === 'Failed');
    let updateStatus = false;
    if (successLimit != null && (await this.removeOldestJobs(cj, successful, successLimit))) updateStatus = true;
    if (failedLimit != null && (await this.removeOldestJobs(cj, failed, failedLimit))) updateStatus = true;
    return updateStatus;
  }

  private async removeOldestJobs(cj: CronJobObject, jobs: readonly JobObject[], maxJobs: number): Promise<boolean> {
    const numToDelete = jobs.length - maxJobs;
    if (numToDelete <= 0) return false;
    let updateStatus = false;
    for (const job of [...jobs].sort(byJobStartTime).slice(0, numToDelete)) {
      if (await this.reapJob(cj, job)) updateStatus = true;
    }
    return updateStatus;
  }

  /** deleteJob (the package function): the Job, its pods following in the background, and its active-list entry. */
  private async reapJob(cj: CronJobObject, job: JobObject): Promise<boolean> {
    try {
      await this.jobs.delete(job.metadata?.namespace ?? '', job.metadata?.name ?? '', { propagationPolicy: 'Background' });
    } catch (error) {
      this.recorder.eventf(cj, EVENT_TYPE_WARNING, 'FailedDelete', 'Deleted job: %v', messageOf(error));
      return false;
    }
    deleteFromActiveList(cj, job.metadata?.uid);
    this.recorder.eventf(cj, EVENT_TYPE_NORMAL, 'SuccessfulDelete', 'Deleted job %v', job.metadata?.name ?? '');
    return true;
  }
}

export const cronJobControllerDescriptor: ControllerDescriptor = {
  name: 'cronjob-controller',
  workers: 5,
  init: (ctx) => new CronJobController(ctx),
};
