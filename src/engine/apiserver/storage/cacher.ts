/**
 * Cacher — the apiserver's watch cache for one resource (k8s.io/apiserver/pkg/storage/cacher): it lists
 * the resource from storage once, then follows storage's watch, and serves gets, lists and watches from
 * memory without reading every key from etcd.
 *
 * What it keeps per object is what serving needs: storage's own JSON (shared with etcd, not copied; the
 * JSON with metadata.resourceVersion filled in is built when asked for, so a list is a concatenation, not
 * a serialization), and the labels and selectable fields (so selectors are matched without parsing).
 * In-process watchers receive, beside each event's JSON line, the object decoded once and frozen —
 * every component's informer then holds the same object instead of a parse of its own. A window of recent events lets watches resume from a resourceVersion; older
 * than the window is `410 Expired: too old resource version: N (M)`, as upstream.
 *
 * Watch semantics follow upstream's cacheWatcher: a watch with no resourceVersion (or "0") starts with
 * ADDED events for every matching object, then changes; an object that moves out of a watch's selector is
 * DELETED for it, one that moves in is ADDED. Bookmarks (when asked for) and the request timeout run on the
 * virtual clock. Delivery is synchronous, in revision order, as storage commits.
 */
import { freezeShared, SHARED_INTERNER, SHARED_SUBTREES } from '../../base/deepFreeze.ts';
import { lowerBound } from '../../base/lowerBound.ts';
import type { Clock, Timer } from '../../base/clock.ts';
import type { Storage, StorageEvent } from './interface.ts';

export interface CacheEntry {
  key: string;
  namespace: string;
  name: string;
  /** The object's JSON with its resourceVersion. */
  json: string;
  resourceVersion: number;
  labels: Readonly<Record<string, string>>;
  /** Values of the fields a field selector can match (metadata.name, status.phase…). */
  fields: Readonly<Record<string, string>>;
}

export type EntryFilter = (entry: CacheEntry) => boolean;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface CacherOptions {
  storage: Storage;
  clock: Clock;
  /** The etcd prefix of the resource, e.g. "/registry/pods/". */
  prefix: string;
  /** Selectable fields of an object (metadata.name and metadata.namespace are added). */
  selectableFields: (object: Record<string, unknown>) => Record<string, string>;
  /** apiVersion and kind, for bookmark events. */
  apiVersion: string;
  kind: string;
  /** How many recent events watches may resume from (upstream grows its buffer up to 100k). */
  historySize?: number;
  /** How often a watcher that asked for bookmarks gets one (upstream: about a minute). */
  bookmarkIntervalMs?: number;
}

interface HistoryEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  revision: number;
  entry: CacheEntry;
  prev?: CacheEntry;
}

export interface WatchOptions {
  /** Only keys under this prefix (a namespace, or one object's key). */
  keyPrefix?: string;
  filter?: EntryFilter;
  /** Resume after this resourceVersion; undefined = start with the current state as ADDED events. */
  afterRevision?: number;
  allowBookmarks?: boolean;
  timeoutMs?: number;
}

export interface CacheWatch {
  /** Stop the watch; its `onEnd` fires. */
  stop(): void;
}

/** An event's object for in-process readers: decoded once per stored version, frozen, shared. */
export interface DecodedEvent {
  type: WatchEventType;
  object: Record<string, unknown>;
}

export interface WatchSink {
  /**
   * One event, as the JSON line a watch stream carries: {"type":…,"object":…}; and, when the event is
   * about a stored version, a way to get the same event decoded (frozen and shared — never change it).
   */
  event(line: string, decoded?: () => DecodedEvent): void;
  /** The watch ended (timeout, stop, or the cacher was stopped). */
  end(): void;
}

/** Raised when a watch or list asks for a revision older than the cache still keeps. */
export class ResourceExpiredError extends Error {
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

/** Raised when asked for a revision the cache has not seen yet. */
export class TooLargeResourceVersionError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`Too large resource version: ${requested}, current: ${current}`);
  }
}

interface Watcher {
  keyPrefix: string;
  filter: EntryFilter | undefined;
  sink: WatchSink;
  timers: Timer[];
  stopped: boolean;
}

