/**
 * Tcp — a host's TCP socket table (net/ipv4/tcp_ipv4.c with inet_hashtables.c's bind and listening
 * hashes): every listening and established socket of every network namespace on the host, found by
 * namespace, address and port.
 *
 * - `listen(process, address, port, accept)` binds in the process's network namespace: INADDR_ANY
 *   (0.0.0.0) or one of the namespace's addresses (else EADDRNOTAVAIL); a port already bound there by a
 *   listener whose address overlaps fails with EADDRINUSE; port 0 takes a free ephemeral port.
 * - `connect(from, {address, port})` routes (route.ts) to the namespace holding the address, finds its
 *   listener (a specific address before the wildcard) and resolves with the client's end of a new
 *   connection, the server's end going to the listener's `accept`; ECONNREFUSED when nobody listens
 *   there (the RST comes back at once), ENETUNREACH when the caller has no route, ETIMEDOUT when the SYN
 *   goes unanswered: after `timeoutMs`, by default the 127 s that tcp_syn_retries=6 gives.
 * - A process's sockets close when it exits: its listeners free their ports, its connections reset.
 *
 * The client's source port comes from ip_local_port_range (32768–60999), taken in turn per namespace.
 * Each socket an owner holds gets the lowest descriptor it has free from 3 up (0–2 being its stdio), as
 * socket(2) and accept(2) allocate them: what /proc/<pid>/fd and `ss -p` show. /proc/net/tcp's lines for
 * a namespace come from `procNetTcp` (procNetTcp.ts). The Host creates its table (`Host.tcp`).
 *
 * - A connection to an address no namespace of the host holds leaves through the host's uplink — the
 *   node network its eth0 is on (`attachUplink`), which hands the SYN to the host holding the address
 *   (`answer`: that host's listener in the namespace holding it) or says nobody does. Its source is the
 *   caller's own address: a pod's IP from a pod, eth0's address from the host's initial namespace.
 *
 * - netfilter decides a connection's first packet (netfilterHooks.ts): the nat table's OUTPUT chain of the
 *   sender's namespace, and — for a packet from a pod, which crosses into the host — PREROUTING of the
 *   host's initial namespace may DNAT it (a Service's ClusterIP to an endpoint, as kube-proxy writes them);
 *   then the filter table's OUTPUT (from the host) or FORWARD (from a pod) may REJECT it (ECONNREFUSED,
 *   as an ICMP port-unreachable reads) or DROP it (the SYN goes unanswered). A SYN arriving from the node
 *   network passes the receiving host's nat PREROUTING (NodePorts). The client's socket keeps the address
 *   it dialled; the server's end sees where the packet was translated to.
 *
 * Left out (UDP is udp.ts): raw sockets, the accept backlog, SO_REUSEADDR/SO_REUSEPORT, IPv6, half-open
 * connections, packets (the networking piece will carry each connection's SYN/ACK/data over veth
 * pairs, bridges and netfilter — `connect` is where it will hook in).
 */
import type { Clock } from '../../base/clock.ts';
import type { Event } from '../../base/emitter.ts';
import { KernelError } from '../errno.ts';
import type { NetNamespace } from '../ns/netNamespace.ts';
import type { Process } from '../process/process.ts';
import { ipv4ToInt, routeOutput } from './route.ts';
import { INADDR_ANY, ListenSocket, StreamEndpoint, TcpSocket, type SockAddr } from './socket.ts';
import { decideOutput, natPrerouting, sourceAddress } from './netfilterHooks.ts';

/** How long an unanswered SYN is retried: 1+2+4+8+16+32+64 s with tcp_syn_retries = 6. */
export const TCP_SYN_TIMEOUT_MS = 127_000;
/** net.ipv4.ip_local_port_range. */
export const IP_LOCAL_PORT_RANGE = [32768, 60999] as const;
/** The first socket inode number handed out (sockfs shares the inode allocator; the value is the emulation's). */
const FIRST_SOCKET_INODE = 40_000;
/** net.core.somaxconn: the cap on a listener's backlog. */
export const SOMAXCONN = 4096;
/** The backlog `listen` asks for unless told: 511, as nginx and redis do. */
const DEFAULT_BACKLOG = 511;
/** The first descriptor a socket takes: 0, 1 and 2 are the process's stdio. */
const FIRST_SOCKET_FD = 3;

/** What the socket table needs of its host. */
export interface TcpHost {
  readonly clock: Clock;
  /** The host's live network namespaces. */
  namespaces(): NetNamespace[];
  /** The host's initial network namespace. */
  readonly initial: NetNamespace;
  /** Fires when a process exits. */
  readonly onDidExit: Event<Process>;
  /** A uniformly distributed number in [0, 1): -m statistic's chance, as the kernel's prandom. */
  random(): number;
}

