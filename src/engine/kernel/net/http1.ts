/**
 * HTTP/1.1 on a TCP socket (RFC 9112's message syntax), the little both ends of the lab's connections
 * speak: a request line or status line, header fields, then a body framed by Content-Length, by chunked
 * transfer coding (Transfer-Encoding: chunked — each chunk's size in hex, its bytes, and a zero-size
 * last-chunk), or, for a response with neither, by the connection closing. A request with neither has
 * no body, nor does a 1xx, 204 or 304 response. Lengths count UTF-8 bytes, as on the wire.
 *
 * `MessageReader` assembles messages from the stream: whole (`push`), or part by part as they arrive
 * (`read`: the head, each piece of body, the end) for a body that streams, such as a watch. `serveHttp`
 * runs a server's request/response loop on an accepted socket, one request at a time (requests that
 * arrive during a streamed response wait for it to end), closing after a response when the request
 * asked for `Connection: close` or came as HTTP/1.0. A response with a `stream` goes out chunked: its
 * head at once, then a chunk per piece the stream produces, then the last-chunk; the client closing
 * the connection stops the stream.
 *
 * It lives beside the sockets because both the programs (nginx, the http apps), the kubelet's HTTP
 * probes and the apiserver's serving use it; it is userspace, not kernel: the sockets know nothing of it.
 *
 * Left out: pipelining beyond one request at a time, trailers (read and dropped, never written),
 * chunk extensions (ignored), 100-continue, obsolete line folding, transfer codings but chunked.
 */
import { KernelError } from '../errno.ts';
import type { StreamEndpoint } from './socket.ts';

export type Headers = Array<[name: string, value: string]>;

export interface HttpRequest {
  method: string;
  target: string;
  version: string;
  headers: Headers;
  body: string;
}

export interface HttpResponse {
  version?: string;
  status: number;
  /** The status line's reason phrase (default: STATUS_TEXT's for the status). */
  reason?: string;
  headers: Headers;
  body: string;
  /** A body produced over time: `serveHttp` sends it chunked after the head (`body`, if any, as the first chunk). */
  stream?: ResponseStream;
}

/** Where a streamed response's pieces go. */
export interface ChunkSink {
  /** One piece of the body (one chunk on the wire). */
  write(data: string): void;
  /** The body is complete (the last-chunk). */
  end(): void;
}

/** A response body produced over time. */
export interface ResponseStream {
  /** Start producing into `sink`: `write` each piece as it comes, then `end` once. */
  pipe(sink: ChunkSink): void;
  /** The client went away (closed the connection, or it broke): stop producing. */
  stop(): void;
}

/** The ends of a connection HTTP needs: a TcpSocket, or the laptop loopback's endpoint. */
export type HttpConnection = Pick<StreamEndpoint, 'write' | 'receive' | 'close'>;

/** Reason phrases (Go's net/http StatusText, nginx's status lines). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  101: 'Switching Protocols',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Go's net/http StatusText where it words a status differently from STATUS_TEXT (nginx's "Not Allowed"). */
export const GO_STATUS_TEXT: Readonly<Record<number, string>> = { ...STATUS_TEXT, 405: 'Method Not Allowed' };

/** A header's value (names compare case-insensitively), or undefined. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

/** Go's textproto.CanonicalMIMEHeaderKey, the form Go writes header names in: `audit-id` → `Audit-Id`. */
export function canonicalHeaderKey(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, letter: string) => dash + letter.toUpperCase());
}

export function formatRequest(r: HttpRequest): string {
  return `${r.method} ${r.target} ${r.version}\r\n${r.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${r.body}`;
}

/** The status line, the headers (Content-Length added when missing), the body. */
export function formatResponse(r: HttpResponse): string {
  const headers = headerValue(r.headers, 'Content-Length') === undefined ? [...r.headers, ['Content-Length', String(utf8Length(r.body))] as [string, string]] : r.headers;
  return `${statusLine(r)}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${r.body}`;
}

/** The head of a response whose body follows chunked: status line, headers, Transfer-Encoding: chunked. */
export function formatChunkedHead(r: Pick<HttpResponse, 'version' | 'status' | 'reason' | 'headers'>): string {
  const headers = r.headers.filter(([n]) => !/^(content-length|transfer-encoding)$/i.test(n));
  return `${statusLine(r)}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}Transfer-Encoding: chunked\r\n\r\n`;
}

/** One chunk: its size in bytes (lower-case hex, as Go and nginx write it), CRLF, the data, CRLF. Empty data is no chunk. */
export function formatChunk(data: string): string {
  return data === '' ? '' : `${utf8Length(data).toString(16)}\r\n${data}\r\n`;
}

/** The last-chunk and the empty trailer section that end a chunked body. */
export const LAST_CHUNK = '0\r\n\r\n';

function statusLine(r: Pick<HttpResponse, 'version' | 'status' | 'reason'>): string {
  return `${r.version ?? 'HTTP/1.1'} ${r.status} ${r.reason ?? STATUS_TEXT[r.status] ?? ''}`;
}

