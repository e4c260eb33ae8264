import { describe, expect, it } from 'vitest';
import type { Process } from '../../kernel/process/process.ts';
import { SIGKILL, SIGTERM } from '../../kernel/process/signal.ts';
import { generateSpec, withCPUCFS, withHostname, withHostNamespace, withImageConfig, withMemoryLimit, withProcessArgs, type SpecOpts } from '../oci/specOpts.ts';
import type { ContainerState } from '../runc/state.ts';
import { bootNode, collector, flush, pull, type TestNode } from './testing.ts';
import type { Envelope } from './containerd.ts';

const NS = 'default';

async function run(node: TestNode, id: string, ...opts: SpecOpts[]) {
  const image = await pull(node, NS, 'busybox');
  const config = node.containerd.image(NS, image).config.config;
  const spec = generateSpec(id, NS, withImageConfig(config), ...opts);
  node.containerd.createContainer(NS, { id, image, spec });
  const stdout = collector();
  const task = node.containerd.newTask(NS, id, { stdout, stderr: collector() });
  return { task, stdout };
}

const read = (node: TestNode, p: Process, path: string) => node.host.vfsFor(p).readFile(path);
const proc = (node: TestNode, pid: number) => node.host.table.find(pid)!;

describe('containerd → containerd-shim-runc-v2 → runc', () => {
  it('runs a container whose init is pid 1 inside and a child of the shim on the host', async () => {
    const node = await Promise.resolve(bootNode());
    const { task } = await run(node, 'web', withProcessArgs('sleep', 'infinity'), withHostname('web'));
    task.start();
    const init = proc(node, task.pid);
    expect(init.comm).toBe('sleep');
    expect(read(node, node.host.init, `/proc/${task.pid}/status`)).toContain(`NSpid:\t${task.pid}\t1\n`);
    const shim = init.parent!;
    expect(shim.comm).toBe('containerd-shim');
    expect(shim.argv).toEqual(['/usr/bin/containerd-shim-runc-v2', '-namespace', NS, '-id', 'web', '-address', '/run/containerd/containerd.sock']);
    expect(shim.parent).toBe(node.host.init);
    expect(node.host.table.list().filter((p) => p.comm === 'runc' && !p.exitState)).toEqual([]);
    const hostNs = new Map(node.host.init.nsLinks().map((l) => [l.name, l.link]));
    for (const l of init.nsLinks()) {
      if (['net', 'uts', 'ipc', 'pid', 'pid_for_children', 'mnt'].includes(l.name)) expect(l.link).not.toBe(hostNs.get(l.name));
      else expect(l.link).toBe(hostNs.get(l.name));
    }
    expect(node.host.uname(init).nodename).toBe('web');
    expect(node.host.hostname).toBe('node-1');
  });

  it('puts the init in the cgroup of the spec with its limits written', async () => {
    const node = bootNode();
    const { task } = await run(node, 'lim', withProcessArgs('sleep', 'infinity'), withMemoryLimit(64 * 1024 * 1024), withCPUCFS(50_000, 100_000));
    const init = proc(node, task.pid);
    expect(read(node, init, '/proc/self/cgroup')).toBe('0::/default/lim\n');
    expect(read(node, node.host.init, '/sys/fs/cgroup/default/lim/memory.max')).toBe('67108864\n');
    expect(read(node, node.host.init, '/sys/fs/cgroup/default/lim/cpu.max')).toBe('50000 100000\n');
    expect(task.metrics().cgroup.memoryLimitBytes).toBe(64 * 1024 * 1024);
    expect(task.pids()).toEqual([task.pid]);
  });

  it.each([
    ['cgroupfs', 'default/x', '/default/x'],
    ['systemd', 'system.slice:docker:x', '/system.slice/docker-x.scope'],
  ] as const)('names the cgroup with the %s driver', async (driver, cgroupsPath, path) => {
    const node = bootNode({ cgroupDriver: driver });
    const { withCgroup } = await import('../oci/specOpts.ts');
    const { task } = await run(node, 'x', withProcessArgs('sleep', 'infinity'), withCgroup(cgroupsPath));
    expect(node.host.hierarchy.lookup(path)?.tasks.size).toBe(1);
    expect(proc(node, task.pid).cgroup.path).toBe(path);
  });

  it('mounts the overlay rootfs, proc and the default mounts, then pivots into the rootfs', async () => {
    const node = bootNode();
    const { task } = await run(node, 'mnt', withProcessArgs('sleep', 'infinity'));
    task.start();
    const init = proc(node, task.pid);
    const mounts = read(node, init, '/proc/self/mounts');
    expect(mounts).toMatch(/^overlay \/ overlay rw,relatime,lowerdir=/);
    for (const line of ['proc /proc proc rw,nosuid,nodev,noexec,relatime', 'tmpfs /dev tmpfs', 'devpts /dev/pts devpts', 'shm /dev/shm tmpfs', 'mqueue /dev/mqueue mqueue', 'sysfs /sys sysfs ro,']) {
      expect(mounts).toContain(line);
    }
    expect(read(node, init, '/etc/passwd')).toContain('root:x:0:0:root:/root:/bin/sh');
    expect(node.host.vfsFor(init).readdir('/proc').some((e) => e.name === String(task.pid))).toBe(false);
    expect(node.host.vfsFor(init).readdir('/proc').some((e) => e.name === '1')).toBe(true);
    expect(read(node, node.host.init, '/proc/self/mountinfo')).toContain('/run/containerd/io.containerd.runtime.v2.task/default/mnt/rootfs');
  });

  it('captures stdout through the shim and reports the exit', async () => {
    const node = bootNode();
    const events: Envelope[] = [];
    node.containerd.onDidPublish((e) => events.push(e));
    const { task, stdout } = await run(node, 'hello', withProcessArgs('echo', 'hello', 'world'));
    const exited = task.wait();
    task.start();
    await flush();
    expect(stdout.text).toBe('hello world\n');
    expect((await exited).exitStatus).toBe(0);
    expect(events.map((e) => e.topic)).toEqual(['/images/create', '/containers/create', '/tasks/create', '/tasks/start', '/tasks/exit']);
    const deleted = task.delete();
    expect(deleted.exitStatus).toBe(0);
    expect(() => node.host.vfsFor(node.host.init).stat('/run/containerd/io.containerd.runtime.v2.task/default/hello')).toThrow();
    expect(node.host.table.list().some((p) => p.comm === 'containerd-shim' && !p.exitState)).toBe(false);
  });

  it('a pid-namespace init ignores SIGTERM; SIGKILL ends it with 137; outside a pid namespace SIGTERM gives 143', async () => {
    const node = bootNode();
    const { task } = await run(node, 'a', withProcessArgs('sleep', 'infinity'));
    task.start();
    task.kill(SIGTERM);
    expect(task.state().status).toBe('running');
    const exited = task.wait();
    task.kill(SIGKILL);
    expect((await exited).exitStatus).toBe(137);
    const other = await run(node, 'b', withProcessArgs('sleep', 'infinity'), withHostNamespace('pid'));
    other.task.start();
    const done = other.task.wait();
    other.task.kill(SIGTERM);
    expect((await done).exitStatus).toBe(143);
    expect(other.task.state()).toMatchObject({ status: 'stopped', exitStatus: 143 });
  });

  it("reports a missing executable in runc's words", async () => {
    const node = bootNode();
    await expect(run(node, 'bad', withProcessArgs('foo'))).rejects.toThrow(
      'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "foo": executable file not found in $PATH: unknown',
    );
    expect(node.host.hierarchy.lookup('/default/bad')).toBeUndefined();
    expect(node.containerd.task(NS, 'bad')).toBeUndefined();
  });

  it('keeps runc state in /run/containerd/runc/<ns>/<id>/state.json', async () => {
    const node = bootNode();
    const { task } = await run(node, 'st', withProcessArgs('sleep', 'infinity'));
    const vfs = node.host.vfsFor(node.host.init);
    const state = JSON.parse(vfs.readFile('/run/containerd/runc/default/st/state.json')) as ContainerState;
    expect(state).toMatchObject({ id: 'st', init_process_pid: task.pid, cgroup_paths: { '': '/sys/fs/cgroup/default/st' } });
    expect(state.config.labels).toContain('bundle=/run/containerd/io.containerd.runtime.v2.task/default/st');
    expect(task.state().status).toBe('created');
    expect(proc(node, task.pid).comm).toBe('runc:[2:INIT]');
    task.start();
    expect(task.state().status).toBe('running');
    expect(() => vfs.stat('/run/containerd/runc/default/st/exec.fifo')).toThrow();
  });

  it('execs a process into the running container', async () => {
    const node = bootNode();
    const { task } = await run(node, 'ex', withProcessArgs('sleep', 'infinity'), withHostname('ex'));
    task.start();
    const out = collector();
    const done = task.wait('e1');
    const pid = task.exec('e1', { user: { uid: 0, gid: 0 }, args: ['hostname'], env: ['PATH=/bin'], cwd: '/' }, { stdout: out });
    await flush();
    expect(out.text).toBe('ex\n');
    expect((await done).exitStatus).toBe(0);
    expect(pid).toBeGreaterThan(task.pid);
  });
});
