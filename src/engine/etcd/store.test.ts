import { describe, expect, it } from 'vitest';
import { CompactedError, EtcdError } from './errors.ts';
import { Store, prefixEnd, type RangeOptions, type WatchEvent } from './store.ts';

/** A store with /a=1 (rev 2), /b=2 (rev 3), /a=11 (rev 4), /c=3 (rev 5), /b deleted (rev 6). */
function seeded(): Store {
  const s = new Store();
  s.put('/a', '1');
  s.put('/b', '2');
  s.put('/a', '11');
  s.put('/c', '3');
  s.deleteRange('/b');
  return s;
}

const keys = (s: Store, key: string, options: RangeOptions) => s.range(key, options).kvs.map((kv) => `${kv.key}=${kv.value}`);

describe('Store revisions', () => {
  it('starts at revision 1 and bumps once per write', () => {
    const s = new Store();
    expect(s.revision).toBe(1);
    expect(s.put('k', 'v').revision).toBe(2);
    expect(s.deleteRange('missing').revision).toBe(2);
    expect(s.deleteRange('k').revision).toBe(3);
  });

  it('tracks create_revision, mod_revision and version, and resets them after a delete', () => {
    const s = new Store();
    s.put('k', 'v1');
    s.put('k', 'v2');
    expect(s.get('k')).toEqual({ key: 'k', createRevision: 2, modRevision: 3, version: 2, value: 'v2', lease: 0n });
    s.deleteRange('k');
    s.put('k', 'v3');
    expect(s.get('k')).toEqual({ key: 'k', createRevision: 5, modRevision: 5, version: 1, value: 'v3', lease: 0n });
  });
});

describe('Store.range', () => {
  it.each<[string, string, RangeOptions, string[]]>([
    ['one key', '/a', {}, ['/a=11']],
    ['a missing key', '/b', {}, []],
    ['a prefix', '/', { prefix: true }, ['/a=11', '/c=3']],
    ['[key, rangeEnd)', '/a', { rangeEnd: '/c' }, ['/a=11']],
    ['from key', '/b', { rangeEnd: '\0' }, ['/c=3']],
    ['at a past revision', '/', { prefix: true, revision: 3 }, ['/a=1', '/b=2']],
    ['a deleted key at a past revision', '/b', { revision: 5 }, ['/b=2']],
    ['with a limit', '/', { prefix: true, limit: 1 }, ['/a=11']],
    ['descending by key', '/', { prefix: true, sortOrder: 'DESCEND' }, ['/c=3', '/a=11']],
    ['by mod revision, descending', '/', { prefix: true, sortTarget: 'MOD', sortOrder: 'DESCEND' }, ['/c=3', '/a=11']],
    ['by value', '/', { prefix: true, sortTarget: 'VALUE' }, ['/a=11', '/c=3']],
    ['keys only', '/a', { keysOnly: true }, ['/a=']],
  ])('reads %s', (_, key, options, want) => {
    expect(keys(seeded(), key, options)).toEqual(want);
  });

  it('counts the whole range and says when a limit left some out', () => {
    const r = seeded().range('/', { prefix: true, limit: 1 });
    expect([r.count, r.more]).toEqual([2, true]);
    const c = seeded().range('/', { prefix: true, countOnly: true });
    expect([c.kvs.length, c.count, c.more]).toEqual([0, 2, false]);
  });

  it.each([
    [7, 'etcdserver: mvcc: required revision is a future revision'],
    [2, 'etcdserver: mvcc: required revision has been compacted'],
  ])('rejects revision %i after compacting at 4', (revision, message) => {
    const s = seeded();
    s.compact(4);
    expect(() => s.range('/a', { revision })).toThrow(message);
  });

  it('keeps what a compacted revision still shows and drops tombstones', () => {
    const s = seeded();
    s.compact(6);
    expect(keys(s, '/', { prefix: true, revision: 6 })).toEqual(['/a=11', '/c=3']);
    expect(() => s.compact(6)).toThrow(CompactedError);
    expect(() => s.compact(9)).toThrow('etcdserver: mvcc: required revision is a future revision');
  });
});

describe('Store.txn', () => {
  it.each([
    ['MOD = 4 holds', { key: '/a', target: 'MOD', result: '=', value: 4 }, true],
    ['MOD = 2 fails', { key: '/a', target: 'MOD', result: '=', value: 2 }, false],
    ['VERSION > 1 holds', { key: '/a', target: 'VERSION', result: '>', value: 1 }, true],
    ['CREATE = 0 holds for a missing key', { key: '/b', target: 'CREATE', result: '=', value: 0 }, true],
    ['VALUE = x fails for a missing key', { key: '/b', target: 'VALUE', result: '!=', value: 'x' }, false],
    ['VALUE < 2 holds for "11"', { key: '/a', target: 'VALUE', result: '<', value: '2' }, true],
    ['LEASE = 0 holds', { key: '/a', target: 'LEASE', result: '=', value: 0n }, true],
    ['a range compare needs every key', { key: '/a', rangeEnd: '/d', target: 'VERSION', result: '=', value: 1 }, false],
  ] as const)('%s', (_, compare, want) => {
    const s = seeded();
    const r = s.txn({ compare: [compare], success: [{ type: 'put', key: '/ok', value: 'y' }], failure: [{ type: 'range', key: '/a' }] });
    expect(r.succeeded).toBe(want);
    expect(s.get('/ok') !== undefined).toBe(want);
  });

  it('applies all its writes at one revision and reads its own writes', () => {
    const s = seeded();
    const r = s.txn({
      success: [
        { type: 'put', key: '/x', value: '1' },
        { type: 'deleteRange', key: '/c', options: { prevKv: true } },
        { type: 'range', key: '/x' },
      ],
    });
    expect(r.revision).toBe(7);
    expect(s.get('/x')!.modRevision).toBe(7);
    expect(r.responses[1]).toMatchObject({ type: 'deleteRange', deleted: 1, prevKvs: [{ key: '/c', value: '3' }] });
    expect(r.responses[2]).toMatchObject({ type: 'range', count: 1 });
  });

  it('does not bump the revision when the chosen branch only reads', () => {
    const s = seeded();
    expect(s.txn({ success: [{ type: 'range', key: '/a' }] }).revision).toBe(6);
  });
});

