import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { TestCluster } from '../../testing/testCluster.ts';

type NodeObject = Node & KubeObject;
type PodObject = Pod & KubeObject;

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  nodeName: worker-1
  containers:
  - name: app
    image: nginx
`;

describe('node lifecycle and taint eviction', () => {
  it('a silent node goes Unknown after the grace period, is tainted, and its pods are evicted after 300s', async () => {
    const tc = await TestCluster.start({ nodes: 3, controllers: ['node-lifecycle-controller', 'taint-eviction-controller', 'serviceaccount-controller'] });
    await tc.apply(POD);
    await tc.tick('10s');
    expect((await tc.get<PodObject>('pods', 'app'))?.status?.phase).toBe('Running');
    await tc.sh('lab node fail worker-1');

    await tc.tick('45s');
    let node = await tc.get<NodeObject>('nodes', 'worker-1');
    expect(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');

    await tc.tick('20s');
    node = await tc.get<NodeObject>('nodes', 'worker-1');
    const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(node?.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort()).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const pod = await tc.get<PodObject>('pods', 'app');
    expect(pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(await tc.events('default', 'app')).toContain('NodeNotReady: Node is not ready');
    expect(await tc.events('default', 'worker-1')).toContain('NodeNotReady: Node worker-1 status is now: NodeNotReady');

    // DefaultTolerationSeconds gave the pod 300s of tolerance for unreachable.
    await tc.tick('240s');
    expect((await tc.get<PodObject>('pods', 'app'))?.metadata?.deletionTimestamp).toBeUndefined();
    await tc.tick('70s');
    const evicted = await tc.get<PodObject>('pods', 'app');
    expect(evicted?.metadata?.deletionTimestamp).toBeTruthy();
    expect(evicted?.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager' });
    expect(await tc.events('default', 'app')).toContain('TaintManagerEviction: Marking for deletion Pod default/app');

    // Back again: conditions and taints recover.
    await tc.sh('lab node recover worker-1');
    await tc.tick('10s');
    node = await tc.get<NodeObject>('nodes', 'worker-1');
    expect(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node?.spec?.taints ?? []).toEqual([]);
    tc.stop();
  });

  it('does not evict when every node is down (the controller suspects itself)', async () => {
    const tc = await TestCluster.start({ nodes: 2, controllers: ['node-lifecycle-controller', 'taint-eviction-controller'] });
    await tc.sh('lab node fail worker-1; lab node fail worker-2');
    await tc.tick('90s');
    const node = await tc.get<NodeObject>('nodes', 'worker-1');
    expect(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    expect(node?.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    tc.stop();
  });

  it('taints a cordoned node unschedulable', async () => {
    const tc = await TestCluster.start({ nodes: 1, controllers: ['node-lifecycle-controller'] });
    await tc.sh('kubectl cordon worker-1');
    await tc.tick('10s');
    expect((await tc.get<NodeObject>('nodes', 'worker-1'))?.spec?.taints).toEqual([{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: expect.any(String) }]);
    tc.stop();
  });
});

describe('a node failure, end to end', () => {
  it('NotReady → tainted → pods evicted after 300s and replaced on another node by the ReplicaSet and the scheduler', async () => {
    const tc = await TestCluster.start({ nodes: 2, scheduler: true, controllers: ['node-lifecycle-controller', 'taint-eviction-controller', 'replicaset-controller', 'serviceaccount-controller'] });
    await tc.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
`);
    await tc.tick('10s');
    const before = await tc.list<PodObject>('pods');
    expect(before.every((p) => p.status?.phase === 'Running')).toBe(true);
    const onFailing = before.filter((p) => p.spec?.nodeName === 'worker-1').map((p) => p.metadata?.name);
    expect(onFailing.length).toBeGreaterThan(0);
    await tc.sh('lab node fail worker-1');
    // 50s of silence, up to 5s until the monitor looks, 300s of tolerance, then a moment to start again.
    await tc.tick('6m');
    expect((await tc.list<PodObject>('pods')).filter((p) => p.metadata?.deletionTimestamp)).toHaveLength(onFailing.length);
    await tc.tick('10s');
    const after = await tc.list<PodObject>('pods');
    const live = after.filter((p) => !p.metadata?.deletionTimestamp);
    expect(live).toHaveLength(4);
    expect(live.map((p) => `${p.spec?.nodeName}/${p.status?.phase}`)).toEqual(Array(4).fill("worker-2/Running"));
    // The evicted pods stay Terminating: their kubelet is gone and cannot confirm.
    expect(after.filter((p) => p.metadata?.deletionTimestamp).map((p) => p.metadata?.name).sort()).toEqual(onFailing.sort());
    tc.stop();
  });
});
