import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { Etcd, MAX_REQUEST_BYTES } from '../../etcd/index.ts';
import { Etcd3Storage } from './etcd3.ts';
import { KeyExistsError, KeyNotFoundError, ModRevisionConflictError, TooOldRevisionError, ValueTooLargeError, type StorageEvent } from './interface.ts';

function setup() {
  const etcd = new Etcd({ clock: new Clock({ startTime: 0, paused: true }), rng: new SeededRng(1) });
  return { etcd, storage: new Etcd3Storage(etcd) };
}

const POD = '/registry/pods/default/web';

describe('Etcd3Storage writes', () => {
  it('creates a key once, with create and mod revision equal', () => {
    const { storage } = setup();
    expect(storage.create(POD, '{"a":1}')).toEqual({ key: POD, value: '{"a":1}', createRevision: 2, modRevision: 2 });
    expect(() => storage.create(POD, '{}')).toThrow(KeyExistsError);
    expect(storage.revision()).toBe(2);
  });

  it.each([
    ['the expected revision', 2, undefined],
    ['a stale revision', 1, ModRevisionConflictError],
  ])('updates at %s', (_, expected, error) => {
    const { storage } = setup();
    storage.create(POD, '{"v":1}');
    if (error) {
      expect(() => storage.update(POD, '{"v":2}', expected)).toThrow(error);
      expect(storage.get(POD)!.value).toBe('{"v":1}');
    } else {
      expect(storage.update(POD, '{"v":2}', expected)).toEqual({ key: POD, value: '{"v":2}', createRevision: 2, modRevision: 3 });
    }
  });

  it('reports the current mod revision in a conflict and a missing key as not found', () => {
    const { storage } = setup();
    storage.create(POD, '{}');
    storage.update(POD, '{"v":2}', 2);
    expect(() => storage.update(POD, '{}', 2)).toThrow(new ModRevisionConflictError(POD, 3));
    expect(() => storage.update('/registry/pods/default/nope', '{}', 2)).toThrow(KeyNotFoundError);
  });

  it.each([
    ['without a precondition', undefined, undefined],
    ['at the expected revision', 2, undefined],
    ['at a stale revision', 1, ModRevisionConflictError],
  ])('deletes %s', (_, expected, error) => {
    const { storage } = setup();
    storage.create(POD, '{"v":1}');
    if (error) expect(() => storage.delete(POD, expected)).toThrow(error);
    else expect(storage.delete(POD, expected)).toEqual({ revision: 3, prevValue: '{"v":1}' });
  });

  it('fails to delete a missing key', () => {
    const { storage } = setup();
    expect(() => storage.delete(POD)).toThrow(KeyNotFoundError);
    expect(() => storage.delete(POD, 5)).toThrow(KeyNotFoundError);
  });

  it("refuses values over etcd's request limit", () => {
    const { storage } = setup();
    expect(() => storage.create(POD, 'x'.repeat(MAX_REQUEST_BYTES))).toThrow(new ValueTooLargeError('etcdserver: request is too large'));
  });
});

describe('Etcd3Storage reads and watches', () => {
  it('lists a prefix in key order at the current revision', () => {
    const { storage } = setup();
    storage.create('/registry/pods/default/b', 'B');
    storage.create('/registry/pods/default/a', 'A');
    storage.create('/registry/services/default/a', 'S');
    const list = storage.list('/registry/pods/');
    expect(list.items.map((i) => i.value)).toEqual(['A', 'B']);
    expect(list.revision).toBe(4);
  });

  it('replays after a revision, then follows, with prevValue and created', () => {
    const { storage } = setup();
    storage.create(POD, 'v1');
    const events: StorageEvent[] = [];
    storage.watch('/registry/pods/', 2, (e) => events.push(e));
    storage.update(POD, 'v2', 2);
    storage.delete(POD);
    storage.create('/registry/other/x', 'ignored');
    expect(events).toEqual([
      { type: 'PUT', key: POD, value: 'v2', prevValue: 'v1', revision: 3, created: false },
      { type: 'DELETE', key: POD, prevValue: 'v2', revision: 4, created: false },
    ]);
  });

  it('marks a create as created and replays it from an older revision', () => {
    const { storage } = setup();
    storage.create(POD, 'v1');
    const events: StorageEvent[] = [];
    const stop = storage.watch('/registry/pods/', 1, (e) => events.push(e));
    stop();
    storage.update(POD, 'v2', 2);
    expect(events).toEqual([{ type: 'PUT', key: POD, value: 'v1', revision: 2, created: true }]);
  });

  it('fails a watch from a compacted revision', () => {
    const { etcd, storage } = setup();
    storage.create(POD, 'v1');
    storage.update(POD, 'v2', 2);
    storage.update(POD, 'v3', 3);
    etcd.compact(4);
    expect(storage.compactedRevision()).toBe(4);
    expect(() => storage.watch('/registry/pods/', 2, () => {})).toThrow(new TooOldRevisionError(2, 4));
    expect(() => storage.watch('/registry/pods/', 3, () => {})).not.toThrow();
  });
});
