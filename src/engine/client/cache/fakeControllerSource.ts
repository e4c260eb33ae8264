/**
 * FakeControllerSource — client-go's tools/cache/testing.FakeControllerSource: an in-memory
 * ListerWatcher for testing reflectors, informers and controllers without an apiserver.
 *
 * `add`/`modify`/`delete` change its objects, bump its resourceVersion (stamped on the object) and send
 * the event to every open watch. A watch replays the events after the resourceVersion it asks for; one
 * older than the last `compact()` gets the apiserver's answer — an ERROR event (410 Expired) and the end.
 * `breakWatches` ends every watch as a server timeout would; `failNext('list' | 'watch', error)` makes
 * the next call reject. `lists` and `watches` record the options of every call.
 */
import type { Status } from 'kubernetes-types/meta/v1';
import { StatusError } from '../../api/errors.ts';
import { Emitter } from '../../base/emitter.ts';
import type { KubeObject, ListOptions, ObjectList, Watch, WatchEvent, WatchEventType } from '../rest/restClient.ts';
import type { ListerWatcher } from './listWatch.ts';
import { metaNamespaceKeyFunc } from './store.ts';

interface Recorded<T> {
  rv: number;
  event: WatchEvent<T>;
}

/** A Watch that keeps events (and its end) until someone subscribes. */
export class FakeWatch<T> implements Watch<T> {
  private buffered: WatchEvent<T>[] | undefined = [];
  private ended: { error?: unknown } | undefined;
  private readonly events = new Emitter<WatchEvent<T>>();
  private readonly done = new Emitter<unknown>();
  stopped = false;

  constructor(private readonly onStop: (w: FakeWatch<T>) => void = () => {}) {}

  onEvent(listener: (event: WatchEvent<T>) => void) {
    const d = this.events.event(listener);
    const pending = this.buffered;
    this.buffered = undefined;
    for (const e of pending ?? []) listener(e);
    return d;
  }

  onDone(listener: (error?: unknown) => void) {
    if (this.ended) {
      listener(this.ended.error);
      return { dispose() {} };
    }
    return this.done.event(listener);
  }

  stop(): void {
    this.stopped = true;
    this.end();
  }

  /** Server side: send one event. */
  send(event: WatchEvent<T>): void {
    if (this.ended) return;
    if (this.buffered) this.buffered.push(event);
    else this.events.fire(event);
  }

  /** Server side: close the watch (with an error: a broken connection). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = { error };
    this.onStop(this);
    this.done.fire(error);
    this.done.dispose();
  }

  get isEnded(): boolean {
    return this.ended !== undefined;
  }
}

export class FakeControllerSource<T extends KubeObject> implements ListerWatcher<T> {
  private readonly items = new Map<string, T>();
  private rv = 0;
  private compactedRv = 0;
  private history: Recorded<T>[] = [];
  private readonly open = new Set<FakeWatch<T>>();
  private readonly failures: { list: unknown[]; watch: unknown[] } = { list: [], watch: [] };
  readonly lists: ListOptions[] = [];
  readonly watches: ListOptions[] = [];

  get resourceVersion(): string {
    return String(this.rv);
  }

  /** The watches currently open, oldest first. */
  get openWatches(): FakeWatch<T>[] {
    return [...this.open];
  }

  add(obj: T): T {
    return this.change('ADDED', obj);
  }

  modify(obj: T): T {
    return this.change('MODIFIED', obj);
  }

  delete(obj: T): T {
    return this.change('DELETED', obj);
  }

  /** Forget history: watches from before now get 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history = [];
  }

  /** End every open watch normally, as a server-side timeout does. */
  breakWatches(): void {
    for (const w of [...this.open]) w.end();
  }

  /** Send a BOOKMARK at the current resourceVersion to every open watch. */
  bookmark(): void {
    for (const w of this.open) w.send({ type: 'BOOKMARK', object: { metadata: { resourceVersion: this.resourceVersion } } as T });
  }

  /** Send an ERROR event with this Status to every open watch, then end them. */
  sendError(status: Partial<Status>): void {
    for (const w of [...this.open]) {
      w.send({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', ...status } as unknown as T });
      w.end();
    }
  }

  /** Make the next list or watch call reject with `error`. */
  failNext(call: 'list' | 'watch', error: unknown): void {
    this.failures[call].push(error);
  }

  list(options: ListOptions): Promise<ObjectList<T>> {
    this.lists.push({ ...options });
    if (this.failures.list.length > 0) return Promise.reject(this.failures.list.shift());
    const all = [...this.items.values()].map(clone);
    const start = options.continue ? Number(options.continue) : 0;
    const limit = options.limit ?? 0;
    const items = limit > 0 ? all.slice(start, start + limit) : all.slice(start);
    const next = limit > 0 && start + limit < all.length ? String(start + limit) : undefined;
    return Promise.resolve({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: this.resourceVersion, ...(next ? { continue: next } : {}) }, items });
  }

  watch(options: ListOptions): Promise<Watch<T>> {
    this.watches.push({ ...options });
    if (this.failures.watch.length > 0) return Promise.reject(this.failures.watch.shift());
    const w = new FakeWatch<T>((stopped) => this.open.delete(stopped));
    const from = Number(options.resourceVersion || '0');
    if (from < this.compactedRv) {
      w.send({ type: 'ERROR', object: expired(from, this.compactedRv).status as unknown as T });
      w.end();
      return Promise.resolve(w);
    }
    this.open.add(w);
    for (const r of this.history) if (r.rv > from) w.send({ type: r.event.type, object: clone(r.event.object) });
    return Promise.resolve(w);
  }

  private change(type: WatchEventType, obj: T): T {
    this.rv++;
    const stamped = clone(obj);
    stamped.metadata = { ...stamped.metadata, resourceVersion: this.resourceVersion };
    const key = metaNamespaceKeyFunc(stamped);
    if (type === 'DELETED') this.items.delete(key);
    else this.items.set(key, stamped);
    const event: WatchEvent<T> = { type, object: stamped };
    this.history.push({ rv: this.rv, event });
    for (const w of this.open) w.send({ type, object: clone(stamped) });
    return clone(stamped);
  }
}

function expired(requested: number, oldest: number): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${requested} (${oldest})`, reason: 'Expired', code: 410 });
}

function clone<T>(obj: T): T {
  return JSON.parse(JSON.stringify(obj)) as T;
}
