import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../../client/rest/restClient.ts';
import { TestCluster } from '../../../testing/testCluster.ts';
import { advanceSettled } from '../../../base/advance.ts';
import { defaultFullNodeSpec, defaultNodeSpec } from '../../../cluster/cluster.ts';
import { runHeadless } from '../../../cluster/headless.ts';
import { Lab } from '../../../cluster/lab.ts';
import { parseLabDuration } from './lab.ts';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A lab with a light control plane and one full worker (worker-1), every controller and the scheduler. */
async function fullNodeLab() {
  const lab = new Lab({ seed: 3, cluster: { nodes: [defaultNodeSpec('control-plane', 0, { controlPlane: true })], fullNodes: [defaultFullNodeSpec('worker-1', 1)], controllers: 'all', scheduler: true } });
  await lab.cluster.boot();
  const sh = async (script: string) => {
    let stdout = '';
    let stderr = '';
    const code = await runHeadless(lab, script, { yieldToHost: settle, onOutput: (c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)) });
    return { stdout, stderr, code };
  };
  return { lab, sh, tick: (ms: number) => advanceSettled(lab.clock, ms, settle) };
}

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
    ['lab node fail nope', 'error: node "nope" is not a node of this lab\n'],
    ['lab node add --bogus', 'error: unknown flag: --bogus\n'],
  ])('%s fails clearly', async (line, stderr) => {
    const tc = await TestCluster.start({ nodes: 1 });
    expect(await tc.sh(line)).toEqual({ stdout: '', stderr, code: 1 });
    tc.stop();
  });

  it.each([
    ['lab node add --kind heavy', 'error: --kind must be light or full, got "heavy"\n'],
    ['lab node add --kind full --pods 50', "error: --pods applies to light nodes only (a full node's kubelet runs at most 110 pods)\n"],
    ['lab node add --kind=full --cpu 1500m', 'error: --cpu for a full node must be a whole number of CPUs, got "1500m"\n'],
    ['lab node add --kind full --memory lots', 'error: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'\n'],
  ])('%s fails clearly', async (line, stderr) => {
    const tc = await TestCluster.start({ nodes: 1 });
    expect(await tc.sh(line)).toEqual({ stdout: '', stderr, code: 1 });
    tc.stop();
  });

  it('adds a full node: a machine of the asked size whose kubelet registers it and runs its pods; `lab node` lists kinds', async () => {
    const { lab, sh, tick } = await fullNodeLab();
    expect(await sh('lab node add --kind full --cpu 4 --memory 8Gi; lab node add edge-1')).toEqual({ stdout: 'node/worker-2 added\nnode/edge-1 added\n', stderr: '', code: 0 });
    await tick(1000);
    expect((await sh('lab node')).stdout).toBe('NAME            KIND    STATE\ncontrol-plane   light   up\nedge-1          light   up\nworker-1        full    up\nworker-2        full    up\n');
    const worker2 = lab.cluster.fullNodes.get('worker-2')!;
    expect([worker2.host.cpus, worker2.spec.address, worker2.spec.podCIDR]).toEqual([4, '172.18.0.5', '10.244.3.0/24']);
    expect((await sh("kubectl get node worker-2 -o jsonpath='{.status.capacity.cpu} {.status.capacity.memory} {.status.nodeInfo.containerRuntimeVersion}'")).stdout).toBe('4 8388608Ki containerd://1.7.22');
    expect((await sh('kubectl run web --image=busybox --overrides=\'{"spec":{"nodeName":"worker-2"}}\' -- sh -c "hostname; sleep 3600"')).code).toBe(0);
    await tick(20_000);
    expect((await sh('kubectl logs web')).stdout).toBe('web\n');
    expect((await sh('ssh worker-2 crictl ps -q | wc -l')).stdout).toBe('1\n');
    lab.cluster.shutdown();
  });

  it('fail cuts a full node off from the control plane: NotReady, no logs; its container runs on; recover reconnects it', async () => {
    const { lab, sh, tick } = await fullNodeLab();
    const renewTime = async () => (await sh("kubectl get lease worker-1 -n kube-node-lease -o jsonpath='{.spec.renewTime}'")).stdout;
    // Until its pod CIDR arrives the node is NotReady (its network is not): let it get there first.
    await tick(5_000);
    expect((await sh('kubectl run web --image=busybox -- sh -c "while true; do echo tick; sleep 10; done"')).code).toBe(0);
    await tick(20_000);
    expect(await sh('lab node fail worker-1; lab node')).toEqual({ stdout: 'node/worker-1 failed\nNAME            KIND    STATE\ncontrol-plane   light   up\nworker-1        full    failed\n', stderr: '', code: 0 });
    const before = await renewTime();
    await tick(60_000);
    expect(await renewTime()).toBe(before);
    expect((await sh('kubectl get nodes worker-1 --no-headers')).stdout).toMatch(/^worker-1 +NotReady /);
    expect(await sh('kubectl logs web')).toEqual({ stdout: '', stderr: 'Error from server: Get "https://172.18.0.3:10250/containerLogs/default/web/web": dial tcp 172.18.0.3:10250: connect: connection refused\n', code: 1 });
    expect((await sh('ssh worker-1 crictl ps -q --state running --name=web | wc -l')).stdout).toBe('1\n');
    expect(await sh('lab node recover worker-1')).toEqual({ stdout: 'node/worker-1 recovered\n', stderr: '', code: 0 });
    await tick(10_000);
    expect(await renewTime()).not.toBe(before);
    // The container logged through the partition: the log has every tick since it started.
    expect(Number((await sh('kubectl logs web | wc -l')).stdout.trim())).toBeGreaterThanOrEqual(9);
    lab.cluster.shutdown();
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
    expect(await tc.sh('lab explain schedule nope -n kube-system')).toEqual({ stdout: '', stderr: 'error: the scheduler has not tried to schedule pod "nope" in namespace "kube-system" (it skips pods created with spec.nodeName and pods held by scheduling gates)\n', code: 1 });
    tc.stop();
  });
});
