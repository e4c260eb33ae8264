import { describe, expect, it } from 'vitest';
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { defaultNodeSpec } from '../../cluster/cluster.ts';
import type { LightweightNodeSpec } from '../../kwok/kwok.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { getTargetNodeName } from './daemonSetUtil.ts';
import { wireStatus } from './daemonSet.ts';

type PodObject = Pod & KubeObject;
type DsObject = DaemonSet & KubeObject;
type RevisionObject = ControllerRevision & KubeObject;
type EventObject = Event & KubeObject;

interface DsOptions {
  image?: string;
  /** More lines of spec, indented by two spaces. */
  spec?: string;
  /** More lines of the pod spec, indented by six spaces. */
  podSpec?: string;
}

function dsYaml({ image = 'fluentd:v1.16', spec = '', podSpec = '' }: DsOptions = {}): string {
  return `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels:
      app: fluentd
${spec}  template:
    metadata:
      labels:
        app: fluentd
    spec:
${podSpec}      containers:
      - name: fluentd
        image: ${image}
`;
}

const READY_MS = 1000;

async function start(nodes: number | LightweightNodeSpec[] = 3, controllers: string[] = []): Promise<TestCluster> {
  return TestCluster.start({ nodes, controllers: ['daemonset-controller', 'serviceaccount-controller', ...controllers], nodeDelays: { ready: READY_MS, delete: 1000, jitter: 0 } });
}

/**
 * A stand-in for the default scheduler in these tests only (it is not wired into the lab yet): bind each
 * pending pod to the node its required node affinity names, through the binding subresource.
 */
async function bindPendingPods(tc: TestCluster): Promise<void> {
  for (const pod of await tc.list<PodObject>('pods')) {
    if (pod.spec?.nodeName || pod.metadata?.deletionTimestamp) continue;
    const node = getTargetNodeName(pod);
    if (!node) continue;
    const name = pod.metadata!.name!;
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
    await tc.client.raw('POST', `/api/v1/namespaces/default/pods/${name}/binding`, {}, JSON.stringify(binding));
  }
}

/** Move time by `duration` in 250ms steps, binding pending pods at each step (the scheduler's part). */
async function tickBinding(tc: TestCluster, duration: number): Promise<void> {
  for (let t = 0; t < duration; t += 250) {
    await tc.tick(250);
    await bindPendingPods(tc);
  }
}

/** The live daemon pods as `node:phase`, sorted (a `-` marks a pod being deleted). */
async function podsByNode(tc: TestCluster): Promise<string[]> {
  return (await tc.list<PodObject>('pods')).map((p) => `${getTargetNodeName(p)}:${p.status?.phase}${p.metadata?.deletionTimestamp ? '-' : ''}`).sort();
}

async function ds(tc: TestCluster): Promise<DsObject> {
  return (await tc.get<DsObject>('daemonsets', 'fluentd'))!;
}

async function patchDs(tc: TestCluster, patch: unknown): Promise<void> {
  await tc.client.resource(RESOURCES.daemonsets).patch('default', 'fluentd', 'merge', patch);
}

function setImage(tc: TestCluster, image: string): Promise<void> {
  return patchDs(tc, { spec: { template: { spec: { containers: [{ name: 'fluentd', image }] } } } });
}

