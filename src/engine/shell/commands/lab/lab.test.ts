import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../client/rest/restClient.ts';
import { TestCluster } from '../../../testing/testCluster.ts';
import { parseLabDuration } from './lab.ts';

describe('lab node', () => {
  it('adds lightweight nodes that register Ready with the asked capacity', async () => {
    const tc = await TestCluster.start({ nodes: 1 });
    const out = await tc.sh('lab node add --count 2 --cpu 8 --memory 32Gi --pods 50');
    expect(out).toEqual({ stdout: 'node/worker-2 added\nnode/worker-3 added\n', stderr: '', code: 0 });
    const node = await tc.get<Node & KubeObject>('nodes', 'worker-3');
    expect(node?.status?.capacity).toMatchObject({ cpu: '8', memory: '32Gi', pods: '50' });
    expect(node?.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node?.status?.addresses?.[0]?.address).not.toBe((await tc.get<Node & KubeObject>('nodes', 'worker-1'))?.status?.addresses?.[0]?.address);
    tc.stop();
  });

  it.each([
    ['lab node add worker-1', 'error: node "worker-1" already exists\n'],
    ['lab node add --count 0', 'error: --count must be a positive integer\n'],
    ['lab node fail nope', 'error: node "nope" is not a lightweight node of this lab\n'],
    ['lab node add --bogus', 'error: unknown flag: --bogus\n'],
  ])('%s fails clearly', async (line, stderr) => {
    const tc = await TestCluster.start({ nodes: 1 });
    expect(await tc.sh(line)).toEqual({ stdout: '', stderr, code: 1 });
    tc.stop();
  });

  it('fail stops the node lease renewals; recover resumes them', async () => {
    const tc = await TestCluster.start({ nodes: 1 });
    const renewTime = async () => ((await tc.client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true }).get('kube-node-lease', 'worker-1')) as { spec: { renewTime: string } }).spec.renewTime;
    await tc.tick('20s');
    const before = await renewTime();
    expect((await tc.sh('lab node fail worker-1')).stdout).toBe('node/worker-1 failed\n');
    await tc.tick('60s');
    expect(await renewTime()).toBe(before);
    expect((await tc.sh('lab node recover worker-1')).stdout).toBe('node/worker-1 recovered\n');
    expect(await renewTime()).not.toBe(before);
    tc.stop();
  });
  it('renews a lease another writer changed or deleted', async () => {
    const tc = await TestCluster.start({ nodes: 1 });
    const lease = async () => (await tc.client.resource({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true }).get('kube-node-lease', 'worker-1')) as { metadata: { annotations?: Record<string, string> }; spec: { renewTime: string } };
    await tc.tick('10s');
    expect((await tc.sh('kubectl annotate lease worker-1 -n kube-node-lease note=kept')).code).toBe(0);
    const before = (await lease()).spec.renewTime;
    await tc.tick('10s');
    expect((await lease()).spec.renewTime).not.toBe(before);
    expect((await lease()).metadata.annotations).toEqual({ note: 'kept' });
    expect((await tc.sh('kubectl delete lease worker-1 -n kube-node-lease')).code).toBe(0);
    await tc.tick('10s');
    expect((await lease()).spec.renewTime).toBe(new Date(tc.clock.now()).toISOString().replace('Z', '000Z'));
    tc.stop();
  });
});

describe('lab reset', () => {
  it('boots a fresh cluster from the lab spec; files, shells and the clock go on', async () => {
    const tc = await TestCluster.start({ nodes: 2, controllers: 'all', scheduler: true });
    expect((await tc.sh('kubectl create deployment web --image=nginx --replicas=2 && lab node add && echo kept > notes.txt')).code).toBe(0);
    await tc.tick('10s');
    expect((await tc.sh('kubectl get pods -o name | wc -l; kubectl get nodes -o name')).stdout).toBe('2\nnode/worker-1\nnode/worker-2\nnode/worker-3\n');
    const before = tc.clock.now();
    expect(await tc.sh('lab reset')).toEqual({ stdout: 'cluster reset\n', stderr: '', code: 0 });
    expect(tc.clock.now()).toBe(before);
    expect(await tc.sh('kubectl get pods')).toEqual({ stdout: '', stderr: 'No resources found in default namespace.\n', code: 0 });
    expect((await tc.sh('kubectl get nodes -o name; cat notes.txt')).stdout).toBe('node/worker-1\nnode/worker-2\nkept\n');
    expect((await tc.sh('kubectl create deployment api --image=nginx --replicas=3')).code).toBe(0);
    await tc.tick('10s');
    expect((await tc.sh("kubectl get pods --no-headers | awk '{print $3}' | sort | uniq -c")).stdout).toBe('      3 Running\n');
    // The lab command follows the new cluster: its scheduler explains the new pods.
    expect((await tc.sh('lab explain schedule $(kubectl get pods -o name | head -1 | cut -d/ -f2)')).code).toBe(0);
    tc.stop();
  });

  it('takes no arguments', async () => {
    const tc = await TestCluster.start();
    expect(await tc.sh('lab reset now')).toEqual({ stdout: '', stderr: 'error: unexpected argument "now" for "lab reset"\n', code: 1 });
    tc.stop();
  });
});

describe('lab clock', () => {
  it('advances virtual time, running what falls due', async () => {
    const tc = await TestCluster.start();
    const start = tc.clock.now();
    const out = await tc.sh('lab clock advance 1h30m');
    expect(out.code).toBe(0);
    expect(tc.clock.now() - start).toBe(5_400_000);
    expect(out.stdout).toBe(`2026-01-01T01:30:00Z  paused  speed 1x\n`);
    expect((await tc.sh('lab clock speed 200')).stderr).toBe('error: speed must be a number from 0.25 to 100\n');
    expect((await tc.sh('lab clock advance soon')).stderr).toBe('error: lab clock advance needs a duration such as 30s or 5m, got "soon"\n');
    tc.stop();
  });

  it.each([
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['1.5s', 1500],
    ['x', undefined],
    ['10', undefined],
  ])('parses %s', (text, ms) => expect(parseLabDuration(text)).toBe(ms));
});

describe('lab explain schedule', () => {
  it("prints the scheduler's last attempt for a pod, and says when there is none", async () => {
    const tc = await TestCluster.start({ nodes: 2, scheduler: true, controllers: ['serviceaccount-controller'] });
    await tc.apply(`apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx
    resources:
      requests: {cpu: 100m}
`);
    await tc.tick('2s');
    const out = await tc.sh('lab explain schedule web');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('worker-1');
    expect(out.stdout).toContain('worker-2');
    expect(out.stdout).toContain('NodeResourcesFit');
    expect(await tc.sh('lab explain schedule nope -n kube-system')).toEqual({ stdout: '', stderr: 'error: the scheduler has not tried to schedule pod "nope" in namespace "kube-system" (pods with spec.nodeName skip it)\n', code: 1 });
    tc.stop();
  });
});
