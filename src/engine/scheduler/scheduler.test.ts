import { afterEach, describe, expect, it } from 'vitest';
import { RESOURCES } from '../client/resources.ts';
import type { KubeObject } from '../client/rest/restClient.ts';
import { SchedulerTestCluster } from './testing/cluster.ts';
import { Scheduler } from './scheduler.ts';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';

let t: SchedulerTestCluster;
afterEach(() => t?.stop());

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('Scheduler', () => {
  it('binds a pod through the API and records the Scheduled event', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    await t.node('worker-1');
    await t.pod({ metadata: { name: 'web-0' } });
    await t.tick(1000);
    const pod = await t.get('web-0');
    expect(pod.spec?.nodeName).toBe('worker-1');
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status).toBe('True');
    const events = await t.events('web-0');
    expect(events.map((e) => [e.type, e.reason, e.message, e.source?.component])).toEqual([['Normal', 'Scheduled', 'Successfully assigned default/web-0 to worker-1', 'default-scheduler']]);
  });

  it('reports an unschedulable pod with upstream\'s message, event and PodScheduled condition', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    await t.node('control-plane', { taints: [CONTROL_PLANE_TAINT] });
    await t.node('worker-1', { cpu: '4' });
    await t.node('worker-2', { cpu: '4' });
    // Fill the workers with pods bound by name (as a kubelet's static pods would be).
    for (const n of ['worker-1', 'worker-2']) await t.pod({ metadata: { name: `busy-${n}` }, spec: { nodeName: n, containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '3' } } }] } });
    await t.pod({ metadata: { name: 'big' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '2' } } }] } });
    await t.tick(1000);
    const message =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const events = await t.events('big');
    expect(events.map((e) => [e.type, e.reason, e.message, e.source?.component])).toEqual([['Warning', 'FailedScheduling', message, 'default-scheduler']]);
    const pod = await t.get('big');
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
  });

  it('says so when there are no nodes, backs off 1s, 2s, 4s, 8s then 10s, and schedules once a node appears', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    await t.pod({ metadata: { name: 'early' } });
    await t.tick(36_000);
    const times = t.attempts.map((a) => (a.time - t.attempts[0]!.time) / 1000);
    expect(times).toEqual([0, 1, 3, 7, 15, 25, 35]);
    expect(t.attempts.every((a) => a.outcome.kind === 'Unschedulable' && a.outcome.message === 'no nodes available to schedule pods')).toBe(true);
    const events = await t.events('early');
    expect(events[0]).toMatchObject({ reason: 'FailedScheduling', message: 'no nodes available to schedule pods', count: 7 });
    await t.node('late');
    await t.tick(10_000);
    expect((await t.get('early')).spec?.nodeName).toBe('late');
  });

  it('leaves a pod rejected by a plugin waiting until a node that could fit it arrives', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    await t.node('hdd', { labels: { disktype: 'hdd' } });
    await t.pod({ metadata: { name: 'wants-ssd' }, spec: { containers: [], nodeSelector: { disktype: 'ssd' } } });
    await t.tick(60_000);
    expect(t.attempts).toHaveLength(1);
    expect(t.attempts[0]!.outcome).toMatchObject({ kind: 'Unschedulable', message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling." });
    // A node that does not match is no reason to retry; one that matches is.
    await t.node('hdd-2', { labels: { disktype: 'hdd' } });
    await t.tick(2000);
    expect(t.attempts).toHaveLength(1);
    // The lab's apiserver empties a new Node's status, so the node is seen first without allocatable
    // (one more attempt: "Too many pods") and then with it.
    await t.node('ssd', { labels: { disktype: 'ssd' } });
    await t.tick(2000);
    expect(t.attempts.map((a) => a.outcome.kind)).toEqual(['Unschedulable', 'Unschedulable', 'Scheduled']);
    expect(t.attempts[1]!.outcome).toMatchObject({ message: expect.stringContaining('1 Too many pods') });
    expect((await t.get('wants-ssd')).spec?.nodeName).toBe('ssd');
  });

  it('preempts a lower-priority pod: victim deleted, preemptor nominated, then bound', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    const pcs = t.admin.resource<KubeObject>(RESOURCES.priorityclasses);
    await pcs.create('', { metadata: { name: 'low' }, value: 10 } as KubeObject);
    await pcs.create('', { metadata: { name: 'high' }, value: 1000 } as KubeObject);
    await t.node('only', { cpu: '2' });
    const req = { requests: { cpu: '1500m' } };
    await t.pod({ metadata: { name: 'victim', labels: { app: 'batch' } }, spec: { priorityClassName: 'low', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', resources: req }] } });
    await t.tick(1000);
    expect((await t.get('victim')).spec?.nodeName).toBe('only');
    await t.pod({ metadata: { name: 'vip' }, spec: { priorityClassName: 'high', containers: [{ name: 'c', image: 'busybox', resources: req }] } });
    await t.tick(500);
    await expect(t.get('victim')).rejects.toMatchObject({ code: 404 });
    const victimEvents = await t.events('victim');
    const vip = await t.get('vip');
    expect(victimEvents.find((e) => e.reason === 'Preempted')?.message).toBe(`Preempted by pod ${vip.metadata?.uid} on node only`);
    expect(vip.status?.nominatedNodeName).toBe('only');
    expect((await t.events('vip')).find((e) => e.reason === 'FailedScheduling')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    await t.tick(2000);
    const bound = await t.get('vip');
    expect(bound.spec?.nodeName).toBe('only');
    expect(t.scheduler.explanation('default', 'vip')).toMatchObject({ nominatedNode: 'only', outcome: { kind: 'Scheduled', node: 'only' } });
  });

  it('keeps an explanation of each attempt: filter verdicts, raw, normalized and weighted scores, the pick', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    await t.node('cp', { taints: [CONTROL_PLANE_TAINT] });
    await t.node('a', { cpu: '4' });
    await t.node('b', { cpu: '8' });
    await t.pod({ metadata: { name: 'one' }, spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '2', memory: '1Gi' } } }] } });
    await t.tick(1000);
    const e = t.scheduler.explanation('default', 'one')!;
    expect(e).toMatchObject({ namespace: 'default', name: 'one', attempt: 1, profile: 'default-scheduler', nodesTotal: 3, nodesEvaluated: 3, outcome: { kind: 'Scheduled', node: 'b' } });
    expect(e.rejected).toEqual([{ node: 'cp', plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] }]);
    expect([...e.feasibleNodes].sort()).toEqual(['a', 'b']);
    const s = e.scores!;
    expect(s.plugins.map((p) => [p.plugin, p.weight])).toEqual([
      ['TaintToleration', 3],
      ['NodeResourcesFit', 1],
      ['NodeResourcesBalancedAllocation', 1],
      ['ImageLocality', 1],
    ]);
    const col = (plugin: string, node: string, what: 'raw' | 'normalized') => s.plugins.find((p) => p.plugin === plugin)![what][s.nodes.indexOf(node)];
    // LeastAllocated on b: cpu (8000-2000)/8000 → 75, memory (16Gi-1Gi)/16Gi → 93: 84. On a: 50 and 93: 71.
    expect([col('NodeResourcesFit', 'a', 'raw'), col('NodeResourcesFit', 'b', 'raw')]).toEqual([71, 84]);
    // No PreferNoSchedule taints: raw 0 everywhere, reversed to 100.
    expect([col('TaintToleration', 'a', 'raw'), col('TaintToleration', 'a', 'normalized')]).toEqual([0, 100]);
    for (const node of ['a', 'b']) {
      const i = s.nodes.indexOf(node);
      expect(s.totals[i]).toBe(s.plugins.reduce((sum, p) => sum + p.normalized[i]! * p.weight, 0));
    }
    expect(s.totals[s.nodes.indexOf('b')]).toBeGreaterThan(s.totals[s.nodes.indexOf('a')]!);
  });

  it('spreads pods of a ReplicaSet over nodes by the default topology spread constraints', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    for (const n of ['n1', 'n2', 'n3']) await t.node(n);
    const rs = await t.admin.resource<KubeObject>(RESOURCES.replicasets).create('default', {
      metadata: { name: 'web' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as KubeObject);
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata!.uid!, controller: true };
    for (let i = 0; i < 6; i++) await t.pod({ metadata: { name: `web-${i}`, labels: { app: 'web' }, ownerReferences: [owner] } });
    await t.tick(2000);
    const nodes = await Promise.all([0, 1, 2, 3, 4, 5].map(async (i) => (await t.get(`web-${i}`)).spec?.nodeName));
    const perNode = Object.fromEntries(['n1', 'n2', 'n3'].map((n) => [n, nodes.filter((x) => x === n).length]));
    expect(perNode).toEqual({ n1: 2, n2: 2, n3: 2 });
    expect(t.scheduler.explanation('default', 'web-5')!.scores!.plugins.map((p) => p.plugin)).toContain('PodTopologySpread');
  });

  it('does not schedule gated pods until the gates are removed', async () => {
    t = new SchedulerTestCluster();
    await t.start();
    await t.node('n1');
    await t.pod({ metadata: { name: 'gated' }, spec: { containers: [], schedulingGates: [{ name: 'example.com/wait' }] } });
    await t.tick(10_000);
    expect(t.attempts).toHaveLength(0);
    const pods = t.admin.resource<KubeObject>(RESOURCES.pods);
    await pods.patch('default', 'gated', 'json', [{ op: 'remove', path: '/spec/schedulingGates' }]);
    await t.tick(1000);
    expect((await t.get('gated')).spec?.nodeName).toBe('n1');
  });
});

describe('numFeasibleNodesToFind (schedule_one_test.go)', () => {
  const scheduler = (global?: number) =>
    new Scheduler({ transport: { request: () => Promise.reject(new Error('unused')) }, clock: new Clock(), rng: new SeededRng(1), config: { percentageOfNodesToScore: global } });
  it.each<[string, number | undefined, number | undefined, number, number]>([
    ['nodes below 100: all of them', undefined, undefined, 10, 10],
    ['profile percentage, few nodes: all of them', undefined, 40, 10, 10],
    ['adaptive: 50 - 1000/125 = 42%', undefined, undefined, 1000, 420],
    ['profile percentage', undefined, 40, 1000, 400],
    ['profile over global', 100, 70, 1000, 700],
    ['global percentage', 40, undefined, 1000, 400],
    ['adaptive floor 5%', undefined, undefined, 6000, 300],
    ['profile percentage, many nodes', undefined, 40, 6000, 2400],
    ['at least 100', undefined, 5, 1500, 100],
  ])('%s', (_name, global, profile, numAllNodes, want) => {
    expect(scheduler(global).numFeasibleNodesToFind(profile, numAllNodes)).toBe(want);
  });
});
