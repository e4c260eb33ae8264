/**
 * The GroupVersionResources components ask for, derived from the API scheme (api/scheme.ts, the one
 * table of served kinds) so a resource's group, version and scope are written down once. Controllers,
 * the scheduler and kubelets name what they watch by these constants, as Go code names typed clients.
 */
import { kindForResource } from '../api/scheme.ts';
import type { GroupVersionResource } from './rest/restClient.ts';

/** The served version of `group/resource`; throws for a resource the scheme does not have. */
export function gvr(group: string, resource: string): GroupVersionResource {
  const info = kindForResource(group, resource);
  if (!info) throw new Error(`the scheme has no resource ${resource}${group ? `.${group}` : ''}`);
  return { group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced };
}

export const RESOURCES = {
  pods: gvr('', 'pods'),
  nodes: gvr('', 'nodes'),
  namespaces: gvr('', 'namespaces'),
  services: gvr('', 'services'),
  endpoints: gvr('', 'endpoints'),
  events: gvr('', 'events'),
  serviceaccounts: gvr('', 'serviceaccounts'),
  secrets: gvr('', 'secrets'),
  configmaps: gvr('', 'configmaps'),
  persistentvolumeclaims: gvr('', 'persistentvolumeclaims'),
  persistentvolumes: gvr('', 'persistentvolumes'),
  resourcequotas: gvr('', 'resourcequotas'),
  limitranges: gvr('', 'limitranges'),
  deployments: gvr('apps', 'deployments'),
  replicasets: gvr('apps', 'replicasets'),
  statefulsets: gvr('apps', 'statefulsets'),
  daemonsets: gvr('apps', 'daemonsets'),
  controllerrevisions: gvr('apps', 'controllerrevisions'),
  jobs: gvr('batch', 'jobs'),
  cronjobs: gvr('batch', 'cronjobs'),
  leases: gvr('coordination.k8s.io', 'leases'),
  endpointslices: gvr('discovery.k8s.io', 'endpointslices'),
  poddisruptionbudgets: gvr('policy', 'poddisruptionbudgets'),
  priorityclasses: gvr('scheduling.k8s.io', 'priorityclasses'),
  storageclasses: gvr('storage.k8s.io', 'storageclasses'),
  horizontalpodautoscalers: gvr('autoscaling', 'horizontalpodautoscalers'),
  clusterroles: gvr('rbac.authorization.k8s.io', 'clusterroles'),
} as const satisfies Record<string, GroupVersionResource>;
