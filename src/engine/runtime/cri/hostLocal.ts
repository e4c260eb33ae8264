/**
 * HostLocal — a CNI plugin in the manner of the reference `ptp` + `host-local` IPAM pair: ADD creates
 * `eth0` in the pod's network namespace with the next free address of the node's pod CIDR, DEL takes it
 * away. host-local keeps its allocations as files, one per address, in /var/lib/cni/networks/<network>/
 * (`<ip>` holding `<container id>\r\n<ifname>`, `last_reserved_ip.0` the last one handed out), so they
 * survive the runtime and `ls` shows them. The gateway (the range's first address) is never handed out;
 * allocation goes on after the last reserved address and wraps around, as host-local's iterator does.
 *
 * Left out: the host side of the link (the veth peer, routes and the bridge are the network piece's),
 * IPv6, several ranges, and the plugin chain's conflist files.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { IFF, NetDevice } from '../../kernel/ns/netDevice.ts';
import type { CniArgs, CniPlugin, CniResult } from './cni.ts';

/** host-local's data directory. */
export const HOST_LOCAL_DATA_DIR = '/var/lib/cni/networks';

function toInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Parse `a.b.c.d/len`; undefined when it is not one. */
export function parseCidr(cidr: string): { network: number; prefix: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m || m.slice(1, 5).some((p) => Number(p) > 255) || Number(m[5]) > 30) return undefined;
  const prefix = Number(m[5]);
  const size = 2 ** (32 - prefix);
  return { network: Math.floor(toInt(m.slice(1, 5).join('.')) / size) * size, prefix };
}

export class HostLocal implements CniPlugin {
  private cidr: { network: number; prefix: number } | undefined;

  constructor(
    /** The runtime's file system calls. */
    private readonly vfs: Vfs,
    /** For the interfaces' MAC addresses. */
    private readonly rng: SeededRng,
    /** The network's name. */
    readonly name = 'cbr0',
  ) {}

  notReadyReason(): string | undefined {
    return this.cidr ? undefined : 'cni plugin not initialized';
  }

  setPodCidr(cidr: string): void {
    this.cidr = parseCidr(cidr);
  }

  add(args: CniArgs): CniResult {
    const cidr = this.cidr;
    if (!cidr) throw new Error('cni plugin not initialized');
    const dir = `${HOST_LOCAL_DATA_DIR}/${this.name}`;
    this.vfs.mkdirAll(dir, 0o755);
    const size = 2 ** (32 - cidr.prefix);
    const first = cidr.network + 2;
    const last = cidr.network + size - 2;
    const gateway = toIp(cidr.network + 1);
    let start = first;
    const lastReserved = this.read(`${dir}/last_reserved_ip.0`);
    if (lastReserved && toInt(lastReserved) >= first && toInt(lastReserved) < last) start = toInt(lastReserved) + 1;
    let ip: string | undefined;
    for (let i = 0; i <= last - first; i++) {
      const candidate = toIp(first + ((start - first + i) % (last - first + 1)));
      if (this.read(`${dir}/${candidate}`) === undefined) {
        ip = candidate;
        break;
      }
    }
    if (!ip) throw new Error(`failed to allocate for range 0: no IP addresses available in range set: ${toIp(cidr.network + 1)}-${toIp(last)}`);
    this.vfs.writeFile(`${dir}/${ip}`, `${args.containerId}\r\n${args.ifName}`, { mode: 0o644 });
    this.vfs.writeFile(`${dir}/last_reserved_ip.0`, ip, { mode: 0o644 });
    const lo = args.netns.device('lo');
    lo?.setUp(true);
    const mac = ['0a', ...Array.from({ length: 5 }, () => this.rng.string('0123456789abcdef', 2))].join(':');
    const eth = new NetDevice({ name: args.ifName, linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: mac, broadcast: 'ff:ff:ff:ff:ff:ff' });
    args.netns.addDevice(eth);
    eth.setUp(true);
    eth.addAddress({ family: 'inet', local: ip, prefixlen: cidr.prefix, scope: 'global', broadcast: toIp(cidr.network + size - 1) });
    return { ips: [{ address: `${ip}/${cidr.prefix}`, gateway }] };
  }

  del(args: CniArgs): void {
    const dir = `${HOST_LOCAL_DATA_DIR}/${this.name}`;
    let entries: string[] = [];
    try {
      entries = this.vfs.readdir(dir).map((e) => e.name);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
    for (const name of entries) {
      if (name === 'last_reserved_ip.0' || name === 'lock') continue;
      if (this.read(`${dir}/${name}`) === `${args.containerId}\r\n${args.ifName}`) this.vfs.unlink(`${dir}/${name}`);
    }
    const eth = args.netns.device(args.ifName);
    if (eth) args.netns.removeDevice(eth);
  }

  private read(path: string): string | undefined {
    try {
      return this.vfs.readFile(path);
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
  }
}
