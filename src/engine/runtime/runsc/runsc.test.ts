import { describe, expect, it } from 'vitest';
import { flush } from '../containerd/testing.ts';
import { bootSandboxNode, execIn, registerBusybox, run } from '../sandbox/testing.ts';
import { withMemoryLimit, withProcessArgs } from '../oci/specOpts.ts';
import { RUNSC_V1, installRunsc } from './installRunsc.ts';
import type { RunscShim } from './runscShim.ts';
import { GVISOR_MESSAGES } from './sentry.ts';

function gvisorNode() {
  const node = bootSandboxNode();
  const sockets = installRunsc(node.containerd, { programs: registerBusybox });
  return { node, sockets };
}

const live = (node: ReturnType<typeof gvisorNode>['node']) => node.host.table.list().filter((p) => !p.exitState);

describe('io.containerd.runsc.v1', () => {
  it.each(['busybox', 'alpine'])('runs %s in the sentry: the node shows the shim, the gofer and the sandbox, never the container', async (image) => {
    const { node, sockets } = gvisorNode();
    const { task } = await run(node, RUNSC_V1, 'g', image, withProcessArgs('sleep', 'infinity'));
    task.start();
    const shim = sockets.connect('default', 'g') as RunscShim;
    expect(shim.process.argv[0]).toBe('/usr/bin/containerd-shim-runsc-v1');
    const sandbox = node.host.table.find(task.pid)!;
    expect(sandbox.argv.slice(0, 2)).toEqual(['runsc-sandbox', '--root=/run/containerd/runsc/default']);
    expect(sandbox.argv.at(-1)).toBe('g');
    expect(sandbox.parent).toBe(shim.process);
    const gofer = live(node).find((p) => p.argv[0] === 'runsc-gofer')!;
    expect(gofer.parent).toBe(shim.process);
    expect(gofer.cgroup.path).toBe('/default/g');
    expect(sandbox.cgroup.path).toBe('/default/g');
    expect(live(node).some((p) => p.comm === 'sleep')).toBe(false);
    const container = shim.kernel!.table.list().find((p) => p.comm === 'sleep')!;
    expect(container.pidIn(container.pidNs)).toBe(1);
    expect(shim.kernel!.vfsFor(container).readFile('/proc/self/mounts')).toMatch(/^none \/ 9p rw,relatime,trans=fd,rfdno=4,wfdno=4,cache=remote_revalidating 0 0\n/);
  });

  it("has gVisor's kernel identity: uname -r, /proc/version", async () => {
    const { node } = gvisorNode();
    const { task } = await run(node, RUNSC_V1, 'id', 'busybox', withProcessArgs('sleep', 'infinity'));
    task.start();
    expect(await execIn(task, 'r', 'uname', '-r')).toBe('4.4.0\n');
    expect(await execIn(task, 'v', 'uname', '-v')).toBe('#1 SMP Sun Jan 10 15:06:54 PST 2016\n');
    expect(await execIn(task, 'p', 'cat', '/proc/version')).toBe('Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016\n');
    expect(node.host.uname().release).toBe('6.8.0-49-generic');
  });

  it("prints gVisor's log in dmesg: Starting gVisor..., ten of its lines, Setting up VFS..., Ready!", async () => {
    const { node } = gvisorNode();
    const { task } = await run(node, RUNSC_V1, 'd', 'busybox', withProcessArgs('sleep', 'infinity'));
    task.start();
    const lines = (await execIn(task, 'd', 'dmesg')).trimEnd().split('\n');
    expect(lines).toHaveLength(13);
    expect(lines[0]).toBe('[    0.000000] Starting gVisor...');
    for (const line of lines.slice(1, 11)) expect(GVISOR_MESSAGES).toContain(line.replace(/^\[ *\d+\.\d{6}\] /, ''));
    expect(lines.slice(11).map((l) => l.replace(/^\[ *\d+\.\d{6}\] /, ''))).toEqual(['Setting up VFS...', 'Ready!']);
    const stamps = lines.map((l) => Number(/^\[ *(\d+\.\d+)\]/.exec(l)![1]));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
  });

  it('limits /proc to what gVisor implements and sizes the sentry from the memory limit', async () => {
    const { node } = gvisorNode();
    const { task } = await run(node, RUNSC_V1, 'p', 'busybox', withProcessArgs('sleep', 'infinity'), withMemoryLimit(512 * 1024 * 1024));
    task.start();
    const entries = (await execIn(task, 'l', 'ls', '/proc')).trim().split('\n');
    expect(entries).toEqual(expect.arrayContaining(['1', 'cpuinfo', 'meminfo', 'self', 'version', 'mounts']));
    for (const missing of ['kmsg', 'cmdline', 'partitions', 'swaps']) expect(entries).not.toContain(missing);
    expect(await execIn(task, 'm', 'cat', '/proc/meminfo')).toMatch(/^MemTotal: +524288 kB$/m);
    expect(node.host.vfsFor(node.host.init).readFile('/sys/fs/cgroup/default/p/memory.max')).toBe('536870912\n');
  });

  it('runs to exit and delete stops the sandbox', async () => {
    const { node } = gvisorNode();
    const { task, stdout } = await run(node, RUNSC_V1, 'e', 'busybox', withProcessArgs('echo', 'hi'));
    const exited = task.wait();
    task.start();
    await flush();
    expect(stdout.text).toBe('hi\n');
    expect((await exited).exitStatus).toBe(0);
    task.delete();
    expect(live(node).filter((p) => p.argv[0]?.startsWith('runsc') || p.comm === 'containerd-shim')).toEqual([]);
  });
});