export class Cacher {
  private readonly entries = new Map<string, CacheEntry>();
  /**
   * The keys in order, for lists and initial watches, brought up to date only when one asks: keys added
   * and removed since wait beside it, so a write costs no reordering of a hundred thousand keys.
   */
  private sortedKeys: string[] | undefined;
  private readonly addedKeys = new Set<string>();
  private readonly removedKeys = new Set<string>();
  /** The window of past events: `history[historyStart…]`; the consumed head is dropped in batches. */
  private history: HistoryEvent[] = [];
  private historyStart = 0;
  /** Revision of the cache: every event up to it has been applied. */
  private revision = 0;
  /** The revision the history window starts after. */
  private windowStart = 0;
  private readonly watchers = new Set<Watcher>();
  private readonly stopStorageWatch: () => void;
  private readonly historySize: number;
  private readonly decodedEntries = new WeakMap<CacheEntry, Record<string, unknown>>();
  /** Every selectable field of the kind, empty: what each entry's fields object is copied from. */
  private fieldsTemplate: Record<string, string> | undefined;
  /** Whether an in-process reader has asked for decoded objects: from then on each write is decoded as it is cached. */
  private decodedWanted = false;
  /** The decoded form of the value being written, while `decoded` runs. */
  private pendingDecoded: { value: string; object: Record<string, unknown> } | undefined;

  constructor(private readonly options: CacherOptions) {
    this.historySize = options.historySize ?? 10_000;
    const { items, revision } = options.storage.list(options.prefix);
    for (const item of items) this.entries.set(item.key, this.toEntry(item.key, item.value, item.modRevision));
    this.revision = revision;
    this.windowStart = revision;
    this.stopStorageWatch = options.storage.watch(options.prefix, revision, (e) => this.onStorageEvent(e));
  }

  get resourceVersion(): number {
    return this.revision;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * An entry's object, decoded once per stored version (an entry is replaced, never changed, when its
   * object changes). Shared: callers only read it.
   */
  decode(entry: CacheEntry): Record<string, unknown> {
    let object = this.decodedEntries.get(entry);
    if (!object) {
      this.decodedWanted = true;
      object = freezeShared(JSON.parse(entry.json) as Record<string, unknown>, SHARED_SUBTREES, SHARED_INTERNER.intern);
      // Only the current version stays decoded: the window of past events keeps their JSON alone, so
      // history costs one string per event, not a second object tree.
      if (this.entries.get(entry.key) === entry) this.decodedEntries.set(entry, object);
    }
    return object;
  }

  /**
   * The decoded object the cache already holds for `key` at `revision` (what a write just stored), else
   * undefined: a client's answer never makes the cache decode or keep what no informer reads.
   */
  decodedAt(key: string, revision: number): Record<string, unknown> | undefined {
    const entry = this.entries.get(key);
    return entry && entry.resourceVersion === revision ? this.decodedEntries.get(entry) : undefined;
  }

  private decodedEvent(type: WatchEventType, entry: CacheEntry): () => DecodedEvent {
    return () => ({ type, object: this.decode(entry) });
  }

  get(key: string): CacheEntry | undefined {
    return this.entries.get(key);
  }

  /**
   * Entries under `keyPrefix` passing `filter`, in key order, from `continueKey` (exclusive) on, at most
   * `limit`. `remaining` counts the matching entries after the page (upstream's remainingItemCount).
   */
  list(options: { keyPrefix?: string; filter?: EntryFilter; limit?: number; continueAfterKey?: string } = {}): {
    items: CacheEntry[];
    revision: number;
    nextKey?: string;
    remaining?: number;
  } {
    const keys = this.keysInOrder();
    const prefix = options.keyPrefix ?? this.options.prefix;
    let i = lowerBound(keys, options.continueAfterKey !== undefined ? options.continueAfterKey + '\u0000' : prefix);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: CacheEntry[] = [];
    for (; i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      const entry = this.entries.get(key)!;
      if (options.filter && !options.filter(entry)) continue;
      if (items.length === limit) {
        let remaining = 0;
        for (let j = i; j < keys.length && keys[j]!.startsWith(prefix); j++) if (!options.filter || options.filter(this.entries.get(keys[j]!)!)) remaining++;
        return { items, revision: this.revision, nextKey: items[items.length - 1]!.key, remaining };
      }
      items.push(entry);
    }
    return { items, revision: this.revision };
  }

  watch(options: WatchOptions, sink: WatchSink): CacheWatch {
    const watcher: Watcher = { keyPrefix: options.keyPrefix ?? this.options.prefix, filter: options.filter, sink, timers: [], stopped: false };
    const matches = (e: CacheEntry) => e.key.startsWith(watcher.keyPrefix) && (!watcher.filter || watcher.filter(e));
    if (options.afterRevision === undefined) {
      for (const key of this.keysInOrder()) {
        if (!key.startsWith(watcher.keyPrefix)) continue;
        const entry = this.entries.get(key)!;
        if (matches(entry)) sink.event(eventLine('ADDED', entry.json), this.decodedEvent('ADDED', entry));
      }
    } else {
      const after = options.afterRevision;
      if (after > this.revision) throw new TooLargeResourceVersionError(after, this.revision);
      if (after < this.windowStart) throw new ResourceExpiredError(after, this.windowStart + 1);
      for (let i = this.historyStart; i < this.history.length; i++) {
        const event = this.history[i]!;
        if (event.revision > after) this.deliver(watcher, event);
      }
    }
    this.watchers.add(watcher);
    const stop = () => this.stopWatcher(watcher);
    if (options.timeoutMs !== undefined) watcher.timers.push(this.options.clock.after(options.timeoutMs, stop, `watch timeout ${this.options.prefix}`));
    if (options.allowBookmarks) {
      watcher.timers.push(
        this.options.clock.every(this.options.bookmarkIntervalMs ?? 60_000, () => sink.event(this.bookmarkLine()), `watch bookmark ${this.options.prefix}`),
      );
    }
    return { stop };
  }

