/**
 * qemu-system-x86_64 as Kata 3.x starts it for a sandbox: the command line the runtime's qemu driver
 * builds (`-name sandbox-<id>`, a q35 KVM machine, `-m <default_memory>M,slots=10,maxmem=…`, the console,
 * vsock and vhost-user-fs devices, the guest kernel and initrd, `-smp <default_vcpus>,…,maxcpus=…`), and
 * the process that runs the VM: it sleeps while the guest runs and holds the guest's memory, charged to
 * its cgroup — the VMM's own footprint plus what the booted guest has touched — while the full guest RAM
 * is only mapped.
 *
 * Left out: QMP, hotplugging (the guest is booted at its final size), vCPU threads, and memory the guest
 * touches after boot.
 */
import type { Host } from '../../kernel/host.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { AddressSpace } from '../../programs/addressSpace.ts';
import { GUEST_INITRD, GUEST_KERNEL_IMAGE, guestCmdline } from './guestKernel.ts';

/** Where Kata installs its qemu. */
export const QEMU_BINARY = '/opt/kata/bin/qemu-system-x86_64';
/** Kata's default_memory, MiB: the VM's RAM at boot. */
export const DEFAULT_MEMORY_MIB = 2048;
/** Kata's default_vcpus. */
export const DEFAULT_VCPUS = 1;
/** KiB resident once the guest has booted: qemu itself plus the guest kernel and agent's pages. */
export const QEMU_BOOT_RSS_KB = 158 * 1024;
/** KiB qemu maps besides guest RAM (its binary, libraries, heaps). */
const QEMU_OWN_VSZ_KB = 1_310_720;

/** What the qemu command line is built from. */
export interface QemuConfig {
  /** The sandbox id. */
  id: string;
  /** The VM's uuid. */
  uuid: string;
  /** RAM at boot, MiB. */
  memoryMiB: number;
  /** vCPUs at boot. */
  vcpus: number;
  /** The most vCPUs the VM may have (the node's CPUs). */
  maxcpus: number;
  /** The most RAM the VM may have, MiB (the node's). */
  maxmemMiB: number;
  /** The vsock context id. */
  guestCid: number;
}

/** The argv Kata's qemu driver starts qemu with. */
export function qemuArgv(c: QemuConfig): string[] {
  const vm = `/run/vc/vm/${c.id}`;
  const hex = c.uuid.replace(/-/g, '').slice(0, 16);
  return [
    QEMU_BINARY,
    '-name', `sandbox-${c.id}`,
    '-uuid', c.uuid,
    '-machine', 'q35,accel=kvm',
    '-cpu', 'host,pmu=off',
    '-qmp', 'unix:fd=3,server=on,wait=off',
    '-m', `${c.memoryMiB}M,slots=10,maxmem=${c.maxmemMiB}M`,
    '-device', 'pci-bridge,bus=pcie.0,id=pci-bridge-0,chassis_nr=1,shpc=off,addr=2,io-reserve=4k,mem-reserve=1m,pref64-reserve=1m',
    '-device', 'virtio-serial-pci,disable-modern=false,id=serial0',
    '-device', 'virtconsole,chardev=charconsole0,id=console0',
    '-chardev', `socket,id=charconsole0,path=${vm}/console.sock,server=on,wait=off`,
    '-device', 'virtio-scsi-pci,id=scsi0,disable-modern=false',
    '-object', 'rng-random,id=rng0,filename=/dev/urandom',
    '-device', 'virtio-rng-pci,rng=rng0',
    '-device', `vhost-vsock-pci,disable-modern=false,vhostfd=4,id=vsock-${c.guestCid},guest-cid=${c.guestCid}`,
    '-chardev', `socket,id=char-${hex},path=${vm}/vhost-fs.sock`,
    '-device', `vhost-user-fs-pci,chardev=char-${hex},tag=kataShared,queue-size=1024`,
    '-rtc', 'base=utc,driftfix=slew,clock=host',
    '-global', 'kvm-pit.lost_tick_policy=discard',
    '-vga', 'none',
    '-no-user-config',
    '-nodefaults',
    '-nographic',
    '--no-reboot',
    '-object', `memory-backend-file,id=dimm1,size=${c.memoryMiB}M,mem-path=/dev/shm,share=on`,
    '-numa', 'node,memdev=dimm1',
    '-kernel', GUEST_KERNEL_IMAGE,
    '-initrd', GUEST_INITRD,
    '-append', guestCmdline(c.vcpus),
    '-pidfile', `${vm}/pid`,
    '-smp', `${c.vcpus},cores=1,threads=1,sockets=${c.maxcpus},maxcpus=${c.maxcpus}`,
  ];
}

/** The RAM of a `-m <size>M[,…]` argument, MiB. */
export function memoryArgMiB(argv: readonly string[]): number {
  const at = argv.indexOf('-m');
  return Number(/^(\d+)M/.exec(argv[at + 1] ?? '')?.[1] ?? DEFAULT_MEMORY_MIB);
}

export class Qemu implements Program {
  constructor(private readonly host: Host) {}

  start(sys: ProgramContext): void {
    sys.setRunState('S');
    const ramKb = memoryArgMiB(sys.process.argv) * 1024;
    new AddressSpace(this.host, sys.process, { vszKb: ramKb + QEMU_OWN_VSZ_KB, rssKb: QEMU_BOOT_RSS_KB });
  }
}
