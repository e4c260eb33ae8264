/**
 * Store — the generic registry every resource is served by (k8s.io/apiserver/pkg/registry/generic/
 * registry.Store): create, get, list, update, delete and watch over storage.Interface, with reads from the
 * watch cache. It owns what is the same for every resource:
 *
 * - names: `generateName` plus five characters from upstream's alphabet; uid; creationTimestamp;
 *   metadata.generation bumped when the spec changes (resources that track it);
 * - optimistic concurrency: an update whose resourceVersion is stale is `409 Conflict`; preconditions
 *   on uid/resourceVersion for deletes; a no-op update writes nothing and keeps the resourceVersion;
 * - graceful deletion and finalizers: a delete with a grace period or pending finalizers sets
 *   deletionTimestamp (202 Accepted) and the object goes when the last finalizer is removed;
 *   propagationPolicy Orphan/Foreground add the `orphan`/`foregroundDeletion` finalizers;
 * - dryRun: every step but the write.
 *
 * Per-resource behaviour comes from a RESTStrategy. Admission runs before the store is called.
 */
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { errors, type GroupKind, type GroupResource } from '../../api/errors.ts';
import { field, type FieldError } from '../../api/field/errors.ts';
import { Path } from '../../api/field/path.ts';
import { rfc3339 } from '../../api/time.ts';
import { Cacher, stripResourceVersion, withResourceVersion, type CacheEntry, type EntryFilter, type WatchSink } from '../storage/cacher.ts';
import { KeyExistsError, KeyNotFoundError, ModRevisionConflictError, type Storage } from '../storage/interface.ts';
import type { AdmissionChain, Attributes, Operation } from '../admission/admission.ts';
import type { UserInfo } from '../server.ts';
import type { KubeObject, ObjectMetaLike, RESTStrategy } from './strategy.ts';

/** What the store needs to know about the resource it serves (from the API registry). */
export interface ResourceMeta {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  namespaced: boolean;
  /** Key prefix in etcd, with a trailing slash, e.g. "/registry/deployments/". */
  etcdPrefix: string;
  /** See KindInfo.statusUpdateKeepsAnnotations. */
  statusUpdateKeepsAnnotations?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** Who asks (for admission); the apiserver's own bootstrap writes have none. */
  user?: UserInfo;
}

/** The user of writes made by the apiserver itself (bootstrap objects). */
const LOOPBACK_USER: UserInfo = { username: 'system:apiserver', groups: ['system:masters'] };

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** metav1.ListMeta of a list response. */
export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListOptions {
  filter?: EntryFilter;
  limit?: number;
  /** The continue token from a previous page. */
  continue?: string;
}

/** What a write returns: the object as it now is (JSON, with resourceVersion) and the HTTP status. */
export interface WriteResult {
  status: 200 | 201 | 202;
  json: string;
  object: KubeObject;
  /** The stored object as the watch cache decoded it (frozen, shared), when this write stored one. */
  decoded?: () => unknown;
}

