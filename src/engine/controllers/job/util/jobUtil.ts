/**
 * Whether a Job has finished — pkg/controller/job/util/utils.go, shared by the Job, CronJob and
 * TTL-after-finished controllers: a Job is finished once its Complete or Failed condition is True (the
 * interim SuccessCriteriaMet and FailureTarget conditions do not count).
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1';

/** FinishedCondition: the type of the Job's True Complete or Failed condition, if any. */
export function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

/** The True Complete or Failed condition itself (its lastTransitionTime is when the Job finished). */
export function finishedJobCondition(job: Job): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function isJobFinished(job: Job): boolean {
  return finishedCondition(job) !== undefined;
}

export function isJobSucceeded(job: Job): boolean {
  return (job.status?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
}
