import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../rest/restClient.ts';
import { NAMESPACE_INDEX, metaNamespaceIndexFunc, newIndexer, newStore } from './indexer.ts';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, metaNamespaceKeyFunc, splitMetaNamespaceKey } from './store.ts';

function obj(key: string, labels: Record<string, string> = {}, rv = '1'): KubeObject {
  const { namespace, name } = splitMetaNamespaceKey(key);
  return { metadata: { name, ...(namespace ? { namespace } : {}), labels, resourceVersion: rv } };
}

const byApp = (o: KubeObject) => (o.metadata?.labels?.app ? o.metadata.labels.app.split(',') : []);

describe('keys', () => {
  it.each([
    [{ metadata: { name: 'web', namespace: 'prod' } }, 'prod/web'],
    [{ metadata: { name: 'node-1' } }, 'node-1'],
    [{ metadata: { name: 'n', namespace: '' } }, 'n'],
    ['explicit/key', 'explicit/key'],
  ])('metaNamespaceKeyFunc(%j) = %s', (o, key) => {
    expect(metaNamespaceKeyFunc(o)).toBe(key);
  });

  it('refuses an object without metadata', () => {
    expect(() => metaNamespaceKeyFunc({})).toThrow('object has no meta');
  });

  it('takes a DeletedFinalStateUnknown by its key', () => {
    expect(deletionHandlingMetaNamespaceKeyFunc(new DeletedFinalStateUnknown('a/b', undefined))).toBe('a/b');
  });

  it.each([
    ['prod/web', { namespace: 'prod', name: 'web' }],
    ['node-1', { namespace: '', name: 'node-1' }],
  ])('splitMetaNamespaceKey(%s)', (key, parts) => {
    expect(splitMetaNamespaceKey(key)).toEqual(parts);
  });

  it('refuses a key with two slashes', () => {
    expect(() => splitMetaNamespaceKey('a/b/c')).toThrow('unexpected key format: "a/b/c"');
  });
});

type Op = ['add' | 'update' | 'delete', KubeObject] | ['replace', KubeObject[]] | ['deleteUnknown', string];

describe('Indexer', () => {
  it.each<{ name: string; ops: Op[]; keys: string[]; apps: Record<string, string[]>; namespaces: string[] }>([
    {
      name: 'adds index under every value',
      ops: [['add', obj('a/x', { app: 'web' })], ['add', obj('b/y', { app: 'web,db' })], ['add', obj('z')]],
      keys: ['a/x', 'b/y', 'z'],
      apps: { web: ['a/x', 'b/y'], db: ['b/y'] },
      namespaces: ['a', 'b', ''],
    },
    {
      name: 'an update moves the key between values and drops emptied values',
      ops: [['add', obj('a/x', { app: 'web' })], ['update', obj('a/x', { app: 'db' })]],
      keys: ['a/x'],
      apps: { db: ['a/x'] },
      namespaces: ['a'],
    },
    {
      name: 'delete removes from items and indices',
      ops: [['add', obj('a/x', { app: 'web' })], ['add', obj('a/y', { app: 'web' })], ['delete', obj('a/x')]],
      keys: ['a/y'],
      apps: { web: ['a/y'] },
      namespaces: ['a'],
    },
    {
      name: 'a DeletedFinalStateUnknown deletes by key',
      ops: [['add', obj('a/x', { app: 'web' })], ['deleteUnknown', 'a/x']],
      keys: [],
      apps: {},
      namespaces: [],
    },
    {
      name: 'deleting an absent key is a no-op',
      ops: [['add', obj('a/x', { app: 'web' })], ['delete', obj('a/nope')]],
      keys: ['a/x'],
      apps: { web: ['a/x'] },
      namespaces: ['a'],
    },
    {
      name: 'replace rebuilds everything',
      ops: [['add', obj('a/x', { app: 'web' })], ['replace', [obj('b/y', { app: 'db' }), obj('b/z')]]],
      keys: ['b/y', 'b/z'],
      apps: { db: ['b/y'] },
      namespaces: ['b'],
    },
  ])('$name', ({ ops, keys, apps, namespaces }) => {
    const indexer = newIndexer<KubeObject>({ [NAMESPACE_INDEX]: metaNamespaceIndexFunc, app: byApp });
    for (const op of ops) {
      if (op[0] === 'replace') indexer.replace(op[1], '10');
      else if (op[0] === 'deleteUnknown') indexer.delete(new DeletedFinalStateUnknown<KubeObject>(op[1], undefined));
      else indexer[op[0]](op[1]);
    }
    expect(indexer.listKeys()).toEqual(keys);
    expect(indexer.list().map((o) => metaNamespaceKeyFunc(o))).toEqual(keys);
    expect(Object.fromEntries(indexer.listIndexFuncValues('app').map((v) => [v, indexer.indexKeys('app', v)]))).toEqual(apps);
    expect(indexer.listIndexFuncValues(NAMESPACE_INDEX)).toEqual(namespaces);
    for (const [value, valueKeys] of Object.entries(apps)) expect(indexer.byIndex('app', value).map((o) => metaNamespaceKeyFunc(o))).toEqual(valueKeys);
  });

  it('index() finds objects sharing any value with the given object', () => {
    const indexer = newIndexer<KubeObject>({ app: byApp });
    indexer.add(obj('a/x', { app: 'web' }));
    indexer.add(obj('a/y', { app: 'db' }));
    indexer.add(obj('a/z', { app: 'cache' }));
    expect(indexer.index('app', obj('q', { app: 'web,db' })).map((o) => o.metadata?.name)).toEqual(['x', 'y']);
  });

  it('get and getByKey read the stored object', () => {
    const store = newStore<KubeObject>();
    store.add(obj('a/x', {}, '1'));
    store.update(obj('a/x', {}, '2'));
    expect(store.get(obj('a/x'))?.metadata?.resourceVersion).toBe('2');
    expect(store.getByKey('a/x')?.metadata?.resourceVersion).toBe('2');
    expect(store.getByKey('a/y')).toBeUndefined();
  });

  it('builds an index added while items exist', () => {
    const indexer = newIndexer<KubeObject>();
    indexer.add(obj('a/x', { app: 'web' }));
    indexer.addIndexers({ app: byApp });
    expect(indexer.indexKeys('app', 'web')).toEqual(['a/x']);
    expect(Object.keys(indexer.getIndexers())).toEqual(['app']);
  });

  it.each([
    ['byIndex', (i: ReturnType<typeof newIndexer<KubeObject>>) => i.byIndex('nope', 'x')],
    ['indexKeys', (i: ReturnType<typeof newIndexer<KubeObject>>) => i.indexKeys('nope', 'x')],
    ['listIndexFuncValues', (i: ReturnType<typeof newIndexer<KubeObject>>) => i.listIndexFuncValues('nope')],
  ])('%s on an unknown index throws', (_name, call) => {
    expect(() => call(newIndexer<KubeObject>())).toThrow('Index with name nope does not exist');
  });

  it('refuses to redefine an index', () => {
    const indexer = newIndexer<KubeObject>({ app: byApp });
    expect(() => indexer.addIndexers({ app: byApp })).toThrow('indexer conflict: app');
  });
});
