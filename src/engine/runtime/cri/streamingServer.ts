/**
 * StreamingServer — the CRI plugin's streaming server (k8s.io/kubelet/pkg/cri/streaming as containerd
 * embeds it): Exec, Attach and PortForward do not stream over the CRI call itself; they return a URL
 * (`http://127.0.0.1:<port>/exec/<token>`) on this server, whose token names the cached request for a
 * minute. The kubelet (or crictl) then connects to the URL and the server runs the request with the
 * caller's stdio. Here the server is an in-process object: `connect(url, io)` is the HTTP upgrade, and
 * `connectPortForward(url)` the upgrade of a PortForward URL, after which each forwarded connection is one
 * stream (SPDY's data and error stream pair) handed to the returned forwarder with its port.
 *
 * Left out: the HTTP and SPDY/WebSocket framing, and the TLS the server can be given.
 */
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { TcpSocket } from '../../kernel/net/socket.ts';
import type { Sink, Source } from '../../kernel/process/stdio.ts';

/** The cache TTL of a request's token (streaming.DefaultConfig.StreamIdleTimeout's sibling CacheTTL). */
export const STREAM_TOKEN_TTL_MS = 60_000;

/** The caller's side of a stream. */
export interface StreamIO {
  stdin?: Source;
  stdout?: Sink;
  stderr?: Sink;
  /** The terminal's size, for a tty. */
  consoleSize?: { cols: number; rows: number };
}

/** Runs a cached request once its caller connects; resolves with the exit code. */
export type StreamHandler = (io: StreamIO) => Promise<number>;

/** One forwarded connection's stream (the io.ReadWriteCloser PortForward copies to and from): a TCP socket's shape. */
export type PortForwardStream = Pick<TcpSocket, 'write' | 'receive' | 'close'>;

/**
 * Forwards one stream to `port` in the pod's network namespace: resolves when the forwarding is over,
 * rejects with the error the error stream carries.
 */
export type PortForwarder = (port: number, stream: PortForwardStream) => Promise<void>;

/** A connection the server refused, with its HTTP status. */
export class StreamingError extends Error {
  override name = 'StreamingError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

type Pending = { kind: 'exec' | 'attach'; handler: StreamHandler; expiresAt: number } | { kind: 'portforward'; handler: PortForwarder; expiresAt: number };

export class StreamingServer {
  /** `http://127.0.0.1:<port>`. */
  readonly baseUrl: string;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly rng: SeededRng,
  ) {
    // containerd's stream_server_port "0": an ephemeral port picked when the plugin starts.
    this.baseUrl = `http://127.0.0.1:${32768 + rng.int(28232)}`;
  }

  /** Cache a request; the URL its caller connects to. */
  register(kind: 'exec' | 'attach', handler: StreamHandler): string {
    return this.cache({ kind, handler, expiresAt: this.clock.now() + STREAM_TOKEN_TTL_MS });
  }

  /** Cache a PortForward request; the URL its caller connects to. */
  registerPortForward(handler: PortForwarder): string {
    return this.cache({ kind: 'portforward', handler, expiresAt: this.clock.now() + STREAM_TOKEN_TTL_MS });
  }

  /** Connect to a URL Exec or Attach returned: the request runs once, with `io`. */
  connect(url: string, io: StreamIO): Promise<number> {
    const entry = this.take(url);
    if (!entry || entry.kind === 'portforward') return Promise.reject(new StreamingError(404, '404 page not found'));
    return entry.handler(io);
  }

  /** Connect to a URL PortForward returned (once): the forwarder each forwarded connection's stream goes to. */
  connectPortForward(url: string): PortForwarder {
    const entry = this.take(url);
    if (!entry || entry.kind !== 'portforward') throw new StreamingError(404, '404 page not found');
    return entry.handler;
  }

  private cache(entry: Pending): string {
    const token = this.rng.string(TOKEN_ALPHABET, 8);
    this.pending.set(token, entry);
    return `${this.baseUrl}/${entry.kind}/${token}`;
  }

  /** The live request a URL names, forgotten once taken. */
  private take(url: string): Pending | undefined {
    const m = /^(http:\/\/[^/]+)\/(exec|attach|portforward)\/([A-Za-z0-9_-]+)$/.exec(url);
    const token = m && m[1] === this.baseUrl ? m[3]! : undefined;
    const entry = token === undefined ? undefined : this.pending.get(token);
    if (token !== undefined) this.pending.delete(token);
    if (!entry || entry.expiresAt < this.clock.now() || entry.kind !== m?.[2]) return undefined;
    return entry;
  }
}
