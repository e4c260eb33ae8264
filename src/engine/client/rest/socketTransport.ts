/**
 * SocketTransport — client-go's HTTP transport (net/http's Transport under rest.Config) over a TCP
 * connection the client's process opens in the emulated kernel: HTTP/1.1 to the apiserver's serving
 * (apiserver/serving.ts). TLS is not emulated, so the bytes are the HTTP messages themselves, while
 * URLs and error texts say https, as client-go's do.
 *
 * Each request carries `Host`, `User-Agent`, the bearer token (asked again for every request, as
 * client-go re-reads a projected service-account token) and its body with Content-Length; the query is
 * encoded as Go's url.Values.Encode does (keys sorted). Plain requests share keep-alive connections: a
 * finished exchange leaves its connection idle for the next request (up to client-go's 25 idle per
 * host), and a reused connection the server had closed is replaced by a fresh dial. A watch
 * (`watch=true`/`watch=1`) or a followed log takes a connection of its own: its answer resolves with
 * the head, and the chunked body feeds a WatchStream (one event line per line, with no `decoded`: the
 * reader parses the JSON) or a BodyStream, ended when the server ends the body or the connection drops;
 * `stop()` closes the connection, which stops the server's side.
 *
 * Failures read as Go's *url.Error: `Get "https://10.96.0.1:443/api/v1/services?limit=500&resourceVersion=0":
 * dial tcp 10.96.0.1:443: connect: connection refused` (network is unreachable, no route to host; a dial
 * unanswered for client-go's 30 s is `i/o timeout`), `EOF` for a connection closed before the answer,
 * `read tcp …: read: connection reset by peer` for a reset.
 *
 * `apiTransport(host)` is the ApiTransportFactory for programs on an emulated host: the process dials
 * from its own network namespace and owns the sockets (they reset when it dies).
 *
 * Left out: TLS and certificates, HTTP/2, gzip (no Accept-Encoding is sent), SPDY/WebSocket upgrades
 * (exec, attach, port-forward), protobuf bodies (the sockets carry text), request timeouts, proxies.
 */
import { BodyStream, WatchStream, type ApiRequest, type ApiResponse } from '../../apiserver/http.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import { canonicalHeaderKey, formatRequest, HttpParseError, MessageReader, utf8Length, type Headers, type MessagePart } from '../../kernel/net/http1.ts';
import type { StreamEndpoint } from '../../kernel/net/socket.ts';
import type { ApiServerAddress, ApiTransportFactory } from './apiTransport.ts';
import type { Transport } from './transport.ts';

/** One end of an established connection, as the dialer hands it over (a TcpSocket, a loopback endpoint). */
export type DialedConnection = Pick<StreamEndpoint, 'local' | 'remote' | 'write' | 'receive' | 'close'>;

export interface SocketTransportOptions {
  /** Open a new connection to `server` (connect(2)): rejects with a KernelError when it cannot. */
  dial: () => Promise<DialedConnection>;
  /** Where the apiserver is: the Host header and the URLs in errors. */
  server: ApiServerAddress;
  /** The bearer token for each request (undefined: none). */
  token: () => string | undefined;
  userAgent: string;
}

/** client-go's dialer timeout (net.Dialer{Timeout: 30 * time.Second}). */
export const DIAL_TIMEOUT_MS = 30_000;

/** client-go's MaxIdleConnsPerHost (utilnet.SetTransportDefaults). */
export const MAX_IDLE_CONNS_PER_HOST = 25;

/** Go's *url.Error: the operation (`Get`), the URL and what went wrong, worded `Get "<url>": <err>`. */
export class UrlError extends Error {
  override name = 'UrlError';

  constructor(
    readonly op: string,
    readonly url: string,
    readonly err: string,
  ) {
    super(`${op} ${JSON.stringify(url)}: ${err}`);
  }
}

/** A reused connection failed before any answer: the request goes again on a fresh one. */
const RETRY = Symbol('retry');

/** Where the parts of the answer to the request in flight go. */
interface Exchange {
  part(part: MessagePart): void;
  /** The connection ended before the answer did. */
  broke(why: string): void;
}

/** A connection to the server: one exchange at a time, its reader for its whole life. */
class ClientConn {
  private readonly reader = new MessageReader('response');
  exchange: Exchange | undefined;
  /** The connection can carry no more requests. */
  dead = false;

