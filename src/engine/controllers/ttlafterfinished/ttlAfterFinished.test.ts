import { describe, expect, it } from 'vitest';
import type { Job } from 'kubernetes-types/batch/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { timeLeft } from './ttlAfterFinished.ts';

type JobObject = Job & KubeObject;

const JOB = (name: string, extra: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${extra}
  template:
    spec:
      nodeName: worker-1
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
`;

describe('TTL-after-finished controller', () => {
  it('deletes a finished Job, and its pods, ttlSecondsAfterFinished after it finished', async () => {
    const tc = await TestCluster.start({
      nodes: 1,
      controllers: ['ttl-after-finished-controller', 'job-controller', 'serviceaccount-controller', 'garbage-collector-controller'],
      nodeDelays: { ready: 1_000, complete: 5_000, delete: 1_000, jitter: 0 },
    });
    await tc.apply(JOB('short', '  ttlSecondsAfterFinished: 60') + '---\n' + JOB('kept', '  completions: 1') + '---\n' + JOB('failed', '  ttlSecondsAfterFinished: 0\n  activeDeadlineSeconds: 2'));
    await tc.tick('10s');
    const short = await tc.get<JobObject>('jobs', 'short');
    const finishedAt = short?.status?.conditions?.find((c) => c.type === 'Complete')?.lastTransitionTime;
    expect(finishedAt).toBe('2026-01-01T00:00:07Z');
    // A TTL of 0 goes as soon as the Job has failed.
    expect(await tc.get('jobs', 'failed')).toBeUndefined();
    await tc.tick('56s');
    expect(await tc.get('jobs', 'short')).toBeDefined();
    await tc.tick('5s');
    expect(await tc.get('jobs', 'short')).toBeUndefined();
    expect((await tc.list('pods')).map((p) => p.metadata?.labels?.['job-name'])).toEqual(['kept']);
    expect(await tc.get('jobs', 'kept')).toBeDefined();
    tc.stop();
  });

  it.each<[string, Job, number]>([
    ['counts from the Complete condition', { spec: { ttlSecondsAfterFinished: 100, template: {} }, status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } }, 60_000],
    ['and from a Failed one', { spec: { ttlSecondsAfterFinished: 10, template: {} }, status: { conditions: [{ type: 'FailureTarget', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' }, { type: 'Failed', status: 'True', lastTransitionTime: '2026-01-01T00:00:30Z' }] } }, 0],
  ])('timeLeft %s', (_, job, want) => {
    expect(timeLeft(job, Date.parse('2026-01-01T00:00:40Z'))).toBe(want);
  });
});
