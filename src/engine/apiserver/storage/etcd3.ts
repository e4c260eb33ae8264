/**
 * Etcd3Storage — the apiserver's storage.Interface over etcd (k8s.io/apiserver/pkg/storage/etcd3/store.go).
 *
 * As upstream, every write is a txn guarded by the key's mod_revision: create puts only if
 * mod_revision(key) == 0, update and a preconditioned delete only if it still equals the revision the
 * caller read; a failed guard reads the key back in the same txn to tell "not found" from "conflict".
 * Watches are etcd watches with prev_kv, started one revision after the caller's; an event is "created"
 * when its create_revision equals its mod_revision, as upstream's watcher decides.
 *
 * Left out: value transformers (encryption at rest), paging through etcd (the watch cache serves lists),
 * and the protobuf encoding — values are the objects' JSON, as the rest of the lab expects.
 */
import { CompactedError, EtcdError, type Etcd, type KeyValue } from '../../etcd/index.ts';
import {
  KeyExistsError,
  KeyNotFoundError,
  ModRevisionConflictError,
  TooOldRevisionError,
  ValueTooLargeError,
  type Storage,
  type StorageEvent,
  type StoredValue,
} from './interface.ts';

export class Etcd3Storage implements Storage {
  constructor(private readonly etcd: Etcd) {}

  revision(): number {
    return this.etcd.revision;
  }

  compactedRevision(): number {
    return this.etcd.compactRevision;
  }

  get(key: string): StoredValue | undefined {
    const kv = this.etcd.range(key).kvs[0];
    return kv ? stored(kv) : undefined;
  }

  list(prefix: string): { items: StoredValue[]; revision: number } {
    const r = this.etcd.range(prefix, { prefix: true });
    return { items: r.kvs.map(stored), revision: r.header.revision };
  }

  create(key: string, value: string): StoredValue {
    const r = this.write(() =>
      this.etcd.txn({ compare: [{ key, target: 'MOD', result: '=', value: 0 }], success: [{ type: 'put', key, value }] }),
    );
    if (!r.succeeded) throw new KeyExistsError(key);
    const revision = r.header.revision;
    return { key, value, createRevision: revision, modRevision: revision };
  }

  update(key: string, value: string, expectedModRevision: number): StoredValue {
    const r = this.write(() =>
      this.etcd.txn({
        compare: [{ key, target: 'MOD', result: '=', value: expectedModRevision }],
        success: [{ type: 'put', key, value, options: { prevKv: true } }],
        failure: [{ type: 'range', key }],
      }),
    );
    if (!r.succeeded) throw conflictOrMissing(key, r.responses[0]);
    const prev = r.responses[0]?.type === 'put' ? r.responses[0].prevKv : undefined;
    const revision = r.header.revision;
    return { key, value, createRevision: prev?.createRevision ?? revision, modRevision: revision };
  }

  delete(key: string, expectedModRevision?: number): { revision: number; prevValue: string } {
    const r = this.etcd.txn({
      compare: expectedModRevision === undefined ? [] : [{ key, target: 'MOD', result: '=', value: expectedModRevision }],
      success: [{ type: 'deleteRange', key, options: { prevKv: true } }],
      failure: [{ type: 'range', key }],
    });
    if (!r.succeeded) throw conflictOrMissing(key, r.responses[0]);
    const result = r.responses[0];
    const prev = result?.type === 'deleteRange' ? result.prevKvs[0] : undefined;
    if (!prev) throw new KeyNotFoundError(key);
    return { revision: r.header.revision, prevValue: prev.value };
  }

  watch(prefix: string, afterRevision: number, listener: (event: StorageEvent) => void): () => void {
    try {
      const w = this.etcd.watch(prefix, { prefix: true, startRevision: afterRevision + 1, prevKv: true, watcher: 'kube-apiserver watch cache' }, (response) => {
        for (const e of response.events) listener(toStorageEvent(e.type, e.kv, e.prevKv));
      });
      return () => w.cancel();
    } catch (e) {
      if (e instanceof CompactedError) throw new TooOldRevisionError(afterRevision, e.compactRevision);
      throw e;
    }
  }

  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof EtcdError && e.code === 'ErrRequestTooLarge') throw new ValueTooLargeError(e.message);
      throw e;
    }
  }
}

function stored(kv: KeyValue): StoredValue {
  return { key: kv.key, value: kv.value, createRevision: kv.createRevision, modRevision: kv.modRevision };
}

/** What a failed guard means, from the key read back in the failure branch. */
function conflictOrMissing(key: string, read: { type: string; kvs?: KeyValue[] } | undefined): Error {
  const kv = read?.kvs?.[0];
  return kv ? new ModRevisionConflictError(key, kv.modRevision) : new KeyNotFoundError(key);
}

function toStorageEvent(type: 'PUT' | 'DELETE', kv: KeyValue, prevKv: KeyValue | undefined): StorageEvent {
  const event: StorageEvent = { type, key: kv.key, revision: kv.modRevision, created: type === 'PUT' && kv.createRevision === kv.modRevision };
  if (type === 'PUT') event.value = kv.value;
  if (prevKv) event.prevValue = prevKv.value;
  return event;
}
