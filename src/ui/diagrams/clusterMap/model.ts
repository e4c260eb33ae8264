/**
 * The cluster map's model, derived from the mirrored records: each node with its pods grouped by owner
 * (a Deployment through its ReplicaSet, a DaemonSet, a StatefulSet, a Job; a node's static pods, whose
 * mirror pods the node owns), the pods no node has yet, and what the pods request of each node.
 *
 * `createClusterMapSelector` memoizes on the store's versions and shares structure between frames: a node whose
 * record and pods did not change keeps the very same entry object, so its card (React.memo) does not
 * re-render when one pod elsewhere changes. Past DETAIL_MAX_PODS pods or DETAIL_MAX_NODES nodes the model
 * is the aggregate (aggregate.ts) instead, kept up to date change by change and drawn on a canvas.
 */
import type { NodeView, PodView, WorkloadView } from '../../../engine/cluster/clusterView.ts';
import { selectClusterObjects, workloadsVersion, type ClusterObjects, type LabState } from '../../state/labStore.ts';
import type { ObjectStore } from '../../state/objectStore.ts';
import { AggregateIndex, type Aggregate } from './aggregate.ts';
import { byName, holdsResources, sortNodes } from './capacity.ts';

export const DETAIL_MAX_PODS = 300;
export const DETAIL_MAX_NODES = 50;

export interface OwnerGroup {
  /** `<kind>/<namespace>/<name>`. */
  readonly key: string;
  /** Deployment, DaemonSet, StatefulSet, ReplicaSet, Job…; `Node` for static pods, `Pod` for pods with no owner. */
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly pods: readonly PodView[];
}

export interface Usage {
  /** Millicores, bytes and pods requested by the node's pods that have not terminated. */
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
}

export interface NodeEntry {
  /** The node's name; '' for the lane of pods not scheduled yet. */
  readonly name: string;
  /** Undefined for the unscheduled lane, and for a node that pods name but that does not exist (any more). */
  readonly node: NodeView | undefined;
  readonly groups: readonly OwnerGroup[];
  readonly usage: Usage;
}

export type ClusterMapModel =
  | { readonly mode: 'detailed'; readonly nodes: readonly NodeEntry[]; readonly unscheduled: NodeEntry; readonly nodeCount: number; readonly podCount: number }
  | { readonly mode: 'aggregated'; readonly aggregate: Aggregate; readonly nodeCount: number; readonly podCount: number };

export type MapView = 'auto' | 'aggregated';

/** The owner a pod is grouped under: a ReplicaSet's pods under its Deployment, when it has one. */
export function ownerOf(pod: PodView, workloads: ReadonlyMap<string, WorkloadView>): { kind: string; name: string } {
  const owner = pod.owner;
  if (!owner) return { kind: 'Pod', name: '' };
  if (owner.kind === 'ReplicaSet') {
    const rs = workloads.get(`replicasets/${pod.namespace}/${owner.name}`);
    if (rs?.owner?.kind === 'Deployment') return { kind: 'Deployment', name: rs.owner.name };
  }
  return { kind: owner.kind, name: owner.name };
}

/** What tells a pod apart from its siblings in a group: `web-7d9f8c-x2k4p` under web → `x2k4p`. */
export function chipLabel(pod: Pick<PodView, 'name' | 'node'>, group: Pick<OwnerGroup, 'kind' | 'name'>): string {
  if (group.kind === 'Node' && pod.name.endsWith(`-${pod.node}`)) return pod.name.slice(0, -pod.node.length - 1);
  if (group.name !== '' && pod.name.startsWith(`${group.name}-`)) {
    const rest = pod.name.slice(group.name.length + 1);
    return group.kind === 'Deployment' ? rest.slice(rest.lastIndexOf('-') + 1) : rest;
  }
  return pod.name;
}

const KIND_ORDER = ['Node', 'DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet', 'Job', 'Pod'];
const kindRank = (kind: string) => {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
};

function compareGroups(a: OwnerGroup, b: OwnerGroup): number {
  return kindRank(a.kind) - kindRank(b.kind) || byName(a.namespace, b.namespace) || byName(a.name, b.name);
}

