/**
 * installKata — what installing Kata Containers 3.x on a node does for containerd: the shim binary
 * `/usr/bin/containerd-shim-kata-v2`, qemu and virtiofsd under /opt/kata, the guest kernel image and
 * initrd, and the runtime `io.containerd.kata.v2` registered with the node's containerd.
 */
import type { Containerd } from '../containerd/containerd.ts';
import { GUEST_INITRD, GUEST_KERNEL_IMAGE } from './guestKernel.ts';
import { KataShim, type KataConfig } from './kataShim.ts';
import { QEMU_BINARY, Qemu } from './qemu.ts';
import { SandboxShimProgram, ShimSockets } from '../sandbox/shimSockets.ts';
import { VIRTIOFSD_BINARY, Virtiofsd } from './virtiofsd.ts';

/** The Kata runtime's name. */
export const KATA_V2 = 'io.containerd.kata.v2';
/** The Kata shim binary containerd resolves the name to. */
export const KATA_SHIM_BINARY = '/usr/bin/containerd-shim-kata-v2';

/** Install Kata on `containerd`'s node and register `io.containerd.kata.v2`; returns its listening shims. */
export function installKata(containerd: Containerd, config: KataConfig): ShimSockets {
  const host = containerd.host;
  const sockets = new ShimSockets();
  host.programs.register('containerd-shim-kata-v2', () => new SandboxShimProgram(host, sockets, (options) => new KataShim(options, config)));
  host.programs.register('qemu-system-x86_64', () => new Qemu(host));
  host.programs.register('virtiofsd', () => new Virtiofsd());
  const vfs = host.vfsFor(host.init);
  for (const dir of ['/opt/kata/bin', '/opt/kata/libexec', '/opt/kata/share/kata-containers']) vfs.mkdirAll(dir, 0o755);
  host.installProgram(KATA_SHIM_BINARY, 'containerd-shim-kata-v2', 48_000_000);
  host.installProgram(QEMU_BINARY, 'qemu-system-x86_64', 21_000_000);
  host.installProgram(VIRTIOFSD_BINARY, 'virtiofsd', 5_600_000);
  vfs.writeFile(GUEST_KERNEL_IMAGE, '', { mode: 0o644, apparentSize: 42_000_000 });
  vfs.writeFile(GUEST_INITRD, '', { mode: 0o644, apparentSize: 16_000_000 });
  containerd.registerRuntime(KATA_V2, sockets);
  return sockets;
}
