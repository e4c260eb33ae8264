/**
 * DeltaFIFO — client-go's cache.DeltaFIFO (tools/cache/delta_fifo.go): the queue between a reflector
 * and an informer's handlers.
 *
 * Why it exists: a reflector produces a stream of changes (list results, watch events, resyncs) faster
 * than handlers may consume them, and a plain FIFO of objects would lose *what happened* — a handler must
 * tell an add from an update from a delete, and a delete must not be lost even if the object was added
 * and deleted before anyone looked. So the queue holds, per object key, the list of Deltas not yet
 * processed, in order; a key is queued once however many deltas it accumulates.
 *
 * Guarantees:
 * - `pop` hands out one key's whole Deltas (oldest first), keys in the order they were first queued;
 *   a key whose deltas are being processed can be queued again and will be popped again later.
 * - Two consecutive deletes of a key collapse into one (keeping the one with more information: a real
 *   delete over a DeletedFinalStateUnknown).
 * - `replace(list)` (a relist) queues Replaced for every listed object and, for every key the queue or
 *   `knownObjects` (the informer's indexer) has but the list lacks, a Deleted carrying a
 *   DeletedFinalStateUnknown: a delete missed while the watch was down is still delivered.
 * - `resync` queues Sync for every key of knownObjects that has no delta pending.
 * - `hasSynced` turns true once the first replace (or add/update/delete) has happened and every item of
 *   that first batch has been popped and processed.
 *
 * Left out: the object transformer, the deprecated Sync-for-Replace mode (Replaced is always emitted, as
 * informers ask), and ErrRequeue. `pop`'s process function is synchronous: handlers run to completion
 * before the next pop, which is what "processed" means in hasSynced.
 */
import { DeletedFinalStateUnknown, type KeyFunc } from './store.ts';

export type DeltaType = 'Added' | 'Updated' | 'Deleted' | 'Replaced' | 'Sync';

export interface Delta<T> {
  type: DeltaType;
  object: T | DeletedFinalStateUnknown<T>;
}

/** A key's pending changes, oldest first. Never empty. */
export type Deltas<T> = Delta<T>[];

/** What DeltaFIFO needs of the informer's indexer: the keys and objects the consumer already holds. */
export interface KeyListerGetter<T> {
  listKeys(): string[];
  getByKey(key: string): T | undefined;
}

export interface DeltaFifoOptions<T> {
  keyFunc: KeyFunc<T>;
  /** The consumer's store (the informer's indexer): lets replace and resync see what was delivered. */
  knownObjects?: KeyListerGetter<T>;
}

/** The newest delta of a key's list. */
export function newest<T>(deltas: Deltas<T>): Delta<T> | undefined {
  return deltas[deltas.length - 1];
}

export class DeltaFifo<T> {
  private readonly items = new Map<string, Deltas<T>>();
  private queue: string[] = [];
  private populated = false;
  private initialPopulationCount = 0;
  private closed = false;
  private readonly waiters: Array<() => void> = [];
  private readonly keyFunc: KeyFunc<T>;
  private readonly knownObjects: KeyListerGetter<T> | undefined;

  constructor(options: DeltaFifoOptions<T>) {
    this.keyFunc = options.keyFunc;
    this.knownObjects = options.knownObjects;
  }

  /** The key of an object, a DeletedFinalStateUnknown, or a key's Deltas (its newest object). */
  keyOf(obj: T | DeletedFinalStateUnknown<T> | Deltas<T>): string {
    if (Array.isArray(obj)) {
      const last = newest(obj as Deltas<T>);
      if (!last) throw new Error('0 length Deltas object; can\'t get key');
      return this.keyOf(last.object);
    }
    if (obj instanceof DeletedFinalStateUnknown) return obj.key;
    return this.keyFunc(obj as T);
  }

  add(obj: T): void {
    this.populated = true;
    this.queueAction('Added', obj);
  }

  update(obj: T): void {
    this.populated = true;
    this.queueAction('Updated', obj);
  }

