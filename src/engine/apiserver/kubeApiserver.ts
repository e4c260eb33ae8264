/**
 * kube-apiserver, assembled (cmd/kube-apiserver's server chain): one generic registry Store per kind of the
 * scheme over etcd storage, the admission chain in upstream's order, bearer-token authentication (static
 * tokens, and the service-account JWTs it issues through TokenRequest), RBAC
 * authorization over the stored roles and bindings, discovery, /version, the health endpoints and the
 * OpenAPI v3 documents; then the bootstrap objects (system namespaces, priority classes, the `kubernetes`
 * Service, the bootstrap RBAC policy) are written, as the post-start hooks do.
 *
 * An APIService (`registerAPIService`) adds a group served by another component in the lab, as
 * kube-aggregator proxies metrics.k8s.io to metrics-server: it appears in discovery while registered and
 * its requests, once authenticated and authorized, go to that component.
 *
 * Left out: APIService objects and proxying to aggregated servers over the network, CRDs, server-side apply, audit, priority and fairness (the lab has one
 * user at a time); authentication is by token only.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { errors } from '../api/errors.ts';
import { rfc3339 } from '../api/time.ts';
import { KINDS, groupKindOf, kindForResource, type KindInfo } from '../api/scheme.ts';
import { parseSelector, type Selector } from '../api/labels/selector.ts';
import { checkFieldLabels, parseFieldSelector, type FieldSelector } from '../api/fields/selector.ts';
import { AdmissionChain, type AdmissionLookup, type Plugin } from './admission/admission.ts';
import { DefaultTolerationSeconds } from './admission/defaultTolerationSeconds.ts';
import { LimitRanger } from './admission/limitRanger.ts';
import { ResourceQuotaAdmission } from './admission/resourceQuota.ts';
import { NamespaceLifecycle } from './admission/namespaceLifecycle.ts';
import { Priority } from './admission/priority.ts';
import { ServiceAccountAdmission } from './admission/serviceAccount.ts';
import { TokenAuthenticator } from './authentication/tokenAuthenticator.ts';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './authorization/bootstrapPolicy.ts';
import { RbacAuthorizer, type Binding, type PolicyRule, type RbacSource, type RoleRef } from './authorization/rbac.ts';
import { bootstrapObjects } from './bootstrap.ts';
import { Discovery, type DiscoveryResource } from './discovery.ts';
import { jsonResponse, type ApiRequest, type ApiResponse } from './http.ts';
import { OpenApiV3 } from './openapi/index.ts';
import { applyPatch } from './patch/index.ts';
import { printTable } from './printers/index.ts';
import { decodeKubernetesProtobuf } from './protobuf/index.ts';
import { KindStrategy, type KindHooks } from './registry/kindStrategy.ts';
import { daemonSetHooks } from './registry/daemonsets.ts';
import { jobHooks } from './registry/jobs.ts';
import { namespaceHooks } from './registry/namespaces.ts';
import { podHooks } from './registry/pods.ts';
import { serviceHooks } from './registry/services.ts';
import { serveReview } from './registry/reviews.ts';
import { createToken } from './registry/serviceAccountToken.ts';
import { ServiceAccountTokenAuthenticator, TokenGenerator, type ObjectGetter } from './serviceaccount/jwt.ts';
import { secretHooks } from './registry/secrets.ts';
import { Store } from './registry/store.ts';
import { bindPod, type ConnectHandler } from './registry/subresources.ts';
import type { KubeObject } from './registry/strategy.ts';
import type { RequestInfo } from './requestInfo.ts';
import { ApiServer, type NonResourceHandler, type UserInfo } from './server.ts';
import type { CacheEntry, EntryFilter } from './storage/cacher.ts';
import type { Storage } from './storage/interface.ts';
import { KUBERNETES_VERSION, healthBody } from './version.ts';
import { autoscalingV1 } from './conversion/autoscalingV1.ts';

/** A group version another component serves (an available APIService, e.g. v1beta1.metrics.k8s.io). */
export interface APIServiceBackend {
  group: string;
  version: string;
  /** What discovery lists for it. */
  resources: readonly DiscoveryResource[];
  /** Answers an authorized request for one of its resources. */
  handle(request: ApiRequest, info: RequestInfo, user: UserInfo): ApiResponse;
}