  constructor(
    readonly socket: DialedConnection,
    private readonly onDidDie: (conn: ClientConn) => void,
  ) {
    socket.receive({ data: (chunk) => this.data(chunk), end: (how) => this.end(how) });
  }

  get endpoints(): string {
    const { local, remote } = this.socket;
    return `${local.address}:${local.port}->${remote.address}:${remote.port}`;
  }

  close(): void {
    if (!this.dead) {
      this.dead = true;
      this.onDidDie(this);
    }
    this.socket.close();
  }

  private data(chunk: string): void {
    if (this.dead) return;
    let parts: MessagePart[];
    try {
      parts = this.reader.read(chunk);
    } catch (error) {
      if (!(error instanceof HttpParseError)) throw error;
      const exchange = this.exchange;
      this.exchange = undefined;
      this.close();
      exchange?.broke(error.message);
      return;
    }
    for (const part of parts) this.exchange?.part(part);
  }

  private end(how: 'fin' | 'reset'): void {
    const exchange = this.exchange;
    if (exchange && how === 'fin' && this.reader.awaitingClose) exchange.part({ type: 'end' });
    else if (exchange) exchange.broke(how === 'reset' ? `read tcp ${this.endpoints}: read: connection reset by peer` : 'EOF');
    this.exchange = undefined;
    this.close();
  }
}

export class SocketTransport implements Transport {
  private readonly idle: ClientConn[] = [];

  constructor(private readonly options: SocketTransportOptions) {}

  async request(request: ApiRequest): Promise<ApiResponse> {
    const target = requestTarget(request);
    const op = request.method.slice(0, 1) + request.method.slice(1).toLowerCase();
    const url = `https://${this.hostPort}${target}`;
    const wire = this.format(request, target);
    const watch = request.query.get('watch');
    const follow = request.query.get('follow');
    const streaming = watch === 'true' || watch === '1' ? 'watch' : /\/pods\/[^/]+\/log$/.test(request.path) && (follow === 'true' || follow === '1') ? 'body' : undefined;
    if (streaming) return this.exchange(await this.dial(op, url), wire, streaming, op, url, false);
    for (;;) {
      const reused = this.takeIdle();
      const conn = reused ?? (await this.dial(op, url));
      try {
        return await this.exchange(conn, wire, undefined, op, url, reused !== undefined);
      } catch (error) {
        if (error !== RETRY) throw error;
      }
    }
  }

  private get hostPort(): string {
    return `${this.options.server.address}:${this.options.server.port}`;
  }

