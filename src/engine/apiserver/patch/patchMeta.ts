/**
 * Strategic-merge-patch metadata for the kinds the lab serves: upstream keeps it in the Go struct tags
 * `patchStrategy` / `patchMergeKey` of k8s.io/api (published as x-kubernetes-patch-strategy and
 * x-kubernetes-patch-merge-key in api/openapi-spec), and strategicpatch reads it through reflection.
 * Here it is a table: for each type, the fields that carry a strategy or lead to a type that does.
 *
 * Contract: `schemaFor(groupKind)` gives the root of a kind's schema, or undefined for a kind with no
 * metadata (its lists replace, as in a JSON merge patch); `lookupPatchMeta(ref, field)` gives a field's
 * strategies, merge key and the type of the field (of its elements, for a list).
 * Leaves out: fields without metadata that lead nowhere (upstream errors on an unknown field only in
 * cases a typed original never produces), and `patchStrategy:"replace"` on map fields other than the
 * PodDisruptionBudget selector (the only one among these kinds).
 */

/** A field's patch metadata: `type` names the field's type (its element type, for a list). */
export interface FieldPatchMeta {
  readonly type?: string;
  /** patchStrategy as tagged: `merge`, `replace`, `retainKeys` or `merge,retainKeys`. */
  readonly strategy?: string;
  readonly mergeKey?: string;
}

/** Types by name, each mapping field names to their metadata. */
export type PatchSchema = Readonly<Record<string, Readonly<Record<string, FieldPatchMeta>>>>;

/** A position in a schema: the type of the object being patched, or none when it is not known. */
export interface SchemaRef {
  readonly schema: PatchSchema;
  readonly type: string | undefined;
}

export interface PatchMeta {
  /** Where the field leads. */
  readonly ref: SchemaRef;
  readonly strategies: readonly string[];
  readonly mergeKey: string;
}

const byName = (type: string): FieldPatchMeta => ({ type, strategy: 'merge', mergeKey: 'name' });
const byType = (type: string): FieldPatchMeta => ({ type, strategy: 'merge', mergeKey: 'type' });
const conditions = byType('Condition');

/** Objects whose only interesting fields are metadata, spec and status. */
const object = (spec?: string, status?: string): Record<string, FieldPatchMeta> => ({
  metadata: { type: 'ObjectMeta' },
  ...(spec ? { spec: { type: spec } } : {}),
  ...(status ? { status: { type: status } } : {}),
});

