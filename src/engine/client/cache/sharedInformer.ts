/**
 * SharedIndexInformer — client-go's cache.SharedIndexInformer (tools/cache/shared_informer.go,
 * controller.go): one reflector, one DeltaFIFO and one indexer per resource, shared by every handler of
 * a process, so N controllers watching pods cost one watch.
 *
 * The loop: the reflector fills the DeltaFIFO; `processDeltas` pops each key's deltas, applies them to
 * the indexer (the cache listers read) and then tells the handlers: onAdd for an object the indexer did
 * not have, onUpdate(old, new) for one it had, onDelete (with the object or a DeletedFinalStateUnknown).
 *
 * Guarantees:
 * - Handlers see the indexer already updated: a lister read inside a handler sees the new state.
 * - A handler added after `run` first receives a synthetic onAdd (isInInitialList = true) for every object
 *   in the cache, then live notifications; none is skipped or doubled.
 * - `hasSynced` is true once the first list has been delivered to the indexer and every handler;
 *   `waitForSync` resolves then (false if stopped before).
 * - Resync: each handler may ask for a resync period (≥ 1s, and not below the informer's check period once
 *   started). Every check period, handlers whose period has come receive onUpdate(obj, obj) for every
 *   cached object; other handlers are not disturbed. A relist that returns an object at the same
 *   resourceVersion counts as such a resync, not as a change.
 *
 * Unlike client-go, handlers run synchronously on the informer's loop, in registration order (Go gives
 * each its own goroutine and buffer): keep them to computing a key and enqueueing it, as controllers do.
 * A handler that throws does not stop the others (the error goes to `onHandlerError`). Left out: the
 * transform function, watch-list streaming, per-handler buffers.
 *
 * SharedInformerFactory hands out one informer per resource, starts them together and waits for them.
 */
import type { Clock } from '../../base/clock.ts';
import { Emitter } from '../../base/emitter.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { groupResourceString } from '../../api/errors.ts';
import type { GroupVersionResource, KubeObject, RestClient } from '../rest/restClient.ts';
import { DeltaFifo, type Deltas } from './deltaFifo.ts';
import { Cache, NAMESPACE_INDEX, metaNamespaceIndexFunc, type Indexers } from './indexer.ts';
import { Lister } from './lister.ts';
import { listWatchFromClient, type ListerWatcher, type TweakListOptions } from './listWatch.ts';
import { Reflector, type ReflectorError } from './reflector.ts';
import { deletionHandlingMetaNamespaceKeyFunc, type DeletedFinalStateUnknown, type Store } from './store.ts';

/** client-go's ResourceEventHandlerFuncs: every member optional. */
export interface ResourceEventHandler<T> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

/** What addEventHandler returns: remove the handler with it, or ask whether it has seen the initial list. */
export interface ResourceEventHandlerRegistration {
  hasSynced(): boolean;
}

export interface SharedInformerOptions<T> {
  clock: Clock;
  rng: SeededRng;
  /** The default resync period of handlers (0: no resync). */
  defaultResyncMs?: number;
  indexers?: Indexers<T>;
  /** For errors and traces, e.g. "pods". */
  name?: string;
  /** Where a throwing handler's error goes (default: rethrown in a microtask, as Emitter does). */
  onHandlerError?: (error: unknown) => void;
}

/** Smallest resync period a handler may ask for. */
export const MINIMUM_RESYNC_PERIOD_MS = 1000;

class Listener<T> implements ResourceEventHandlerRegistration {
  nextResync = 0;
  resyncPeriodMs = 0;
  /** Chosen by the last shouldResync: receives this round's Sync notifications. */
  syncing = false;

  constructor(
    readonly handler: ResourceEventHandler<T>,
    readonly requestedResyncMs: number,
    private readonly informerSynced: () => boolean,
  ) {}

  hasSynced(): boolean {
    return this.informerSynced();
  }
}

export class SharedIndexInformer<T extends KubeObject> {
  private readonly indexer: Cache<T>;
  private readonly listeners: Listener<T>[] = [];
  private resyncCheckPeriodMs: number;
  private readonly defaultResyncMs: number;
  private fifo: DeltaFifo<T> | undefined;
  private reflector: Reflector<T> | undefined;
  private started = false;
  private stopped = false;
  private syncedFired = false;

  private readonly _onDidSync = new Emitter<boolean>();
  private readonly _onDidError = new Emitter<ReflectorError>();
  /** The reflector's list and watch failures (it recovers by itself). */
  readonly onDidError = this._onDidError.event;

