import { describe, expect, it } from 'vitest';
import { DiffCollector } from '../../engine/base/recordsDiff.ts';
import type { ObjectRecord } from '../../engine/cluster/clusterView.ts';
import { node, pod } from '../diagrams/clusterMap/testdata.ts';
import { ObjectStore } from './objectStore.ts';

const none = { added: {}, updated: {}, removed: {} };

describe('ObjectStore', () => {
  it('mirrors the source across random edits squashed by DiffCollector, by id and by resource', () => {
    const source = new Map<string, ObjectRecord>();
    const store = new ObjectStore();
    const c = new DiffCollector<ObjectRecord>();
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 10; i++) {
        const k = rand(12);
        const r: ObjectRecord = k < 8 ? pod(`p${k}`, { restarts: rand(100) }) : node(`n${k}`, { ready: rand(2) === 0 });
        const old = source.get(r.id);
        if (!old) c.add(r.id, r);
        else if (rand(3) === 0) {
          c.remove(r.id, old);
          source.delete(r.id);
          continue;
        } else c.update(r.id, old, r);
        source.set(r.id, r);
      }
      store.apply(c.flush());
      expect(Object.fromEntries(store.list().map((r) => [r.id, r]))).toEqual(Object.fromEntries(source));
      expect(store.records()).toEqual(Object.fromEntries(source));
      expect([...store.resource('pods').values()].every((r) => r.resource === 'pods')).toBe(true);
      expect(store.resource('pods').size + store.resource('nodes').size).toBe(source.size);
    }
  });

  it('bumps the version of the store and of the resources a diff touched, and no other', () => {
    const store = new ObjectStore();
    const a = pod('a');
    const n = node('worker-1');
    store.apply({ ...none, added: { [a.id]: a, [n.id]: n } });
    expect([store.version, store.resourceVersion('pods'), store.resourceVersion('nodes'), store.resourceVersion('services')]).toEqual([1, 1, 1, 0]);
    const list = store.list();
    expect(store.apply({ ...none, updated: { [a.id]: [a, a] } })).toBe(false);
    expect(store.version).toBe(1);
    expect(store.list()).toBe(list);
    store.apply({ ...none, updated: { [a.id]: [a, { ...a, restarts: 1 }] } });
    expect([store.version, store.resourceVersion('pods'), store.resourceVersion('nodes')]).toEqual([2, 2, 1]);
    expect(store.list()).not.toBe(list);
    // A removal of what the store never had changes nothing.
    expect(store.apply({ ...none, removed: { 'pods/default/ghost': pod('ghost') } })).toBe(false);
  });

  it('replays the changes since a version with the records as it held them, until it forgets them', () => {
    const store = new ObjectStore();
    const a = pod('a');
    const a2 = { ...a, restarts: 2 };
    store.apply({ ...none, added: { [a.id]: a } });
    const v = store.version;
    expect(store.changesSince(v)).toEqual([]);
    store.apply({ ...none, updated: { [a.id]: [a, a2] } });
    store.apply({ ...none, removed: { [a.id]: a2 } });
    expect(store.changesSince(v)).toEqual([
      { id: a.id, before: a, after: a2 },
      { id: a.id, before: a2, after: undefined },
    ]);
    expect(store.changesSince(0)).toHaveLength(3);
    expect(store.changesSince(store.version + 1)).toBeUndefined();
    for (let i = 0; i < 100; i++) store.apply({ ...none, added: { [`pods/default/q${i}`]: pod(`q${i}`) } });
    expect(store.changesSince(v)).toBeUndefined();
    expect(store.changesSince(store.version - 1)).toHaveLength(1);
  });
});
