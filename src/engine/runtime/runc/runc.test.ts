import { describe, expect, it } from 'vitest';
import { Pipe } from '../../kernel/process/stdio.ts';
import { bootNode, collector, pull } from '../containerd/testing.ts';
import { marshalSpec } from '../oci/spec.ts';
import { generateSpec, withImageConfig, withProcessArgs } from '../oci/specOpts.ts';
import { mountAll } from '../snapshots/mount.ts';
import { cgroupConfig, expandSlice, swapV2 } from './cgroupManager.ts';

/** A bundle at /srv/<id> with a busybox rootfs and a spec running `args`. */
async function bundle(id: string, ...args: string[]) {
  const node = bootNode();
  const image = await pull(node, 'default', 'busybox');
  const parent = node.containerd.unpack('default', image);
  const vfs = node.host.vfsFor(node.host.init);
  vfs.mkdirAll(`/srv/${id}/rootfs`);
  mountAll(vfs, node.containerd.snapshotter.prepare(id, parent), `/srv/${id}/rootfs`);
  vfs.writeFile(`/srv/${id}/config.json`, marshalSpec(generateSpec(id, 'default', withImageConfig(node.containerd.image('default', image).config.config), withProcessArgs(...args))));
  const runc = (...argv: string[]) => {
    const stdout = collector();
    const stderr = collector();
    const pipe = new Pipe();
    const p = node.host.spawn(['runc', ...argv], { cwd: `/srv/${id}`, stdio: { stdin: pipe.source, stdout, stderr } });
    return { status: p.exitStatus === undefined ? undefined : p.exitStatus >> 8, stdout: stdout.text, stderr: stderr.text, process: p };
  };
  return { node, vfs, runc };
}

describe('runc', () => {
  it('create, state, start, list, kill, delete as the runc binary', async () => {
    const { node, runc } = await bundle('c1', 'sleep', 'infinity');
    expect(runc('create', 'c1').status).toBe(0);
    const created = JSON.parse(runc('state', 'c1').stdout) as { pid: number; status: string };
    expect(created).toMatchObject({ ociVersion: '1.0.2-dev', id: 'c1', status: 'created', bundle: '/srv/c1', rootfs: '/srv/c1/rootfs', owner: 'root' });
    const init = node.host.table.find(created.pid)!;
    expect(init.argv).toEqual(['runc', 'init']);
    expect(init.parent).toBe(node.host.init);
    expect(runc('start', 'c1').status).toBe(0);
    expect(init.comm).toBe('sleep');
    expect(runc('list').stdout).toMatch(/^ID\s+PID\s+STATUS\s+BUNDLE\s+CREATED\s+OWNER\nc1\s+\d+\s+running\s+\/srv\/c1\s+2026-01-01T00:\d\d:\d\d(\.\d+)?Z\s+root\n$/);
    expect(runc('ps', '--format', 'json', 'c1').stdout).toBe(`[${created.pid}]\n`);
    expect(runc('delete', 'c1')).toMatchObject({ status: 1, stderr: 'cannot delete container c1 that is not stopped: running\n' });
    expect(runc('delete', '-f', 'c1').status).toBe(0);
    expect(runc('kill', 'c1', 'KILL')).toMatchObject({ status: 1, stderr: 'container does not exist\n' });
    expect(runc('state', 'c1')).toMatchObject({ status: 1, stderr: 'container does not exist\n' });
    expect(node.host.hierarchy.lookup('/default/c1')).toBeUndefined();
  });

  it.each([
    [['foo'], 'runc create failed: unable to start container process: exec: "foo": executable file not found in $PATH'],
    [['/bin/nope'], 'runc create failed: unable to start container process: exec: "/bin/nope": stat /bin/nope: no such file or directory'],
  ])('fails to create %j in runc words, leaving nothing behind', async (args, message) => {
    const { node, vfs, runc } = await bundle('c2', ...args);
    expect(runc('create', 'c2')).toMatchObject({ status: 1, stderr: `${message}\n` });
    expect(() => vfs.stat('/run/runc/c2')).toThrow();
    expect(node.host.table.list().filter((p) => p.comm.startsWith('runc') && !p.exitState)).toEqual([]);
  });

  it('refuses a second container with the same id', async () => {
    const { runc } = await bundle('c3', 'sleep', 'infinity');
    runc('create', 'c3');
    expect(runc('create', 'c3')).toMatchObject({ status: 1, stderr: 'runc create failed: container with given ID already exists\n' });
  });

  it('runs in the foreground and exits with the container', async () => {
    const { runc } = await bundle('c4', 'echo', 'hi');
    const r = runc('run', 'c4');
    expect(r).toMatchObject({ status: 0, stdout: 'hi\n' });
  });
});

describe('cgroup paths', () => {
  it.each([
    ['system.slice', '/system.slice'],
    ['kubepods-burstable-pod1_2.slice', '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1_2.slice'],
    ['-.slice', '/'],
  ])('expands %s', (slice, path) => {
    expect(expandSlice(slice)).toBe(path);
  });

  it.each([
    [false, '/kubepods/burstable/pod1/abc', '/kubepods/burstable/pod1/abc'],
    [true, 'kubepods-besteffort-pod1.slice:cri-containerd:abc', '/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-abc.scope'],
    [true, 'system.slice:docker:abc', '/system.slice/docker-abc.scope'],
  ])('systemd=%s %s → %s', (systemd, cgroupsPath, path) => {
    expect(cgroupConfig(cgroupsPath, systemd, 'abc').path).toBe(path);
  });

  it('insists on slice:prefix:name for systemd', () => {
    expect(() => cgroupConfig('/default/abc', true, 'abc')).toThrow('expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "/default/abc" instead');
  });
});

describe('swapV2', () => {
  it.each([
    [128, 64, 64],
    [64, 64, 0],
    [-1, 64, -1],
    [0, 64, 0],
    [0, -1, -1],
  ])('memory+swap %i over memory %i is a memory.swap.max of %i', (memorySwap, memory, swap) => {
    expect(swapV2(memorySwap, memory)).toBe(swap);
  });

  it.each([
    [128, 0, 'unable to set swap limit without memory limit'],
    [32, 64, 'memory+swap limit should be >= memory limit'],
  ])('memory+swap %i over memory %i fails: %s', (memorySwap, memory, message) => {
    expect(() => swapV2(memorySwap, memory)).toThrow(message);
  });
});
