/**
 * Store — etcd's MVCC key-value store (server/storage/mvcc: kvstore, watchable_store), in memory and
 * synchronous.
 *
 * Contract:
 * - One global `revision`, 1 after boot. Every write transaction that changes something bumps it by one;
 *   all its changes share that revision (etcd's sub-revisions are the order within `events`).
 * - Per key: `createRevision`, `modRevision`, `version` (1 on create, +1 per put). A delete writes a
 *   tombstone (version 0) at the deleting revision; the next put creates the key afresh (version 1).
 * - Every revision since the last `compact` is kept: a range at a past revision sees the store as it was.
 *   Below the compacted revision reads fail with ErrCompacted; above the current one with ErrFutureRev.
 * - Watchers get events in revision order, one call per revision, synchronously as writes commit. A
 *   watcher may start at a past revision (history is replayed first). A listener that writes to the store
 *   does not reorder delivery: nested commits are queued and delivered after the current one, to everyone.
 *
 * Data layout, for speed: the live value of each key in a Map (gets are O(1)); each key's versions in an
 * array (past reads are a binary search); a log of events for watch replay; the sorted key list is kept
 * lazily (new keys are merged in on the next range scan), so a put never scans.
 *
 * Left out: byte-wise key order (keys compare as JavaScript strings, identical for ASCII keys), the
 * Range `min/max_*_revision` filters, fragmented watch responses, progress notifications and the
 * backend (bbolt) itself. Leases are the Lessor's business: the store only records a key's lease and
 * tells `LeaseHooks` when a key joins or leaves one.
 */
import { lowerBound } from '../base/lowerBound.ts';
import { CompactedError, EtcdError } from './errors.ts';

export interface KeyValue {
  readonly key: string;
  readonly createRevision: number;
  readonly modRevision: number;
  /** Number of puts since the key was created; 0 marks a tombstone (deleted at modRevision). */
  readonly version: number;
  readonly value: string;
  /** The lease the key is attached to; 0n for none. */
  readonly lease: bigint;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

export interface KeyRange {
  /** End of the range, exclusive; "\0" means every key from `key` on. Absent: just `key`. */
  rangeEnd?: string;
  /** Shorthand for rangeEnd = prefixEnd(key). */
  prefix?: boolean;
}

export interface RangeOptions extends KeyRange {
  /** At most this many kvs (0 or absent: no limit); `more` says whether some were left out. */
  limit?: number;
  /** Read the store as of this revision (0 or absent: the current one). */
  revision?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** How many keys the range holds (regardless of limit). */
  count: number;
  more: boolean;
}

export interface PutOptions {
  lease?: bigint;
  prevKv?: boolean;
}

export interface DeleteOptions extends KeyRange {
  prevKv?: boolean;
}

export type Op =
  | { type: 'range'; key: string; options?: RangeOptions }
  | { type: 'put'; key: string; value: string; options?: PutOptions }
  | { type: 'deleteRange'; key: string; options?: DeleteOptions };

export type OpResult =
  | ({ type: 'range' } & RangeResult)
  | { type: 'put'; prevKv?: KeyValue }
  | { type: 'deleteRange'; deleted: number; prevKvs: KeyValue[] };

export type CompareTarget = 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE';
export type CompareResult = '=' | '!=' | '<' | '>';

export interface Compare extends Omit<KeyRange, 'prefix'> {
  key: string;
  target: CompareTarget;
  result: CompareResult;
  /** A number for VERSION/CREATE/MOD, a string for VALUE, a bigint (or number) for LEASE. */
  value: number | string | bigint;
}

export interface TxnRequest {
  compare?: Compare[];
  success?: Op[];
  failure?: Op[];
}

export interface TxnResult {
  succeeded: boolean;
  responses: OpResult[];
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  /** For DELETE, the tombstone: the key and the deleting revision as modRevision. */
  kv: KeyValue;
  /** The key's value before this event (only when the watch asked for it). */
  prevKv?: KeyValue;
}

export interface WatchOptions extends KeyRange {
  /** First revision to deliver (replayed from history); 0 or absent: only changes from now on. */
  startRevision?: number;
  prevKv?: boolean;
  /** Who watches (the apiserver's watch cache, etcdctl…), for `watchers()`; not part of etcd's API. */
  watcher?: string;
}

/** A live watch as `watchers()` lists it (what etcd's metrics and a debugger would show). */
export interface WatcherInfo {
  key: string;
  /** The range end; absent for a single key. */
  rangeEnd?: string;
  /** The first revision it asked for (0: from the revision it started at). */
  startRevision: number;
  /** The next revision it will be sent. */
  nextRevision: number;
  watcher?: string;
}

/** Called once per revision with that revision's matching events. */
export type WatchListener = (events: WatchEvent[], revision: number) => void;

export interface Watch {
  cancel(): void;
}

/** How the store tells the lessor which keys hang on which lease. */
export interface LeaseHooks {
  attach(lease: bigint, key: string): void;
  detach(lease: bigint, key: string): void;
}

/** Rough per-revision overhead in the backend (revision key, protobuf framing), for size accounting. */
const KV_OVERHEAD_BYTES = 48;

interface Watcher {
  key: string;
  end: string | undefined;
  startRevision: number;
  label: string | undefined;
  prevKv: boolean;
  listener: WatchListener;
  /** The lowest revision this watcher has not seen yet. */
  nextRev: number;
  cancelled: boolean;
}

interface Batch {
  revision: number;
  events: WatchEvent[];
}

export class Store {
  private rev: number;
  private compactRev = 0;
  private readonly current = new Map<string, KeyValue>();
  /** Every version of every key since the compacted revision, oldest first. */
  private readonly history = new Map<string, KeyValue[]>();
  /** Keys of `history` in order, plus `unsortedKeys` not merged in yet. */
  private sortedKeys: string[] = [];
  private unsortedKeys: string[] = [];
  /** Every event since the compacted revision, in commit order. */
  private log: WatchEvent[] = [];
  private readonly liveWatchers = new Set<Watcher>();
  private readonly queue: Batch[] = [];
  private delivering = false;
  /** Events of the write in progress. */
  private pending: WatchEvent[] | undefined;
  private bytes = 0;

