import { describe, expect, it } from 'vitest';
import { applyDefaults } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(groupKind: string, object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults(groupKind, copy);
  return copy;
}

const podTemplate = { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-e', 'print 1'] }] } };

const defaultedPodTemplate = {
  metadata: { creationTimestamp: null },
  spec: {
    restartPolicy: 'Never',
    containers: [
      {
        name: 'pi',
        image: 'perl:5.34.0',
        command: ['perl', '-e', 'print 1'],
        imagePullPolicy: 'IfNotPresent',
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
  },
};

/** SetDefaults_Job's fields that do not depend on the manifest. */
const jobDefaults = { completionMode: 'NonIndexed', suspend: false, manualSelector: false };

describe('batch/v1', () => {
  it.each<[string, string, Json, Json]>([
    [
      'a Job: one completion, one at a time, six retries',
      'Job.batch',
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi' }, spec: { template: podTemplate } },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'pi' },
        spec: { completions: 1, parallelism: 1, backoffLimit: 6, podReplacementPolicy: 'TerminatingOrFailed', ...jobDefaults, template: defaultedPodTemplate },
      },
    ],
    [
      'a work-queue Job (parallelism only) leaves completions unset',
      'Job.batch',
      { metadata: { name: 'queue' }, spec: { parallelism: 3, template: podTemplate } },
      {
        metadata: { name: 'queue' },
        spec: { parallelism: 3, backoffLimit: 6, podReplacementPolicy: 'TerminatingOrFailed', ...jobDefaults, template: defaultedPodTemplate },
      },
    ],
    [
      'a Job with completions only runs one at a time',
      'Job.batch',
      { metadata: { name: 'five' }, spec: { completions: 5, template: podTemplate } },
      {
        metadata: { name: 'five' },
        spec: { completions: 5, parallelism: 1, backoffLimit: 6, podReplacementPolicy: 'TerminatingOrFailed', ...jobDefaults, template: defaultedPodTemplate },
      },
    ],
    [
      'an indexed Job with a per-index backoff limit and a pod failure policy',
      'Job.batch',
      {
        metadata: { name: 'idx', labels: { own: 'label' } },
        spec: {
          completions: 4,
          parallelism: 2,
          completionMode: 'Indexed',
          backoffLimitPerIndex: 1,
          podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }, { type: 'Custom', status: 'False' }] }] },
          template: { ...podTemplate, metadata: { labels: { app: 'idx' } } },
        },
      },
      {
        metadata: { name: 'idx', labels: { own: 'label' } },
        spec: {
          completions: 4,
          parallelism: 2,
          completionMode: 'Indexed',
          backoffLimitPerIndex: 1,
          backoffLimit: 2147483647,
          podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }, { type: 'Custom', status: 'False' }] }] },
          podReplacementPolicy: 'Failed',
          suspend: false,
          manualSelector: false,
          template: { ...defaultedPodTemplate, metadata: { creationTimestamp: null, labels: { app: 'idx' } } },
        },
      },
    ],
    [
      'a Job without labels takes its template labels',
      'Job.batch',
      { metadata: { name: 'pi' }, spec: { suspend: true, template: { ...podTemplate, metadata: { labels: { app: 'pi' } } } } },
      {
        metadata: { name: 'pi', labels: { app: 'pi' } },
        spec: {
          completions: 1,
          parallelism: 1,
          backoffLimit: 6,
          podReplacementPolicy: 'TerminatingOrFailed',
          completionMode: 'NonIndexed',
          suspend: true,
          manualSelector: false,
          template: { ...defaultedPodTemplate, metadata: { creationTimestamp: null, labels: { app: 'pi' } } },
        },
      },
    ],
    [
      'a CronJob: its job template is not defaulted as a Job',
      'CronJob.batch',
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello' }, spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: podTemplate } } } },
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'hello' },
        spec: {
          schedule: '*/1 * * * *',
          concurrencyPolicy: 'Allow',
          suspend: false,
          successfulJobsHistoryLimit: 3,
          failedJobsHistoryLimit: 1,
          jobTemplate: { metadata: { creationTimestamp: null }, spec: { template: defaultedPodTemplate } },
        },
      },
    ],
    [
      'a CronJob keeps its own policy and limits',
      'CronJob.batch',
      {
        metadata: { name: 'hello' },
        spec: { schedule: '@hourly', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5, jobTemplate: { spec: { backoffLimit: 2, template: podTemplate } } },
      },
      {
        metadata: { name: 'hello' },
        spec: {
          schedule: '@hourly',
          concurrencyPolicy: 'Forbid',
          suspend: false,
          successfulJobsHistoryLimit: 0,
          failedJobsHistoryLimit: 5,
          jobTemplate: { metadata: { creationTimestamp: null }, spec: { backoffLimit: 2, template: defaultedPodTemplate } },
        },
      },
    ],
  ])('%s', (_name, groupKind, manifest, expected) => {
    expect(defaulted(groupKind, manifest)).toStrictEqual(expected);
  });
});