  /** Stop following storage and end every watch. */
  stop(): void {
    this.stopStorageWatch();
    for (const w of [...this.watchers]) this.stopWatcher(w);
  }

  private stopWatcher(watcher: Watcher): void {
    if (watcher.stopped) return;
    watcher.stopped = true;
    for (const t of watcher.timers) t.cancel();
    this.watchers.delete(watcher);
    watcher.sink.end();
  }

  private bookmarkLine(): string {
    return `{"type":"BOOKMARK","object":{"kind":${JSON.stringify(this.options.kind)},"apiVersion":${JSON.stringify(this.options.apiVersion)},"metadata":{"resourceVersion":"${this.revision}","creationTimestamp":null}}}`;
  }

  private onStorageEvent(e: StorageEvent): void {
    const prev = this.entries.get(e.key);
    let event: HistoryEvent;
    if (e.type === 'PUT') {
      const entry = this.toEntry(e.key, e.value!, e.revision);
      if (!prev && this.sortedKeys) {
        if (!this.removedKeys.delete(e.key)) this.addedKeys.add(e.key);
      }
      this.entries.set(e.key, entry);
      event = prev ? { type: 'MODIFIED', revision: e.revision, entry, prev } : { type: 'ADDED', revision: e.revision, entry };
    } else {
      if (!prev) return;
      this.entries.delete(e.key);
      if (this.sortedKeys && !this.addedKeys.delete(e.key)) this.removedKeys.add(e.key);
      // The deleted object is reported at the revision of its deletion, as upstream does.
      event = { type: 'DELETED', revision: e.revision, entry: { ...prev, json: withResourceVersion(stripResourceVersion(prev.json), e.revision), resourceVersion: e.revision } };
    }
    this.revision = e.revision;
    this.history.push(event);
    if (this.history.length - this.historyStart > this.historySize) {
      this.windowStart = this.history[this.historyStart++]!.revision;
      if (this.historyStart >= this.historySize) {
        this.history = this.history.slice(this.historyStart);
        this.historyStart = 0;
      }
    }
    for (const watcher of this.watchers) this.deliver(watcher, event);
    if (event.prev) this.decodedEntries.delete(event.prev);
  }

  /** Send one event to one watcher, translated through its selector as upstream's cacheWatcher does. */
  private deliver(watcher: Watcher, event: HistoryEvent): void {
    const inScope = (e: CacheEntry | undefined) => e !== undefined && e.key.startsWith(watcher.keyPrefix) && (!watcher.filter || watcher.filter(e));
    if (event.type === 'DELETED') {
      if (inScope(event.entry)) watcher.sink.event(this.lineOf(event, 'DELETED'), this.decodedEvent('DELETED', event.entry));
      return;
    }
    const now = inScope(event.entry);
    const before = event.type === 'MODIFIED' && inScope(event.prev);
    if (now && before) watcher.sink.event(this.lineOf(event, 'MODIFIED'), this.decodedEvent('MODIFIED', event.entry));
    else if (now) watcher.sink.event(this.lineOf(event, 'ADDED'), this.decodedEvent('ADDED', event.entry));
    else if (before) {
      const gone = withResourceVersion(stripResourceVersion(event.prev!.json), event.revision);
      watcher.sink.event(eventLine('DELETED', gone));
    }
  }

  private readonly lines = new WeakMap<HistoryEvent, Map<string, string>>();

  /** The JSON line for an event, built once and shared by every watcher. */
  private lineOf(event: HistoryEvent, type: WatchEventType): string {
    let byType = this.lines.get(event);
    if (!byType) this.lines.set(event, (byType = new Map()));
    let line = byType.get(type);
    if (line === undefined) byType.set(type, (line = eventLine(type, event.entry.json)));
    return line;
  }

  /**
   * Run a write of `value` whose decoded form the writer already holds: the cache takes `object` instead
   * of parsing the value again when the write's event arrives (synchronously, inside `write`).
   */
  decoded<R>(value: string, object: Record<string, unknown>, write: () => R): R {
    this.pendingDecoded = { value, object };
    try {
      return write();
    } finally {
      this.pendingDecoded = undefined;
    }
  }

