import { describe, expect, it } from 'vitest';
import { Pipe } from '../../kernel/process/stdio.ts';
import { Pty } from '../../kernel/tty/pty.ts';
import { settle, advance } from '../dockerd/testing.ts';
import type { CriCall } from './criService.ts';
import { rfc3339Nano } from './criLog.ts';
import { bootCriNode, podSandboxConfig, within } from './testing.ts';
import type { ContainerConfig, PodSandboxConfig } from './types.ts';

const UID = '0b6c3c5e-1d2f-4a5b-8c9d-0e1f2a3b4c5d';

function containerConfig(name: string, command: string[], extra: Partial<ContainerConfig> = {}): ContainerConfig {
  return {
    metadata: { name, attempt: 0 },
    image: { image: 'docker.io/library/busybox:latest' },
    command,
    logPath: `${name}/0.log`,
    labels: { 'io.kubernetes.container.name': name, 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'default' },
    ...extra,
  };
}

async function podWith(node: ReturnType<typeof bootCriNode>, sandbox: PodSandboxConfig = podSandboxConfig('web', UID)) {
  const { cri, clock } = node;
  await settle(clock, cri.pullImage({ image: 'busybox' }));
  const { podSandboxId } = await settle(clock, cri.runPodSandbox({ config: sandbox }));
  const run = async (config: ContainerConfig) => {
    const { containerId } = await cri.createContainer({ podSandboxId, config, sandboxConfig: sandbox });
    await cri.startContainer(containerId);
    return containerId;
  };
  return { podSandboxId, run, sandbox };
}

