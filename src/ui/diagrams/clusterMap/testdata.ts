/** Records as the worker sends them, for the cluster map's tests. */
import type { NodeView, PodView, WorkloadView } from '../../../engine/cluster/clusterView.ts';

export function node(name: string, over: Partial<NodeView> = {}): NodeView {
  return {
    typeName: 'object',
    id: `nodes//${name}`,
    resource: 'nodes',
    namespace: '',
    name,
    uid: `uid-${name}`,
    labels: {},
    created: 0,
    ready: true,
    unschedulable: false,
    roles: [],
    address: '',
    podCIDR: '',
    allocatable: { cpu: 2000, memory: 4 * 1024 ** 3, pods: 110 },
    kubeletVersion: 'v1.32.0',
    taints: [],
    ...over,
  };
}

export function pod(name: string, over: Partial<PodView> = {}): PodView {
  const namespace = over.namespace ?? 'default';
  return {
    typeName: 'object',
    id: `pods/${namespace}/${name}`,
    resource: 'pods',
    namespace,
    name,
    uid: `uid-${name}`,
    labels: {},
    created: 0,
    node: 'worker-1',
    phase: 'Running',
    ready: '1/1',
    status: 'Running',
    restarts: 0,
    isReady: true,
    ip: '10.244.1.2',
    qosClass: 'BestEffort',
    requests: { cpu: 100, memory: 64 * 1024 ** 2 },
    ...over,
  };
}

export function replicaSet(name: string, deployment: string | undefined, namespace = 'default'): WorkloadView {
  return {
    typeName: 'object',
    id: `replicasets/${namespace}/${name}`,
    resource: 'replicasets',
    namespace,
    name,
    uid: `uid-${name}`,
    labels: {},
    created: 0,
    ...(deployment ? { owner: { kind: 'Deployment', name: deployment, uid: `uid-${deployment}` } } : {}),
    selector: {},
    desired: 1,
    ready: 1,
    current: 1,
  };
}
