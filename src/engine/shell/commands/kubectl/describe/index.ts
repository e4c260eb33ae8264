/**
 * kubectl describe's describers (k8s.io/kubectl 1.32 pkg/describe): `describe(groupKind, object,
 * context)` renders an object exactly as `kubectl describe` lays it out (PrefixWriter levels through
 * Go's tabwriter), and `describerNeeds(groupKind)` names the objects the caller must prefetch for
 * `context.related`. Group kinds are upstream's strings: `Pod`, `Deployment.apps`, `Job.batch`.
 *
 * Described: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, Service, Ingress,
 * Node, ConfigMap, Secret, ServiceAccount, Namespace, PersistentVolume, PersistentVolumeClaim; every
 * other kind goes to the generic describer, as kubectl does for kinds without one.
 *
 * Left out: the other typed describers of upstream (ReplicationController, Endpoints, EndpointSlice,
 * HPA, RBAC, NetworkPolicy, StorageClass, PDB, PriorityClass, CSR, LimitRange, ResourceQuota…: they
 * print through the generic describer here), and fetching — the caller brings events and related objects.
 */
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import type { ConfigMap, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1';
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import type { DescribeContext, Need } from './context.ts';
import { describePod } from './pod.ts';
import { describeDaemonSet, describeDeployment, describeReplicaSet, describeStatefulSet } from './apps.ts';
import { describeCronJob, describeJob } from './batch.ts';
import { describeIngress, describeService } from './network.ts';
import { describeNode } from './node.ts';
import { describeConfigMap, describeNamespace, describeSecret, describeServiceAccount } from './config.ts';
import { describePersistentVolume, describePersistentVolumeClaim } from './storage.ts';
import { describeGeneric } from './generic.ts';

export type { DescribeContext, Need } from './context.ts';

interface Describer {
  needs: Need[];
  describe: (obj: KubeObject, ctx: DescribeContext) => string;
}

const pods: Need = { group: '', resource: 'pods', namespaced: true };
const endpoints: Need[] = [
  { group: '', resource: 'endpoints', namespaced: true },
  { group: 'discovery.k8s.io', resource: 'endpointslices', namespaced: true },
];

const describers: Record<string, Describer> = {
  Pod: { needs: [], describe: (o, c) => describePod(o as Pod, c.showEvents ? c.events : undefined, c.now) },
  'Deployment.apps': { needs: [{ group: 'apps', resource: 'replicasets', namespaced: true }], describe: (o, c) => describeDeployment(o as Deployment, c) },
  'ReplicaSet.apps': { needs: [pods], describe: (o, c) => describeReplicaSet(o as ReplicaSet, c) },
  'StatefulSet.apps': { needs: [pods], describe: (o, c) => describeStatefulSet(o as StatefulSet, c) },
  'DaemonSet.apps': { needs: [pods], describe: (o, c) => describeDaemonSet(o as DaemonSet, c) },
  'Job.batch': { needs: [], describe: (o, c) => describeJob(o as Job, c) },
  'CronJob.batch': { needs: [], describe: (o, c) => describeCronJob(o as CronJob, c) },
  Service: { needs: endpoints, describe: (o, c) => describeService(o as Service, c) },
  'Ingress.networking.k8s.io': { needs: [...endpoints, { group: '', resource: 'services', namespaced: true }], describe: (o, c) => describeIngress(o as Ingress, c) },
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
