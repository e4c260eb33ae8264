import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { slowStartBatch } from './replicaSet.ts';

const RS = (replicas: number, extra = '') => `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      nodeName: worker-1
      containers:
      - name: nginx
        image: nginx:1.27
${extra}`;

type PodObject = Pod & KubeObject;
type RsObject = ReplicaSet & KubeObject;

async function cluster() {
  return TestCluster.start({ nodes: 1, controllers: ['replicaset-controller', 'serviceaccount-controller'] });
}

describe('ReplicaSet controller', () => {
  it('creates the missing pods with generated names, owned by the ReplicaSet, and reports status', async () => {
    const tc = await cluster();
    await tc.apply(RS(3));
    await tc.tick('5s');
    const pods = await tc.list<PodObject>('pods');
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata?.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true, blockOwnerDeletion: true })]);
      expect(pod.status?.phase).toBe('Running');
    }
    const rs = await tc.get<RsObject>('replicasets', 'web');
    expect(rs?.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const events = await tc.events('default', 'web');
    expect(events.filter((e) => e.startsWith('SuccessfulCreate: Created pod: web-'))).toHaveLength(3);
    tc.stop();
  });

  it('replaces a deleted pod and deletes the surplus on scale-down, not-ready pods first', async () => {
    const tc = await cluster();
    await tc.apply(RS(2));
    await tc.tick('5s');
    const [first] = await tc.list<PodObject>('pods');
    await tc.client.resource({ group: '', version: 'v1', resource: 'pods', namespaced: true }).delete('default', first!.metadata!.name!, { gracePeriodSeconds: 0 });
    await tc.tick('5s');
    const after = await tc.list<PodObject>('pods');
    expect(after).toHaveLength(2);
    expect(after.map((p) => p.metadata?.name)).not.toContain(first!.metadata!.name);

    // Scale to 3: the new pod is Pending for a moment; scaling back to 2 right away deletes that one.
    const rs = (await tc.get<RsObject>('replicasets', 'web'))!;
    await tc.client.resource({ group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true }).patch('default', 'web', 'merge', { spec: { replicas: 3 } });
    await tc.tick(10);
    const three = await tc.list<PodObject>('pods');
    expect(three).toHaveLength(3);
    const newest = three.find((p) => !after.some((a) => a.metadata?.name === p.metadata?.name))!;
    expect(newest.status?.phase ?? 'Pending').toBe('Pending');
    await tc.client.resource({ group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true }).patch('default', 'web', 'merge', { spec: { replicas: 2 } });
    await tc.tick('5s');
    const final = await tc.list<PodObject>('pods');
    expect(final.map((p) => p.metadata?.name).sort()).toEqual(after.map((p) => p.metadata?.name).sort());
    expect(rs.metadata?.uid).toBeTruthy();
    tc.stop();
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    const tc = await cluster();
    await tc.apply(`apiVersion: v1
kind: Pod
metadata:
  name: stray
  labels:
    app: web
spec:
  nodeName: worker-1
  containers:
  - name: nginx
    image: nginx
`);
    await tc.apply(RS(2));
    await tc.tick('5s');
    const pods = await tc.list<PodObject>('pods');
    expect(pods).toHaveLength(2);
    const stray = pods.find((p) => p.metadata?.name === 'stray')!;
    expect(stray.metadata?.ownerReferences?.[0]?.name).toBe('web');

    await tc.client.resource({ group: '', version: 'v1', resource: 'pods', namespaced: true }).patch('default', 'stray', 'merge', { metadata: { labels: { app: 'other' } } });
    await tc.tick('5s');
    const released = await tc.get<PodObject>('pods', 'stray');
    expect(released?.metadata?.ownerReferences).toBeUndefined();
    expect(await tc.list('pods', 'default', 'app=web')).toHaveLength(2);
    tc.stop();
  });

  it('records ReplicaFailure when pods cannot be created, and backs off instead of spinning', async () => {
    const tc = await cluster();
    await tc.apply(`apiVersion: v1
kind: ResourceQuota
metadata:
  name: two-pods
spec:
  hard:
    pods: "1"
`);
    await tc.tick('1s');
    await tc.apply(RS(3));
    await tc.tick('10s');
    expect(await tc.list('pods')).toHaveLength(1);
    const rs = await tc.get<RsObject>('replicasets', 'web');
    const failure = rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(failure?.message).toContain('exceeded quota: two-pods');
    const failed = (await tc.events('default', 'web')).filter((e) => e.startsWith('FailedCreate: Error creating: pods "web-'));
    expect(failed.length).toBeGreaterThan(0);
    tc.stop();
  });
});

describe('slowStartBatch', () => {
  it.each([
    [10, 10, 0, [1, 2, 4, 3]],
    [10, 2, 2, [1, 2]],
    [1, 1, 0, [1]],
  ])('count %i stops after the failing batch', async (count, failAt, expectedSuccesses, batches) => {
    const seen: number[] = [];
    let calls = 0;
    let inBatch = 0;
    const fn = async () => {
      const call = ++calls;
      inBatch++;
      await Promise.resolve();
      if (inBatch) {
        seen.push(inBatch);
        inBatch = 0;
      }
      if (call > failAt) throw new Error('boom');
    };
    const result = await slowStartBatch(count, 1, fn);
    expect(seen).toEqual(batches);
    expect(result.successes).toBe(failAt >= count ? count : expectedSuccesses);
  });
});