/** The body's length in bytes, as Content-Length counts it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) n += utf8Size(ch.codePointAt(0)!);
  return n;
}

function utf8Size(c: number): number {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/**
 * How many UTF-16 units of `text` from `start` hold at most `bytes` UTF-8 bytes, and how many bytes
 * those are (a code point is never split).
 */
function prefixOfBytes(text: string, start: number, bytes: number): { units: number; bytes: number } {
  let i = start;
  let n = 0;
  while (i < text.length) {
    const c = text.codePointAt(i)!;
    const size = utf8Size(c);
    if (n + size > bytes) break;
    n += size;
    i += c > 0xffff ? 2 : 1;
  }
  return { units: i - start, bytes: n };
}

/** A message as `push` returns it: the start line split in three, the headers, the whole body. */
export interface Message {
  start: string[];
  headers: Headers;
  body: string;
}

/** A piece of an incoming message, in order: its head, its body as it arrives, its end. */
export type MessagePart = { type: 'head'; start: string[]; headers: Headers } | { type: 'data'; data: string } | { type: 'end' };

/** How the current message's body is framed, and how far the reader is in it. */
type Framing =
  | { kind: 'length'; remaining: number }
  | { kind: 'close' }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; remaining: number }
  | { kind: 'chunk-crlf' }
  | { kind: 'trailers' };

/** A message the peer framed wrongly (a bad chunk size, a missing CRLF): the connection cannot go on. */
export class HttpParseError extends Error {
  override name = 'HttpParseError';
}

/**
 * Assembles HTTP messages from a byte stream. A request without Content-Length or chunked coding has
 * no body; a response without either runs until the connection closes (`end`).
 */
export class MessageReader {
  private buffer = '';
  private framing: Framing | undefined;
  /** What `push` has gathered of the message in progress. */
  private gathered: Message | undefined;

  constructor(private readonly kind: 'request' | 'response') {}

  /** Add bytes; returns the messages now complete. Throws HttpParseError on a malformed message. */
  push(chunk: string): Message[] {
    const out: Message[] = [];
    for (const part of this.read(chunk)) {
      if (part.type === 'head') this.gathered = { start: part.start, headers: part.headers, body: '' };
      else if (part.type === 'data') this.gathered!.body += part.data;
      else {
        out.push(this.gathered!);
        this.gathered = undefined;
      }
    }
    return out;
  }

  /** Add bytes; returns the parts now read. Throws HttpParseError on a malformed message. */
  read(chunk: string): MessagePart[] {
    this.buffer += chunk;
    const out: MessagePart[] = [];
    for (;;) {
      const f = this.framing;
      if (!f) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return out;
        const head = this.parseHead(this.buffer.slice(0, end));
        this.buffer = this.buffer.slice(end + 4);
        out.push({ type: 'head', ...head });
        this.framing = this.framingOf(head.start, head.headers);
        if (this.framing.kind === 'length' && this.framing.remaining === 0) this.finish(out);
        continue;
      }
      switch (f.kind) {
        case 'close':
          if (this.buffer) out.push({ type: 'data', data: this.buffer });
          this.buffer = '';
          return out;
        case 'length':
        case 'chunk-data': {
          if (!this.buffer) return out;
          const taken = prefixOfBytes(this.buffer, 0, f.remaining);
          if (taken.units > 0) out.push({ type: 'data', data: this.buffer.slice(0, taken.units) });
          this.buffer = this.buffer.slice(taken.units);
          f.remaining -= taken.bytes;
          if (f.remaining > 0) return out;
          if (f.kind === 'length') this.finish(out);
          else this.framing = { kind: 'chunk-crlf' };
          continue;
        }
        case 'chunk-crlf':
          if (!'\r\n'.startsWith(this.buffer.slice(0, 2))) throw new HttpParseError('malformed chunked encoding');
          if (this.buffer.length < 2) return out;
          this.buffer = this.buffer.slice(2);
          this.framing = { kind: 'chunk-size' };
          continue;
        case 'chunk-size': {
          const eol = this.buffer.indexOf('\r\n');
          if (eol < 0) return out;
          // A chunk extension (";name=value") may follow the size; it means nothing here.
          const hex = this.buffer.slice(0, eol).split(';')[0]!.trim();
          this.buffer = this.buffer.slice(eol + 2);
          if (!/^[0-9a-fA-F]{1,15}$/.test(hex)) throw new HttpParseError('invalid byte in chunk length');
          const size = parseInt(hex, 16);
          this.framing = size === 0 ? { kind: 'trailers' } : { kind: 'chunk-data', remaining: size };
          continue;
        }
        case 'trailers': {
          const eol = this.buffer.indexOf('\r\n');
          if (eol < 0) return out;
          const line = this.buffer.slice(0, eol);
          this.buffer = this.buffer.slice(eol + 2);
          if (line === '') this.finish(out);
          continue;
        }
      }
    }
  }

  /** Whether the message being read runs until the connection closes (a response with no length nor chunks). */
  get awaitingClose(): boolean {
    return this.framing?.kind === 'close';
  }

  /** The end of the stream: a message framed by the close (a response without Content-Length), if any. */
  end(): Message | undefined {
    const closing = this.framing?.kind === 'close';
    const rest = this.buffer;
    this.buffer = '';
    this.framing = undefined;
    if (!closing || !this.gathered) return undefined;
    const message = { ...this.gathered, body: this.gathered.body + rest };
    this.gathered = undefined;
    return message;
  }

  private finish(out: MessagePart[]): void {
    out.push({ type: 'end' });
    this.framing = undefined;
  }

  private parseHead(text: string): { start: string[]; headers: Headers } {
    const lines = text.split('\r\n');
    const first = lines[0] ?? '';
    const sp1 = first.indexOf(' ');
    const sp2 = first.indexOf(' ', sp1 + 1);
    const start = sp1 < 0 ? [first, '', ''] : sp2 < 0 ? [first.slice(0, sp1), first.slice(sp1 + 1), ''] : [first.slice(0, sp1), first.slice(sp1 + 1, sp2), first.slice(sp2 + 1)];
    const headers: Headers = lines.slice(1).map((l) => {
      const colon = l.indexOf(':');
      return colon < 0 ? [l, ''] : [l.slice(0, colon), l.slice(colon + 1).trim()];
    });
    return { start, headers };
  }

  /** RFC 9112 §6.3: chunked wins over Content-Length; then Content-Length; then none (request) or the close (response). */
  private framingOf(start: string[], headers: Headers): Framing {
    if (this.kind === 'response') {
      const status = Number(start[1]);
      if ((status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'length', remaining: 0 };
    }
    const codings = headerValue(headers, 'Transfer-Encoding');
    if (codings !== undefined && codings.split(',').pop()!.trim().toLowerCase() === 'chunked') return { kind: 'chunk-size' };
    const length = headerValue(headers, 'Content-Length');
    if (length !== undefined) {
      if (!/^\d+$/.test(length.trim())) throw new HttpParseError(`bad Content-Length "${length}"`);
      return { kind: 'length', remaining: Number(length) };
    }
    return this.kind === 'request' ? { kind: 'length', remaining: 0 } : { kind: 'close' };
  }
}