  constructor(
    private readonly leases: LeaseHooks = { attach() {}, detach() {} },
    revision = 1,
  ) {
    this.rev = revision;
  }

  /** The revision of the last committed write. */
  get revision(): number {
    return this.rev;
  }

  /** The revision the store was last compacted at (0: never). */
  get compactRevision(): number {
    return this.compactRev;
  }

  /** Keys with a live value. */
  get size(): number {
    return this.current.size;
  }

  /** Estimated bytes of every retained version (keys, values and per-revision overhead). */
  get storedBytes(): number {
    return this.bytes;
  }

  /** The live value of one key: the fast path for a point read at the current revision. */
  get(key: string): KeyValue | undefined {
    return this.current.get(key);
  }

  range(key: string, options: RangeOptions = {}): RangeResult {
    const rev = options.revision && options.revision > 0 ? options.revision : this.rev;
    if (rev > this.rev) throw new EtcdError('ErrFutureRev');
    if (rev < this.compactRev) throw new CompactedError(this.compactRev);
    const end = rangeEndOf(key, options);
    let kvs: KeyValue[];
    if (end === undefined) {
      const kv = rev === this.rev ? this.current.get(key) : this.at(key, rev);
      kvs = kv ? [kv] : [];
    } else {
      kvs = this.scan(key, end, rev);
    }
    const count = kvs.length;
    if (options.countOnly) return { kvs: [], count, more: false };
    const order = options.sortOrder ?? 'NONE';
    const target = options.sortTarget ?? 'KEY';
    if (target !== 'KEY' || order === 'DESCEND') kvs = sortKvs(kvs, target, order === 'NONE' ? 'ASCEND' : order);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    if (kvs.length > limit) kvs = kvs.slice(0, limit);
    if (options.keysOnly) kvs = kvs.map((kv) => ({ ...kv, value: '' }));
    return { kvs, count, more: count > kvs.length };
  }

  put(key: string, value: string, options: PutOptions = {}): { revision: number; prevKv?: KeyValue } {
    const result = this.write(() => this.applyPut(key, value, options));
    return { revision: this.rev, ...(result.prevKv ? { prevKv: result.prevKv } : {}) };
  }

  deleteRange(key: string, options: DeleteOptions = {}): { revision: number; deleted: number; prevKvs: KeyValue[] } {
    const result = this.write(() => this.applyDelete(key, options));
    return { revision: this.rev, deleted: result.deleted, prevKvs: result.prevKvs };
  }

  /** Compare, then apply one branch atomically: one revision if it writes anything. */
  txn(request: TxnRequest): TxnResult & { revision: number } {
    const succeeded = (request.compare ?? []).every((c) => this.compare(c));
    const ops = (succeeded ? request.success : request.failure) ?? [];
    const responses = this.write(() => ops.map((op) => this.apply(op)));
    return { succeeded, responses, revision: this.rev };
  }

