/**
 * RestClient — client-go's typed REST access, for any resource: get, list, watch, create, update,
 * updateStatus, patch, delete, over a Transport. Failures arrive as the server's metav1.Status, rethrown
 * as StatusError (so `e.code === 404` reads as it does in Go's `errors.IsNotFound`). Watches come back as
 * client/cache Watch objects, so informers (client/cache) can list and watch through `listerWatcher`.
 */
import type { Status } from 'kubernetes-types/meta/v1';
import { StatusError, type StatusReason } from '../../api/errors.ts';
import { Emitter, type Disposable } from '../../base/emitter.ts';
import type { ApiRequest, ApiResponse } from '../../apiserver/http.ts';
import type { Transport } from './transport.ts';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

/** An object as clients handle it: parsed JSON with typed metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items: T[];
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

/** A running watch: events until the server ends it or `stop` is called; `onDone` fires once. */
export interface Watch<T> {
  onEvent(listener: (event: WatchEvent<T>) => void): Disposable;
  onDone(listener: (error?: unknown) => void): Disposable;
  stop(): void;
}

export function resourcePath(gvr: GroupVersionResource, namespace: string, name?: string, subresource?: string): string {
  let path = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
  if (gvr.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${gvr.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

export interface RestClientOptions {
  /**
   * Take objects as the in-process apiserver's watch cache holds them (frozen, shared with every
   * informer) instead of parsing each answer: for components that treat what they read as read-only,
   * as client-go's callers must treat its cache. A caller that changes such an object gets a TypeError.
   */
  sharedObjects?: boolean;
}

export class RestClient {
  /** See RestClientOptions. */
  readonly sharedObjects: boolean;

  constructor(
    readonly transport: Transport,
    options: RestClientOptions = {},
  ) {
    this.sharedObjects = options.sharedObjects ?? false;
  }

  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): ResourceClient<T> {
    return new ResourceClient<T>(this, gvr);
  }

  /** A raw request (`kubectl get --raw`); non-2xx answers throw StatusError. */
  async raw(method: string, path: string, query: Record<string, string> = {}, body?: string, contentType = 'application/json'): Promise<ApiResponse> {
    const request: ApiRequest = { method, path, query: new URLSearchParams(query), headers: { accept: 'application/json', 'content-type': contentType }, body };
    const response = await this.transport.request(request);
    if (response.status < 200 || response.status > 299) throw toStatusError(response);
    return response;
  }
}

export class ResourceClient<T extends KubeObject> {
  constructor(
    private readonly client: RestClient,
    readonly gvr: GroupVersionResource,
  ) {}

  async get(namespace: string, name: string): Promise<T> {
    return this.json(await this.client.raw('GET', resourcePath(this.gvr, namespace, name)));
  }

  async list(namespace: string, options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.json(await this.client.raw('GET', resourcePath(this.gvr, namespace), listQuery(options)));
  }

  async watch(namespace: string, options: ListOptions = {}): Promise<Watch<T>> {
    const response = await this.client.raw('GET', resourcePath(this.gvr, namespace), { ...listQuery(options), watch: 'true' });
    const stream = response.watch;
    if (!stream) throw new Error('the server answered a watch without a stream');
    const events = new Emitter<WatchEvent<T>>();
    const done = new Emitter<unknown>();
    let finished = false;
    let outcome: unknown;
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      outcome = error;
      done.fire(error);
      events.dispose();
      done.dispose();
    };
    // The stream keeps what arrives until it is read, so it is read only once someone listens: an
    // immediate ERROR event (410) and the end that follows are not lost before the caller subscribes.
    let attached = false;
    const attach = () => {
      if (attached) return;
      attached = true;
      stream.onEvent((line, decoded) => {
        if (!finished) events.fire((decoded ? decoded() : JSON.parse(line)) as WatchEvent<T>);
      });
      stream.onEnd(() => finish());
    };
    return {
      onEvent: (listener) => {
        const subscription = events.event(listener);
        attach();
        return subscription;
      },
      onDone: (listener) => {
        // A watch that already ended tells a late listener at once.
        if (finished) {
          listener(outcome);
          return { dispose() {} };
        }
        const subscription = done.event(listener);
        attach();
        return subscription;
      },
      stop: () => {
        stream.stop();
        finish();
      },
    };
  }

  async create(namespace: string, object: T, options: WriteOptions = {}): Promise<T> {
    return this.json(await this.client.raw('POST', resourcePath(this.gvr, namespace), writeQuery(options), JSON.stringify(object)));
  }

  async update(namespace: string, object: T, options: WriteOptions = {}): Promise<T> {
    return this.json(await this.client.raw('PUT', resourcePath(this.gvr, namespace, object.metadata?.name ?? ''), writeQuery(options), JSON.stringify(object)));
  }

  async updateStatus(namespace: string, object: T, options: WriteOptions = {}): Promise<T> {
    return this.json(await this.client.raw('PUT', resourcePath(this.gvr, namespace, object.metadata?.name ?? '', 'status'), writeQuery(options), JSON.stringify(object)));
  }

  async patch(namespace: string, name: string, type: PatchType, patch: unknown, options: WriteOptions & { subresource?: string } = {}): Promise<T> {
    const body = typeof patch === 'string' ? patch : JSON.stringify(patch);
    return this.json(await this.client.raw('PATCH', resourcePath(this.gvr, namespace, name, options.subresource), writeQuery(options), body, PATCH_CONTENT_TYPES[type]));
  }

  /** Delete; resolves with what the server returns (the object, or a Status for most resources). */
  async delete(namespace: string, name: string, options: DeleteOptions = {}): Promise<T | Status> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditions) body.preconditions = options.preconditions;
    return this.json(await this.client.raw('DELETE', resourcePath(this.gvr, namespace, name), writeQuery(options), JSON.stringify(body)));
  }

  private json<R>(response: ApiResponse): R {
    const shared = this.client.sharedObjects ? response.decoded?.() : undefined;
    return (shared ?? JSON.parse(response.body)) as R;
  }
}

function listQuery(options: ListOptions): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(options)) if (v !== undefined && v !== '') q[k] = String(v);
  return q;
}

function writeQuery(options: WriteOptions): Record<string, string> {
  const q: Record<string, string> = {};
  if (options.dryRun) q.dryRun = 'All';
  if (options.fieldManager) q.fieldManager = options.fieldManager;
  return q;
}

/** The Status in a failed response, as a StatusError (a body that is not a Status still yields one). */
export function toStatusError(response: ApiResponse): StatusError {
  try {
    const status = JSON.parse(response.body) as Status;
    if (status.kind === 'Status') return new StatusError({ ...status, code: status.code ?? response.status, reason: (status.reason ?? '') as StatusReason });
  } catch {
    // Not JSON: fall through to a generic error with the body as message.
  }
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: response.body || `the server responded with status ${response.status}`, reason: '' as StatusReason, code: response.status });
}