  /** The request on the wire, headers in the order Go's Request.write puts them. */
  private format(request: ApiRequest, target: string): string {
    const headers: Headers = [
      ['Host', this.hostPort],
      ['User-Agent', this.options.userAgent],
    ];
    const body = request.body ?? '';
    if (request.body !== undefined || ['POST', 'PUT', 'PATCH'].includes(request.method)) headers.push(['Content-Length', String(utf8Length(body))]);
    const rest: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (!/^(host|user-agent|content-length|authorization|connection|transfer-encoding)$/i.test(name)) rest[canonicalHeaderKey(name)] = value;
    }
    const token = this.options.token();
    if (token !== undefined && token !== '') rest.Authorization = `Bearer ${token}`;
    for (const name of Object.keys(rest).sort()) headers.push([name, rest[name]!]);
    return formatRequest({ method: request.method, target, version: 'HTTP/1.1', headers, body });
  }

  private async dial(op: string, url: string): Promise<ClientConn> {
    let socket: DialedConnection;
    try {
      socket = await this.options.dial();
    } catch (error) {
      throw new UrlError(op, url, `dial tcp ${this.hostPort}: ${dialError(error)}`);
    }
    return new ClientConn(socket, (conn) => this.forget(conn));
  }

  private takeIdle(): ClientConn | undefined {
    let conn: ClientConn | undefined;
    while ((conn = this.idle.pop()) && conn.dead);
    return conn;
  }

  private forget(conn: ClientConn): void {
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
  }

  /** After an answer: the connection waits for the next request, unless the server closes it or the pool is full. */
  private release(conn: ClientConn, headers: Record<string, string>): void {
    if (conn.dead) return;
    if (headers.connection?.toLowerCase() === 'close' || this.idle.length >= MAX_IDLE_CONNS_PER_HOST) conn.close();
    else this.idle.push(conn);
  }

  /**
   * Send `wire` on `conn` and read the answer: whole, or — for a streaming request answered 2xx — its
   * head at once and its body into a WatchStream or BodyStream.
   */
  private exchange(conn: ClientConn, wire: string, streaming: 'watch' | 'body' | undefined, op: string, url: string, reused: boolean): Promise<ApiResponse> {
    return new Promise((resolve, reject) => {
      let head: { status: number; headers: Record<string, string> } | undefined;
      let body = '';
      let received = false;
      let stream: WatchStream | BodyStream | undefined;
      let partial = '';
      const feed = (data: string) => {
        if (stream instanceof BodyStream) {
          stream.write(data);
          return;
        }
        partial += data;
        let newline: number;
        while ((newline = partial.indexOf('\n')) >= 0) {
          const line = partial.slice(0, newline).trim();
          partial = partial.slice(newline + 1);
          if (line) stream!.write(line);
        }
      };
      const endStream = () => {
        if (stream instanceof WatchStream && partial.trim()) stream.write(partial.trim());
        partial = '';
        stream!.end();
      };
      conn.exchange = {
        part: (part) => {
          received = true;
          if (part.type === 'head') {
            const headers: Record<string, string> = {};
            for (const [name, value] of part.headers) headers[name.toLowerCase()] = value;
            head = { status: Number(part.start[1]), headers };
            if (streaming && head.status >= 200 && head.status <= 299) {
              stream = streaming === 'watch' ? new WatchStream() : new BodyStream();
              stream.setStopper(() => {
                conn.exchange = undefined;
                conn.close();
              });
              resolve(streaming === 'watch' ? { ...head, body: '', watch: stream as WatchStream } : { ...head, body: '', stream: stream as BodyStream });
            }
          } else if (part.type === 'data') {
            if (stream) feed(part.data);
            else body += part.data;
          } else {
            conn.exchange = undefined;
            const headers = head?.headers ?? {};
            this.release(conn, headers);
            if (stream) endStream();
            else resolve({ status: head?.status ?? 0, headers, body });
          }
        },
        broke: (why) => {
          conn.exchange = undefined;
          if (stream) endStream();
          else if (reused && !received) reject(RETRY);
          else reject(new UrlError(op, url, head && why === 'EOF' ? 'unexpected EOF' : why));
        },
      };
      try {
        conn.socket.write(wire);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        conn.exchange = undefined;
        conn.close();
        if (reused) reject(RETRY);
        else reject(new UrlError(op, url, `write tcp ${conn.endpoints}: write: broken pipe`));
      }
    });
  }
}

/** The path and the query as client-go sends them: Go's url.Values.Encode, keys sorted. */
function requestTarget(request: ApiRequest): string {
  const pairs = [...request.query.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = pairs.map(([k, v]) => `${queryEscape(k)}=${queryEscape(v)}`).join('&');
  return query ? `${request.path}?${query}` : request.path;
}

/** Go's url.QueryEscape: everything but letters, digits and `-_.~` percent-encoded, a space as `+`. */
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** A failed dial as Go's net.OpError words what follows `dial tcp <addr>: `. */
function dialError(error: unknown): string {
  if (!(error instanceof KernelError)) return error instanceof Error ? error.message : String(error);
  // A connect that runs out of time is the dialer's deadline (os.ErrDeadlineExceeded), not an errno.
  if (error.code === 'ETIMEDOUT') return 'i/o timeout';
  // Go's syscall.Errno strings are strerror's, lower-cased.
  return `connect: ${error.describe.charAt(0).toLowerCase()}${error.describe.slice(1)}`;
}

/** The transport a program on `host` reaches the apiserver with: its process dials from its network namespace. */
export function apiTransport(host: Host): ApiTransportFactory {
  return (process, server, options) =>
    new SocketTransport({
      dial: () => {
        const netns = process.nsproxy?.net;
        if (!netns) return Promise.reject(new KernelError('EBADF'));
        return host.tcp.connect(netns, server, { owner: process, timeoutMs: DIAL_TIMEOUT_MS });
      },
      server,
      token: options.token,
      userAgent: options.userAgent,
    });
}
