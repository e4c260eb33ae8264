/**
 * Serving — kube-apiserver's HTTP/1.1 side (the secure serving of k8s.io/apiserver's server, minus the
 * TLS) on a connection accepted over the emulated kernel's TCP: what programs in containers (kube-proxy,
 * CoreDNS) reach at 10.96.0.1:443 or the control plane's :6443, as client-go does.
 *
 * Each request is parsed (method, target into path and query, header names lower-cased, the body its
 * Content-Length or chunked coding frames) and handed to the apiserver's handler; the answer goes back
 * with Go's reason phrase and headers as Go's net/http writes them: canonical names (`Audit-Id`), sorted,
 * then Content-Length. A watch answers `Transfer-Encoding: chunked`, one chunk per event line (as the
 * apiserver flushes after each event) until the watch ends, then the last-chunk; a streamed body
 * (`pods/log?follow=true`) likewise, one chunk per piece. Connections are kept alive: requests follow
 * one another on a connection. The client closing the connection stops its watch or stream.
 *
 * Upgrades cannot cross a socket here: a 101 answer (exec, attach, port-forward) becomes what the
 * apiserver's UpgradeAwareHandler answers a request that did not ask to upgrade — 400, a BadRequest
 * Status "Upgrade request required". A handler that throws gets WithPanicRecovery's 500.
 *
 * Left out: TLS, HTTP/2, SPDY/WebSocket upgrades, the Date header, protobuf bodies (the sockets carry
 * text), request bodies over 3 MiB beyond what the apiserver itself refuses.
 */
import { errors } from '../api/errors.ts';
import { canonicalHeaderKey, GO_STATUS_TEXT, serveHttp, type Headers, type HttpConnection, type HttpRequest, type HttpResponse, type ResponseStream } from '../kernel/net/http1.ts';
import type { ApiRequest, ApiResponse } from './http.ts';

/** What serving needs of the apiserver: its request handler. */
export interface ApiHandler {
  handle(request: ApiRequest): ApiResponse;
}

/** Serve the apiserver's API on an accepted connection until either side closes it. */
export function serveApiserver(socket: HttpConnection, handler: ApiHandler): void {
  serveHttp(socket, (request) => {
    let response: ApiResponse;
    try {
      response = handler.handle(toApiRequest(request));
    } catch {
      // k8s.io/apiserver's WithPanicRecovery: http.Error with its fixed text.
      return toHttpResponse({
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
        body: 'This request caused apiserver to panic. Look in the logs for details.\n',
      });
    }
    return toHttpResponse(response);
  });
}

/** An HTTP request as the apiserver's handler takes it: the target split into path and query, names lower-cased. */
export function toApiRequest(request: HttpRequest): ApiRequest {
  const q = request.target.indexOf('?');
  const path = q < 0 ? request.target : request.target.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : request.target.slice(q + 1));
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  const body = request.body === '' && !('content-length' in headers) && !('transfer-encoding' in headers) ? {} : { body: request.body };
  return { method: request.method, path, query, headers, ...body };
}

/** Headers the connection's framing owns: never copied from the handler's answer. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'upgrade', 'keep-alive']);

/** The handler's answer as it goes on the wire. */
export function toHttpResponse(response: ApiResponse): HttpResponse {
  if (response.status === 101 || response.connection || response.portForward) {
    const status = errors.badRequest('Upgrade request required').status;
    const headers = { ...response.headers, 'content-type': 'application/json' };
    return { status: 400, reason: GO_STATUS_TEXT[400], headers: wireHeaders(headers), body: JSON.stringify(status) };
  }
  const base = { status: response.status, reason: GO_STATUS_TEXT[response.status] ?? '', headers: wireHeaders(response.headers) };
  const watch = response.watch;
  if (watch) {
    const stream: ResponseStream = {
      pipe: (sink) => {
        watch.onEvent((line) => sink.write(`${line}\n`));
        watch.onEnd(() => sink.end());
      },
      stop: () => watch.stop(),
    };
    return { ...base, body: response.body, stream };
  }
  const body = response.stream;
  if (body) {
    const stream: ResponseStream = {
      pipe: (sink) => {
        body.onData((chunk) => sink.write(chunk));
        body.onEnd(() => sink.end());
      },
      stop: () => body.stop(),
    };
    return { ...base, body: response.body, stream };
  }
  return { ...base, body: response.body };
}

/** Go's Header.Write: canonical names, sorted; the framing headers are the connection's own. */
function wireHeaders(headers: Readonly<Record<string, string>>): Headers {
  return Object.entries(headers)
    .filter(([name]) => !FRAMING_HEADERS.has(name.toLowerCase()))
    .map(([name, value]): [string, string] => [canonicalHeaderKey(name), value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