export interface KubeApiserverOptions {
  clock: Clock;
  rng: SeededRng;
  storage: Storage;
  /** The address discovery advertises (kubeadm: the control-plane node's IP and 6443). */
  serverAddress: string;
  /** Events each resource's watch cache keeps for resuming watches (default: the Cacher's). */
  watchCacheSize?: number;
  /** Where pods' log, exec and attach go: the kubelets (kubelet/server's connectHandler). */
  connect?: ConnectHandler;
}

/** The lab's cluster-admin: kubeadm's kubernetes-admin in system:masters. */
export const ADMIN_USER: UserInfo = { username: 'kubernetes-admin', groups: ['system:masters'] };

export class KubeApiserver {
  readonly server: ApiServer;
  readonly authenticator = new TokenAuthenticator();
  /** Signs service-account tokens (sa.key); its tokens authenticate as their service accounts. */
  readonly tokenGenerator: TokenGenerator;
  readonly authorizer: RbacAuthorizer;
  readonly openapi = new OpenApiV3();
  readonly rng: SeededRng;
  readonly clock: Clock;
  private readonly stores = new Map<string, Store>();
  private readonly discovery: Discovery;
  private readonly apiServices = new Map<string, APIServiceBackend>();

  constructor(private readonly options: KubeApiserverOptions) {
    const { clock, rng, storage } = options;
    this.rng = rng;
    this.clock = clock;
    for (const info of KINDS) {
      if (info.virtual) continue;
      const hooks = this.hooksFor(info);
      const etcdResource = info.etcdResource ?? info.resource;
      const store = new Store(
        { group: info.group, version: info.version, kind: info.kind, resource: info.resource, namespaced: info.namespaced, etcdPrefix: `/registry/${etcdResource}/`, statusUpdateKeepsAnnotations: info.statusUpdateKeepsAnnotations },
        new KindStrategy(info, hooks),
        storage,
        clock,
        rng,
        options.watchCacheSize,
      );
      this.stores.set(`${info.group}/${info.resource}`, store);
    }
    const lookup = this.lookup();
    // Upstream's order of the enabled plugins (a kubeadm cluster's defaults, restricted to the ones emulated).
    const plugins: Plugin[] = [new NamespaceLifecycle(), new LimitRanger(), new ServiceAccountAdmission(rng), new Priority(), new DefaultTolerationSeconds(), new ResourceQuotaAdmission()];
    // Each plugin's verdict is a stage of the request's trace: which plugin mutated, admitted or refused it.
    const chain = new AdmissionChain(plugins, lookup, (plugin, phase, outcome, a, detail) =>
      this.server.report({ stage: 'admission', verb: a.operation.toLowerCase(), resource: a.resource.resource, namespace: a.namespace, name: a.name, outcome, detail: `${phase} ${plugin}${detail ? `: ${detail}` : ''}` }),
    );
    for (const store of this.stores.values()) store.admission = chain;
    this.authorizer = new RbacAuthorizer(this.rbacSource());
    this.tokenGenerator = new TokenGenerator(rng.fork('sa.key'));
    const tokenObjects: ObjectGetter = (resource, namespace, name) => lookup.get('', resource, namespace, name);
    const serviceAccountTokens = new ServiceAccountTokenAuthenticator(this.tokenGenerator, clock, tokenObjects);
    const tokenRest = { generator: this.tokenGenerator, get: tokenObjects, rng: rng.fork('token jti') };
    const discovery = (this.discovery = new Discovery(
      KINDS.map((k) => ({ group: k.group, version: k.version, kind: k.kind, resource: k.resource, singular: k.kind.toLowerCase(), namespaced: k.namespaced, verbs: k.verbs, shortNames: k.shortNames, categories: k.categories, subresources: k.subresources })),
      { serverAddress: options.serverAddress },
    ));
    this.server = new ApiServer({
      clock,
      stores: [...this.stores.values()],
      authenticator: { authenticate: (request) => this.authenticator.authenticate(request) ?? serviceAccountTokens.authenticate(request) },
      serviceAccountToken: (namespace, name, body) => createToken(tokenRest, namespace, name, body, clock.now()),
      authorizer: this.authorizer,
      nonResource: this.nonResource(discovery),
      selectors: (store, labelSelector, fieldSelector) => compileSelectors(store, labelSelector, fieldSelector),
      patcher: (store, contentType, original, body) => applyPatch(groupKindOf(store.meta), contentType, original, body),
      virtual: (info, body, user) => this.virtual(info, body, user),
      aggregated: (request, info, user) => this.apiServices.get(`${info.apiGroup}/${info.apiVersion}`)?.handle(request, info, user),
      protobuf: decodeKubernetesProtobuf,
      ...(options.connect ? { connect: options.connect } : {}),
      tables: (store, items, includeObject, listMeta) =>
        printTable(groupKindOf(store.meta), items, { now: clock.now(), includeObject, listMeta, apiVersion: store.apiVersion, kind: store.meta.kind }),
    });
    // autoscaling/v1 HPAs: the stored v2 resource, converted (listed after v2, which stays preferred).
    this.registerAPIService(autoscalingV1({ dispatch: (r) => this.server.handle(r), patch: (type, original, body) => applyPatch('HorizontalPodAutoscaler.autoscaling', type, original, body), protobuf: decodeKubernetesProtobuf }));
    this.bootstrap();
  }

