/**
 * Reflector — client-go's cache.Reflector (tools/cache/reflector.go): keeps a store (an informer's
 * DeltaFIFO) in step with the apiserver for one resource by ListAndWatch.
 *
 * ListAndWatch:
 * 1. List, in pages of 500 (`limit`/`continue`), from resourceVersion "0" the first time (the watch cache
 *    may answer) or from the last resourceVersion seen; a list that answers 410 Expired (or "too large
 *    resource version") is retried at once from "" (a consistent read), and a continue token that
 *    expires mid-way falls back to one unpaged list. The result replaces the store's contents.
 * 2. Watch from the list's resourceVersion with bookmarks and a timeout drawn between 5 and 10 minutes;
 *    ADDED/MODIFIED/DELETED go to the store, every event (bookmarks too) advances the last seen
 *    resourceVersion. When the server ends a watch normally, watch again from the last seen
 *    resourceVersion, without relisting.
 * 3. A watch that ends in an ERROR event (410 Expired/Gone: the server no longer has our resourceVersion),
 *    or ends within a second with no events, ends ListAndWatch; so does any list or watch-start failure
 *    (a 429 on watch start only backs off and watches again).
 * After ListAndWatch ends, the reflector waits on its backoff manager (800ms doubling to 30s, each with
 * up to 100% jitter, reset after 2 minutes without trouble) and lists again. While watching, every
 * `resyncPeriodMs` it asks `shouldResync` and, if so, calls the store's `resync`.
 *
 * Every delay is a timer on the injected Clock and every random draw comes from the injected SeededRng.
 * `stop` ends the loop: timers are cancelled, the watch is stopped, a list still in flight is ignored.
 * Left out: the WatchList (streaming list) feature, the expected-type checks, internal-error retries.
 */
import type { Status } from 'kubernetes-types/meta/v1';
import { StatusError, type StatusReason } from '../../api/errors.ts';
import type { Clock, Timer } from '../../base/clock.ts';
import { Emitter, type Disposable } from '../../base/emitter.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { KubeObject, ListOptions, Watch, WatchEvent } from '../rest/restClient.ts';
import type { ListerWatcher } from './listWatch.ts';

/** What a reflector writes to: DeltaFIFO implements it. */
export interface ReflectorStore<T> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
  replace(list: readonly T[], resourceVersion: string): void;
  resync(): void;
}

export interface ReflectorOptions {
  clock: Clock;
  /** Jitter for the backoff and the watch timeouts. */
  rng: SeededRng;
  /** For errors and traces, e.g. "pods". */
  name?: string;
  /** How often to consider a resync (0: never). */
  resyncPeriodMs?: number;
  /** Asked at each resync tick; resync happens only when it returns true (no function: always). */
  shouldResync?: () => boolean;
  /** Items per list page (0: no paging). Default 500, as client-go's pager. */
  pageSize?: number;
  /** Watches time out between this and twice this. Default 5 minutes. */
  minWatchTimeoutMs?: number;
}

export interface ReflectorError {
  /** Which step failed. */
  during: 'list' | 'watch';
  error: unknown;
}

/**
 * client-go's exponentialBackoffManagerImpl (apimachinery wait): each `backoff()` returns the next delay
 * (initial × factor^n, capped, plus up to `jitter` × itself), back to the initial after `resetMs` of quiet.
 */
export class ExponentialBackoffManager {
  private duration: number;
  private capped = false;
  private lastBackoffStart: number;

  constructor(
    private readonly clock: Clock,
    private readonly rng: SeededRng,
    private readonly options = { initialMs: 800, maxMs: 30_000, resetMs: 120_000, factor: 2, jitter: 1 },
  ) {
    this.duration = options.initialMs;
    this.lastBackoffStart = clock.now();
  }

  backoff(): number {
    const now = this.clock.now();
    if (now - this.lastBackoffStart > this.options.resetMs) {
      this.duration = this.options.initialMs;
      this.capped = false;
    }
    this.lastBackoffStart = now;
    const base = this.duration;
    if (!this.capped) {
      this.duration *= this.options.factor;
      if (this.duration > this.options.maxMs) {
        this.duration = this.options.maxMs;
        this.capped = true;
      }
    }
    return Math.floor(base + this.rng.next() * this.options.jitter * base);
  }
}

