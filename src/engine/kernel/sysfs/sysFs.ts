/**
 * SysFs — sysfs (fs/sysfs/, drivers/base/, net/core/net-sysfs.c) as a PseudoFs: the directory skeleton
 * (block, bus, class, dev, devices, firmware, fs, kernel, module, power), /sys/fs/cgroup as the cgroup
 * mount point, /sys/class/net/<dev> (symlinks into /sys/devices/virtual/net) with the attributes of each
 * device of the mounter's network namespace — a sysfs mount is tagged with the net namespace of the
 * process that mounted it — and /sys/kernel/mm/transparent_hugepage/enabled and
 * /sys/devices/system/cpu/{online,possible,present}. Attributes report st_size 4096, as sysfs does.
 */
import { formatCpulist } from '../cgroup/cpulist.ts';
import { KernelError } from '../errno.ts';
import type { FileSystemTypes } from '../fs/fileSystemTypes.ts';
import { PseudoFs, pseudoDir, type PseudoDir, type PseudoFile, type PseudoNode } from '../fs/pseudoFs.ts';
import { SYSFS_MAGIC } from '../fs/superBlock.ts';
import type { NetDevice } from '../ns/netDevice.ts';
import type { NetNamespace } from '../ns/netNamespace.ts';
import type { ProcHost } from '../proc/procHost.ts';

/** ARPHRD_* of include/uapi/linux/if_arp.h by link type. */
const ARPHRD: Record<string, number> = { ether: 1, loopback: 772, none: 65534, void: 65535 };
/** The MTU bounds eth_change_mtu and loopback accept. */
const MIN_MTU = 68;
const MAX_MTU = 65536;

/** A sysfs attribute: 0444, or 0644 with a store. */
function attr(show: () => string, store?: (value: string) => void): PseudoFile {
  return { type: 'file', mode: store ? 0o644 : 0o444, size: 4096, read: () => `${show()}\n`, write: store && ((data) => store(data.replace(/\n$/, ''))) };
}

/** The attributes of a network device (net-sysfs.c). */
function netDeviceDir(dev: NetDevice): PseudoDir {
  return pseudoDir(
    {
      addr_len: attr(() => String(dev.address.split(':').length)),
      address: attr(() => dev.address),
      broadcast: attr(() => dev.broadcast),
      carrier: attr(() => {
        if (!dev.up) throw new KernelError('EINVAL');
        return dev.operstate === 'LOWERLAYERDOWN' ? '0' : '1';
      }),
      flags: attr(() => `0x${dev.flags.toString(16)}`),
      ifindex: attr(() => String(dev.ifindex)),
      iflink: attr(() => String(dev.ifindex)),
      mtu: attr(
        () => String(dev.mtu),
        (value) => {
          if (!/^\d+$/.test(value.trim())) throw new KernelError('EINVAL');
          const mtu = Number(value.trim());
          if (mtu < MIN_MTU || mtu > MAX_MTU) throw new KernelError('EINVAL');
          dev.mtu = mtu;
        },
      ),
      operstate: attr(() => dev.operstate.toLowerCase()),
      tx_queue_len: attr(() => String(dev.txqlen)),
      type: attr(() => String(ARPHRD[dev.linkType] ?? ARPHRD.none)),
    },
    { mode: 0o755 },
  );
}

/** A sysfs superblock tagged with network namespace `net`. */
export function createSysFs(host: ProcHost, net: NetNamespace, dev: number): PseudoFs {
  const dir = (entries: Record<string, PseudoNode> = {}) => pseudoDir(entries, { mode: 0o755 });
  const devices = (): Array<[string, PseudoNode]> => net.devices().map((d): [string, PseudoNode] => [d.name, netDeviceDir(d)]);
  const links = (): Array<[string, PseudoNode]> => net.devices().map((d): [string, PseudoNode] => [d.name, { type: 'symlink', readlink: () => `../../devices/virtual/net/${d.name}` }]);
  const cpus = () => formatCpulist(Array.from({ length: host.cpus }, (_, i) => i));
  const thpModes = ['always', 'madvise', 'never'] as const;
  const root = dir({
    block: dir(),
    bus: dir(),
    class: dir({ net: { type: 'dir', mode: 0o755, list: links } }),
    dev: dir(),
    devices: dir({
      system: dir({ cpu: dir({ online: attr(cpus), possible: attr(cpus), present: attr(cpus) }) }),
      virtual: dir({ net: { type: 'dir', mode: 0o755, list: devices } }),
    }),
    firmware: dir(),
    fs: dir({ cgroup: dir() }),
    hypervisor: dir(),
    kernel: dir({
      mm: dir({
        transparent_hugepage: dir({
          enabled: attr(
            () => thpModes.map((m) => (m === host.sysctl.transparentHugepage ? `[${m}]` : m)).join(' '),
            (value) => {
              const mode = thpModes.find((m) => m === value.trim());
              if (!mode) throw new KernelError('EINVAL');
              host.sysctl.transparentHugepage = mode;
            },
          ),
        }),
      }),
    }),
    module: dir(),
    power: dir(),
  });
  return new PseudoFs({ fsType: 'sysfs', magic: SYSFS_MAGIC, dev, clock: host.clock, root, settableAttrs: true });
}

/** Register `sysfs`: a mount shows the mounter's network namespace; one superblock per namespace. */
export function registerSysFs(fsTypes: FileSystemTypes, host: ProcHost): void {
  const superblocks = new WeakMap<NetNamespace, PseudoFs>();
  fsTypes.register('sysfs', (request) => {
    const net = (host.current().nsproxy ?? host.table.initNs).net;
    let sb = superblocks.get(net);
    if (!sb) superblocks.set(net, (sb = createSysFs(host, net, request.anonDev())));
    return sb;
  });
}
