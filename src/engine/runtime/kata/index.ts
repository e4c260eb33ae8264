/**
 * kata — Kata Containers 3.x as containerd's `io.containerd.kata.v2` runtime on a node: the
 * containerd-shim-kata-v2 shim, qemu (Kata's command line, the VM's memory charged to the container's
 * cgroup on the node) and virtiofsd on the node; inside, a guest kernel of its own (6.1.62, its boot log,
 * the VM's vCPUs and memory in /proc) with kata-agent as pid 1, which creates the container from the
 * rootfs and each bind mount's source shared through virtio-fs. What it shares with the gVisor runtime (../runsc) is in ../sandbox.
 *
 * Left out: pods of several containers in one VM, the agent's ttrpc API, block-device rootfs, networking,
 * hotplug after boot, firecracker, cloud-hypervisor and the runtime-rs shim; see each file for more.
 */
export { GUEST_BOOT_MS, GUEST_INITRD, GUEST_KERNEL_IMAGE, GUEST_KERNEL_RELEASE, GUEST_KERNEL_VERSION, bootGuestKernel, guestBootLog, guestCmdline } from './guestKernel.ts';
export { KATA_SHIM_BINARY, KATA_V2, installKata } from './installKata.ts';
export { GUEST_SHARED_DIR, KATA_AGENT_BINARY, KATA_SHARED_TAG, KataShim, type KataConfig } from './kataShim.ts';
export { DEFAULT_MEMORY_MIB, DEFAULT_VCPUS, QEMU_BINARY, QEMU_BOOT_RSS_KB, Qemu, memoryArgMiB, qemuArgv, type QemuConfig } from './qemu.ts';
export { VIRTIOFSD_BINARY, Virtiofsd, virtiofsdArgv } from './virtiofsd.ts';
