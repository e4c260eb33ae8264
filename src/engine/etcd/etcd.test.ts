import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { SeededRng } from '../base/seededRng.ts';
import { Etcd, MAX_REQUEST_BYTES } from './etcd.ts';
import { snapshotStatus } from './snapshot.ts';
import type { WatchResponse } from './etcd.ts';

function member(seed = 1) {
  const clock = new Clock({ startTime: 0, paused: true });
  const etcd = new Etcd({ clock, rng: new SeededRng(seed) });
  return { clock, etcd };
}

const hex = (id: bigint) => id.toString(16).padStart(16, '0');

describe('Etcd requests', () => {
  it.each([
    ['an empty key', (e: Etcd) => e.put('', 'v'), 'etcdserver: key is not provided'],
    ['a value over 1.5 MiB', (e: Etcd) => e.put('k', 'x'.repeat(MAX_REQUEST_BYTES)), 'etcdserver: request is too large'],
    ['an unknown lease', (e: Etcd) => e.put('k', 'v', { lease: 0x1234n }), 'etcdserver: requested lease not found'],
    ['a txn putting one key twice', (e: Etcd) => e.txn({ success: [{ type: 'put', key: 'k', value: '1' }, { type: 'put', key: 'k', value: '2' }] }), 'etcdserver: duplicate key given in txn request'],
    ['a txn putting a key it deletes', (e: Etcd) => e.txn({ success: [{ type: 'deleteRange', key: 'a', options: { prefix: true } }, { type: 'put', key: 'ab', value: '2' }] }), 'etcdserver: duplicate key given in txn request'],
    ['a txn with 129 ops', (e: Etcd) => e.txn({ success: Array.from({ length: 129 }, (_, i) => ({ type: 'put' as const, key: `k${i}`, value: '' })) }), 'etcdserver: too many operations in txn request'],
    ['revoking an unknown lease', (e: Etcd) => e.leaseRevoke(1n), 'etcdserver: requested lease not found'],
    ['keeping an unknown lease alive', (e: Etcd) => e.leaseKeepAlive(1n), 'etcdserver: requested lease not found'],
  ])('rejects %s', (_, request, message) => {
    const { etcd } = member();
    expect(() => request(etcd)).toThrow(message);
    expect(etcd.revision).toBe(1);
  });

  it('accepts a value just under the limit', () => {
    const { etcd } = member();
    etcd.put('k', 'x'.repeat(MAX_REQUEST_BYTES - 1));
    expect(etcd.revision).toBe(2);
  });

  it('answers with a header naming the member, cluster, revision and raft term', () => {
    const { etcd } = member();
    const r = etcd.put('k', 'v');
    expect(r.header).toEqual({ clusterId: etcd.clusterId, memberId: etcd.memberId, revision: 2, raftTerm: 2 });
    expect(etcd.memberId).not.toBe(member(2).etcd.memberId);
  });
});

describe('Etcd leases', () => {
  it('grants IDs like etcd: the member prefix and a counter, 16 hex digits', () => {
    const { etcd } = member();
    const a = etcd.leaseGrant(60).id;
    const b = etcd.leaseGrant(60).id;
    expect(hex(a)).toMatch(/^[0-7][0-9a-f]{15}$/);
    expect(a >> 48n).toBe(etcd.memberId & 0x7fffn);
    expect(b - a).toBe(2n);
  });

  it.each([
    [1, 2],
    [60, 60],
  ])('grants TTL %is as %is (etcd raises TTLs to its minimum)', (ttl, granted) => {
    expect(member().etcd.leaseGrant(ttl).ttl).toBe(granted);
  });

  it('deletes every attached key in one revision when the lease expires', () => {
    const { clock, etcd } = member();
    const { id } = etcd.leaseGrant(10);
    etcd.put('/a', '1', { lease: id });
    etcd.put('/b', '2', { lease: id });
    etcd.put('/c', '3');
    const seen: WatchResponse[] = [];
    etcd.watch('/', { prefix: true }, (r) => seen.push(r));
    clock.advance(9_999);
    expect(etcd.leaseTimeToLive(id, { keys: true })).toMatchObject({ ttl: 0, grantedTtl: 10, keys: ['/a', '/b'] });
    clock.advance(1);
    expect(etcd.range('/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/c']);
    expect(seen.map((r) => [r.header.revision, r.events.map((e) => `${e.type} ${e.kv.key}`)])).toEqual([[5, ['DELETE /a', 'DELETE /b']]]);
    expect(etcd.leaseTimeToLive(id)).toMatchObject({ ttl: -1, grantedTtl: 0 });
  });

  it('keeps a lease alive and moves a key off it when put without it', () => {
    const { clock, etcd } = member();
    const { id } = etcd.leaseGrant(10);
    etcd.put('/a', '1', { lease: id });
    etcd.put('/b', '1', { lease: id });
    etcd.put('/b', '2');
    clock.advance(8_000);
    expect(etcd.leaseKeepAlive(id).ttl).toBe(10);
    clock.advance(8_500);
    expect(etcd.leaseTimeToLive(id, { keys: true })).toMatchObject({ ttl: 1, keys: ['/a'] });
    clock.advance(1_500);
    expect(etcd.range('/', { prefix: true }).kvs.map((kv) => kv.key)).toEqual(['/b']);
  });

  it('revokes a lease by hand and lists the rest', () => {
    const { etcd } = member();
    const a = etcd.leaseGrant(60).id;
    const b = etcd.leaseGrant(60).id;
    etcd.put('/k', 'v', { lease: a });
    etcd.leaseRevoke(a);
    expect(etcd.range('/k').count).toBe(0);
    expect(etcd.leaseLeases().leases).toEqual([b]);
  });
});

