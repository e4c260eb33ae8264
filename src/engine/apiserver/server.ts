/**
 * ApiServer — kube-apiserver's request handling (k8s.io/apiserver/pkg/endpoints and server/filters):
 * a request is parsed into a RequestInfo, authenticated, impersonated (authentication/impersonation.ts),
 * authorized, then served by the resource's
 * generic Store (get, list, watch, create, update, patch, delete, deletecollection, and the status
 * subresource), or by discovery for the non-resource paths. Errors leave as metav1.Status bodies with
 * their HTTP codes. Handling is synchronous: storage is in memory, so a request completes in one call,
 * in the order requests arrive — a cluster stays a pure function of its inputs.
 *
 * Each stage reports to `onDidHandleStage` for the trace (the diagrams animate a request through them).
 */
import type { Clock } from '../base/clock.ts';
import { Emitter } from '../base/emitter.ts';
import { errors, StatusError } from '../api/errors.ts';
import { rfc3339 } from '../api/time.ts';
import { parse as parseYaml } from 'yaml';
import { jsonResponse, WatchStream, type ApiRequest, type ApiResponse } from './http.ts';
import type { KubeObject } from './registry/strategy.ts';
import type { DeleteOptions, Store } from './registry/store.ts';
import { parseRequestInfo, type RequestInfo } from './requestInfo.ts';
import { withImpersonation } from './authentication/impersonation.ts';
import { ResourceExpiredError, TooLargeResourceVersionError, eventLine, type DecodedEvent, type EntryFilter } from './storage/cacher.ts';
import { ValueTooLargeError } from './storage/interface.ts';
import { CONNECT_SUBRESOURCES, bindPod, connectPod, evictPod, isScalable, scaleOf, updateEphemeralContainers, updateScale, type ConnectHandler } from './registry/subresources.ts';
import type { Pod } from 'kubernetes-types/core/v1';

/** Requests bigger than this are refused before decoding (upstream: 3 MiB). */
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

/** Watches the client leaves open end after this (upstream: a random time in [30m, 60m); we use 30m). */
export const MIN_REQUEST_TIMEOUT_MS = 1_800_000;

export type Stage = 'authentication' | 'authorization' | 'admission' | 'validation' | 'storage' | 'response';

export interface StageEvent {
  stage: Stage;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  outcome: 'ok' | 'denied' | 'error';
  detail?: string;
}

/** One event a watch stream sent to its client (an informer's reflector, `kubectl get -w`…). */
export interface WatchDelivery {
  /** The watching client's user and User-Agent. */
  user: string;
  userAgent?: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  namespace: string;
  name: string;
  /** The object's resourceVersion in the event: the etcd revision of the write it reports. */
  revision: number;
}

export interface UserInfo {
  username: string;
  groups: string[];
  /** Set by impersonation (`Impersonate-Uid`, `Impersonate-Extra-*`). */
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface Authenticator {
  /** The user a request comes from, or undefined when its credentials are invalid. */
  authenticate(request: ApiRequest): UserInfo | undefined;
}

export interface Authorizer {
  /** undefined when allowed, else the reason it is not (as RBAC words it). */
  authorize(user: UserInfo, info: RequestInfo): string | undefined;
}

export interface NonResourceHandler {
  /** Serves /version, /api, /apis…; undefined when the path is not one it knows. */
  handle(request: ApiRequest, info: RequestInfo): ApiResponse | undefined;
}

/** What a Table row carries of its object (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Turns objects into a metav1.Table for `Accept: application/json;as=Table;…`. */
export type TableConverter = (store: Store, items: KubeObject[], includeObject: IncludeObject, listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number }) => string;

/** Parses label and field selectors into a cache filter; throws a 400 StatusError for bad syntax. */
export type SelectorCompiler = (store: Store, labelSelector: string | null, fieldSelector: string | null) => EntryFilter | undefined;

/** Applies a patch body of a content type to an object. */
export type Patcher = (store: Store, contentType: string, original: KubeObject, body: string) => KubeObject;

