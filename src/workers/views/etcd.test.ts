/** The `etcd` view on a real lab: the tree to the open depth, revisions and their diffs, a key, the watches, compaction, bad args. */
import { describe, expect, it } from 'vitest';
import { defaultCluster } from '../../engine/testing/scenarios/scenario.ts';
import { etcdView, type EtcdArgs, type EtcdView, type TreeRow } from './etcd.ts';

const OPEN = ['/registry', '/registry/deployments', '/registry/deployments/default'];
const rows = (view: EtcdView) => view.tree.filter((r): r is TreeRow => 'path' in r);

describe('etcd view', () => {
  it('shows the key tree to the open depth, the revisions, one revision diff, one key, the watches and compaction', async () => {
    const s = await defaultCluster();
    const lab = s.lab;
    const view = (args: EtcdArgs) => etcdView.compute(lab, etcdView.parse(args));

    // Closed: /registry alone, with its count.
    const closed = view({});
    expect(closed.tree).toEqual([{ path: '/registry', name: '/registry', depth: 0, keys: closed.keyCount, branch: true, open: false }]);
    expect(closed.keyCount).toBe(lab.cluster.etcd.range('/registry/', { prefix: true, countOnly: true }).count);

    await s.out('kubectl create deployment web --image=nginx');
    const key = '/registry/deployments/default/web';
    const created = lab.cluster.etcd.range(key).kvs[0]!;
    const open = view({ expanded: OPEN, key, revision: created.createRevision, quiet: true });
    const resources = rows(open).filter((r) => r.depth === 1);
    expect(resources.map((r) => r.name)).toEqual(expect.arrayContaining(['deployments', 'pods', 'namespaces']));
    expect(resources.find((r) => r.name === 'pods')).toMatchObject({ branch: true, open: false });
    expect(resources.reduce((n, r) => n + r.keys, 0)).toBe(open.keyCount);
    expect(rows(open).find((r) => r.path === key)).toMatchObject({ depth: 3, keys: 1, branch: false, key: { createRevision: created.createRevision, modRevision: created.modRevision, version: created.version } });
    expect(open.selectedKey).toMatchObject({ state: 'live', key, value: created.value });
    expect(open.revisions.map((r) => r.revision)).toEqual(expect.arrayContaining([created.createRevision, created.modRevision]));
    expect(open.revisions.every((r) => r.changes.some((c) => !c.key.startsWith('/registry/leases/') && !c.key.startsWith('/registry/events/')))).toBe(true);
    const createdAt = open.selectedRevision;
    const first = lab.cluster.etcd.range(key, { revision: created.createRevision }).kvs[0]!;
    expect(createdAt).toMatchObject({ state: 'ok', revision: created.createRevision });
    expect(createdAt?.state === 'ok' && createdAt.changes).toEqual([{ type: 'PUT', key, after: first.value, version: 1, createRevision: created.createRevision }]);

    // An update: the revision's change has the value before and after.
    await s.out('kubectl scale deployment web --replicas=3');
    const scaled = lab.cluster.etcd.range(key).kvs[0]!;
    const afterScale = view({ quiet: true });
    const specChanges = afterScale.revisions
      .filter((r) => r.changes.some((c) => c.key === key && c.version > 1))
      .map((r) => view({ revision: r.revision }).selectedRevision)
      .flatMap((d) => (d?.state === 'ok' ? d.changes.filter((c) => c.key === key) : []))
      .map((c) => [JSON.parse(c.before!).spec.replicas, JSON.parse(c.after!).spec.replicas]);
    expect(specChanges).toContainEqual([1, 3]);

    // The apiserver's watch cache follows each resource's prefix.
    expect(afterScale.watches).toEqual(expect.arrayContaining([expect.objectContaining({ key: '/registry/pods/', prefix: true, watcher: 'kube-apiserver watch cache' })]));
    expect(afterScale.watchCount).toBeGreaterThanOrEqual(afterScale.watches.length);

    // A deleted key says so; a compacted revision too; a future one.
    await s.out('kubectl delete deployment web');
    const deleted = view({ key, revision: lab.cluster.etcd.revision + 5 });
    expect(deleted.selectedKey).toMatchObject({ state: 'deleted', key });
    expect(deleted.selectedKey?.state === 'deleted' && deleted.selectedKey.deletedAt).toBeGreaterThan(scaled.modRevision);
    expect(deleted.selectedRevision).toEqual({ state: 'future', revision: lab.cluster.etcd.revision + 5 });
    lab.cluster.etcd.compact(lab.cluster.etcd.revision);
    const compacted = view({ revision: created.modRevision });
    expect(compacted.selectedRevision).toEqual({ state: 'compacted', revision: created.modRevision });
    expect(compacted.compactRevision).toBe(lab.cluster.etcd.revision);
    // History starts at the compacted revision: etcd keeps that one.
    expect(compacted.revisions.map((r) => r.revision)).toEqual([compacted.compactRevision]);
    expect(view({ revision: compacted.compactRevision }).selectedRevision?.state).toBe('ok');
  }, 60_000);

  it('keeps the version while etcd is quiet', async () => {
    const s = await defaultCluster();
    const fingerprint = etcdView.version;
    if (!fingerprint) throw new Error('the etcd view has a version');
    const version = () => fingerprint(s.lab, {});
    const before = version();
    expect(version()).toBe(before);
    await s.out('kubectl create namespace quiet');
    expect(version()).not.toBe(before);
  }, 60_000);

  it.each([
    ['a string', 'etcd: args must be an object'],
    [{ expanded: '/registry' }, 'etcd: expanded must be an array'],
    [{ key: '' }, 'etcd: key must be a non-empty string'],
    [{ revision: 0 }, 'etcd: revision must be a positive integer, got 0'],
    [{ quiet: 'yes' }, 'etcd: quiet must be a boolean'],
  ])('refuses bad args %j', (args, message) => {
    expect(() => etcdView.parse(args)).toThrow(message);
  });
});
