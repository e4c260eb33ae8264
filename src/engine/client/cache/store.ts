/**
 * Store — client-go's cache.Store (tools/cache/store.go): a keyed collection of API objects that
 * informers fill from a reflector and controllers read through listers.
 *
 * Keys. An object's key is `namespace/name` for namespaced objects and `name` for cluster-scoped ones
 * (`metaNamespaceKeyFunc`); `splitMetaNamespaceKey` reverses it. A controller's workqueue holds these keys.
 *
 * `DeletedFinalStateUnknown` is what a delete looks like when the client missed it: a relist found the
 * object gone, so the last state the client saw (possibly stale, possibly absent) travels with its key.
 * Delete handlers must accept it in place of the object, as in Go.
 *
 * Guarantees (of every Store here, the Cache in indexer.ts): operations are synchronous and atomic — the
 * engine runs on one thread, so client-go's locking has nothing to guard; `list` returns a snapshot array
 * (the objects themselves are shared: callers must copy before changing them, as in Go). Left out: the
 * `error` returns of Go's Store (a key function that fails throws instead).
 */
import { SHARED_INTERNER } from '../../base/deepFreeze.ts';
import type { KubeObject } from '../rest/restClient.ts';

/** A key that was seen deleted while the client was not watching; `obj` is its last known state, if any. */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    readonly obj: T | undefined,
  ) {}
}

/** Computes an object's store key. */
export type KeyFunc<T> = (obj: T) => string;

export interface Store<T> {
  add(obj: T): void;
  update(obj: T): void;
  /** Remove the object's key; a DeletedFinalStateUnknown removes its key. */
  delete(obj: T | DeletedFinalStateUnknown<T>): void;
  list(): T[];
  listKeys(): string[];
  /** The stored object with `obj`'s key. */
  get(obj: T): T | undefined;
  getByKey(key: string): T | undefined;
  /** Replace the whole contents with `list`; `resourceVersion` is the list's (unused by plain stores). */
  replace(list: readonly T[], resourceVersion: string): void;
  /** Meaningless for plain stores (a no-op); DeltaFIFO queues Sync deltas. */
  resync(): void;
}

/** `namespace/name`, or `name` for a cluster-scoped object; a string is taken as an explicit key. */
export function metaNamespaceKeyFunc(obj: KubeObject | string): string {
  if (typeof obj === 'string') return obj;
  const meta = obj.metadata;
  if (!meta) throw new Error('object has no meta: metadata is missing');
  const name = meta.name ?? '';
  // Interned: the informers of every component keep the same key for the same object.
  return meta.namespace ? SHARED_INTERNER.intern(`${meta.namespace}/${name}`) : name;
}

/** metaNamespaceKeyFunc that also accepts a DeletedFinalStateUnknown (its key is taken as it is). */
export function deletionHandlingMetaNamespaceKeyFunc(obj: KubeObject | DeletedFinalStateUnknown<unknown> | string): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKeyFunc(obj);
}

/** Split `namespace/name` or `name`; more than one slash is an error, as in client-go. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: key };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}
