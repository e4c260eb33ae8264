import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

const RS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web
spec:
  replicas: 2
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
        image: nginx
`;

async function clusterWithReplicaSet() {
  const tc = await TestCluster.start({ nodes: 1, controllers: ['replicaset-controller', 'serviceaccount-controller', 'garbage-collector-controller'] });
  await tc.apply(RS);
  await tc.tick('5s');
  expect(await tc.list('pods')).toHaveLength(2);
  return tc;
}

const replicasets = () => RESOURCES.replicasets;

describe('garbage collector', () => {
  it('background deletion: the ReplicaSet goes at once, its pods after', async () => {
    const tc = await clusterWithReplicaSet();
    await tc.client.resource(replicasets()).delete('default', 'web', { propagationPolicy: 'Background' });
    expect(await tc.get('replicasets', 'web')).toBeUndefined();
    await tc.tick('5s');
    expect(await tc.list('pods')).toHaveLength(0);
    tc.stop();
  });

  it('foreground deletion: the ReplicaSet waits with the foregroundDeletion finalizer until its pods are gone', async () => {
    const tc = await clusterWithReplicaSet();
    await tc.client.resource(replicasets()).delete('default', 'web', { propagationPolicy: 'Foreground' });
    await tc.tick(1);
    const waiting = await tc.get<KubeObject>('replicasets', 'web');
    expect(waiting?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(waiting?.metadata?.deletionTimestamp).toBeTruthy();
    await tc.tick('10s');
    expect(await tc.list('pods')).toHaveLength(0);
    expect(await tc.get('replicasets', 'web')).toBeUndefined();
    tc.stop();
  });

  it('foreground deletion down a chain: each owner waits for the level below; the leaves go in the background', async () => {
    const tc = await TestCluster.start({ controllers: ['garbage-collector-controller'] });
    const [top] = await tc.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\n');
    const [mid] = await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: mid
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: top, uid: ${top!.metadata!.uid}, controller: true, blockOwnerDeletion: true}
`);
    await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: leaf
  finalizers: [example.com/hold]
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: mid, uid: ${mid!.metadata!.uid}, controller: true, blockOwnerDeletion: true}
`);
    await tc.tick('1s');
    await tc.client.resource(RESOURCES.configmaps).delete('default', 'top', { propagationPolicy: 'Foreground' });
    await tc.tick('5s');
    const waitingTop = await tc.get<KubeObject>('configmaps', 'top');
    expect(waitingTop?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    const waitingMid = await tc.get<KubeObject>('configmaps', 'mid');
    expect(waitingMid?.metadata?.deletionTimestamp).toBeTruthy();
    expect(waitingMid?.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(waitingMid?.metadata?.ownerReferences).toEqual([expect.objectContaining({ name: 'top', blockOwnerDeletion: true })]);
    const leaf = await tc.get<KubeObject>('configmaps', 'leaf');
    expect(leaf?.metadata?.deletionTimestamp).toBeTruthy();
    expect(leaf?.metadata?.finalizers).toEqual(['example.com/hold']);
    await tc.client.resource(RESOURCES.configmaps).patch('default', 'leaf', 'merge', { metadata: { finalizers: null } });
    await tc.tick('5s');
    for (const name of ['leaf', 'mid', 'top']) expect(await tc.get('configmaps', name)).toBeUndefined();
    tc.stop();
  });

  it('orphan deletion: the pods stay, without their ownerReference', async () => {
    const tc = await clusterWithReplicaSet();
    await tc.client.resource(replicasets()).delete('default', 'web', { propagationPolicy: 'Orphan' });
    await tc.tick('5s');
    expect(await tc.get('replicasets', 'web')).toBeUndefined();
    const pods = await tc.list<KubeObject>('pods');
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(pod.metadata?.ownerReferences).toBeUndefined();
    tc.stop();
  });

  it('deletes an object whose owner never existed, keeps one with a living owner, and prunes dead references', async () => {
    const tc = await TestCluster.start({ controllers: ['garbage-collector-controller'] });
    const [owner] = await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: owner
`);
    const uid = owner!.metadata!.uid!;
    await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: orphaned
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: ghost
    uid: 00000000-0000-4000-8000-000000000000
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kept
  ownerReferences:
  - apiVersion: v1
    kind: ConfigMap
    name: owner
    uid: ${uid}
  - apiVersion: v1
    kind: ConfigMap
    name: ghost
    uid: 00000000-0000-4000-8000-000000000000
`);
    await tc.tick('5s');
    expect(await tc.get('configmaps', 'orphaned')).toBeUndefined();
    const kept = await tc.get<KubeObject>('configmaps', 'kept');
    expect((kept?.metadata?.ownerReferences as Array<{ name: string }>).map((r) => r.name)).toEqual(['owner']);
    tc.stop();
  });

  it('a cycle of ownerReferences is collected once its members are deleted, without spinning', async () => {
    const tc = await TestCluster.start({ controllers: ['garbage-collector-controller'] });
    const errors: unknown[] = [];
    tc.cluster.controllerManager!.onDidError((e) => errors.push(e));
    const [a] = await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: a
`);
    const [b] = await tc.apply(`apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: a, uid: ${a!.metadata!.uid}, blockOwnerDeletion: true}
`);
    await tc.client.resource(RESOURCES.configmaps).patch('default', 'a', 'merge', { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: b!.metadata!.uid, blockOwnerDeletion: true }] } });
    await tc.tick('5s');
    expect(await tc.get('configmaps', 'a')).toBeDefined();
    await tc.client.resource(RESOURCES.configmaps).delete('default', 'a', { propagationPolicy: 'Foreground' });
    await tc.tick('1m');
    expect(await tc.get('configmaps', 'a')).toBeUndefined();
    expect(await tc.get('configmaps', 'b')).toBeUndefined();
    expect(errors.length).toBeLessThan(20);
    tc.stop();
  });
});
