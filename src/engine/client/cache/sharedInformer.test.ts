import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { WatchStream, type ApiRequest, type ApiResponse } from '../../apiserver/http.ts';
import { RestClient, type KubeObject } from '../rest/restClient.ts';
import type { Transport } from '../rest/transport.ts';
import { FakeControllerSource } from './fakeControllerSource.ts';
import { SharedIndexInformer, SharedInformerFactory, waitForCacheSync, type ResourceEventHandler } from './sharedInformer.ts';
import { DeletedFinalStateUnknown } from './store.ts';

async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

function obj(name: string, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { name, namespace: 'ns', labels } };
}

const nameRv = (o: KubeObject | DeletedFinalStateUnknown<KubeObject>) =>
  o instanceof DeletedFinalStateUnknown ? `unknown ${o.key}@${o.obj?.metadata?.resourceVersion}` : `${o.metadata?.name}@${o.metadata?.resourceVersion}`;

/** A handler that writes down what it is told. */
function logHandler(log: string[], prefix = ''): ResourceEventHandler<KubeObject> {
  return {
    onAdd: (o, initial) => log.push(`${prefix}add ${nameRv(o)}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) => log.push(`${prefix}update ${nameRv(a)} -> ${nameRv(b)}`),
    onDelete: (o) => log.push(`${prefix}delete ${nameRv(o)}`),
  };
}

function setup(defaultResyncMs = 0) {
  const clock = new Clock();
  const source = new FakeControllerSource<KubeObject>();
  const informer = new SharedIndexInformer<KubeObject>(source, { clock, rng: new SeededRng(3), defaultResyncMs, name: 'pods' });
  return { clock, source, informer };
}

describe('SharedIndexInformer', () => {
  it('delivers the initial list as adds, then syncs', async () => {
    const { source, informer } = setup();
    source.add(obj('a'));
    source.add(obj('b'));
    const log: string[] = [];
    const registration = informer.addEventHandler(logHandler(log));
    let synced: boolean | undefined;
    void informer.waitForSync().then((s) => (synced = s));
    expect(informer.hasSynced()).toBe(false);
    informer.run();
    await flush();
    expect(log).toEqual(['add a@1 (initial)', 'add b@2 (initial)']);
    expect(informer.hasSynced()).toBe(true);
    expect(registration.hasSynced()).toBe(true);
    expect(synced).toBe(true);
    expect(informer.lastSyncResourceVersion()).toBe('2');
    informer.stop();
  });

  it('an empty first list is synced too', async () => {
    const { informer } = setup();
    informer.run();
    await flush();
    expect(informer.hasSynced()).toBe(true);
    expect(await informer.waitForSync()).toBe(true);
    informer.stop();
  });

  it('turns watch events into add, update(old, new) and delete, with the cache updated first', async () => {
    const { source, informer } = setup();
    const log: string[] = [];
    const seenInCache: Array<string | undefined> = [];
    informer.addEventHandler({
      ...logHandler(log),
      onUpdate: (a, b) => {
        log.push(`update ${nameRv(a)} -> ${nameRv(b)}`);
        seenInCache.push(informer.getStore().getByKey('ns/a')?.metadata?.resourceVersion);
      },
    });
    informer.run();
    await flush();
    const a = source.add(obj('a'));
    await flush();
    source.modify(a);
    await flush();
    source.delete(a);
    await flush();
    expect(log).toEqual(['add a@1', 'update a@1 -> a@2', 'delete a@3']);
    expect(seenInCache).toEqual(['2']);
    expect(informer.getStore().listKeys()).toEqual([]);
    informer.stop();
  });

  it('a handler added after start first gets synthetic adds for what is cached', async () => {
    const { source, informer } = setup();
    source.add(obj('a'));
    informer.run();
    await flush();
    const log: string[] = [];
    informer.addEventHandler(logHandler(log));
    expect(log).toEqual(['add a@1 (initial)']);
    source.add(obj('b'));
    await flush();
    expect(log).toEqual(['add a@1 (initial)', 'add b@2']);
    informer.stop();
  });

  it('a relist after 410 delivers missed deletes as DeletedFinalStateUnknown and only real changes as updates', async () => {
    const { clock, source, informer } = setup();
    source.add(obj('a'));
    const b = source.add(obj('b'));
    source.add(obj('c'));
    const log: string[] = [];
    informer.addEventHandler(logHandler(log));
    informer.run();
    await flush();
    log.length = 0;
    // The watch fails; while the reflector backs off, b changes and c is deleted (no watch sees it).
    clock.advance(2_000);
    source.sendError({ code: 410, reason: 'Expired' });
    await flush();
    source.modify(b);
    source.delete(obj('c'));
    clock.advance(60_000);
    await flush();
    expect(log).toEqual(['update b@2 -> b@4', 'delete unknown ns/c@3']);
    expect(informer.getStore().listKeys()).toEqual(['ns/a', 'ns/b']);
    informer.stop();
  });

  it('resyncs only the handlers whose period has come, as update(obj, obj)', async () => {
    const { clock, source, informer } = setup(30_000);
    source.add(obj('a'));
    const log: string[] = [];
    informer.addEventHandler(logHandler(log, 'default: '));
    informer.addEventHandler(logHandler(log, 'never: '), 0);
    informer.addEventHandler(logHandler(log, 'minute: '), 60_000);
    informer.run();
    await flush();
    log.length = 0;
    for (let i = 0; i < 4; i++) {
      clock.advance(30_000);
      await flush();
    }
    expect(log).toEqual([
      'default: update a@1 -> a@1',
      'default: update a@1 -> a@1',
      'minute: update a@1 -> a@1',
      'default: update a@1 -> a@1',
      'default: update a@1 -> a@1',
      'minute: update a@1 -> a@1',
    ]);
    informer.stop();
  });

  it('a handler that throws does not stop the others', async () => {
    const clock = new Clock();
    const source = new FakeControllerSource<KubeObject>();
    const errors: unknown[] = [];
    const informer = new SharedIndexInformer<KubeObject>(source, { clock, rng: new SeededRng(3), onHandlerError: (e) => errors.push(e) });
    const log: string[] = [];
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('boom');
      },
    });
    informer.addEventHandler(logHandler(log));
    source.add(obj('a'));
    informer.run();
    await flush();
    expect(log).toEqual(['add a@1 (initial)']);
    expect(errors.map(String)).toEqual(['Error: boom']);
    informer.stop();
  });

  it('removed handlers hear nothing more', async () => {
    const { source, informer } = setup();
    const log: string[] = [];
    const reg = informer.addEventHandler(logHandler(log));
    informer.run();
    await flush();
    informer.removeEventHandler(reg);
    source.add(obj('a'));
    await flush();
    expect(log).toEqual([]);
    informer.stop();
  });

  it('stop before sync resolves waitForSync with false, and refuses new handlers', async () => {
    const { source, informer } = setup();
    source.failNext('list', new Error('down'));
    informer.run();
    const waiting = informer.waitForSync();
    await flush();
    informer.stop();
    expect(await waiting).toBe(false);
    expect(await waitForCacheSync(informer)).toBe(false);
    expect(() => informer.addEventHandler({})).toThrow('because it has stopped already');
  });

  it('refuses indexers after start', async () => {
    const { informer } = setup();
    informer.run();
    expect(() => informer.addIndexers({ x: () => [] })).toThrow('informer has already started');
    informer.stop();
  });
});

/** A transport serving lists and watches of pods and nodes from arrays, as the apiserver's JSON. */
class FakeServer implements Transport {
  readonly requests: string[] = [];
  readonly streams: WatchStream[] = [];
  constructor(private readonly items: Record<string, KubeObject[]>) {}

  request(request: ApiRequest): Promise<ApiResponse> {
    this.requests.push(`${request.method} ${request.path}?${request.query.toString()}`);
    const resource = request.path.split('/').pop()!;
    if (request.query.get('watch') === 'true') {
      const stream = new WatchStream();
      this.streams.push(stream);
      return Promise.resolve({ status: 200, headers: {}, body: '', watch: stream });
    }
    const body = JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '10' }, items: this.items[resource] ?? [] });
    return Promise.resolve({ status: 200, headers: {}, body });
  }
}

describe('SharedInformerFactory', () => {
  const PODS = { group: '', version: 'v1', resource: 'pods', namespaced: true };
  const NODES = { group: '', version: 'v1', resource: 'nodes', namespaced: false };
  const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true };

  it('shares one informer per resource, starts them together and waits for all', async () => {
    const server = new FakeServer({ pods: [obj('p', { app: 'web' })], nodes: [{ metadata: { name: 'n1' } }] });
    const factory = new SharedInformerFactory(new RestClient(server), { clock: new Clock(), rng: new SeededRng(1), namespace: 'ns', tweakListOptions: (o) => (o.labelSelector = 'app=web') });
    const pods = factory.informerFor(PODS);
    expect(factory.informerFor(PODS)).toBe(pods);
    factory.informerFor(NODES);
    factory.start();
    const synced = await factory.waitForCacheSync();
    expect([...synced]).toEqual([
      ['pods', true],
      ['nodes', true],
    ]);
    expect(server.requests.slice(0, 2)).toEqual([
      'GET /api/v1/namespaces/ns/pods?resourceVersion=0&limit=500&labelSelector=app%3Dweb',
      'GET /api/v1/nodes?resourceVersion=0&limit=500&labelSelector=app%3Dweb',
    ]);
    expect(factory.lister(PODS).byNamespace('ns').get('p')?.metadata?.labels).toEqual({ app: 'web' });
    // An informer asked for later starts with the next start().
    const deployments = factory.informerFor(DEPLOYMENTS);
    expect(deployments.hasSynced()).toBe(false);
    factory.start();
    await flush();
    expect(deployments.hasSynced()).toBe(true);
    factory.shutdown();
    expect(pods.isStopped).toBe(true);
  });

  it('watch events written before the reflector subscribes are not lost (an immediate 410)', async () => {
    const clock = new Clock();
    const server = new FakeServer({ pods: [obj('p')] });
    const original = server.request.bind(server);
    let watches = 0;
    server.request = async (request) => {
      const response = await original(request);
      if (response.watch && ++watches === 1) {
        response.watch.write(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 10 (12)' } }));
        response.watch.end();
      }
      return response;
    };
    const factory = new SharedInformerFactory(new RestClient(server), { clock, rng: new SeededRng(1) });
    const informer = factory.informerFor(PODS);
    const errors: unknown[] = [];
    informer.onDidError((e) => errors.push(e.error));
    factory.start();
    await flush();
    expect(errors.map((e) => (e as { code?: number }).code)).toEqual([410]);
    clock.advance(1_600);
    await flush();
    expect(server.requests.filter((r) => !r.includes('watch=true'))).toHaveLength(2);
    factory.shutdown();
  });
});