describe('DaemonSet controller', () => {
  it('runs one pod per node, pinned to it by node affinity, with the daemon tolerations, labels, status and events', async () => {
    const tc = await start();
    const syncErrors: unknown[] = [];
    tc.cluster.controllerManager?.onDidError((e) => syncErrors.push(e.error));
    await tc.apply(dsYaml());
    await tc.tick(100);
    // Not yet scheduled: the pods wait for the scheduler, each pinned to its node.
    expect(await podsByNode(tc)).toEqual(['worker-1:Pending', 'worker-2:Pending', 'worker-3:Pending']);
    expect((await ds(tc)).status).toEqual({ currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 0, observedGeneration: 1, updatedNumberScheduled: 3, numberUnavailable: 3 });
    await tickBinding(tc, 3000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running', 'worker-2:Running', 'worker-3:Running']);

    const set = await ds(tc);
    const [revision, ...more] = await tc.list<RevisionObject>('controllerrevisions');
    expect(more).toEqual([]);
    const hash = revision!.metadata!.labels!['controller-revision-hash']!;
    expect(revision).toMatchObject({ metadata: { name: `fluentd-${hash}`, labels: { app: 'fluentd' }, ownerReferences: [{ kind: 'DaemonSet', name: 'fluentd', controller: true }] }, revision: 1 });
    expect(set.metadata?.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });

    const pod = (await tc.list<PodObject>('pods')).find((p) => p.spec?.nodeName === 'worker-2')!;
    expect(pod.metadata).toMatchObject({
      generateName: 'fluentd-',
      labels: { app: 'fluentd', 'controller-revision-hash': hash, 'pod-template-generation': '1' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: set.metadata!.uid, controller: true, blockOwnerDeletion: true }],
    });
    expect(pod.spec?.affinity).toEqual({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['worker-2'] }] }] } } });
    expect(pod.spec?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(set.status).toEqual({ currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 });
    const events = await tc.events('default', 'fluentd');
    expect(events).toHaveLength(3);
    for (const e of events) expect(e).toMatch(/^SuccessfulCreate: Created pod: fluentd-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(syncErrors).toEqual([]);
    tc.stop();
  });

  it('gives a node added later its pod, and none to a node with a taint it does not tolerate', async () => {
    const tc = await start([defaultNodeSpec('worker-1', 1), defaultNodeSpec('worker-2', 2, { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })]);
    await tc.apply(dsYaml());
    await tickBinding(tc, 3000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running']);
    expect((await ds(tc)).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1 });

    expect((await tc.sh('lab node add')).stdout).toBe('node/worker-3 added\n');
    await tickBinding(tc, 3000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running', 'worker-3:Running']);
    expect((await ds(tc)).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2 });

    // An untolerated NoSchedule taint keeps new pods off but lets a running one stay; NoExecute does not.
    await tc.sh('kubectl taint nodes worker-3 maintenance=true:NoSchedule');
    await tickBinding(tc, 2000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running', 'worker-3:Running']);
    expect((await ds(tc)).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1 });
    await tc.sh('kubectl taint nodes worker-3 evict=true:NoExecute');
    await tickBinding(tc, 3000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running']);
    expect((await ds(tc)).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 0 });

    // A toleration lets the pods onto the tainted nodes again.
    await patchDs(tc, { spec: { template: { spec: { tolerations: [{ operator: 'Exists' }] } } } });
    await tickBinding(tc, 10_000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running', 'worker-2:Running', 'worker-3:Running']);
    tc.stop();
  });

  it('follows a nodeSelector as node labels change', async () => {
    const tc = await start();
    await tc.apply(dsYaml({ podSpec: '      nodeSelector:\n        disk: ssd\n' }));
    await tickBinding(tc, 2000);
    expect(await podsByNode(tc)).toEqual([]);
    expect((await ds(tc)).status).toMatchObject({ desiredNumberScheduled: 0, currentNumberScheduled: 0 });
    await tc.sh('kubectl label node worker-1 worker-3 disk=ssd');
    await tickBinding(tc, 3000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running', 'worker-3:Running']);
    await tc.sh('kubectl label node worker-3 disk-');
    await tickBinding(tc, 3000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running']);
    expect((await tc.events('default', 'fluentd')).filter((e) => e.startsWith('SuccessfulDelete'))).toHaveLength(1);
    tc.stop();
  });

  it('loses the pod of a deleted node once the pod GC removes it', async () => {
    const tc = await start(3, ['pod-garbage-collector-controller']);
    await tc.apply(dsYaml());
    await tickBinding(tc, 3000);
    await tc.sh('kubectl delete node worker-3');
    await tickBinding(tc, 60_000);
    expect(await podsByNode(tc)).toEqual(['worker-1:Running', 'worker-2:Running']);
    expect((await ds(tc)).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 2, numberAvailable: 2 });
    tc.stop();
  });

  it('rolls an update one node at a time with maxUnavailable 1', async () => {
    const tc = await start();
    await tc.apply(dsYaml());
    await tickBinding(tc, 3000);
    const [first] = await tc.list<RevisionObject>('controllerrevisions');
    await setImage(tc, 'fluentd:v1.17');
    let mostUnavailable = 0;
    for (let i = 0; i < 40; i++) {
      await tickBinding(tc, 250);
      const live = (await tc.list<PodObject>('pods')).filter((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      mostUnavailable = Math.max(mostUnavailable, 3 - live.length);
    }
    expect(mostUnavailable).toBe(1);
    const revisions = (await tc.list<RevisionObject>('controllerrevisions')).sort((a, b) => a.revision - b.revision);
    expect(revisions.map((r) => [r.metadata?.name, r.revision])).toEqual([
      [first!.metadata!.name, 1],
      [expect.stringMatching(/^fluentd-/), 2],
    ]);
    const hash = revisions[1]!.metadata!.labels!['controller-revision-hash'];
    const pods = await tc.list<PodObject>('pods');
    expect(pods.map((p) => [p.spec?.containers[0]?.image, p.metadata?.labels?.['controller-revision-hash'], p.metadata?.labels?.['pod-template-generation']])).toEqual([
      ['fluentd:v1.17', hash, '2'],
      ['fluentd:v1.17', hash, '2'],
      ['fluentd:v1.17', hash, '2'],
    ]);
    // Node by node: each old pod is deleted only after the previous node's new pod is up.
    const lines = (await tc.events('default', 'fluentd')).slice(3).map((e) => e.split(':')[0]);
    expect(lines).toEqual(['SuccessfulDelete', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate', 'SuccessfulDelete', 'SuccessfulCreate']);
    expect((await ds(tc)).status).toEqual({ currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 2, updatedNumberScheduled: 3, numberAvailable: 3 });
    tc.stop();
  });

  it('with maxSurge 1 and maxUnavailable 0, starts the new pod beside the old one before deleting it', async () => {
    const tc = await start(1);
    await tc.apply(dsYaml({ spec: '  updateStrategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n' }));
    await tickBinding(tc, 3000);
    await setImage(tc, 'fluentd:v1.17');
    await tickBinding(tc, 500);
    const both = await tc.list<PodObject>('pods');
    expect(both.map((p) => `${p.spec?.containers[0]?.image}:${p.status?.phase}${p.metadata?.deletionTimestamp ? '-' : ''}`).sort()).toEqual(['fluentd:v1.16:Running', 'fluentd:v1.17:Pending']);
    await tickBinding(tc, 5000);
    expect((await tc.list<PodObject>('pods')).map((p) => p.spec?.containers[0]?.image)).toEqual(['fluentd:v1.17']);
    tc.stop();
  });

  it('with OnDelete, replaces a pod only when it is deleted', async () => {
    const tc = await start(2);
    await tc.apply(dsYaml({ spec: '  updateStrategy:\n    type: OnDelete\n' }));
    await tickBinding(tc, 3000);
    await setImage(tc, 'fluentd:v1.17');
    await tickBinding(tc, 10_000);
    const images = async () => (await tc.list<PodObject>('pods')).map((p) => `${p.spec?.nodeName}=${p.spec?.containers[0]?.image}`).sort();
    expect(await images()).toEqual(['worker-1=fluentd:v1.16', 'worker-2=fluentd:v1.16']);
    expect((await ds(tc)).status?.updatedNumberScheduled).toBeUndefined();
    const onWorker2 = (await tc.list<PodObject>('pods')).find((p) => p.spec?.nodeName === 'worker-2')!;
    await tc.sh(`kubectl delete pod ${onWorker2.metadata!.name} --wait=false`);
    await tickBinding(tc, 5000);
    expect(await images()).toEqual(['worker-1=fluentd:v1.16', 'worker-2=fluentd:v1.17']);
    expect((await ds(tc)).status).toMatchObject({ updatedNumberScheduled: 1, numberReady: 2 });
    tc.stop();
  });

  it('deletes a Failed daemon pod and creates it again, backing off when it keeps failing', async () => {
    const tc = await start(1);
    await tc.apply(dsYaml());
    await tickBinding(tc, 3000);
    const fail = async () => {
      const [pod] = await tc.list<PodObject>('pods');
      await tc.client.resource(RESOURCES.pods).patch('default', pod!.metadata!.name!, 'merge', { status: { phase: 'Failed' } }, { subresource: 'status' });
      return pod!.metadata!.name!;
    };
    const first = await fail();
    await tickBinding(tc, 100);
    expect(await tc.get('pods', first)).toBeUndefined();
    const second = await fail();
    // A second failure on the same node within the backoff the first opened (1s) waits it out.
    await tickBinding(tc, 500);
    expect((await tc.get<PodObject>('pods', second))?.status?.phase).toBe('Failed');
    await tickBinding(tc, 3000);
    expect(await tc.get('pods', second)).toBeUndefined();
    expect(await podsByNode(tc)).toEqual(['worker-1:Running']);
    const failed = (await tc.list<EventObject>('events')).filter((e) => e.reason === 'FailedDaemonPod').map((e) => [e.type, e.message]);
    expect(failed).toEqual([
      ['Warning', `Found failed daemon pod default/${first} on node worker-1, will try to kill it`],
      ['Warning', `Found failed daemon pod default/${second} on node worker-1, will try to kill it`],
    ]);
    tc.stop();
  });

  it('keeps revisionHistoryLimit old revisions that no pod uses', async () => {
    const tc = await start(1);
    await tc.apply(dsYaml({ spec: '  revisionHistoryLimit: 1\n' }));
    await tickBinding(tc, 3000);
    for (const tag of ['v1.17', 'v1.18', 'v1.19']) {
      await setImage(tc, `fluentd:${tag}`);
      await tickBinding(tc, 5000);
    }
    expect((await tc.list<RevisionObject>('controllerrevisions')).map((r) => r.revision).sort()).toEqual([3, 4]);
    tc.stop();
  });
});

describe('wireStatus', () => {
  it.each([
    [
      { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, updatedNumberScheduled: 0 },
      { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    ],
    [
      { currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 1, numberAvailable: 1, numberUnavailable: 1, updatedNumberScheduled: 2, observedGeneration: 3, collisionCount: 0 },
      { currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 1, numberAvailable: 1, numberUnavailable: 1, updatedNumberScheduled: 2, observedGeneration: 3, collisionCount: 0 },
    ],
  ])('%j is written as %j', (status, wire) => {
    expect(wireStatus(status)).toEqual(wire);
  });
});