  /** Bindings posted to the namespace (the older form of pods/binding) and the review APIs. */
  private virtual(info: RequestInfo, body: KubeObject, user: UserInfo): ApiResponse | undefined {
    if (info.apiGroup === '' && info.resource === 'bindings') {
      const name = body.metadata?.name ?? '';
      return bindPod(this.store('', 'pods')!, info.namespace, name, body, { user }, rfc3339(this.options.clock.now()));
    }
    return serveReview(info, body, user, { authorizer: this.authorizer, rulesFor: (u, ns) => this.authorizer.rulesFor(u, ns) });
  }

  handle(request: ApiRequest): ApiResponse {
    return this.server.handle(request);
  }

  /** Serve `backend`'s group version until the returned function is called (the APIService goes away). */
  registerAPIService(backend: APIServiceBackend): () => void {
    const key = `${backend.group}/${backend.version}`;
    if (this.apiServices.has(key)) throw new Error(`APIService ${backend.version}.${backend.group} is already registered`);
    this.apiServices.set(key, backend);
    this.discovery.add(backend.resources);
    return () => {
      if (this.apiServices.get(key) !== backend) return;
      this.apiServices.delete(key);
      this.discovery.remove(backend.group, backend.version);
    };
  }

  store(group: string, resource: string): Store | undefined {
    return this.stores.get(`${group}/${resource}`);
  }

  /** Stop serving watches: every watch cache stops following etcd and ends its watchers (and their timers). */
  shutdown(): void {
    for (const store of this.stores.values()) store.cacher.stop();
  }

  private hooksFor(info: KindInfo): KindHooks {
    return REGISTRY_HOOKS[`${info.group}/${info.resource}`]?.(this) ?? {};
  }

  /**
   * The stored objects of a resource in a namespace ('' = all), for the apiserver's own reads (admission,
   * RBAC, allocators): decoded once per stored version by the watch cache; read-only.
   */
  objects(group: string, resource: string, namespace: string): KubeObject[] {
    const store = this.store(group, resource);
    if (!store) return [];
    return store.cacher.list({ keyPrefix: store.keyPrefix(namespace) }).items.map((e) => store.cacher.decode(e) as KubeObject);
  }

  private lookup(): AdmissionLookup {
    return {
      get: (group, resource, namespace, name) => {
        const store = this.store(group, resource);
        const entry = store?.cacher.get(store.key(namespace, name));
        return entry ? (store!.cacher.decode(entry) as KubeObject) : undefined;
      },
      list: (group, resource, namespace) => this.objects(group, resource, namespace),
    };
  }

