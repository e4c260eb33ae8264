import { describe, expect, it } from 'vitest';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { SeededRng } from '../../base/seededRng.ts';
import { SharedInformerFactory } from '../../client/cache/sharedInformer.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import {
  controllerRevisionName,
  equalRevision,
  findEqualRevisions,
  hashControllerRevision,
  History,
  maxRevision,
  newControllerRevision,
  revisionsToTruncate,
  sortControllerRevisions,
  type ControllerRevisionObject,
} from './controllerHistory.ts';

const parent: KubeObject = { metadata: { name: 'web', namespace: 'default', uid: 'uid-1' } };

function rev(name: string, revision: number, data: unknown = { v: name }, creationTimestamp?: string): ControllerRevisionObject {
  return { metadata: { name, ...(creationTimestamp ? { creationTimestamp } : {}) }, data: data as ControllerRevisionObject['data'], revision };
}

describe('ControllerRevision names and hashes', () => {
  it('names a revision <owner>-<hash>, labels it with the hash and points it at its owner', () => {
    const cr = newControllerRevision(parent, 'apps/v1', 'StatefulSet', { app: 'web' }, { spec: { template: { x: 1 } } }, 3);
    const hash = cr.metadata!.labels!['controller-revision-hash']!;
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(cr.metadata).toMatchObject({ name: `web-${hash}`, labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true }] });
    expect(cr.revision).toBe(3);
  });

  it.each([
    ['equal data, any key order', { a: 1, b: [1, 2] }, undefined, { b: [1, 2], a: 1 }, undefined, true],
    ['other data', { a: 1 }, undefined, { a: 2 }, undefined, false],
    ['a collision count changes the hash', { a: 1 }, undefined, { a: 1 }, 1, false],
    ['the same collision count gives the same hash', { a: 1 }, 2, { a: 1 }, 2, true],
  ])('hashControllerRevision: %s', (_name, d1, p1, d2, p2, same) => {
    expect(hashControllerRevision(rev('x', 1, d1), p1) === hashControllerRevision(rev('x', 1, d2), p2)).toBe(same);
  });

  it('cuts a long owner name so the revision name stays valid', () => {
    expect(controllerRevisionName('a'.repeat(300), 'h')).toBe(`${'a'.repeat(223)}-h`);
  });
});

describe('revision lists', () => {
  it('sorts by revision, then creation time, then name', () => {
    const sorted = sortControllerRevisions([rev('c', 2), rev('b', 1, {}, '2026-01-01T00:00:02Z'), rev('a', 1, {}, '2026-01-01T00:00:02Z'), rev('d', 1, {}, '2026-01-01T00:00:01Z')]);
    expect(sorted.map((r) => r.metadata?.name)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('finds equal revisions by their data and the highest revision number', () => {
    const revisions = [rev('a', 1, { t: 1 }), rev('b', 2, { t: 2 }), rev('c', 4, { t: 1 })];
    expect(findEqualRevisions(revisions, rev('x', 9, { t: 1 })).map((r) => r.metadata?.name)).toEqual(['a', 'c']);
    expect(equalRevision(undefined, undefined)).toBe(true);
    expect(equalRevision(revisions[0], undefined)).toBe(false);
    expect(maxRevision(revisions)).toBe(4);
    expect(maxRevision([])).toBe(0);
  });

  it.each([
    ['nothing in excess', ['r1', 'r2', 'r3'], [], 0, []],
    ['the oldest first', ['r1', 'r2', 'r3'], [], 2, ['r1', 'r2']],
    ['live ones are skipped', ['r1', 'r2', 'r3'], ['r1'], 1, ['r2']],
    ['never more than there are', ['r1', 'r2'], ['r2'], 5, ['r1']],
  ])('revisionsToTruncate: %s', (_name, names, live, excess, deleted) => {
    const revisions = names.map((n, i) => rev(n, i + 1));
    expect(revisionsToTruncate(revisions, (r) => live.includes(r.metadata?.name ?? ''), excess).map((r) => r.metadata?.name)).toEqual(deleted);
  });
});

describe('History over the API', () => {
  async function setup() {
    const tc = await TestCluster.start();
    const factory = new SharedInformerFactory(tc.client, { clock: tc.clock, rng: new SeededRng(1) });
    const informer = factory.informerFor<ControllerRevisionObject>(RESOURCES.controllerrevisions);
    factory.start();
    await tc.tick(100);
    const history = new History(tc.client.resource<ControllerRevisionObject>(RESOURCES.controllerrevisions), informer.lister());
    return { tc, history, stop: () => (factory.shutdown(), tc.stop()) };
  }

  it('creates a revision, returns an equal existing one, and bumps the collision count past a taken name', async () => {
    const { tc, history, stop } = await setup();
    const wanted = newControllerRevision(parent, 'apps/v1', 'StatefulSet', { app: 'web' }, { v: 1 }, 1, 0);
    // Another revision already holds the name this one hashes to.
    await tc.client.resource(RESOURCES.controllerrevisions).create('default', { ...rev(wanted.metadata!.name!, 1, { other: true }), apiVersion: 'apps/v1', kind: 'ControllerRevision' });
    const created = await history.createControllerRevision(parent, wanted, 0);
    expect(created.collisionCount).toBe(1);
    expect(created.revision.metadata?.name).toBe(`web-${hashControllerRevision(wanted, 1)}`);
    const again = await history.createControllerRevision(parent, wanted, 1);
    expect(again).toMatchObject({ collisionCount: 1, revision: { metadata: { uid: created.revision.metadata?.uid } } });
    stop();
  });

  it('renumbers a revision, lists the owned and orphaned ones that match, and adopts an orphan', async () => {
    const { tc, history, stop } = await setup();
    const owned = (await history.createControllerRevision(parent, newControllerRevision(parent, 'apps/v1', 'StatefulSet', { app: 'web' }, { v: 1 }, 1), 0)).revision;
    await tc.client.resource(RESOURCES.controllerrevisions).create('default', { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'orphan', labels: { app: 'web' } }, data: { v: 2 }, revision: 2 });
    await tc.client.resource(RESOURCES.controllerrevisions).create('default', { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'other', labels: { app: 'db' } }, data: { v: 3 }, revision: 1 });
    await tc.tick(100);
    const renumbered = await history.updateControllerRevision(owned, 5);
    expect(renumbered.revision).toBe(5);
    const listed = history.listControllerRevisions(parent, labelSelectorAsSelector({ matchLabels: { app: 'web' } }));
    expect(listed.map((r) => r.metadata?.name).sort()).toEqual(['orphan', owned.metadata?.name].sort());
    const adopted = await history.adoptControllerRevision(parent, 'apps/v1', 'StatefulSet', listed.find((r) => r.metadata?.name === 'orphan')!);
    expect(adopted.metadata?.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-1', controller: true, blockOwnerDeletion: true }]);
    await expect(history.adoptControllerRevision(parent, 'apps/v1', 'StatefulSet', adopted)).rejects.toThrow(/attempt to adopt revision owned by/);
    stop();
  });
});