  /** Whether one compare holds (every key of its range must satisfy it). */
  compare(c: Compare): boolean {
    const kvs = c.rangeEnd === undefined ? optional(this.current.get(c.key)) : this.scan(c.key, c.rangeEnd, this.rev);
    if (kvs.length === 0) return c.target === 'VALUE' ? false : holds(c, EMPTY_KV);
    return kvs.every((kv) => holds(c, kv));
  }

  /**
   * Forget every version older than `revision` except each key's latest one at that revision (dropped
   * too when it is a tombstone). Fails like etcd for a revision already compacted or in the future.
   */
  compact(revision: number): void {
    if (revision <= this.compactRev) throw new CompactedError(this.compactRev);
    if (revision > this.rev) throw new EtcdError('ErrFutureRev');
    this.compactRev = revision;
    let removedKeys = false;
    for (const [key, versions] of this.history) {
      if (versions[0]!.modRevision >= revision) continue;
      let keepFrom = lastAtOrBefore(versions, revision);
      if (versions[keepFrom]!.version === 0) keepFrom++;
      for (let i = 0; i < keepFrom; i++) this.bytes -= sizeOf(versions[i]!);
      if (keepFrom >= versions.length) {
        this.history.delete(key);
        removedKeys = true;
      } else if (keepFrom > 0) {
        // A fresh array of the survivors: splice would keep the old capacity for every key.
        this.history.set(key, versions.slice(keepFrom));
      }
    }
    if (removedKeys) {
      this.sortedKeys = this.sortedKeys.filter((k) => this.history.has(k));
      this.unsortedKeys = this.unsortedKeys.filter((k) => this.history.has(k));
    }
    const first = firstEventAtOrAfter(this.log, revision);
    if (first > 0) this.log = this.log.slice(first);
  }

  /**
   * Follow changes in a key range. With a startRevision at or below the current revision, history from it
   * is delivered before this returns. Fails with CompactedError when startRevision has been compacted.
   */
  watch(key: string, options: WatchOptions, listener: WatchListener): Watch {
    const start = options.startRevision ?? 0;
    if (start > 0 && start < this.compactRev) throw new CompactedError(this.compactRev);
    const watcher: Watcher = { key, end: rangeEndOf(key, options), startRevision: start, label: options.watcher, prevKv: options.prevKv ?? false, listener, nextRev: start > 0 ? start : this.rev + 1, cancelled: false };
    if (start > 0 && start <= this.rev) {
      let i = firstEventAtOrAfter(this.log, start);
      while (i < this.log.length) {
        const revision = this.log[i]!.kv.modRevision;
        const events: WatchEvent[] = [];
        for (; i < this.log.length && this.log[i]!.kv.modRevision === revision; i++) events.push(this.log[i]!);
        this.deliver(watcher, { revision, events });
      }
      watcher.nextRev = this.rev + 1;
    }
    this.liveWatchers.add(watcher);
    return {
      cancel: () => {
        watcher.cancelled = true;
        this.liveWatchers.delete(watcher);
      },
    };
  }

  /** The live watches, in the order they started. */
  watchers(): WatcherInfo[] {
    return [...this.liveWatchers].map((w) => ({
      key: w.key,
      ...(w.end !== undefined ? { rangeEnd: w.end } : {}),
      startRevision: w.startRevision,
      nextRevision: w.nextRev,
      ...(w.label !== undefined ? { watcher: w.label } : {}),
    }));
  }

  /**
   * The retained events of revisions `from`..`to` (inclusive), oldest first, each with the key's previous
   * value: the history a watch from `from` would replay. Revisions at or below the compacted one are gone.
   */
  events(from: number, to = this.rev): WatchEvent[] {
    const out: WatchEvent[] = [];
    for (let i = firstEventAtOrAfter(this.log, from); i < this.log.length && this.log[i]!.kv.modRevision <= to; i++) out.push(this.log[i]!);
    return out;
  }

  /** Every retained version of every key, oldest first per key: what a snapshot saves. */
  *versions(): IterableIterator<[string, readonly KeyValue[]]> {
    yield* this.history;
  }

