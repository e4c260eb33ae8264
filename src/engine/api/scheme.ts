/**
 * The scheme — every kind the lab serves, with what the rest of the engine needs to know about it: its
 * group, version and plural resource (REST paths and etcd keys), scope, the discovery facts kubectl reads
 * (verbs, short names, categories, subresources — as a 1.32 apiserver lists them), and the registry
 * traits that differ by kind (a status subresource, whether spec changes bump metadata.generation, which
 * fields a field selector may name). Upstream spreads this over runtime.Scheme, each registry's
 * strategy and storage, and the discovery handlers; here it is one table, so adding a kind is one entry.
 *
 * Left out: kinds outside the curriculum (ReplicationController, PodTemplate, CRDs…), and versions other
 * than the preferred one of each group (autoscaling/v1, events.k8s.io…).
 */

/** The verbs a resource with full CRUD serves, as discovery lists them (sorted). */
const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const STATUS = { name: 'status', verbs: ['get', 'patch', 'update'] } as const;
const SCALE = { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] } as const;

export interface Subresource {
  name: string;
  verbs: readonly string[];
  /** When the subresource speaks another kind (scale → autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  kind?: string;
}

export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural resource name: the REST path segment and the etcd key segment. */
  resource: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: readonly Subresource[];
  /** Spec changes bump metadata.generation (kinds a controller reconciles from spec to status). */
  tracksGeneration?: boolean;
  /** Field selector fields beyond metadata.name and metadata.namespace, and how to read them. */
  fields?: Readonly<Record<string, (object: Record<string, unknown>) => string>>;
  /** The etcd key segment when it differs from the resource (upstream keeps a few historic names). */
  etcdResource?: string;
  /** Not stored: a request is answered and forgotten (access reviews, a pod's binding). */
  virtual?: boolean;
  /**
   * The status a new object starts with: what Go serialises for an empty status struct (fields without
   * omitempty print even when zero, e.g. a ReplicaSet's `replicas: 0`).
   */
  emptyStatus?: Readonly<Record<string, unknown>>;
  /** Status given on create is kept (a kubelet registers its Node with capacity and conditions). */
  keepsStatusOnCreate?: boolean;
  /**
   * A status update also keeps the new object's annotations (deployments/status resets only spec and
   * labels: the Deployment controller writes its revision annotation with its status).
   */
  statusUpdateKeepsAnnotations?: boolean;
}

/** A field's value as field selectors compare it: absent is "", booleans and numbers as text. */
function at(...path: string[]): (object: Record<string, unknown>) => string {
  return (object) => {
    let v: unknown = object;
    for (const p of path) {
      if (v === null || typeof v !== 'object') return '';
      v = (v as Record<string, unknown>)[p];
    }
    return v === undefined || v === null ? '' : String(v);
  };
}

const core = (resource: string, kind: string, rest: Partial<KindInfo> = {}): KindInfo => ({ group: '', version: 'v1', kind, resource, namespaced: true, verbs: CRUD, ...rest });
const of =
  (group: string, version: string) =>
  (resource: string, kind: string, rest: Partial<KindInfo> = {}): KindInfo => ({ group, version, kind, resource, namespaced: true, verbs: CRUD, ...rest });
const apps = of('apps', 'v1');
const batch = of('batch', 'v1');
const networking = of('networking.k8s.io', 'v1');
const rbac = of('rbac.authorization.k8s.io', 'v1');

