/**
 * Udp — a host's UDP socket table (net/ipv4/udp.c with the udp_table's port hash) and the UDP half of
 * its connection tracking (nf_conntrack_proto_udp.c, nf_nat_core.c): datagram sockets of every network
 * namespace on the host, found by namespace, address and port.
 *
 * - `socket(netns, owner)` makes an unbound socket; `bind(address, port)` takes INADDR_ANY or one of the
 *   namespace's addresses (else EADDRNOTAVAIL), a port bound there already by a socket whose address
 *   overlaps fails with EADDRINUSE, port 0 (or a send/connect on an unbound socket) takes an ephemeral
 *   port of ip_local_port_range, from a random start as udp_lib_get_port picks it.
 * - `connect(remote)` fixes the peer: `send(data)` goes there, and only datagrams from it are received.
 *   `send(data, to)` is sendto(2); `recv({timeoutMs})` is recvfrom(2) with SO_RCVTIMEO: the next datagram
 *   with its source address, EAGAIN when the time runs out, EBADF once the socket is closed.
 * - A datagram is routed like a TCP SYN (route.ts): to the namespace of the host holding its destination
 *   address, else out through the host's uplink (the node network, `attachUplink`), which hands it to the
 *   host holding the address (`receive`). The receiving socket is the one bound to the very address (a
 *   connected one whose peer sent it first), else a wildcard one.
 * - Nobody bound there: the receiving host answers with ICMP port unreachable, which a connected sender
 *   reads as ECONNREFUSED on its next recv or send (an unconnected one never hears of it, as without
 *   IP_RECVERR). An address nobody holds, a partitioned node, a DROP: nothing comes back, and the
 *   caller's own timeout is all there is.
 * - Conntrack: the first datagram of a flow (its 5-tuple) passes netfilter (netfilterHooks.ts: nat OUTPUT,
 *   PREROUTING for a pod's, filter OUTPUT/FORWARD — a REJECT is the ICMP error above) and the decision is
 *   kept: later datagrams of the flow are translated alike without netfilter, and replies are un-NATed,
 *   so a client that sent to a Service's ClusterIP (10.96.0.10:53) sees the reply come from there. A flow
 *   arriving from the node network passes nat PREROUTING of the receiving host. An entry lives 30 s
 *   (nf_conntrack_udp_timeout), 120 s once both ways have been seen (udp_timeout_stream), refreshed by
 *   every datagram.
 * - A socket's owner exiting closes it. Each socket's receive queue holds up to net.core.rmem_default
 *   bytes; datagrams beyond that are dropped.
 *
 * Left out: /proc/net/udp and `ss -u` (the table keeps `sockets(netns)` for them), descriptors and
 * inodes, EMSGSIZE and EDESTADDRREQ (the errno table has neither), SO_REUSEADDR/SO_REUSEPORT, broadcast and multicast, IP fragments, checksums, UDP-Lite, ICMP
 * errors other than port unreachable, IP_RECVERR, SNAT/MASQUERADE, IPv6.
 */
import { KernelError } from '../errno.ts';
import type { NetNamespace } from '../ns/netNamespace.ts';
import type { Process } from '../process/process.ts';
import { decideOutput, natPrerouting, sourceAddress } from './netfilterHooks.ts';
import { ipv4ToInt, routeOutput } from './route.ts';
import { INADDR_ANY, type SockAddr } from './socket.ts';
import { IP_LOCAL_PORT_RANGE, type TcpHost } from './tcp.ts';

/** nf_conntrack_udp_timeout: an entry seen one way only. */
export const UDP_CONNTRACK_TIMEOUT_MS = 30_000;
/** nf_conntrack_udp_timeout_stream: an entry that has seen a reply. */
export const UDP_CONNTRACK_STREAM_TIMEOUT_MS = 120_000;
/** net.core.rmem_default: a socket's receive buffer. */
export const UDP_RMEM_DEFAULT = 212_992;

