/**
 * kubectl describe's describers (k8s.io/kubectl 1.32 pkg/describe): `describe(groupKind, object,
 * context)` renders an object exactly as `kubectl describe` lays it out (PrefixWriter levels through
 * Go's tabwriter), and `describerNeeds(groupKind)` names the objects the caller must prefetch for
 * `context.related`. Group kinds are upstream's strings: `Pod`, `Deployment.apps`, `Job.batch`.
 *
 * Described: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Service, Endpoints,
 * EndpointSlice, Ingress, IngressClass, NetworkPolicy, Node, ConfigMap, Secret, ServiceAccount,
 * Namespace, ResourceQuota, LimitRange, PodDisruptionBudget, HorizontalPodAutoscaler, PriorityClass,
 * Role, ClusterRole, RoleBinding, ClusterRoleBinding, PersistentVolume, PersistentVolumeClaim,
 * StorageClass; every other kind (Lease, Event, ControllerRevision…) goes to the generic describer, as
 * kubectl does for kinds without one.
 *
 * Left out: upstream's describers of kinds the lab does not serve (ReplicationController, CSR, CSINode,
 * ServiceCIDR, IPAddress, VolumeAttributesClass), and fetching — the caller brings events and related
 * objects.
 */
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import type { ConfigMap, Endpoints, LimitRange, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { DescribeContext, Need } from './context.ts';
import { describePod } from './pod.ts';
import { describeDaemonSet, describeDeployment, describeReplicaSet, describeStatefulSet } from './apps.ts';
import { describeCronJob, describeJob } from './batch.ts';
import { describeEndpointSlice, describeEndpoints, describeIngress, describeIngressClass, describeNetworkPolicy, describeService } from './network.ts';
import { describeRole, describeRoleBinding } from './rbac.ts';
import { describeHorizontalPodAutoscaler } from './autoscaling.ts';
import { describeNode } from './node.ts';
import { describeConfigMap, describeLimitRange, describeNamespace, describeQuota, describeSecret, describeServiceAccount } from './config.ts';
import { describePodDisruptionBudget } from './policy.ts';
import { describePriorityClass } from './scheduling.ts';
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass } from './storage.ts';
import { describeGeneric } from './generic.ts';

export type { DescribeContext, Need } from './context.ts';

interface Describer {
  needs: Need[];
  describe: (obj: KubeObject, ctx: DescribeContext) => string;
}

const pods: Need = { group: '', resource: 'pods', namespaced: true };
const endpointSlices: Need = { group: 'discovery.k8s.io', resource: 'endpointslices', namespaced: true };

const describers: Record<string, Describer> = {
  Pod: { needs: [], describe: (o, c) => describePod(o as Pod, c.showEvents ? c.events : undefined, c.now) },
  'Deployment.apps': { needs: [{ group: 'apps', resource: 'replicasets', namespaced: true }], describe: (o, c) => describeDeployment(o as Deployment, c) },
  'ReplicaSet.apps': { needs: [pods], describe: (o, c) => describeReplicaSet(o as ReplicaSet, c) },
  'StatefulSet.apps': { needs: [pods], describe: (o, c) => describeStatefulSet(o as StatefulSet, c) },
  'DaemonSet.apps': { needs: [pods], describe: (o, c) => describeDaemonSet(o as DaemonSet, c) },
  'Job.batch': { needs: [], describe: (o, c) => describeJob(o as Job, c) },
  'CronJob.batch': { needs: [], describe: (o, c) => describeCronJob(o as CronJob, c) },
  Service: { needs: [endpointSlices], describe: (o, c) => describeService(o as Service, c) },
  Endpoints: { needs: [], describe: (o, c) => describeEndpoints(o as Endpoints, c) },
  'EndpointSlice.discovery.k8s.io': { needs: [], describe: (o, c) => describeEndpointSlice(o as unknown as EndpointSlice, c) },
  'Ingress.networking.k8s.io': { needs: [endpointSlices, { group: '', resource: 'services', namespaced: true }], describe: (o, c) => describeIngress(o as Ingress, c) },
  Node: {
    needs: [
      { group: '', resource: 'pods', namespaced: true },
      { group: 'coordination.k8s.io', resource: 'leases', namespaced: true },
    ],
    describe: (o, c) => describeNode(o as Node, c),
  },
  ConfigMap: { needs: [], describe: (o, c) => describeConfigMap(o as ConfigMap, c) },
  Secret: { needs: [], describe: (o) => describeSecret(o as Secret) },
  ServiceAccount: { needs: [{ group: '', resource: 'secrets', namespaced: true }], describe: (o, c) => describeServiceAccount(o as ServiceAccount, c) },
  Namespace: {
    needs: [
      { group: '', resource: 'resourcequotas', namespaced: true },
      { group: '', resource: 'limitranges', namespaced: true },
    ],
    describe: (o, c) => describeNamespace(o as Namespace, c),
  },
  ResourceQuota: { needs: [], describe: (o) => describeQuota(o as ResourceQuota) },
  LimitRange: { needs: [], describe: (o) => describeLimitRange(o as LimitRange) },
  'PodDisruptionBudget.policy': { needs: [], describe: (o, c) => describePodDisruptionBudget(o as PodDisruptionBudget, c) },
  'PriorityClass.scheduling.k8s.io': { needs: [], describe: (o, c) => describePriorityClass(o as unknown as PriorityClass, c) },
  'Role.rbac.authorization.k8s.io': { needs: [], describe: (o) => describeRole(o as Role) },
  'ClusterRole.rbac.authorization.k8s.io': { needs: [], describe: (o) => describeRole(o as ClusterRole) },
  'RoleBinding.rbac.authorization.k8s.io': { needs: [], describe: (o) => describeRoleBinding(o as unknown as RoleBinding) },
  'ClusterRoleBinding.rbac.authorization.k8s.io': { needs: [], describe: (o) => describeRoleBinding(o as unknown as ClusterRoleBinding) },
  'HorizontalPodAutoscaler.autoscaling': { needs: [], describe: (o, c) => describeHorizontalPodAutoscaler(o as HorizontalPodAutoscaler, c) },
  'IngressClass.networking.k8s.io': { needs: [], describe: (o, c) => describeIngressClass(o as IngressClass, c) },
  'NetworkPolicy.networking.k8s.io': { needs: [], describe: (o) => describeNetworkPolicy(o as NetworkPolicy) },
  'StorageClass.storage.k8s.io': { needs: [], describe: (o, c) => describeStorageClass(o as unknown as StorageClass, c) },
  PersistentVolume: { needs: [], describe: (o, c) => describePersistentVolume(o as PersistentVolume, c) },
  PersistentVolumeClaim: { needs: [pods], describe: (o, c) => describePersistentVolumeClaim(o as PersistentVolumeClaim, c) },
};

/** The text `kubectl describe` prints for `object` of `groupKind` (`Kind` or `Kind.group`). */
export function describe(groupKind: string, object: KubeObject, context: DescribeContext): string {
  const d = describers[groupKind];
  return d ? d.describe(object, context) : describeGeneric(object, context);
}

/** What `describe` reads through `context.related` for `groupKind`. */
export function describerNeeds(groupKind: string): Need[] {
  return describers[groupKind]?.needs ?? [];
}
