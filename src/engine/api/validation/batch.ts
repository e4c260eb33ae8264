/**
 * Jobs and CronJobs — pkg/apis/batch/validation (Kubernetes 1.32): the generated selector and its
 * labels (the Job registry generates them on create), parallelism/completions/deadlines/backoff,
 * completion mode, the template's restart policy (`Required value: valid values: "OnFailure",
 * "Never"`), immutability on update; CronJob schedule (robfig/cron's errors), time zone, concurrency
 * policy, history limits, the 52-character name limit, and the job template.
 *
 * Left out: pod failure policy rules, success policy, backoffLimitPerIndex/maxFailedIndexes, managedBy,
 * the mutable scheduling directives of suspended jobs, status validation.
 */
import type { CronJob, Job, JobSpec, JobTemplateSpec } from 'kubernetes-types/batch/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isDNS1123Label } from './formats.ts';
import { semanticEqual, validateImmutableField, validateNonnegativeField } from './generic.ts';
import { GoValue, goJSON, goLabelSelector, goStringMap } from './goSyntax.ts';
import { asSelector, validateLabelSelector } from './labels.ts';
import { validatePodTemplateSpec } from './pod.ts';
import { isKnownTimeZone, parseStandard } from './cron.ts';

const specPath = Path.of('spec');
const maxParallelismForIndexedJob = 100000;
const ControllerUidLabel = 'batch.kubernetes.io/controller-uid';
const JobNameLabel = 'batch.kubernetes.io/job-name';
const validTimeZoneCharacters = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** ValidateHasLabel. */
function validateHasLabel(labels: Readonly<Record<string, string>> | undefined, path: Path, key: string, expected: string): FieldError[] {
  const actual = labels?.[key];
  if (actual === undefined) return [field.required(path.child('labels').key(key), expected)];
  if (actual !== expected) return [field.invalid(path.child('labels').key(key), goStringMap(labels), `must be '${expected}'`)];
  return [];
}

