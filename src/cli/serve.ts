/**
 * kubelab serve — the lab's API over plain HTTP on 127.0.0.1, for a real kubectl. The cluster runs on the
 * real-time clock; every request goes to the same in-process apiserver the browser uses. Watches stream
 * as chunked JSON lines, as the apiserver's do, and a followed log (`kubectl logs -f`) as chunks of its
 * text, until the container stops or the client hangs up. Ctrl-C stops it cleanly.
 *
 * Exec and attach are WebSocket upgrades (`Upgrade: websocket`, the `v5.channel.k8s.io` or
 * `v4.channel.k8s.io` subprotocol, src/cli/wsstream.ts), or SPDY/3.1 ones (`v4.channel.k8s.io`,
 * src/cli/remotecommand.ts) for a kubectl that falls back or is told to. The apiserver's refusal (a
 * Status: the pod or container does not exist, bad options) is the handshake's answer, as
 * kube-apiserver's is. A request the apiserver accepts is opened at once; the kubelet may still refuse it
 * (the container is not running), and the handshake waits one turn of the event loop for that answer,
 * which then goes back as the kubelet's `500` text in place of the `101`.
 *
 * Port-forward is SPDY/3.1 (src/cli/spdy.ts, portforward.ts), on the socket itself or tunneled in a
 * WebSocket's binary messages (`SPDY/3.1+portforward.k8s.io`, which kubectl 1.32 tries first).
 *
 * Left out: resizing a tty after it started (the engine's StreamIO has no resize), SPDY flow control.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { UpgradeFailure, type ApiRequest, type ApiResponse, type PortForwardConnection, type PortForwardSession, type StreamConnection, type StreamStatus } from '../engine/apiserver/http.ts';
import { PORT_FORWARD_PROTOCOL, servePortForward, TUNNELED_PORT_FORWARD_PROTOCOL } from './portforward.ts';
import { negotiateSpdy, SPDY_STREAM_PROTOCOLS, SpdyChannels } from './remotecommand.ts';
import { SpdySession } from './spdy.ts';
import { acceptKey, isValidKey, offeredProtocols, WebSocket } from './websocket.ts';
import { ChannelSession, CHANNEL_PROTOCOLS, negotiate, streamOptions } from './wsstream.ts';

export interface ServeTarget {
  handle(request: ApiRequest): ApiResponse;
}

export const DEFAULT_PORT = 6443;
export const ADMIN_TOKEN = 'kubelab-admin-token';

/** A kubeconfig for the served cluster, as kubeadm names things (cluster "kubernetes", user "kubernetes-admin"). */
export function kubeconfig(port: number): string {
  return `apiVersion: v1
kind: Config
clusters:
- cluster:
    server: http://127.0.0.1:${port}
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
preferences: {}
users:
- name: kubernetes-admin
  user: {}
`;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // The apiserver refuses anything over 3 MiB; what is kept of a runaway body is enough for that.
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function toApiRequest(req: IncomingMessage, body: Buffer): ApiRequest {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name.toLowerCase()] = value;
  // Protobuf bodies are bytes; everything else the apiserver reads is UTF-8 text.
  const binary = (headers['content-type'] ?? '').startsWith('application/vnd.kubernetes.protobuf');
  return { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, ...(binary ? { rawBody: new Uint8Array(body) } : { body: body.toString('utf8') }) };
}

/** A request with no credentials acts as the cluster admin (see above). */
function withAdmin(request: ApiRequest): ApiRequest {
  return request.headers.authorization ? request : { ...request, headers: { ...request.headers, authorization: `Bearer ${ADMIN_TOKEN}` } };
}