/** The k8s.io/api types reachable from the served kinds that carry (or lead to) patch metadata. */
export const kubernetesSchema: PatchSchema = {
  ObjectMeta: {
    ownerReferences: { strategy: 'merge', mergeKey: 'uid' },
    finalizers: { strategy: 'merge' },
  },

  // core/v1
  Pod: object('PodSpec', 'PodStatus'),
  PodTemplateSpec: object('PodSpec'),
  PodSpec: {
    volumes: { type: 'Volume', strategy: 'merge,retainKeys', mergeKey: 'name' },
    initContainers: byName('Container'),
    containers: byName('Container'),
    ephemeralContainers: byName('Container'),
    imagePullSecrets: byName('LocalObjectReference'),
    hostAliases: { strategy: 'merge', mergeKey: 'ip' },
    topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey' },
    schedulingGates: byName('PodSchedulingGate'),
    resourceClaims: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  Container: {
    ports: { strategy: 'merge', mergeKey: 'containerPort' },
    env: byName('EnvVar'),
    volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
    volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
  },
  PodStatus: {
    conditions: byType('PodCondition'),
    podIPs: { strategy: 'merge', mergeKey: 'ip' },
    hostIPs: { strategy: 'merge', mergeKey: 'ip' },
    resourceClaimStatuses: { strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  Service: object('ServiceSpec', 'ServiceStatus'),
  ServiceSpec: { ports: { strategy: 'merge', mergeKey: 'port' } },
  ServiceStatus: { conditions },
  Endpoints: object(),
  Namespace: object(undefined, 'NamespaceStatus'),
  NamespaceStatus: { conditions: byType('NamespaceCondition') },
  Node: object('NodeSpec', 'NodeStatus'),
  NodeSpec: { podCIDRs: { strategy: 'merge' } },
  NodeStatus: {
    conditions: byType('NodeCondition'),
    addresses: byType('NodeAddress'),
  },
  ConfigMap: object(),
  Secret: object(),
  ServiceAccount: { metadata: { type: 'ObjectMeta' }, secrets: byName('ObjectReference') },
  Event: object(),
  PersistentVolume: object(),
  PersistentVolumeClaim: object(undefined, 'PersistentVolumeClaimStatus'),
  PersistentVolumeClaimStatus: { conditions: byType('PersistentVolumeClaimCondition') },
  LimitRange: object(),
  ResourceQuota: object(),
  Binding: object(),

  // apps/v1
  Deployment: object('DeploymentSpec', 'DeploymentStatus'),
  DeploymentSpec: {
    template: { type: 'PodTemplateSpec' },
    strategy: { type: 'DeploymentStrategy', strategy: 'retainKeys' },
  },
  DeploymentStatus: { conditions: byType('DeploymentCondition') },
  ReplicaSet: object('ReplicaSetSpec', 'ReplicaSetStatus'),
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' } },
  ReplicaSetStatus: { conditions: byType('ReplicaSetCondition') },
  StatefulSet: object('StatefulSetSpec', 'StatefulSetStatus'),
  StatefulSetSpec: {
    template: { type: 'PodTemplateSpec' },
    volumeClaimTemplates: { type: 'PersistentVolumeClaim' },
  },
  StatefulSetStatus: { conditions: byType('StatefulSetCondition') },
  DaemonSet: object('DaemonSetSpec', 'DaemonSetStatus'),
  DaemonSetSpec: { template: { type: 'PodTemplateSpec' } },
  DaemonSetStatus: { conditions: byType('DaemonSetCondition') },
  ControllerRevision: object(),

  // batch/v1
  Job: object('JobSpec', 'JobStatus'),
  JobSpec: { template: { type: 'PodTemplateSpec' } },
  JobStatus: { conditions: byType('JobCondition') },
  CronJob: object('CronJobSpec'),
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: object('JobSpec'),

  // policy/v1
  PodDisruptionBudget: object('PodDisruptionBudgetSpec', 'PodDisruptionBudgetStatus'),
  PodDisruptionBudgetSpec: { selector: { strategy: 'replace' } },
  PodDisruptionBudgetStatus: { conditions },

  // autoscaling/v2
  HorizontalPodAutoscaler: object(undefined, 'HorizontalPodAutoscalerStatus'),
  HorizontalPodAutoscalerStatus: { conditions: byType('HorizontalPodAutoscalerCondition') },

  // Kinds whose types carry no patch metadata beyond ObjectMeta.
  EndpointSlice: object(),
  Ingress: object(),
  IngressClass: object(),
  NetworkPolicy: object(),
  Role: object(),
  ClusterRole: object(),
  RoleBinding: object(),
  ClusterRoleBinding: object(),
  StorageClass: object(),
  Lease: object(),
  PriorityClass: object(),
};

/** Root types by upstream GroupKind string (`Kind` for core, `Kind.group` otherwise). */
const rootTypes: Readonly<Record<string, string>> = {
  Pod: 'Pod',
  Service: 'Service',
  Endpoints: 'Endpoints',
  Namespace: 'Namespace',
  Node: 'Node',
  ConfigMap: 'ConfigMap',
  Secret: 'Secret',
  ServiceAccount: 'ServiceAccount',
  Event: 'Event',
  PersistentVolume: 'PersistentVolume',
  PersistentVolumeClaim: 'PersistentVolumeClaim',
  LimitRange: 'LimitRange',
  ResourceQuota: 'ResourceQuota',
  Binding: 'Binding',
  'Deployment.apps': 'Deployment',
  'ReplicaSet.apps': 'ReplicaSet',
  'StatefulSet.apps': 'StatefulSet',
  'DaemonSet.apps': 'DaemonSet',
  'ControllerRevision.apps': 'ControllerRevision',
  'Job.batch': 'Job',
  'CronJob.batch': 'CronJob',
  'EndpointSlice.discovery.k8s.io': 'EndpointSlice',
  'Ingress.networking.k8s.io': 'Ingress',
  'IngressClass.networking.k8s.io': 'IngressClass',
  'NetworkPolicy.networking.k8s.io': 'NetworkPolicy',
  'Role.rbac.authorization.k8s.io': 'Role',
  'ClusterRole.rbac.authorization.k8s.io': 'ClusterRole',
  'RoleBinding.rbac.authorization.k8s.io': 'RoleBinding',
  'ClusterRoleBinding.rbac.authorization.k8s.io': 'ClusterRoleBinding',
  'StorageClass.storage.k8s.io': 'StorageClass',
  'Lease.coordination.k8s.io': 'Lease',
  'PriorityClass.scheduling.k8s.io': 'PriorityClass',
  'PodDisruptionBudget.policy': 'PodDisruptionBudget',
  'HorizontalPodAutoscaler.autoscaling': 'HorizontalPodAutoscaler',
};

const servedKinds = new Set(Object.values(rootTypes));

/**
 * The schema root of a served kind, by GroupKind string; undefined for a kind the table lacks. A bare
 * Kind (`Deployment`) is accepted too: the served kinds' names are unique across their groups.
 */
export function schemaFor(groupKind: string): SchemaRef | undefined {
  const type = rootTypes[groupKind] ?? (!groupKind.includes('.') && servedKinds.has(groupKind) ? groupKind : undefined);
  return type === undefined ? undefined : { schema: kubernetesSchema, type };
}

/** The root for an object whose type is not known: no field has metadata. */
export const unknownSchema: SchemaRef = { schema: {}, type: undefined };

/** forkedjson.LookupPatchMetadata: a field's strategies, merge key and type. */
export function lookupPatchMeta(ref: SchemaRef, field: string): PatchMeta {
  const meta = ref.type === undefined ? undefined : ref.schema[ref.type]?.[field];
  return {
    ref: { schema: ref.schema, type: meta?.type },
    strategies: meta?.strategy ? meta.strategy.split(',') : [],
    mergeKey: meta?.mergeKey ?? '',
  };
}