  /**
   * Queue a Deleted delta — unless nothing could be deleted: the key is neither pending nor known to the
   * consumer (without knownObjects: not pending).
   */
  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    const key = this.keyOf(obj);
    this.populated = true;
    const pending = this.items.has(key);
    if (!pending && (!this.knownObjects || this.knownObjects.getByKey(key) === undefined)) return;
    this.queueAction('Deleted', obj);
  }

  /** A relist: Replaced for each object, Deleted(DeletedFinalStateUnknown) for each key no longer listed. */
  replace(list: readonly T[], _resourceVersion: string): void {
    const keys = new Set<string>();
    for (const obj of list) {
      const key = this.keyOf(obj);
      keys.add(key);
      this.queueAction('Replaced', obj);
    }
    let queuedDeletions = 0;
    // Deletions of objects still waiting in the queue.
    for (const [key, deltas] of [...this.items]) {
      if (keys.has(key)) continue;
      let last = newest(deltas)?.object;
      if (last instanceof DeletedFinalStateUnknown) last = last.obj;
      queuedDeletions++;
      this.queueAction('Deleted', new DeletedFinalStateUnknown<T>(key, last));
    }
    // Deletions of objects the consumer already has.
    if (this.knownObjects) {
      for (const key of this.knownObjects.listKeys()) {
        if (keys.has(key) || (this.items.get(key)?.length ?? 0) > 0) continue;
        queuedDeletions++;
        this.queueAction('Deleted', new DeletedFinalStateUnknown<T>(key, this.knownObjects.getByKey(key)));
      }
    }
    if (!this.populated) {
      this.populated = true;
      this.initialPopulationCount = keys.size + queuedDeletions;
    }
  }

  /** Queue Sync for every known object that has nothing pending (so a resync never replays a stale copy). */
  resync(): void {
    if (!this.knownObjects) return;
    for (const key of this.knownObjects.listKeys()) {
      const obj = this.knownObjects.getByKey(key);
      if (obj === undefined) continue;
      if ((this.items.get(this.keyOf(obj))?.length ?? 0) > 0) continue;
      this.queueAction('Sync', obj);
    }
  }

  /**
   * Wait for a key, remove it with its Deltas, and run `process` on them; resolves with the Deltas, or
   * undefined once the queue is closed. `isInInitialList` is true for items of the first replace.
   */
  async pop(process: (deltas: Deltas<T>, isInInitialList: boolean) => void): Promise<Deltas<T> | undefined> {
    while (this.queue.length === 0) {
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const key = this.queue.shift()!;
    const isInInitialList = !this.hasSynced();
    const deltas = this.items.get(key)!;
    this.items.delete(key);
    try {
      process(deltas, isInInitialList);
    } finally {
      // Counted only once processed: hasSynced never answers true while the last item is in a handler.
      if (this.initialPopulationCount > 0) this.initialPopulationCount--;
    }
    return deltas;
  }

  /** Whether the first batch (replace or first add) has been popped entirely. */
  hasSynced(): boolean {
    return this.populated && this.initialPopulationCount === 0;
  }

  /** Wake every waiting pop with "closed"; later pops return undefined once the queue is empty. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The newest object of every pending key. */
  list(): Array<T | DeletedFinalStateUnknown<T>> {
    return [...this.items.values()].map((deltas) => newest(deltas)!.object);
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  /** A copy of a key's pending Deltas. */
  getByKey(key: string): Deltas<T> | undefined {
    const deltas = this.items.get(key);
    return deltas ? [...deltas] : undefined;
  }

  /** Number of queued keys. */
  get length(): number {
    return this.queue.length;
  }

  private queueAction(type: DeltaType, obj: T | DeletedFinalStateUnknown<T>): void {
    const key = this.keyOf(obj);
    const deltas = dedupDeltas([...(this.items.get(key) ?? []), { type, object: obj }]);
    if (!this.items.has(key)) this.queue.push(key);
    this.items.set(key, deltas);
    this.wake();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/** Collapse the last two deltas when they say the same thing (only deletes, today). */
function dedupDeltas<T>(deltas: Deltas<T>): Deltas<T> {
  const n = deltas.length;
  if (n < 2) return deltas;
  const a = deltas[n - 2]!;
  const b = deltas[n - 1]!;
  if (a.type === 'Deleted' && b.type === 'Deleted') {
    // Keep the delete that knows more: a DeletedFinalStateUnknown says less than a watched delete.
    const kept = b.object instanceof DeletedFinalStateUnknown ? a : b;
    return [...deltas.slice(0, n - 2), kept];
  }
  return deltas;
}