const STOPPED = Symbol('stopped');

export class Reflector<T extends KubeObject> {
  private lastSyncRV = '';
  private lastSyncRVUnavailable = false;
  private running = false;
  private stopped = false;
  private readonly backoff: ExponentialBackoffManager;
  private readonly name: string;
  private sleepTimer: { timer: Timer; wake: () => void } | undefined;
  private abortWatch: (() => void) | undefined;
  private resyncTimer: Timer | undefined;

  private readonly _onDidError = new Emitter<ReflectorError>();
  /** A list or watch failed (client-go logs these; the reflector recovers by itself). */
  readonly onDidError = this._onDidError.event;

  constructor(
    private readonly listerWatcher: ListerWatcher<T>,
    private readonly store: ReflectorStore<T>,
    private readonly options: ReflectorOptions,
  ) {
    this.backoff = new ExponentialBackoffManager(options.clock, options.rng);
    this.name = options.name ?? 'reflector';
  }

  /** The resourceVersion of the last list or watch event seen ('' before the first list). */
  lastSyncResourceVersion(): string {
    return this.lastSyncRV;
  }

  /** Start ListAndWatch, again and again with backoff, until `stop`. */
  run(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    void this.loop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.resyncTimer?.cancel();
    this.abortWatch?.();
    if (this.sleepTimer) {
      this.sleepTimer.timer.cancel();
      this.sleepTimer.wake();
    }
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.listAndWatch();
      } catch (error) {
        if (!this.stopped) this._onDidError.fire({ during: 'list', error });
      }
      if (this.stopped) break;
      await this.sleep(this.backoff.backoff());
    }
    this.running = false;
  }

  /** One ListAndWatch; resolves when the watch loop gives up (the caller backs off and relists). */
  private async listAndWatch(): Promise<void> {
    await this.list();
    if (this.stopped) return;
    this.startResync();
    try {
      await this.watchLoop();
    } finally {
      this.resyncTimer?.cancel();
      this.resyncTimer = undefined;
    }
  }

  private relistResourceVersion(): string {
    if (this.lastSyncRVUnavailable) return '';
    return this.lastSyncRV === '' ? '0' : this.lastSyncRV;
  }

  private async list(): Promise<void> {
    let result: { items: T[]; resourceVersion: string };
    try {
      result = await this.listAll(this.relistResourceVersion());
    } catch (error) {
      if (!isExpired(error) && !isTooLargeResourceVersion(error)) throw error;
      // The resourceVersion we asked for is gone: read the latest state instead.
      this.lastSyncRVUnavailable = true;
      result = await this.listAll(this.relistResourceVersion());
    }
    if (this.stopped) return;
    this.lastSyncRVUnavailable = false;
    this.store.replace(result.items, result.resourceVersion);
    this.lastSyncRV = result.resourceVersion;
  }

  /** client-go's ListPager: pages until no continue token; an expired token falls back to a full list. */
  private async listAll(resourceVersion: string): Promise<{ items: T[]; resourceVersion: string }> {
    // Listing from a specific resourceVersion without paging lets the watch cache answer.
    const limit = resourceVersion !== '' && resourceVersion !== '0' ? 0 : (this.options.pageSize ?? 500);
    const items: T[] = [];
    let options: ListOptions = { resourceVersion, limit: limit || undefined };
    for (;;) {
      let page;
      try {
        page = await this.listerWatcher.list(options);
      } catch (error) {
        if (!options.continue || !isExpired(error)) throw error;
        const full = await this.listerWatcher.list({ resourceVersion: '' });
        return { items: full.items, resourceVersion: full.metadata.resourceVersion ?? '' };
      }
      items.push(...page.items);
      const next = page.metadata.continue;
      if (!next || !limit) return { items, resourceVersion: page.metadata.resourceVersion ?? '' };
      // A continue token carries its own resourceVersion: the server rejects both.
      options = { limit, continue: next };
    }
  }

  private async watchLoop(): Promise<void> {
    while (!this.stopped) {
      const start = this.options.clock.now();
      const minTimeout = this.options.minWatchTimeoutMs ?? 5 * 60_000;
      const options: ListOptions = {
        resourceVersion: this.lastSyncRV,
        timeoutSeconds: Math.floor((minTimeout / 1000) * (this.options.rng.next() + 1)),
        allowWatchBookmarks: true,
      };
      let watch: Watch<T>;
      try {
        watch = await this.listerWatcher.watch(options);
      } catch (error) {
        if (this.stopped) return;
        this._onDidError.fire({ during: 'watch', error });
        if (error instanceof StatusError && error.code === 429) {
          await this.sleep(this.backoff.backoff());
          continue;
        }
        // Any other failure to start a watch ends ListAndWatch: back off, then relist.
        return;
      }
      if (this.stopped) {
        watch.stop();
        return;
      }
      const ended = await this.handleWatch(start, watch);
      watch.stop();
      if (ended === STOPPED) return;
      if (ended !== undefined) {
        this._onDidError.fire({ during: 'watch', error: ended });
        if (ended instanceof StatusError && ended.code === 429) {
          await this.sleep(this.backoff.backoff());
          continue;
        }
        return;
      }
    }
  }

  /** Feed one watch into the store; resolves with why it ended (undefined: the server closed it normally). */
  private handleWatch(start: number, watch: Watch<T>): Promise<unknown> {
    return new Promise((resolve) => {
      let events = 0;
      let settled = false;
      const subscriptions: Disposable[] = [];
      const finish = (why: unknown) => {
        if (settled) return;
        settled = true;
        this.abortWatch = undefined;
        for (const s of subscriptions) s.dispose();
        resolve(why);
      };
      subscriptions.push(
        watch.onEvent((event) => {
          if (settled) return;
          if (event.type === 'ERROR') {
            finish(statusErrorOf(event));
            return;
          }
          this.apply(event);
          events++;
        }),
        watch.onDone((error) => {
          if (settled) return;
          if (error !== undefined) finish(error);
          else if (this.options.clock.now() - start < 1000 && events === 0) {
            finish(new Error(`very short watch: ${this.name}: Unexpected watch close - watch lasted less than a second and no items received`));
          } else finish(undefined);
        }),
      );
      // Subscribing may have delivered buffered events, even the end, synchronously.
      if (settled) for (const s of subscriptions) s.dispose();
      else this.abortWatch = () => finish(STOPPED);
    });
  }

  private apply(event: WatchEvent<T>): void {
    const obj = event.object;
    switch (event.type) {
      case 'ADDED':
        this.store.add(obj);
        break;
      case 'MODIFIED':
        this.store.update(obj);
        break;
      case 'DELETED':
        this.store.delete(obj);
        break;
      case 'BOOKMARK':
        break;
      default:
        return;
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.lastSyncRV = rv;
  }

  private startResync(): void {
    const period = this.options.resyncPeriodMs ?? 0;
    if (period <= 0) return;
    const tick = () => {
      if (this.stopped) return;
      if (!this.options.shouldResync || this.options.shouldResync()) this.store.resync();
      this.resyncTimer = this.options.clock.after(period, tick, `reflector ${this.name} resync`);
    };
    this.resyncTimer = this.options.clock.after(period, tick, `reflector ${this.name} resync`);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const wake = () => {
        this.sleepTimer = undefined;
        resolve();
      };
      this.sleepTimer = { timer: this.options.clock.after(ms, wake, `reflector ${this.name} backoff`), wake };
    });
  }
}

/** The Status an ERROR watch event carries, as the StatusError client-go's apierrors.FromObject makes. */
function statusErrorOf(event: WatchEvent<unknown>): StatusError {
  const status = event.object as Partial<Status>;
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    ...status,
    status: 'Failure',
    code: status.code ?? 500,
    reason: (status.reason ?? '') as StatusReason,
  });
}

/** 410: Expired or Gone — the resourceVersion asked for is older than the server keeps. */
export function isExpired(error: unknown): boolean {
  return error instanceof StatusError && (error.reason === 'Expired' || error.reason === 'Gone' || error.code === 410);
}

function isTooLargeResourceVersion(error: unknown): boolean {
  return error instanceof StatusError && error.code === 504 && (error.status.details?.causes ?? []).some((c) => c.reason === 'ResourceVersionTooLarge');
}
