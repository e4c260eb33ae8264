/**
 * storage.Interface — what the apiserver needs of its backing store (k8s.io/apiserver/pkg/storage), so
 * registries and the watch cache never speak etcd directly. `etcd3.ts` implements it over the etcd Store
 * the way the real apiserver's etcd3 storage does (create and update are compare-and-swap txns on
 * mod_revision); values are the objects' JSON without metadata.resourceVersion, which is the revision.
 */

export interface StoredValue {
  key: string;
  /** The object as stored: JSON, with no resourceVersion (it is `modRevision`). */
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface StorageEvent {
  type: 'PUT' | 'DELETE';
  key: string;
  /** The new value for PUT; absent for DELETE. */
  value?: string;
  /** The value before the change (for DELETE, the deleted object). */
  prevValue?: string;
  /** The revision the change was committed at. */
  revision: number;
  /** For PUT: true when the key did not exist before. */
  created: boolean;
}

export interface Storage {
  /** The store's current revision. */
  revision(): number;
  /** The oldest revision a watch can start after. */
  compactedRevision(): number;
  get(key: string): StoredValue | undefined;
  /** Every value under a prefix, in key order, at the current revision. */
  list(prefix: string): { items: StoredValue[]; revision: number };
  /** Fails with KeyExistsError if the key exists. */
  create(key: string, value: string): StoredValue;
  /**
   * Replace a key's value if its mod revision is still `expectedModRevision`; fails with
   * KeyNotFoundError or ModRevisionConflictError.
   */
  update(key: string, value: string, expectedModRevision: number): StoredValue;
  /** Delete a key, when given only if its mod revision is still `expectedModRevision`. */
  delete(key: string, expectedModRevision?: number): { revision: number; prevValue: string };
  /**
   * Changes under `prefix` after `afterRevision`, replayed then live, delivered synchronously as they
   * commit. Fails with TooOldRevisionError when `afterRevision` has been compacted.
   */
  watch(prefix: string, afterRevision: number, listener: (event: StorageEvent) => void): () => void;
}

export class KeyExistsError extends Error {
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}

export class KeyNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

export class ModRevisionConflictError extends Error {
  constructor(
    readonly key: string,
    readonly actual: number,
  ) {
    super(`mod revision of ${key} changed (now ${actual})`);
  }
}

export class TooOldRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compacted at ${compacted})`);
  }
}

export class ValueTooLargeError extends Error {
  constructor(message: string) {
    super(message);
  }
}
