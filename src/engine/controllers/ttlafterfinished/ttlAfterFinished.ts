/**
 * The TTL-after-finished controller — pkg/controller/ttlafterfinished/ttlafterfinished_controller.go
 * (Kubernetes 1.32): deletes a finished Job `spec.ttlSecondsAfterFinished` seconds after it finished.
 *
 * Job adds and updates enqueue a Job that has a TTL and a True Complete or Failed condition and is not
 * being deleted. processJob(key): if the TTL (counted from that condition's lastTransitionTime) has not
 * run out, requeue for when it will; if it has, read the Job afresh from the apiserver (the TTL may have
 * changed since the cache saw it), check again, and delete it with foreground propagation and a UID
 * precondition — the Job goes once the garbage collector has removed its pods.
 *
 * Left out: metrics (job deletion duration) and the klog warning for a Job that finished in the future.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import { isNotFound } from '../../api/errors.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { finishedJobCondition } from '../job/util/jobUtil.ts';
import { messageOf } from '../podControl.ts';

type JobObject = Job & KubeObject;

/** needsCleanup: the Job has a TTL and has finished. */
function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished != null && finishedJobCondition(job) !== undefined;
}

/** timeLeft: ms until the Job's TTL runs out (≤ 0 once it has), or an error for a Job with no finish time. */
export function timeLeft(job: Job, now: number): number {
  const finished = finishedJobCondition(job);
  const finishAt = finished?.lastTransitionTime ? Date.parse(finished.lastTransitionTime) : NaN;
  if (Number.isNaN(finishAt)) throw new Error(`unable to find the time when the Job ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''} finished`);
  return finishAt + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000 - now;
}

export class TTLAfterFinishedController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly jobInformer: SharedIndexInformer<JobObject>;
  private readonly jobLister: Lister<JobObject>;
  private readonly jobs: ResourceClient<JobObject>;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'ttl_jobs_to_delete' });
    this.jobInformer = ctx.informers.informerFor<JobObject>(RESOURCES.jobs);
    this.jobLister = this.jobInformer.lister();
    this.jobs = ctx.client.resource<JobObject>(RESOURCES.jobs);
    this.jobInformer.addEventHandler({
      onAdd: (job) => this.enqueueIfNeeded(job),
      onUpdate: (_, job) => this.enqueueIfNeeded(job),
    });
  }

  async run(workers: number): Promise<void> {
    if (!(await this.jobInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.processJob(key), {
      onError: (key, error) => this.ctx.handleError(new Error(`error cleaning up Job ${key}, will retry: ${messageOf(error)}`)),
    });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  private enqueueIfNeeded(job: JobObject): void {
    if (!job.metadata?.deletionTimestamp && needsCleanup(job)) this.queue.add(metaNamespaceKeyFunc(job));
  }

  /** processTTL: whether the TTL has run out; if it has not, the key comes back when it will. */
  private processTTL(key: string, job: JobObject): boolean {
    if (job.metadata?.deletionTimestamp || !needsCleanup(job)) return false;
    const left = timeLeft(job, this.ctx.clock.now());
    if (left <= 0) return true;
    this.queue.addAfter(key, left);
    return false;
  }

  async processJob(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.jobLister.byNamespace(namespace).get(name);
    if (!cached || !this.processTTL(key, cached)) return;
    let fresh: JobObject;
    try {
      fresh = await this.jobs.get(namespace, name);
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (!this.processTTL(key, fresh)) return;
    try {
      await this.jobs.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid ?? '' } });
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
  }
}

export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished-controller',
  workers: 5,
  init: (ctx) => new TTLAfterFinishedController(ctx),
};