/** What a SYN reaching a host from the node network meets. */
export type Answer =
  | { readonly kind: 'refused' }
  | { readonly kind: 'unreachable' }
  | {
      readonly kind: 'accept';
      /**
       * Complete the handshake: the server's end joins the answering host's table and `client` (already
       * in `clientTable`) becomes its peer. Rejects with ECONNREFUSED when the listener closed meanwhile.
       */
      complete(client: StreamEndpoint, clientTable: Set<StreamEndpoint>): Promise<void>;
    };

/** Where connections leaving a host go: the network its eth0 is on. */
export interface Uplink {
  /** Carry a SYN from `from` to `to`. */
  syn(from: SockAddr, to: SockAddr): Answer;
}

export interface ConnectOptions {
  /** The process that owns the client's socket (closed when it exits). */
  owner?: Process;
  /** How long to wait for an answer to the SYN before ETIMEDOUT. */
  timeoutMs?: number;
}

export class Tcp {
  private readonly listeners = new Set<ListenSocket>();
  private readonly established = new Set<TcpSocket>();
  private uplink: Uplink | undefined;
  private readonly nextPort = new WeakMap<NetNamespace, number>();
  private nextInode = FIRST_SOCKET_INODE;

  constructor(private readonly host: TcpHost) {
    host.onDidExit((process) => this.closeOwnedBy(process));
  }

  /**
   * socket + bind + listen in `process`'s network namespace. `backlog` is listen(2)'s, capped at
   * net.core.somaxconn (4096); by default 511, what nginx (NGX_LISTEN_BACKLOG) and redis (tcp-backlog) ask.
   */
  listen(process: Process, address: string, port: number, accept: (socket: TcpSocket) => void, backlog = DEFAULT_BACKLOG): ListenSocket {
    const netns = process.nsproxy?.net;
    if (!netns) throw new KernelError('EBADF');
    return this.listenIn(netns, process, address, port, accept, backlog);
  }

  /** listen() in a given namespace (the owner may be none, for sockets of the kernel or a test). */
  listenIn(netns: NetNamespace, owner: Process | undefined, address: string, port: number, accept: (socket: TcpSocket) => void, backlog = DEFAULT_BACKLOG): ListenSocket {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KernelError('EINVAL');
    if (address !== INADDR_ANY) {
      if (Number.isNaN(ipv4ToInt(address))) throw new KernelError('EINVAL');
      const held = netns.devices().some((d) => d.addresses.some((a) => a.family === 'inet' && a.local === address));
      if (!held) throw new KernelError('EADDRNOTAVAIL');
    }
    const bound = port === 0 ? this.ephemeralPort(netns) : port;
    const clash = [...this.listeners].some((l) => l.netns === netns && l.local.port === bound && (l.local.address === INADDR_ANY || address === INADDR_ANY || l.local.address === address));
    if (clash) throw new KernelError('EADDRINUSE');
    const socket = new ListenSocket(netns, owner, this.nextInode++, this.nextFd(owner), { address, port: bound }, Math.min(Math.max(backlog, 0), SOMAXCONN), accept, (s) => this.listeners.delete(s));
    this.listeners.add(socket);
    return socket;
  }

  /** Plug the host into a network: connections to addresses it does not hold leave through `uplink`. */
  attachUplink(uplink: Uplink | undefined): void {
    this.uplink = uplink;
  }

  /** connect(2) from a namespace to an address and port. */
  connect(from: NetNamespace, remote: SockAddr, options: ConnectOptions = {}): Promise<TcpSocket> {
    const decision = decideOutput(this.host, 'tcp', from, remote);
    if (decision.kind === 'refused') return Promise.reject(new KernelError('ECONNREFUSED'));
    if (decision.kind === 'dropped') return this.unanswered(remote, options);
    const to = decision.destination;
    const route = routeOutput(this.host.namespaces(), this.host.initial, from, to.address);
    if (route.kind === 'network-unreachable') return Promise.reject(new KernelError('ENETUNREACH'));
    if (route.kind === 'unreachable') return this.connectOut(from, remote, to, options);
    const listener = this.listenerFor(route.netns, to);
    if (!listener) return Promise.reject(new KernelError('ECONNREFUSED'));
    const local: SockAddr = { address: route.source, port: this.ephemeralPort(from) };
    const client = new TcpSocket(from, options.owner, this.nextInode++, this.nextFd(options.owner), local, remote);
    const server = new TcpSocket(route.netns, listener.owner, this.nextInode++, this.nextFd(listener.owner), to, local);
    StreamEndpoint.join(client, server, this.established);
    return Promise.resolve().then(() => {
      if (listener.closed) {
        server.reset();
        throw new KernelError('ECONNREFUSED');
      }
      listener.accept(server);
      return client;
    });
  }