/**
 * Serve HTTP on an accepted connection: each request goes to `handler`, whose response is written back
 * (undefined: no answer, the client waits; a promise: the answer once it settles, later requests waiting
 * for it, as a proxy's do for the upstream). The connection closes after a response when the client
 * asked for it (Connection: close, HTTP/1.0) or when the handler's response says so, and at once on a
 * request it cannot parse. A streamed response (`stream`) goes out chunked; the client closing the
 * connection, or the connection breaking, stops it.
 */
export function serveHttp(socket: HttpConnection, handler: (request: HttpRequest) => HttpResponse | Promise<HttpResponse | undefined> | undefined): void {
  const reader = new MessageReader('request');
  const queue: HttpRequest[] = [];
  /** The streamed response being sent: later requests wait for its end. */
  let streaming: ResponseStream | undefined;
  /** A response still being worked out (a promise from the handler): later requests wait for it. */
  let pending = false;
  let closed = false;

  const close = () => {
    if (closed) return;
    closed = true;
    const stream = streaming;
    streaming = undefined;
    stream?.stop();
    socket.close();
  };
  const send = (text: string): boolean => {
    if (closed) return false;
    try {
      socket.write(text);
      return true;
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      close();
      return false;
    }
  };
  const wantsClose = (h: Headers) => headerValue(h, 'Connection')?.toLowerCase() === 'close';

  const next = () => {
    while (!closed && !streaming && !pending && queue.length > 0) {
      const request = queue.shift()!;
      const result = handler(request);
      if (result instanceof Promise) {
        pending = true;
        void result.then(
          (response) => {
            pending = false;
            if (response) respond(request, response);
            next();
          },
          (error: unknown) => {
            pending = false;
            close();
            throw error;
          },
        );
        return;
      }
      if (result) respond(request, result);
    }
  };

  /** Write `response` to `request` (a streamed one holds later requests back until it ends). */
  const respond = (request: HttpRequest, response: HttpResponse) => {
    const closeAfter = request.version === 'HTTP/1.0' || wantsClose(request.headers) || wantsClose(response.headers);
    const stream = response.stream;
    if (!stream) {
      if (send(formatResponse(response)) && closeAfter) close();
      return;
    }
    streaming = stream;
    if (!send(formatChunkedHead(response)) || (response.body !== '' && !send(formatChunk(response.body)))) return;
    let ended = false;
    stream.pipe({
      write: (data) => {
        if (!ended && streaming === stream && data !== '') send(formatChunk(data));
      },
      end: () => {
        if (ended) return;
        ended = true;
        if (streaming !== stream || !send(LAST_CHUNK)) return;
        streaming = undefined;
        if (closeAfter) close();
        else next();
      },
    });
  };

  socket.receive({
    data: (chunk) => {
      if (closed) return;
      let messages: Message[];
      try {
        messages = reader.push(chunk);
      } catch (error) {
        if (!(error instanceof HttpParseError)) throw error;
        close();
        return;
      }
      for (const m of messages) {
        const [method = '', target = '', version = ''] = m.start;
        queue.push({ method, target, version, headers: m.headers, body: m.body });
      }
      next();
    },
    end: () => close(),
  });
}
