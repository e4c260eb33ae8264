import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import { RESOURCES } from '../client/resources.ts';
import { fullNodeLab } from './testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Kubelet on a full node', () => {
  it('registers the Node as a 1.32 kubelet on containerd does, and renews its Lease', async () => {
    const { client, tick } = await fullNodeLab({ yieldToHost });
    const node = await client.resource(RESOURCES.nodes).get('', 'worker-1');
    const status = node.status as NonNullable<Node['status']>;
    expect(status.capacity).toEqual({ cpu: '2', 'ephemeral-storage': '20971520Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4194304Ki', pods: '110' });
    expect(status.allocatable).toEqual({ cpu: '2', 'ephemeral-storage': '18874368Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '4091904Ki', pods: '110' });
    expect(status.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ]);
    expect(status.nodeInfo).toMatchObject({ containerRuntimeVersion: 'containerd://1.7.22', kernelVersion: '6.8.0-49-generic', kubeletVersion: 'v1.32.4', operatingSystem: 'linux', architecture: 'amd64' });
    expect(status.addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'worker-1' },
    ]);
    const renew = async () => ((await client.resource(RESOURCES.leases).get('kube-node-lease', 'worker-1')).spec as { renewTime: string }).renewTime;
    const first = await renew();
    await tick(10_000);
    expect(await renew()).not.toBe(first);
  });

  it('writes its node status when it changed, else every 5 minutes: Ready again at once after a partition, its own fields restored', async () => {
    const { client, tick, lab } = await fullNodeLab({ yieldToHost });
    const nodes = client.resource(RESOURCES.nodes);
    const status = async () => (await nodes.get('', 'worker-1')).status as NonNullable<Node['status']>;
    const ready = async () => (await status()).conditions?.find((c) => c.type === 'Ready');
    const beat = (await ready())?.lastHeartbeatTime;
    // Nothing changed: the Lease is the heartbeat, the status waits for the report frequency.
    await tick(4 * 60_000);
    expect((await ready())?.lastHeartbeatTime).toBe(beat);
    // The status loop runs every 10 s and writes at the first run five minutes after the last write (Ready,
    // a moment after it started, once its pod CIDR arrived): at 5m10s.
    await tick(70_000);
    expect((await ready())?.lastHeartbeatTime).not.toBe(beat);
    // Cut off long enough for the node lifecycle controller to give up on it, then back.
    lab.cluster.failNode('worker-1');
    await tick(60_000);
    expect([(await ready())?.status, (await ready())?.reason]).toEqual(['Unknown', 'NodeStatusUnknown']);
    lab.cluster.recoverNode('worker-1');
    await tick(10_000);
    expect([(await ready())?.status, (await ready())?.reason, (await ready())?.message]).toEqual(['True', 'KubeletReady', 'kubelet is posting ready status']);
    // A field the kubelet owns, changed in the API, is set back at the next update.
    const node = await nodes.get('', 'worker-1');
    await nodes.updateStatus('', { ...node, status: { ...(node.status as Node['status']), addresses: [{ type: 'InternalIP', address: '10.0.0.99' }] } });
    await tick(10_000);
    expect((await status()).addresses).toEqual([
      { type: 'InternalIP', address: '172.18.0.3' },
      { type: 'Hostname', address: 'worker-1' },
    ]);
  });

  it('runs a hostNetwork pod in the node’s uts namespace, named as the node, and a pod as its securityContext’s user and groups', async () => {
    const { apply, tick, pod, sh } = await fullNodeLab({ yieldToHost });
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: hostnet}
spec:
  hostNetwork: true
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: groups}
spec:
  securityContext: {runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, supplementalGroups: [4000]}
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"]}
`);
    await tick(30_000);
    expect([(await pod('hostnet')).status?.phase, (await pod('hostnet')).status?.podIP, (await pod('groups')).status?.phase]).toEqual(['Running', '172.18.0.3', 'Running']);
    expect(await sh("kubectl exec hostnet -- sh -c 'hostname; cat /etc/hostname; echo $HOSTNAME'")).toBe('worker-1\nworker-1\nworker-1\n');
    const uts = (out: string) => / -> (uts:\[\d+\])$/m.exec(out)?.[1];
    const node = uts(await sh('ssh worker-1 ls -l /proc/1/ns/uts'));
    expect([uts(await sh('kubectl exec hostnet -- ls -l /proc/self/ns/uts')), uts(await sh('kubectl exec groups -- ls -l /proc/self/ns/uts'))]).toEqual([node, expect.not.stringMatching(node ?? '')]);
    // fsGroup and supplementalGroups join runAsGroup (the kernel keeps a process's groups sorted, so compare them as a set).
    expect(await sh('kubectl exec groups -- sh -c "id -u; id -g"')).toBe('1000\n3000\n');
    expect((await sh('kubectl exec groups -- id -G')).trim().split(' ').sort()).toEqual(['2000', '3000', '4000']);
  });

  it('lists a pod with a subdomain in its hosts file under its fully qualified name too', async () => {
    const { apply, tick, pod, sh } = await fullNodeLab({ yieldToHost });
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: web-0}
spec:
  hostname: web-0
  subdomain: nginx
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"]}
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec:
  containers:
  - {name: app, image: busybox, command: [sleep, "3600"]}
`);
    await tick(30_000);
    const [ip, plainIp] = [(await pod('web-0')).status?.podIP, (await pod('plain')).status?.podIP];
    expect((await sh('kubectl exec web-0 -- tail -1 /etc/hosts')).trimEnd()).toBe(`${ip}\tweb-0.nginx.default.svc.cluster.local\tweb-0`);
    expect((await sh('kubectl exec plain -- tail -1 /etc/hosts')).trimEnd()).toBe(`${plainIp}\tplain`);
  });

  it('runs a pod: Pending → ContainerCreating → Running, with the events and `kubectl get pods -o wide`', async () => {
    const { apply, tick, pod, events, sh } = await fullNodeLab({ yieldToHost });
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx}\n');
    await tick(1000);
    const early = await pod('web');
    expect(early.status?.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    await tick(30_000);
    const running = await pod('web');
    expect(running.status?.phase).toBe('Running');
    // The only node of this lab: kube-controller-manager's node-ipam gave it the cluster CIDR's first /24.
    expect(running.status?.podIP).toBe('10.244.0.2');
    expect(running.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const ev = await events('web');
    expect(ev.map((e) => e.replace(/ in [\d.]+m?s \([\d.]+m?s including waiting\)\. Image size: \d+ bytes\./, ' in <t>.'))).toEqual([
      'Normal Scheduled: Successfully assigned default/web to worker-1',
      'Normal Pulling: Pulling image "nginx"',
      'Normal Pulled: Successfully pulled image "nginx" in <t>.',
      'Normal Created: Created container web',
      'Normal Started: Started container web',
    ]);
    const out = await sh('kubectl get pods -o wide');
    expect(out.replace(/\d+s /, 'AGE ')).toMatch(/^NAME {3}READY {3}STATUS {4}RESTARTS {3}AGE {3}IP {11}NODE {7}NOMINATED NODE {3}READINESS GATES\nweb {4}1\/1 {5}Running {3}0 {10}AGE *10\.244\.0\.2 {3}worker-1 {3}<none> {11}<none>\n$/);
    const crictl = await sh('ssh worker-1 crictl ps');
    expect(crictl).toMatch(/Running\s+web\s+0\s+\w+\s+web/);
  });

  it('restarts a container that exits 1 with CrashLoopBackOff: 10s, 20s, 40s after each exit', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: crash}\nspec:\n  containers:\n  - {name: crash, image: busybox, command: [sh, -c, "exit 1"]}\n');
    const seen: Array<{ restarts: number; started?: string; lastFinished?: string; waiting?: string }> = [];
    for (let i = 0; i < 150; i++) {
      await tick(1000);
      const s = (await pod('crash')).status?.containerStatuses?.[0];
      if (!s) continue;
      const entry = { restarts: s.restartCount, ...(s.state?.waiting?.message ? { waiting: s.state.waiting.message } : {}) };
      if (!seen.some((e) => JSON.stringify(e) === JSON.stringify(entry))) seen.push(entry);
    }
    const uid = (await pod('crash')).metadata?.uid ?? '';
    const waits = seen.filter((e) => e.waiting).map((e) => `${e.restarts}: ${e.waiting}`);
    expect(waits.slice(0, 3)).toEqual([
      `1: back-off 10s restarting failed container=crash pod=crash_default(${uid})`,
      `2: back-off 20s restarting failed container=crash pod=crash_default(${uid})`,
      `3: back-off 40s restarting failed container=crash pod=crash_default(${uid})`,
    ]);
    const final = (await pod('crash')).status!;
    expect(final.phase).toBe('Running');
    const s = final.containerStatuses![0]!;
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    // Restarts at 0s, 10s, 20s, 40s after the exits: the fifth start comes ~75s after the first.
    expect(s.restartCount).toBeGreaterThanOrEqual(4);
    expect((await events('crash')).find((e) => e.startsWith('Warning BackOff'))).toMatch(new RegExp(`^Warning BackOff: Back-off restarting failed container crash in pod crash_default\\(${uid}\\) \\(x\\d+\\)$`));
  });

  it('OOM-kills a container that allocates 100Mi under a 64Mi limit, and restarts it', async () => {
    const { apply, tick, pod, lab } = await fullNodeLab({ yieldToHost });
    await apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: hog}\nspec:\n  containers:\n  - name: hog\n    image: polinux/stress\n    command: [stress, --vm, "1", --vm-bytes, 100M, --vm-hang, "1"]\n    resources: {limits: {memory: 64Mi}}\n',
    );
    await tick(40_000);
    const status = (await pod('hog')).status!;
    const s = status.containerStatuses![0]!;
    expect(s.restartCount).toBeGreaterThanOrEqual(1);
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
    expect(status.qosClass).toBe('Burstable');
    const uid = (await pod('hog')).metadata!.uid!.replace(/-/g, '_');
    const vfs = lab.cluster.fullNodes.get('worker-1')!.host.vfsFor(lab.cluster.fullNodes.get('worker-1')!.host.init);
    const podCg = `/sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid}.slice`;
    expect([vfs.readFile(`${podCg}/memory.max`), vfs.readFile(`${podCg}/cpu.weight`)]).toEqual(['67108864\n', '1\n']);
  });

  it('runs init containers in order before the containers (Init:0/2, Init:1/2, Running)', async () => {
    const { apply, tick, pod, events, sh } = await fullNodeLab({ yieldToHost });
    await apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: init}\nspec:\n  initContainers:\n  - {name: one, image: busybox, command: [sleep, "5"]}\n  - {name: two, image: busybox, command: [sleep, "5"]}\n  containers:\n  - {name: main, image: busybox, command: [sleep, "3600"]}\n',
    );
    const statuses = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await tick(1000);
      const line = (await sh('kubectl get pod init --no-headers')).split(/\s+/)[2] ?? '';
      statuses.add(line);
    }
    expect([...statuses].filter((x) => x !== 'Pending')).toEqual(['Init:0/2', 'Init:1/2', 'PodInitializing', 'Running'].filter((x) => statuses.has(x)));
    expect(statuses.has('Init:0/2') && statuses.has('Init:1/2') && statuses.has('Running')).toBe(true);
    const started = (await events('init')).filter((e) => e.includes('Started'));
    expect(started).toEqual(['Normal Started: Started container one', 'Normal Started: Started container two', 'Normal Started: Started container main']);
    const p = await pod('init');
    expect(p.status?.initContainerStatuses?.map((c) => [c.name, c.state?.terminated?.reason, c.ready])).toEqual([
      ['one', 'Completed', true],
      ['two', 'Completed', true],
    ]);
  });

  it('reports a missing image as ErrImagePull, then ImagePullBackOff', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: ghost}\nspec:\n  containers:\n  - {name: ghost, image: nosuchimage:v1}\n');
    const reasons: string[] = [];
    for (let i = 0; i < 5; i++) {
      await tick(5000);
      reasons.push((await pod('ghost')).status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '');
    }
    // Pulls when scheduled and 10s later (the 10s backoff has passed); the sync 10s after that is inside the 20s backoff.
    expect(reasons).toEqual(['ErrImagePull', 'ErrImagePull', 'ErrImagePull', 'ErrImagePull', 'ImagePullBackOff']);
    expect((await pod('ghost')).status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "nosuchimage:v1"' });
    const ev = await events('ghost');
    expect(ev.map((e) => e.replace(/desc = .*?( \(x\d+\))?$/, 'desc = …$1'))).toEqual([
      'Normal Scheduled: Successfully assigned default/ghost to worker-1',
      'Normal Pulling: Pulling image "nosuchimage:v1" (x2)',
      'Warning Failed: Failed to pull image "nosuchimage:v1": rpc error: code = Unknown desc = … (x2)',
      'Warning Failed: Error: ErrImagePull (x2)',
      'Normal BackOff: Back-off pulling image "nosuchimage:v1"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
  });

  it('waits in ContainerCreating with FailedMount while a ConfigMap is missing, and runs once it exists', async () => {
    const { apply, tick, pod, events, sh } = await fullNodeLab({ yieldToHost });
    await apply(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: cfg}\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: [sleep, "3600"]\n    volumeMounts: [{name: cfg, mountPath: /etc/app}]\n  volumes:\n  - {name: cfg, configMap: {name: app-config}}\n',
    );
    await tick(5000);
    expect((await sh('kubectl get pod cfg --no-headers')).split(/\s+/)[2]).toBe('ContainerCreating');
    expect((await events('cfg'))[1]).toMatch(/^Warning FailedMount: MountVolume\.SetUp failed for volume "cfg" : configmap "app-config" not found/);
    await apply('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app-config}\ndata: {greeting: hello}\n');
    await tick(70_000);
    expect((await pod('cfg')).status?.phase).toBe('Running');
    expect(await sh("ssh worker-1 'crictl exec $(crictl ps -q --name app) cat /etc/app/greeting'")).toBe('hello');
  });

  it('fails a container whose env names a missing ConfigMap key with CreateContainerConfigError', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: env}\nspec:\n  containers:\n  - name: app\n    image: busybox\n    command: [sleep, "3600"]\n    env:\n    - {name: MODE, valueFrom: {configMapKeyRef: {name: settings, key: speed}}}\n',
    );
    await tick(5000);
    expect((await pod('env')).status?.containerStatuses?.[0]?.state?.waiting).toEqual({ reason: 'CreateContainerConfigError', message: "couldn't find key speed in ConfigMap default/settings" });
    expect(await events('env')).toContain("Warning Failed: Error: couldn't find key speed in ConfigMap default/settings");
  });

  it('rejects a pod bound to it that does not fit: OutOfcpu, phase Failed', async () => {
    const { apply, tick, pod, events } = await fullNodeLab({ yieldToHost });
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  nodeName: worker-1\n  containers:\n  - {name: big, image: busybox, resources: {requests: {cpu: "3"}}}\n');
    await tick(2000);
    const status = (await pod('big')).status!;
    expect([status.phase, status.reason, status.message]).toEqual(['Failed', 'OutOfcpu', "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000"]);
    expect(await events('big')).toEqual(["Warning OutOfcpu: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000"]);
  });

  it('deletes a pod gracefully: Killing, SIGTERM, the containers gone from crictl, the object deleted', async () => {
    const { apply, tick, pod, events, sh, client } = await fullNodeLab({ yieldToHost });
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - {name: web, image: nginx}\n');
    await tick(30_000);
    expect(await sh('ssh worker-1 crictl ps -q | wc -l')).toBe('1\n');
    await client.resource(RESOURCES.pods).delete('default', 'web');
    await tick(5000);
    await expect(pod('web')).rejects.toThrow(/not found/);
    expect(await events('web')).toContain('Normal Killing: Stopping container web');
    expect(await sh('ssh worker-1 crictl ps -a -q | wc -l')).toBe('0\n');
    expect(await sh('ssh worker-1 crictl pods -q | wc -l')).toBe('0\n');
  });
});
