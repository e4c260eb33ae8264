/**
 * kubelab serve's streams against a stand-in apiserver: followed bodies, and exec/attach over WebSocket
 * (both ends: the server here and HttpTransport's client in wsStreamExecutor.ts). The real kubectl and
 * a real cluster are in kubectl.test.ts.
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyStream, UpgradeFailure, jsonResponse, type ApiRequest, type ApiResponse, type StreamConnection, type StreamIO, type StreamStatus } from '../engine/apiserver/http.ts';
import { HttpTransport } from './httpTransport.ts';
import { startServer, type ServeTarget } from './serve.ts';
import { dial } from './wsStreamExecutor.ts';

/** An apiserver that answers every request with `answer(request)`. */
function target(answer: (request: ApiRequest) => ApiResponse): ServeTarget & { requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  return {
    requests,
    handle(request) {
      requests.push(request);
      return answer(request);
    },
  };
}

/** A connection whose remote side is `run`: it gets the client's io and resolves with the session's Status. */
function connection(run: (io: StreamIO) => Promise<StreamStatus>): ApiResponse {
  const conn: StreamConnection = { open: run };
  return { status: 101, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' }, body: '', connection: conn };
}

/** Read stdin to its end. */
async function readAll(io: StreamIO): Promise<string> {
  let text = '';
  for (let chunk = await io.stdin!.read(); chunk !== undefined; chunk = await io.stdin!.read()) text += chunk;
  return text;
}

/** A SPDY upgrade request offering `protocols`, as kubectl's fallback sends it: the answer's status and body. */
function spdy(base: string, path: string, protocols: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(path, base), { method: 'POST', headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': protocols } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}

describe('kubelab serve: streams', () => {
  let server: Server | undefined;
  const errors: unknown[] = [];

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect(errors.splice(0)).toEqual([]);
  });

  async function serve(t: ServeTarget): Promise<string> {
    server = await startServer(t, 0, (e) => errors.push(e));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const execPath = '/api/v1/namespaces/default/pods/p/exec';

  it('writes a streamed body as it comes and stops it when the client goes', async () => {
    const streams: BodyStream[] = [];
    const base = await serve(
      target(() => {
        const stream = new BodyStream();
        stream.write('one\n');
        streams.push(stream);
        return { status: 200, headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, body: '', stream };
      }),
    );
    const transport = new HttpTransport(base);
    const response = await transport.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/p/log', query: new URLSearchParams({ follow: 'true' }), headers: {} });
    const chunks: string[] = [];
    let ended = false;
    const more = new Promise<void>((resolve) => response.stream!.onData((chunk) => (chunks.push(chunk), chunk.includes('two') && resolve())));
    response.stream!.onEnd(() => (ended = true));
    streams[0]!.write('two\n');
    await more;
    expect(chunks.join('')).toBe('one\ntwo\n');
    const stopped = new Promise<void>((resolve) => streams[0]!.onEnd(resolve));
    response.stream!.stop();
    await stopped;
    expect(ended).toBe(true);
    // A body that ends is read to its end.
    const second = await transport.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/p/log', query: new URLSearchParams({ follow: 'true' }), headers: {} });
    const done = new Promise<void>((resolve) => second.stream!.onEnd(resolve));
    let text = '';
    second.stream!.onData((chunk) => (text += chunk));
    streams[1]!.write('héllo\n');
    streams[1]!.end();
    await done;
    expect(text).toBe('one\nhéllo\n');
  });

  it('carries exec over a v5 WebSocket: stdin to its end, stdout, stderr and the Status', async () => {
    const t = target(() =>
      connection(async (io) => {
        const input = await readAll(io);
        io.stdout!.write(input.toUpperCase());
        io.stderr!.write('wärning\n');
        return { status: 'Failure', message: 'command terminated with non-zero exit code: error executing command [cat], exit code 3', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } };
      }),
    );
    const base = await serve(t);
    const result = await dial(new URL(`${execPath}?command=cat&stdin=true&stdout=true&stderr=true`, base), {});
    if (!('connection' in result)) throw new Error(`not upgraded: ${result.status} ${result.body}`);
    expect(result.protocol).toBe('v5.channel.k8s.io');
    const conn = result.connection;
    let stdout = '';
    let stderr = '';
    const pieces = ['hé', 'llo\n'];
    const status = await conn.open({
      stdin: { read: () => Promise.resolve(pieces.shift()) },
      stdout: { write: (text) => (stdout += text) },
      stderr: { write: (text) => (stderr += text) },
    });
    expect([stdout, stderr]).toEqual(['HÉLLO\n', 'wärning\n']);
    expect(status).toEqual({ metadata: {}, status: 'Failure', message: 'command terminated with non-zero exit code: error executing command [cat], exit code 3', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect(t.requests[0]!.method).toBe('GET');
    // The query goes to the apiserver as the client sent it (a stream flag left out is off there).
    expect(t.requests[0]!.query.toString()).toBe('command=cat&stdin=true&stdout=true&stderr=true');
    expect(t.requests[0]!.headers.authorization).toBe('Bearer kubelab-admin-token');
  });

  it('keeps what a quick command sent with the handshake itself until the client opens', async () => {
    const base = await serve(
      target(() =>
        connection((io) => {
          io.stdout!.write('p\n');
          return Promise.resolve({ status: 'Success' });
        }),
      ),
    );
    const result = await dial(new URL(`${execPath}?command=hostname&stdout=true`, base), {});
    if (!('connection' in result)) throw new Error(`not upgraded: ${result.status} ${result.body}`);
    // The server wrote its whole answer (101, ready, stdout, Status, close) at once: it came with the handshake.
    let stdout = '';
    expect(await result.connection.open({ stdout: { write: (text) => (stdout += text) } })).toEqual({ metadata: {}, status: 'Success' });
    expect(stdout).toBe('p\n');
  });

  it('answers the apiserver refusal as the handshake response', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'container nope is not valid for pod p', reason: 'BadRequest', code: 400 };
    const base = await serve(target(() => jsonResponse(400, JSON.stringify(status))));
    const result = await dial(new URL(`${execPath}?command=ls&container=nope`, base), {});
    expect(result).toMatchObject({ status: 400, body: JSON.stringify(status) });
  });

  it("answers the kubelet's refusal in place of the upgrade, over WebSocket and over SPDY", async () => {
    const t = target(() =>
      connection(() => {
        throw new UpgradeFailure(500, 'container not found ("c")');
      }),
    );
    const base = await serve(t);
    const path = `${execPath}?command=ls&stdout=true`;
    expect(await dial(new URL(path, base), {})).toMatchObject({ status: 500, body: 'container not found ("c")' });
    expect(await spdy(base, path, ['v4.channel.k8s.io', 'v3.channel.k8s.io'])).toEqual({ status: 500, body: 'container not found ("c")' });
    // A SPDY client that speaks no protocol this server does is refused before anything opens.
    expect(await spdy(base, path, ['v3.channel.k8s.io', 'channel.k8s.io'])).toEqual({ status: 403, body: 'unable to upgrade: unable to negotiate protocol: client supports [v3.channel.k8s.io channel.k8s.io], server supports [v4.channel.k8s.io]' });
    expect(t.requests).toHaveLength(3);
  });

  it('refuses a handshake of another WebSocket version, and subprotocols it does not speak', async () => {
    const t = target(() => connection(() => Promise.resolve({ status: 'Success' })));
    const base = await serve(t);
    const old = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(new URL(execPath, base), { headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '8', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      req.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0)));
      req.on('error', reject);
      req.end();
    });
    expect(old).toBe(426);
    expect(await dial(new URL(`${execPath}?command=ls`, base), {}, ['base64.channel.k8s.io'])).toMatchObject({ status: 400 });
    // Neither refusal opened a session: the version before reaching the apiserver, the subprotocol after.
    expect(t.requests).toHaveLength(1);
  });
});
