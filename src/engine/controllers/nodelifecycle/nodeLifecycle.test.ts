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
