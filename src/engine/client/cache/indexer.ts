/**
 * Indexer — client-go's cache.Indexer (tools/cache/index.go, thread_safe_store.go, store.go's `cache`):
 * a Store that also keeps named secondary indices. An index function maps an object to the values it is
 * indexed under (the standard `namespace` index: `[metadata.namespace]`); `byIndex('namespace', 'prod')`
 * then answers "all objects in prod" without a scan. Controllers add their own (pods by node name,
 * objects by owner UID).
 *
 * Guarantees: every add/update/delete/replace updates the items and all indices together, so an index
 * never names a key the store lacks, and a value whose last key leaves it disappears from
 * `listIndexFuncValues`. Indexers may be added while items exist (the new index is built at once);
 * redefining an index name is an error. Results are snapshots in insertion order of keys.
 */
import type { KubeObject } from '../rest/restClient.ts';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc, type KeyFunc, type Store } from './store.ts';

/** The values an object is indexed under (none: not in this index). */
export type IndexFunc<T> = (obj: T) => string[];

/** Index functions by index name. */
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

/** The standard namespace index: an object is indexed under its namespace ('' for cluster-scoped). */
export function metaNamespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

export interface Indexer<T> extends Store<T> {
  /** Objects sharing any index value with `obj` under `indexName`. */
  index(indexName: string, obj: T): T[];
  /** Keys of the objects indexed under `indexedValue`. */
  indexKeys(indexName: string, indexedValue: string): string[];
  /** Every value that has at least one object in the index. */
  listIndexFuncValues(indexName: string): string[];
  /** Objects indexed under `indexedValue`. */
  byIndex(indexName: string, indexedValue: string): T[];
  getIndexers(): Indexers<T>;
  addIndexers(newIndexers: Indexers<T>): void;
}

/** A Store with indices: client-go's `cache` over its threadSafeMap. */
export class Cache<T> implements Indexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T> = {};
  /** index name → indexed value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly keyFunc: KeyFunc<T>,
    indexers: Indexers<T> = {},
  ) {
    this.addIndexers(indexers);
  }

  keyOf(obj: T | DeletedFinalStateUnknown<T>): string {
    return obj instanceof DeletedFinalStateUnknown ? obj.key : this.keyFunc(obj);
  }

  add(obj: T): void {
    this.set(this.keyOf(obj), obj);
  }

  update(obj: T): void {
    this.set(this.keyOf(obj), obj);
  }

  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    const key = this.keyOf(obj);
    const old = this.items.get(key);
    if (old === undefined) return;
    this.updateIndices(old, undefined, key);
    this.items.delete(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyOf(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  replace(list: readonly T[], _resourceVersion: string): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of list) this.set(this.keyOf(obj), obj);
  }

  resync(): void {
    // Nothing to do: a plain store has no one to tell.
  }

  index(indexName: string, obj: T): T[] {
    const indexFunc = this.indexFunc(indexName);
    const index = this.indices.get(indexName)!;
    const keys = new Set<string>();
    for (const value of indexFunc(obj)) for (const key of index.get(value) ?? []) keys.add(key);
    return [...keys].map((key) => this.items.get(key)!);
  }

  indexKeys(indexName: string, indexedValue: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)!.get(indexedValue) ?? [])];
  }

  listIndexFuncValues(indexName: string): string[] {
    this.indexFunc(indexName);
    return [...this.indices.get(indexName)!.keys()];
  }

  byIndex(indexName: string, indexedValue: string): T[] {
    return this.indexKeys(indexName, indexedValue).map((key) => this.items.get(key)!);
  }

  getIndexers(): Indexers<T> {
    return { ...this.indexers };
  }

  addIndexers(newIndexers: Indexers<T>): void {
    const names = Object.keys(newIndexers);
    const clash = names.filter((name) => name in this.indexers);
    if (clash.length > 0) throw new Error(`indexer conflict: ${clash.join(', ')}`);
    for (const name of names) {
      const indexFunc = newIndexers[name]!;
      this.indexers[name] = indexFunc;
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const value of indexFunc(obj)) addTo(index, value, key);
    }
  }

  private set(key: string, obj: T): void {
    this.updateIndices(this.items.get(key), obj, key);
    this.items.set(key, obj);
  }

  private indexFunc(indexName: string): IndexFunc<T> {
    const indexFunc = this.indexers[indexName];
    if (!indexFunc) throw new Error(`Index with name ${indexName} does not exist`);
    return indexFunc;
  }

  /** Move `key` from the values `oldObj` had to the values `newObj` has, in every index. */
  private updateIndices(oldObj: T | undefined, newObj: T | undefined, key: string): void {
    for (const [name, indexFunc] of Object.entries(this.indexers)) {
      const index = this.indices.get(name)!;
      const oldValues = oldObj === undefined ? [] : indexFunc(oldObj);
      const newValues = newObj === undefined ? [] : indexFunc(newObj);
      for (const value of oldValues) if (!newValues.includes(value)) removeFrom(index, value, key);
      for (const value of newValues) addTo(index, value, key);
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, value: string, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  // Drop empty sets, or a churn of short-lived values (pod names, node names) would leak.
  if (keys.size === 0) index.delete(value);
}

/** A Store keyed by `ns/name` with no indices (cache.NewStore(MetaNamespaceKeyFunc)). */
export function newStore<T extends KubeObject>(keyFunc: KeyFunc<T> = deletionHandlingMetaNamespaceKeyFunc): Cache<T> {
  return new Cache<T>(keyFunc);
}

/** An Indexer keyed by `ns/name` (cache.NewIndexer(MetaNamespaceKeyFunc, indexers)). */
export function newIndexer<T extends KubeObject>(indexers: Indexers<T> = {}, keyFunc: KeyFunc<T> = deletionHandlingMetaNamespaceKeyFunc): Cache<T> {
  return new Cache<T>(keyFunc, indexers);
}
