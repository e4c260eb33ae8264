import { describe, expect, it } from 'vitest';
import type { ControllerRevision, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Event, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { wireStatus } from './statefulSet.ts';

type PodObject = Pod & KubeObject;
type StsObject = StatefulSet & KubeObject;
type RevisionObject = ControllerRevision & KubeObject;
type ClaimObject = PersistentVolumeClaim & KubeObject;
type EventObject = Event & KubeObject;

interface StsOptions {
  replicas?: number;
  image?: string;
  /** More lines of spec, indented by two spaces. */
  spec?: string;
}

function stsYaml({ replicas = 3, image = 'nginx:1.27', spec = '' }: StsOptions = {}): string {
  return `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: ${replicas}
  selector:
    matchLabels:
      app: nginx
${spec}  template:
    metadata:
      labels:
        app: nginx
    spec:
      nodeName: worker-1
      containers:
      - name: nginx
        image: ${image}
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
`;
}

const READY_MS = 2000;

async function start(controllers: string[] = []): Promise<TestCluster> {
  const tc = await TestCluster.start({ nodes: 1, controllers: ['statefulset-controller', 'serviceaccount-controller', ...controllers], nodeDelays: { ready: READY_MS, delete: 1000, jitter: 0 } });
  return tc;
}

/** The pods by name, with `name:phase` and a `-` for a pod being deleted. */
async function podStates(tc: TestCluster): Promise<string[]> {
  const pods = await tc.list<PodObject>('pods');
  return pods.map((p) => `${p.metadata?.name}:${p.status?.phase}${p.metadata?.deletionTimestamp ? '-' : ''}`).sort();
}

async function pod(tc: TestCluster, name: string): Promise<PodObject> {
  return (await tc.get<PodObject>('pods', name))!;
}

async function sts(tc: TestCluster): Promise<StsObject> {
  return (await tc.get<StsObject>('statefulsets', 'web'))!;
}

async function patchSts(tc: TestCluster, patch: unknown): Promise<void> {
  await tc.client.resource(RESOURCES.statefulsets).patch('default', 'web', 'merge', patch);
}

function image(p: PodObject): string | undefined {
  return p.spec?.containers[0]?.image;
}

async function revisions(tc: TestCluster): Promise<RevisionObject[]> {
  return (await tc.list<RevisionObject>('controllerrevisions')).sort((a, b) => a.revision - b.revision);
}

/** The events of the set that are about pods being created or deleted, in order. */
async function podEvents(tc: TestCluster): Promise<string[]> {
  return (await tc.events('default', 'web')).filter((e) => / Pod web-\d+ in StatefulSet web /.test(e));
}

describe('StatefulSet controller', () => {
  it('creates web-0, web-1, web-2 in order, each once the one before is Running and Ready, with identity and storage', async () => {
    const tc = await start();
    const syncErrors: unknown[] = [];
    tc.cluster.controllerManager?.onDidError((e) => syncErrors.push(e.error));
    await tc.apply(stsYaml());
    await tc.tick(500);
    expect(await podStates(tc)).toEqual(['web-0:Pending']);
    await tc.tick(READY_MS);
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Pending']);
    const web0 = await pod(tc, 'web-0');
    const web1 = await pod(tc, 'web-1');
    const readyAt = web0.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    expect(Date.parse(web1.metadata!.creationTimestamp!)).toBeGreaterThanOrEqual(Date.parse(readyAt!));
    await tc.tick('5s');
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Running', 'web-2:Running']);

    const set = await sts(tc);
    const [revision] = await revisions(tc);
    expect(revision?.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(web1.metadata).toMatchObject({
      generateName: 'web-',
      labels: { app: 'nginx', 'controller-revision-hash': revision!.metadata!.name, 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata!.uid, controller: true, blockOwnerDeletion: true }],
    });
    expect(web1.spec).toMatchObject({ hostname: 'web-1', subdomain: 'nginx' });
    expect(web1.spec?.volumes?.[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } });

    // The claims exist before their pods and stay Pending: nothing provisions volumes for them.
    const claims = await tc.list<ClaimObject>('persistentvolumeclaims');
    expect(claims.map((c) => [c.metadata?.name, c.status?.phase, c.metadata?.labels, c.metadata?.ownerReferences])).toEqual([
      ['www-web-0', 'Pending', { app: 'nginx' }, undefined],
      ['www-web-1', 'Pending', { app: 'nginx' }, undefined],
      ['www-web-2', 'Pending', { app: 'nginx' }, undefined],
    ]);
    expect(await tc.events('default', 'web')).toEqual([
      'SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-0 in StatefulSet web successful',
      'SuccessfulCreate: create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-1 in StatefulSet web successful',
      'SuccessfulCreate: create Claim www-web-2 Pod web-2 in StatefulSet web success',
      'SuccessfulCreate: create Pod web-2 in StatefulSet web successful',
    ]);
    expect(set.status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      currentRevision: revision!.metadata!.name,
      updateRevision: revision!.metadata!.name,
      collisionCount: 0,
      availableReplicas: 3,
    });
    expect(syncErrors).toEqual([]);
    tc.stop();
  });

  it('scales down from the highest ordinal, one pod at a time, and keeps the claims', async () => {
    const tc = await start();
    await tc.apply(stsYaml());
    await tc.tick('10s');
    expect((await tc.sh('kubectl scale statefulset web --replicas=1')).stdout).toBe('statefulset.apps/web scaled\n');
    await tc.tick(100);
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Running', 'web-2:Running-']);
    await tc.tick(1000);
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Running-']);
    await tc.tick('5s');
    expect(await podStates(tc)).toEqual(['web-0:Running']);
    expect((await podEvents(tc)).filter((e) => e.startsWith('SuccessfulDelete'))).toEqual(['SuccessfulDelete: delete Pod web-2 in StatefulSet web successful', 'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful']);
    expect((await tc.list('persistentvolumeclaims')).map((c) => c.metadata?.name)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    expect((await sts(tc)).status).toMatchObject({ replicas: 1, readyReplicas: 1, currentReplicas: 1, availableReplicas: 1 });
    tc.stop();
  });

  it('creates and deletes all at once with podManagementPolicy Parallel', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ spec: '  podManagementPolicy: Parallel\n' }));
    await tc.tick(500);
    expect(await podStates(tc)).toEqual(['web-0:Pending', 'web-1:Pending', 'web-2:Pending']);
    await tc.tick('5s');
    await patchSts(tc, { spec: { replicas: 1 } });
    await tc.tick(100);
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Running-', 'web-2:Running-']);
    tc.stop();
  });

  it('rolls an update from the highest ordinal down, stopping at the partition', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ spec: '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      partition: 2\n' }));
    await tc.tick('10s');
    const [first] = await revisions(tc);
    await patchSts(tc, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    await tc.tick('10s');
    const [, second] = await revisions(tc);
    expect((await revisions(tc)).map((r) => [r.metadata?.name, r.revision])).toEqual([
      [first!.metadata!.name, 1],
      [second!.metadata!.name, 2],
    ]);
    const images = async () => Promise.all(['web-0', 'web-1', 'web-2'].map(async (n) => image(await pod(tc, n))));
    expect(await images()).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.28']);
    expect((await pod(tc, 'web-2')).metadata?.labels?.['controller-revision-hash']).toBe(second!.metadata!.name);
    expect((await sts(tc)).status).toMatchObject({ replicas: 3, currentReplicas: 2, updatedReplicas: 1, currentRevision: first!.metadata!.name, updateRevision: second!.metadata!.name });

    await patchSts(tc, { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await tc.tick(100);
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Running-', 'web-2:Running']);
    await tc.tick('15s');
    expect(await images()).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    expect((await podEvents(tc)).filter((e) => e.startsWith('SuccessfulDelete'))).toEqual([
      'SuccessfulDelete: delete Pod web-2 in StatefulSet web successful',
      'SuccessfulDelete: delete Pod web-1 in StatefulSet web successful',
      'SuccessfulDelete: delete Pod web-0 in StatefulSet web successful',
    ]);
    expect((await sts(tc)).status).toMatchObject({ currentReplicas: 3, updatedReplicas: 3, currentRevision: second!.metadata!.name, updateRevision: second!.metadata!.name });

    // Rolling back to the first template renumbers its revision instead of making a copy.
    await patchSts(tc, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } });
    await tc.tick('20s');
    expect((await revisions(tc)).map((r) => [r.metadata?.name, r.revision])).toEqual([
      [second!.metadata!.name, 2],
      [first!.metadata!.name, 3],
    ]);
    expect(await images()).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    tc.stop();
  });

  it('with maxUnavailable 2, replaces two pods at a time, highest ordinals first', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ replicas: 4, spec: '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: 2\n' }));
    await tc.tick('15s');
    await patchSts(tc, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    await tc.tick(100);
    expect(await podStates(tc)).toEqual(['web-0:Running', 'web-1:Running', 'web-2:Running-', 'web-3:Running-']);
    await tc.tick('20s');
    expect((await tc.list<PodObject>('pods')).map(image)).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
    tc.stop();
  });

  it('with OnDelete, updates a pod only when someone deletes it', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ spec: '  updateStrategy:\n    type: OnDelete\n' }));
    await tc.tick('10s');
    await patchSts(tc, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    await tc.tick('30s');
    expect((await tc.list<PodObject>('pods')).map(image)).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    // updatedReplicas is 0, and the apiserver leaves zero counts out.
    expect((await sts(tc)).status).toMatchObject({ currentReplicas: 3 });
    expect((await sts(tc)).status?.updatedReplicas).toBeUndefined();
    await tc.sh('kubectl delete pod web-1 --wait=false');
    await tc.tick('10s');
    expect((await tc.list<PodObject>('pods')).map(image)).toEqual(['nginx:1.27', 'nginx:1.28', 'nginx:1.27']);
    expect((await sts(tc)).status).toMatchObject({ replicas: 3, currentReplicas: 2, updatedReplicas: 1 });
    tc.stop();
  });

  it('deletes a Failed pod and creates it again', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ replicas: 1 }));
    await tc.tick('5s');
    const before = await pod(tc, 'web-0');
    await tc.client.resource(RESOURCES.pods).patch('default', 'web-0', 'merge', { status: { phase: 'Failed' } }, { subresource: 'status' });
    await tc.tick('5s');
    const after = await pod(tc, 'web-0');
    expect(after.metadata?.uid).not.toBe(before.metadata?.uid);
    expect(after.status?.phase).toBe('Running');
    expect((await tc.events('default', 'web')).slice(2)).toEqual(['RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0', 'SuccessfulDelete: delete Pod web-0 in StatefulSet web successful']);
    // The second "create Pod web-0" is the same event as the first: the recorder counts it there.
    const created = (await tc.list<EventObject>('events')).find((e) => e.message === 'create Pod web-0 in StatefulSet web successful');
    expect(created?.count).toBe(2);
    tc.stop();
  });

  it('waits minReadySeconds after Ready before the next pod, and counts a pod available only then', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ replicas: 2, spec: '  minReadySeconds: 10\n' }));
    await tc.tick('5s');
    expect(await podStates(tc)).toEqual(['web-0:Running']);
    expect((await sts(tc)).status).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
    await tc.tick('25s');
    const readyAt = (await pod(tc, 'web-0')).status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    const web1Created = (await pod(tc, 'web-1')).metadata?.creationTimestamp;
    expect(Date.parse(web1Created!) - Date.parse(readyAt!)).toBeGreaterThanOrEqual(10_000);
    await tc.tick('15s');
    expect((await sts(tc)).status).toMatchObject({ readyReplicas: 2, availableReplicas: 2 });
    tc.stop();
  });

  it.each([
    ['Retain', 'Retain', [undefined, undefined], ['www-web-0', 'www-web-1']],
    ['Delete', 'Retain', [['StatefulSet/web'], ['StatefulSet/web']], ['www-web-0', 'www-web-1']],
    ['Retain', 'Delete', [undefined, undefined], ['www-web-0']],
    ['Delete', 'Delete', [['StatefulSet/web'], ['StatefulSet/web']], ['www-web-0']],
  ])('persistentVolumeClaimRetentionPolicy whenDeleted %s, whenScaled %s: claim owners and what a scale-down keeps', async (whenDeleted, whenScaled, owners, kept) => {
    const tc = await start(['garbage-collector-controller']);
    await tc.apply(stsYaml({ replicas: 2, spec: `  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: ${whenDeleted}\n    whenScaled: ${whenScaled}\n` }));
    await tc.tick('10s');
    const ownerNames = (c: ClaimObject) => c.metadata?.ownerReferences?.map((r) => `${r.kind}/${r.name}`);
    expect((await tc.list<ClaimObject>('persistentvolumeclaims')).map(ownerNames)).toEqual(owners);
    await patchSts(tc, { spec: { replicas: 1 } });
    await tc.tick('30s');
    expect(await podStates(tc)).toEqual(['web-0:Running']);
    expect((await tc.list('persistentvolumeclaims')).map((c) => c.metadata?.name)).toEqual(kept);
    tc.stop();
  });

  it('keeps revisionHistoryLimit old revisions besides the ones in use', async () => {
    const tc = await start();
    await tc.apply(stsYaml({ replicas: 1, spec: '  revisionHistoryLimit: 1\n' }));
    await tc.tick('5s');
    for (const tag of ['1.28', '1.29', '1.30']) {
      await patchSts(tc, { spec: { template: { spec: { containers: [{ name: 'nginx', image: `nginx:${tag}` }] } } } });
      await tc.tick('10s');
    }
    expect((await revisions(tc)).map((r) => r.revision)).toEqual([3, 4]);
    expect(image(await pod(tc, 'web-0'))).toBe('nginx:1.30');
    tc.stop();
  });
});

describe('wireStatus', () => {
  it.each([
    [{ replicas: 0 }, { replicas: 0, availableReplicas: 0 }],
    [
      { replicas: 2, readyReplicas: 0, currentReplicas: 2, updatedReplicas: 0, currentRevision: 'web-a', updateRevision: 'web-a', collisionCount: 0, observedGeneration: 1, availableReplicas: 0 },
      { replicas: 2, currentReplicas: 2, currentRevision: 'web-a', updateRevision: 'web-a', collisionCount: 0, observedGeneration: 1, availableReplicas: 0 },
    ],
  ])('%j is written as %j', (status, wire) => {
    expect(wireStatus(status)).toEqual(wire);
  });
});
