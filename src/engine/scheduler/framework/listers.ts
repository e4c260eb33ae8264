/**
 * The informer listers the scheduler and its plugins read (what a plugin reaches through
 * handle.SharedInformerFactory() upstream): pods, namespaces, services, ReplicaSets, StatefulSets and
 * PodDisruptionBudgets. Objects from a lister belong to the informer cache: never change them.
 */
import type { Namespace, Pod, Service } from 'kubernetes-types/core/v1';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';

export interface SchedulerListers {
  pods: Lister<Pod & KubeObject>;
  namespaces: Lister<Namespace & KubeObject>;
  services: Lister<Service & KubeObject>;
  replicaSets: Lister<ReplicaSet & KubeObject>;
  statefulSets: Lister<StatefulSet & KubeObject>;
  podDisruptionBudgets: Lister<PodDisruptionBudget & KubeObject>;
}
