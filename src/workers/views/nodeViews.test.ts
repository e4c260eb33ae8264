/**
 * The node-internals and scheduler views against the lab's default cluster: a pod's processes, cgroups,
 * overlay and scheduling decision as the engine holds them, and what the views say of things that are gone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCluster, type Scenario } from '../../engine/testing/scenarios/scenario.ts';
import { containerOverlay } from './containerOverlay.ts';
import { nodeCgroups } from './nodeCgroups.ts';
import { nodeProcesses } from './nodeProcesses.ts';
import { schedulerDecision } from './schedulerDecision.ts';

let s: Scenario;
let node: string;

beforeAll(async () => {
  s = await defaultCluster();
  await s.out(`kubectl run web --image=nginx --overrides='{"spec":{"containers":[{"name":"web","image":"nginx","resources":{"limits":{"cpu":"200m","memory":"64Mi"}}}]}}'; sleep 20`);
  node = (await s.out(`kubectl get pod web -o jsonpath='{.spec.nodeName}'`)).trim();
}, 120_000);

const run = <A, V>(view: { parse(a: unknown): A; compute(lab: Scenario['lab'], a: A): V }, args: unknown): V => view.compute(s.lab, view.parse(args));

describe('node-processes', () => {
  it("lists the node's processes with their namespaces' inode numbers, as /proc/<pid>/ns shows them", async () => {
    const v = run(nodeProcesses, { node });
    if (v.kind !== 'host') throw new Error('expected a host');
    const comms = v.processes.map((p) => p.comm);
    expect(comms).toEqual(expect.arrayContaining(['init', 'containerd', 'kubelet', 'containerd-shim', 'pause', 'nginx']));
    const web = v.containers.find((c) => c.podName === 'web' && c.kind === 'container')!;
    expect(web).toMatchObject({ name: 'web', podNamespace: 'default', image: 'docker.io/library/nginx:latest' });
    const nginx = v.processes.find((p) => p.pid === web.pid)!;
    expect(nginx).toMatchObject({ comm: 'nginx', container: web.id, nsPid: 1 });
    const links = await s.out(`ssh ${node} 'ls -l /proc/${nginx.pid}/ns' | awk '{print $NF}'`);
    for (const type of ['net', 'pid', 'mnt', 'uts', 'ipc'] as const) expect(links).toContain(`${type}:[${nginx.ns[type]}]`);
    // The pod's containers share the sandbox's net, uts and ipc namespaces; each has its own mnt and pid.
    const sandbox = v.containers.find((c) => c.podName === 'web' && c.kind === 'sandbox')!;
    const pause = v.processes.find((p) => p.pid === sandbox.pid)!;
    expect(pause.comm).toBe('pause');
    expect(nginx.ns.net).toBe(pause.ns.net);
    expect(nginx.ns.mnt).not.toBe(pause.ns.mnt);
    const init = v.processes.find((p) => p.pid === 1)!;
    expect(nginx.ns.net).not.toBe(init.ns.net);
    expect(v.processes.find((p) => p.comm === 'kubelet')!.ns.net).toBe(init.ns.net);
  });

  it('says a lightweight or unknown node is absent, and refuses bad arguments', () => {
    expect(run(nodeProcesses, { node: 'control-plane' })).toEqual({ kind: 'absent', node: 'control-plane' });
    expect(run(nodeProcesses, { node: 'no-such-node' })).toEqual({ kind: 'absent', node: 'no-such-node' });
    expect(() => nodeProcesses.parse({})).toThrow('node-processes: node must be a non-empty string');
    expect(() => nodeProcesses.parse(null)).toThrow('node-processes: expected { node }, got null');
  });
});

describe('node-cgroups', () => {
  it("shows the pod's cgroup and its containers' scopes with memory.current, memory.max and cpu.max", async () => {
    const v = run(nodeCgroups, { node });
    if (v.kind !== 'host') throw new Error('expected a host');
    expect(v.cgroups[0]!.path).toBe('/');
    expect(v.cgroups[1]!.path).toBe('/kubepods.slice');
    const scope = v.cgroups.find((c) => c.container?.kind === 'container' && c.container.name === 'web')!;
    expect(scope.pod).toBe('default/web');
    expect(scope.memory.max).toBe(64 * 1024 * 1024);
    expect(scope.cpu.quotaUs).toBe(20_000);
    expect(scope.memory.current).toBeGreaterThan(0);
    const file = await s.out(`ssh ${node} 'cat /sys/fs/cgroup${scope.path}/memory.current /sys/fs/cgroup${scope.path}/memory.max'`);
    expect(file).toBe(`${scope.memory.current}\n${scope.memory.max}\n`);
    const podCgroup = v.cgroups.find((c) => c.path === scope.path.slice(0, scope.path.lastIndexOf('/')))!;
    expect(podCgroup).toMatchObject({ pod: 'default/web' });
    expect(podCgroup.container).toBeUndefined();
    expect(podCgroup.depth).toBe(scope.depth - 1);
  });

  it("shows a CPU-bound container's throttling as cpu.stat counts it", async () => {
    await s.out(
      `kubectl run burn --image=polinux/stress --overrides='{"spec":{"nodeName":"${node}","containers":[{"name":"burn","image":"polinux/stress","command":["stress"],"args":["--cpu","1"],"resources":{"limits":{"cpu":"100m"}}}]}}'; sleep 15`,
    );
    const v = run(nodeCgroups, { node });
    if (v.kind !== 'host') throw new Error('expected a host');
    const scope = v.cgroups.find((c) => c.container?.kind === 'container' && c.container.name === 'burn')!;
    expect(scope.cpu.quotaUs).toBe(10_000);
    expect(scope.cpu.nrThrottled).toBeGreaterThan(0);
    const stat = await s.out(`ssh ${node} 'cat /sys/fs/cgroup${scope.path}/cpu.stat'`);
    expect(stat).toContain(`nr_throttled ${scope.cpu.nrThrottled}\n`);
    expect(stat).toContain(`throttled_usec ${scope.cpu.throttledUsec}\n`);
    await s.out('kubectl delete pod burn --grace-period=0 --force 2>/dev/null; sleep 2');
  }, 60_000);

  it('counts OOM kills in memory.events as the kernel does', async () => {
    await s.out(
      `kubectl run hog --image=polinux/stress --overrides='{"spec":{"nodeName":"${node}","containers":[{"name":"hog","image":"polinux/stress","command":["stress"],"args":["--vm","1","--vm-bytes","100M","--vm-hang","1"],"resources":{"limits":{"memory":"64Mi"}}}]}}'; sleep 30`,
    );
    const v = run(nodeCgroups, { node });
    if (v.kind !== 'host') throw new Error('expected a host');
    const pod = v.cgroups.find((c) => c.pod === 'default/hog' && !c.container)!;
    expect(pod.memory.oomKill).toBeGreaterThan(0);
    expect(await s.out(`kubectl get pod hog -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}'`)).toBe('OOMKilled');
    const events = await s.out(`ssh ${node} 'cat /sys/fs/cgroup${pod.path}/memory.events'`);
    expect(events).toContain(`oom_kill ${pod.memory.oomKill}\n`);
  }, 60_000);
});

describe('container-overlay', () => {
  it('lists the layers and shows a copy-up and a whiteout in the upperdir', async () => {
    const procs = run(nodeProcesses, { node });
    if (procs.kind !== 'host') throw new Error('expected a host');
    const web = procs.containers.find((c) => c.podName === 'web' && c.kind === 'container')!;
    const before = run(containerOverlay, { node, container: web.id });
    if (before.kind !== 'overlay') throw new Error('expected an overlay');
    expect(before.lowerdirs.length).toBeGreaterThan(1);
    expect(before.lowerdirs[0]!.diffId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(before.merged).toBe(`/run/containerd/io.containerd.runtime.v2.task/k8s.io/${web.id}/rootfs`);
    expect(before.entries.find((e) => e.path === '/etc/nginx/nginx.conf')).toBeUndefined();
    const mount = await s.out(`ssh ${node} 'mount' | grep ${web.id}`);
    expect(mount).toContain(`upperdir=${before.upperdir}`);
    expect(mount).toContain(`lowerdir=${before.lowerdirs.map((l) => l.path).join(':')}`);

    await s.out(`kubectl exec web -- sh -c 'echo x >> /etc/nginx/nginx.conf; rm /docker-entrypoint.sh; echo y > /new.txt'`);
    const after = run(containerOverlay, { node, container: web.id });
    if (after.kind !== 'overlay') throw new Error('expected an overlay');
    const byPath = new Map(after.entries.map((e) => [e.path, e]));
    expect(byPath.get('/etc/nginx/nginx.conf')).toMatchObject({ change: 'copy-up', type: 'file', fromLayer: expect.any(Number) });
    expect(byPath.get('/etc/nginx')).toMatchObject({ change: 'dir', type: 'dir' });
    expect(byPath.get('/docker-entrypoint.sh')).toMatchObject({ change: 'whiteout', type: 'chardev', fromLayer: expect.any(Number) });
    expect(byPath.get('/new.txt')).toMatchObject({ change: 'new', type: 'file', size: 2 });
  });

  it('says a container that is gone is gone, and refuses a bad id', () => {
    expect(run(containerOverlay, { node, container: 'ab'.repeat(32) })).toEqual({ kind: 'gone', node, container: 'ab'.repeat(32) });
    expect(run(containerOverlay, { node: 'nowhere', container: 'ab' })).toMatchObject({ kind: 'gone' });
    expect(() => containerOverlay.parse({ node, container: '../etc' })).toThrow('container-overlay: container must be a container id (hex digits)');
  });
});

describe('scheduler-decision', () => {
  it('gives each node its filter verdict and each feasible node its scores, and the pick', () => {
    const v = run(schedulerDecision, { namespace: 'default', name: 'web' });
    if (v.kind !== 'attempt') throw new Error('expected an attempt');
    expect(v.filterPlugins).toEqual(expect.arrayContaining(['NodeUnschedulable', 'TaintToleration', 'NodeResourcesFit']));
    expect(v.filters.map((f) => f.node)).toEqual(['control-plane', 'worker-1', 'worker-2']);
    expect(v.filters[0]).toEqual({ node: 'control-plane', passed: false, plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] });
    expect(v.filters.slice(1).every((f) => f.passed)).toBe(true);
    expect(v.scores.map((r) => r.node).sort()).toEqual(['worker-1', 'worker-2']);
    for (const row of v.scores) expect(row.total).toBe(row.weighted.reduce((a, b) => a + b, 0));
    expect(v.outcome).toEqual({ kind: 'Scheduled', node });
  });

  it('explains an unschedulable pod with the FailedScheduling message', async () => {
    await s.out(`kubectl run big --image=nginx --overrides='{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"100"}}}]}}'; sleep 5`);
    const v = run(schedulerDecision, { namespace: 'default', name: 'big' });
    if (v.kind !== 'attempt') throw new Error('expected an attempt');
    expect(v.filters.filter((f) => f.reasons?.includes('Insufficient cpu')).map((f) => f.node)).toEqual(['worker-1', 'worker-2']);
    expect(v.outcome.kind).toBe('Unschedulable');
    const events = await s.out(`kubectl get events --field-selector involvedObject.name=big,reason=FailedScheduling -o jsonpath='{.items[0].message}'`);
    expect(events).toBe((v.outcome as { message: string }).message);
    expect(run(schedulerDecision, { namespace: 'default', name: 'never-made' })).toEqual({ kind: 'none', namespace: 'default', name: 'never-made' });
    expect(schedulerDecision.version!(s.lab, { namespace: 'default', name: 'big' })).toMatch(/\/\d+\/\d+$/);
  });
});