export interface ApiServerOptions {
  clock: Clock;
  stores: readonly Store[];
  authenticator: Authenticator;
  authorizer: Authorizer;
  nonResource: NonResourceHandler;
  selectors: SelectorCompiler;
  patcher: Patcher;
  tables: TableConverter;
  /** Where pod log/exec/attach/portforward go (the kubelets); absent until nodes run kubelets. */
  connect?: ConnectHandler;
  /** Decodes a Kubernetes protobuf request body to its JSON object (absent: protobuf bodies are 415). */
  protobuf?: (body: Uint8Array) => Record<string, unknown>;
  /** Resources with no storage (access reviews, bindings): answered, never stored. */
  virtual?: (info: RequestInfo, body: KubeObject, user: UserInfo) => ApiResponse | undefined;
  /**
   * Groups an APIService delegates to another server (kube-aggregator: metrics.k8s.io to metrics-server):
   * any verb on their resources, after authentication and authorization; undefined when no APIService
   * serves the request's group and version.
   */
  aggregated?: (request: ApiRequest, info: RequestInfo, user: UserInfo) => ApiResponse | undefined;
  /** A ServiceAccount's `token` subresource: a TokenRequest answered with a token (registry/serviceAccountToken.ts). */
  serviceAccountToken?: (namespace: string, name: string, body: KubeObject) => ApiResponse;
}

export class ApiServer {
  private readonly stores = new Map<string, Store>();
  private readonly _onDidHandleStage = new Emitter<StageEvent>();
  readonly onDidHandleStage = this._onDidHandleStage.event;
  private readonly _onDidDeliverWatch = new Emitter<WatchDelivery>();
  /** Fires for each ADDED, MODIFIED or DELETED event a watch stream sends, as it is sent (for the trace). */
  readonly onDidDeliverWatch = this._onDidDeliverWatch.event;

  constructor(private readonly options: ApiServerOptions) {
    for (const store of options.stores) this.stores.set(storeKey(store.meta.group, store.meta.version, store.meta.resource), store);
  }

  store(group: string, version: string, resource: string): Store | undefined {
    return this.stores.get(storeKey(group, version, resource));
  }

  handle(request: ApiRequest): ApiResponse {
    let info: RequestInfo | undefined;
    try {
      info = parseRequestInfo(request.method, request.path, request.query);
      const authenticated = this.options.authenticator.authenticate(request);
      if (!authenticated) {
        this.stage(info, 'authentication', 'denied');
        throw errors.unauthorized();
      }
      const user = withImpersonation(request, authenticated, this.options.authorizer);
      if (!('username' in user)) return user;
      this.stage(info, 'authentication', 'ok', user.username);
      const denied = this.options.authorizer.authorize(user, info);
      if (denied !== undefined) {
        this.stage(info, 'authorization', 'denied', denied);
        throw errors.forbidden({ group: info.apiGroup, resource: info.isResourceRequest ? info.resource + (info.subresource ? `/${info.subresource}` : '') : '' }, info.name, denied);
      }
      this.stage(info, 'authorization', 'ok');
      if (!info.isResourceRequest) {
        const response = this.options.nonResource.handle(request, info);
        if (response) return response;
        throw errors.notFound({ group: '', resource: '' }, '');
      }
      return this.serveResource(request, info, user);
    } catch (e) {
      const error = toStatusError(e);
      if (info && error.status.reason === 'Invalid') this.stage(info, 'validation', 'denied', error.message);
      if (info) this.stage(info, 'response', 'error', error.message);
      return jsonResponse(error.code, JSON.stringify(error.status));
    }
  }

