/**
 * Loopback — the student's laptop's `lo`: the laptop is no emulated host (no kernel, no namespaces), yet
 * `kubectl port-forward` listens on it and `curl localhost:8080` in another laptop shell connects there.
 * It holds the loopback addresses a Linux laptop has — 127.0.0.0/8 and ::1 — and the wildcards 0.0.0.0
 * and `::`; a listener takes an address and port (0: an ephemeral one from ip_local_port_range) and a
 * connection to it is a pair of kernel/net's endpoints (StreamEndpoint: a TcpSocket without a host's
 * socket table) with a TCP socket's contract (socket.ts): bytes in order a microtask later, then end of
 * stream when a side closes; ECONNREFUSED when nobody listens, EADDRINUSE when the port is taken,
 * EADDRNOTAVAIL for an address the laptop does not have.
 *
 * `LocalNetwork` is what a command needs of the machine it runs on, the same on the laptop (this
 * loopback, found through the lab's clock as the laptop's docker finds its daemon) and on an emulated
 * host (its kernel's socket table, IPv4 only, in the command's network namespace): `localNetworkFor`.
 *
 * Left out: every interface but lo (the laptop reaches the cluster only through the apiserver), UDP,
 * half-closed connections and resets.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import { StreamEndpoint, type SockAddr } from '../kernel/net/socket.ts';
import { IP_LOCAL_PORT_RANGE } from '../kernel/net/tcp.ts';
import type { Process } from '../kernel/process/process.ts';

/** One end of an established connection, as a command holds it. */
export type Connection = Pick<StreamEndpoint, 'local' | 'remote' | 'write' | 'receive' | 'close'>;

/** A listening socket, as a command holds it. */
export interface Listener {
  readonly local: SockAddr;
  close(): void;
}

/** The network a command reaches from where it runs. */
export interface LocalNetwork {
  /** Whether the machine has IPv6 (the laptop's ::1; the emulated kernel has none). */
  readonly ipv6: boolean;
  /** socket + bind + listen: KernelError EADDRINUSE, EADDRNOTAVAIL. */
  listen(address: string, port: number, accept: (socket: Connection) => void): Listener;
  /** connect(2): KernelError ECONNREFUSED, ENETUNREACH, ETIMEDOUT. */
  connect(address: string, port: number): Promise<Connection>;
}

/** Whether `address` is one of the laptop's loopback addresses or a wildcard. */
function held(address: string): boolean {
  return address === '::1' || address === '::' || address === '0.0.0.0' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address);
}

function family(address: string): 4 | 6 {
  return address.includes(':') ? 6 : 4;
}

interface LoopbackListener extends Listener {
  accept(socket: Connection): void;
  closed: boolean;
}

export class Loopback implements LocalNetwork {
  readonly ipv6 = true;
  private readonly listeners = new Set<LoopbackListener>();
  private readonly established = new Set<StreamEndpoint>();
  private nextPort: number;

  constructor(rng: SeededRng) {
    const [low, high] = IP_LOCAL_PORT_RANGE;
    // Linux starts each search at a hashed offset in the range; the lab's seed stands in for the hash.
    this.nextPort = low + rng.int(high - low + 1);
  }

  listen(address: string, port: number, accept: (socket: Connection) => void): Listener {
    if (!held(address)) throw new KernelError('EADDRNOTAVAIL');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new KernelError('EINVAL');
    const bound = port === 0 ? this.ephemeralPort() : port;
    const wildcard = (a: string) => a === '0.0.0.0' || a === '::';
    const clash = [...this.listeners].some((l) => l.local.port === bound && family(l.local.address) === family(address) && (l.local.address === address || wildcard(l.local.address) || wildcard(address)));
    if (clash) throw new KernelError('EADDRINUSE');
    const listener: LoopbackListener = {
      local: { address, port: bound },
      accept,
      closed: false,
      close: () => {
        listener.closed = true;
        this.listeners.delete(listener);
      },
    };
    this.listeners.add(listener);
    return listener;
  }

  connect(address: string, port: number): Promise<Connection> {
    if (!held(address) || address === '0.0.0.0' || address === '::') return Promise.reject(new KernelError('ENETUNREACH'));
    const candidates = [...this.listeners].filter((l) => l.local.port === port && family(l.local.address) === family(address));
    const listener = candidates.find((l) => l.local.address === address) ?? candidates.find((l) => l.local.address === '0.0.0.0' || l.local.address === '::');
    if (!listener) return Promise.reject(new KernelError('ECONNREFUSED'));
    const remote: SockAddr = { address, port };
    const local: SockAddr = { address, port: this.ephemeralPort() };
    const client = new StreamEndpoint(local, remote);
    const server = new StreamEndpoint(remote, local);
    StreamEndpoint.join(client, server, this.established);
    return Promise.resolve().then(() => {
      if (listener.closed) {
        server.close();
        client.close();
        throw new KernelError('ECONNREFUSED');
      }
      listener.accept(server);
      return client;
    });
  }

  private ephemeralPort(): number {
    const [low, high] = IP_LOCAL_PORT_RANGE;
    for (let i = 0; i <= high - low; i++) {
      const candidate = low + ((this.nextPort - low + i) % (high - low + 1));
      const used = [...this.listeners, ...this.established].some((s) => s.local.port === candidate);
      if (!used) {
        this.nextPort = candidate + 1;
        return candidate;
      }
    }
    throw new KernelError('EADDRNOTAVAIL');
  }
}

/** A host's network as `process` reaches it: its network namespace in the host's socket table. */
export function hostNetwork(host: Host, process: Process): LocalNetwork {
  return {
    ipv6: false,
    listen: (address, port, accept) => {
      // The emulated kernel has no IPv6: binding ::1 fails as on a host with IPv6 disabled.
      if (family(address) === 6) throw new KernelError('EADDRNOTAVAIL');
      return host.tcp.listen(process, address, port, accept);
    },
    connect: (address, port) => {
      const netns = process.nsproxy?.net;
      if (!netns) return Promise.reject(new KernelError('EBADF'));
      if (family(address) === 6) return Promise.reject(new KernelError('ENETUNREACH'));
      return host.tcp.connect(netns, { address, port }, { owner: process });
    },
  };
}

const loopbacks = new WeakMap<Clock, Loopback>();

/** Make `loopback` the laptop's for the shells whose commands run on `clock` (the lab's). */
export function registerLoopback(clock: Clock, loopback: Loopback): void {
  loopbacks.set(clock, loopback);
}

/**
 * The network a command reaches: its host's when it runs on one, else the laptop's — the one registered
 * for its clock, made on first use for shells outside a lab (tests) from their rng.
 */
export function localNetworkFor(ctx: { readonly clock: Clock; readonly rng: SeededRng; readonly process?: { readonly host: Host; readonly process: Process } }): LocalNetwork {
  if (ctx.process) return hostNetwork(ctx.process.host, ctx.process.process);
  let loopback = loopbacks.get(ctx.clock);
  if (!loopback) {
    loopback = new Loopback(ctx.rng.fork('laptop/loopback'));
    loopbacks.set(ctx.clock, loopback);
  }
  return loopback;
}