describe('Etcd maintenance', () => {
  it('auto-compacts to the revision seen one period earlier', () => {
    const { clock, etcd } = member();
    etcd.autoCompact(300_000);
    etcd.put('k', '1');
    clock.advance(299_999);
    expect(etcd.compactRevision).toBe(0);
    clock.advance(1);
    expect(etcd.compactRevision).toBe(1);
    etcd.put('k', '2');
    clock.advance(300_000);
    expect(etcd.compactRevision).toBe(2);
    expect(() => etcd.range('k', { revision: 1 })).toThrow('etcdserver: mvcc: required revision has been compacted');
  });

  it('reports status as etcdctl endpoint status reads it', () => {
    const { etcd } = member();
    const before = etcd.status();
    expect(before).toMatchObject({ version: '3.5.16', dbSize: 20_480, leader: etcd.memberId, raftTerm: 2, raftIndex: 4, isLearner: false, errors: [] });
    etcd.put('k', 'x'.repeat(100_000));
    etcd.deleteRange('k');
    const after = etcd.status();
    expect(after.raftIndex).toBe(6);
    expect(after.header.revision).toBe(3);
    expect(after.dbSize).toBeGreaterThan(100_000);
    etcd.compact(3);
    expect(etcd.status().dbSize).toBe(after.dbSize);
    expect(etcd.status().dbSizeInUse).toBeLessThan(after.dbSize);
  });

  it('restores a snapshot with its revision, history and leases', () => {
    const { clock, etcd } = member();
    const { id } = etcd.leaseGrant(30);
    etcd.put('/a', '1');
    etcd.put('/a', '2');
    etcd.put('/l', 'leased', { lease: id });
    etcd.deleteRange('/gone');
    const snap = etcd.snapshot();
    const restored = Etcd.restore(snap, { clock, rng: new SeededRng(9) });
    expect(restored.revision).toBe(4);
    expect(restored.memberId).toBe(etcd.memberId);
    expect(restored.range('/a', { revision: 2 }).kvs[0]!.value).toBe('1');
    expect(restored.range('/a').kvs[0]).toEqual(etcd.range('/a').kvs[0]);
    expect(restored.leaseTimeToLive(id, { keys: true }).keys).toEqual(['/l']);
    clock.advance(30_000);
    expect(restored.range('/l').count).toBe(0);
    expect(snapshotStatus(snap)).toEqual({ hash: expect.any(Number), revision: 4, totalKey: 4, totalSize: snap.length });
  });

  it('refuses a snapshot whose hash does not match', () => {
    const { clock, etcd } = member();
    etcd.put('/a', '1');
    const bad = etcd.snapshot().replace('"1"', '"2"');
    expect(() => Etcd.restore(bad, { clock, rng: new SeededRng(1) })).toThrow('snapshot file integrity check failed');
  });
});

describe('Etcd speed', () => {
  it('does 10,000 creates and 50,000 gets quickly', () => {
    const { etcd } = member();
    for (let i = 0; i < 10_000; i++) etcd.txn({ compare: [{ key: `/registry/pods/ns/p${i}`, target: 'MOD', result: '=', value: 0 }], success: [{ type: 'put', key: `/registry/pods/ns/p${i}`, value: '{}' }] });
    for (let i = 0; i < 50_000; i++) etcd.range(`/registry/pods/ns/p${i % 10_000}`);
    expect(etcd.revision).toBe(10_001);
  });
});
