import { describe, expect, it } from 'vitest';
import { flush } from '../containerd/testing.ts';
import { withCPUCFS, withMemoryLimit, withProcessArgs } from '../oci/specOpts.ts';
import { KATA_V2, installKata } from './installKata.ts';
import { GUEST_KERNEL_RELEASE } from './guestKernel.ts';
import type { KataShim } from './kataShim.ts';
import { bootSandboxNode, execIn, registerBusybox, run } from '../sandbox/testing.ts';

function kataNode() {
  const node = bootSandboxNode();
  const sockets = installKata(node.containerd, { programs: registerBusybox });
  return { node, sockets };
}

const live = (node: ReturnType<typeof kataNode>['node']) => node.host.table.list().filter((p) => !p.exitState);

describe('io.containerd.kata.v2', () => {
  it.each(['busybox', 'alpine'])('runs %s in a VM: the node shows the shim, qemu and virtiofsd, never the container', async (image) => {
    const { node, sockets } = kataNode();
    const { task } = await run(node, KATA_V2, 'vm', image, withProcessArgs('sleep', 'infinity'));
    task.start();
    const shim = sockets.connect('default', 'vm') as KataShim;
    const qemu = node.host.table.find(task.pid)!;
    expect(qemu.comm).toBe('qemu-system-x86');
    expect(qemu.argv.join(' ')).toContain('-name sandbox-vm -uuid ');
    expect(qemu.argv.join(' ')).toMatch(/ -m 2048M,slots=10,maxmem=4096M .* -smp 1,cores=1,threads=1,sockets=2,maxcpus=2$/);
    expect(qemu.parent).toBe(shim.process);
    expect(shim.process.comm).toBe('containerd-shim');
    expect(shim.process.argv[0]).toBe('/usr/bin/containerd-shim-kata-v2');
    const virtiofsd = live(node).find((p) => p.comm === 'virtiofsd')!;
    expect(virtiofsd.argv).toContain('--shared-dir=/run/kata-containers/shared/sandboxes/vm/shared');
    expect(live(node).some((p) => p.comm === 'sleep')).toBe(false);
    const guest = shim.kernel!;
    const init = guest.table.find(1)!;
    expect(init.comm).toBe('kata-agent');
    const container = guest.table.list().find((p) => p.comm === 'sleep')!;
    expect(container.parent).toBe(init);
    expect(container.pidIn(container.pidNs)).toBe(1);
    expect(guest.vfsFor(container).readFile('/proc/self/mounts')).toMatch(/^kataShared \/ virtiofs rw/);
  });

  it('charges the VM memory to the container cgroup on the node', async () => {
    const { node } = kataNode();
    const { task } = await run(node, KATA_V2, 'mem', 'busybox', withProcessArgs('sleep', 'infinity'));
    const qemu = node.host.table.find(task.pid)!;
    expect(qemu.cgroup.path).toBe('/default/mem');
    expect(task.metrics().cgroup.memoryUsageBytes).toBeGreaterThanOrEqual(158 * 1024 * 1024);
    expect(qemu.vszKb).toBeGreaterThan(2048 * 1024);
  });

  it("sees the guest kernel: uname -r, /proc/version and dmesg differ from the node's", async () => {
    const { node } = kataNode();
    const { task } = await run(node, KATA_V2, 'k', 'busybox', withProcessArgs('sleep', 'infinity'));
    task.start();
    expect(await execIn(task, 'r', 'uname', '-r')).toBe(`${GUEST_KERNEL_RELEASE}\n`);
    expect(node.host.uname().release).toBe('6.8.0-49-generic');
    expect(await execIn(task, 'v', 'cat', '/proc/version')).toMatch(/^Linux version 6\.1\.62 \(@kata-containers\)/);
    const dmesg = await execIn(task, 'd', 'dmesg');
    expect(dmesg).toMatch(/^\[ {4}0\.000000\] Linux version 6\.1\.62 /);
    expect(dmesg).toContain('] Hypervisor detected: KVM\n');
    expect(dmesg).toContain('] virtio-pci 0000:01:01.0: enabling device (0000 -> 0003)\n');
    expect(dmesg).toContain('] Run /usr/bin/kata-agent as init process\n');
    expect(dmesg).not.toContain('6.8.0-49-generic');
  });

  it('sizes the VM from the limits: cpuinfo and meminfo inside show its vCPUs and memory', async () => {
    const { node } = kataNode();
    const { task } = await run(node, KATA_V2, 'sz', 'busybox', withProcessArgs('sleep', 'infinity'), withCPUCFS(100_000, 100_000), withMemoryLimit(256 * 1024 * 1024));
    task.start();
    const cpuinfo = await execIn(task, 'c', 'cat', '/proc/cpuinfo');
    expect(cpuinfo.match(/^processor\t: /gm)).toHaveLength(2);
    const meminfo = await execIn(task, 'm', 'cat', '/proc/meminfo');
    expect(meminfo).toMatch(/^MemTotal: +2359296 kB$/m);
  });

  it("fails as containerd does while Kata's shim is not installed", async () => {
    const node = bootSandboxNode();
    await expect(run(node, KATA_V2, 'x', 'busybox', withProcessArgs('sleep', '1'))).rejects.toThrow(
      'failed to create shim task: failed to start shim: failed to resolve runtime path: runtime "io.containerd.kata.v2" binary not installed "containerd-shim-kata-v2": file does not exist',
    );
  });

  it('shares the rootfs through virtio-fs: what the node writes into the rootfs is seen in the guest', async () => {
    const { node } = kataNode();
    const { task } = await run(node, KATA_V2, 'fs', 'busybox', withProcessArgs('sleep', 'infinity'));
    task.start();
    node.host.vfsFor(node.host.init).writeFile('/run/containerd/io.containerd.runtime.v2.task/default/fs/rootfs/etc/motd', 'shared\n');
    expect(await execIn(task, 'c', 'cat', '/etc/motd')).toBe('shared\n');
  });

  it('runs to exit, prints through the shim, and delete stops the VM', async () => {
    const { node } = kataNode();
    const { task, stdout } = await run(node, KATA_V2, 'w', 'busybox', withProcessArgs('echo', 'hello from the guest'));
    const exited = task.wait();
    task.start();
    await flush();
    expect(stdout.text).toBe('hello from the guest\n');
    expect((await exited).exitStatus).toBe(0);
    expect(task.delete().exitStatus).toBe(0);
    expect(live(node).filter((p) => ['qemu-system-x86', 'virtiofsd', 'containerd-shim'].includes(p.comm))).toEqual([]);
    expect(node.host.hierarchy.lookup('/default/w')).toBeUndefined();
  });
});