  /** Rebuild a store from saved versions (as a snapshot restore does), keeping revisions. */
  static restore(state: { revision: number; compactRevision: number; keys: Iterable<[string, KeyValue[]]> }, leases?: LeaseHooks): Store {
    const store = new Store(leases, state.revision);
    store.compactRev = state.compactRevision;
    const events: WatchEvent[] = [];
    for (const [key, versions] of state.keys) {
      if (versions.length === 0) continue;
      store.history.set(key, versions);
      store.unsortedKeys.push(key);
      for (let i = 0; i < versions.length; i++) {
        const kv = versions[i]!;
        store.bytes += sizeOf(kv);
        const prev = i > 0 && versions[i - 1]!.version > 0 ? versions[i - 1] : undefined;
        events.push({ type: kv.version === 0 ? 'DELETE' : 'PUT', kv, ...(prev ? { prevKv: prev } : {}) });
      }
      const last = versions[versions.length - 1]!;
      if (last.version > 0) {
        store.current.set(key, last);
        if (last.lease !== 0n) store.leases.attach(last.lease, key);
      }
    }
    events.sort((a, b) => a.kv.modRevision - b.kv.modRevision);
    store.log = events;
    return store;
  }

  // —— writes ——

  /** Run `fn` as one write transaction: if it changed anything, commit one revision and notify. */
  private write<T>(fn: () => T): T {
    if (this.pending) return fn();
    this.pending = [];
    let result: T;
    try {
      result = fn();
    } finally {
      const events = this.pending;
      this.pending = undefined;
      if (events.length > 0) {
        this.rev++;
        for (const e of events) this.log.push(e);
        this.notify({ revision: this.rev, events });
      }
    }
    return result;
  }

  private apply(op: Op): OpResult {
    switch (op.type) {
      case 'range':
        return { type: 'range', ...this.range(op.key, { ...op.options, revision: 0 }) };
      case 'put':
        return { type: 'put', ...this.applyPut(op.key, op.value, op.options ?? {}) };
      case 'deleteRange':
        return { type: 'deleteRange', ...this.applyDelete(op.key, op.options ?? {}) };
    }
  }

  private applyPut(key: string, value: string, options: PutOptions): { prevKv?: KeyValue } {
    const rev = this.rev + 1;
    const prev = this.current.get(key);
    const lease = options.lease ?? 0n;
    // A key written again keeps the string it was first stored under: one copy per key, not per write.
    const kv: KeyValue = { key: prev ? prev.key : key, createRevision: prev ? prev.createRevision : rev, modRevision: rev, version: prev ? prev.version + 1 : 1, value, lease };
    this.current.set(key, kv);
    this.record(kv);
    if (prev && prev.lease !== 0n && prev.lease !== lease) this.leases.detach(prev.lease, key);
    if (lease !== 0n && prev?.lease !== lease) this.leases.attach(lease, key);
    this.pending!.push(prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv });
    return options.prevKv && prev ? { prevKv: prev } : {};
  }

  private applyDelete(key: string, options: DeleteOptions): { deleted: number; prevKvs: KeyValue[] } {
    const end = rangeEndOf(key, options);
    const victims = end === undefined ? optional(this.current.get(key)) : this.scan(key, end, this.rev);
    const rev = this.rev + 1;
    for (const prev of victims) {
      const tombstone: KeyValue = { key: prev.key, createRevision: 0, modRevision: rev, version: 0, value: '', lease: 0n };
      this.current.delete(prev.key);
      this.record(tombstone);
      if (prev.lease !== 0n) this.leases.detach(prev.lease, prev.key);
      this.pending!.push({ type: 'DELETE', kv: tombstone, prevKv: prev });
    }
    return { deleted: victims.length, prevKvs: options.prevKv ? victims : [] };
  }

  private record(kv: KeyValue): void {
    const versions = this.history.get(kv.key);
    if (versions) versions.push(kv);
    else {
      // Most keys are written once or twice between compactions: an array of one, not a default-sized one.
      this.history.set(kv.key, [kv]);
      this.unsortedKeys.push(kv.key);
    }
    this.bytes += sizeOf(kv);
  }

  // —— reads ——

  /** The key's value at `rev`, if it existed then. */
  private at(key: string, rev: number): KeyValue | undefined {
    const versions = this.history.get(key);
    if (!versions) return undefined;
    const i = lastAtOrBefore(versions, rev);
    const kv = i >= 0 ? versions[i] : undefined;
    return kv && kv.version > 0 ? kv : undefined;
  }

