/**
 * The UI's mirror of the lab: records received from the worker as RecordsDiffs, applied in order.
 * Components select what they draw from here; nothing in the UI reads engine objects directly.
 *
 * The cluster's objects (up to 5,000 nodes and 150,000 pods) live apart from the lab's own records (the
 * clock, the sessions), in an ObjectStore updated in place: a frame costs what its diff holds, never what
 * the store holds. `objects` is that one store for the life of the page; `objectsVersion` is its version,
 * a new number whenever an object changed, so that zustand re-runs selectors and the selectors memoize on
 * it (and on the store's per-resource versions). A frame in which only the clock moved — most frames —
 * leaves `objectsVersion` and every selection made from the objects as they were.
 */
import { create } from 'zustand';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { NodeView, ObjectRecord, PodView, WorkloadView } from '../../engine/cluster/clusterView.ts';
import type { ClockRecord, LabRecord } from '../../engine/cluster/lab.ts';
import { applyDiff } from './applyDiff.ts';
import { ObjectStore } from './objectStore.ts';

export type EngineStatus = { kind: 'starting' } | { kind: 'ready' } | { kind: 'crashed'; message: string };

/** The lab's own records: everything but the cluster's objects. */
export type OwnRecord = Exclude<LabRecord, ObjectRecord>;

export interface LabState {
  records: Record<string, OwnRecord>;
  /** The cluster's objects, by record id (`pods/<ns>/<name>`): one store, changed in place. */
  objects: ObjectStore;
  /** `objects.version`: changes whenever an object did, so subscribers re-select. */
  objectsVersion: number;
  engine: EngineStatus;
  apply(diff: RecordsDiff<LabRecord>): void;
  setEngine(status: EngineStatus): void;
}

type MirrorState = Pick<LabState, 'records' | 'objects' | 'objectsVersion'>;

/**
 * The state after `diff`: the own records copied only when the diff touches them (there are few); the
 * objects applied in place to `s.objects`, with the new version.
 */
export function applyLabDiff(s: MirrorState, diff: RecordsDiff<LabRecord>): MirrorState {
  // One pass over the diff: the objects go to the store, the lab's own records (a few) are picked out.
  let own: RecordsDiff<OwnRecord> | undefined;
  s.objects.apply(diff, (part, id) => {
    own ??= { added: {}, updated: {}, removed: {} };
    (own[part] as Record<string, unknown>)[id] = diff[part][id];
  });
  return { records: own ? applyDiff(s.records, own) : s.records, objects: s.objects, objectsVersion: s.objects.version };
}

/** An empty mirror. */
export function emptyMirror(): MirrorState {
  const objects = new ObjectStore();
  return { records: {}, objects, objectsVersion: objects.version };
}

type DiffListener = (diff: RecordsDiff<LabRecord>) => void;
const diffListeners = new Set<DiffListener>();

/** Each diff from the worker, after the store has applied it (the presenter relays them to the audience window). */
export function onDidApplyDiff(listener: DiffListener): () => void {
  diffListeners.add(listener);
  return () => diffListeners.delete(listener);
}

export const useLab = create<LabState>()((set) => ({
  ...emptyMirror(),
  engine: { kind: 'starting' },
  apply: (diff) => {
    set((s) => applyLabDiff(s, diff));
    for (const listener of diffListeners) listener(diff);
  },
  setEngine: (engine) => set({ engine }),
}));

/** Every object record, as a list memoized on the objects' version (the same array while nothing changed). */
export const selectObjectList = (s: LabState): ObjectRecord[] => s.objects.list();

/** One object by record id, or undefined (it was never there, or it was just deleted). */
export const selectObject =
  (id: string | undefined) =>
  (s: LabState): ObjectRecord | undefined =>
    id === undefined ? undefined : s.objects.get(id);

export const selectClock = (s: LabState): ClockRecord | undefined => s.records.clock as ClockRecord | undefined;

/** The cluster's objects as the diagrams draw them, split by kind. */
export interface ClusterObjects {
  nodes: NodeView[];
  pods: PodView[];
  /** Deployments, ReplicaSets, DaemonSets and StatefulSets by record id (`replicasets/<ns>/<name>`). */
  workloads: ReadonlyMap<string, WorkloadView>;
}

export const WORKLOAD_RESOURCES = ['deployments', 'replicasets', 'daemonsets', 'statefulsets'] as const;

interface ClusterMemo {
  store: ObjectStore;
  nodes: number;
  pods: number;
  workloads: string;
  value: ClusterObjects;
}
let clusterMemo: ClusterMemo | undefined;

/** The versions of the workload resources, as one key. */
export const workloadsVersion = (store: ObjectStore): string => WORKLOAD_RESOURCES.map((r) => store.resourceVersion(r)).join(',');

/**
 * The cluster's objects as arrays, memoized per kind on the store's per-resource versions: a frame that
 * changed no node, pod or workload returns the previous value, and a kind that did not change keeps its
 * array. Copying is O(objects of the kinds that changed): at scale, read `objects.resource(...)` and
 * `objects.changesSince(...)` instead (the cluster map's aggregate does).
 */
export function selectClusterObjects(s: LabState): ClusterObjects {
  const store = s.objects;
  const nodes = store.resourceVersion('nodes');
  const pods = store.resourceVersion('pods');
  const workloads = workloadsVersion(store);
  const m = clusterMemo;
  if (m && m.store === store && m.nodes === nodes && m.pods === pods && m.workloads === workloads) return m.value;
  const same = m && m.store === store;
  const value: ClusterObjects = {
    nodes: same && m.nodes === nodes ? m.value.nodes : ([...store.resource('nodes').values()] as NodeView[]),
    pods: same && m.pods === pods ? m.value.pods : ([...store.resource('pods').values()] as PodView[]),
    workloads: same && m.workloads === workloads ? m.value.workloads : new Map(WORKLOAD_RESOURCES.flatMap((r) => [...(store.resource(r) as ReadonlyMap<string, WorkloadView>)])),
  };
  clusterMemo = { store, nodes, pods, workloads, value };
  return value;
}

let nodeNamesMemo: { store: ObjectStore; version: number; names: string[] } | undefined;

/** The nodes' names, sorted, memoized on the nodes' version (pods churning do not touch it). */
export function selectNodeNames(s: LabState): string[] {
  const version = s.objects.resourceVersion('nodes');
  if (nodeNamesMemo?.store !== s.objects || nodeNamesMemo.version !== version) {
    nodeNamesMemo = { store: s.objects, version, names: [...s.objects.resource('nodes').values()].map((n) => n.name).sort() };
  }
  return nodeNamesMemo.names;
}
