/**
 * HTTP/1.1 on a TCP socket (RFC 9112's message syntax), the little both ends of the lab's connections
 * speak: a request line or status line, header fields, a body framed by Content-Length (or, for a
 * response without one, by the connection closing). `MessageReader` assembles messages from the stream;
 * `serveHttp` runs a server's request/response loop on an accepted socket, closing after a response
 * when the request asked for `Connection: close` or came as HTTP/1.0.
 *
 * It lives beside the sockets because both the programs (nginx, the http apps) and the kubelet's
 * HTTP probes use it; it is userspace, not kernel: the sockets know nothing of it.
 *
 * Left out: chunked transfer coding, pipelining beyond one request at a time, trailers, 100-continue,
 * obsolete line folding.
 */
import { KernelError } from '../errno.ts';
import type { TcpSocket } from './socket.ts';

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
  headers: Headers;
  body: string;
}

/** Reason phrases (Go's net/http StatusText, nginx's status lines). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** A header's value (names compare case-insensitively), or undefined. */
export function headerValue(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function formatRequest(r: HttpRequest): string {
  return `${r.method} ${r.target} ${r.version}\r\n${r.headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${r.body}`;
}

/** The status line, the headers (Content-Length added when missing), the body. */
export function formatResponse(r: HttpResponse): string {
  const headers = headerValue(r.headers, 'Content-Length') === undefined ? [...r.headers, ['Content-Length', String(utf8Length(r.body))] as [string, string]] : r.headers;
  return `${r.version ?? 'HTTP/1.1'} ${r.status} ${STATUS_TEXT[r.status] ?? ''}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${r.body}`;
}

/** The body's length in bytes, as Content-Length counts it. */
export function utf8Length(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

interface Head {
  start: string[];
  headers: Headers;
  length: number | undefined;
}

/**
 * Assembles HTTP messages from a byte stream. A request without Content-Length has no body; a
 * response without one runs until the connection closes (`end`).
 */
export class MessageReader {
  private buffer = '';
  private head: Head | undefined;

  constructor(private readonly kind: 'request' | 'response') {}

  /** Add bytes; returns the messages now complete (start line split in three, headers, body). */
  push(chunk: string): Array<{ start: string[]; headers: Headers; body: string }> {
    this.buffer += chunk;
    const out: Array<{ start: string[]; headers: Headers; body: string }> = [];
    for (;;) {
      if (!this.head) {
        const end = this.buffer.indexOf('\r\n\r\n');
        if (end < 0) return out;
        const lines = this.buffer.slice(0, end).split('\r\n');
        this.buffer = this.buffer.slice(end + 4);
        const first = lines[0] ?? '';
        const sp1 = first.indexOf(' ');
        const sp2 = first.indexOf(' ', sp1 + 1);
        const start = sp1 < 0 ? [first, '', ''] : sp2 < 0 ? [first.slice(0, sp1), first.slice(sp1 + 1), ''] : [first.slice(0, sp1), first.slice(sp1 + 1, sp2), first.slice(sp2 + 1)];
        const headers: Headers = lines.slice(1).map((l) => {
          const colon = l.indexOf(':');
          return colon < 0 ? [l, ''] : [l.slice(0, colon), l.slice(colon + 1).trim()];
        });
        const length = headerValue(headers, 'Content-Length');
        this.head = { start, headers, length: length !== undefined ? Number(length) : this.kind === 'request' ? 0 : undefined };
      }
      const want = this.head.length;
      if (want === undefined) return out;
      if (this.buffer.length < want) return out;
      out.push({ start: this.head.start, headers: this.head.headers, body: this.buffer.slice(0, want) });
      this.buffer = this.buffer.slice(want);
      this.head = undefined;
    }
  }

  /** The end of the stream: a message framed by the close (a response without Content-Length), if any. */
  end(): { start: string[]; headers: Headers; body: string } | undefined {
    if (!this.head || this.head.length !== undefined) return undefined;
    const message = { start: this.head.start, headers: this.head.headers, body: this.buffer };
    this.head = undefined;
    this.buffer = '';
    return message;
  }
}

/**
 * Serve HTTP on an accepted socket: each request goes to `handler`, whose response is written back
 * (undefined: no answer, the client waits). The connection closes after a response when the client
 * asked for it (Connection: close, HTTP/1.0) or when the handler's response says so.
 */
export function serveHttp(socket: TcpSocket, handler: (request: HttpRequest) => HttpResponse | undefined): void {
  const reader = new MessageReader('request');
  socket.receive({
    data: (chunk) => {
      for (const message of reader.push(chunk)) {
        if (socket.closed) return;
        const [method = '', target = '', version = ''] = message.start;
        const request: HttpRequest = { method, target, version, headers: message.headers, body: message.body };
        const response = handler(request);
        if (!response) continue;
        try {
          socket.write(formatResponse(response));
        } catch (error) {
          if (!(error instanceof KernelError)) throw error;
          return;
        }
        const wantsClose = (h: Headers) => headerValue(h, 'Connection')?.toLowerCase() === 'close';
        if (version === 'HTTP/1.0' || wantsClose(request.headers) || wantsClose(response.headers)) {
          socket.close();
          return;
        }
      }
    },
    end: () => socket.close(),
  });
}
