import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import { describe, expect, it } from 'vitest';
import { parseStandard } from './cron.ts';
import { validateObject, validateObjectUpdate } from './index.ts';
import { podTemplate, text } from './testdata.ts';

const uidLabels = { 'batch.kubernetes.io/controller-uid': 'u1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u1', 'job-name': 'pi' };

function job(): Job {
  const template = podTemplate(uidLabels);
  template.spec!.restartPolicy = 'Never';
  return {
    metadata: { name: 'pi', namespace: 'default', uid: 'u1', resourceVersion: '2' },
    spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template, backoffLimit: 6, completions: 1, parallelism: 1, completionMode: 'NonIndexed' },
  };
}

describe('Job', () => {
  it.each<[string, (j: Job) => void, string[]]>([
    ['valid', () => {}, []],
    ['restartPolicy Always', (j) => (j.spec!.template.spec!.restartPolicy = 'Always'), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']],
    ['negative parallelism', (j) => (j.spec!.parallelism = -1), ['spec.parallelism: Invalid value: -1: must be greater than or equal to 0']],
    ['no selector', (j) => delete j.spec!.selector, ['spec.selector: Required value']],
  ])('%s', (_, mutate, want) => {
    const j = job();
    mutate(j);
    expect(text(validateObject('Job.batch', j, true))).toEqual(want);
  });

  it('keeps completions immutable for non-indexed jobs', () => {
    const next = job();
    next.spec!.completions = 3;
    expect(text(validateObjectUpdate('Job.batch', next, job(), true))).toEqual(['spec.completions: Invalid value: 3: field is immutable']);
  });
});

function cronJob(schedule: string): CronJob {
  const template = podTemplate();
  template.spec!.restartPolicy = 'OnFailure';
  return {
    metadata: { name: 'hello', namespace: 'default' },
    spec: { schedule, concurrencyPolicy: 'Allow', jobTemplate: { spec: { template, backoffLimit: 6 } }, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 },
  };
}

describe('CronJob', () => {
  it.each([
    ['*/5 * * * *', []],
    ['@hourly', []],
    ['bad', ['spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]']],
    ['61 * * * *', ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61']],
    ['* * * * mon-fri', []],
    ['* * * foo *', ['spec.schedule: Invalid value: "* * * foo *": failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax']],
    ['@weekly2', ['spec.schedule: Invalid value: "@weekly2": unrecognized descriptor: @weekly2']],
    [
      'TZ=UTC * * * * *',
      ['spec.schedule: Invalid value: "TZ=UTC * * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'],
    ],
  ])('schedule %j', (schedule, want) => {
    expect(text(validateObject('CronJob.batch', cronJob(schedule), true))).toEqual(want);
  });

  it('checks the name length, the time zone and the template restart policy', () => {
    const c = cronJob('* * * * *');
    c.metadata!.name = 'a'.repeat(53);
    c.spec!.timeZone = 'Mars/Base';
    c.spec!.jobTemplate.spec!.template.spec!.restartPolicy = 'Always';
    expect(text(validateObject('CronJob.batch', c, true))).toEqual([
      'spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base',
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
      `metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`,
    ]);
  });

  it.each([
    ['', 'empty spec string'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['@every 1h30m', undefined],
    ['@every soon', 'failed to parse duration @every soon: time: invalid duration "soon"'],
  ])('parseStandard(%j)', (spec, want) => {
    expect(parseStandard(spec)).toBe(want);
  });
});
