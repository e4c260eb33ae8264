/**
 * objectGraph — the objects of one namespace as `kubectl tree` and the dashboard's relations draw them:
 * owners on the left (Deployment → ReplicaSet → Pod, DaemonSet / StatefulSet → Pod, by the controller
 * ownerReference), Pods in the middle, the network on the right (Service → EndpointSlice → Pod by the
 * slice's endpoints, ready or not, and Service ⇢ Pod by the Service's selector). A pure function of the
 * mirrored records: the component draws what it returns.
 *
 * Left out: Jobs, CronJobs and the other kinds the cluster view does not mirror yet; matchExpressions
 * (the records carry matchLabels only).
 */
import type { EndpointSliceView, ObjectRecord, PodView, ServiceView, WorkloadView } from '../../../engine/cluster/clusterView.ts';

export type GraphKind = 'Deployment' | 'ReplicaSet' | 'DaemonSet' | 'StatefulSet' | 'Pod' | 'EndpointSlice' | 'Service';

export interface GraphNode {
  id: string;
  kind: GraphKind;
  name: string;
  column: number;
  x: number;
  y: number;
  record: ObjectRecord;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  /** owner: ownerReference; endpoint: a slice's endpoint (ready or not); selector: a Service's selector matches. */
  type: 'owner' | 'endpoint' | 'selector';
  ready?: boolean;
}

export interface ObjectGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 172;
export const NODE_HEIGHT = 46;
const COLUMN_GAP = 54;
const ROW_GAP = 14;
const MARGIN = 16;

const KIND_OF: Record<string, GraphKind> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  daemonsets: 'DaemonSet',
  statefulsets: 'StatefulSet',
  pods: 'Pod',
  endpointslices: 'EndpointSlice',
  services: 'Service',
};

const COLUMN_OF: Record<GraphKind, number> = { Deployment: 0, ReplicaSet: 1, DaemonSet: 1, StatefulSet: 1, Pod: 2, EndpointSlice: 3, Service: 4 };

/** The resource of an owner kind, to find its record. */
const RESOURCE_OF_KIND: Record<string, string> = { Deployment: 'deployments', ReplicaSet: 'replicasets', DaemonSet: 'daemonsets', StatefulSet: 'statefulsets' };

export function columnX(column: number): number {
  return MARGIN + column * (NODE_WIDTH + COLUMN_GAP);
}

/** The records this graph draws, in namespace `namespace`. */
export function isGraphRecord(record: { typeName?: string; resource?: string; namespace?: string }, namespace: string): record is ObjectRecord {
  return record.typeName === 'object' && record.namespace === namespace && record.resource !== undefined && record.resource in KIND_OF;
}