export function startServer(target: ServeTarget, port: number, onError: (e: unknown) => void): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then((body) => {
        const response = target.handle(withAdmin(toApiRequest(req, body)));
        res.writeHead(response.status, response.headers);
        const { watch, stream } = response;
        if (watch) {
          res.flushHeaders();
          watch.onEvent((line) => res.write(line + '\n'));
          watch.onEnd(() => res.end());
          // The client went away (kubectl get -w interrupted): stop the server-side watch.
          res.on('close', () => watch.stop());
        } else if (stream) {
          res.flushHeaders();
          stream.onData((chunk) => res.write(chunk));
          stream.onEnd(() => res.end());
          // kubectl logs -f interrupted: stop following.
          res.on('close', () => stream.stop());
        } else {
          res.end(response.body);
        }
      })
      .catch((e: unknown) => {
        onError(e);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(internalError(e)));
      });
  });
  // Upgraded connections (exec, attach, port-forward) are the server's no longer, so closeAllConnections
  // would leave them open and close() waiting on them: they are ended with the others.
  const upgraded = new Set<Duplex>();
  const closeHttpConnections = server.closeAllConnections.bind(server);
  server.closeAllConnections = () => {
    closeHttpConnections();
    for (const socket of upgraded) socket.destroy();
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.on('close', () => upgraded.delete(socket));
    // A reset client: the session sees the socket close.
    socket.on('error', () => undefined);
    upgrade(target, req, socket, head, onError).catch((e: unknown) => {
      onError(e);
      writeResponse(socket, 500, { 'content-type': 'application/json' }, JSON.stringify(internalError(e)));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function internalError(e: unknown): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${String(e)}`, reason: 'InternalError', code: 500 };
}

/** An HTTP response written on a socket taken over by an upgrade; the connection then closes. */
function writeResponse(socket: Duplex, status: number, headers: OutgoingHttpHeaders, body: string): void {
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`];
  for (const [name, value] of Object.entries({ ...headers, 'content-length': Buffer.byteLength(body), connection: 'close' })) {
    if (value !== undefined && name !== 'transfer-encoding') lines.push(`${name}: ${String(value)}`);
  }
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}


async function upgrade(target: ServeTarget, req: IncomingMessage, socket: Duplex, head: Buffer, onError: (e: unknown) => void): Promise<void> {
  const request = withAdmin(toApiRequest(req, Buffer.alloc(0)));
  const websocket = (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
  if (websocket) {
    if (req.headers['sec-websocket-version'] !== '13') return writeResponse(socket, 426, { 'sec-websocket-version': '13', 'content-type': 'text/plain; charset=utf-8' }, 'websocket: unsupported version: 13 not found in \'Sec-Websocket-Version\' header\n');
    if (req.method !== 'GET' || !isValidKey(req.headers['sec-websocket-key'])) return writeResponse(socket, 400, { 'content-type': 'text/plain; charset=utf-8' }, 'websocket: bad handshake\n');
  }
  const response = target.handle(request);
  if (response.status !== 101) return writeResponse(socket, response.status, response.headers, response.body);
  if (response.portForward) {
    const tunneled = websocket && offeredProtocols(req.headers['sec-websocket-protocol']).includes(TUNNELED_PORT_FORWARD_PROTOCOL);
    if (websocket ? !tunneled : (req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1') {
      return writeResponse(socket, 400, { 'content-type': 'application/json' }, badRequest(`unable to upgrade: port-forward speaks SPDY/3.1, or SPDY/3.1 tunneled in a WebSocket (${TUNNELED_PORT_FORWARD_PROTOCOL})`));
    }
    return upgradePortForward(response.portForward, socket, head, websocket ? req.headers['sec-websocket-key']! : undefined, onError);
  }
  if (!response.connection) return writeResponse(socket, 500, { 'content-type': 'application/json' }, JSON.stringify(internalError('an upgrade with nothing to carry')));
  if (!websocket) {
    const protocol = negotiateSpdy(req.headers['x-stream-protocol-version']);
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'spdy/3.1' || protocol === undefined) {
      const offered = String(req.headers['x-stream-protocol-version'] ?? '');
      return writeResponse(socket, 403, { 'content-type': 'text/plain; charset=utf-8' }, `unable to upgrade: unable to negotiate protocol: client supports [${offered.split(',').map((p) => p.trim()).join(' ')}], server supports [${SPDY_STREAM_PROTOCOLS.join(' ')}]`);
    }
    return serveSession(response.connection, request, socket, head, { spdy: protocol }, onError);
  }
  const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
  const protocol = negotiate(offered);
  if (protocol === undefined) {
    return writeResponse(socket, 400, { 'content-type': 'application/json' }, badRequest(`unable to upgrade: none of the subprotocols [${offered.join(' ')}] is one of [${CHANNEL_PROTOCOLS.join(' ')}]`));
  }
  await serveSession(response.connection, request, socket, head, { websocketKey: req.headers['sec-websocket-key']!, protocol }, onError);
}

function badRequest(message: string): string {
  return JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
}

/**
 * A port-forward upgrade: once the kubelet has opened the session (or refused it, which is then the
 * answer), a SPDY session on the socket itself or tunneled in a WebSocket's binary messages.
 */
async function upgradePortForward(connection: PortForwardConnection, socket: Duplex, head: Buffer, websocketKey: string | undefined, onError: (e: unknown) => void): Promise<void> {
  let session: PortForwardSession;
  try {
    session = await connection.open();
  } catch (e) {
    if (!(e instanceof UpgradeFailure)) {
      onError(e);
      return writeResponse(socket, 500, { 'content-type': 'application/json' }, JSON.stringify(internalError(e)));
    }
    return writeResponse(socket, e.status, { 'content-type': 'text/plain; charset=utf-8' }, e.body);
  }
  if (socket.destroyed) return session.close();
  let spdy: SpdySession;
  if (websocketKey !== undefined) {
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(websocketKey)}`, `Sec-WebSocket-Protocol: ${TUNNELED_PORT_FORWARD_PROTOCOL}`, '', ''].join('\r\n'));
    const ws = new WebSocket(socket, 'server', TUNNELED_PORT_FORWARD_PROTOCOL, head);
    spdy = new SpdySession((bytes) => ws.send(bytes));
    ws.onMessage(({ data }) => spdy.receive(data));
    ws.onClose(() => spdy.close());
    spdy.onEnd(() => ws.close());
  } else {
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}`, '', ''].join('\r\n'));
    spdy = spdyOn(socket, head);
  }
  servePortForward(spdy, session);
}