  /**
   * A SYN from the node network for `to`: the listener that takes it, in whichever namespace of this host
   * holds the address (the initial one for the node's own address, a pod's for a pod IP).
   */
  answer(from: SockAddr, dialled: SockAddr): Answer {
    const initial = this.host.initial;
    const to = natPrerouting(this.host, 'tcp', from, dialled);
    const route = routeOutput(this.host.namespaces(), initial, initial, to.address);
    if (route.kind !== 'local' && route.kind !== 'remote') return { kind: 'unreachable' };
    const listener = this.listenerFor(route.netns, to);
    if (!listener) return { kind: 'refused' };
    return {
      kind: 'accept',
      complete: (client, clientTable) => {
        const server = new TcpSocket(route.netns, listener.owner, this.nextInode++, this.nextFd(listener.owner), to, from);
        StreamEndpoint.join(client, server, clientTable, this.established);
        return Promise.resolve().then(() => {
          if (listener.closed) {
            server.reset();
            throw new KernelError('ECONNREFUSED');
          }
          listener.accept(server);
        });
      },
    };
  }

  /** A connection to an address this host does not hold: out through the uplink, or a SYN nobody answers. */
  private connectOut(from: NetNamespace, remote: SockAddr, to: SockAddr, options: ConnectOptions): Promise<TcpSocket> {
    const source = sourceAddress(from);
    const local: SockAddr | undefined = source === undefined ? undefined : { address: source, port: this.ephemeralPort(from) };
    const answer: Answer = local && this.uplink ? this.uplink.syn(local, to) : { kind: 'unreachable' };
    if (answer.kind === 'refused') return Promise.reject(new KernelError('ECONNREFUSED'));
    if (answer.kind === 'unreachable' || !local) return this.unanswered(remote, options);
    const client = new TcpSocket(from, options.owner, this.nextInode++, this.nextFd(options.owner), local, remote);
    return answer.complete(client, this.established as Set<StreamEndpoint>).then(() => client);
  }

  /** A SYN nobody answers: ETIMEDOUT once tcp_syn_retries are spent. */
  private unanswered(remote: SockAddr, options: ConnectOptions): Promise<TcpSocket> {
    return new Promise((_resolve, reject) => {
      this.host.clock.after(options.timeoutMs ?? TCP_SYN_TIMEOUT_MS, () => reject(new KernelError('ETIMEDOUT')), `tcp: SYN to ${remote.address}:${remote.port}`);
    });
  }

  /** The namespace's sockets: listeners first, then connections, each in the order they were made. */
  sockets(netns: NetNamespace): Array<ListenSocket | TcpSocket> {
    return [...[...this.listeners].filter((s) => s.netns === netns), ...[...this.established].filter((s) => s.netns === netns && !s.closed)];
  }

  /** Every socket `process` holds, by descriptor (what /proc/<pid>/fd lists besides its stdio). */
  socketsOf(process: Process): Array<ListenSocket | TcpSocket> {
    return [...this.listeners, ...[...this.established].filter((s) => !s.closed)].filter((s) => s.owner === process).sort((a, b) => (a.fd ?? 0) - (b.fd ?? 0));
  }

  /** The lowest descriptor `owner` has free for a new socket (none for a socket without an owner). */
  private nextFd(owner: Process | undefined): number | undefined {
    if (!owner) return undefined;
    const used = new Set(this.socketsOf(owner).map((s) => s.fd));
    let fd = FIRST_SOCKET_FD;
    while (used.has(fd)) fd++;
    return fd;
  }

  /** The listener a SYN to `to` in `netns` reaches: one bound to the very address, else a wildcard one. */
  private listenerFor(netns: NetNamespace, to: SockAddr): ListenSocket | undefined {
    const candidates = [...this.listeners].filter((l) => l.netns === netns && l.local.port === to.port);
    return candidates.find((l) => l.local.address === to.address) ?? candidates.find((l) => l.local.address === INADDR_ANY);
  }

  private ephemeralPort(netns: NetNamespace): number {
    const [low, high] = IP_LOCAL_PORT_RANGE;
    const port = this.nextPort.get(netns) ?? low;
    for (let i = 0; i <= high - low; i++) {
      const candidate = low + ((port - low + i) % (high - low + 1));
      const used = [...this.listeners, ...this.established].some((s) => s.netns === netns && s.local.port === candidate);
      if (!used) {
        this.nextPort.set(netns, candidate + 1);
        return candidate;
      }
    }
    throw new KernelError('EADDRNOTAVAIL');
  }

  private closeOwnedBy(process: Process): void {
    for (const l of [...this.listeners]) if (l.owner === process) l.close();
    for (const s of [...this.established]) if (s.owner === process) s.reset();
  }
}

/** The host's socket table (`host.tcp`), for callers that hold the host. */
export function tcpOf(host: { readonly tcp: Tcp }): Tcp {
  return host.tcp;
}