describe('CriService', () => {
  it('runs a sandbox and two containers sharing its net, ipc and uts namespaces, each with its own mount namespace', async () => {
    const node = bootCriNode();
    const { cri, host } = node;
    const { podSandboxId, run } = await podWith(node);
    const a = await run(containerConfig('a', ['sleep', '3600']));
    const b = await run(containerConfig('b', ['sleep', '3600']));
    const pause = (await cri.podSandboxStatus(podSandboxId, true)).info['info']!;
    const pausePid = (JSON.parse(pause) as { pid: number }).pid;
    const pid = (id: string) => host.table.list().find((p) => p.argv[0] === 'sleep' && p.cgroup.path.includes(id))!;
    const links = (p: { nsLinks(): Array<{ name: string; link: string }> }) => Object.fromEntries(p.nsLinks().map((l) => [l.name, l.link]));
    const [pa, pb, pp] = [links(pid(a)), links(pid(b)), links(host.table.find(pausePid)!)];
    for (const ns of ['net', 'ipc', 'uts']) {
      expect(pa[ns]).toBe(pp[ns]);
      expect(pb[ns]).toBe(pp[ns]);
    }
    expect(pa['mnt']).not.toBe(pb['mnt']);
    expect(pa['mnt']).not.toBe(pp['mnt']);
    expect(pa['pid']).not.toBe(pp['pid']);
    expect(pa['net']).not.toBe(links(host.init)['net']);

    const status = await cri.podSandboxStatus(podSandboxId);
    expect(status.status.state).toBe('SANDBOX_READY');
    expect(status.status.network.ip).toBe('10.244.1.2');
    const vfs = host.vfsFor(host.init);
    expect(vfs.readFile('/var/lib/cni/networks/cbr0/10.244.1.2')).toBe(`${podSandboxId}\r\neth0`);
    expect(vfs.readFile(`/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${podSandboxId}/resolv.conf`)).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
    expect(vfs.readFile(`/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${podSandboxId}/hostname`)).toBe('web\n');
    expect(vfs.readdir('/var/run/netns').map((e) => e.name).filter((n) => n.startsWith('cni-'))).toHaveLength(1);
    expect(pid(a).cgroup.path).toBe(`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replace(/-/g, '_')}.slice/cri-containerd-${a}.scope`);

    const list = await cri.listContainers({ podSandboxId: podSandboxId.slice(0, 8), state: { state: 'CONTAINER_RUNNING' } });
    expect(list.containers.map((c) => c.metadata.name).sort()).toEqual(['a', 'b']);
  });

  it('runs a host-network sandbox with no hostname in the node’s net and uts namespaces, named as the node', async () => {
    const node = bootCriNode();
    const { cri, host, clock } = node;
    const { hostname: _, ...base } = podSandboxConfig('proxy', UID);
    const config = { ...base, linux: { ...base.linux, securityContext: { namespaceOptions: { network: 'NODE' as const, pid: 'CONTAINER' as const, ipc: 'POD' as const } } } };
    const { podSandboxId, run } = await podWith(node, config);
    const id = await run(containerConfig('proxy', ['sleep', '3600']));
    const spec = JSON.parse((await cri.podSandboxStatus(podSandboxId, true)).info['info']!) as { runtimeSpec: { hostname?: string; linux: { namespaces: Array<{ type: string }> } } };
    expect([spec.runtimeSpec.hostname ?? '', spec.runtimeSpec.linux.namespaces.map((n) => n.type)]).toEqual(['', ['pid', 'ipc', 'mount']]);
    expect(await within(clock, cri.execSync({ containerId: id, cmd: ['sh', '-c', 'hostname; cat /etc/hostname; echo $HOSTNAME'] }))).toEqual({ stdout: 'node-1\nnode-1\nnode-1\n', stderr: '', exitCode: 0 });
    const links = (p: { nsLinks(): Array<{ name: string; link: string }> }) => Object.fromEntries(p.nsLinks().map((l) => [l.name, l.link]));
    const proxy = links(host.table.list().find((p) => p.argv[0] === 'sleep' && p.cgroup.path.includes(id))!);
    const init = links(host.init);
    expect([proxy['uts'], proxy['net']]).toEqual([init['uts'], init['net']]);
  });

  it.each([
    ['the image’s USER, a name (coredns: nonroot:nonroot)', 'registry.k8s.io/coredns/coredns:v1.11.3', {}, { uid: 65532, gid: 65532, additionalGids: [65532] }],
    ['root, in the groups /etc/group lists it in (busybox: wheel)', 'busybox', {}, { uid: 0, gid: 0, additionalGids: [0, 10] }],
    ['runAsUser with a passwd entry: its gid', 'busybox', { runAsUser: { value: 65534 } }, { uid: 65534, gid: 65534, additionalGids: [65534] }],
    ['runAsUser without one: gid 0', 'busybox', { runAsUser: { value: 1000 } }, { uid: 1000, gid: 0, additionalGids: [0] }],
    ['runAsUser, runAsGroup and supplementalGroups', 'busybox', { runAsUser: { value: 1000 }, runAsGroup: { value: 3000 }, supplementalGroups: [4000] }, { uid: 1000, gid: 3000, additionalGids: [3000, 4000] }],
    ['runAsUsername over runAsUser', 'busybox', { runAsUsername: 'mail', runAsUser: { value: 1000 } }, { uid: 8, gid: 8, additionalGids: [8] }],
  ])('runs a container as %s', async (_, image, securityContext, user) => {
    const node = bootCriNode();
    const { cri, clock, containerd, host } = node;
    await settle(clock, cri.pullImage({ image }));
    const { podSandboxId, sandbox } = await podWith(node);
    const { containerId: id } = await cri.createContainer({ podSandboxId, config: { ...containerConfig('app', ['sleep', '3600'], { image: { image } }), linux: { securityContext } }, sandboxConfig: sandbox });
    expect(containerd.container('k8s.io', id).spec.process!.user).toEqual(user);
    if (image === 'busybox') {
      await cri.startContainer(id);
      const proc = host.table.list().find((p) => p.cgroup.path.includes(id))!;
      expect([proc.cred.uid, proc.cred.gid, proc.cred.groups]).toEqual([user.uid, user.gid, user.additionalGids]);
    }
    // The rootfs was mounted only for the lookups.
    expect(host.vfsFor(host.init).readdir('/var/lib/containerd/tmpmounts')).toEqual([]);
  });

  it.each([
    ['a user name the image’s /etc/passwd lacks', { runAsUsername: 'ghost' }, /^rpc error: code = Unknown desc = failed to create containerd container: mount callback failed on \/var\/lib\/containerd\/tmpmounts\/containerd-mount\d+: no users found$/],
    ['a group without a user', { runAsGroup: { value: 3000 } }, /^rpc error: code = Unknown desc = failed to get container spec opts: failed to generate user string: user group "3000" is specified without user$/],
  ])('refuses %s, creating nothing', async (_, securityContext, message) => {
    const node = bootCriNode();
    const { cri, containerd } = node;
    const { run } = await podWith(node);
    await expect(run({ ...containerConfig('app', ['sleep', '3600']), linux: { securityContext } })).rejects.toThrow(message);
    expect([(await cri.listContainers()).containers, containerd.containers('k8s.io').map((c) => c.labels['io.cri-containerd.kind'])]).toEqual([[], ['sandbox']]);
  });

  it('writes cpu.max and memory.max from the resources, and updates them', async () => {
    const node = bootCriNode();
    const { cri, host } = node;
    const { run } = await podWith(node);
    const id = await run(containerConfig('a', ['sleep', '3600'], { linux: { resources: { cpuPeriod: 100000, cpuQuota: 50000, cpuShares: 512, memoryLimitInBytes: 64 * 1024 * 1024 } } }));
    const sleeper = [...host.table.list()].find((p) => p.argv[0] === 'sleep')!;
    const dir = `/sys/fs/cgroup${sleeper.cgroup.path}`;
    const vfs = host.vfsFor(host.init);
    expect([vfs.readFile(`${dir}/cpu.max`), vfs.readFile(`${dir}/memory.max`)]).toEqual(['50000 100000\n', '67108864\n']);
    await cri.updateContainerResources(id, { cpuPeriod: 100000, cpuQuota: 20000, memoryLimitInBytes: 128 * 1024 * 1024 });
    expect([vfs.readFile(`${dir}/cpu.max`), vfs.readFile(`${dir}/memory.max`)]).toEqual(['20000 100000\n', '134217728\n']);
    expect((await cri.containerStatus(id)).status.resources?.linux.memoryLimitInBytes).toBe(128 * 1024 * 1024);
  });

  it('writes the output to the log in the CRI format and records Completed and Error exits', async () => {
    const node = bootCriNode();
    const { cri, host, clock } = node;
    const { run } = await podWith(node);
    const ok = await run(containerConfig('ok', ['sh', '-c', 'echo hello; echo oops >&2; printf tail']));
    const bad = await run(containerConfig('bad', ['sh', '-c', 'exit 3']));
    await advance(clock, 1000);
    const log = host.vfsFor(host.init).readFile(`/var/log/pods/default_web_${UID}/ok/0.log`);
    const okStatus = (await cri.containerStatus(ok)).status;
    expect(log.replace(/^\S+ /gm, '<time> ')).toBe('<time> stdout F hello\n<time> stderr F oops\n<time> stdout F tail\n');
    expect(log.split(' ')[0]).toBe(rfc3339Nano(okStatus.startedAt / 1e6 + 1));
    expect([okStatus.state, okStatus.exitCode, okStatus.reason]).toEqual(['CONTAINER_EXITED', 0, 'Completed']);
    const badStatus = (await cri.containerStatus(bad)).status;
    expect([badStatus.state, badStatus.exitCode, badStatus.reason]).toEqual(['CONTAINER_EXITED', 3, 'Error']);
    expect(badStatus.logPath).toBe(`/var/log/pods/default_web_${UID}/bad/0.log`);
  });

  it('reports OOMKilled with exit code 137 when the memory limit kills the container', async () => {
    const node = bootCriNode();
    const { cri, clock } = node;
    await settle(clock, cri.pullImage({ image: 'polinux/stress' }));
    const { run } = await podWith(node);
    const id = await run(
      containerConfig('hog', ['stress', '--vm', '1', '--vm-bytes', '100M', '--vm-hang', '1'], { image: { image: 'polinux/stress' }, linux: { resources: { memoryLimitInBytes: 32 * 1024 * 1024, unified: { 'memory.oom.group': '1' } } } }),
    );
    await advance(clock, 5000);
    const status = (await cri.containerStatus(id)).status;
    expect([status.state, status.exitCode, status.reason]).toEqual(['CONTAINER_EXITED', 137, 'OOMKilled']);
  });

  it('stops with the image’s stop signal and SIGKILLs after the grace period', async () => {
    const node = bootCriNode();
    const { cri, clock } = node;
    await settle(clock, cri.pullImage({ image: 'nginx' }));
    const { run } = await podWith(node);
    // nginx's image says STOPSIGNAL SIGQUIT: a graceful shutdown, exit 0.
    const polite = await run(containerConfig('polite', ['nginx', '-g', 'daemon off;'], { image: { image: 'nginx' } }));
    // A pid 1 without a SIGTERM handler never sees the signal: only SIGKILL ends it.
    const stubborn = await run(containerConfig('stubborn', ['sleep', '3600']));
    const start = clock.now();
    await within(clock, cri.stopContainer(polite, 30));
    expect(clock.now() - start).toBeLessThan(1000);
    expect((await cri.containerStatus(polite)).status.exitCode).toBe(0);
    const mid = clock.now();
    await within(clock, cri.stopContainer(stubborn, 5));
    expect(clock.now() - mid).toBe(5000);
    const s = (await cri.containerStatus(stubborn)).status;
    expect([s.state, s.exitCode, s.reason]).toEqual(['CONTAINER_EXITED', 137, 'Error']);
  });

  it('runs ExecSync with its output and exit code, and kills it at the timeout', async () => {
    const node = bootCriNode();
    const { cri, clock } = node;
    const { run } = await podWith(node);
    const id = await run(containerConfig('a', ['sleep', '3600']));
    expect(await within(clock, cri.execSync({ containerId: id, cmd: ['sh', '-c', 'hostname; echo err >&2; exit 4'] }))).toEqual({ stdout: 'web\n', stderr: 'err\n', exitCode: 4 });
    await expect(within(clock, cri.execSync({ containerId: id, cmd: ['sleep', '10'], timeout: 1 }))).rejects.toThrow(
      'rpc error: code = Unknown desc = failed to exec in container: timeout 1s exceeded: context deadline exceeded',
    );
    // runc says `exec failed: …` once, and the shim wraps it once.
    await expect(within(clock, cri.execSync({ containerId: id, cmd: ['nope'] }))).rejects.toThrow(
      /^rpc error: code = Unknown desc = failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in \$PATH: unknown$/,
    );
    const exec = await cri.exec({ containerId: id, cmd: ['echo', 'streamed'], stdout: true });
    expect(exec.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exec\/[A-Za-z0-9_-]{8}$/);
    let out = '';
    expect(await within(clock, cri.streaming.connect(exec.url, { stdout: { write: (t) => void (out += t) } }))).toBe(0);
    expect(out).toBe('streamed\n');
    await expect(cri.streaming.connect(exec.url, {})).rejects.toThrow('404 page not found');
  });

  it('fails with containerd’s errors and codes, changing nothing', async () => {
    const node = bootCriNode();
    const { cri, clock } = node;
    const calls: CriCall[] = [];
    cri.onDidCall((c) => calls.push(c));
    await expect(cri.podSandboxStatus('nope')).rejects.toThrow('rpc error: code = NotFound desc = an error occurred when try to find sandbox "nope": not found');
    await expect(settle(clock, cri.pullImage({ image: 'nope' }))).rejects.toMatchObject({
      code: 'Unknown',
      desc: 'failed to pull and unpack image "docker.io/library/nope:latest": failed to resolve reference "docker.io/library/nope:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    });
    const { run, podSandboxId } = await podWith(node);
    await expect(run(containerConfig('x', ['nope']))).rejects.toThrow(
      'rpc error: code = Unknown desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
    );
    const failed = (await cri.listContainers()).containers[0]!;
    const s = (await cri.containerStatus(failed.id)).status;
    expect([s.state, s.exitCode, s.reason]).toEqual(['CONTAINER_EXITED', 128, 'StartError']);
    await expect(cri.runPodSandbox({ config: podSandboxConfig('web', UID) })).rejects.toThrow(`failed to reserve sandbox name "web_default_${UID}_0": name "web_default_${UID}_0" is reserved for "${podSandboxId}"`);
    expect(calls[0]).toMatchObject({ service: 'RuntimeService', method: 'PodSandboxStatus', request: { podSandboxId: 'nope' }, time: Date.UTC(2026, 0, 1, 9), durationMs: 0 });
    expect(calls.find((c) => c.method === 'PullImage' && !c.error)?.durationMs).toBeGreaterThan(0);
  });

  it('leaves a container whose task fails to start exited with StartError, and removable', async () => {
    const node = bootCriNode();
    const { cri, host } = node;
    host.vfsFor(host.init).writeFile('/srv/not-a-binary', 'hello\n', { mode: 0o755 });
    const { podSandboxId, sandbox } = await podWith(node);
    const config = { ...containerConfig('bad', ['/not-a-binary']), mounts: [{ containerPath: '/not-a-binary', hostPath: '/srv/not-a-binary' }] };
    const { containerId } = await cri.createContainer({ podSandboxId, config, sandboxConfig: sandbox });
    await expect(cri.startContainer(containerId)).rejects.toThrow(
      `rpc error: code = Unknown desc = failed to start containerd task "${containerId}": OCI runtime start failed: runc start failed: unable to start container process: exec /not-a-binary: exec format error: unknown`,
    );
    const s = (await cri.containerStatus(containerId)).status;
    expect([s.state, s.exitCode, s.reason, s.startedAt]).toEqual(['CONTAINER_EXITED', 128, 'StartError', 0]);
    expect(s.message).toMatch(/^failed to start containerd task/);
    await cri.removeContainer(containerId);
    expect((await cri.listContainers()).containers).toEqual([]);
  });

  it('stops and removes a sandbox: containers killed, network torn down, files gone', async () => {
    const node = bootCriNode();
    const { cri, clock, host } = node;
    const { podSandboxId, run } = await podWith(node);
    await run(containerConfig('a', ['sleep', '3600']));
    await within(clock, cri.stopPodSandbox(podSandboxId));
    expect((await cri.listContainers()).containers.map((c) => c.state)).toEqual(['CONTAINER_EXITED']);
    expect((await cri.podSandboxStatus(podSandboxId)).status.state).toBe('SANDBOX_NOTREADY');
    const vfs = host.vfsFor(host.init);
    expect(vfs.readdir('/var/lib/cni/networks/cbr0').map((e) => e.name)).toEqual(['last_reserved_ip.0']);
    await within(clock, cri.removePodSandbox(podSandboxId));
    expect((await cri.listPodSandbox()).items).toEqual([]);
    expect((await cri.listContainers()).containers).toEqual([]);
    expect(() => vfs.stat(`/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${podSandboxId}`)).toThrow();
    expect([...host.table.list()].filter((p) => p.argv[0] === 'sleep' || p.argv[0] === '/pause')).toEqual([]);
  });

  it('reports NetworkReady false until the pod CIDR is set', async () => {
    const { cri } = bootCriNode({ podCidr: '' });
    expect((await cri.status()).status.conditions[1]).toEqual({ type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'Network plugin returns error: cni plugin not initialized' });
    await cri.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: '10.244.2.0/24' } } });
    expect((await cri.status()).status.conditions[1]).toEqual({ type: 'NetworkReady', status: true, reason: '', message: '' });
  });
});