/** What the socket table needs of its host: what the TCP table needs. */
export type UdpHost = TcpHost;

/** A datagram as recvfrom(2) returns it. */
export interface Datagram {
  readonly data: Uint8Array;
  /** Its source, as the receiving namespace sees it (un-NATed for a reply). */
  readonly from: SockAddr;
}

/** What a datagram reaching a host (or the node network) meets. */
export type Delivery = 'delivered' | 'port-unreachable' | 'unreachable';

/** Where datagrams leaving a host go: the network its eth0 is on. */
export interface UdpUplink {
  /** Carry a datagram from `from` to `to`. */
  datagram(from: SockAddr, to: SockAddr, data: Uint8Array): Delivery;
}

export interface RecvOptions {
  /** SO_RCVTIMEO: how long to wait before EAGAIN (forever when absent). */
  timeoutMs?: number;
}

/** One conntrack entry: the tuple as sent and the tuple a reply carries. */
interface Flow {
  readonly original: { readonly src: SockAddr; readonly dst: SockAddr };
  readonly reply: { readonly src: SockAddr; readonly dst: SockAddr };
  replied: boolean;
  expires: number;
}

interface Waiter {
  resolve(d: Datagram): void;
  reject(e: KernelError): void;
  cancel(): void;
}

/** A UDP socket of a host's table. */
export class UdpSocket {
  /** The bound address and port; undefined until bind (or the first send or connect). */
  local: SockAddr | undefined;
  /** The peer connect(2) set. */
  remote: SockAddr | undefined;
  closed = false;
  private readonly queue: Datagram[] = [];
  private queuedBytes = 0;
  private readonly waiters: Waiter[] = [];
  /** sk_err: an ICMP error a connected socket has not reported yet. */
  private pendingError: KernelError | undefined;
  private wakeScheduled = false;

  constructor(
    readonly netns: NetNamespace,
    readonly owner: Process | undefined,
    private readonly table: Udp,
  ) {}

  /** bind(2). */
  bind(address: string, port: number): void {
    if (this.closed) throw new KernelError('EBADF');
    if (this.local) throw new KernelError('EINVAL');
    this.local = this.table.bindPort(this, address, port);
  }

  /** connect(2): binds an ephemeral port first when unbound. */
  connect(remote: SockAddr): void {
    if (this.closed) throw new KernelError('EBADF');
    if (Number.isNaN(ipv4ToInt(remote.address)) || !Number.isInteger(remote.port) || remote.port < 0 || remote.port > 65535) throw new KernelError('EINVAL');
    if (!this.local) this.bind(INADDR_ANY, 0);
    this.remote = remote;
  }

  /** sendto(2) (`to`), or send(2) on a connected socket. ENETUNREACH when there is no route. */
  send(data: Uint8Array, to?: SockAddr): void {
    if (this.closed) throw new KernelError('EBADF');
    const error = this.takeError();
    if (error) throw error;
    const destination = to ?? this.remote;
    if (!destination) throw new KernelError('EDESTADDRREQ');
    // An IPv4 datagram's payload tops out at 65,535 bytes less the IP and UDP headers.
    if (data.length > 65_507) throw new KernelError('EMSGSIZE');
    if (!this.local) this.bind(INADDR_ANY, 0);
    this.table.transmit(this, destination, data.slice());
  }

