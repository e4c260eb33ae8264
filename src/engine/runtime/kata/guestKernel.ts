/**
 * The Kata guest kernel: Kata Containers 3.x's guest kernel (6.1.62, built by Kata's kernel config) booted
 * by qemu in a q35 VM with the VM's vCPUs and memory, `kata-agent` as init (`init=/usr/bin/kata-agent`), and
 * its boot log as such a kernel prints it under KVM (virtio-pci devices, the vhost-user-fs share, the
 * nvdimm root disk). The guest booted while the shim waited for the agent, so its log is stamped in the
 * past of the moment create returns.
 */
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { Host, type BootMessage } from '../../kernel/host.ts';

/** uname -r in a Kata guest. */
export const GUEST_KERNEL_RELEASE = '6.1.62';
/** uname -v in a Kata guest. */
export const GUEST_KERNEL_VERSION = '#1 SMP Wed Dec  6 10:32:49 UTC 2023';
/** Where the guest kernel image is installed on the node. */
export const GUEST_KERNEL_IMAGE = `/opt/kata/share/kata-containers/vmlinux-${GUEST_KERNEL_RELEASE}-132`;
/** The initrd holding kata-agent. */
export const GUEST_INITRD = '/opt/kata/share/kata-containers/kata-containers-initrd.img';
/** How long the guest took from qemu's start to the agent answering, in ms. */
export const GUEST_BOOT_MS = 620;

/** Kata's kernel_params for a qemu guest, then the ones the runtime adds. */
export function guestCmdline(vcpus: number): string {
  return (
    'tsc=reliable no_timer_check rcupdate.rcu_expedited=1 i8042.direct=1 i8042.dumbkbd=1 i8042.nopnp=1 i8042.noaux=1 noreplace-smp ' +
    'reboot=k cryptomgr.notests net.ifnames=0 pci=lastbus=0 console=hvc0 console=hvc1 quiet panic=1 ' +
    `nr_cpus=${vcpus} scsi_mod.scan=none init=/usr/bin/kata-agent`
  );
}

/** The guest kernel's boot log for a VM of `host.cpus` vCPUs and `host.memoryBytes`. */
export function guestBootLog(host: Host): BootMessage[] {
  const ramKb = Math.floor(host.memoryBytes / 1024);
  const reservedKb = Math.floor(ramKb * 0.02);
  const cpus = host.cpus;
  const lines: Array<[number, BootMessage['level'], string]> = [
    [0, 'notice', host.linuxVersion],
    [0, 'info', `Command line: ${host.cmdline}`],
    [0, 'info', 'x86/fpu: x87 FPU will use FXSAVE'],
    [0, 'info', 'DMI: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2-0-gea1b7a073390-prebuilt.qemu.org 04/01/2014'],
    [0, 'info', 'Hypervisor detected: KVM'],
    [0, 'info', 'kvm-clock: Using msrs 4b564d01 and 4b564d00'],
    [0, 'info', `Memory: ${ramKb - reservedKb}K/${ramKb}K available (8192K kernel code, 1024K rwdata, 2048K rodata, 1000K init, 1200K bss, ${reservedKb}K reserved, 0K cma-reserved)`],
    [0, 'info', `SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=${cpus}, Nodes=1`],
    [12_418, 'info', 'smp: Bringing up secondary CPUs ...'],
    [13_207, 'info', `smp: Brought up 1 node, ${cpus} CPU${cpus === 1 ? '' : 's'}`],
    [41_602, 'info', 'pci 0000:00:02.0: PCI bridge to [bus 01]'],
    [98_113, 'info', 'virtio-pci 0000:01:01.0: enabling device (0000 -> 0003)'],
    [102_776, 'info', 'Serial: 8250/16550 driver, 4 ports, IRQ sharing disabled'],
    [131_950, 'info', 'virtio_blk virtio1: [vda] 262144 512-byte logical blocks (134 MB/128 MiB)'],
    [152_384, 'info', 'NET: Registered PF_VSOCK protocol family'],
    [207_311, 'info', 'Freeing unused kernel image (initmem) memory: 1000K'],
    [207_520, 'info', 'Run /usr/bin/kata-agent as init process'],
  ];
  return lines.map(([usec, level, text]) => ({ usec, level, text }));
}

/** Boot a guest of `vcpus` and `memoryBytes` whose hostname is `hostname`. */
export function bootGuestKernel(options: { clock: Clock; rng: SeededRng; hostname: string; vcpus: number; memoryBytes: number }): Host {
  const release = GUEST_KERNEL_RELEASE;
  const version = GUEST_KERNEL_VERSION;
  const guest = new Host({
    clock: options.clock,
    rng: options.rng,
    hostname: options.hostname,
    cpus: options.vcpus,
    memoryBytes: options.memoryBytes,
    cgroupVersion: 2,
    bootTime: options.clock.now() - GUEST_BOOT_MS,
    diskBytes: 128 * 1024 ** 2,
    kernelRelease: release,
    kernelVersion: version,
    linuxVersion: `Linux version ${release} (@kata-containers) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) ${version}`,
    cmdline: guestCmdline(options.vcpus),
    bootLog: guestBootLog,
  });
  // Kata's kernel config leaves SECURITY_DMESG_RESTRICT off: a container reads the guest's log unprivileged.
  guest.sysctl.dmesgRestrict = 0;
  return guest;
}