describe('CriService streams with stdin and a tty', () => {
  /** A caller's stdin (keys to type) and the screen it sees. */
  function caller() {
    const pipe = new Pipe();
    let screen = '';
    return { pipe, io: { stdin: pipe.source, stdout: { write: (t: string) => void (screen += t) }, consoleSize: { cols: 100, rows: 30 } }, screen: () => screen };
  }

  it('attaches to a tty container’s shell: keys in, the pty’s output out and in the log, its size set, until it exits', async () => {
    const node = bootCriNode();
    const { cri, clock, host } = node;
    const { run } = await podWith(node);
    const id = await run(containerConfig('box', ['sh'], { stdin: true, stdinOnce: true, tty: true }));
    await advance(clock, 100);
    const { url } = await cri.attach({ containerId: id, stdin: true, stdout: true, tty: true });
    const you = caller();
    const session = cri.streaming.connect(url, you.io);
    you.pipe.sink.write('ps -o pid,tty,args\r');
    await advance(clock, 100);
    expect(you.screen()).toMatch(/^ps -o pid,tty,args\r\nPID +TT +COMMAND\r\n +1 136,0 +sh\r\n +\d+ 136,0 +ps -o pid,tty,args\r\n\/ # $/);
    const sh = host.table.list().find((p) => p.argv[0] === 'sh' && p.cgroup.path.includes(id))!;
    expect([Pty.of(sh.stdio)?.cols, Pty.of(sh.stdio)?.rows]).toEqual([100, 30]);
    you.pipe.sink.write('exit 3\r');
    expect(await within(clock, session)).toBe(3);
    expect((await cri.containerStatus(id)).status).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 3, reason: 'Error' });
    const log = host.vfsFor(host.init).readFile('/var/log/pods/default_web_' + UID + '/box/0.log');
    expect(log.split('\n').map((l) => l.split(' ').slice(1).join(' '))).toEqual(['stdout F / # ps -o pid,tty,args\r', 'stdout F PID   TT     COMMAND\r', 'stdout F     1 136,0  sh\r', 'stdout F     2 136,0  ps -o pid,tty,args\r', 'stdout F / # exit 3\r', '']);
  });

  it('closes a StdinOnce container’s stdin when the caller’s input ends; without StdinOnce the attach ends and the container runs on', async () => {
    const node = bootCriNode();
    const { cri, clock } = node;
    const { run } = await podWith(node);
    const once = await run(containerConfig('once', ['wc', '-l'], { stdin: true, stdinOnce: true }));
    const a = caller();
    const first = cri.streaming.connect((await cri.attach({ containerId: once, stdin: true, stdout: true, stderr: true })).url, a.io);
    a.pipe.sink.write('one\ntwo\n');
    a.pipe.close();
    expect(await within(clock, first)).toBe(0);
    expect(a.screen()).toBe('2\n');

    const open = await run(containerConfig('open', ['sh', '-c', 'while read line; do echo "got $line"; done'], { stdin: true }));
    const b = caller();
    const second = cri.streaming.connect((await cri.attach({ containerId: open, stdin: true, stdout: true })).url, b.io);
    b.pipe.sink.write('hello\n');
    await advance(clock, 100);
    b.pipe.close();
    expect(await within(clock, second)).toBe(0);
    expect(b.screen()).toBe('got hello\n');
    expect((await cri.containerStatus(open)).status.state).toBe('CONTAINER_RUNNING');
    const c = caller();
    const third = cri.streaming.connect((await cri.attach({ containerId: open, stdin: true, stdout: true })).url, c.io);
    c.pipe.sink.write('again\n');
    await advance(clock, 100);
    expect(c.screen()).toBe('got again\n');
    await cri.stopContainer(open, 0);
    expect(await within(clock, third)).toBe(137);
  });

  it('runs Exec with a tty on a pty of its own, and refuses tty with stderr', async () => {
    const node = bootCriNode();
    const { cri, clock } = node;
    const { run } = await podWith(node);
    const id = await run(containerConfig('app', ['sleep', '3600']));
    const you = caller();
    const session = cri.streaming.connect((await cri.exec({ containerId: id, cmd: ['sh'], stdin: true, stdout: true, tty: true })).url, you.io);
    await advance(clock, 100);
    you.pipe.sink.write('echo $TERM; ps -o pid,tty,args\r');
    await advance(clock, 100);
    you.pipe.sink.write('exit\r');
    expect(await within(clock, session)).toBe(0);
    expect(you.screen()).toMatch(/^\/ # echo \$TERM; ps -o pid,tty,args\r\nxterm\r\nPID +TT +COMMAND\r\n +1 +\? +sleep 3600\r\n +\d+ 136,0 +sh\r\n +\d+ 136,0 +ps -o pid,tty,args\r\n\/ # exit\r\n$/);
    await expect(cri.exec({ containerId: id, cmd: ['sh'], stdout: true, stderr: true, tty: true })).rejects.toThrow('rpc error: code = InvalidArgument desc = tty and stderr cannot both be true');
    await expect(cri.attach({ containerId: id })).rejects.toThrow('rpc error: code = InvalidArgument desc = one of stdin, stdout, or stderr must be set');
  });
});
