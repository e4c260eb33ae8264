import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../rest/restClient.ts';
import { DeltaFifo, type Deltas } from './deltaFifo.ts';
import { newStore } from './indexer.ts';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc } from './store.ts';

function obj(name: string, rv = '1'): KubeObject {
  return { metadata: { name, namespace: 'ns', resourceVersion: rv } };
}

/** A delta as a short string: "Added ns/a@1", "Deleted ns/a (unknown@1)". */
function show(deltas: Deltas<KubeObject>): string[] {
  return deltas.map(({ type, object }) => {
    if (object instanceof DeletedFinalStateUnknown) return `${type} ${object.key} (unknown@${object.obj?.metadata?.resourceVersion ?? '-'})`;
    return `${type} ${object.metadata?.namespace}/${object.metadata?.name}@${object.metadata?.resourceVersion}`;
  });
}

async function drain(fifo: DeltaFifo<KubeObject>): Promise<Array<{ key: string; deltas: string[]; initial: boolean }>> {
  const out: Array<{ key: string; deltas: string[]; initial: boolean }> = [];
  while (fifo.length > 0) {
    await fifo.pop((deltas, initial) => out.push({ key: fifo.keyOf(deltas), deltas: show(deltas), initial }));
  }
  return out;
}

type Step = (fifo: DeltaFifo<KubeObject>) => void;

describe('DeltaFifo', () => {
  it.each<{ name: string; known?: KubeObject[]; steps: Step[]; popped: Record<string, string[]> }>([
    {
      name: 'accumulates deltas per key, in order',
      steps: [(f) => f.add(obj('a')), (f) => f.update(obj('a', '2')), (f) => f.add(obj('b'))],
      popped: { 'ns/a': ['Added ns/a@1', 'Updated ns/a@2'], 'ns/b': ['Added ns/b@1'] },
    },
    {
      name: 'a delete of a key it never had and no consumer has is dropped',
      steps: [(f) => f.delete(obj('a'))],
      popped: {},
    },
    {
      name: 'a delete of a key the consumer has is queued',
      known: [obj('a')],
      steps: [(f) => f.delete(obj('a', '2'))],
      popped: { 'ns/a': ['Deleted ns/a@2'] },
    },
    {
      name: 'two deletes in a row collapse, keeping the watched one over the unknown',
      known: [obj('a')],
      steps: [(f) => f.delete(obj('a', '2')), (f) => f.delete(new DeletedFinalStateUnknown('ns/a', obj('a', '1')))],
      popped: { 'ns/a': ['Deleted ns/a@2'] },
    },
    {
      name: 'an unknown delete followed by a watched one keeps the watched one',
      known: [obj('a')],
      steps: [(f) => f.delete(new DeletedFinalStateUnknown('ns/a', obj('a', '1'))), (f) => f.delete(obj('a', '3'))],
      popped: { 'ns/a': ['Deleted ns/a@3'] },
    },
    {
      name: 'replace: Replaced for listed objects, Deleted(unknown) for known keys not listed',
      known: [obj('a'), obj('gone', '7')],
      steps: [(f) => f.replace([obj('a', '2'), obj('new')], '9')],
      popped: { 'ns/a': ['Replaced ns/a@2'], 'ns/new': ['Replaced ns/new@1'], 'ns/gone': ['Deleted ns/gone (unknown@7)'] },
    },
    {
      name: 'replace: a key only in the queue is deleted with its newest object',
      steps: [(f) => f.add(obj('q', '3')), (f) => f.replace([], '9')],
      popped: { 'ns/q': ['Added ns/q@3', 'Deleted ns/q (unknown@3)'] },
    },
    {
      name: 'replace: a queued key already deleted is not deleted twice',
      known: [obj('a')],
      steps: [(f) => f.delete(obj('a', '2')), (f) => f.replace([], '9')],
      popped: { 'ns/a': ['Deleted ns/a@2'] },
    },
    {
      name: 'resync queues Sync for known objects with nothing pending',
      known: [obj('a'), obj('b')],
      steps: [(f) => f.update(obj('b', '2')), (f) => f.resync()],
      popped: { 'ns/b': ['Updated ns/b@2'], 'ns/a': ['Sync ns/a@1'] },
    },
    {
      name: 'resync without knownObjects does nothing',
      steps: [(f) => f.resync()],
      popped: {},
    },
  ])('$name', async ({ known, steps, popped }) => {
    let fifo: DeltaFifo<KubeObject>;
    if (known) {
      const store = newStore<KubeObject>();
      for (const o of known) store.add(o);
      fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc, knownObjects: store });
    } else {
      fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc });
    }
    for (const step of steps) step(fifo);
    const out = await drain(fifo);
    expect(Object.fromEntries(out.map((o) => [o.key, o.deltas]))).toEqual(popped);
    expect(out.map((o) => o.key)).toEqual(Object.keys(popped));
  });

  it('pops keys in first-queued order and queues a key again if it changes while being processed', async () => {
    const fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc });
    fifo.add(obj('a'));
    fifo.add(obj('b'));
    fifo.update(obj('a', '2'));
    const seen: string[] = [];
    await fifo.pop((d) => {
      seen.push(...show(d));
      fifo.update(obj('a', '3'));
    });
    await fifo.pop((d) => seen.push(...show(d)));
    await fifo.pop((d) => seen.push(...show(d)));
    expect(seen).toEqual(['Added ns/a@1', 'Updated ns/a@2', 'Added ns/b@1', 'Updated ns/a@3']);
  });

  it('hasSynced after the first replace has been popped entirely; isInInitialList until then', async () => {
    const fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc });
    expect(fifo.hasSynced()).toBe(false);
    fifo.replace([obj('a'), obj('b')], '5');
    fifo.add(obj('c'));
    const flags: Array<[string, boolean, boolean]> = [];
    for (let i = 0; i < 3; i++) {
      await fifo.pop((d, initial) => flags.push([fifo.keyOf(d), initial, fifo.hasSynced()]));
      flags.push(['after', false, fifo.hasSynced()]);
    }
    expect(flags).toEqual([
      ['ns/a', true, false],
      ['after', false, false],
      ['ns/b', true, false],
      ['after', false, true],
      ['ns/c', false, true],
      ['after', false, true],
    ]);
  });

  it('an empty first replace is synced at once', () => {
    const fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc });
    fifo.replace([], '1');
    expect(fifo.hasSynced()).toBe(true);
  });

  it('pop waits for an item; close wakes it with undefined', async () => {
    const fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc });
    const got: string[] = [];
    const first = fifo.pop((d) => got.push(...show(d)));
    await Promise.resolve();
    expect(got).toEqual([]);
    fifo.add(obj('a'));
    await first;
    expect(got).toEqual(['Added ns/a@1']);
    const second = fifo.pop(() => got.push('never'));
    fifo.close();
    expect(await second).toBeUndefined();
    expect(fifo.isClosed).toBe(true);
  });

  it('list, listKeys and getByKey show what is pending', () => {
    const fifo = new DeltaFifo<KubeObject>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc });
    fifo.add(obj('a'));
    fifo.update(obj('a', '2'));
    expect(fifo.listKeys()).toEqual(['ns/a']);
    expect(fifo.list().map((o) => (o as KubeObject).metadata?.resourceVersion)).toEqual(['2']);
    expect(show(fifo.getByKey('ns/a')!)).toEqual(['Added ns/a@1', 'Updated ns/a@2']);
    expect(fifo.getByKey('ns/b')).toBeUndefined();
  });
});