  /** recvfrom(2): the next datagram; ECONNREFUSED for an ICMP error pending, EAGAIN after `timeoutMs`. */
  recv(options: RecvOptions = {}): Promise<Datagram> {
    if (this.closed) return Promise.reject(new KernelError('EBADF'));
    const next = this.queue.shift();
    if (next) {
      this.queuedBytes -= next.data.length;
      return Promise.resolve(next);
    }
    const error = this.takeError();
    if (error) return Promise.reject(error);
    return new Promise((resolve, reject) => {
      const timer = options.timeoutMs === undefined ? undefined : this.table.clock.after(options.timeoutMs, () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new KernelError('EAGAIN'));
      }, 'udp: recv timeout');
      const waiter: Waiter = { resolve, reject, cancel: () => timer?.cancel() };
      this.waiters.push(waiter);
    });
  }

  /** close(2): the port is free again; a waiting recv fails with EBADF. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.table.forget(this);
    for (const w of this.waiters.splice(0)) {
      w.cancel();
      w.reject(new KernelError('EBADF'));
    }
  }

  /** A datagram for this socket (false when its receive buffer is full and it is dropped). */
  deliver(datagram: Datagram): boolean {
    if (this.closed) return false;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.cancel();
      waiter.resolve(datagram);
      return true;
    }
    if (this.queuedBytes + datagram.data.length > UDP_RMEM_DEFAULT) return false;
    this.queue.push(datagram);
    this.queuedBytes += datagram.data.length;
    return true;
  }

  /**
   * An ICMP port unreachable for a datagram this socket sent: reported only when connected. sk_err is
   * one slot: errors arriving together are reported once, to the next recv (or send).
   */
  icmpUnreachable(): void {
    if (this.closed || !this.remote) return;
    this.pendingError = new KernelError('ECONNREFUSED');
    if (this.waiters.length === 0 || this.wakeScheduled) return;
    this.wakeScheduled = true;
    void Promise.resolve().then(() => {
      this.wakeScheduled = false;
      const waiter = this.pendingError && this.waiters.shift();
      if (!waiter) return;
      waiter.cancel();
      waiter.reject(this.takeError()!);
    });
  }

  private takeError(): KernelError | undefined {
    const error = this.pendingError;
    this.pendingError = undefined;
    return error;
  }
}

const same = (a: SockAddr, b: SockAddr) => a.address === b.address && a.port === b.port;

/**
 * Whether `address` is the first address of a subnet `netns` has an address in: the gateway the CNI
 * bridge holds on the host (route.ts), where the host's own datagrams to its pods come from.
 */
function isGateway(netns: NetNamespace, address: string): boolean {
  const ip = ipv4ToInt(address);
  return netns.devices().some((d) =>
    d.up && d.linkType !== 'loopback' && d.addresses.some((a) => {
      if (a.family !== 'inet') return false;
      const size = 2 ** (32 - a.prefixlen);
      return Math.floor(ipv4ToInt(a.local) / size) * size + 1 === ip;
    }),
  );
}

export class Udp {
  private readonly bound = new Set<UdpSocket>();
  private readonly flows = new Map<string, Flow>();
  /** The flows by their reply tuple. */
  private readonly replies = new Map<string, Flow>();
  private uplink: UdpUplink | undefined;
  /** Conntrack zones for loopback tuples, one per namespace. */
  private readonly zones = new WeakMap<NetNamespace, number>();
  private nextZone = 1;

  constructor(private readonly host: UdpHost) {
    host.onDidExit((process) => {
      for (const s of [...this.bound]) if (s.owner === process) s.close();
    });
  }

  /** The host's clock (a socket's recv timeouts run on it). */
  get clock() {
    return this.host.clock;
  }

  /** socket(AF_INET, SOCK_DGRAM): unbound, in `netns`. */
  socket(netns: NetNamespace, owner?: Process): UdpSocket {
    return new UdpSocket(netns, owner, this);
  }

  /** socket() in `process`'s network namespace, owned by it. */
  socketFor(process: Process): UdpSocket {
    const netns = process.nsproxy?.net;
    if (!netns) throw new KernelError('EBADF');
    return this.socket(netns, process);
  }

  /** Plug the host into a network: datagrams to addresses it does not hold leave through `uplink`. */
  attachUplink(uplink: UdpUplink | undefined): void {
    this.uplink = uplink;
  }

