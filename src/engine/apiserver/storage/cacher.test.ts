import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Etcd } from '../../etcd/index.ts';
import { Cacher, ResourceExpiredError, type WatchSink } from './cacher.ts';
import { Etcd3Storage } from './etcd3.ts';

function setup(historySize?: number) {
  const clock = new Clock({ startTime: 0, paused: true });
  const storage = new Etcd3Storage(new Etcd({ clock, rng: new SeededRng(1) }));
  const cacher = new Cacher({ storage, clock, prefix: '/registry/pods/', selectableFields: () => ({}), apiVersion: 'v1', kind: 'Pod', ...(historySize ? { historySize } : {}) });
  const put = (ns: string, name: string) => {
    const key = `/registry/pods/${ns}/${name}`;
    const json = JSON.stringify({ metadata: { namespace: ns, name } });
    const current = storage.get(key);
    if (current) storage.update(key, json, current.modRevision);
    else storage.create(key, json);
  };
  const remove = (ns: string, name: string) => storage.delete(`/registry/pods/${ns}/${name}`);
  const names = (options?: Parameters<Cacher['list']>[0]) => cacher.list(options).items.map((e) => `${e.namespace}/${e.name}`);
  return { cacher, put, remove, names };
}

function collect(): WatchSink & { types: string[] } {
  const types: string[] = [];
  return { types, event: (line) => types.push((JSON.parse(line) as { type: string }).type), end: () => undefined };
}

describe('Cacher', () => {
  it('lists in key order through adds, deletes and re-adds made between lists', () => {
    const { put, remove, names } = setup();
    for (const name of ['c', 'a', 'e']) put('ns', name);
    expect(names()).toEqual(['ns/a', 'ns/c', 'ns/e']);
    put('ns', 'b');
    put('ns', 'f');
    remove('ns', 'c');
    put('ns', 'c');
    remove('ns', 'e');
    put('ns', 'd');
    remove('ns', 'd');
    put('aa', 'z');
    expect(names()).toEqual(['aa/z', 'ns/a', 'ns/b', 'ns/c', 'ns/f']);
    remove('ns', 'a');
    expect(names({ keyPrefix: '/registry/pods/ns/' })).toEqual(['ns/b', 'ns/c', 'ns/f']);
    expect(names({ limit: 2 })).toEqual(['aa/z', 'ns/b']);
  });

  it('keeps its order across many lists and writes (a seeded mix checked against a sort)', () => {
    const { put, remove, names } = setup();
    const rng = new SeededRng(7);
    const live = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const name = `p${rng.int(300)}`;
      if (live.has(name) && rng.int(3) === 0) {
        remove('ns', name);
        live.delete(name);
      } else {
        put('ns', name);
        live.add(name);
      }
      if (i % 97 === 0) expect(names()).toEqual([...live].map((n) => `ns/${n}`).sort());
    }
    expect(names()).toEqual([...live].map((n) => `ns/${n}`).sort());
  });

  it('resumes a watch from inside its history window and refuses one from before it', () => {
    const { cacher, put } = setup(5);
    for (let i = 0; i < 23; i++) put('ns', `p${i % 4}`);
    const revision = cacher.resourceVersion;
    const sink = collect();
    cacher.watch({ afterRevision: revision - 5 }, sink);
    expect(sink.types).toHaveLength(5);
    expect(() => cacher.watch({ afterRevision: revision - 6 }, collect())).toThrow(ResourceExpiredError);
    put('ns', 'p9');
    expect(sink.types.at(-1)).toBe('ADDED');
    const later = collect();
    cacher.watch({ afterRevision: revision - 4 }, later);
    expect(later.types).toHaveLength(5);
  });
});
