import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { batchHandlers } from './batch.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: ago(20 * 60_000), ...extra });
const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } };
const selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': 'abc' } };
const condition = (type: string, status = 'True') => ({ type, status });
const job = (spec: Partial<NonNullable<Job['spec']>>, status: Job['status'], extra: Record<string, unknown> = {}): Job => ({ metadata: meta('pi', extra), spec: { template, selector, ...spec }, status });
const tail = ['20m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=abc'];

describe('Job', () => {
  it.each<[string, Job, Cell[]]>([
    ['not started', job({ completions: 1, parallelism: 1 }, {}), ['pi', 'Running', '0/1', '', ...tail]],
    ['running', job({ completions: 3, parallelism: 1 }, { startTime: ago(150_000), active: 1, succeeded: 1 }), ['pi', 'Running', '1/3', '2m30s', ...tail]],
    ['complete', job({ completions: 1 }, { startTime: ago(600_000), completionTime: ago(590_000), succeeded: 1, conditions: [condition('SuccessCriteriaMet'), condition('Complete')] }), ['pi', 'Complete', '1/1', '10s', ...tail]],
    ['failed', job({ completions: 1, backoffLimit: 0 }, { startTime: ago(60_000), failed: 1, conditions: [condition('FailureTarget'), condition('Failed')] }), ['pi', 'Failed', '0/1', '60s', ...tail]],
    ['failing', job({ completions: 1 }, { startTime: ago(60_000), conditions: [condition('FailureTarget')] }), ['pi', 'FailureTarget', '0/1', '60s', ...tail]],
    ['suspended', job({ completions: 2, suspend: true }, { conditions: [condition('Suspended')] }), ['pi', 'Suspended', '0/2', '', ...tail]],
    ['resumed (condition False)', job({ completions: 2 }, { conditions: [condition('Suspended', 'False')] }), ['pi', 'Running', '0/2', '', ...tail]],
    ['being deleted', job({ completions: 1 }, { startTime: ago(5_000) }, { deletionTimestamp: ago(1_000) }), ['pi', 'Terminating', '0/1', '5s', ...tail]],
    ['a work queue', job({ parallelism: 4 }, { succeeded: 2 }), ['pi', 'Running', '2/1 of 4', '', ...tail]],
    ['a work queue of one', job({ parallelism: 1 }, {}), ['pi', 'Running', '0/1', '', ...tail]],
  ])('%s', (_name, object, expected) => {
    expect(batchHandlers['Job.batch'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});

describe('CronJob', () => {
  const cronJob = (spec: Partial<NonNullable<CronJob['spec']>>, status: CronJob['status']): CronJob => ({ metadata: meta('hello'), spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template } }, ...spec }, status });
  it.each<[string, CronJob, Cell[]]>([
    ['never run', cronJob({ suspend: false }, {}), ['hello', '*/5 * * * *', '<none>', 'False', 0, '<none>', '20m', 'pi', 'perl:5.34', '<none>']],
    [
      'running one job, with a time zone',
      cronJob({ timeZone: 'Asia/Shanghai', suspend: true }, { active: [{ kind: 'Job', name: 'hello-1' }], lastScheduleTime: ago(65_000) }),
      ['hello', '*/5 * * * *', 'Asia/Shanghai', 'True', 1, '65s', '20m', 'pi', 'perl:5.34', '<none>'],
    ],
    ['suspend unset', cronJob({}, {}), ['hello', '*/5 * * * *', '<none>', '<unset>', 0, '<none>', '20m', 'pi', 'perl:5.34', '<none>']],
  ])('%s', (_name, object, expected) => {
    expect(batchHandlers['CronJob.batch'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});