describe('Store.watch', () => {
  const record = (log: string[]) => (events: WatchEvent[], revision: number) =>
    log.push(`${revision}: ${events.map((e) => `${e.type} ${e.kv.key}=${e.kv.value}${e.prevKv ? ` (was ${e.prevKv.value})` : ''}`).join(', ')}`);

  it('replays history from a start revision, then follows live writes', () => {
    const s = seeded();
    const log: string[] = [];
    s.watch('/', { prefix: true, startRevision: 4, prevKv: true }, record(log));
    s.put('/d', '4');
    expect(log).toEqual(['4: PUT /a=11 (was 1)', '5: PUT /c=3', '6: DELETE /b= (was 2)', '7: PUT /d=4']);
  });

  it('delivers only its key range, without prevKv unless asked, and stops on cancel', () => {
    const s = new Store();
    const log: string[] = [];
    const w = s.watch('/a', {}, record(log));
    s.put('/a', '1');
    s.put('/ab', '2');
    s.put('/a', '3');
    w.cancel();
    s.put('/a', '4');
    expect(log).toEqual(['2: PUT /a=1', '4: PUT /a=3']);
  });

  it('fails with the compact revision when starting below it', () => {
    const s = seeded();
    s.compact(5);
    expect(() => s.watch('/', { prefix: true, startRevision: 4 }, () => {})).toThrow(new CompactedError(5));
    const log: string[] = [];
    s.watch('/', { prefix: true, startRevision: 5 }, record(log));
    expect(log).toEqual(['5: PUT /c=3', '6: DELETE /b=']);
  });

  it('keeps revision order for everyone when a listener writes', () => {
    const s = new Store();
    const first: string[] = [];
    const second: string[] = [];
    s.watch('/', { prefix: true }, (events, rev) => {
      first.push(`${rev}`);
      if (events[0]!.kv.key === '/trigger') s.put('/reaction', 'x');
    });
    s.watch('/', { prefix: true }, (_, rev) => second.push(`${rev}`));
    s.put('/trigger', 'go');
    expect(first).toEqual(['2', '3']);
    expect(second).toEqual(['2', '3']);
  });

  it('delivers one call per revision with every event of a txn', () => {
    const s = new Store();
    const log: string[] = [];
    s.watch('/', { prefix: true }, record(log));
    s.txn({ success: [{ type: 'put', key: '/x', value: '1' }, { type: 'put', key: '/y', value: '2' }] });
    expect(log).toEqual(['2: PUT /x=1, PUT /y=2']);
  });
});

describe('prefixEnd', () => {
  it.each([
    ['/registry/pods/', '/registry/pods0'],
    ['a', 'b'],
    ['', '\0'],
  ])('%j → %j', (key, end) => {
    expect(prefixEnd(key)).toBe(end);
  });
});

describe('Store speed', () => {
  it('creates 20,000 keys and reads each back without scanning', () => {
    const s = new Store();
    for (let i = 0; i < 20_000; i++) s.put(`/registry/pods/default/web-${i}`, `{"i":${i}}`);
    for (let i = 0; i < 20_000; i++) expect(s.get(`/registry/pods/default/web-${i}`)?.version).toBe(1);
    expect(s.range('/registry/pods/default/', { prefix: true, countOnly: true }).count).toBe(20_000);
    expect(s.revision).toBe(20_001);
  });

  it('is an EtcdError for future revisions', () => {
    expect(() => new Store().range('k', { revision: 5 })).toThrow(EtcdError);
  });
});

describe('Store introspection (for the diagrams)', () => {
  it('lists the retained events of a revision range with their previous values, and none once compacted', () => {
    const s = seeded();
    expect(s.events(4, 6).map((e) => `${e.kv.modRevision} ${e.type} ${e.kv.key}=${e.kv.value} prev=${e.prevKv?.value ?? '-'}`)).toEqual([
      '4 PUT /a=11 prev=1',
      '5 PUT /c=3 prev=-',
      '6 DELETE /b= prev=2',
    ]);
    expect(s.events(5, 5)).toHaveLength(1);
    s.compact(5);
    expect(s.events(1).map((e) => e.kv.modRevision)).toEqual([5, 6]);
  });

  it('lists live watchers with their range, start and next revision, and forgets cancelled ones', () => {
    const s = seeded();
    const a = s.watch('/a', { startRevision: 2, watcher: 'etcdctl watch' }, () => {});
    s.watch('/', { prefix: true }, () => {});
    expect(s.watchers()).toEqual([
      { key: '/a', startRevision: 2, nextRevision: 7, watcher: 'etcdctl watch' },
      { key: '/', rangeEnd: '0', startRevision: 0, nextRevision: 7 },
    ]);
    a.cancel();
    s.put('/x', '1');
    expect(s.watchers()).toEqual([{ key: '/', rangeEnd: '0', startRevision: 0, nextRevision: 8 }]);
  });
});
