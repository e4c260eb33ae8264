/**
 * StreamingServer — the CRI plugin's streaming server (k8s.io/kubelet/pkg/cri/streaming as containerd
 * embeds it): Exec, Attach and PortForward do not stream over the CRI call itself; they return a URL
 * (`http://127.0.0.1:<port>/exec/<token>`) on this server, whose token names the cached request for a
 * minute. The kubelet (or crictl) then connects to the URL and the server runs the request with the
 * caller's stdio. Here the server is an in-process object: `connect(url, io)` is the HTTP upgrade, and
 * `connectPortForward(url)` the upgrade of a PortForward URL, after which each forwarded connection is one
 * stream (SPDY's data and error stream pair) handed to the returned forwarder with its port.
 *
 * Every step of a session fires `onDidStream` for the trace: the request cached under its token
 * (`requested`), a caller connecting to its URL (`connected`), the request handed to the runtime
 * (`started`: its handler has run up to its first wait — for exec the process has been started in the
 * container, or failed to be), its end (`closed`, with the exit code or the error) and a connection to a
 * URL that names no live request (`refused`). A PortForward session is not followed past `connected`.
 *
 * Left out: the HTTP and SPDY/WebSocket framing, the TLS the server can be given, and the forwarded
 * connections of a PortForward session in `onDidStream`.
 */
import type { Clock } from '../../base/clock.ts';
import { Emitter, type Event } from '../../base/emitter.ts';
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

/** What a streaming URL is for. */
export type StreamKind = 'exec' | 'attach' | 'portforward';

/** One step of a streaming session, as the diagrams draw it (plain data). */
export type StreamingEvent =
  | {
      phase: 'requested' | 'connected' | 'started';
      kind: StreamKind;
      /** The token the URL carries. */
      token: string;
      url: string;
      /** Virtual time, ms. */
      time: number;
    }
  | {
      phase: 'closed';
      kind: StreamKind;
      token: string;
      url: string;
      time: number;
      /** The exit code the request ended with (exec: the process's; attach: the container's). */
      exitCode?: number;
      /** Why it failed, when it did. */
      error?: string;
    }
  | {
      phase: 'refused';
      url: string;
      time: number;
      /** The HTTP status the caller got. */
      status: number;
    };

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
  private readonly _onDidStream = new Emitter<StreamingEvent>();
  /** Each step of every session: requested, connected, started, closed, or refused. */
  readonly onDidStream: Event<StreamingEvent> = this._onDidStream.event;

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
  async connect(url: string, io: StreamIO): Promise<number> {
    const live = this.take(url);
    if (!live || live.entry.kind === 'portforward') throw this.refuse(url);
    const { token, entry } = live;
    const session = { kind: entry.kind, token, url };
    this.fire({ phase: 'connected', ...session, time: this.clock.now() });
    let running: Promise<number>;
    try {
      running = entry.handler(io);
    } catch (error) {
      this.fire({ phase: 'closed', ...session, error: messageOf(error), time: this.clock.now() });
      throw error;
    }
    this.fire({ phase: 'started', ...session, time: this.clock.now() });
    try {
      const exitCode = await running;
      this.fire({ phase: 'closed', ...session, exitCode, time: this.clock.now() });
      return exitCode;
    } catch (error) {
      this.fire({ phase: 'closed', ...session, error: messageOf(error), time: this.clock.now() });
      throw error;
    }
  }

  /** Connect to a URL PortForward returned (once): the forwarder each forwarded connection's stream goes to. */
  connectPortForward(url: string): PortForwarder {
    const live = this.take(url);
    if (!live || live.entry.kind !== 'portforward') throw this.refuse(url);
    this.fire({ phase: 'connected', kind: 'portforward', token: live.token, url, time: this.clock.now() });
    return live.entry.handler;
  }

  private cache(entry: Pending): string {
    const token = this.rng.string(TOKEN_ALPHABET, 8);
    this.pending.set(token, entry);
    const url = `${this.baseUrl}/${entry.kind}/${token}`;
    this.fire({ phase: 'requested', kind: entry.kind, token, url, time: this.clock.now() });
    return url;
  }

  /** The live request a URL names, forgotten once taken. */
  private take(url: string): { token: string; entry: Pending } | undefined {
    const m = /^(http:\/\/[^/]+)\/(exec|attach|portforward)\/([A-Za-z0-9_-]+)$/.exec(url);
    const token = m && m[1] === this.baseUrl ? m[3]! : undefined;
    const entry = token === undefined ? undefined : this.pending.get(token);
    if (token !== undefined) this.pending.delete(token);
    if (token === undefined || !entry || entry.expiresAt < this.clock.now() || entry.kind !== m?.[2]) return undefined;
    return { token, entry };
  }

  /** The 404 a URL naming no live request gets, reported. */
  private refuse(url: string): StreamingError {
    const error = new StreamingError(404, '404 page not found');
    this.fire({ phase: 'refused', url, status: error.status, time: this.clock.now() });
    return error;
  }

  private fire(event: StreamingEvent): void {
    if (this._onDidStream.hasListeners) this._onDidStream.fire(event);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
