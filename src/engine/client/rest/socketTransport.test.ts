import { describe, expect, it } from 'vitest';
import { podProcess } from '../../kernel/net/testing.ts';
import { StatusError } from '../../api/errors.ts';
import { BodyStream, type ApiRequest, type ApiResponse, type WatchStream } from '../../apiserver/http.ts';
import { ADMIN_USER, KubeApiserver } from '../../apiserver/kubeApiserver.ts';
import { serveApiserver } from '../../apiserver/serving.ts';
import { Etcd3Storage } from '../../apiserver/storage/etcd3.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Etcd } from '../../etcd/index.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { TcpSocket } from '../../kernel/net/socket.ts';
import { bootHost } from '../../programs/testing.ts';
import { SharedIndexInformer } from '../cache/sharedInformer.ts';
import { listWatchFromClient } from '../cache/listWatch.ts';
import { RestClient, type GroupVersionResource, type KubeObject } from './restClient.ts';
import { apiTransport, SocketTransport } from './socketTransport.ts';

const TOKEN = 'admin-token';
const CONFIGMAPS: GroupVersionResource = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services', namespaced: true };
const USER_AGENT = 'kube-proxy/v1.32.4 (linux/amd64) kubernetes/59526cd';

const pod = podProcess;

/** Let the sockets deliver: each hop is a microtask. */
async function settle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/**
 * An apiserver in pod 10.244.1.2 serving :6443 over the host's TCP, and a client process in pod
 * 10.244.1.3 whose transport dials it. `watches` are the server's watch streams as the handler answered them.
 */
function boot(options: { listen?: boolean } = {}) {
  const host = bootHost();
  const clock = host.clock;
  const rng = new SeededRng(1);
  const api = new KubeApiserver({ clock, rng, storage: new Etcd3Storage(new Etcd({ clock, rng })), serverAddress: '10.244.1.2:6443' });
  api.authenticator.add(TOKEN, ADMIN_USER);
  const server = pod(host, '10.244.1.2');
  const client = pod(host, '10.244.1.3');
  const watches: WatchStream[] = [];
  const requests: ApiRequest[] = [];
  const accepted: TcpSocket[] = [];
  const handler = {
    handle(request: ApiRequest): ApiResponse {
      requests.push(request);
      const response = api.handle(request);
      if (response.watch) watches.push(response.watch);
      return response;
    },
  };
  if (options.listen !== false) {
    host.tcp.listen(server, '0.0.0.0', 6443, (socket) => {
      accepted.push(socket);
      serveApiserver(socket, handler);
    });
  }
  let token: string | undefined = TOKEN;
  const transport = apiTransport(host)(client, { address: '10.244.1.2', port: 6443 }, { token: () => token, userAgent: USER_AGENT });
  const rest = new RestClient(transport);
  return { host, clock, api, client, server, rest, transport, watches, requests, accepted, setToken: (t: string | undefined) => (token = t) };
}

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