/** A SPDY session on an upgraded socket; it ends the socket when it ends. */
function spdyOn(socket: Duplex, head: Buffer): SpdySession {
  const spdy = new SpdySession((bytes) => socket.write(bytes));
  socket.on('data', (chunk: Buffer) => spdy.receive(chunk));
  socket.on('close', () => spdy.close());
  // The client is gone (an upgraded socket may be half-open): the session ends, and with it the socket.
  socket.on('end', () => spdy.close());
  spdy.onEnd(() => socket.end());
  if (head.length > 0) queueMicrotask(() => spdy.receive(head));
  return spdy;
}

type Outcome = { status: StreamStatus } | { error: unknown };

/**
 * Open an exec or attach connection and carry it over the client's WebSocket, or its SPDY session, once
 * the kubelet has taken it.
 */
async function serveSession(connection: StreamConnection, request: ApiRequest, socket: Duplex, head: Buffer, handshake: { websocketKey: string; protocol: string } | { spdy: string }, onError: (e: unknown) => void): Promise<void> {
  const options = streamOptions(request.query);
  const session = new ChannelSession(options);
  // new Promise: an open that throws at once is a rejection like any other.
  const settled: Promise<Outcome> = new Promise<StreamStatus>((resolve) => resolve(connection.open(session.io))).then(
    (status) => ({ status }),
    (error: unknown) => ({ error }),
  );
  // The kubelet's refusal comes before any wait of the engine's: one turn of the event loop shows it.
  const early = await Promise.race([settled, new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
  if (early && 'error' in early && early.error instanceof UpgradeFailure) {
    session.abandon();
    return writeResponse(socket, early.error.status, { 'content-type': 'text/plain; charset=utf-8' }, early.error.body);
  }
  if (socket.destroyed) {
    session.abandon();
    return;
  }
  if ('websocketKey' in handshake) {
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${acceptKey(handshake.websocketKey)}`, `Sec-WebSocket-Protocol: ${handshake.protocol}`, '', ''].join('\r\n'));
    session.attach(new WebSocket(socket, 'server', handshake.protocol, head));
  } else {
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${handshake.spdy}`, '', ''].join('\r\n'));
    session.attach(new SpdyChannels(spdyOn(socket, head), options));
  }
  const outcome = early ?? (await settled);
  if ('status' in outcome) return session.finish(outcome.status);
  if (outcome.error instanceof UpgradeFailure) return session.finish({ status: 'Failure', message: `unable to upgrade connection: ${outcome.error.body}` });
  onError(outcome.error);
  const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  session.finish({ status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', code: 500 });
}

export function writeKubeconfig(path: string, port: number): void {
  writeFileSync(path, kubeconfig(port), { mode: 0o600 });
}