export const KINDS: readonly KindInfo[] = [
  core('bindings', 'Binding', { verbs: ['create'], virtual: true }),
  core('configmaps', 'ConfigMap', { shortNames: ['cm'] }),
  core('endpoints', 'Endpoints', { shortNames: ['ep'], etcdResource: 'services/endpoints' }),
  core('events', 'Event', {
    shortNames: ['ev'],
    fields: {
      'involvedObject.kind': at('involvedObject', 'kind'),
      'involvedObject.namespace': at('involvedObject', 'namespace'),
      'involvedObject.name': at('involvedObject', 'name'),
      'involvedObject.uid': at('involvedObject', 'uid'),
      'involvedObject.apiVersion': at('involvedObject', 'apiVersion'),
      'involvedObject.resourceVersion': at('involvedObject', 'resourceVersion'),
      'involvedObject.fieldPath': at('involvedObject', 'fieldPath'),
      reason: at('reason'),
      reportingComponent: at('reportingComponent'),
      source: at('source', 'component'),
      type: at('type'),
    },
  }),
  core('limitranges', 'LimitRange', { shortNames: ['limits'] }),
  core('namespaces', 'Namespace', {
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['ns'],
    subresources: [{ name: 'finalize', verbs: ['update'] }, STATUS],
    fields: { 'status.phase': at('status', 'phase') },
  }),
  core('nodes', 'Node', {
    keepsStatusOnCreate: true,
    emptyStatus: { daemonEndpoints: { kubeletEndpoint: { Port: 0 } }, nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '', kubeletVersion: '', kubeProxyVersion: '', operatingSystem: '', architecture: '' } },
    namespaced: false,
    shortNames: ['no'],
    subresources: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, STATUS],
    fields: { 'spec.unschedulable': at('spec', 'unschedulable') },
    etcdResource: 'minions',
  }),
  core('persistentvolumeclaims', 'PersistentVolumeClaim', { shortNames: ['pvc'], subresources: [STATUS] }),
  core('persistentvolumes', 'PersistentVolume', { namespaced: false, shortNames: ['pv'], subresources: [STATUS] }),
  core('pods', 'Pod', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'ephemeralcontainers', verbs: ['get', 'patch', 'update'] },
      { name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      STATUS,
    ],
    fields: {
      'spec.nodeName': at('spec', 'nodeName'),
      'spec.restartPolicy': at('spec', 'restartPolicy'),
      'spec.schedulerName': at('spec', 'schedulerName'),
      'spec.serviceAccountName': at('spec', 'serviceAccountName'),
      'spec.hostNetwork': (o) => String((o.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork ?? false),
      'status.phase': at('status', 'phase'),
      'status.podIP': at('status', 'podIP'),
      'status.nominatedNodeName': at('status', 'nominatedNodeName'),
    },
  }),
  core('resourcequotas', 'ResourceQuota', { shortNames: ['quota'], subresources: [STATUS] }),
  core('secrets', 'Secret', { fields: { type: at('type') } }),
  core('serviceaccounts', 'ServiceAccount', {
    shortNames: ['sa'],
    subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }],
  }),
  core('services', 'Service', {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }, STATUS],
    etcdResource: 'services/specs',
    // ServiceToSelectableFields: the kubelet watches Services with spec.clusterIP!=None.
    fields: { 'spec.clusterIP': at('spec', 'clusterIP'), 'spec.type': at('spec', 'type') },
    emptyStatus: { loadBalancer: {} },
  }),

  apps('controllerrevisions', 'ControllerRevision'),
  apps('daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: [STATUS],
    tracksGeneration: true,
    emptyStatus: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  }),
  apps('deployments', 'Deployment', {
    statusUpdateKeepsAnnotations: true, shortNames: ['deploy'], categories: ['all'], subresources: [SCALE, STATUS], tracksGeneration: true, emptyStatus: {} }),
  apps('replicasets', 'ReplicaSet', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [SCALE, STATUS],
    tracksGeneration: true,
    fields: { 'status.replicas': at('status', 'replicas') },
    emptyStatus: { replicas: 0 },
  }),
  apps('statefulsets', 'StatefulSet', { shortNames: ['sts'], categories: ['all'], subresources: [SCALE, STATUS], tracksGeneration: true, emptyStatus: { replicas: 0, availableReplicas: 0 } }),

  of('autoscaling', 'v2')('horizontalpodautoscalers', 'HorizontalPodAutoscaler', { shortNames: ['hpa'], categories: ['all'], subresources: [STATUS], tracksGeneration: true, emptyStatus: { desiredReplicas: 0 } }),

  batch('cronjobs', 'CronJob', { shortNames: ['cj'], categories: ['all'], subresources: [STATUS], tracksGeneration: true, emptyStatus: {} }),
  batch('jobs', 'Job', { categories: ['all'], subresources: [STATUS], tracksGeneration: true, fields: { 'status.successful': at('status', 'succeeded') } }),

  of('authentication.k8s.io', 'v1')('selfsubjectreviews', 'SelfSubjectReview', { namespaced: false, verbs: ['create'], virtual: true }),

  of('authorization.k8s.io', 'v1')('localsubjectaccessreviews', 'LocalSubjectAccessReview', { verbs: ['create'], virtual: true }),
  of('authorization.k8s.io', 'v1')('selfsubjectaccessreviews', 'SelfSubjectAccessReview', { namespaced: false, verbs: ['create'], virtual: true }),
  of('authorization.k8s.io', 'v1')('selfsubjectrulesreviews', 'SelfSubjectRulesReview', { namespaced: false, verbs: ['create'], virtual: true }),
  of('authorization.k8s.io', 'v1')('subjectaccessreviews', 'SubjectAccessReview', { namespaced: false, verbs: ['create'], virtual: true }),

  of('coordination.k8s.io', 'v1')('leases', 'Lease'),
  of('discovery.k8s.io', 'v1')('endpointslices', 'EndpointSlice', { fields: { addressType: at('addressType') } }),

  networking('ingressclasses', 'IngressClass', { namespaced: false }),
  networking('ingresses', 'Ingress', { shortNames: ['ing'], subresources: [STATUS], tracksGeneration: true, etcdResource: 'ingress', emptyStatus: { loadBalancer: {} } }),
  networking('networkpolicies', 'NetworkPolicy', { shortNames: ['netpol'], tracksGeneration: true }),

  of('policy', 'v1')('poddisruptionbudgets', 'PodDisruptionBudget', {
    shortNames: ['pdb'],
    subresources: [STATUS],
    tracksGeneration: true,
    emptyStatus: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  }),

  rbac('clusterrolebindings', 'ClusterRoleBinding', { namespaced: false }),
  rbac('clusterroles', 'ClusterRole', { namespaced: false }),
  rbac('rolebindings', 'RoleBinding'),
  rbac('roles', 'Role'),

  of('scheduling.k8s.io', 'v1')('priorityclasses', 'PriorityClass', { namespaced: false, shortNames: ['pc'] }),
  of('storage.k8s.io', 'v1')('storageclasses', 'StorageClass', { namespaced: false, shortNames: ['sc'] }),
];

/** Upstream's GroupKind string: `Kind` for the core group, `Kind.group` otherwise. */
export function groupKindOf(info: Pick<KindInfo, 'group' | 'kind'>): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

export function apiVersionOf(info: Pick<KindInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

const byGroupResource = new Map(KINDS.map((k) => [`${k.group}/${k.resource}`, k]));
const byApiVersionKind = new Map(KINDS.map((k) => [`${apiVersionOf(k)}/${k.kind}`, k]));

export function kindForResource(group: string, resource: string): KindInfo | undefined {
  return byGroupResource.get(`${group}/${resource}`);
}

export function kindFor(apiVersion: string, kind: string): KindInfo | undefined {
  return byApiVersionKind.get(`${apiVersion}/${kind}`);
}

/** Whether the kind has a status subresource (main-resource writes then keep the old status). */
export function hasStatus(info: KindInfo): boolean {
  return (info.subresources ?? []).some((s) => s.name === 'status');
}
