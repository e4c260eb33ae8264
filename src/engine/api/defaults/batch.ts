/**
 * Defaulting for batch/v1 (k8s.io/kubernetes/pkg/apis/batch/v1/defaults.go and its generated defaulters).
 *
 * A Job gets SetDefaults_Job: completions and parallelism 1 when both are left out (parallelism 1 when
 * only it is), backoffLimit 6 (or MaxInt32 when backoffLimitPerIndex is set), NonIndexed, not suspended,
 * podReplacementPolicy (Failed with a podFailurePolicy, TerminatingOrFailed otherwise: JobPodReplacementPolicy
 * is on in 1.32), manualSelector false, and the template's labels as its own when it has none.
 * A CronJob gets SetDefaults_CronJob; its jobTemplate is not a Job, so SetDefaults_Job does not run on
 * it — only the pod template's and the pod failure policy's defaulters do.
 *
 * Left out: the selector and the controller-uid/job-name labels, which the Job registry generates on create.
 */
import type { CronJob, CronJobSpec, Job, JobSpec, JobTemplateSpec, PodFailurePolicy } from 'kubernetes-types/batch/v1';
import { setDefaultsEmbeddedObjectMeta, setDefaultsPodTemplateSpec } from './core.ts';
import type { Defaulter } from './index.ts';

/** math.MaxInt32: the backoffLimit that leaves failures to backoffLimitPerIndex. */
const MAX_INT32 = 2147483647;

/** SetDefaults_PodFailurePolicyOnPodConditionsPattern: a condition pattern matches status True. */
function setDefaultsPodFailurePolicy(policy: PodFailurePolicy | undefined): void {
  for (const rule of policy?.rules ?? []) for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
}

/** What every JobSpec gets, in a Job or in a CronJob's jobTemplate. */
function setDefaultsJobSpecTemplates(spec: JobSpec): void {
  setDefaultsPodFailurePolicy(spec.podFailurePolicy);
  setDefaultsPodTemplateSpec(spec.template);
}

/** SetDefaults_Job. */
function setDefaultsJob(job: Job): void {
  const spec = (job.spec ??= {} as JobSpec);
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? MAX_INT32 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  const meta = (job.metadata ??= {});
  if (templateLabels && Object.keys(meta.labels ?? {}).length === 0) meta.labels = { ...templateLabels };
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  setDefaultsJobSpecTemplates(spec);
}

/** SetDefaults_CronJob: Allow, not suspended, keep 3 succeeded and 1 failed Job. */
function setDefaultsCronJob(cronJob: CronJob): void {
  const spec = (cronJob.spec ??= {} as CronJobSpec);
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jobTemplate = (spec.jobTemplate ??= {} as JobTemplateSpec);
  setDefaultsEmbeddedObjectMeta(jobTemplate);
  if (jobTemplate.spec) setDefaultsJobSpecTemplates(jobTemplate.spec);
}

export const batchDefaulters: Readonly<Record<string, Defaulter>> = {
  'Job.batch': (o) => setDefaultsJob(o as Job),
  'CronJob.batch': (o) => setDefaultsCronJob(o as CronJob),
};
