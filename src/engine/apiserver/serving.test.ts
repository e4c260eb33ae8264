import { describe, expect, it } from 'vitest';
import { SeededRng } from '../base/seededRng.ts';
import { Etcd } from '../etcd/index.ts';
import { CLONE_NEWNET } from '../kernel/ns/cloneFlags.ts';
import { formatRequest, MessageReader, type Headers } from '../kernel/net/http1.ts';
import { bootHost } from '../programs/testing.ts';
import type { ApiRequest, ApiResponse } from './http.ts';
import { ADMIN_USER, KubeApiserver } from './kubeApiserver.ts';
import { serveApiserver, toApiRequest, toHttpResponse, type ApiHandler } from './serving.ts';
import { Etcd3Storage } from './storage/etcd3.ts';

async function settle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** An apiserver listening on the host's 127.0.0.1:6443 and a raw connection to it from the host's namespace. */
async function boot(wrap: (api: KubeApiserver) => ApiHandler = (api) => api) {
  const host = bootHost();
  const clock = host.clock;
  const rng = new SeededRng(1);
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(new Etcd({ clock, rng })), serverAddress: '127.0.0.1:6443' });
  api.authenticator.add('admin', ADMIN_USER);
  const server = host.table.clone(host.init, { flags: CLONE_NEWNET });
  server.nsproxy!.net.device('lo')!.setUp(true);
  const handler = wrap(api);
  host.tcp.listen(server, '127.0.0.1', 6443, (socket) => serveApiserver(socket, handler));
  const conn = await host.tcp.connect(server.nsproxy!.net, { address: '127.0.0.1', port: 6443 });
  let received = '';
  let closed = false;
  conn.receive({ data: (d) => (received += d), end: () => (closed = true) });
  const send = (method: string, target: string, body?: string, headers: Headers = []) =>
    conn.write(formatRequest({ method, target, version: 'HTTP/1.1', headers: [['Host', '127.0.0.1:6443'], ['Authorization', 'Bearer admin'], ...(body === undefined ? [] : ([['Content-Length', String(Buffer.byteLength(body))]] as Headers)), ...headers], body: body ?? '' }));
  const take = () => {
    const text = received;
    received = '';
    return text;
  };
  return { host, clock, api, conn, send, take, closed: () => closed };
}

const notFound = '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}';

describe('serveApiserver', () => {
  it('answers with Go’s status line and headers, and keeps the connection for the requests that follow', async () => {
    const t = await boot();
    t.send('GET', '/api/v1/namespaces/default/configmaps/x');
    t.send('POST', '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create', '{"metadata":{"name":"x"},"data":{"k":"v"}}', [['Content-Type', 'application/json']]);
    await settle();
    const text = t.take();
    expect(text.startsWith(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${notFound.length}\r\n\r\n${notFound}`)).toBe(true);
    const [missing, created] = new MessageReader('response').push(text);
    expect(missing!.body).toBe(notFound);
    expect(created!.start).toEqual(['HTTP/1.1', '201', 'Created']);
    expect(JSON.parse(created!.body)).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { k: 'v' } });
    expect(t.closed()).toBe(false);
  });

  it('streams a watch chunked, one chunk per event line, and ends it with the last-chunk; the connection then serves on', async () => {
    const t = await boot();
    t.send('GET', '/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=5');
    await settle();
    expect(t.take()).toBe('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    t.api.handle({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', query: new URLSearchParams(), headers: { authorization: 'Bearer admin' }, body: '{"metadata":{"name":"a"}}' });
    await settle();
    const chunk = t.take();
    const [size, line, rest] = chunk.split('\r\n');
    expect(Number.parseInt(size!, 16)).toBe(Buffer.byteLength(line!));
    expect(rest).toBe('');
    expect(line!.endsWith('}\n')).toBe(true);
    expect(JSON.parse(line!)).toMatchObject({ type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a' } } });
    // A request sent while the watch runs waits for it.
    t.send('GET', '/api/v1/namespaces/default/configmaps/x');
    await settle();
    expect(t.take()).toBe('');
    t.clock.advance(5000);
    await settle();
    expect(t.take()).toBe(`0\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${notFound.length}\r\n\r\n${notFound}`);
  });

  it('stops the watch when the client closes the connection', async () => {
    const watches: ApiResponse[] = [];
    const t = await boot((api) => ({
      handle: (r: ApiRequest) => {
        const response = api.handle(r);
        if (response.watch) watches.push(response);
        return response;
      },
    }));
    t.send('GET', '/api/v1/namespaces/default/configmaps?watch=true');
    await settle();
    let ended = false;
    watches[0]!.watch!.onEnd(() => (ended = true));
    expect(ended).toBe(false);
    t.conn.close();
    await settle();
    expect(ended).toBe(true);
  });

  it('answers an upgrade it cannot carry as kube-apiserver answers one not asked for: 400 Upgrade request required', () => {
    const upgraded: ApiResponse = { status: 101, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' }, body: '', connection: { open: () => Promise.resolve({ status: 'Success' }) } };
    expect(toHttpResponse(upgraded)).toEqual({
      status: 400,
      reason: 'Bad Request',
      headers: [['Content-Type', 'application/json']],
      body: '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Upgrade request required","reason":"BadRequest","code":400}',
    });
  });

  it('writes headers as Go does: canonical names, sorted, and Go’s reason phrases', () => {
    const response = toHttpResponse({ status: 405, headers: { 'x-kubernetes-pf-flowschema-uid': 'f', 'content-type': 'application/json', 'audit-id': 'a', 'content-length': '3' }, body: '{}' });
    expect(response.reason).toBe('Method Not Allowed');
    expect(response.headers).toEqual([
      ['Audit-Id', 'a'],
      ['Content-Type', 'application/json'],
      ['X-Kubernetes-Pf-Flowschema-Uid', 'f'],
    ]);
  });

  it('answers a handler that throws with WithPanicRecovery’s 500', async () => {
    const t = await boot(() => ({
      handle: () => {
        throw new Error('boom');
      },
    }));
    t.send('GET', '/api/v1/pods');
    await settle();
    const body = 'This request caused apiserver to panic. Look in the logs for details.\n';
    expect(t.take()).toBe(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });

  it('splits the target into path and query and lower-cases header names', () => {
    const request = toApiRequest({ method: 'GET', target: '/api/v1/pods?labelSelector=app+in+%28a%2Cb%29&limit=500', version: 'HTTP/1.1', headers: [['Accept', 'application/json'], ['X-Forwarded-For', '1.2.3.4'], ['x-forwarded-for', '5.6.7.8']], body: '' });
    expect(request.path).toBe('/api/v1/pods');
    expect(request.query.get('labelSelector')).toBe('app in (a,b)');
    expect(request.query.get('limit')).toBe('500');
    expect(request.headers).toEqual({ accept: 'application/json', 'x-forwarded-for': '1.2.3.4, 5.6.7.8' });
    expect(request.body).toBeUndefined();
  });
});
