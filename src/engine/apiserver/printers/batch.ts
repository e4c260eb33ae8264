/**
 * Printers of batch/v1 — printJob and printCronJob of pkg/printers/internalversion (Kubernetes 1.32).
 *
 * Contract, as upstream:
 * - Job STATUS is the first that holds of Complete, Failed (conditions True), Terminating (being
 *   deleted), Suspended, FailureTarget, else Running. COMPLETIONS is `succeeded/completions`, or for a
 *   work queue `succeeded/1` (`succeeded/1 of P` with parallelism P > 1). DURATION runs from startTime to
 *   completionTime, or to now while the job runs; empty before it starts.
 * - CronJob TIMEZONE is `<none>` unset, SUSPEND `True`/`False`/`<unset>`, LAST SCHEDULE `<none>` until
 *   the first run.
 */
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1';
import { formatLabelSelector } from '../../api/labels/selector.ts';
import { layoutContainerCells, printBoolPtr } from './cells.ts';
import { AGE, column, CONTAINERS, DOC, IMAGES, NAME, wide } from './columns.ts';
import { humanDuration, parseTime, since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

/** hasJobCondition: the first condition of the type decides. */
function hasCondition(conditions: readonly JobCondition[], type: string): boolean {
  for (const c of conditions) {
    if (c.type === type) return c.status === 'True';
  }
  return false;
}

function jobStatus(job: Job): string {
  const conditions = job.status?.conditions ?? [];
  if (hasCondition(conditions, 'Complete')) return 'Complete';
  if (hasCondition(conditions, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conditions, 'Suspended')) return 'Suspended';
  if (hasCondition(conditions, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  const completions = job.spec?.completions;
  if (completions !== undefined && completions !== null) return `${succeeded}/${completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const completion = parseTime(job.status?.completionTime);
  return humanDuration((completion ?? now) - start);
}

function printJob(job: Job, now: number): Cell[] {
  const [names, images] = layoutContainerCells(job.spec?.template?.spec?.containers);
  return [job.metadata?.name ?? '', jobStatus(job), jobCompletions(job), jobDuration(job, now), since(job.metadata?.creationTimestamp, now), names, images, formatLabelSelector(job.spec?.selector)];
}

function printCronJob(cj: CronJob, now: number): Cell[] {
  const lastSchedule = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>';
  const jobSpec = cj.spec?.jobTemplate?.spec;
  const [names, images] = layoutContainerCells(jobSpec?.template?.spec?.containers);
  return [
    cj.metadata?.name ?? '',
    cj.spec?.schedule ?? '',
    cj.spec?.timeZone ?? '<none>',
    printBoolPtr(cj.spec?.suspend),
    cj.status?.active?.length ?? 0,
    lastSchedule,
    since(cj.metadata?.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(jobSpec?.selector),
  ];
}

export const batchHandlers = {
  'Job.batch': tableHandler<Job>(
    [
      NAME,
      column('Status', 'string', 'Status of the job.'),
      column('Completions', 'string', DOC.jobSucceeded),
      column('Duration', 'string', 'Time required to complete the job.'),
      AGE,
      CONTAINERS,
      IMAGES,
      wide('Selector', 'string', DOC.jobSelector),
    ],
    printJob,
  ),
  'CronJob.batch': tableHandler<CronJob>(
    [
      NAME,
      column('Schedule', 'string', DOC.cjSchedule),
      column('Timezone', 'string', DOC.cjTimeZone),
      column('Suspend', 'boolean', DOC.cjSuspend),
      column('Active', 'integer', DOC.cjActive),
      column('Last Schedule', 'string', DOC.cjLast),
      AGE,
      CONTAINERS,
      IMAGES,
      wide('Selector', 'string', DOC.jobSelector),
    ],
    printCronJob,
  ),
};