/** validateGeneratedSelector. */
function validateGeneratedSelector(job: Job): FieldError[] {
  const spec = job.spec;
  if (spec?.manualSelector || !spec?.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(field.required(Path.of('metadata', 'uid'), ''));
  const tmPath = specPath.child('template', 'metadata');
  const labels = spec.template?.metadata?.labels;
  errs.push(...validateHasLabel(labels, tmPath, ControllerUidLabel, uid));
  errs.push(...validateHasLabel(labels, tmPath, JobNameLabel, name));
  const selector = asSelector(spec.selector);
  if (selector && !selector.matches({ [ControllerUidLabel]: uid, [JobNameLabel]: name })) {
    errs.push(field.invalid(specPath.child('selector'), goLabelSelector(spec.selector), '`selector` not auto-generated'));
  }
  return errs;
}

/** validateJobSpec: what a Job and a CronJob's job template share. */
function validateJobSpecCommon(spec: JobSpec | undefined, path: Path): FieldError[] {
  const s: Partial<JobSpec> = spec ?? {};
  const errs: FieldError[] = [];
  if (s.parallelism != null) errs.push(...validateNonnegativeField(s.parallelism, path.child('parallelism')));
  if (s.completions != null) errs.push(...validateNonnegativeField(s.completions, path.child('completions')));
  if (s.activeDeadlineSeconds != null) errs.push(...validateNonnegativeField(s.activeDeadlineSeconds, path.child('activeDeadlineSeconds')));
  if (s.backoffLimit != null) errs.push(...validateNonnegativeField(s.backoffLimit, path.child('backoffLimit')));
  if (s.ttlSecondsAfterFinished != null) errs.push(...validateNonnegativeField(s.ttlSecondsAfterFinished, path.child('ttlSecondsAfterFinished')));
  if (s.completionMode != null) {
    if (s.completionMode !== 'NonIndexed' && s.completionMode !== 'Indexed') {
      errs.push(field.notSupported(path.child('completionMode'), s.completionMode, ['NonIndexed', 'Indexed']));
    }
    if (s.completionMode === 'Indexed') {
      if (s.completions == null) errs.push(field.required(path.child('completions'), 'when completion mode is Indexed'));
      if (s.parallelism != null && s.parallelism > maxParallelismForIndexedJob) {
        errs.push(field.invalid(path.child('parallelism'), s.parallelism, `must be less than or equal to ${maxParallelismForIndexedJob} when completion mode is Indexed`));
      }
    }
  }
  if (s.podReplacementPolicy != null && s.podReplacementPolicy !== 'TerminatingOrFailed' && s.podReplacementPolicy !== 'Failed') {
    errs.push(field.notSupported(path.child('podReplacementPolicy'), s.podReplacementPolicy, ['TerminatingOrFailed', 'Failed']));
  }
  errs.push(...validatePodTemplateSpec(s.template, path.child('template')));
  const rp = s.template?.spec?.restartPolicy ?? '';
  const rpPath = path.child('template', 'spec', 'restartPolicy');
  if (rp === 'Always' || rp === '') errs.push(field.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(field.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (s.podFailurePolicy && rp !== 'Never') errs.push(field.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** ValidateJobSpec: the common checks plus a required selector matching the template labels. */
function validateJobSpec(spec: JobSpec | undefined, path: Path): FieldError[] {
  const errs = validateJobSpecCommon(spec, path);
  if (!spec?.selector) errs.push(field.required(path.child('selector'), ''));
  else errs.push(...validateLabelSelector(spec.selector, path.child('selector')));
  const selector = spec?.selector ? asSelector(spec.selector) : undefined;
  if (selector && !selector.matches(spec?.template?.metadata?.labels ?? {})) {
    errs.push(field.invalid(path.child('template', 'metadata', 'labels'), goStringMap(spec?.template?.metadata?.labels), '`selector` does not match template `labels`'));
  }
  return errs;
}

/** ValidateJob past ObjectMeta. */
export function validateJob(job: Job): FieldError[] {
  const errs = validateGeneratedSelector(job);
  errs.push(...validateJobSpec(job.spec, specPath));
  const spec = job.spec;
  if (spec?.completionMode === 'Indexed' && spec.completions != null && spec.completions > 0) {
    const name = job.metadata?.name ?? '';
    const hostname = `${name}-${spec.completions - 1}`;
    if (isDNS1123Label(hostname).length > 0) {
      errs.push(field.invalid(Path.of('metadata', 'name'), name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
}

/** ValidateJobUpdate past ObjectMeta. */
export function validateJobUpdate(job: Job, old: Job): FieldError[] {
  const errs = validateJob(job);
  const spec = job.spec;
  const oldSpec = old.spec;
  if (spec?.completionMode === 'Indexed') {
    if (!semanticEqual(spec.completions, oldSpec?.completions) && spec.completions != null && spec.completions !== spec.parallelism) {
      errs.push(field.invalid(specPath.child('completions'), spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...validateImmutableField(spec?.completions, oldSpec?.completions, specPath.child('completions'), spec?.completions ?? null));
  }
  errs.push(...validateImmutableField(spec?.selector, oldSpec?.selector, specPath.child('selector'), goLabelSelector(spec?.selector)));
  errs.push(...validateImmutableField(spec?.template, oldSpec?.template, specPath.child('template'), goJSON(spec?.template)));
  errs.push(...validateImmutableField(spec?.completionMode, oldSpec?.completionMode, specPath.child('completionMode'), spec?.completionMode ?? null));
  errs.push(...validateImmutableField(spec?.podFailurePolicy, oldSpec?.podFailurePolicy, specPath.child('podFailurePolicy'), goJSON(spec?.podFailurePolicy ?? null)));
  return errs;
}

/** ValidateJobTemplateSpec: a CronJob's job template, whose selector is always generated. */
function validateJobTemplateSpec(t: JobTemplateSpec | undefined, path: Path): FieldError[] {
  const errs = validateJobSpecCommon(t?.spec, path.child('spec'));
  if (t?.spec?.selector) errs.push(field.invalid(path.child('spec', 'selector'), goLabelSelector(t.spec.selector), '`selector` will be auto-generated'));
  if (t?.spec?.manualSelector) errs.push(field.notSupported(path.child('spec', 'manualSelector'), new GoValue('true'), ['nil', 'false']));
  return errs;
}

function validateTimeZone(tz: string | undefined | null, path: Path): FieldError[] {
  if (tz == null) return [];
  if (tz === '') return [field.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !validTimeZoneCharacters.test(part)) {
      return [field.invalid(path, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(field.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  else if (!isKnownTimeZone(tz)) errs.push(field.invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

function validateCronJobSpec(cj: CronJob, old: CronJob | undefined): FieldError[] {
  const spec = cj.spec;
  const errs: FieldError[] = [];
  const schedule = spec?.schedule ?? '';
  const sp = specPath.child('schedule');
  if (!schedule) errs.push(field.required(sp, ''));
  else {
    const err = parseStandard(schedule);
    if (err) errs.push(field.invalid(sp, schedule, err));
    const allowTZ = old?.spec?.schedule?.includes('TZ') ?? false;
    if (allowTZ && schedule.includes('TZ') && spec?.timeZone != null) {
      errs.push(field.invalid(sp, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && schedule.includes('TZ')) {
      errs.push(field.invalid(sp, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  if (spec?.startingDeadlineSeconds != null) errs.push(...validateNonnegativeField(spec.startingDeadlineSeconds, specPath.child('startingDeadlineSeconds')));
  if (!old || old.spec?.timeZone !== spec?.timeZone) errs.push(...validateTimeZone(spec?.timeZone, specPath.child('timeZone')));
  const cp = spec?.concurrencyPolicy ?? '';
  if (!cp) errs.push(field.required(specPath.child('concurrencyPolicy'), ''));
  else if (cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace') errs.push(field.notSupported(specPath.child('concurrencyPolicy'), cp, ['Allow', 'Forbid', 'Replace']));
  errs.push(...validateJobTemplateSpec(spec?.jobTemplate, specPath.child('jobTemplate')));
  if (spec?.successfulJobsHistoryLimit != null) errs.push(...validateNonnegativeField(spec.successfulJobsHistoryLimit, specPath.child('successfulJobsHistoryLimit')));
  if (spec?.failedJobsHistoryLimit != null) errs.push(...validateNonnegativeField(spec.failedJobsHistoryLimit, specPath.child('failedJobsHistoryLimit')));
  return errs;
}

/** ValidateCronJobCreate past ObjectMeta. */
export function validateCronJob(cj: CronJob): FieldError[] {
  const errs = validateCronJobSpec(cj, undefined);
  const name = cj.metadata?.name ?? '';
  if (name.length > 63 - 11) errs.push(field.invalid(Path.of('metadata', 'name'), name, 'must be no more than 52 characters'));
  return errs;
}

/** ValidateCronJobUpdate past ObjectMeta (no name length limit, so old long names stay editable). */
export function validateCronJobUpdate(cj: CronJob, old: CronJob): FieldError[] {
  return validateCronJobSpec(cj, old);
}
