import { describe, expect, it } from 'vitest';
import type { Deployment, DeploymentCondition, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../api/time.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import type { StageDelays } from '../../kwok/stages.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { computeHash } from '../hash.ts';

type PodObject = Pod & KubeObject;
type RsObject = ReplicaSet & KubeObject;
type DeploymentObject = Deployment & KubeObject;

const HOUR = 3_600_000;

interface DeploymentOptions {
  replicas?: number;
  image?: string;
  /** The `strategy:` block, indented under spec. */
  strategy?: string;
  /** More lines of spec. */
  spec?: string;
}

function deploymentYaml({ replicas = 3, image = 'nginx:1.27', strategy = '', spec = '' }: DeploymentOptions = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
${strategy}${spec}  template:
    metadata:
      labels:
        app: web
    spec:
      nodeName: worker-1
      containers:
      - name: nginx
        image: ${image}
`;
}

function rollingUpdate(maxSurge: string | number, maxUnavailable: string | number): string {
  return `  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: ${typeof maxSurge === 'string' ? JSON.stringify(maxSurge) : maxSurge}
      maxUnavailable: ${typeof maxUnavailable === 'string' ? JSON.stringify(maxUnavailable) : maxUnavailable}
`;
}

function start(nodeDelays?: Partial<StageDelays>): Promise<TestCluster> {
  return TestCluster.start({ nodes: 1, controllers: ['deployment-controller', 'replicaset-controller', 'serviceaccount-controller'], ...(nodeDelays ? { nodeDelays } : {}) });
}

async function replicaSets(tc: TestCluster): Promise<RsObject[]> {
  return (await tc.list<RsObject>('replicasets')).sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

function ownedBy(pod: PodObject, rs: RsObject): boolean {
  return (pod.metadata?.ownerReferences ?? []).some((r) => r.uid === rs.metadata?.uid);
}

function isReady(pod: PodObject): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** What a kubelet reports when a pod's containers are up: Running and Ready. */
async function markReady(tc: TestCluster, pod: PodObject): Promise<void> {
  const now = rfc3339(tc.clock.now());
  await tc.client.resource<PodObject>(RESOURCES.pods).patch('default', pod.metadata!.name!, 'merge', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }, { subresource: 'status' });
}

/** The pods of `rs` that are not being deleted. */
async function livePodsOf(tc: TestCluster, rs: RsObject): Promise<PodObject[]> {
  return (await tc.list<PodObject>('pods')).filter((p) => ownedBy(p, rs) && !p.metadata?.deletionTimestamp).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** A watch of what changes from now on (no ADDED replay of what exists). */
async function watchFromNow<T extends KubeObject>(tc: TestCluster, resource: keyof typeof RESOURCES) {
  const client = tc.client.resource<T>(RESOURCES[resource]);
  const { metadata } = await client.list('default');
  return client.watch('default', { resourceVersion: metadata.resourceVersion! });
}

/** Deployment events (reason: message) from now on, in the order they were recorded. */
async function recordEvents(tc: TestCluster): Promise<string[]> {
  const seen: string[] = [];
  const watch = await watchFromNow<Event & KubeObject>(tc, 'events');
  watch.onEvent((e) => {
    // A repeat of an event already recorded comes back as its count going up (MODIFIED).
    if ((e.type === 'ADDED' || e.type === 'MODIFIED') && e.object.involvedObject?.kind === 'Deployment') seen.push(`${e.object.reason}: ${e.object.message}`);
  });
  return seen;
}

/** The Deployment's Progressing condition from now on, each time its reason changes. */
async function recordProgressing(tc: TestCluster): Promise<string[]> {
  const seen: string[] = [];
  const watch = await watchFromNow<DeploymentObject>(tc, 'deployments');
  watch.onEvent((e) => {
    const c = e.object.status?.conditions?.find((x) => x.type === 'Progressing');
    const text = c ? `${c.status} ${c.reason}` : '';
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  });
  return seen;
}

function condition(d: DeploymentObject | undefined, type: string): Pick<DeploymentCondition, 'status' | 'reason' | 'message'> | undefined {
  const c = d?.status?.conditions?.find((x) => x.type === type);
  return c && { status: c.status, reason: c.reason, message: c.message };
}

describe('Deployment controller', () => {
  it('creates a ReplicaSet named after its pod template hash, with revision and replica annotations, and reports status', async () => {
    const tc = await start();
    const events = await recordEvents(tc);
    await tc.apply(deploymentYaml({ replicas: 3 }));
    await tc.tick('5s');
    const [rs, ...others] = await replicaSets(tc);
    expect(others).toEqual([]);
    const hash = rs!.metadata!.labels!['pod-template-hash']!;
    expect(rs!.metadata?.name).toBe(`web-${hash}`);
    expect(rs!.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs!.metadata?.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true })]);
    expect(rs!.spec?.selector).toEqual({ matchLabels: { app: 'web', 'pod-template-hash': hash } });
    expect(rs!.spec?.template?.metadata?.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs!.spec?.replicas).toBe(3);

    const d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(d?.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect({ ...d?.status, conditions: undefined }).toEqual({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(condition(d, 'Available')).toEqual({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    expect(condition(d, 'Progressing')).toEqual({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    expect(events).toEqual([`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`]);
    tc.stop();
  });

  it('rejects a Deployment whose selector does not match its template, as validation does', async () => {
    const tc = await start();
    const bad = deploymentYaml().replace('      labels:\n        app: web\n', '      labels:\n        app: other\n');
    await expect(tc.apply(bad)).rejects.toThrow('Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`');
    tc.stop();
  });

  // Sizes (new/old) once the controllers settle: right after the image changes, then after each new pod
  // becomes ready, one at a time — the arithmetic of rolling.go with ResolveFenceposts.
  it.each([
    ['25%/25% of 10 (surge 3, unavailable 2)', 10, '25%', '25%', '5/8 6/7 7/6 8/5 9/4 10/3 10/2 10/1 10/0 10/0 10/0'],
    ['25%/25% of 4 (surge 1, unavailable 1)', 4, '25%', '25%', '2/3 3/2 4/1 4/0 4/0'],
    ['25%/25% of 3 (surge 1, unavailable 0)', 3, '25%', '25%', '1/3 2/2 3/1 3/0'],
    ['maxSurge 1, maxUnavailable 0', 4, 1, 0, '1/4 2/3 3/2 4/1 4/0'],
    ['maxSurge 0, maxUnavailable 1', 4, 0, 1, '1/3 2/2 3/1 4/0 4/0'],
    ['maxSurge 100%, maxUnavailable 0', 4, '100%', 0, '4/4 4/3 4/2 4/1 4/0'],
  ])('rolls out %s in upstream steps', async (_name, replicas, surge, unavailable, expected) => {
    const tc = await start({ ready: HOUR, jitter: 0 });
    await tc.apply(deploymentYaml({ replicas, strategy: rollingUpdate(surge, unavailable) }));
    await tc.tick('2s');
    const [oldRS] = await replicaSets(tc);
    for (const pod of await livePodsOf(tc, oldRS!)) await markReady(tc, pod);
    await tc.tick('2s');
    expect((await tc.get<DeploymentObject>('deployments', 'web'))?.status?.availableReplicas).toBe(replicas);

    expect((await tc.sh('kubectl set image deploy/web nginx=nginx:1.28')).code).toBe(0);
    const steps: string[] = [];
    for (let i = 0; i < 3 * replicas; i++) {
      await tc.tick('2s');
      const all = await replicaSets(tc);
      const newRS = all.find((rs) => rs.metadata?.uid !== oldRS!.metadata?.uid)!;
      const oldNow = all.find((rs) => rs.metadata?.uid === oldRS!.metadata?.uid)!;
      steps.push(`${newRS.spec?.replicas}/${oldNow.spec?.replicas}`);
      const pending = (await livePodsOf(tc, newRS)).filter((p) => !isReady(p));
      if (pending.length === 0) break;
      await markReady(tc, pending[0]!);
    }
    expect(steps.join(' ')).toBe(expected);
    const d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(d?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(condition(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    tc.stop();
  });

  it('records the scaling events of a rolling update with upstream texts', async () => {
    const tc = await start({ ready: 1000, jitter: 0 });
    await tc.apply(deploymentYaml({ replicas: 3 }));
    await tc.tick('5s');
    const events = await recordEvents(tc);
    await tc.sh('kubectl set image deploy/web nginx=nginx:1.28');
    await tc.tick('10s');
    const [oldRS, newRS] = await replicaSets(tc);
    const [o, n] = [oldRS!.metadata!.name!, newRS!.metadata!.name!];
    expect(events).toEqual([
      `ScalingReplicaSet: Scaled up replica set ${n} from 0 to 1`,
      `ScalingReplicaSet: Scaled down replica set ${o} from 3 to 2`,
      `ScalingReplicaSet: Scaled up replica set ${n} from 1 to 2`,
      `ScalingReplicaSet: Scaled down replica set ${o} from 2 to 1`,
      `ScalingReplicaSet: Scaled up replica set ${n} from 2 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${o} from 1 to 0`,
    ]);
    tc.stop();
  });

  it('Recreate scales the old ReplicaSet to zero and creates the new one only once the old pods are gone', async () => {
    const tc = await start({ ready: 1000, delete: 5000, jitter: 0 });
    await tc.apply(deploymentYaml({ replicas: 3, strategy: '  strategy:\n    type: Recreate\n' }));
    await tc.tick('5s');
    const [oldRS] = await replicaSets(tc);
    // Never old and new pods at once.
    const live = new Map<string, string>();
    let overlapped = false;
    const watch = await tc.client.resource<PodObject>(RESOURCES.pods).watch('default');
    watch.onEvent((e) => {
      const name = e.object.metadata?.name ?? '';
      if (e.type === 'DELETED') live.delete(name);
      else live.set(name, e.object.metadata?.labels?.['pod-template-hash'] ?? '');
      if (new Set(live.values()).size > 1) overlapped = true;
    });
    const events = await recordEvents(tc);

    await tc.sh('kubectl set image deploy/web nginx=nginx:1.28');
    await tc.tick('2s');
    expect((await replicaSets(tc)).map((rs) => [rs.metadata?.name, rs.spec?.replicas])).toEqual([[oldRS!.metadata?.name, 0]]);
    expect((await tc.list<PodObject>('pods')).every((p) => p.metadata?.deletionTimestamp)).toBe(true);

    await tc.tick('10s');
    const [, newRS] = await replicaSets(tc);
    expect(newRS?.spec?.replicas).toBe(3);
    expect(overlapped).toBe(false);
    expect(events).toEqual([`ScalingReplicaSet: Scaled down replica set ${oldRS!.metadata!.name} from 3 to 0`, `ScalingReplicaSet: Scaled up replica set ${newRS!.metadata!.name} from 0 to 3`]);
    const d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(d?.status?.updatedReplicas).toBe(3);
    expect(d?.status?.availableReplicas).toBe(3);
    watch.stop();
    tc.stop();
  });

  it('rolls back with kubectl rollout undo --to-revision: the old ReplicaSet becomes the new one with the next revision', async () => {
    const tc = await start();
    await tc.apply(deploymentYaml({ replicas: 3 }));
    await tc.tick('5s');
    await tc.sh('kubectl set image deploy/web nginx=nginx:1.28');
    await tc.tick('15s');
    expect((await tc.sh('kubectl rollout history deploy/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');

    const undo = await tc.sh('kubectl rollout undo deploy/web --to-revision=1');
    expect(undo).toEqual({ stdout: 'deployment.apps/web rolled back\n', stderr: '', code: 0 });
    await tc.tick('15s');
    const [first, second] = await replicaSets(tc);
    expect(first?.spec?.template?.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect(first?.spec?.replicas).toBe(3);
    expect(first?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(first?.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(second?.spec?.replicas).toBe(0);
    expect(second?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    const d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(d?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect((await tc.sh('kubectl rollout status deploy/web')).stdout).toBe('deployment "web" successfully rolled out\n');
    expect((await tc.sh('kubectl rollout history deploy/web')).stdout).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
    expect((await tc.sh('kubectl rollout undo deploy/web --to-revision=3')).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 3)\n');
    // A second undo with no revision goes back to the previous one (revision 2), which becomes 4.
    expect((await tc.sh('kubectl rollout undo deploy/web')).stdout).toBe('deployment.apps/web rolled back\n');
    await tc.tick('15s');
    const after = await replicaSets(tc);
    expect(after.map((rs) => [rs.spec?.template?.spec?.containers[0]?.image, rs.spec?.replicas, rs.metadata?.annotations?.['deployment.kubernetes.io/revision'], rs.metadata?.annotations?.['deployment.kubernetes.io/revision-history']])).toEqual([
      ['nginx:1.27', 0, '3', '1'],
      ['nginx:1.28', 3, '4', '2'],
    ]);
    tc.stop();
  });

  it('only a template change rolls out: scaling resizes the ReplicaSet, annotations and minReadySeconds are copied to it', async () => {
    const tc = await start();
    await tc.apply(deploymentYaml({ replicas: 2 }));
    await tc.tick('5s');
    const events = await recordEvents(tc);
    await tc.sh('kubectl scale deploy/web --replicas=4');
    await tc.sh('kubectl annotate deploy/web team=blue');
    await tc.sh(`kubectl patch deploy/web -p '{"spec":{"minReadySeconds":5}}'`);
    await tc.tick('15s');
    const [rs, ...others] = await replicaSets(tc);
    expect(others).toEqual([]);
    expect(rs?.spec?.replicas).toBe(4);
    expect(rs?.spec?.minReadySeconds).toBe(5);
    expect(rs?.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5', team: 'blue' });
    expect(events).toEqual([`ScalingReplicaSet: Scaled up replica set ${rs!.metadata!.name} from 2 to 4`]);
    tc.stop();
  });

  it('scales proportionally when the replicas change mid-rollout', async () => {
    const tc = await start({ ready: HOUR, jitter: 0 });
    await tc.apply(deploymentYaml({ replicas: 10, strategy: rollingUpdate(3, 2) }));
    await tc.tick('2s');
    const [oldRS] = await replicaSets(tc);
    for (const pod of await livePodsOf(tc, oldRS!)) await markReady(tc, pod);
    await tc.tick('2s');
    // The new image never becomes ready: the rollout stops at 5 new, 8 old.
    await tc.sh('kubectl set image deploy/web nginx=nginx:does-not-exist');
    await tc.tick('5s');
    const sizes = async () => (await replicaSets(tc)).map((rs) => rs.spec?.replicas);
    expect(await sizes()).toEqual([8, 5]);
    const events = await recordEvents(tc);

    await tc.sh('kubectl scale deploy/web --replicas=15');
    await tc.tick('5s');
    // 5 more (18 allowed, 13 running): 8·18/13 ≈ 11 for the old, 5·18/13 ≈ 7 for the new.
    expect(await sizes()).toEqual([11, 7]);
    const [o, n] = (await replicaSets(tc)).map((rs) => rs.metadata!.name!);
    expect(events).toEqual([`ScalingReplicaSet: Scaled up replica set ${o} from 8 to 11`, `ScalingReplicaSet: Scaled up replica set ${n} from 5 to 7`]);
    for (const rs of await replicaSets(tc)) {
      expect(rs.metadata?.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '15', 'deployment.kubernetes.io/max-replicas': '18' });
    }

    const down = await recordEvents(tc);
    await tc.sh('kubectl scale deploy/web --replicas=5');
    await tc.tick('5s');
    // 10 fewer (8 allowed, 18 running), larger first: 11·8/18 ≈ 5 for the old, 7·8/18 ≈ 3 for the new.
    // Then the rollout goes on: 2 of 5 may be unavailable, so 2 old replicas give way to 2 new ones.
    expect(down).toEqual([
      `ScalingReplicaSet: Scaled down replica set ${o} from 11 to 5`,
      `ScalingReplicaSet: Scaled down replica set ${n} from 7 to 3`,
      `ScalingReplicaSet: Scaled down replica set ${o} from 5 to 3`,
      `ScalingReplicaSet: Scaled up replica set ${n} from 3 to 5`,
    ]);
    expect(await sizes()).toEqual([3, 5]);
    tc.stop();
  });

  it('a paused Deployment does not roll out but still scales; resuming rolls out', async () => {
    const tc = await start();
    await tc.apply(deploymentYaml({ replicas: 3 }));
    await tc.tick('5s');
    const progressing = await recordProgressing(tc);
    const events = await recordEvents(tc);
    expect((await tc.sh('kubectl rollout pause deploy/web')).stdout).toBe('deployment.apps/web paused\n');
    await tc.sh('kubectl set image deploy/web nginx=nginx:1.28');
    await tc.sh('kubectl scale deploy/web --replicas=5');
    await tc.tick('10s');
    const paused = await tc.get<DeploymentObject>('deployments', 'web');
    expect(condition(paused, 'Progressing')).toEqual({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    const [rs, ...others] = await replicaSets(tc);
    expect(others).toEqual([]);
    expect(rs?.spec?.replicas).toBe(5);
    expect(rs?.spec?.template?.spec?.containers[0]?.image).toBe('nginx:1.27');
    expect(paused?.status?.observedGeneration).toBe(paused?.metadata?.generation);
    expect(events).toEqual([`ScalingReplicaSet: Scaled up replica set ${rs!.metadata!.name} from 3 to 5`]);

    expect((await tc.sh('kubectl rollout resume deploy/web')).stdout).toBe('deployment.apps/web resumed\n');
    await tc.tick('20s');
    const [old, next] = await replicaSets(tc);
    expect([old?.spec?.replicas, next?.spec?.replicas]).toEqual([0, 5]);
    expect(next?.spec?.template?.spec?.containers[0]?.image).toBe('nginx:1.28');
    const d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(condition(d, 'Progressing')).toEqual({ status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${next!.metadata!.name}" has successfully progressed.` });
    expect(progressing).toEqual(['True NewReplicaSetAvailable', 'Unknown DeploymentPaused', 'Unknown DeploymentResumed', 'True NewReplicaSetCreated', 'True ReplicaSetUpdated', 'True NewReplicaSetAvailable']);
    tc.stop();
  });

  it('reports ProgressDeadlineExceeded when the new pods never become ready', async () => {
    const tc = await start({ ready: 24 * HOUR, jitter: 0 });
    await tc.apply(deploymentYaml({ replicas: 2, spec: '  progressDeadlineSeconds: 60\n' }));
    await tc.tick('30s');
    const [rs] = await replicaSets(tc);
    const name = rs!.metadata!.name!;
    let d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(condition(d, 'Progressing')).toEqual({ status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.` });
    expect(condition(d, 'Available')).toEqual({ status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
    expect(d?.status?.unavailableReplicas).toBe(2);

    await tc.tick('35s');
    d = await tc.get<DeploymentObject>('deployments', 'web');
    expect(condition(d, 'Progressing')).toEqual({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` });
    expect(await tc.sh('kubectl rollout status deploy/web')).toEqual({ stdout: '', stderr: 'error: deployment "web" exceeded its progress deadline\n', code: 1 });
    tc.stop();
  });

  it('deletes old ReplicaSets beyond revisionHistoryLimit, lowest revision first', async () => {
    const tc = await start();
    await tc.apply(deploymentYaml({ replicas: 2, image: 'nginx:1.25', spec: '  revisionHistoryLimit: 1\n' }));
    await tc.tick('5s');
    for (const image of ['nginx:1.26', 'nginx:1.27', 'nginx:1.28']) {
      await tc.sh(`kubectl set image deploy/web nginx=${image}`);
      await tc.tick('15s');
    }
    const left = await replicaSets(tc);
    expect(left.map((rs) => [rs.spec?.template?.spec?.containers[0]?.image, rs.spec?.replicas, rs.metadata?.annotations?.['deployment.kubernetes.io/revision']])).toEqual([
      ['nginx:1.27', 0, '3'],
      ['nginx:1.28', 2, '4'],
    ]);
    tc.stop();
  });

  it('bumps collisionCount when a ReplicaSet that is not its own holds the name', async () => {
    const tc = await start();
    await tc.apply(deploymentYaml({ replicas: 2, spec: '  paused: true\n' }));
    await tc.tick('2s');
    const d = (await tc.get<DeploymentObject>('deployments', 'web'))!;
    const hash = computeHash(d.spec!.template);
    await tc.apply(`apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-${hash}
spec:
  replicas: 0
  selector:
    matchLabels:
      app: squatter
  template:
    metadata:
      labels:
        app: squatter
    spec:
      containers:
      - name: c
        image: busybox
`);
    await tc.sh('kubectl rollout resume deploy/web');
    await tc.tick('5s');
    const after = (await tc.get<DeploymentObject>('deployments', 'web'))!;
    expect(after.status?.collisionCount).toBe(1);
    const ours = `web-${computeHash(d.spec!.template, 1)}`;
    expect((await tc.get<RsObject>('replicasets', ours))?.spec?.replicas).toBe(2);
    expect((await tc.get<RsObject>('replicasets', `web-${hash}`))?.metadata?.ownerReferences).toBeUndefined();
    expect(after.status?.availableReplicas).toBe(2);
    tc.stop();
  });

  it('adopts an orphaned ReplicaSet with its template as its new one, leaving the template untouched', async () => {
    // The watch cache shares equal subtrees (the empty status, resources and securityContext are one
    // frozen object): the controller's copy must not carry that sharing into what it writes.
    const tc = await TestCluster.start({ nodes: 1, controllers: ['deployment-controller', 'replicaset-controller', 'serviceaccount-controller', 'garbage-collector-controller'] });
    await tc.sh('kubectl create deployment web --image=nginx --replicas=2');
    await tc.tick('5s');
    const [orphan] = await replicaSets(tc);
    await tc.sh('kubectl delete deployment web --cascade=orphan --wait=false');
    await tc.tick('5s');
    expect(await tc.get<DeploymentObject>('deployments', 'web')).toBeUndefined();
    await tc.sh('kubectl create deployment web --image=nginx --replicas=2');
    await tc.tick('5s');
    const all = await replicaSets(tc);
    expect(all.map((rs) => rs.metadata?.name)).toEqual([orphan!.metadata!.name]);
    const d = (await tc.get<DeploymentObject>('deployments', 'web'))!;
    expect(all[0]!.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'web', uid: d.metadata?.uid })]);
    expect(all[0]!.spec?.template?.spec?.containers?.[0]?.resources).toEqual({});
    expect(d.spec?.template?.spec?.containers?.[0]?.resources).toEqual({});
    tc.stop();
  });

  it('surfaces the ReplicaSet ReplicaFailure condition', async () => {
    const tc = await start();
    await tc.apply(`apiVersion: v1
kind: ResourceQuota
metadata:
  name: two-pods
spec:
  hard:
    pods: "2"
`);
    await tc.tick('1s');
    await tc.apply(deploymentYaml({ replicas: 3 }));
    await tc.tick('10s');
    const d = await tc.get<DeploymentObject>('deployments', 'web');
    const failure = condition(d, 'ReplicaFailure');
    expect(failure).toMatchObject({ status: 'True', reason: 'FailedCreate' });
    expect(failure?.message).toContain('exceeded quota: two-pods');
    expect(d?.status?.availableReplicas).toBe(2);
    tc.stop();
  });
});