  private rbacSource(): RbacSource {
    const group = 'rbac.authorization.k8s.io';
    const toBinding = (o: KubeObject): Binding => ({
      namespace: o.metadata?.namespace ?? '',
      subjects: ((o.subjects as Binding['subjects'] | undefined) ?? []).map((s) => ({ ...s })),
      roleRef: o.roleRef as RoleRef,
    });
    return {
      clusterRoleBindings: () => this.objects(group, 'clusterrolebindings', '').map(toBinding),
      roleBindings: (namespace) => this.objects(group, 'rolebindings', namespace).map(toBinding),
      rules: (ref, namespace) => {
        const role = ref.kind === 'ClusterRole' ? this.lookup().get(group, 'clusterroles', '', ref.name) : this.lookup().get(group, 'roles', namespace, ref.name);
        return role ? ((role.rules as PolicyRule[] | undefined) ?? []) : undefined;
      },
    };
  }

  private nonResource(discovery: Discovery): NonResourceHandler {
    return {
      handle: (request: ApiRequest, info: RequestInfo) => {
        if (info.verb !== 'get') return undefined;
        const path = request.path.replace(/\/+$/, '') || '/';
        if (path === '/version') return jsonResponse(200, JSON.stringify(KUBERNETES_VERSION, null, 2));
        if (path === '/healthz' || path === '/livez' || path === '/readyz') {
          return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: healthBody(path.slice(1) as 'healthz', request.query.has('verbose')) };
        }
        // The OpenAPI documents are loaded lazily (they are large); until then the paths are not found.
        if (path.startsWith('/openapi/v3')) return this.openapi.handle(request);
        const doc = discovery.document(path);
        return doc === undefined ? undefined : jsonResponse(200, doc);
      },
    };
  }

  /** The post-start hooks: system namespaces, priority classes, the kubernetes Service, RBAC policy. */
  private bootstrap(): void {
    const write = (group: string, resource: string, namespace: string, object: KubeObject) => {
      const store = this.store(group, resource)!;
      if (store.cacher.get(store.key(namespace, object.metadata!.name!))) return;
      store.create(namespace, JSON.parse(JSON.stringify(object)) as KubeObject);
    };
    for (const o of bootstrapObjects(this.options.serverAddress.split(':')[0])) write(o.group, o.resource, o.namespace, o.object);
    for (const o of bootstrapClusterRoles()) write('rbac.authorization.k8s.io', 'clusterroles', '', o);
    for (const o of bootstrapClusterRoleBindings()) write('rbac.authorization.k8s.io', 'clusterrolebindings', '', o);
  }
}

/** The registries with rules of their own (registry/<resource>.ts), by group/resource. */
const REGISTRY_HOOKS: Readonly<Record<string, (api: KubeApiserver) => KindHooks>> = {
  '/pods': (api) => podHooks(() => rfc3339(api.clock.now())),
  '/namespaces': () => namespaceHooks,
  '/secrets': () => secretHooks,
  '/services': (api) => serviceHooks(api.rng, () => api.objects('', 'services', '')),
  'batch/jobs': () => jobHooks,
  'apps/daemonsets': () => daemonSetHooks,
};

/**
 * A list or watch's selectors as one cache filter. A bad selector is 400 BadRequest with the parser's
 * message; a field the resource cannot select on is `field label not supported: <name>`.
 */
function compileSelectors(store: Store, labelSelector: string | null, fieldSelector: string | null): EntryFilter | undefined {
  let labels: Selector | undefined;
  let fields: FieldSelector | undefined;
  if (labelSelector) {
    try {
      labels = parseSelector(labelSelector);
    } catch (e) {
      throw errors.badRequest((e as Error).message);
    }
    if (labels.empty()) labels = undefined;
  }
  if (fieldSelector) {
    try {
      fields = parseFieldSelector(fieldSelector);
    } catch (e) {
      throw errors.badRequest((e as Error).message);
    }
    const info = kindForResource(store.meta.group, store.meta.resource);
    const problem = checkFieldLabels(fields, ['metadata.name', 'metadata.namespace', ...Object.keys(info?.fields ?? {})]);
    if (problem) throw errors.badRequest(problem);
    if (fields.empty()) fields = undefined;
  }
  if (!labels && !fields) return undefined;
  const l = labels;
  const f = fields;
  return (entry: CacheEntry) => (!l || l.matches(entry.labels)) && (!f || f.matches(entry.fields));
}
