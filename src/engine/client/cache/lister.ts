/**
 * Lister — client-go's generated listers (k8s.io/client-go/listers/…) and tools/cache/listers.go's
 * ListAll / ListAllByNamespace, generic over the object type: how controllers read an informer's cache.
 *
 * `list(selector)` lists every cached object whose labels match; `byNamespace(ns)` narrows to one
 * namespace, through the `namespace` index when the indexer has it (a scan otherwise). `get` answers
 * undefined where Go answers a NotFound error.
 *
 * The objects returned are the cache's own: never change them — copy (structuredClone) first, then write
 * through the API client. No selector means everything.
 */
import type { Selector } from '../../api/labels/selector.ts';
import type { KubeObject } from '../rest/restClient.ts';
import { NAMESPACE_INDEX, type Indexer } from './indexer.ts';

function matches(selector: Selector | undefined, obj: KubeObject): boolean {
  return selector === undefined || selector.matches(obj.metadata?.labels ?? {});
}

export class Lister<T extends KubeObject> {
  constructor(private readonly indexer: Indexer<T>) {}

  /** Every cached object (of all namespaces) whose labels match. */
  list(selector?: Selector): T[] {
    return this.indexer.list().filter((obj) => matches(selector, obj));
  }

  /** A cluster-scoped object by name (or a namespaced one by `ns/name` key). */
  get(name: string): T | undefined {
    return this.indexer.getByKey(name);
  }

  /** The objects of one namespace ('' = all namespaces, as metav1.NamespaceAll). */
  byNamespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, namespace);
  }
}

export class NamespaceLister<T extends KubeObject> {
  constructor(
    private readonly indexer: Indexer<T>,
    readonly namespace: string,
  ) {}

  list(selector?: Selector): T[] {
    if (this.namespace === '') return this.indexer.list().filter((obj) => matches(selector, obj));
    const inNamespace = NAMESPACE_INDEX in this.indexer.getIndexers()
      ? this.indexer.byIndex(NAMESPACE_INDEX, this.namespace)
      : this.indexer.list().filter((obj) => (obj.metadata?.namespace ?? '') === this.namespace);
    return inNamespace.filter((obj) => matches(selector, obj));
  }

  get(name: string): T | undefined {
    return this.indexer.getByKey(this.namespace ? `${this.namespace}/${name}` : name);
  }
}