  /** Live kvs (at `rev`) with key in [key, end), in key order. */
  private scan(key: string, end: string, rev: number): KeyValue[] {
    const keys = this.keysInOrder();
    const out: KeyValue[] = [];
    const toEnd = end === '\0';
    for (let i = lowerBound(keys, key); i < keys.length; i++) {
      const k = keys[i]!;
      if (!toEnd && k >= end) break;
      const kv = rev === this.rev ? this.current.get(k) : this.at(k, rev);
      if (kv) out.push(kv);
    }
    return out;
  }

  private keysInOrder(): string[] {
    if (this.unsortedKeys.length > 0) {
      const added = this.unsortedKeys.sort(compareStrings);
      this.unsortedKeys = [];
      this.sortedKeys = mergeSorted(this.sortedKeys, added);
    }
    return this.sortedKeys;
  }

  // —— watch delivery ——

  private notify(batch: Batch): void {
    if (this.liveWatchers.size === 0) return;
    this.queue.push(batch);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const next = this.queue[i]!;
        for (const watcher of this.liveWatchers) this.deliver(watcher, next);
      }
    } finally {
      this.queue.length = 0;
      this.delivering = false;
    }
  }

  private deliver(watcher: Watcher, batch: Batch): void {
    if (watcher.cancelled || batch.revision < watcher.nextRev) return;
    watcher.nextRev = batch.revision + 1;
    let matched: WatchEvent[] | undefined;
    for (const e of batch.events) {
      if (!inRange(e.kv.key, watcher.key, watcher.end)) continue;
      (matched ??= []).push(watcher.prevKv || !e.prevKv ? e : { type: e.type, kv: e.kv });
    }
    if (!matched) return;
    try {
      watcher.listener(matched, batch.revision);
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

/** The end of the range that holds every key starting with `key` (clientv3.GetPrefixRangeEnd). */
export function prefixEnd(key: string): string {
  for (let i = key.length - 1; i >= 0; i--) {
    const c = key.charCodeAt(i);
    if (c < 0xffff) return key.slice(0, i) + String.fromCharCode(c + 1);
  }
  return '\0';
}

function rangeEndOf(key: string, range: KeyRange): string | undefined {
  if (range.prefix) return prefixEnd(key);
  return range.rangeEnd === '' ? undefined : range.rangeEnd;
}

function inRange(k: string, key: string, end: string | undefined): boolean {
  if (end === undefined) return k === key;
  return k >= key && (end === '\0' || k < end);
}

const EMPTY_KV: KeyValue = { key: '', createRevision: 0, modRevision: 0, version: 0, value: '', lease: 0n };

function holds(c: Compare, kv: KeyValue): boolean {
  let order: number;
  switch (c.target) {
    case 'VERSION':
      order = kv.version - Number(c.value);
      break;
    case 'CREATE':
      order = kv.createRevision - Number(c.value);
      break;
    case 'MOD':
      order = kv.modRevision - Number(c.value);
      break;
    case 'LEASE': {
      const want = BigInt(c.value);
      order = kv.lease === want ? 0 : kv.lease < want ? -1 : 1;
      break;
    }
    case 'VALUE':
      order = compareStrings(kv.value, String(c.value));
      break;
  }
  switch (c.result) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '>':
      return order > 0;
  }
}

function sortKvs(kvs: KeyValue[], target: SortTarget, order: 'ASCEND' | 'DESCEND'): KeyValue[] {
  const by = (kv: KeyValue): number | string => {
    switch (target) {
      case 'KEY':
        return kv.key;
      case 'VERSION':
        return kv.version;
      case 'CREATE':
        return kv.createRevision;
      case 'MOD':
        return kv.modRevision;
      case 'VALUE':
        return kv.value;
    }
  };
  const sign = order === 'ASCEND' ? 1 : -1;
  return [...kvs].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    return sign * (x < y ? -1 : x > y ? 1 : 0);
  });
}

function optional(kv: KeyValue | undefined): KeyValue[] {
  return kv ? [kv] : [];
}

function sizeOf(kv: KeyValue): number {
  return kv.key.length + kv.value.length + KV_OVERHEAD_BYTES;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the last version with modRevision ≤ rev, or -1. */
function lastAtOrBefore(versions: readonly KeyValue[], rev: number): number {
  let lo = 0;
  let hi = versions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (versions[mid]!.modRevision <= rev) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first event with revision ≥ rev. */
function firstEventAtOrAfter(log: readonly WatchEvent[], rev: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.kv.modRevision < rev) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out = new Array<string>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! <= b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