  private serveResource(request: ApiRequest, info: RequestInfo, user: UserInfo): ApiResponse {
    const store = this.stores.get(storeKey(info.apiGroup, info.apiVersion, info.resource));
    if (!store) {
      const delegated = this.options.aggregated?.(request, info, user);
      if (delegated) {
        this.stage(info, 'response', 'ok', 'aggregated');
        return delegated;
      }
      const response = info.verb === 'create' && !info.subresource ? this.options.virtual?.(info, this.decodeAny(request), user) : undefined;
      if (!response) throw notFoundPath(request.path);
      this.stage(info, 'response', 'ok');
      return response;
    }
    if (info.namespace && !store.meta.namespaced && info.resource !== 'namespaces') throw notFoundPath(request.path);
    const ns = store.meta.namespaced ? info.namespace : '';
    const q = request.query;
    const dryRun = q.getAll('dryRun').includes('All');
    if (info.subresource && info.subresource !== 'status') return this.serveSubresource(store, ns, info, request, dryRun, user);
    switch (info.verb) {
      case 'get': {
        const entry = store.getEntry(ns, info.name);
        this.stage(info, 'storage', 'ok');
        if (wantsTable(request)) return this.table(store, [JSON.parse(entry.json) as KubeObject], request, { resourceVersion: String(entry.resourceVersion) });
        return jsonResponse(200, entry.json, () => store.cacher.decodedAt(entry.key, entry.resourceVersion));
      }
      case 'list': {
        const filter = this.options.selectors(store, q.get('labelSelector'), q.get('fieldSelector'));
        const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
        if (q.has('resourceVersion') && q.get('resourceVersionMatch') === 'Exact') {
          const rv = Number(q.get('resourceVersion'));
          if (rv !== store.cacher.resourceVersion) throw errors.resourceExpired(`too old resource version: ${rv} (${store.cacher.resourceVersion})`);
        }
        const page = store.list(ns, { filter, limit, continue: q.get('continue') ?? undefined });
        // Served from the watch cache, as 1.32 serves consistent lists (ConsistentListFromCache).
        this.stage(info, 'storage', 'ok', 'watch cache');
        if (wantsTable(request)) return this.table(store, page.items.map((i) => store.cacher.decode(i) as KubeObject), request, page.metadata);
        return jsonResponse(200, page.json);
      }
      case 'watch':
        return this.watch(store, ns, info, request, user);
      case 'create': {
        const object = this.decode(request, store);
        const result = store.create(ns, object, { dryRun, user });
        this.stage(info, 'storage', 'ok', dryRun ? 'dry run' : undefined);
        return jsonResponse(result.status, result.json, result.decoded);
      }
      case 'update': {
        const object = this.decode(request, store);
        const result = store.update(ns, info.name, object, { dryRun, user, subresource: info.subresource === 'status' ? 'status' : undefined });
        this.stage(info, 'storage', 'ok');
        return jsonResponse(result.status, result.json, result.decoded);
      }
      case 'patch':
        return this.patch(store, ns, info, request, dryRun, user);
      case 'delete': {
        const options = this.deleteOptions(request);
        const result = store.delete(ns, info.name, { ...options, user, dryRun: dryRun || options.dryRun });
        this.stage(info, 'storage', 'ok');
        // A deletion still in progress is 200 too, except for the old `orphanDependents: false`, as upstream
        // keeps for compatibility.
        return jsonResponse(result.status === 202 && !options.orphanDependentsFalse ? 200 : result.status, result.json);
      }
      case 'deletecollection': {
        const options = this.deleteOptions(request);
        const filter = this.options.selectors(store, q.get('labelSelector'), q.get('fieldSelector'));
        const { items } = store.list(ns, { filter });
        for (const item of items) {
          try {
            store.delete(item.namespace, item.name, { ...options, user, dryRun: dryRun || options.dryRun });
          } catch (e) {
            if (!(e instanceof StatusError && e.code === 404)) throw e;
          }
        }
        this.stage(info, 'storage', 'ok', `${items.length} deleted`);
        return jsonResponse(200, `{"kind":"${store.meta.kind}List","apiVersion":"${store.apiVersion}","metadata":{"resourceVersion":"${store.cacher.resourceVersion}"},"items":[${items.map((i) => i.json).join(',')}]}`);
      }
      default:
        throw errors.methodNotSupported(store.groupResource, info.verb);
    }
  }