  constructor(
    private readonly listerWatcher: ListerWatcher<T>,
    private readonly options: SharedInformerOptions<T>,
  ) {
    this.indexer = new Cache<T>(deletionHandlingMetaNamespaceKeyFunc, options.indexers ?? {});
    this.defaultResyncMs = options.defaultResyncMs ?? 0;
    this.resyncCheckPeriodMs = this.defaultResyncMs;
  }

  /** Register a handler; after `run`, it first gets an onAdd for every cached object. */
  addEventHandler(handler: ResourceEventHandler<T>, resyncPeriodMs = this.defaultResyncMs): ResourceEventHandlerRegistration {
    if (this.stopped) throw new Error(`handler was not added to shared informer ${this.name} because it has stopped already`);
    let resync = resyncPeriodMs;
    if (resync > 0) {
      if (resync < MINIMUM_RESYNC_PERIOD_MS) resync = MINIMUM_RESYNC_PERIOD_MS;
      if (resync < this.resyncCheckPeriodMs) {
        if (this.started) resync = this.resyncCheckPeriodMs;
        else {
          this.resyncCheckPeriodMs = resync;
          for (const l of this.listeners) l.resyncPeriodMs = determineResyncPeriod(l.requestedResyncMs, resync);
        }
      }
    }
    const listener = new Listener<T>(handler, resync, () => this.hasSynced());
    listener.resyncPeriodMs = determineResyncPeriod(resync, this.resyncCheckPeriodMs);
    listener.nextResync = this.options.clock.now() + listener.resyncPeriodMs;
    this.listeners.push(listener);
    if (this.started) for (const obj of this.indexer.list()) this.call(() => handler.onAdd?.(obj, true));
    return listener;
  }

  removeEventHandler(registration: ResourceEventHandlerRegistration): void {
    const i = this.listeners.indexOf(registration as Listener<T>);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  /** Add indexers; only before `run`, as client-go. */
  addIndexers(indexers: Indexers<T>): void {
    if (this.started) throw new Error('informer has already started');
    this.indexer.addIndexers(indexers);
  }

  getStore(): Store<T> {
    return this.indexer;
  }

  getIndexer(): Cache<T> {
    return this.indexer;
  }

  lister(): Lister<T> {
    return new Lister(this.indexer);
  }

  /** Start listing, watching and delivering; a second call does nothing. */
  run(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    const fifo = new DeltaFifo<T>({ keyFunc: deletionHandlingMetaNamespaceKeyFunc, knownObjects: this.indexer });
    this.fifo = fifo;
    const store = {
      add: (obj: T) => fifo.add(obj),
      update: (obj: T) => fifo.update(obj),
      delete: (obj: T) => fifo.delete(obj),
      replace: (list: readonly T[], rv: string) => {
        fifo.replace(list, rv);
        // An empty first list is synced with nothing to pop.
        this.checkSynced();
      },
      resync: () => fifo.resync(),
    };
    this.reflector = new Reflector<T>(this.listerWatcher, store, {
      clock: this.options.clock,
      rng: this.options.rng,
      name: this.name,
      resyncPeriodMs: this.resyncCheckPeriodMs,
      shouldResync: () => this.shouldResync(),
    });
    this.reflector.onDidError((e) => this._onDidError.fire(e));
    this.reflector.run();
    void this.processLoop(fifo);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.reflector?.stop();
    this.fifo?.close();
    if (!this.syncedFired) {
      this.syncedFired = true;
      this._onDidSync.fire(false);
    }
    this._onDidSync.dispose();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  hasSynced(): boolean {
    return this.fifo?.hasSynced() ?? false;
  }

  /** Resolves true once synced, false if stopped first. */
  waitForSync(): Promise<boolean> {
    if (this.hasSynced()) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => this._onDidSync.event(resolve));
  }

  lastSyncResourceVersion(): string {
    return this.reflector?.lastSyncResourceVersion() ?? '';
  }

  private get name(): string {
    return this.options.name ?? 'informer';
  }

  private async processLoop(fifo: DeltaFifo<T>): Promise<void> {
    while (!this.stopped) {
      const popped = await fifo.pop((deltas, isInInitialList) => this.processDeltas(deltas, isInInitialList));
      if (popped === undefined) return;
      this.checkSynced();
    }
  }

  private checkSynced(): void {
    if (this.syncedFired || !this.hasSynced()) return;
    this.syncedFired = true;
    this._onDidSync.fire(true);
  }

  /** client-go's processDeltas: update the indexer, then notify. */
  private processDeltas(deltas: Deltas<T>, isInInitialList: boolean): void {
    for (const { type, object } of deltas) {
      if (type === 'Deleted') {
        this.indexer.delete(object);
        this.distribute(false, (h) => h.onDelete?.(object));
        continue;
      }
      const obj = object as T;
      const old = this.indexer.get(obj);
      if (old !== undefined) {
        this.indexer.update(obj);
        const isSync = type === 'Sync' || (type === 'Replaced' && old.metadata?.resourceVersion === obj.metadata?.resourceVersion);
        this.distribute(isSync, (h) => h.onUpdate?.(old, obj));
      } else {
        this.indexer.add(obj);
        this.distribute(false, (h) => h.onAdd?.(obj, isInInitialList));
      }
    }
  }

  private distribute(isSync: boolean, notify: (handler: ResourceEventHandler<T>) => void): void {
    for (const listener of [...this.listeners]) {
      if (isSync && !listener.syncing) continue;
      this.call(() => notify(listener.handler));
    }
  }

  /** Which handlers are due a resync now; true if any (the reflector then resyncs the FIFO). */
  private shouldResync(): boolean {
    const now = this.options.clock.now();
    let any = false;
    for (const listener of this.listeners) {
      listener.syncing = listener.resyncPeriodMs !== 0 && now >= listener.nextResync;
      if (listener.syncing) {
        any = true;
        listener.nextResync = now + listener.resyncPeriodMs;
      }
    }
    return any;
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      (this.options.onHandlerError ?? rethrowLater)(error);
    }
  }
}

