import { describe, expect, it } from 'vitest';
import { StatusError } from '../../api/errors.ts';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import type { KubeObject } from '../rest/restClient.ts';
import { FakeControllerSource } from './fakeControllerSource.ts';
import { ExponentialBackoffManager, Reflector, type ReflectorError, type ReflectorStore } from './reflector.ts';

async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await Promise.resolve();
}

function obj(name: string): KubeObject {
  return { metadata: { name, namespace: 'ns' } };
}

/** A store that writes down what the reflector asks of it. */
class LogStore implements ReflectorStore<KubeObject> {
  readonly log: string[] = [];
  add(o: KubeObject) {
    this.log.push(`add ${o.metadata?.name}@${o.metadata?.resourceVersion}`);
  }
  update(o: KubeObject) {
    this.log.push(`update ${o.metadata?.name}@${o.metadata?.resourceVersion}`);
  }
  delete(o: KubeObject) {
    this.log.push(`delete ${o.metadata?.name}@${o.metadata?.resourceVersion}`);
  }
  replace(list: readonly KubeObject[], rv: string) {
    this.log.push(`replace [${list.map((o) => o.metadata?.name).join(',')}]@${rv}`);
  }
  resync() {
    this.log.push('resync');
  }
}

function setup(options: { pageSize?: number; resyncPeriodMs?: number; shouldResync?: () => boolean } = {}) {
  const clock = new Clock();
  const source = new FakeControllerSource<KubeObject>();
  const store = new LogStore();
  const errors: ReflectorError[] = [];
  const reflector = new Reflector(source, store, { clock, rng: new SeededRng(1), name: 'pods', ...options });
  reflector.onDidError((e) => errors.push(e));
  return { clock, source, store, reflector, errors };
}

const gone = () => new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (5)', reason: 'Expired', code: 410 });