  /** The namespace's bound sockets, in the order they were bound. */
  sockets(netns: NetNamespace): UdpSocket[] {
    return [...this.bound].filter((s) => s.netns === netns);
  }

  /** bind()'s checks and the port it takes. */
  bindPort(socket: UdpSocket, address: string, port: number): SockAddr {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KernelError('EINVAL');
    const netns = socket.netns;
    if (address !== INADDR_ANY) {
      if (Number.isNaN(ipv4ToInt(address))) throw new KernelError('EINVAL');
      const held = address.startsWith('127.') || netns.devices().some((d) => d.addresses.some((a) => a.family === 'inet' && a.local === address));
      if (!held) throw new KernelError('EADDRNOTAVAIL');
    }
    const taken = (p: number) => [...this.bound].some((s) => s.netns === netns && s.local!.port === p && (s.local!.address === INADDR_ANY || address === INADDR_ANY || s.local!.address === address));
    let chosen = port;
    if (port === 0) {
      const [low, high] = IP_LOCAL_PORT_RANGE;
      const size = high - low + 1;
      const start = Math.floor(this.host.random() * size);
      const free = Array.from({ length: size }, (_, i) => low + ((start + i) % size)).find((p) => !taken(p));
      if (free === undefined) throw new KernelError('EAGAIN');
      chosen = free;
    } else if (taken(port)) throw new KernelError('EADDRINUSE');
    this.bound.add(socket);
    return { address, port: chosen };
  }

  forget(socket: UdpSocket): void {
    this.bound.delete(socket);
  }

  /** A datagram `socket` sends to `to`: conntrack, netfilter, the route, delivery. */
  transmit(socket: UdpSocket, to: SockAddr, data: Uint8Array): void {
    const from = socket.netns;
    const first = routeOutput(this.host.namespaces(), this.host.initial, from, to.address);
    if (first.kind === 'network-unreachable') throw new KernelError('ENETUNREACH');
    const bound = socket.local!;
    const address = bound.address !== INADDR_ANY ? bound.address : first.kind === 'local' || first.kind === 'remote' ? first.source : sourceAddress(from);
    if (address === undefined) throw new KernelError('ENETUNREACH');
    const source: SockAddr = { address, port: bound.port };
    const tracked = this.track(from, source, to, () => decideOutput(this.host, 'udp', from, to, source.port));
    if (tracked.kind !== 'pass') {
      if (tracked.kind === 'refused') this.later(() => socket.icmpUnreachable());
      return;
    }
    const route = routeOutput(this.host.namespaces(), this.host.initial, from, tracked.to.address);
    const sent: Datagram = { data, from: tracked.from };
    let delivery: Delivery;
    if (route.kind === 'local' || route.kind === 'remote') delivery = this.deliverIn(route.netns, sent, tracked.to);
    else if (route.kind === 'network-unreachable') throw new KernelError('ENETUNREACH');
    else if (from !== this.host.initial && isGateway(from, tracked.to.address)) delivery = this.deliverIn(this.host.initial, sent, tracked.to);
    else delivery = this.uplink ? this.uplink.datagram(tracked.from, tracked.to, data) : 'unreachable';
    if (delivery === 'port-unreachable') this.later(() => socket.icmpUnreachable());
  }

  /**
   * A datagram from the node network for `to`: conntrack (a reply is un-NATed) or nat PREROUTING, then
   * the socket bound in whichever namespace of this host holds the address.
   */
  receive(from: SockAddr, to: SockAddr, data: Uint8Array): Delivery {
    const initial = this.host.initial;
    const tracked = this.track(initial, from, to, () => ({ kind: 'pass', destination: natPrerouting(this.host, 'udp', from, to) }));
    if (tracked.kind !== 'pass') return 'unreachable';
    const route = routeOutput(this.host.namespaces(), initial, initial, tracked.to.address);
    if (route.kind !== 'local' && route.kind !== 'remote') return 'unreachable';
    return this.deliverIn(route.netns, { data, from: tracked.from }, tracked.to);
  }