/** The namespaces any mirrored object lives in, sorted, always with `default`. */
export function namespacesOf(records: Iterable<{ typeName?: string; namespace?: string }>): string[] {
  const set = new Set(['default']);
  for (const r of records) if (r.typeName === 'object' && r.namespace) set.add(r.namespace);
  return [...set].sort();
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Lay out the graph of `records` (all of one namespace). */
export function buildObjectGraph(records: readonly ObjectRecord[]): ObjectGraph {
  const byId = new Map<string, ObjectRecord>();
  for (const r of records) if (r.resource in KIND_OF) byId.set(r.id, r);
  const ofResource = <T extends ObjectRecord>(resource: string) => [...byId.values()].filter((r): r is T => r.resource === resource).sort(byName);
  const deployments = ofResource<WorkloadView>('deployments');
  const replicasets = ofResource<WorkloadView>('replicasets');
  const daemonsets = ofResource<WorkloadView>('daemonsets');
  const statefulsets = ofResource<WorkloadView>('statefulsets');
  const pods = ofResource<PodView>('pods');
  const slices = ofResource<EndpointSliceView>('endpointslices');
  const services = ofResource<ServiceView>('services');

  const edges: GraphEdge[] = [];
  /** Owner id of each owned record that has its owner drawn. */
  const ownerOf = new Map<string, string>();
  for (const r of [...replicasets, ...pods]) {
    if (!r.owner) continue;
    const resource = RESOURCE_OF_KIND[r.owner.kind];
    const ownerId = resource ? `${resource}/${r.namespace}/${r.owner.name}` : undefined;
    const owner = ownerId ? byId.get(ownerId) : undefined;
    if (!owner || (owner.uid && r.owner.uid && owner.uid !== r.owner.uid)) continue;
    ownerOf.set(r.id, owner.id);
    edges.push({ id: `owner:${owner.id}>${r.id}`, from: owner.id, to: r.id, type: 'owner' });
  }
  const childrenOf = (id: string, list: readonly ObjectRecord[]) => list.filter((r) => ownerOf.get(r.id) === id);

  // Rows: pods in the order of their owners, so owner edges do not cross.
  const podOrder: PodView[] = [];
  const placed = new Set<string>();
  const placePods = (ownerId: string) => {
    for (const p of childrenOf(ownerId, pods) as PodView[]) {
      if (placed.has(p.id)) continue;
      placed.add(p.id);
      podOrder.push(p);
    }
  };
  const rsOrder: WorkloadView[] = [];
  const placeReplicaSet = (rs: WorkloadView) => {
    if (rsOrder.includes(rs)) return;
    rsOrder.push(rs);
    placePods(rs.id);
  };
  for (const d of deployments) for (const rs of childrenOf(d.id, replicasets) as WorkloadView[]) placeReplicaSet(rs);
  for (const rs of replicasets) placeReplicaSet(rs);
  for (const w of [...daemonsets, ...statefulsets]) placePods(w.id);
  for (const p of pods) if (!placed.has(p.id)) podOrder.push(p);

  const podIdByName = new Map(pods.map((p) => [p.name, p.id]));
  const sliceTargets = new Map<string, string[]>();
  for (const s of slices) {
    const targets: string[] = [];
    for (const e of s.endpoints) {
      const podId = e.pod ? podIdByName.get(e.pod) : undefined;
      if (!podId) continue;
      targets.push(podId);
      edges.push({ id: `endpoint:${s.id}>${podId}:${e.address}`, from: s.id, to: podId, type: 'endpoint', ready: e.ready });
    }
    sliceTargets.set(s.id, targets);
  }
  const serviceIdByName = new Map(services.map((s) => [s.name, s.id]));
  for (const s of slices) {
    const serviceId = serviceIdByName.get(s.service);
    if (serviceId) edges.push({ id: `owner:${serviceId}>${s.id}`, from: serviceId, to: s.id, type: 'owner' });
  }
  for (const svc of services) {
    for (const p of pods) if (matches(svc.selector, p.labels)) edges.push({ id: `selector:${svc.id}>${p.id}`, from: svc.id, to: p.id, type: 'selector' });
  }

  // Wanted y of each node: pods by row; others at the mean of what they point to; then spread each column.
  const wanted = new Map<string, number>();
  const rowY = (i: number) => MARGIN + i * (NODE_HEIGHT + ROW_GAP);
  podOrder.forEach((p, i) => wanted.set(p.id, rowY(i)));
  const mean = (ids: readonly string[], fallback: number) => {
    const ys = ids.map((id) => wanted.get(id)).filter((y): y is number => y !== undefined);
    return ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : fallback;
  };
  const nodes: GraphNode[] = [];
  const column = (list: readonly ObjectRecord[], targetsOf: (r: ObjectRecord) => string[]) => {
    let floor = MARGIN;
    const items = list.map((r, i) => ({ r, y: mean(targetsOf(r), rowY(i)), i }));
    items.sort((a, b) => a.y - b.y || a.i - b.i);
    for (const item of items) {
      const y = Math.max(item.y, floor);
      floor = y + NODE_HEIGHT + ROW_GAP;
      wanted.set(item.r.id, y);
      const kind = KIND_OF[item.r.resource]!;
      nodes.push({ id: item.r.id, kind, name: item.r.name, column: COLUMN_OF[kind], x: columnX(COLUMN_OF[kind]), y, record: item.r });
    }
  };
  column(podOrder, () => []);
  column([...rsOrder, ...daemonsets, ...statefulsets], (r) => childrenOf(r.id, pods).map((p) => p.id));
  column(deployments, (d) => childrenOf(d.id, replicasets).map((r) => r.id));
  column(slices, (s) => sliceTargets.get(s.id) ?? []);
  column(services, (r) => {
    const svc = r as ServiceView;
    const own = slices.filter((s) => s.service === svc.name).map((s) => s.id);
    return own.length ? own : pods.filter((p) => matches(svc.selector, p.labels)).map((p) => p.id);
  });

  const usedColumns = nodes.length ? Math.max(...nodes.map((n) => n.column)) : 0;
  const width = columnX(Math.max(usedColumns, 4)) + NODE_WIDTH + MARGIN;
  const height = Math.max(...nodes.map((n) => n.y + NODE_HEIGHT), 120) + MARGIN;
  return { nodes, edges, width, height };
}