  /** scale, binding, eviction, ephemeralcontainers, finalize, a service account's token, and the kubelet-backed log/exec/attach/portforward. */
  private serveSubresource(store: Store, ns: string, info: RequestInfo, request: ApiRequest, dryRun: boolean, user: UserInfo): ApiResponse {
    const sub = info.subresource;
    const r = store.meta.resource;
    const core = store.meta.group === '';
    const write = { dryRun, user };
    let response: ApiResponse | undefined;
    if (sub === 'scale' && isScalable(store)) {
      if (info.verb === 'get') response = jsonResponse(200, JSON.stringify(scaleOf(store.get(ns, info.name))));
      else if (info.verb === 'update') response = updateScale(store, ns, info.name, this.decodeAny(request), write);
      else if (info.verb === 'patch') {
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        const current = scaleOf(store.get(ns, info.name));
        const patched = this.options.patcher(store, contentType, current, this.checkedBody(request));
        response = updateScale(store, ns, info.name, patched, write);
      }
    } else if (core && r === 'pods' && sub === 'binding' && info.verb === 'create') {
      response = bindPod(store, ns, info.name, this.decodeAny(request), write, this.timestamp());
    } else if (core && r === 'pods' && sub === 'ephemeralcontainers') {
      if (info.verb === 'get') response = jsonResponse(200, store.getEntry(ns, info.name).json);
      else if (info.verb === 'update') response = updateEphemeralContainers(store, ns, info.name, this.decode(request, store), write);
      else if (info.verb === 'patch') {
        const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
        response = updateEphemeralContainers(store, ns, info.name, this.options.patcher(store, contentType, store.get(ns, info.name), this.checkedBody(request)), write);
      }
    } else if (core && r === 'pods' && sub === 'eviction' && info.verb === 'create') {
      response = evictPod(store, this.store('policy', 'v1', 'poddisruptionbudgets')!, ns, info.name, this.decodeAny(request), write, this.timestamp());
    } else if (core && r === 'namespaces' && sub === 'finalize' && info.verb === 'update') {
      const object = this.decodeAny(request);
      const current = store.get('', info.name);
      const result = store.update('', info.name, { ...current, spec: object.spec }, { ...write, subresource: 'finalize' });
      response = jsonResponse(result.status, result.json);
    } else if (core && r === 'serviceaccounts' && sub === 'token' && info.verb === 'create' && this.options.serviceAccountToken) {
      response = this.options.serviceAccountToken(ns, info.name, this.decodeAny(request));
    } else if (core && r === 'pods' && CONNECT_SUBRESOURCES.has(sub) && (info.verb === 'get' || info.verb === 'create')) {
      response = connectPod(store.get(ns, info.name) as Pod, sub, request.query, this.options.connect);
    }
    if (!response) throw notFoundPath(request.path);
    this.stage(info, 'storage', 'ok', sub);
    return response;
  }

  private timestamp(): string {
    return rfc3339(this.options.clock.now());
  }

  /** The body of a request to a subresource or a virtual resource (Scale, Binding, Eviction, reviews). */
  private decodeAny(request: ApiRequest): KubeObject {
    return this.decodeBody(request, '');
  }

  private watch(store: Store, ns: string, info: RequestInfo, request: ApiRequest, user: UserInfo): ApiResponse {
    const q = request.query;
    const filter = this.options.selectors(store, q.get('labelSelector'), q.get('fieldSelector'));
    const rv = q.get('resourceVersion');
    const afterRevision = rv === null || rv === '' || rv === '0' ? undefined : Number(rv);
    if (afterRevision !== undefined && !Number.isInteger(afterRevision)) throw errors.badRequest(`invalid resource version: ${rv}`);
    const timeoutSeconds = q.has('timeoutSeconds') ? Number(q.get('timeoutSeconds')) : undefined;
    const asTable = wantsTable(request) ? includeObjectOf(request) : undefined;
    const stream = new WatchStream();
    try {
      const watch = store.watch(
        ns,
        {
          name: info.name || undefined,
          filter,
          afterRevision,
          allowBookmarks: q.get('allowWatchBookmarks') === 'true',
          timeoutMs: timeoutSeconds !== undefined ? timeoutSeconds * 1000 : MIN_REQUEST_TIMEOUT_MS,
        },
        {
          event: (line, decoded) => {
            if (this._onDidDeliverWatch.hasListeners) this.delivered(store, user, request.headers['user-agent'], line, decoded);
            if (asTable) stream.write(this.tableEvent(store, line, asTable));
            else stream.write(line, decoded);
          },
          end: () => stream.end(),
        },
      );
      stream.setStopper(() => watch.stop());
    } catch (e) {
      // A watch that cannot start still answers 200, then one ERROR event, as upstream does.
      if (e instanceof ResourceExpiredError) {
        stream.write(eventLine('ERROR', JSON.stringify(errors.resourceExpired(e.message).status)));
        stream.end();
      } else throw e;
    }
    this.stage(info, 'response', 'ok', 'watch');
    return { status: 200, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: '', watch: stream };
  }