  /**
   * The conntrack step for a datagram from `src` to `dst` sent in `netns`: a reply to a known flow (its
   * source becomes the address the flow was sent to), a later datagram of one (translated as the first
   * was), or a new flow that `decide` (netfilter) passes, refuses or drops — kept when it passes.
   */
  private track(netns: NetNamespace, src: SockAddr, dst: SockAddr, decide: () => ReturnType<typeof decideOutput>): { kind: 'pass'; from: SockAddr; to: SockAddr } | { kind: 'refused' | 'dropped' } {
    const now = this.host.clock.now();
    const key = this.key(netns, src, dst);
    const reply = this.replies.get(key);
    if (reply && reply.expires > now) {
      reply.replied = true;
      reply.expires = now + UDP_CONNTRACK_STREAM_TIMEOUT_MS;
      return { kind: 'pass', from: reply.original.dst, to: reply.original.src };
    }
    const flow = this.flows.get(key);
    if (flow && flow.expires > now) {
      flow.expires = now + (flow.replied ? UDP_CONNTRACK_STREAM_TIMEOUT_MS : UDP_CONNTRACK_TIMEOUT_MS);
      return { kind: 'pass', from: src, to: flow.reply.src };
    }
    this.expire(now);
    const decision = decide();
    if (decision.kind !== 'pass') return decision;
    const entry: Flow = { original: { src, dst }, reply: { src: decision.destination, dst: src }, replied: false, expires: now + UDP_CONNTRACK_TIMEOUT_MS };
    this.flows.set(key, entry);
    this.replies.set(this.key(netns, decision.destination, src), entry);
    return { kind: 'pass', from: src, to: decision.destination };
  }

  /** Drop the entries whose time is up. */
  private expire(now: number): void {
    for (const [key, flow] of this.flows) if (flow.expires <= now) this.flows.delete(key);
    for (const [key, flow] of this.replies) if (flow.expires <= now) this.replies.delete(key);
  }

  /** A tuple's key: loopback tuples are per namespace (conntrack zones by netns), others host-wide. */
  private key(netns: NetNamespace, src: SockAddr, dst: SockAddr): string {
    let zone = '';
    if (src.address.startsWith('127.') || dst.address.startsWith('127.')) {
      let id = this.zones.get(netns);
      if (id === undefined) this.zones.set(netns, (id = this.nextZone++));
      zone = String(id);
    }
    return `${zone}|${src.address}:${src.port}>${dst.address}:${dst.port}`;
  }

  /** Hand a datagram to the socket bound for `to` in `netns`, or say nobody is. */
  private deliverIn(netns: NetNamespace, datagram: Datagram, to: SockAddr): Delivery {
    const socket = this.receiverFor(netns, to, datagram.from);
    if (!socket) return 'port-unreachable';
    this.later(() => socket.deliver(datagram));
    return 'delivered';
  }

  /** The socket a datagram from `from` to `to` reaches: connected to `from` first, then the very address, then the wildcard. */
  private receiverFor(netns: NetNamespace, to: SockAddr, from: SockAddr): UdpSocket | undefined {
    const candidates = [...this.bound].filter((s) => s.netns === netns && s.local!.port === to.port && (s.local!.address === to.address || s.local!.address === INADDR_ANY) && (!s.remote || same(s.remote, from)));
    const score = (s: UdpSocket) => (s.remote ? 4 : 0) + (s.local!.address === to.address ? 2 : 0);
    return candidates.sort((a, b) => score(b) - score(a))[0];
  }

  /** Run `fn` once the sender's call has returned: the datagram (or the ICMP error) is on its way. */
  private later(fn: () => void): void {
    void Promise.resolve().then(fn);
  }
}

/** The host's UDP table (`host.udp`), for callers that hold the host. */
export function udpOf(host: { readonly udp: Udp }): Udp {
  return host.udp;
}