describe('Reflector', () => {
  it('lists from "0" in pages of 500, then watches from the list resourceVersion with bookmarks', async () => {
    const { source, store, reflector } = setup();
    source.add(obj('a'));
    source.add(obj('b'));
    reflector.run();
    await flush();
    expect(source.lists).toEqual([{ resourceVersion: '0', limit: 500 }]);
    expect(store.log).toEqual(['replace [a,b]@2']);
    expect(source.watches).toHaveLength(1);
    const w = source.watches[0]!;
    expect(w).toMatchObject({ resourceVersion: '2', allowWatchBookmarks: true });
    expect(w.timeoutSeconds).toBeGreaterThanOrEqual(300);
    expect(w.timeoutSeconds).toBeLessThan(600);
    expect(reflector.lastSyncResourceVersion()).toBe('2');
    reflector.stop();
  });

  it('follows continue tokens and replaces with every page', async () => {
    const { source, store, reflector } = setup({ pageSize: 2 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) source.add(obj(n));
    reflector.run();
    await flush();
    expect(source.lists).toEqual([{ resourceVersion: '0', limit: 2 }, { limit: 2, continue: '2' }, { limit: 2, continue: '4' }]);
    expect(store.log).toEqual(['replace [a,b,c,d,e]@5']);
    reflector.stop();
  });

  it('falls back to one full list when a continue token expires', async () => {
    const { source, store, reflector } = setup({ pageSize: 1 });
    source.add(obj('a'));
    source.add(obj('b'));
    const list = source.list.bind(source);
    source.list = (options) => (options.continue ? Promise.reject(gone()) : list(options));
    reflector.run();
    await flush();
    expect(source.lists).toEqual([{ resourceVersion: '0', limit: 1 }, { resourceVersion: '' }]);
    expect(store.log).toEqual(['replace [a,b]@2']);
    reflector.stop();
  });

  it('applies watch events and advances the resourceVersion, bookmarks included', async () => {
    const { source, store, reflector } = setup();
    reflector.run();
    await flush();
    const a = source.add(obj('a'));
    source.modify(a);
    source.delete(a);
    source.bookmark();
    expect(store.log).toEqual(['replace []@0', 'add a@1', 'update a@2', 'delete a@3']);
    expect(reflector.lastSyncResourceVersion()).toBe('3');
    source.add(obj('b'));
    source.bookmark();
    expect(reflector.lastSyncResourceVersion()).toBe('4');
    reflector.stop();
  });

  it('watches again from the last resourceVersion when the server closes a watch, without relisting', async () => {
    const { clock, source, store, reflector } = setup();
    reflector.run();
    await flush();
    source.add(obj('a'));
    clock.advance(60_000);
    source.breakWatches();
    await flush();
    expect(source.lists).toHaveLength(1);
    expect(source.watches.map((w) => w.resourceVersion)).toEqual(['0', '1']);
    source.add(obj('b'));
    expect(store.log).toEqual(['replace []@0', 'add a@1', 'add b@2']);
    reflector.stop();
  });

  it('on 410 Expired during the watch, backs off and relists from the last resourceVersion', async () => {
    const { clock, source, store, reflector, errors } = setup();
    source.add(obj('a'));
    reflector.run();
    await flush();
    source.add(obj('b'));
    source.compact();
    clock.advance(5_000);
    source.sendError({ code: 410, reason: 'Expired', message: 'too old resource version: 2 (3)' });
    await flush();
    expect(errors.map((e) => [e.during, (e.error as StatusError).code])).toEqual([['watch', 410]]);
    expect(source.lists).toHaveLength(1);
    // The first backoff is 800ms plus up to 100% jitter.
    clock.advance(799);
    await flush();
    expect(source.lists).toHaveLength(1);
    clock.advance(801);
    await flush();
    expect(source.lists).toEqual([{ resourceVersion: '0', limit: 500 }, { resourceVersion: '2' }]);
    expect(store.log).toEqual(['replace [a]@1', 'add b@2', 'replace [a,b]@2']);
    expect(source.watches.map((w) => w.resourceVersion)).toEqual(['1', '2']);
    reflector.stop();
  });

  it('a watch from a compacted resourceVersion gets the ERROR at once and relists', async () => {
    const { clock, source, store, reflector } = setup();
    source.add(obj('a'));
    const list = source.list.bind(source);
    // The list answers an old resourceVersion, as a lagging cache might.
    source.list = async (options) => ({ ...(await list(options)), metadata: { resourceVersion: '1' } });
    source.add(obj('b'));
    source.compact();
    reflector.run();
    await flush();
    clock.advance(1_600);
    await flush();
    expect(store.log.slice(0, 2)).toEqual(['replace [a,b]@1', 'replace [a,b]@1']);
    expect(source.lists.map((l) => l.resourceVersion)).toEqual(['0', '1']);
    reflector.stop();
  });

  it('a list answering 410 is retried at once from "" (a consistent read)', async () => {
    const { source, store, reflector } = setup();
    source.add(obj('a'));
    source.failNext('list', gone());
    reflector.run();
    await flush();
    expect(source.lists).toEqual([{ resourceVersion: '0', limit: 500 }, { resourceVersion: '', limit: 500 }]);
    expect(store.log).toEqual(['replace [a]@1']);
    reflector.stop();
  });

  it('a watch closed within a second with no events counts as an error and relists after backoff', async () => {
    const { clock, source, reflector, errors } = setup();
    reflector.run();
    await flush();
    source.breakWatches();
    await flush();
    expect(String((errors[0]?.error as Error).message)).toMatch(/^very short watch: pods: Unexpected watch close/);
    clock.advance(1_600);
    await flush();
    expect(source.lists).toHaveLength(2);
    reflector.stop();
  });

  it('backs off exponentially between failed lists', async () => {
    const { clock, source, reflector, errors } = setup();
    const failure = new Error('connection refused');
    for (let i = 0; i < 4; i++) source.failNext('list', failure);
    reflector.run();
    await flush();
    const listedAt: number[] = [];
    const start = clock.now();
    for (let t = 0; t < 20_000; t += 100) {
      const before = source.lists.length;
      clock.advance(100);
      await flush();
      if (source.lists.length > before) listedAt.push(clock.now() - start);
    }
    expect(errors.map((e) => e.during)).toEqual(['list', 'list', 'list', 'list']);
    expect(listedAt).toHaveLength(4);
    const gaps = listedAt.map((t, i) => t - (listedAt[i - 1] ?? 0));
    // 800·2^n ms plus up to 100% jitter, rounded up to the 100ms steps of the loop.
    gaps.forEach((gap, n) => {
      expect(gap).toBeGreaterThanOrEqual(800 * 2 ** n);
      expect(gap).toBeLessThanOrEqual(1600 * 2 ** n + 100);
    });
    reflector.stop();
  });

  it.each([
    ['429 Too Many Requests backs off and watches again, without relisting', 429, 1, 2],
    ['any other failure backs off and relists', 500, 2, 2],
  ])('a watch that cannot start: %s', async (_name, code, lists, watches) => {
    const { clock, source, reflector, errors } = setup();
    source.failNext('watch', new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'x', reason: code === 429 ? 'TooManyRequests' : 'InternalError', code }));
    reflector.run();
    await flush();
    expect(errors.map((e) => e.during)).toEqual(['watch']);
    clock.advance(1_600);
    await flush();
    expect([source.lists.length, source.watches.length]).toEqual([lists, watches]);
    reflector.stop();
  });

  it('resyncs every period while watching when shouldResync says so', async () => {
    let allow = false;
    const { clock, store, reflector } = setup({ resyncPeriodMs: 1_000, shouldResync: () => allow });
    reflector.run();
    await flush();
    clock.advance(1_000);
    allow = true;
    clock.advance(2_000);
    expect(store.log).toEqual(['replace []@0', 'resync', 'resync']);
    reflector.stop();
    clock.advance(5_000);
    expect(store.log).toHaveLength(3);
  });

  it('stop ends the watch and cancels every timer', async () => {
    const { clock, source, reflector } = setup({ resyncPeriodMs: 1_000 });
    reflector.run();
    await flush();
    expect(source.openWatches).toHaveLength(1);
    reflector.stop();
    await flush();
    expect(source.openWatches).toHaveLength(0);
    expect(clock.state.pending).toBe(0);
    clock.advance(60_000);
    await flush();
    expect(source.lists).toHaveLength(1);
    expect(source.watches).toHaveLength(1);
  });
});

describe('ExponentialBackoffManager', () => {
  it.each([
    [0, 800],
    [1, 1_600],
    [2, 3_200],
    [5, 25_600],
    [6, 30_000],
    [9, 30_000],
  ])('step %i waits between %i and twice that', (n, base) => {
    const clock = new Clock();
    const backoff = new ExponentialBackoffManager(clock, new SeededRng(7));
    let delay = 0;
    for (let i = 0; i <= n; i++) delay = backoff.backoff();
    expect(delay).toBeGreaterThanOrEqual(base);
    expect(delay).toBeLessThan(2 * base);
  });

  it('starts over after two quiet minutes', () => {
    const clock = new Clock();
    const backoff = new ExponentialBackoffManager(clock, new SeededRng(7));
    for (let i = 0; i < 5; i++) backoff.backoff();
    clock.advance(120_001);
    expect(backoff.backoff()).toBeLessThan(1_600);
  });
});