  /** Report one event a watch sends (its line starts `{"type":"<TYPE>"`, as eventLine writes it). */
  private delivered(store: Store, user: UserInfo, userAgent: string | undefined, line: string, decoded: (() => DecodedEvent) | undefined): void {
    const type = line.slice(9, line.indexOf('"', 9));
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
    const object = decoded ? decoded().object : (JSON.parse(line) as { object: Record<string, unknown> }).object;
    const meta = (object['metadata'] ?? {}) as { name?: string; namespace?: string; resourceVersion?: string };
    this._onDidDeliverWatch.fire({
      user: user.username,
      ...(userAgent !== undefined ? { userAgent } : {}),
      type,
      resource: store.meta.resource,
      namespace: meta.namespace ?? '',
      name: meta.name ?? '',
      revision: Number(meta.resourceVersion ?? 0),
    });
  }

  /**
   * A watch event for a client that asked for tables (`kubectl get -w`): the object becomes a one-row
   * Table; bookmarks and errors pass as they are.
   */
  private tableEvent(store: Store, line: string, includeObject: IncludeObject): string {
    const event = JSON.parse(line) as { type: string; object: KubeObject };
    if (event.type === 'BOOKMARK' || event.type === 'ERROR') return line;
    const table = this.options.tables(store, [event.object], includeObject, { resourceVersion: event.object.metadata?.resourceVersion ?? '' });
    return `{"type":${JSON.stringify(event.type)},"object":${table}}`;
  }

