/**
 * NetDevice — a network interface as `ip link` and `ip addr` show it (struct net_device with its
 * in_device/inet6_dev addresses). This file holds what every interface has and the loopback device; the
 * networking code extends it (veth, bridge, vxlan) and NetNamespace keeps the list.
 */

/** Interface flags (include/uapi/linux/if.h), as SIOCGIFFLAGS and `ip link` report them. */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  DEBUG: 0x4,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  NOTRAILERS: 0x20,
  RUNNING: 0x40,
  NOARP: 0x80,
  PROMISC: 0x100,
  ALLMULTI: 0x200,
  MASTER: 0x400,
  SLAVE: 0x800,
  MULTICAST: 0x1000,
  PORTSEL: 0x2000,
  AUTOMEDIA: 0x4000,
  DYNAMIC: 0x8000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
  ECHO: 0x40000,
} as const;

/** The longest interface name, in characters (IFNAMSIZ - 1). */
export const IFNAMSIZ_MAX = 15;

/** An address on an interface, as `ip addr` lists it. */
export interface IfAddr {
  /** 'inet' (IPv4) or 'inet6'. */
  readonly family: 'inet' | 'inet6';
  /** The address, e.g. "127.0.0.1" or "::1". */
  readonly local: string;
  /** The prefix length, e.g. 8. */
  readonly prefixlen: number;
  /** The scope: host (loopback), link, or global. */
  readonly scope: 'host' | 'link' | 'global';
  /** The broadcast address, for IPv4 addresses that have one. */
  readonly broadcast?: string;
}

/** What a device is made with. */
export interface NetDeviceOptions {
  /** Its name, e.g. "eth0". */
  name: string;
  /** The link type `ip link` prints after "link/": loopback, ether, none. */
  linkType: string;
  /** Its flags while down (IFF_LOOPBACK, IFF_BROADCAST|IFF_MULTICAST…). */
  flags: number;
  /** MTU in bytes. */
  mtu: number;
  /** Hardware address, e.g. "00:00:00:00:00:00". */
  address: string;
  /** Hardware broadcast address. */
  broadcast: string;
  /** Transmit queue length (qlen). */
  txqlen?: number;
  /** The queueing discipline attached while up (noqueue, fq_codel…); down it is noop. */
  upQdisc?: string;
}

export class NetDevice {
  /** Its index in its network namespace (set when added to one; 0 before). */
  ifindex = 0;
  /** Its name. */
  name: string;
  /** The link type `ip link` prints after "link/". */
  readonly linkType: string;
  /** IFF_* flags. */
  flags: number;
  /** MTU in bytes. */
  mtu: number;
  /** Hardware address. */
  address: string;
  /** Hardware broadcast address. */
  broadcast: string;
  /** Transmit queue length. */
  txqlen: number;
  /** Addresses, in the order they were added. */
  readonly addresses: IfAddr[] = [];
  private readonly upQdisc: string;

  constructor(options: NetDeviceOptions) {
    this.name = options.name;
    this.linkType = options.linkType;
    this.flags = options.flags;
    this.mtu = options.mtu;
    this.address = options.address;
    this.broadcast = options.broadcast;
    this.txqlen = options.txqlen ?? 1000;
    this.upQdisc = options.upQdisc ?? 'noqueue';
  }

  /** Whether it is administratively up (IFF_UP). */
  get up(): boolean {
    return (this.flags & IFF.UP) !== 0;
  }

  /** The queueing discipline: noop while down. */
  get qdisc(): string {
    return this.up ? this.upQdisc : 'noop';
  }

  /** RFC 2863 operational state as `ip link` prints it after "state". */
  get operstate(): string {
    if (!this.up) return 'DOWN';
    return (this.flags & IFF.LOWER_UP) !== 0 ? 'UP' : 'LOWERLAYERDOWN';
  }

  /** `ip link set dev <name> up|down`. */
  setUp(up: boolean): void {
    if (up === this.up) return;
    if (up) this.flags |= IFF.UP | IFF.RUNNING | IFF.LOWER_UP;
    else this.flags &= ~(IFF.UP | IFF.RUNNING | IFF.LOWER_UP);
    this.onStateChange(up);
  }

  /** Add an address (`ip addr add`); false when it is already there. */
  addAddress(addr: IfAddr): boolean {
    if (this.addresses.some((a) => a.family === addr.family && a.local === addr.local)) return false;
    this.addresses.push(addr);
    return true;
  }

  /** Remove an address (`ip addr del`); false when it was not there. */
  removeAddress(family: IfAddr['family'], local: string): boolean {
    const i = this.addresses.findIndex((a) => a.family === family && a.local === local);
    if (i < 0) return false;
    this.addresses.splice(i, 1);
    return true;
  }

  /** What happens when the device goes up or down, beyond the flags (subclasses add to it). */
  protected onStateChange(up: boolean): void {
    if (!up) {
      for (const a of this.addresses.filter((x) => x.family === 'inet6')) this.removeAddress('inet6', a.local);
    }
  }
}

/**
 * The loopback device `lo` (drivers/net/loopback.c): mtu 65536, all-zero hardware address. Going up it
 * gets 127.0.0.1/8 and ::1/128, as the kernel configures them on NETDEV_UP; going down drops the IPv6 one.
 * Its state shows UNKNOWN while up: loopback reports no carrier state.
 */
export class LoopbackDevice extends NetDevice {
  constructor() {
    super({ name: 'lo', linkType: 'loopback', flags: IFF.LOOPBACK, mtu: 65536, address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' });
  }

  override get operstate(): string {
    return this.up ? 'UNKNOWN' : 'DOWN';
  }

  protected override onStateChange(up: boolean): void {
    super.onStateChange(up);
    if (!up) return;
    if (!this.addresses.some((a) => a.family === 'inet')) this.addAddress({ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' });
    this.addAddress({ family: 'inet6', local: '::1', prefixlen: 128, scope: 'host' });
  }
}
