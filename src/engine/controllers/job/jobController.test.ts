import { describe, expect, it } from 'vitest';
import type { Job, JobStatus } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../api/time.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { JOB_TRACKING_FINALIZER } from './trackingUtils.ts';

type PodObject = Pod & KubeObject;
type JobObject = Job & KubeObject;

/** A Job whose pods run on worker-1 (no scheduler here); `spec` is indented job spec YAML. */
const JOB = (spec: string, name = 'pi') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    spec:
      nodeName: worker-1
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
`;

/** Pods start 1s after creation and, unless `complete` says otherwise, succeed 5s later. */
async function cluster(complete = 5_000) {
  return TestCluster.start({
    nodes: 1,
    controllers: ['job-controller', 'serviceaccount-controller', 'garbage-collector-controller'],
    nodeDelays: { ready: 1_000, complete, delete: 1_000, jitter: 0 },
  });
}

async function job(tc: TestCluster, name = 'pi'): Promise<JobObject> {
  return (await tc.get<JobObject>('jobs', name))!;
}

/** The counters `kubectl get job` and describe show. */
function counts(status: JobStatus | undefined) {
  return { active: status?.active ?? 0, ready: status?.ready ?? 0, succeeded: status?.succeeded ?? 0, failed: status?.failed ?? 0, terminating: status?.terminating ?? 0 };
}

function conditions(status: JobStatus | undefined): string[] {
  return (status?.conditions ?? []).map((c) => `${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`);
}

async function pods(tc: TestCluster): Promise<PodObject[]> {
  return (await tc.list<PodObject>('pods')).sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** What a kubelet reports when the pod's container exits with `exitCode` now. */
async function failPod(tc: TestCluster, name: string, exitCode = 1, extraConditions: Array<{ type: string; status: string }> = []): Promise<void> {
  const pod = (await tc.get<PodObject>('pods', name))!;
  const now = rfc3339(tc.clock.now());
  const flip = new Set(['Ready', 'ContainersReady']);
  await tc.client.resource<PodObject>(RESOURCES.pods).updateStatus('default', {
    ...pod,
    status: {
      ...pod.status,
      phase: 'Failed',
      conditions: [...(pod.status?.conditions ?? []).map((c) => (flip.has(c.type) ? { ...c, status: 'False', reason: 'PodFailed', lastTransitionTime: now } : c)), ...extraConditions.map((c) => ({ ...c, lastTransitionTime: now }))],
      containerStatuses: (pod.status?.containerStatuses ?? []).map((s) => ({
        ...s,
        ready: false,
        started: false,
        state: { terminated: { exitCode, reason: 'Error', startedAt: s.state?.running?.startedAt ?? now, finishedAt: now, ...(s.containerID ? { containerID: s.containerID } : {}) } },
      })),
    },
  });
}

function seconds(t: string | undefined): number {
  return Date.parse(t ?? '') / 1000;
}

describe('Job controller', () => {
  it('runs completions pods at most parallelism at a time, counting each step, then completes', async () => {
    const tc = await cluster();
    await tc.apply(JOB('  completions: 5\n  parallelism: 2'));
    const steps: Array<{ t: number } & ReturnType<typeof counts> & { pods: number }> = [];
    for (const t of [3, 10, 17, 25]) {
      await tc.tick((t - (steps.at(-1)?.t ?? 0)) * 1000);
      steps.push({ t, ...counts((await job(tc)).status), pods: (await pods(tc)).length });
    }
    // 0s: two pods; 6s: both succeed; 7s: two more; 13s: they succeed; 14s: the last; 20s: it succeeds.
    expect(steps).toEqual([
      { t: 3, active: 2, ready: 2, succeeded: 0, failed: 0, terminating: 0, pods: 2 },
      { t: 10, active: 2, ready: 2, succeeded: 2, failed: 0, terminating: 0, pods: 4 },
      { t: 17, active: 1, ready: 1, succeeded: 4, failed: 0, terminating: 0, pods: 5 },
      { t: 25, active: 0, ready: 0, succeeded: 5, failed: 0, terminating: 0, pods: 5 },
    ]);
    const done = await job(tc);
    expect(conditions(done.status)).toEqual(['SuccessCriteriaMet=True CompletionsReached: Reached expected number of succeeded pods', 'Complete=True CompletionsReached: Reached expected number of succeeded pods']);
    expect(done.status?.completionTime).toBe('2026-01-01T00:00:21Z');
    expect(done.status?.startTime).toBe('2026-01-01T00:00:00Z');
    // Go's omitempty: zero counters are left out, the pointers and the uncounted struct are kept.
    expect(done.status).toMatchObject({ ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status).not.toHaveProperty('active');
    for (const pod of await pods(tc)) {
      expect(pod.metadata?.finalizers ?? []).not.toContain(JOB_TRACKING_FINALIZER);
      expect(pod.metadata?.labels).toMatchObject({ 'batch.kubernetes.io/job-name': 'pi', 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': done.metadata?.uid });
      expect(pod.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: done.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const events = await tc.events('default', 'pi');
    expect(events.filter((e) => /^SuccessfulCreate: Created pod: pi-[a-z0-9]{5}$/.test(e))).toHaveLength(5);
    expect(events.at(-1)).toBe('Completed: Job completed');
    tc.stop();
  });

  it('keeps the tracking finalizer on a running pod until it has counted it', async () => {
    const tc = await cluster();
    await tc.apply(JOB('  completions: 1'));
    await tc.tick('3s');
    const [running] = await pods(tc);
    expect(running?.metadata?.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    await tc.tick('5s');
    const [finished] = await pods(tc);
    expect(finished?.status?.phase).toBe('Succeeded');
    expect(finished?.metadata?.finalizers ?? []).toEqual([]);
    expect(counts((await job(tc)).status).succeeded).toBe(1);
    tc.stop();
  });

  it('re-creates failed pods after 10s, 20s, 40s, then fails with BackoffLimitExceeded past backoffLimit', async () => {
    const tc = await cluster(3_600_000);
    await tc.apply(JOB('  backoffLimit: 3'));
    const gaps: number[] = [];
    let lastFailure: number | undefined;
    const failed = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const ok = await tc.tickUntil(async () => (await pods(tc)).some((p) => p.status?.phase === 'Running' && !failed.has(p.metadata?.name ?? '')), '2m');
      expect(ok).toBe(true);
      const pod = (await pods(tc)).find((p) => p.status?.phase === 'Running' && !failed.has(p.metadata?.name ?? ''))!;
      if (lastFailure !== undefined) gaps.push(seconds(pod.metadata?.creationTimestamp) - lastFailure);
      await tc.tick('2s');
      lastFailure = tc.clock.now() / 1000;
      failed.add(pod.metadata?.name ?? '');
      await failPod(tc, pod.metadata?.name ?? '');
      if (round < 3) expect(counts((await job(tc)).status).failed).toBe(round);
    }
    expect(gaps).toEqual([10, 20, 40]);
    await tc.tick('5s');
    const done = await job(tc);
    expect(counts(done.status)).toEqual({ active: 0, ready: 0, succeeded: 0, failed: 4, terminating: 0 });
    expect(conditions(done.status)).toEqual(['FailureTarget=True BackoffLimitExceeded: Job has reached the specified backoff limit', 'Failed=True BackoffLimitExceeded: Job has reached the specified backoff limit']);
    expect(done.status).not.toHaveProperty('completionTime');
    expect(await pods(tc)).toHaveLength(4);
    const events = await tc.events('default', 'pi');
    expect(events.filter((e) => e.startsWith('SuccessfulCreate'))).toHaveLength(4);
    expect(events.at(-1)).toBe('BackoffLimitExceeded: Job has reached the specified backoff limit');
    tc.stop();
  });

  it('fails a Job that runs past activeDeadlineSeconds, terminating its pods first', async () => {
    const tc = await cluster(3_600_000);
    await tc.apply(JOB('  activeDeadlineSeconds: 30\n  parallelism: 2\n  completions: 4'));
    await tc.tick('29s');
    expect(counts((await job(tc)).status)).toMatchObject({ active: 2, ready: 2 });
    expect((await job(tc)).status?.conditions).toBeUndefined();
    await tc.tick('1s');
    const terminating = await job(tc);
    expect(conditions(terminating.status)).toEqual(['FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline']);
    expect(counts(terminating.status)).toMatchObject({ active: 0, terminating: 2 });
    await tc.tick('5s');
    const done = await job(tc);
    expect(conditions(done.status)).toEqual(['FailureTarget=True DeadlineExceeded: Job was active longer than specified deadline', 'Failed=True DeadlineExceeded: Job was active longer than specified deadline']);
    expect(counts(done.status)).toEqual({ active: 0, ready: 0, succeeded: 0, failed: 2, terminating: 0 });
    expect(await pods(tc)).toEqual([]);
    const events = await tc.events('default', 'pi');
    expect(events.filter((e) => e.startsWith('SuccessfulDelete: Deleted pod: pi-'))).toHaveLength(2);
    expect(events.at(-1)).toBe('DeadlineExceeded: Job was active longer than specified deadline');
    tc.stop();
  });

  it('runs an Indexed Job: one pod per index, a failed index re-created, completedIndexes as intervals', async () => {
    const tc = await cluster();
    await tc.apply(JOB('  completionMode: Indexed\n  completions: 3\n  parallelism: 3'));
    await tc.tick('2s');
    const first = await pods(tc);
    expect(first.map((p) => p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index']).sort()).toEqual(['0', '1', '2']);
    for (const pod of first) {
      const ix = pod.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'];
      expect(pod.metadata?.name).toMatch(new RegExp(`^pi-${ix}-[a-z0-9]{5}$`));
      expect(pod.metadata?.labels?.['batch.kubernetes.io/job-completion-index']).toBe(ix);
      expect(pod.spec?.hostname).toBe(`pi-${ix}`);
      expect(pod.spec?.containers[0]?.env).toEqual([{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
    }
    const index1 = first.find((p) => p.spec?.hostname === 'pi-1')!;
    await tc.tick('1s');
    await failPod(tc, index1.metadata?.name ?? '');
    // 0 and 2 succeed at 6s. Index 1 was waiting out the 10s backoff from its failure at 3s, but
    // successes newer than the failure reset the backoff: its replacement comes with the next sync.
    await tc.tick('5s');
    const partial = await job(tc);
    expect(partial.status?.completedIndexes).toBe('0,2');
    expect(counts(partial.status)).toMatchObject({ active: 1, succeeded: 2, failed: 1 });
    const replacement = (await pods(tc)).filter((p) => p.spec?.hostname === 'pi-1' && p.metadata?.name !== index1.metadata?.name);
    expect(replacement).toHaveLength(1);
    expect(replacement[0]?.metadata?.creationTimestamp).toBe('2026-01-01T00:00:07Z');
    await tc.tick('10s');
    const done = await job(tc);
    expect(done.status?.completedIndexes).toBe('0-2');
    expect(counts(done.status)).toMatchObject({ succeeded: 3, failed: 1, active: 0 });
    expect(conditions(done.status).at(-1)).toBe('Complete=True CompletionsReached: Reached expected number of succeeded pods');
    tc.stop();
  });

  it('fails the Job on a FailJob rule of the pod failure policy, and does not count an ignored failure', async () => {
    const tc = await cluster(3_600_000);
    await tc.apply(
      JOB(`  parallelism: 2
  completions: 2
  backoffLimit: 0
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
    - action: Ignore
      onPodConditions:
      - type: DisruptionTarget`),
    );
    await tc.tick('3s');
    const [a, b] = await pods(tc);
    await failPod(tc, a!.metadata?.name ?? '', 137, [{ type: 'DisruptionTarget', status: 'True' }]);
    await tc.tick('12s');
    // Ignored: not counted against backoffLimit 0, and replaced (after the failure backoff).
    const afterIgnore = await job(tc);
    expect(counts(afterIgnore.status)).toMatchObject({ failed: 0, active: 2 });
    expect(afterIgnore.status?.conditions).toBeUndefined();
    expect(await pods(tc)).toHaveLength(3);
    await failPod(tc, b!.metadata?.name ?? '', 42);
    await tc.tick('5s');
    const done = await job(tc);
    const message = `Container main for pod default/${b!.metadata?.name} failed with exit code 42 matching FailJob rule at index 0`;
    expect(conditions(done.status)).toEqual([`FailureTarget=True PodFailurePolicy: ${message}`, `Failed=True PodFailurePolicy: ${message}`]);
    // The failing pod and the replacement it took down with it count; the ignored one does not.
    expect(counts(done.status)).toEqual({ active: 0, ready: 0, succeeded: 0, failed: 2, terminating: 0 });
    expect((await tc.events('default', 'pi')).at(-1)).toBe(`PodFailurePolicy: ${message}`);
    tc.stop();
  });

  it('suspends (deleting active pods without counting them) and resumes', async () => {
    const tc = await cluster(3_600_000);
    await tc.apply(JOB('  parallelism: 2\n  completions: 4'));
    await tc.tick('3s');
    const jobs = tc.client.resource<JobObject>(RESOURCES.jobs);
    await jobs.patch('default', 'pi', 'merge', { spec: { suspend: true } });
    await tc.tick('5s');
    const suspended = await job(tc);
    expect(conditions(suspended.status)).toEqual(['Suspended=True JobSuspended: Job suspended']);
    expect(counts(suspended.status)).toEqual({ active: 0, ready: 0, succeeded: 0, failed: 0, terminating: 0 });
    expect(await pods(tc)).toEqual([]);
    await tc.tick('60s');
    await jobs.patch('default', 'pi', 'merge', { spec: { suspend: false } });
    await tc.tick('3s');
    const resumed = await job(tc);
    expect(conditions(resumed.status)).toEqual(['Suspended=False JobResumed: Job resumed']);
    expect(resumed.status?.startTime).toBe('2026-01-01T00:01:08Z');
    expect(counts(resumed.status)).toMatchObject({ active: 2, failed: 0 });
    const events = await tc.events('default', 'pi');
    expect(events.filter((e) => e.startsWith('SuccessfulDelete'))).toHaveLength(2);
    expect(events).toContain('Suspended: Job suspended');
    expect(events).toContain('Resumed: Job resumed');
    tc.stop();
  });

  it('lets a deleted Job take its running pods along: their finalizers are removed', async () => {
    const tc = await cluster(3_600_000);
    await tc.apply(JOB('  parallelism: 2\n  completions: 2'));
    await tc.tick('3s');
    expect((await pods(tc)).map((p) => p.metadata?.finalizers)).toEqual([[JOB_TRACKING_FINALIZER], [JOB_TRACKING_FINALIZER]]);
    await tc.client.resource<JobObject>(RESOURCES.jobs).delete('default', 'pi', { propagationPolicy: 'Background' });
    await tc.tick('5s');
    expect(await pods(tc)).toEqual([]);
    tc.stop();
  });

  it('deletes the surplus when parallelism drops, without counting failures', async () => {
    const tc = await cluster(3_600_000);
    await tc.apply(JOB('  parallelism: 3\n  completions: 6'));
    await tc.tick('3s');
    await tc.client.resource<JobObject>(RESOURCES.jobs).patch('default', 'pi', 'merge', { spec: { parallelism: 1 } });
    await tc.tick('5s');
    expect(counts((await job(tc)).status)).toEqual({ active: 1, ready: 1, succeeded: 0, failed: 0, terminating: 0 });
    expect(await pods(tc)).toHaveLength(1);
    tc.stop();
  });

  it('with backoffLimitPerIndex counts failures per index and fails the Job with FailedIndexes', async () => {
    const tc = await cluster(30_000);
    await tc.apply(JOB('  completionMode: Indexed\n  completions: 2\n  parallelism: 2\n  backoffLimitPerIndex: 1'));
    await tc.tick('2s');
    const zero = (await pods(tc)).find((p) => p.spec?.hostname === 'pi-0')!;
    expect(zero.metadata?.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('0');
    await failPod(tc, zero.metadata?.name ?? '');
    await tc.tick('11s');
    const retry = (await pods(tc)).find((p) => p.spec?.hostname === 'pi-0' && p.metadata?.name !== zero.metadata?.name)!;
    expect(retry.metadata?.creationTimestamp).toBe('2026-01-01T00:00:12Z');
    expect(retry.metadata?.annotations?.['batch.kubernetes.io/job-index-failure-count']).toBe('1');
    await failPod(tc, retry.metadata?.name ?? '');
    await tc.tick('5s');
    expect((await job(tc)).status?.failedIndexes).toBe('0');
    await tc.tick('20s');
    const done = await job(tc);
    expect(done.status).toMatchObject({ completedIndexes: '1', failedIndexes: '0', succeeded: 1, failed: 2 });
    expect(conditions(done.status).at(-1)).toBe('Failed=True FailedIndexes: Job has failed indexes');
    tc.stop();
  });
});
