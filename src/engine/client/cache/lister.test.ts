import { describe, expect, it } from 'vitest';
import { parseSelector } from '../../api/labels/selector.ts';
import type { KubeObject } from '../rest/restClient.ts';
import { NAMESPACE_INDEX, metaNamespaceIndexFunc, newIndexer } from './indexer.ts';
import { Lister } from './lister.ts';

function obj(namespace: string, name: string, labels: Record<string, string>): KubeObject {
  return { metadata: { name, ...(namespace ? { namespace } : {}), labels } };
}

const objects = [obj('prod', 'web-1', { app: 'web', tier: 'front' }), obj('prod', 'db-1', { app: 'db' }), obj('dev', 'web-2', { app: 'web' }), obj('', 'node-1', { zone: 'a' })];

describe.each([
  ['with the namespace index', true],
  ['without it (a scan)', false],
])('Lister %s', (_name, indexed) => {
  const indexer = newIndexer<KubeObject>(indexed ? { [NAMESPACE_INDEX]: metaNamespaceIndexFunc } : {});
  for (const o of objects) indexer.add(o);
  const lister = new Lister(indexer);
  const names = (list: KubeObject[]) => list.map((o) => o.metadata?.name).sort();

  it.each([
    ['', undefined, ['db-1', 'node-1', 'web-1', 'web-2']],
    ['', 'app=web', ['web-1', 'web-2']],
    ['prod', undefined, ['db-1', 'web-1']],
    ['prod', 'app=web', ['web-1']],
    ['prod', 'app in (web,db),tier!=front', ['db-1']],
    ['dev', 'app=db', []],
    ['nowhere', undefined, []],
  ])('byNamespace(%j).list(%j)', (namespace, selector, expected) => {
    expect(names(lister.byNamespace(namespace).list(selector === undefined ? undefined : parseSelector(selector)))).toEqual(expected);
  });

  it('list() across namespaces filters by selector', () => {
    expect(names(lister.list(parseSelector('zone')))).toEqual(['node-1']);
  });

  it.each([
    ['prod', 'web-1', 'web-1'],
    ['dev', 'web-1', undefined],
  ])('byNamespace(%j).get(%j)', (namespace, name, found) => {
    expect(lister.byNamespace(namespace).get(name)?.metadata?.name).toBe(found);
  });

  it('get() reads a cluster-scoped object by name', () => {
    expect(lister.get('node-1')?.metadata?.labels).toEqual({ zone: 'a' });
    expect(lister.get('web-1')).toBeUndefined();
  });
});