  /**
   * The cache entry for a stored value. Once in-process readers have asked for decoded objects, every
   * new version is decoded here, once, and kept while it is current (its labels and fields share its
   * strings); until then the writer's own object (or one parse) gives the labels and fields.
   */
  private toEntry(key: string, value: string, revision: number): CacheEntry {
    const hint = this.pendingDecoded;
    let decoded: Record<string, unknown> | undefined;
    let object: Record<string, unknown>;
    if (this.decodedWanted) object = decoded = decodeStored(value, revision);
    else object = hint && hint.value === value ? hint.object : (JSON.parse(value) as Record<string, unknown>);
    const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string; labels?: Record<string, string> };
    const name = metadata.name ?? '';
    const namespace = SHARED_INTERNER.intern(metadata.namespace ?? '');
    const selectable = this.options.selectableFields(object);
    // Copy a template with every field (the kind's fields are fixed), so the object is born with its
    // whole shape and its values inline: a hundred thousand entries each save a separate property array.
    this.fieldsTemplate ??= { 'metadata.name': '', 'metadata.namespace': '', ...Object.fromEntries(Object.keys(selectable).map((k) => [k, ''])) };
    const fields: Record<string, string> = { ...this.fieldsTemplate };
    fields['metadata.name'] = name;
    fields['metadata.namespace'] = namespace;
    for (const field in selectable) fields[field] = SHARED_INTERNER.intern(selectable[field]!);
    const entry = new StoredEntry(key, namespace, name, value, revision, metadata.labels ?? {}, fields);
    if (decoded) this.decodedEntries.set(entry, decoded);
    return entry;
  }

  private keysInOrder(): string[] {
    if (!this.sortedKeys) {
      this.sortedKeys = [...this.entries.keys()].sort();
    } else if (this.addedKeys.size > 0 || this.removedKeys.size > 0) {
      this.sortedKeys = mergeSorted(this.sortedKeys, [...this.addedKeys].sort(), this.removedKeys);
    }
    this.addedKeys.clear();
    this.removedKeys.clear();
    return this.sortedKeys;
  }
}

/**
 * A stored value as readers see it: parsed, with metadata.resourceVersion first in metadata (where
 * withResourceVersion puts it in the JSON), its strings interned, frozen.
 */
function decodeStored(value: string, revision: number): Record<string, unknown> {
  const object = JSON.parse(value) as Record<string, unknown>;
  object.metadata = { resourceVersion: String(revision), ...(object.metadata as Record<string, unknown>) };
  return freezeShared(object, SHARED_SUBTREES, SHARED_INTERNER.intern);
}

/** `sorted` without `removed`, merged with `added` (sorted, none of them in `sorted`): one pass. */
function mergeSorted(sorted: readonly string[], added: readonly string[], removed: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let j = 0;
  for (const key of sorted) {
    if (removed.has(key)) continue;
    while (j < added.length && added[j]! < key) out.push(added[j++]!);
    out.push(key);
  }
  while (j < added.length) out.push(added[j++]!);
  return out;
}

/** A cache entry over storage's value (the same string etcd keeps): the JSON with its resourceVersion is built on demand. */
class StoredEntry implements CacheEntry {
  constructor(
    readonly key: string,
    readonly namespace: string,
    readonly name: string,
    private readonly value: string,
    readonly resourceVersion: number,
    readonly labels: Readonly<Record<string, string>>,
    readonly fields: Readonly<Record<string, string>>,
  ) {}

  get json(): string {
    return withResourceVersion(this.value, this.resourceVersion);
  }
}

export function eventLine(type: WatchEventType, objectJson: string): string {
  return `{"type":"${type}","object":${objectJson}}`;
}

const METADATA = '"metadata":{';

/**
 * The stored JSON with `metadata.resourceVersion` set. Stored objects put apiVersion, kind, metadata
 * first (see canonicalJson), so the first `"metadata":{` is the object's own.
 */
export function withResourceVersion(json: string, revision: number): string {
  const at = json.indexOf(METADATA);
  if (at < 0) throw new Error('stored object has no metadata');
  const insertAt = at + METADATA.length;
  const field = `"resourceVersion":"${revision}"`;
  return json.slice(0, insertAt) + field + (json[insertAt] === '}' ? '' : ',') + json.slice(insertAt);
}

/** The inverse of withResourceVersion (for objects re-reported at another revision). */
export function stripResourceVersion(json: string): string {
  return json.replace(/^(.*?"metadata":\{)"resourceVersion":"\d+",?/s, '$1');
}
