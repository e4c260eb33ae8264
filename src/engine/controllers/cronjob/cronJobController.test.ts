import { describe, expect, it } from 'vitest';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

type JobObject = Job & KubeObject;
type CronJobObject = CronJob & KubeObject;

/** A CronJob; `extra` is indented spec YAML. Its pods run on worker-1 (no scheduler here). */
const CRONJOB = (name: string, schedule: string, extra = '') => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: ${name}
spec:
  schedule: "${schedule}"
${extra}
  jobTemplate:
    metadata:
      labels:
        app: ${name}
    spec:
      template:
        spec:
          nodeName: worker-1
          restartPolicy: Never
          containers:
          - name: main
            image: busybox
`;

/** The Job name for a start time: `<cronjob>-<minutes since the epoch>`. */
const jobName = (cronjob: string, iso: string) => `${cronjob}-${Date.parse(iso) / 60_000}`;

async function jobsOf(tc: TestCluster, cronjob: string): Promise<JobObject[]> {
  return (await tc.list<JobObject>('jobs')).filter((j) => j.metadata?.ownerReferences?.[0]?.name === cronjob).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

async function names(tc: TestCluster, cronjob: string): Promise<string[]> {
  return (await jobsOf(tc, cronjob)).map((j) => j.metadata?.name ?? '');
}

describe('CronJob controller', () => {
  it('starts Jobs at each schedule time over a simulated day: steps, descriptors, weekdays, DOM/DOW and time zones', async () => {
    // Saturday 31 January 2026, 23:59 UTC, to Monday 2 February 00:01: a Sunday the 1st, then a Monday.
    const tc = await TestCluster.start({ controllers: ['cronjob-controller'], startTime: Date.UTC(2026, 0, 31, 23, 59) });
    await tc.apply(
      [
        CRONJOB('quarter', '*/15 * * * *'),
        CRONJOB('hourly', '@hourly'),
        CRONJOB('weekdays', '0 9 * * 1-5'),
        CRONJOB('first-or-monday', '0 0 1 * 1'),
        CRONJOB('tokyo', '0 9 * * 1-5', '  timeZone: Asia/Tokyo'),
      ].join('---\n'),
    );
    await tc.tick('24h');
    await tc.tick('2m');

    const quarter = await names(tc, 'quarter');
    expect(quarter).toHaveLength(97);
    expect(quarter[0]).toBe(jobName('quarter', '2026-02-01T00:00:00Z'));
    expect(quarter.at(-1)).toBe(jobName('quarter', '2026-02-02T00:00:00Z'));
    expect(await names(tc, 'hourly')).toEqual(Array.from({ length: 25 }, (_, h) => jobName('hourly', new Date(Date.UTC(2026, 1, 1, h)).toISOString())));
    // Sunday is not a weekday.
    expect(await names(tc, 'weekdays')).toEqual([]);
    // The 1st (a Sunday) by day of month, the 2nd by day of week.
    expect(await names(tc, 'first-or-monday')).toEqual([jobName('first-or-monday', '2026-02-01T00:00:00Z'), jobName('first-or-monday', '2026-02-02T00:00:00Z')]);
    // Monday 09:00 in Tokyo is Monday 00:00 UTC.
    const [tokyo] = await jobsOf(tc, 'tokyo');
    expect(tokyo?.metadata?.name).toBe(jobName('tokyo', '2026-02-02T00:00:00Z'));
    expect(tokyo?.metadata?.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-02-02T09:00:00+09:00' });
    expect(tokyo?.metadata?.labels?.app).toBe('tokyo');
    const cj = await tc.get<CronJobObject>('cronjobs', 'tokyo');
    expect(tokyo?.metadata?.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tokyo', uid: cj?.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    expect(cj?.status?.lastScheduleTime).toBe('2026-02-02T00:00:00Z');
    expect(cj?.status?.active).toEqual([{ kind: 'Job', namespace: 'default', name: tokyo?.metadata?.name, uid: tokyo?.metadata?.uid, apiVersion: 'batch/v1', resourceVersion: expect.any(String) }]);
    expect(await tc.events('default', 'tokyo')).toEqual([`SuccessfulCreate: Created job ${tokyo?.metadata?.name}`]);
    tc.stop();
  }, 120_000);

  describe('concurrency policies, with a Job that runs 7 minutes every 5 minutes', () => {
    async function run(policy: string, extra = '') {
      const tc = await TestCluster.start({
        nodes: 1,
        controllers: ['cronjob-controller', 'job-controller', 'serviceaccount-controller', 'garbage-collector-controller'],
        nodeDelays: { ready: 1_000, complete: 7 * 60_000, delete: 1_000, jitter: 0 },
      });
      await tc.apply(CRONJOB('hello', '*/5 * * * *', `  concurrencyPolicy: ${policy}\n${extra}`));
      return tc;
    }

    it('Allow runs them side by side', async () => {
      const tc = await run('Allow');
      await tc.tick('11m');
      expect(await names(tc, 'hello')).toEqual([jobName('hello', '2026-01-01T00:05:00Z'), jobName('hello', '2026-01-01T00:10:00Z')]);
      expect((await tc.get<CronJobObject>('cronjobs', 'hello'))?.status?.active).toHaveLength(2);
      tc.stop();
    });

    it('Forbid skips a start while a Job runs, then starts the missed one late', async () => {
      const tc = await run('Forbid');
      await tc.tick('11m');
      expect(await names(tc, 'hello')).toEqual([jobName('hello', '2026-01-01T00:05:00Z')]);
      expect(await tc.events('default', 'hello')).toContain('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid');
      // The first Job finishes at 00:12:01; the 00:10 start is still unmet, so it runs now.
      await tc.tick('2m');
      const jobs = await jobsOf(tc, 'hello');
      expect(jobs.map((j) => j.metadata?.name)).toEqual([jobName('hello', '2026-01-01T00:05:00Z'), jobName('hello', '2026-01-01T00:10:00Z')]);
      expect(jobs[1]?.metadata?.creationTimestamp).toBe('2026-01-01T00:12:02Z');
      expect(jobs[1]?.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2026-01-01T00:10:00Z');
      const events = await tc.events('default', 'hello');
      expect(events).toContain(`SawCompletedJob: Saw completed job: ${jobName('hello', '2026-01-01T00:05:00Z')}, status: Complete`);
      tc.stop();
    });

    it('Forbid with startingDeadlineSeconds gives up on a start it is too late for', async () => {
      const tc = await run('Forbid', '  startingDeadlineSeconds: 60');
      await tc.tick('14m');
      expect(await names(tc, 'hello')).toEqual([jobName('hello', '2026-01-01T00:05:00Z')]);
      await tc.tick('2m');
      expect(await names(tc, 'hello')).toEqual([jobName('hello', '2026-01-01T00:05:00Z'), jobName('hello', '2026-01-01T00:15:00Z')]);
      const cj = await tc.get<CronJobObject>('cronjobs', 'hello');
      expect(cj?.status?.lastScheduleTime).toBe('2026-01-01T00:15:00Z');
      expect(cj?.status?.lastSuccessfulTime).toBe('2026-01-01T00:12:02Z');
      tc.stop();
    });

    it('Replace deletes the running Job and starts the new one', async () => {
      const tc = await run('Replace');
      await tc.tick('6m');
      const [first] = await names(tc, 'hello');
      await tc.tick('5m');
      const second = jobName('hello', '2026-01-01T00:10:00Z');
      expect(await names(tc, 'hello')).toEqual([second]);
      const events = await tc.events('default', 'hello');
      expect(events).toEqual([`SuccessfulCreate: Created job ${first}`, `SuccessfulDelete: Deleted job ${first}`, `SuccessfulCreate: Created job ${second}`]);
      expect((await tc.get<CronJobObject>('cronjobs', 'hello'))?.status?.active?.map((r) => r.name)).toEqual([second]);
      // Background propagation: the garbage collector takes the old Job's pod too.
      expect((await tc.list('pods')).map((p) => p.metadata?.labels?.['job-name'])).toEqual([second]);
      tc.stop();
    });
  });

  it('keeps successfulJobsHistoryLimit / failedJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    const tc = await TestCluster.start({
      nodes: 1,
      controllers: ['cronjob-controller', 'job-controller', 'serviceaccount-controller', 'garbage-collector-controller'],
      nodeDelays: { ready: 1_000, complete: 5_000, delete: 1_000, jitter: 0 },
    });
    await tc.apply(CRONJOB('ok', '* * * * *', '  successfulJobsHistoryLimit: 2'));
    // Its Jobs fail: a 2s deadline, and pods that take 5s.
    await tc.apply(
      CRONJOB('bad', '* * * * *', '  failedJobsHistoryLimit: 1').replace('      template:\n', '      activeDeadlineSeconds: 2\n      backoffLimit: 0\n      template:\n'),
    );
    await tc.tick('330s');
    expect(await names(tc, 'ok')).toEqual([jobName('ok', '2026-01-01T00:04:00Z'), jobName('ok', '2026-01-01T00:05:00Z')]);
    expect(await names(tc, 'bad')).toEqual([jobName('bad', '2026-01-01T00:05:00Z')]);
    const okEvents = await tc.events('default', 'ok');
    expect(okEvents.filter((e) => e.startsWith('SuccessfulDelete'))).toEqual([`SuccessfulDelete: Deleted job ${jobName('ok', '2026-01-01T00:01:00Z')}`, `SuccessfulDelete: Deleted job ${jobName('ok', '2026-01-01T00:02:00Z')}`, `SuccessfulDelete: Deleted job ${jobName('ok', '2026-01-01T00:03:00Z')}`]);
    const badEvents = await tc.events('default', 'bad');
    expect(badEvents).toContain(`SawCompletedJob: Saw completed job: ${jobName('bad', '2026-01-01T00:01:00Z')}, status: Failed`);
    expect(badEvents.filter((e) => e.startsWith('SuccessfulDelete'))).toHaveLength(4);
    const ok = await tc.get<CronJobObject>('cronjobs', 'ok');
    expect(ok?.status?.lastSuccessfulTime).toBe('2026-01-01T00:05:07Z');
    expect(ok?.status?.active).toBeUndefined();
    tc.stop();
  }, 60_000);

  it('warns TooManyMissedTimes after more than 100 missed starts, and still starts the most recent one', async () => {
    const tc = await TestCluster.start({ controllers: ['cronjob-controller'] });
    await tc.apply(CRONJOB('hello', '* * * * *', '  suspend: true'));
    await tc.tick('2h');
    expect(await names(tc, 'hello')).toEqual([]);
    await tc.client.resource<CronJobObject>(RESOURCES.cronjobs).patch('default', 'hello', 'merge', { spec: { suspend: false } });
    await tc.tick('10s');
    expect(await names(tc, 'hello')).toEqual([jobName('hello', '2026-01-01T02:00:00Z')]);
    expect(await tc.events('default', 'hello')).toEqual([
      'TooManyMissedTimes: too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      `SuccessfulCreate: Created job ${jobName('hello', '2026-01-01T02:00:00Z')}`,
    ]);
    await tc.tick('1m');
    expect(await names(tc, 'hello')).toHaveLength(2);
    tc.stop();
  }, 60_000);
});
