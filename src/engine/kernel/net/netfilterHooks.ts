/**
 * The netfilter hooks a flow's first packet passes on its way through a host (nf_hook_slow at
 * NF_INET_LOCAL_OUT, NF_INET_PRE_ROUTING and NF_INET_FORWARD), shared by TCP (tcp.ts: a connection's SYN)
 * and UDP (udp.ts: a flow's first datagram):
 *
 * - `decideOutput`: the nat table's OUTPUT chain of the sender's namespace, then — for a packet from a
 *   pod, which crosses into the host — PREROUTING of the host's initial namespace, either of which may
 *   DNAT it (a Service's ClusterIP to an endpoint, as kube-proxy writes them); then the filter table's
 *   OUTPUT (from the host) or FORWARD (from a pod) may REJECT it (an ICMP port-unreachable back: the
 *   caller's ECONNREFUSED) or DROP it (nothing comes back).
 * - `natPrerouting`: nat PREROUTING of the host's initial namespace for a packet arriving on eth0 from
 *   the node network (NodePorts).
 * - `sourceAddress`: the address a packet leaving the host from a namespace carries.
 *
 * Left out: the mangle, raw and security tables, SNAT/MASQUERADE of the POSTROUTING hook (the source
 * stays the sender's own address), filter INPUT on the receiving side.
 */
import type { NetNamespace } from '../ns/netNamespace.ts';
import { netfilterOf, type Verdict } from './netfilter/netfilter.ts';
import type { SockAddr } from './socket.ts';

/** What the hooks need of their host. */
export interface HookHost {
  /** The host's initial network namespace. */
  readonly initial: NetNamespace;
  /** A uniformly distributed number in [0, 1): -m statistic's chance. */
  random(): number;
  /** The virtual time a packet passes at (-m recent). */
  readonly clock: { now(): number };
}

export type Protocol = 'tcp' | 'udp';

/** Where netfilter sent a flow's first packet. */
export type Decision = { readonly kind: 'pass'; readonly destination: SockAddr } | { readonly kind: 'refused' } | { readonly kind: 'dropped' };

/**
 * netfilter on a flow's first packet as it leaves `from` for `remote`: nat OUTPUT there, nat PREROUTING
 * of the host for a packet from a pod, then filter OUTPUT (from the host) or FORWARD (from a pod).
 * `sport` is the packet's source port (TCP's callers give 0: the rules kube-proxy writes never match it).
 */
export function decideOutput(host: HookHost, protocol: Protocol, from: NetNamespace, remote: SockAddr, sport = 0): Decision {
  const initial = host.initial;
  const source: SockAddr = { address: sourceAddress(from) ?? '127.0.0.1', port: sport };
  const output = nat(host, protocol, from, 'OUTPUT', source, remote, 0);
  let to = output.dnat ?? remote;
  let mark = output.mark;
  if (from !== initial) {
    const prerouting = nat(host, protocol, initial, 'PREROUTING', source, to, mark);
    to = prerouting.dnat ?? to;
    mark = prerouting.mark;
  }
  const filter = netfilterOf(initial).evaluate('filter', from === initial ? 'OUTPUT' : 'FORWARD', packet(host, protocol, initial, source, to, mark), () => host.random());
  if (filter.verdict === 'REJECT') return { kind: 'refused' };
  if (filter.verdict === 'DROP') return { kind: 'dropped' };
  return { kind: 'pass', destination: to };
}

/** nat PREROUTING of the host's initial namespace for a packet from the node network: where it goes. */
export function natPrerouting(host: HookHost, protocol: Protocol, from: SockAddr, dialled: SockAddr, inInterface = 'eth0'): SockAddr {
  return nat(host, protocol, host.initial, 'PREROUTING', from, dialled, 0, inInterface).dnat ?? dialled;
}

/** The address a packet leaving the host from `netns` comes from: its first address that is not loopback. */
export function sourceAddress(netns: NetNamespace): string | undefined {
  for (const device of netns.devices()) {
    if (!device.up || device.linkType === 'loopback') continue;
    const inet = device.addresses.find((a) => a.family === 'inet');
    if (inet) return inet.local;
  }
  return undefined;
}

function nat(host: HookHost, protocol: Protocol, netns: NetNamespace, hook: 'OUTPUT' | 'PREROUTING', from: SockAddr, to: SockAddr, mark: number, inInterface?: string): Verdict {
  return netfilterOf(netns).evaluate('nat', hook, packet(host, protocol, netns, from, to, mark, inInterface), () => host.random());
}

/** A flow's first packet as netfilter in `netns` sees it. */
function packet(host: HookHost, protocol: Protocol, netns: NetNamespace, from: SockAddr, to: SockAddr, mark: number, inInterface?: string) {
  const local = (address: string) => address.startsWith('127.') || netns.devices().some((d) => d.addresses.some((a) => a.family === 'inet' && a.local === address));
  return { protocol, source: from.address, sport: from.port, destination: to.address, dport: to.port, mark, isLocal: local, time: host.clock.now(), ...(inInterface ? { inInterface } : {}) };
}
