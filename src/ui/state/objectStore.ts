/**
 * ObjectStore — the UI's mirror of the cluster's objects (the worker's ObjectRecords), built for scale:
 * 5,000 nodes and 150,000 pods, with a frame's diff touching a few hundred of them.
 *
 * Contract:
 * - The maps are updated in place: applying a diff costs what the diff holds, never what the store holds.
 * - `version` goes up by one with every diff that touched an object; `resourceVersion(resource)` only when
 *   that resource's objects changed. Immutable snapshots (`list`, `records`) are made on demand, memoized
 *   on those versions, for the views that need React identity and are small enough to copy.
 * - `changesSince(version)` hands a derived index (the cluster map's aggregate, say) exactly the changes
 *   it missed, each with the record before and after as this store held them; `undefined` when they are
 *   older than the store remembers (then the index rebuilds from `resource(...)`).
 * - A record read from the store is never changed (records are immutable; a change replaces the record).
 */
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { ObjectRecord } from '../../engine/cluster/clusterView.ts';

/** One object's change: added (no `before`), removed (no `after`), or updated. */
export interface ObjectChange {
  readonly id: string;
  readonly before: ObjectRecord | undefined;
  readonly after: ObjectRecord | undefined;
}

const isObject = (r: { readonly typeName: string }): r is ObjectRecord => r.typeName === 'object';

const EMPTY: ReadonlyMap<string, ObjectRecord> = new Map();

/** How many past diffs `changesSince` can replay. */
const LOG_LENGTH = 64;
/**
 * A diff bigger than this (the whole cluster arriving at once) is not kept for replay: a reader that
 * missed it has as much to do as rebuilding from the store, and remembering it would cost as much again.
 */
const LOG_MAX_CHANGES = 10_000;

export class ObjectStore {
  private readonly all = new Map<string, ObjectRecord>();
  private readonly byResource = new Map<string, Map<string, ObjectRecord>>();
  private readonly versions = new Map<string, number>();
  /** The changes of the last LOG_LENGTH versions: log[i] took the store from version `logStart + i` to the next. */
  private log: ObjectChange[][] = [];
  private logStart = 0;
  private listMemo: { version: number; list: ObjectRecord[] } | undefined;
  private recordsMemo: { version: number; records: Readonly<Record<string, ObjectRecord>> } | undefined;
  private _version = 0;

  /** Bumped by every apply that changed an object. */
  get version(): number {
    return this._version;
  }

  get size(): number {
    return this.all.size;
  }

  get(id: string): ObjectRecord | undefined {
    return this.all.get(id);
  }

  /** The objects of one resource (`pods`, `nodes`…) by id: a live map, changed in place by later diffs. */
  resource(resource: string): ReadonlyMap<string, ObjectRecord> {
    return this.byResource.get(resource) ?? EMPTY;
  }

  /** Bumped whenever an object of `resource` is added, updated or removed (0 before any). */
  resourceVersion(resource: string): number {
    return this.versions.get(resource) ?? 0;
  }

  /** Every object as an array, the same array until the next change (O(objects) when made). */
  list(): ObjectRecord[] {
    if (this.listMemo?.version !== this._version) this.listMemo = { version: this._version, list: [...this.all.values()] };
    return this.listMemo.list;
  }

  /** Every object by id, as a frozen-in-time plain object (O(objects) when made). */
  records(): Readonly<Record<string, ObjectRecord>> {
    if (this.recordsMemo?.version !== this._version) this.recordsMemo = { version: this._version, records: Object.fromEntries(this.all) };
    return this.recordsMemo.records;
  }

  /**
   * The changes that took the store from `version` to now, in order; [] when it is current; undefined when
   * the store no longer remembers that far back (or `version` is not one it had).
   */
  changesSince(version: number): ObjectChange[] | undefined {
    if (version === this._version) return [];
    if (version < this.logStart || version > this._version) return undefined;
    const out: ObjectChange[] = [];
    for (let i = version - this.logStart; i < this.log.length; i++) out.push(...this.log[i]!);
    return out;
  }

  /**
   * Apply one diff in place. Records that are not objects (`typeName` other than 'object': the lab's
   * clock, its sessions) are handed to `other` instead, so the lab store goes through the worker's diff
   * once. Returns false (and keeps the version) when it changed no object.
   */
  apply<R extends { readonly typeName: string }>(diff: RecordsDiff<R>, other?: (part: keyof RecordsDiff<R>, id: string) => void): boolean {
    const next = this._version + 1;
    const changes: ObjectChange[] = [];
    let count = 0;
    for (const id in diff.removed) {
      const before = this.all.get(id);
      if (!before) {
        if (diff.removed[id]!.typeName !== 'object') other?.('removed', id);
        continue;
      }
      this.all.delete(id);
      this.byResource.get(before.resource)?.delete(id);
      this.versions.set(before.resource, next);
      if (count++ < LOG_MAX_CHANGES) changes.push({ id, before, after: undefined });
    }
    for (const id in diff.added) {
      const r = diff.added[id]!;
      if (!isObject(r)) other?.('added', id);
      else if (this.put(id, r, next) && count++ < LOG_MAX_CHANGES) changes.push({ id, before: this.before, after: r });
    }
    for (const id in diff.updated) {
      const r = diff.updated[id]![1];
      if (!isObject(r)) other?.('updated', id);
      else if (this.put(id, r, next) && count++ < LOG_MAX_CHANGES) changes.push({ id, before: this.before, after: r });
    }
    if (count === 0) return false;
    this._version = next;
    if (count > LOG_MAX_CHANGES) {
      // Too big to replay: every reader behind this version rebuilds.
      this.log = [];
      this.logStart = next;
      return true;
    }
    this.log.push(changes);
    if (this.log.length > LOG_LENGTH) {
      this.log.shift();
      this.logStart++;
    }
    return true;
  }

  /** What `put` replaced (undefined for a new object): a field, not a tuple, to allocate nothing per record. */
  private before: ObjectRecord | undefined;

  /** Store `record` under `id` as of version `next`; false when it is the very record already there. */
  private put(id: string, record: ObjectRecord, next: number): boolean {
    const before = this.all.get(id);
    this.before = before;
    if (before === record) return false;
    if (before && before.resource !== record.resource) {
      // A record that moved to another resource (never, but ids are only strings) changes both.
      this.byResource.get(before.resource)?.delete(id);
      this.versions.set(before.resource, next);
    }
    this.all.set(id, record);
    let map = this.byResource.get(record.resource);
    if (!map) this.byResource.set(record.resource, (map = new Map()));
    map.set(id, record);
    this.versions.set(record.resource, next);
    return true;
  }
}
