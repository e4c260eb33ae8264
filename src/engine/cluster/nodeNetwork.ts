/**
 * NodeNetwork — the network the cluster's nodes sit on, as kind's docker network `kind` (172.18.0.0/16,
 * gateway 172.18.0.1) is for its node containers: each full node's host gets `eth0` with its node
 * address (a MAC derived from the address, 02:42:ac:12:00:03 for 172.18.0.3, as docker derives them),
 * and the network carries connections (a TCP SYN) and UDP datagrams between hosts — to a node's own
 * address, or to a pod IP inside the node's pod CIDR (the routes a flat CNI such as kindnet installs on every node: 10.244.2.0/24 via
 * 172.18.0.4). A node's pod CIDR is what the node has now — its kubelet's, once the node IPAM controller
 * has allocated one — so a node without one yet is reached only at its address, as kindnet routes only
 * the Nodes whose spec.podCIDR is set.
 *
 * Addresses without an emulated host behind them — the lightweight control-plane node's kube-apiserver
 * on 172.18.0.2:6443 — are `serve`d by the lab: a connection to them reaches the handler given, any other
 * port of such an address refuses, and a datagram to one is answered with ICMP port unreachable. A node
 * cut off (`partition`) answers nothing and reaches nothing: connections time out, as a SYN into a
 * partition does, and datagrams are lost.
 *
 * Left out: packets, MTU and latency, ARP, the bridge and gateway as devices, IPv6, the node network's
 * NAT to the outside (nothing answers beyond the cluster), and pods of lightweight nodes (they have IPs
 * but no kernel: a SYN to them goes unanswered).
 */
import { IFF, NetDevice } from '../kernel/ns/netDevice.ts';
import type { Host } from '../kernel/host.ts';
import { StreamEndpoint, type SockAddr } from '../kernel/net/socket.ts';
import type { Answer, Uplink } from '../kernel/net/tcp.ts';
import type { Delivery, UdpUplink } from '../kernel/net/udp.ts';
import { ipv4ToInt } from '../kernel/net/route.ts';
import { parseCidr } from '../runtime/cri/hostLocal.ts';

/** The node network's gateway: docker's bridge on the machine kind runs on. */
export const NODE_NETWORK_GATEWAY = '172.18.0.1';

/** The node network's prefix length (docker's default for a user network: /16). */
export const NODE_NETWORK_PREFIX = 16;

/** A node's pod CIDR: fixed, or read when a packet is routed (its kubelet's current one; '' for none yet). */
export type PodCIDRSource = string | undefined | (() => string | undefined);

interface Member {
  readonly name: string;
  readonly host: Host;
  readonly address: string;
  readonly podCIDR: PodCIDRSource;
  cut: boolean;
}

/** The member's pod CIDR now, parsed. */
function podCidrOf(member: Member): { network: number; prefix: number } | undefined {
  const cidr = typeof member.podCIDR === 'function' ? member.podCIDR() : member.podCIDR;
  return cidr ? parseCidr(cidr) : undefined;
}

/** docker's MAC for an address: 02:42 and the address's four bytes. */
function macFor(address: string): string {
  return ['02', '42', ...address.split('.').map((b) => Number(b).toString(16).padStart(2, '0'))].join(':');
}

export class NodeNetwork {
  private readonly members = new Map<string, Member>();
  private readonly served = new Map<string, (server: StreamEndpoint) => void>();
  /** The server ends of connections to served addresses (no host's socket table holds them). */
  private readonly servedConnections = new Set<StreamEndpoint>();

  /** Plug `host` in as node `name`: eth0 with `address`, connections out through this network; pod IPs in `podCIDR` routed to it. */
  attach(name: string, host: Host, address: string, podCIDR: PodCIDRSource): void {
    const eth0 = new NetDevice({ name: 'eth0', linkType: 'ether', flags: IFF.BROADCAST | IFF.MULTICAST, mtu: 1500, address: macFor(address), broadcast: 'ff:ff:ff:ff:ff:ff' });
    host.init.nsproxy!.net.addDevice(eth0);
    eth0.setUp(true);
    const size = 2 ** (32 - NODE_NETWORK_PREFIX);
    const network = Math.floor(ipv4ToInt(address) / size) * size;
    const broadcast = [24, 16, 8, 0].map((shift) => Math.floor((network + size - 1) / 2 ** shift) % 256).join('.');
    eth0.addAddress({ family: 'inet', local: address, prefixlen: NODE_NETWORK_PREFIX, scope: 'global', broadcast });
    const member: Member = { name, host, address, podCIDR, cut: false };
    this.members.set(name, member);
    host.tcp.attachUplink(this.uplinkFor(member));
    host.udp.attachUplink(this.udpUplinkFor(member));
  }

  /** Take node `name` off the network (it was removed). */
  detach(name: string): void {
    const member = this.members.get(name);
    if (!member) return;
    member.host.tcp.attachUplink(undefined);
    member.host.udp.attachUplink(undefined);
    this.members.delete(name);
  }

  /** Answer connections to `address:port` with `accept` (an address no emulated host holds). */
  serve(address: string, port: number, accept: (server: StreamEndpoint) => void): void {
    this.served.set(`${address}:${port}`, accept);
  }

  /** Cut node `name` off the network, or (`cut` false) plug it back. */
  partition(name: string, cut = true): void {
    const member = this.members.get(name);
    if (member) member.cut = cut;
  }

  private uplinkFor(from: Member): Uplink {
    return { syn: (source, to) => (from.cut ? { kind: 'unreachable' } : this.deliver(source, to)) };
  }

  private udpUplinkFor(from: Member): UdpUplink {
    return { datagram: (source, to, data) => (from.cut ? 'unreachable' : this.deliverDatagram(source, to, data)) };
  }

  /** Where a datagram from `source` to `to` lands. */
  private deliverDatagram(source: SockAddr, to: SockAddr, data: Uint8Array): Delivery {
    if ([...this.served.keys()].some((k) => k.startsWith(`${to.address}:`))) return 'port-unreachable';
    const target = this.memberHolding(to.address);
    if (!target || target.cut) return 'unreachable';
    return target.host.udp.receive(source, to, data);
  }

  /** Where a SYN from `source` to `to` lands. */
  private deliver(source: SockAddr, to: SockAddr): Answer {
    const accept = this.served.get(`${to.address}:${to.port}`);
    if (accept) {
      return {
        kind: 'accept',
        complete: (client, clientTable) => {
          const server = new StreamEndpoint(to, source);
          StreamEndpoint.join(client, server, clientTable, this.servedConnections);
          return Promise.resolve().then(() => accept(server));
        },
      };
    }
    if ([...this.served.keys()].some((k) => k.startsWith(`${to.address}:`))) return { kind: 'refused' };
    const target = this.memberHolding(to.address);
    if (!target || target.cut) return { kind: 'unreachable' };
    return target.host.tcp.answer(source, to);
  }

  /** The node whose address it is, or whose pod CIDR holds it. */
  private memberHolding(address: string): Member | undefined {
    const ip = ipv4ToInt(address);
    for (const m of this.members.values()) if (m.address === address) return m;
    for (const m of this.members.values()) {
      const podCidr = podCidrOf(m);
      if (!podCidr) continue;
      const size = 2 ** (32 - podCidr.prefix);
      if (Math.floor(ip / size) * size === podCidr.network) return m;
    }
    return undefined;
  }
}