/** upstream's utilrand alphabet: no vowels (no accidental words) and no 0/1/3 (easily confused). */
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export class Store {
  readonly cacher: Cacher;
  /** The admission chain, set once every store exists (plugins read other resources). */
  admission: AdmissionChain | undefined;
  readonly groupResource: GroupResource;
  readonly groupKind: GroupKind;

  constructor(
    readonly meta: ResourceMeta,
    readonly strategy: RESTStrategy,
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly rng: SeededRng,
    /** Events the watch cache keeps for resuming watches (kube-apiserver's --watch-cache-sizes). */
    watchCacheSize?: number,
  ) {
    this.groupResource = { group: meta.group, resource: meta.resource };
    this.groupKind = { group: meta.group, kind: meta.kind };
    this.cacher = new Cacher({
      storage,
      clock,
      prefix: meta.etcdPrefix,
      selectableFields: (o) => strategy.selectableFields(o as KubeObject),
      apiVersion: this.apiVersion,
      kind: meta.kind,
      historySize: watchCacheSize,
    });
  }

  get apiVersion(): string {
    return this.meta.group ? `${this.meta.group}/${this.meta.version}` : this.meta.version;
  }

  /** The etcd key of an object: /registry/<resource>/<namespace>/<name>, or without the namespace. */
  key(namespace: string, name: string): string {
    return this.meta.namespaced ? `${this.meta.etcdPrefix}${namespace}/${name}` : `${this.meta.etcdPrefix}${name}`;
  }

  /** Key prefix of a namespace's objects, or of all of them. */
  keyPrefix(namespace: string): string {
    return this.meta.namespaced && namespace ? `${this.meta.etcdPrefix}${namespace}/` : this.meta.etcdPrefix;
  }

  getEntry(namespace: string, name: string): CacheEntry {
    const entry = this.cacher.get(this.key(namespace, name));
    if (!entry) throw errors.notFound(this.groupResource, name);
    return entry;
  }

  get(namespace: string, name: string): KubeObject {
    return JSON.parse(this.getEntry(namespace, name).json) as KubeObject;
  }

  /** A list response body: {kind: <Kind>List, apiVersion, metadata: {resourceVersion, continue?}, items}. */
  list(namespace: string, options: ListOptions = {}): { json: string; items: CacheEntry[]; metadata: ListMeta } {
    let continueAfterKey: string | undefined;
    if (options.continue) continueAfterKey = this.decodeContinue(options.continue);
    const page = this.cacher.list({ keyPrefix: this.keyPrefix(namespace), filter: options.filter, limit: options.limit, continueAfterKey });
    const metadata: ListMeta = { resourceVersion: String(page.revision) };
    if (page.nextKey !== undefined) {
      metadata.continue = encodeContinue(page.revision, page.nextKey.slice(this.meta.etcdPrefix.length));
      metadata.remainingItemCount = page.remaining;
    }
    const head = `{"kind":"${this.meta.kind}List","apiVersion":"${this.apiVersion}","metadata":${JSON.stringify(metadata)},"items":[`;
    let json: string | undefined;
    // The list body is built only when asked for (a Table or an internal read does not need it).
    return {
      items: page.items,
      metadata,
      get json() {
        return (json ??= `${head}${page.items.map((i) => i.json).join(',')}]}`);
      },
    };
  }

  watch(namespace: string, options: { name?: string; filter?: EntryFilter; afterRevision?: number; allowBookmarks?: boolean; timeoutMs?: number }, sink: WatchSink) {
    const keyPrefix = options.name !== undefined ? this.key(namespace, options.name) : this.keyPrefix(namespace);
    const exact = options.name !== undefined ? (e: CacheEntry) => e.key === keyPrefix : undefined;
    const filter = exact && options.filter ? (e: CacheEntry) => exact(e) && options.filter!(e) : (exact ?? options.filter);
    return this.cacher.watch({ keyPrefix, filter, afterRevision: options.afterRevision, allowBookmarks: options.allowBookmarks, timeoutMs: options.timeoutMs }, sink);
  }

  create(namespace: string, object: KubeObject, options: WriteOptions = {}): WriteResult {
    const meta = (object.metadata ??= {});
    this.checkNamespace(namespace, meta);
    this.strategy.defaults(object);
    const attributes = this.attributes('CREATE', namespace, meta.name || meta.generateName || '', object, undefined, options);
    this.admission?.admit(attributes);
    this.strategy.prepareForCreate(object);
    if (!meta.name && meta.generateName) meta.name = meta.generateName + this.rng.string(NAME_ALPHABET, 5);
    meta.uid = this.rng.uuid();
    meta.creationTimestamp = this.timestamp();
    if (this.strategy.tracksGeneration) meta.generation = 1;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    const problems: FieldError[] = [];
    if (meta.resourceVersion) problems.push(field.invalid(Path.of('metadata', 'resourceVersion'), meta.resourceVersion, 'must be empty'));
    if (!meta.name) problems.push(field.required(Path.of('metadata', 'name'), 'name or generateName is required'));
    problems.push(...this.strategy.validate(object));
    if (problems.length > 0) throw errors.invalid(this.groupKind, meta.name ?? '', problems);
    this.admission?.validate({ ...attributes, name: meta.name! });
    delete meta.resourceVersion;
    const json = canonicalJson(object, this.apiVersion, this.meta.kind);
    const key = this.key(namespace, meta.name!);
    if (options.dryRun) {
      if (this.cacher.get(key)) throw errors.alreadyExists(this.groupResource, meta.name!);
      return this.result(201, json, this.cacher.resourceVersion);
    }
    try {
      const stored = this.cacher.decoded(json, object, () => this.storage.create(key, json));
      return this.result(201, json, stored.modRevision, key);
    } catch (e) {
      if (e instanceof KeyExistsError) throw errors.alreadyExists(this.groupResource, meta.name!);
      throw e;
    }
  }

  /**
   * Replace an object (PUT), or its status when `subresource` is "status". With no resourceVersion in the
   * body the update is unconditional, as upstream allows for built-in resources.
   */
  update(namespace: string, name: string, object: KubeObject, options: WriteOptions & { subresource?: 'status' | 'finalize' } = {}): WriteResult {
    const meta = (object.metadata ??= {});
    this.checkNamespace(namespace, meta);
    if (meta.name !== undefined && meta.name !== name) throw errors.badRequest('the name of the object (' + meta.name + ') does not match the name on the URL (' + name + ')');
    meta.name = name;
    const current = this.cacher.get(this.key(namespace, name));
    if (!current) throw errors.notFound(this.groupResource, name);
    if (meta.resourceVersion && meta.resourceVersion !== String(current.resourceVersion)) throw errors.conflict(this.groupResource, name, MODIFIED);
    const old = JSON.parse(current.json) as KubeObject;
    this.strategy.defaults(object);
    const attributes = this.attributes('UPDATE', namespace, name, object, old, options, options.subresource ?? '');
    this.admission?.admit(attributes);
    const sub = options.subresource;
    const next = sub === 'status' ? this.statusUpdate(old, object) : sub === 'finalize' ? { ...old, spec: { ...(old.spec as object), finalizers: (object.spec as { finalizers?: string[] } | undefined)?.finalizers } } : object;
    const nextMeta = (next.metadata = sub ? { ...next.metadata } : meta);
    // What no update may change.
    const oldMeta = old.metadata!;
    nextMeta.uid = oldMeta.uid;
    nextMeta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp) {
      nextMeta.deletionTimestamp = oldMeta.deletionTimestamp;
      nextMeta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    } else {
      delete nextMeta.deletionTimestamp;
      delete nextMeta.deletionGracePeriodSeconds;
    }
    if (!sub) {
      if (this.strategy.hasStatus) next.status = old.status;
      this.strategy.prepareForUpdate(next, old);
    }
    if (this.strategy.tracksGeneration) {
      nextMeta.generation = oldMeta.generation ?? 1;
      if (!sub && JSON.stringify(next.spec) !== JSON.stringify(old.spec)) nextMeta.generation++;
    } else {
      delete nextMeta.generation;
    }
    const problems = this.strategy.validateUpdate(next, old);
    if (problems.length > 0) throw errors.invalid(this.groupKind, name, problems);
    this.admission?.validate({ ...attributes, object: next });
    delete nextMeta.resourceVersion;
    const json = canonicalJson(next, this.apiVersion, this.meta.kind);
    const oldJson = stripResourceVersion(current.json);
    // Nothing changed: no write, the resourceVersion stays (kubectl apply of an unchanged manifest).
    if (json === oldJson) return { status: 200, json: current.json, object: JSON.parse(current.json) as KubeObject };
    // A deleting object whose last finalizer is removed goes now.
    if (nextMeta.deletionTimestamp && (nextMeta.finalizers ?? []).length === 0 && (nextMeta.deletionGracePeriodSeconds ?? 0) === 0 && !this.strategy.awaitsFinalization?.(next)) {
      if (options.dryRun) return this.result(200, json, current.resourceVersion);
      const { revision } = this.deleteKey(this.key(namespace, name), current.resourceVersion, name);
      return this.result(200, json, revision);
    }
    if (options.dryRun) return this.result(200, json, current.resourceVersion);
    try {
      const key = this.key(namespace, name);
      const stored = this.cacher.decoded(json, next, () => this.storage.update(key, json, current.resourceVersion));
      return this.result(200, json, stored.modRevision, key);
    } catch (e) {
      if (e instanceof ModRevisionConflictError) throw errors.conflict(this.groupResource, name, MODIFIED);
      if (e instanceof KeyNotFoundError) throw errors.notFound(this.groupResource, name);
      throw e;
    }
  }

  /**
   * A registry's own read-modify-write (upstream's storage GuaranteedUpdate), for writes that are not a
   * client's update of the object — a pod's binding sets spec.nodeName, which a pod update may not. No
   * strategy, no admission: `mutate` changes a copy of the current object, which is written if its
   * mod revision is unchanged. Returns the object as written.
   */
  guaranteedUpdate(namespace: string, name: string, mutate: (object: KubeObject) => void, options: WriteOptions = {}): WriteResult {
    const key = this.key(namespace, name);
    const current = this.cacher.get(key);
    if (!current) throw errors.notFound(this.groupResource, name);
    const object = JSON.parse(current.json) as KubeObject;
    mutate(object);
    const json = canonicalJson(object, this.apiVersion, this.meta.kind);
    if (options.dryRun || json === stripResourceVersion(current.json)) return this.result(200, json, current.resourceVersion);
    try {
      const stored = this.storage.update(key, json, current.resourceVersion);
      return this.result(200, json, stored.modRevision, key);
    } catch (e) {
      if (e instanceof ModRevisionConflictError) throw errors.conflict(this.groupResource, name, MODIFIED);
      throw e;
    }
  }

  /**
   * Delete an object. Immediate (200 with the object) unless a grace period or finalizers keep it: then
   * deletionTimestamp is set and the answer is 202 Accepted with the object as it now is.
   */
  delete(namespace: string, name: string, options: DeleteOptions = {}): WriteResult {
    const key = this.key(namespace, name);
    const current = this.cacher.get(key);
    if (!current) throw errors.notFound(this.groupResource, name);
    const object = JSON.parse(current.json) as KubeObject;
    const meta = object.metadata!;
    const pre = options.preconditions;
    if (pre?.uid !== undefined && pre.uid !== meta.uid) {
      throw errors.conflict(this.groupResource, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid}`);
    }
    if (pre?.resourceVersion !== undefined && pre.resourceVersion !== meta.resourceVersion) {
      throw errors.conflict(this.groupResource, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion}`);
    }
    this.admission?.validate(this.attributes('DELETE', namespace, name, undefined, object, options));
    const finalizers = new Set(meta.finalizers ?? []);
    if (options.propagationPolicy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    } else if (options.propagationPolicy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    } else if (options.propagationPolicy === 'Background') {
      finalizers.delete('orphan');
      finalizers.delete('foregroundDeletion');
    }
    let grace = options.gracePeriodSeconds ?? this.strategy.defaultGracePeriodSeconds(object);
    if (grace < 0) grace = 0;
    const alreadyDeleting = meta.deletionTimestamp !== undefined;
    if (grace === 0 && finalizers.size === 0 && !this.strategy.awaitsFinalization?.(object)) {
      if (options.dryRun) return { status: 200, json: current.json, object };
      this.deleteKey(key, current.resourceVersion, name);
      return { status: 200, json: current.json, object };
    }
    // Graceful: mark the object; whoever holds it (the kubelet, a finalizer's owner) finishes the job.
    if (!alreadyDeleting || grace < (meta.deletionGracePeriodSeconds ?? Infinity)) {
      meta.deletionTimestamp = this.timestamp(grace * 1000);
      meta.deletionGracePeriodSeconds = grace;
    }
    if (finalizers.size > 0) meta.finalizers = [...finalizers];
    else delete meta.finalizers;
    this.strategy.prepareForDelete?.(object);
    delete meta.resourceVersion;
    const json = canonicalJson(object, this.apiVersion, this.meta.kind);
    if (options.dryRun || json === stripResourceVersion(current.json)) return { status: 202, json: current.json, object };
    try {
      const stored = this.storage.update(key, json, current.resourceVersion);
      return this.result(202, json, stored.modRevision);
    } catch (e) {
      if (e instanceof ModRevisionConflictError) throw errors.conflict(this.groupResource, name, MODIFIED);
      throw e;
    }
  }

  private attributes(operation: Operation, namespace: string, name: string, object: KubeObject | undefined, oldObject: KubeObject | undefined, options: WriteOptions, subresource = ''): Attributes {
    return { operation, resource: this.groupResource, kind: this.meta.kind, subresource, namespace, name, object, oldObject, user: options.user ?? LOOPBACK_USER, dryRun: options.dryRun ?? false };
  }

  private deleteKey(key: string, expectedRevision: number, name: string): { revision: number } {
    try {
      return this.storage.delete(key, expectedRevision);
    } catch (e) {
      if (e instanceof ModRevisionConflictError) throw errors.conflict(this.groupResource, name, MODIFIED);
      if (e instanceof KeyNotFoundError) throw errors.notFound(this.groupResource, name);
      throw e;
    }
  }

  /** What a status update stores: the old object with the new status (and, for some kinds, annotations). */
  private statusUpdate(old: KubeObject, object: KubeObject): KubeObject {
    const next: KubeObject = { ...old, status: object.status };
    if (this.meta.statusUpdateKeepsAnnotations) {
      const annotations = object.metadata?.annotations;
      const meta = { ...old.metadata! };
      if (annotations && Object.keys(annotations).length) meta.annotations = annotations;
      else delete meta.annotations;
      next.metadata = meta;
    }
    return next;
  }

  /** A write's answer; `key` names what it stored at `revision`, for the watch cache's decoded form. */
  private result(status: WriteResult['status'], storedJson: string, revision: number, key?: string): WriteResult {
    const json = withResourceVersion(storedJson, revision);
    // Most callers answer with the JSON alone: the object is parsed only when asked for.
    let object: KubeObject | undefined;
    const cacher = this.cacher;
    return {
      status,
      json,
      get object() {
        return (object ??= JSON.parse(json) as KubeObject);
      },
      ...(key === undefined ? {} : { decoded: () => cacher.decodedAt(key, revision) }),
    };
  }

  private checkNamespace(namespace: string, meta: ObjectMetaLike): void {
    if (!this.meta.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && meta.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace;
  }

  private timestamp(offsetMs = 0): string {
    return rfc3339(this.clock.now() + offsetMs);
  }

  private decodeContinue(token: string): string {
    let parsed: { v?: string; rv?: number; start?: string };
    try {
      parsed = JSON.parse(atob(token)) as typeof parsed;
    } catch {
      throw errors.badRequest('continue key is not valid: illegal base64 data at input byte 0');
    }
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.start !== 'string') throw errors.badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
    // The token names the key to start from (exclusive: upstream appends \0 to the last key).
    const start = parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
    return this.meta.etcdPrefix + start;
  }
}

/** upstream's continue token: base64 of {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key>\u0000"}. */
function encodeContinue(revision: number, keyAfterPrefix: string): string {
  return btoa(JSON.stringify({ v: 'meta.k8s.io/v1', rv: revision, start: keyAfterPrefix + '\u0000' }));
}

/**
 * The stored form of an object: apiVersion, kind and metadata first (so the watch cache can find the
 * object's own metadata), no resourceVersion (it is etcd's mod_revision), no empty metadata fields.
 */
export function canonicalJson(object: KubeObject, apiVersion: string, kind: string): string {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object;
  const m: ObjectMetaLike = { ...metadata };
  delete m.resourceVersion;
  delete m.selfLink;
  for (const k of ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'] as const) {
    const v = m[k];
    if (v !== undefined && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0)) delete m[k];
  }
  return JSON.stringify({ apiVersion, kind, metadata: m, ...rest });
}