describe('SocketTransport to serveApiserver over the kernel’s TCP', () => {
  it('lists, creates and reads a 404 Status, all on one keep-alive connection from the client process', async () => {
    const t = boot();
    const cms = t.rest.resource(CONFIGMAPS);
    expect((await cms.list('default')).items).toEqual([]);
    const created = await cms.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast', note: '中文' } });
    expect(created.metadata?.uid).toBeTruthy();
    expect((await cms.get('default', 'settings')).data).toEqual({ mode: 'fast', note: '中文' });
    const error = await cms.get('default', 'nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(404);
    expect((error as StatusError).message).toBe('configmaps "nope" not found');
    expect(t.accepted).toHaveLength(1);
    expect(t.requests.map((r) => `${r.method} ${r.path} ${r.headers['user-agent']} ${r.headers.authorization}`)).toEqual([
      `GET /api/v1/namespaces/default/configmaps ${USER_AGENT} Bearer ${TOKEN}`,
      `POST /api/v1/namespaces/default/configmaps ${USER_AGENT} Bearer ${TOKEN}`,
      `GET /api/v1/namespaces/default/configmaps/settings ${USER_AGENT} Bearer ${TOKEN}`,
      `GET /api/v1/namespaces/default/configmaps/nope ${USER_AGENT} Bearer ${TOKEN}`,
    ]);
    // The connection is the client process's own socket, from its pod address.
    const sockets = t.host.tcp.socketsOf(t.client);
    expect(sockets.map((s) => `${s.local.address} -> ${'remote' in s ? `${s.remote.address}:${s.remote.port}` : ''}`)).toEqual(['10.244.1.3 -> 10.244.1.2:6443']);
  });

  it('asks for the token on every request and sends none when there is none', async () => {
    const t = boot();
    const cms = t.rest.resource(CONFIGMAPS);
    t.setToken(undefined);
    const error = await cms.list('default').catch((e: unknown) => e);
    expect((error as StatusError).code).toBe(403);
    expect((error as StatusError).message).toBe('configmaps is forbidden: User "system:anonymous" cannot list resource "configmaps" in API group "" in the namespace "default"');
    t.setToken(TOKEN);
    expect((await cms.list('default')).items).toEqual([]);
    expect(t.requests.map((r) => r.headers.authorization)).toEqual([undefined, `Bearer ${TOKEN}`]);
  });

  it('dials again when the server has closed the idle connection', async () => {
    const t = boot();
    const cms = t.rest.resource(CONFIGMAPS);
    await cms.list('default');
    t.accepted[0]!.close();
    await settle();
    expect((await cms.list('default')).items).toEqual([]);
    expect(t.accepted).toHaveLength(2);
    expect(t.host.tcp.socketsOf(t.client)).toHaveLength(1);
  });

  it('feeds a SharedInformer: the list, then ADDED and MODIFIED over a watch of its own; stopping closes it and the server stops the watch', async () => {
    const t = boot();
    const cms = t.rest.resource(CONFIGMAPS);
    await cms.create('default', { metadata: { name: 'before' }, data: { v: '0' } });
    const informer = new SharedIndexInformer<KubeObject>(listWatchFromClient(t.rest, CONFIGMAPS, 'default'), { clock: t.clock, rng: new SeededRng(2), name: 'configmaps' });
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (obj, initial) => seen.push(`add ${obj.metadata?.name}${initial ? ' (initial)' : ''}`),
      onUpdate: (_old, obj) => seen.push(`update ${obj.metadata?.name} ${(obj.data as Record<string, string>).v}`),
    });
    informer.run();
    await settle(60);
    expect(seen).toEqual(['add before (initial)']);
    expect(t.watches).toHaveLength(1);
    expect(t.accepted).toHaveLength(2);

    await cms.create('default', { metadata: { name: 'after' }, data: { v: '1' } });
    await settle(60);
    const current = await cms.get('default', 'after');
    await cms.update('default', { ...current, data: { v: '2' } });
    await settle(60);
    expect(seen).toEqual(['add before (initial)', 'add after', 'update after 2']);
    expect(informer.getStore().list().map((o) => o.metadata?.name).sort()).toEqual(['after', 'before']);
    const watchRequest = t.requests.find((r) => r.query.get('watch') === 'true')!;
    expect(watchRequest.query.get('allowWatchBookmarks')).toBe('true');

    let serverEnded = false;
    t.watches[0]!.onEnd(() => (serverEnded = true));
    expect(t.host.tcp.socketsOf(t.client)).toHaveLength(2);
    informer.stop();
    await settle();
    expect(serverEnded).toBe(true);
    expect(t.host.tcp.socketsOf(t.client)).toHaveLength(1);
  });

  it('ends the client’s watch when the connection drops, and the server’s at its next write', async () => {
    const t = boot();
    const watch = await t.rest.resource(CONFIGMAPS).watch('default', { resourceVersion: '0' });
    const done: string[] = [];
    watch.onDone(() => done.push('done'));
    let serverEnded = false;
    t.watches[0]!.onEnd(() => (serverEnded = true));
    t.accepted[0]!.reset();
    await settle();
    expect(done).toEqual(['done']);
    // The server finds out when it next writes to the dead connection: the write fails and the watch stops.
    expect(serverEnded).toBe(false);
    await new RestClient(apiTransport(t.host)(t.client, { address: '10.244.1.2', port: 6443 }, { token: () => TOKEN, userAgent: USER_AGENT }))
      .resource(CONFIGMAPS)
      .create('default', { metadata: { name: 'next' } });
    await settle();
    expect(serverEnded).toBe(true);
  });

  it('words a refused, unroutable or unanswered dial as client-go does', async () => {
    const t = boot({ listen: false });
    expect(await failure(t.rest.resource(SERVICES).list('', { limit: 500, resourceVersion: '0' }))).toBe(
      'Get "https://10.244.1.2:6443/api/v1/services?limit=500&resourceVersion=0": dial tcp 10.244.1.2:6443: connect: connection refused',
    );
    const isolated = pod(t.host);
    const unreachable = new RestClient(apiTransport(t.host)(isolated, { address: '10.96.0.1', port: 443 }, { token: () => TOKEN, userAgent: USER_AGENT }));
    expect(await failure(unreachable.resource(CONFIGMAPS).create('default', { metadata: { name: 'x' } }))).toBe(
      'Post "https://10.96.0.1:443/api/v1/namespaces/default/configmaps": dial tcp 10.96.0.1:443: connect: network is unreachable',
    );
    const silent = new RestClient(apiTransport(t.host)(t.client, { address: '10.244.1.99', port: 443 }, { token: () => TOKEN, userAgent: USER_AGENT }));
    const pending = failure(silent.resource(CONFIGMAPS).list('default', { labelSelector: 'app in (a,b)', limit: 500 }));
    t.clock.advance(29_999);
    await settle();
    let settled = false;
    void pending.then(() => (settled = true));
    await settle();
    expect(settled).toBe(false);
    t.clock.advance(1);
    expect(await pending).toBe('Get "https://10.244.1.99:443/api/v1/namespaces/default/configmaps?labelSelector=app+in+%28a%2Cb%29&limit=500": dial tcp 10.244.1.99:443: i/o timeout');
    const noRoute = new SocketTransport({ dial: () => Promise.reject(new KernelError('EHOSTUNREACH')), server: { address: '10.96.0.1', port: 443 }, token: () => undefined, userAgent: USER_AGENT });
    expect(await failure(new RestClient(noRoute).resource(CONFIGMAPS).delete('default', 'x'))).toBe('Delete "https://10.96.0.1:443/api/v1/namespaces/default/configmaps/x": dial tcp 10.96.0.1:443: connect: no route to host');
  });

  it('reads EOF for a connection the server closes without answering', async () => {
    const t = boot({ listen: false });
    t.host.tcp.listen(t.server, '0.0.0.0', 6443, (socket) => socket.receive({ data: () => socket.close() }));
    expect(await failure(t.rest.resource(CONFIGMAPS).get('default', 'x'))).toBe('Get "https://10.244.1.2:6443/api/v1/namespaces/default/configmaps/x": EOF');
  });

  it('writes the request as Go’s client does: Host, User-Agent, Content-Length, then the headers sorted; the query sorted', async () => {
    const t = boot({ listen: false });
    const wire: string[] = [];
    t.host.tcp.listen(t.server, '0.0.0.0', 6443, (socket) =>
      socket.receive({
        data: (d) => {
          wire.push(d);
          socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
        },
      }),
    );
    await t.rest.raw('PATCH', '/api/v1/namespaces/default/configmaps/x', { fieldManager: 'kubectl', dryRun: 'All' }, '{"data":{"é":"1"}}', 'application/merge-patch+json');
    expect(wire).toEqual([
      'PATCH /api/v1/namespaces/default/configmaps/x?dryRun=All&fieldManager=kubectl HTTP/1.1\r\n' +
        'Host: 10.244.1.2:6443\r\n' +
        `User-Agent: ${USER_AGENT}\r\n` +
        'Content-Length: 19\r\n' +
        'Accept: application/json\r\n' +
        `Authorization: Bearer ${TOKEN}\r\n` +
        'Content-Type: application/merge-patch+json\r\n' +
        '\r\n' +
        '{"data":{"é":"1"}}',
    ]);
  });

  it('reads a followed log as a BodyStream on a connection of its own, ended with the body', async () => {
    const t = boot({ listen: false });
    const log = new BodyStream();
    t.host.tcp.listen(t.server, '0.0.0.0', 6443, (socket) => serveApiserver(socket, { handle: () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: '', stream: log }) }));
    const response = await t.transport.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/web/log', query: new URLSearchParams({ follow: 'true' }), headers: {} });
    const got: string[] = [];
    response.stream!.onData((chunk) => got.push(chunk));
    response.stream!.onEnd(() => got.push('<end>'));
    log.write('line 1\n');
    await settle();
    log.write('line 2\n');
    log.end();
    await settle();
    expect(got).toEqual(['line 1\n', 'line 2\n', '<end>']);
  });
});
