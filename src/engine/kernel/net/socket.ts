/**
 * TCP sockets as a program holds them (struct sock of net/ipv4/tcp.c, seen through socket(2)): a
 * listening socket bound to an address and port, and the endpoints of an established connection — a
 * byte stream each way, then end of stream when a side closes (FIN), or a reset when its owner dies.
 *
 * Contract: data one end writes reaches the other end's `receive` handlers in order, a microtask later
 * (never inside the writer's call, so a server may answer from its data handler); what arrives before
 * a handler is set is kept for it. Writing on a closed endpoint fails with EPIPE.
 *
 * Left out: segments, windows, the TIME_WAIT and half-closed states beyond "the peer has closed",
 * options (Nagle, keepalive, SO_REUSEPORT), out-of-band data and every address family but IPv4.
 */
import { KernelError } from '../errno.ts';
import type { NetNamespace } from '../ns/netNamespace.ts';
import type { Process } from '../process/process.ts';

/** An IPv4 address and a port (struct sockaddr_in). */
export interface SockAddr {
  readonly address: string;
  readonly port: number;
}

/** The wildcard address a socket binds to listen on every address of its namespace (INADDR_ANY). */
export const INADDR_ANY = '0.0.0.0';

/** `10.244.1.5:8080`, as Go's net.JoinHostPort and ss print an IPv4 endpoint. */
export function formatSockAddr(a: SockAddr): string {
  return `${a.address}:${a.port}`;
}

/** The TCP states /proc/net/tcp numbers (include/net/tcp_states.h), for the ones sockets here take. */
export const TCP_STATE = { ESTABLISHED: 0x01, CLOSE_WAIT: 0x08, LISTEN: 0x0a } as const;

/** What a reader of an endpoint is told: bytes, then the end of the stream (with why, for a reset). */
export interface ReceiveHandlers {
  data(chunk: string): void;
  end?(reason: 'fin' | 'reset'): void;
}

/** A socket's identity in the table: its namespace, owner, the inode /proc/net/tcp shows and the descriptor `ss -p` shows. */
export interface SocketIdentity {
  readonly netns: NetNamespace;
  /** The process holding its file descriptor (sockets the kernel itself opens have none). */
  readonly owner: Process | undefined;
  readonly inode: number;
  /** Its descriptor in the owner's file table (undefined without an owner). */
  readonly fd: number | undefined;
}

/**
 * One end of an established byte-stream connection, with the contract above and nothing of a host's
 * socket table: TcpSocket adds that identity; the laptop's loopback (cluster/loopback.ts), which has no
 * kernel, uses it bare.
 */
export class StreamEndpoint {
  private peer: StreamEndpoint | undefined;
  private onDidClose: (() => void) | undefined;
  private handlers: ReceiveHandlers | undefined;
  private readonly pending: string[] = [];
  /** The peer has closed (FIN) or been reset: nothing more arrives. */
  protected ended: 'fin' | 'reset' | undefined;
  private endDelivered = false;
  /** This end has closed (shutdown/close): it writes no more. */
  closed = false;

  constructor(
    readonly local: SockAddr,
    readonly remote: SockAddr,
  ) {}

  /**
   * Make `client` and `server` the two ends of one connection: what each writes, the other receives.
   * Each joins its socket table (`established`, or `serverTable` for a server on another host) and
   * leaves it as it closes.
   */
  static join<C extends StreamEndpoint, S extends StreamEndpoint>(client: C, server: S, established: Set<C>, serverTable?: Set<S>): void {
    const servers = serverTable ?? (established as unknown as Set<S>);
    client.peer = server;
    server.peer = client;
    client.onDidClose = () => established.delete(client);
    server.onDidClose = () => servers.delete(server);
    established.add(client);
    servers.add(server);
  }

  /** write(2): the bytes go to the peer. EPIPE once this end or the peer is gone. */
  write(data: string): void {
    if (this.closed || this.ended === 'reset') throw new KernelError('EPIPE');
    this.peer?.deliver(data);
  }

  /** Read what arrives: everything already received first, then each chunk as it comes. */
  receive(handlers: ReceiveHandlers): void {
    this.handlers = handlers;
    this.flush();
  }

  /** close(2): FIN to the peer; the socket leaves the table. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDidClose?.();
    if (!this.ended) this.peer?.finish('fin');
  }

  /** The owner died (or the listener was torn down): the peer sees a reset. */
  reset(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDidClose?.();
    if (!this.ended) this.peer?.finish('reset');
  }

  private deliver(data: string): void {
    // Bytes to an end already closed are answered with a reset in TCP; here they are dropped.
    if (this.closed) return;
    this.pending.push(data);
    void Promise.resolve().then(() => this.flush());
  }

  private finish(reason: 'fin' | 'reset'): void {
    this.ended = reason;
    void Promise.resolve().then(() => this.flush());
  }

  private flush(): void {
    const h = this.handlers;
    if (!h) return;
    while (this.pending.length > 0 && !this.closed) h.data(this.pending.shift()!);
    if (this.ended && !this.endDelivered) {
      this.endDelivered = true;
      h.end?.(this.ended);
    }
  }
}

/** One end of an established connection, as a host's socket table holds it. */
export class TcpSocket extends StreamEndpoint implements SocketIdentity {
  constructor(
    readonly netns: NetNamespace,
    readonly owner: Process | undefined,
    readonly inode: number,
    readonly fd: number | undefined,
    local: SockAddr,
    remote: SockAddr,
  ) {
    super(local, remote);
  }

  /** ESTABLISHED, or CLOSE_WAIT once the peer has closed and this end has not. */
  get state(): number {
    return this.ended ? TCP_STATE.CLOSE_WAIT : TCP_STATE.ESTABLISHED;
  }
}

/** A socket in LISTEN: bound to an address and port of its namespace, handing each connection to its owner. */
export class ListenSocket implements SocketIdentity {
  closed = false;

  constructor(
    readonly netns: NetNamespace,
    readonly owner: Process | undefined,
    readonly inode: number,
    readonly fd: number | undefined,
    readonly local: SockAddr,
    /** listen(2)'s backlog as the kernel keeps it (sk_max_ack_backlog): ss's Send-Q for a listener. */
    readonly backlog: number,
    /** accept(2): runs for each new connection, with the server's end. */
    readonly accept: (socket: TcpSocket) => void,
    private readonly onDidClose: (socket: ListenSocket) => void,
  ) {}

  readonly state = TCP_STATE.LISTEN;

  /** close(2): the port is free again; connections to it are refused from now on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDidClose(this);
  }
}
