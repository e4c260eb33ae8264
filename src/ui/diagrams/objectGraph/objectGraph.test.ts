import { describe, expect, it } from 'vitest';
import type { EndpointSliceView, ObjectRecord, PodView, ServiceView, WorkloadView } from '../../../engine/cluster/clusterView.ts';
import { buildObjectGraph, isGraphRecord, namespacesOf, NODE_HEIGHT } from './objectGraph.ts';

const meta = (resource: string, name: string, owner?: { kind: string; name: string }, labels: Record<string, string> = {}) => ({
  typeName: 'object' as const,
  id: `${resource}/default/${name}`,
  namespace: 'default',
  name,
  uid: `uid-${name}`,
  labels,
  created: 0,
  ...(owner ? { owner: { ...owner, uid: `uid-${owner.name}` } } : {}),
});
const workload = (resource: WorkloadView['resource'], name: string, owner?: { kind: string; name: string }): WorkloadView => ({ ...meta(resource, name, owner), resource, selector: { app: 'web' }, desired: 2, ready: 2, current: 2 });
const pod = (name: string, owner: { kind: string; name: string } | undefined, ready = true): PodView => ({
  ...meta('pods', name, owner, { app: 'web' }),
  resource: 'pods',
  node: 'worker-1',
  phase: 'Running',
  ready: ready ? '1/1' : '0/1',
  status: 'Running',
  restarts: 0,
  isReady: ready,
  ip: '',
  qosClass: 'BestEffort',
  requests: { cpu: 0, memory: 0 },
});
const service: ServiceView = { ...meta('services', 'web'), resource: 'services', type: 'ClusterIP', clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: ['80/TCP'] };
const slice: EndpointSliceView = {
  ...meta('endpointslices', 'web-abcde', undefined, { 'kubernetes.io/service-name': 'web' }),
  resource: 'endpointslices',
  service: 'web',
  endpoints: [
    { address: '10.244.1.2', ready: true, pod: 'web-1' },
    { address: '10.244.1.3', ready: false, pod: 'web-2' },
  ],
};

const web: ObjectRecord[] = [
  service,
  slice,
  pod('web-2', { kind: 'ReplicaSet', name: 'web-rs' }, false),
  workload('deployments', 'web'),
  pod('web-1', { kind: 'ReplicaSet', name: 'web-rs' }),
  workload('replicasets', 'web-rs', { kind: 'Deployment', name: 'web' }),
  workload('daemonsets', 'agent'),
  pod('agent-x', { kind: 'DaemonSet', name: 'agent' }),
  pod('lonely', undefined),
];

const edgeList = (records: ObjectRecord[]) =>
  buildObjectGraph(records)
    .edges.map((e) => `${e.type}${e.ready === false ? '(not ready)' : ''} ${e.from.split('/')[2]} → ${e.to.split('/')[2]}`)
    .sort();

describe('buildObjectGraph', () => {
  it('links owners, endpoints and selectors', () => {
    expect(edgeList(web)).toEqual([
      'endpoint web-abcde → web-1',
      'endpoint(not ready) web-abcde → web-2',
      'owner agent → agent-x',
      'owner web → web-abcde',
      'owner web → web-rs',
      'owner web-rs → web-1',
      'owner web-rs → web-2',
      'selector web → agent-x',
      'selector web → lonely',
      'selector web → web-1',
      'selector web → web-2',
    ]);
  });

  it('puts kinds in columns, left to right, and no two nodes of a column overlap', () => {
    const { nodes } = buildObjectGraph(web);
    const column = (kind: string) => nodes.find((n) => n.kind === kind)!.column;
    expect(['Deployment', 'ReplicaSet', 'Pod', 'EndpointSlice', 'Service'].map(column)).toEqual([0, 1, 2, 3, 4]);
    expect(column('DaemonSet')).toBe(1);
    for (const a of nodes) for (const b of nodes) if (a !== b && a.column === b.column) expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it('keeps a ReplicaSet’s pods together, in order of their owners', () => {
    const pods = buildObjectGraph(web)
      .nodes.filter((n) => n.kind === 'Pod')
      .sort((a, b) => a.y - b.y)
      .map((n) => n.name);
    expect(pods).toEqual(['web-1', 'web-2', 'agent-x', 'lonely']);
  });

  it('drops edges to objects that are gone (a pod deleted, its slice not yet updated)', () => {
    const withoutPod = web.filter((r) => r.name !== 'web-2' && r.name !== 'web-rs');
    expect(edgeList(withoutPod).filter((e) => e.includes('web-2') || e.includes('web-rs'))).toEqual([]);
  });

  it('draws an empty namespace', () => {
    expect(buildObjectGraph([])).toMatchObject({ nodes: [], edges: [] });
  });

  it('chooses records by namespace and lists the namespaces', () => {
    const other = { ...service, id: 'services/kube-system/dns', namespace: 'kube-system' };
    const node = { typeName: 'object', resource: 'nodes', namespace: '' };
    expect([service, other, node].filter((r) => isGraphRecord(r, 'default'))).toEqual([service]);
    expect(namespacesOf([other, node, { typeName: 'clock' }])).toEqual(['default', 'kube-system']);
  });
});