function determineResyncPeriod(desired: number, check: number): number {
  if (desired === 0 || check === 0) return 0;
  return Math.max(desired, check);
}

function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

/** Resolves true when every informer has synced, false as soon as one is stopped unsynced (cache.WaitForCacheSync). */
export async function waitForCacheSync(...informers: Array<{ waitForSync(): Promise<boolean> }>): Promise<boolean> {
  const results = await Promise.all(informers.map((i) => i.waitForSync()));
  return results.every(Boolean);
}

export interface SharedInformerFactoryOptions {
  clock: Clock;
  rng: SeededRng;
  defaultResyncMs?: number;
  /** Only this namespace ('' = all). */
  namespace?: string;
  tweakListOptions?: TweakListOptions;
}

/** client-go's SharedInformerFactory over a RestClient: one informer per resource, started together. */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly startedInformers = new Set<string>();
  private shuttingDown = false;

  constructor(
    private readonly client: RestClient,
    private readonly options: SharedInformerFactoryOptions,
  ) {}

  /**
   * The informer for `gvr`, created on first use with the standard namespace index. The type parameter
   * is the caller's promise about what the resource holds; every caller of one gvr should agree.
   */
  informerFor<T extends KubeObject>(gvr: GroupVersionResource, options: { resyncMs?: number } = {}): SharedIndexInformer<T> {
    const key = groupResourceString(gvr);
    let informer = this.informers.get(key);
    if (!informer) {
      const lw = listWatchFromClient<KubeObject>(this.client, gvr, this.options.namespace ?? '', this.options.tweakListOptions);
      informer = new SharedIndexInformer<KubeObject>(lw, {
        clock: this.options.clock,
        rng: this.options.rng.fork(`informer ${key}`),
        defaultResyncMs: options.resyncMs ?? this.options.defaultResyncMs ?? 0,
        indexers: { [NAMESPACE_INDEX]: metaNamespaceIndexFunc },
        name: key,
      });
      this.informers.set(key, informer);
    }
    // The map holds informers of many object types; T is fixed per gvr by the caller's contract above.
    return informer as unknown as SharedIndexInformer<T>;
  }

  /** A lister over the informer for `gvr` (creating the informer if needed). */
  lister<T extends KubeObject>(gvr: GroupVersionResource): Lister<T> {
    return this.informerFor<T>(gvr).lister();
  }

  /** Run every informer asked for so far and not yet started. */
  start(): void {
    if (this.shuttingDown) return;
    for (const [key, informer] of this.informers) {
      if (this.startedInformers.has(key)) continue;
      this.startedInformers.add(key);
      informer.run();
    }
  }

  /** Wait for every started informer; resolves with each one's result by resource ("pods", "deployments.apps"). */
  async waitForCacheSync(): Promise<Map<string, boolean>> {
    const started = [...this.startedInformers];
    const results = await Promise.all(started.map((key) => this.informers.get(key)!.waitForSync()));
    return new Map(started.map((key, i) => [key, results[i]!]));
  }

  /** Stop every informer; the factory starts no more. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const informer of this.informers.values()) informer.stop();
  }
}