function groupPods(name: string, node: NodeView | undefined, pods: readonly PodView[], workloads: ReadonlyMap<string, WorkloadView>): NodeEntry {
  const groups = new Map<string, { key: string; kind: string; namespace: string; name: string; pods: PodView[] }>();
  let cpu = 0;
  let memory = 0;
  let count = 0;
  for (const pod of pods) {
    const owner = ownerOf(pod, workloads);
    const key = `${owner.kind}/${pod.namespace}/${owner.name}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, kind: owner.kind, namespace: pod.namespace, name: owner.name, pods: [] }));
    group.pods.push(pod);
    if (holdsResources(pod)) {
      cpu += pod.requests.cpu;
      memory += pod.requests.memory;
      count++;
    }
  }
  const sorted = [...groups.values()].sort(compareGroups);
  for (const g of sorted) g.pods.sort((a, b) => byName(a.name, b.name));
  return { name, node, groups: sorted, usage: { cpu, memory, pods: count } };
}

function sameEntry(a: NodeEntry, b: NodeEntry): boolean {
  if (a.node !== b.node || a.groups.length !== b.groups.length) return false;
  for (let i = 0; i < a.groups.length; i++) {
    const ga = a.groups[i]!;
    const gb = b.groups[i]!;
    if (ga.key !== gb.key || ga.pods.length !== gb.pods.length) return false;
    for (let j = 0; j < ga.pods.length; j++) if (ga.pods[j] !== gb.pods[j]) return false;
  }
  return true;
}

/** The detailed model of `objects`, reusing the entries of `previous` that did not change. */
export function detailedModel(objects: ClusterObjects, previous: ReadonlyMap<string, NodeEntry>): { nodes: NodeEntry[]; unscheduled: NodeEntry } {
  const podsByNode = new Map<string, PodView[]>();
  for (const pod of objects.pods) {
    let list = podsByNode.get(pod.node);
    if (!list) podsByNode.set(pod.node, (list = []));
    list.push(pod);
  }
  const reuse = (entry: NodeEntry) => {
    const prev = previous.get(entry.name);
    return prev && sameEntry(prev, entry) ? prev : entry;
  };
  const nodes: NodeEntry[] = sortNodes(objects.nodes).map((node) => reuse(groupPods(node.name, node, podsByNode.get(node.name) ?? [], objects.workloads)));
  const known = new Set(objects.nodes.map((n) => n.name));
  for (const [name, pods] of podsByNode) {
    if (name !== '' && !known.has(name)) nodes.push(reuse(groupPods(name, undefined, pods, objects.workloads)));
  }
  const unscheduled = reuse(groupPods('', undefined, podsByNode.get('') ?? [], objects.workloads));
  return { nodes, unscheduled };
}

/**
 * A selector for `useLab`: the cluster map's model, memoized on the store's versions of the kinds it
 * draws. The aggregated model is kept by an AggregateIndex fed with the store's changes since the last
 * call (rebuilt from the store when it fell too far behind), so at 150,000 pods a frame costs what
 * changed. The detailed model (at most DETAIL_MAX_PODS pods) is rebuilt from the objects' arrays.
 */
export function createClusterMapSelector(view: MapView): (s: LabState) => ClusterMapModel {
  let lastKey = '';
  let lastStore: ObjectStore | undefined;
  let lastModel: ClusterMapModel | undefined;
  let previous = new Map<string, NodeEntry>();
  let index: AggregateIndex | undefined;
  let indexVersion = 0;
  return (s) => {
    const store = s.objects;
    const key = `${store.resourceVersion('nodes')}/${store.resourceVersion('pods')}/${workloadsVersion(store)}`;
    if (store === lastStore && key === lastKey && lastModel) return lastModel;
    const nodeCount = store.resource('nodes').size;
    const podCount = store.resource('pods').size;
    if (view === 'aggregated' || podCount > DETAIL_MAX_PODS || nodeCount > DETAIL_MAX_NODES) {
      previous = new Map();
      const changes = index && store === lastStore ? store.changesSince(indexVersion) : undefined;
      if (!index || !changes) {
        index = new AggregateIndex();
        for (const kind of ['nodes', 'pods']) for (const r of store.resource(kind).values()) index.update(undefined, r);
      } else {
        for (const c of changes) index.update(c.before, c.after);
      }
      indexVersion = store.version;
      const aggregate = index.result();
      lastModel =
        lastModel?.mode === 'aggregated' && lastModel.aggregate === aggregate && lastModel.nodeCount === nodeCount && lastModel.podCount === podCount
          ? lastModel
          : { mode: 'aggregated', aggregate, nodeCount, podCount };
    } else {
      index = undefined;
      const { nodes, unscheduled } = detailedModel(selectClusterObjects(s), previous);
      previous = new Map(nodes.map((e) => [e.name, e]));
      previous.set('', unscheduled);
      lastModel = { mode: 'detailed', nodes, unscheduled, nodeCount, podCount };
    }
    lastStore = store;
    lastKey = key;
    return lastModel;
  };
}