  private patch(store: Store, ns: string, info: RequestInfo, request: ApiRequest, dryRun: boolean, user: UserInfo): ApiResponse {
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]!.trim();
    const body = this.checkedBody(request);
    // Retry on a conflict with a concurrent writer, as upstream's patcher does; a conflict the patch
    // itself asks for (a resourceVersion in the patch) is the client's to handle.
    for (let attempt = 0; ; attempt++) {
      const current = store.get(ns, info.name);
      const patched = this.options.patcher(store, contentType, current, body);
      const asked = (patched.metadata ?? {}).resourceVersion;
      if (!asked || asked === current.metadata!.resourceVersion) (patched.metadata ??= {}).resourceVersion = current.metadata!.resourceVersion;
      try {
        const result = store.update(ns, info.name, patched, { dryRun, user, subresource: info.subresource === 'status' ? 'status' : undefined });
        this.stage(info, 'storage', 'ok');
        return jsonResponse(result.status, result.json);
      } catch (e) {
        if (e instanceof StatusError && e.reason === 'Conflict' && !asked && attempt < 5) continue;
        throw e;
      }
    }
  }

  private deleteOptions(request: ApiRequest): DeleteOptions & { orphanDependentsFalse?: boolean } {
    const q = request.query;
    const options: DeleteOptions & { orphanDependentsFalse?: boolean } = {};
    const body = request.body?.trim();
    if (body) {
      let parsed: { gracePeriodSeconds?: number; propagationPolicy?: DeleteOptions['propagationPolicy']; preconditions?: DeleteOptions['preconditions']; dryRun?: string[]; orphanDependents?: boolean };
      try {
        parsed = JSON.parse(body) as typeof parsed;
      } catch (e) {
        throw errors.badRequest(`the body of the request was in an unknown format - ${(e as Error).message}`);
      }
      if (parsed.gracePeriodSeconds !== undefined) options.gracePeriodSeconds = parsed.gracePeriodSeconds;
      if (parsed.propagationPolicy !== undefined) options.propagationPolicy = parsed.propagationPolicy;
      if (parsed.orphanDependents !== undefined && options.propagationPolicy === undefined) options.propagationPolicy = parsed.orphanDependents ? 'Orphan' : 'Background';
      if (parsed.orphanDependents === false) options.orphanDependentsFalse = true;
      if (parsed.preconditions) options.preconditions = parsed.preconditions;
      if (parsed.dryRun?.includes('All')) options.dryRun = true;
    }
    if (q.has('gracePeriodSeconds')) options.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
    const policy = q.get('propagationPolicy');
    if (policy !== null) {
      if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
        throw errors.badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
      }
      options.propagationPolicy = policy;
    }
    return options;
  }

  private checkedBody(request: ApiRequest): string {
    const body = request.body ?? '';
    if (body.length > MAX_REQUEST_BODY_BYTES) throw errors.requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`);
    return body;
  }

  /** The request body as an object of the store's kind: JSON or YAML, apiVersion and kind checked. */
  private decode(request: ApiRequest, store: Store): KubeObject {
    const o = this.decodeBody(request, store.meta.kind);
    if (o.kind !== undefined && o.kind !== store.meta.kind) {
      throw errors.badRequest(`${o.kind} in version "${apiVersionOf(o.apiVersion ?? '')}" cannot be handled as a ${store.meta.kind}: no kind "${o.kind}" is registered for version "${o.apiVersion ?? ''}" in scheme "k8s.io/apimachinery@v1.32.0/pkg/runtime/scheme.go:100"`);
    }
    if (o.apiVersion !== undefined && o.apiVersion !== store.apiVersion) {
      throw errors.badRequest(`the API version in the data (${o.apiVersion}) does not match the expected API version (${store.apiVersion})`);
    }
    return o;
  }

  /**
   * A request body as an object, by its Content-Type: JSON (also when none is given), YAML, or
   * Kubernetes protobuf (what kubectl's typed commands send). Anything else is 415.
   */
  private decodeBody(request: ApiRequest, kind: string): KubeObject {
    const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const unrecognized = (why: string, body: string) => errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${why} (${preview(body)})`);
    let object: unknown;
    if (mediaType === 'application/vnd.kubernetes.protobuf') {
      if (!this.options.protobuf) throw errors.unsupportedMediaType(mediaType);
      if ((request.rawBody?.length ?? 0) > MAX_REQUEST_BODY_BYTES) throw errors.requestEntityTooLarge(`limit is ${MAX_REQUEST_BODY_BYTES}`);
      try {
        object = this.options.protobuf(request.rawBody ?? new TextEncoder().encode(request.body ?? ''));
      } catch (e) {
        throw errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): ${(e as Error).message}`);
      }
    } else if (mediaType === '' || mediaType === 'application/json' || mediaType === 'application/yaml') {
      const body = this.checkedBody(request);
      try {
        object = mediaType === 'application/yaml' ? parseYaml(body) : JSON.parse(body);
      } catch (e) {
        throw unrecognized(mediaType === 'application/yaml' ? `error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}` : (e as Error).message, body);
      }
      if (typeof object !== 'object' || object === null || Array.isArray(object)) {
        throw unrecognized(`json: cannot unmarshal ${Array.isArray(object) ? 'array' : typeof object} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`, body);
      }
    } else {
      throw errors.unsupportedMediaType(mediaType);
    }
    return object as KubeObject;
  }

  private table(store: Store, items: KubeObject[], request: ApiRequest, meta: { resourceVersion: string; continue?: string; remainingItemCount?: number }): ApiResponse {
    return jsonResponse(200, this.options.tables(store, items, includeObjectOf(request), meta));
  }

  /** A stage event raised outside the server's own steps (admission plugins, registry validation). */
  report(event: StageEvent): void {
    if (this._onDidHandleStage.hasListeners) this._onDidHandleStage.fire(event);
  }

  private stage(info: RequestInfo, stage: Stage, outcome: StageEvent['outcome'], detail?: string): void {
    if (!this._onDidHandleStage.hasListeners) return;
    this._onDidHandleStage.fire({ stage, verb: info.verb, resource: info.resource || info.path, namespace: info.namespace, name: info.name, outcome, detail });
  }
}

function storeKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

function includeObjectOf(request: ApiRequest): IncludeObject {
  const v = request.query.get('includeObject');
  if (v === null || v === '') return 'Metadata';
  if (v === 'None' || v === 'Object' || v === 'Metadata') return v;
  throw errors.badRequest(`unrecognized includeObject value: ${JSON.stringify(v)}`);
}

function wantsTable(request: ApiRequest): boolean {
  return /as=Table/.test(request.headers['accept'] ?? '');
}

function apiVersionOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[1]! : apiVersion;
}

function preview(body: string): string {
  return body.length > 40 ? `${body.slice(0, 40)}...` : body;
}

/** The 404 for a path no resource serves: upstream answers with a plain "the server could not find…". */
function notFoundPath(_path: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
}

function toStatusError(e: unknown): StatusError {
  if (e instanceof StatusError) return e;
  if (e instanceof TooLargeResourceVersionError) {
    return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Timeout: ${e.message}`, reason: 'Timeout', details: { causes: [{ reason: 'ResourceVersionTooLarge', message: e.message }], retryAfterSeconds: 1 }, code: 504 });
  }
  if (e instanceof ResourceExpiredError) return errors.resourceExpired(e.message);
  // etcd refuses values over its request limit; the apiserver passes its words on (`etcdserver: request is too large`).
  if (e instanceof ValueTooLargeError) return errors.unknown(e.message);
  return errors.internal(e);
}
