/**
 * The UI's mirror of the lab: records received from the worker as RecordsDiffs, applied in order.
 * Components select what they draw from here; nothing in the UI reads engine objects directly.
 *
 * The cluster's objects (thousands of them) are kept apart from the lab's own records (the clock, the
 * sessions), so that a frame in which only the clock moved — most frames — copies nothing big and leaves
 * `objects` the same object, on which the diagrams' selectors memoize.
 */
import { create } from 'zustand';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { NodeView, ObjectRecord, PodView, WorkloadView } from '../../engine/cluster/clusterView.ts';
import type { ClockRecord, LabRecord } from '../../engine/cluster/lab.ts';
import { applyDiff } from './applyDiff.ts';

export type EngineStatus = { kind: 'starting' } | { kind: 'ready' } | { kind: 'crashed'; message: string };

/** The lab's own records: everything but the cluster's objects. */
export type OwnRecord = Exclude<LabRecord, ObjectRecord>;

export interface LabState {
  records: Record<string, OwnRecord>;
  /** The cluster's objects, by record id (`pods/<ns>/<name>`). */
  objects: Record<string, ObjectRecord>;
  engine: EngineStatus;
  apply(diff: RecordsDiff<LabRecord>): void;
  setEngine(status: EngineStatus): void;
}

/** The part of `diff` whose records `keep` accepts (by the record, or for a removal by what was removed). */
function part<R extends LabRecord>(diff: RecordsDiff<LabRecord>, keep: (r: LabRecord) => r is R): RecordsDiff<R> | undefined {
  const out: RecordsDiff<R> = { added: {}, updated: {}, removed: {} };
  for (const id in diff.added) {
    const r = diff.added[id]!;
    if (keep(r)) out.added[id] = r;
  }
  for (const id in diff.updated) {
    const pair = diff.updated[id]!;
    if (keep(pair[1])) out.updated[id] = pair as [R, R];
  }
  for (const id in diff.removed) {
    const r = diff.removed[id]!;
    if (keep(r)) out.removed[id] = r;
  }
  const touched = Object.keys(out.added).length + Object.keys(out.updated).length + Object.keys(out.removed).length > 0;
  return touched ? out : undefined;
}

const isObject = (r: LabRecord): r is ObjectRecord => r.typeName === 'object';
const isOwn = (r: LabRecord): r is OwnRecord => r.typeName !== 'object';

/** The state after `diff`: each map copied only when the diff touches it. */
export function applyLabDiff(s: Pick<LabState, 'records' | 'objects'>, diff: RecordsDiff<LabRecord>): Pick<LabState, 'records' | 'objects'> {
  const own = part(diff, isOwn);
  const objects = part(diff, isObject);
  return { records: own ? applyDiff(s.records, own) : s.records, objects: objects ? applyDiff(s.objects, objects) : s.objects };
}

type DiffListener = (diff: RecordsDiff<LabRecord>) => void;
const diffListeners = new Set<DiffListener>();

/** Each diff from the worker, after the store has applied it (the presenter relays them to the audience window). */
export function onDidApplyDiff(listener: DiffListener): () => void {
  diffListeners.add(listener);
  return () => diffListeners.delete(listener);
}

export const useLab = create<LabState>()((set) => ({
  records: {},
  objects: {},
  engine: { kind: 'starting' },
  apply: (diff) => {
    set((s) => applyLabDiff(s, diff));
    for (const listener of diffListeners) listener(diff);
  },
  setEngine: (engine) => set({ engine }),
}));

let lastObjectMap: LabState['objects'] | undefined;
let lastObjectList: ObjectRecord[] = [];

/** Every object record, as a list memoized on the objects map (the same array while nothing changed). */
export function selectObjectList(s: LabState): ObjectRecord[] {
  if (s.objects !== lastObjectMap) {
    lastObjectMap = s.objects;
    lastObjectList = Object.values(s.objects);
  }
  return lastObjectList;
}

export const selectClock = (s: LabState): ClockRecord | undefined => s.records.clock as ClockRecord | undefined;

/** The cluster's objects as the diagrams draw them, split by kind. */
export interface ClusterObjects {
  nodes: NodeView[];
  pods: PodView[];
  /** Deployments, ReplicaSets, DaemonSets and StatefulSets by record id (`replicasets/<ns>/<name>`). */
  workloads: ReadonlyMap<string, WorkloadView>;
}

let lastObjectsMap: LabState['objects'] | undefined;
let lastObjects: ClusterObjects = { nodes: [], pods: [], workloads: new Map() };

/**
 * The cluster's objects, in one pass over them, memoized on the objects map: every subscriber in a frame
 * shares the same result, and a frame that changed no object returns the previous one at once.
 */
export function selectClusterObjects(s: LabState): ClusterObjects {
  if (s.objects === lastObjectsMap) return lastObjects;
  const nodes: NodeView[] = [];
  const pods: PodView[] = [];
  const workloads = new Map<string, WorkloadView>();
  for (const id in s.objects) {
    const r = s.objects[id]!;
    if (r.resource === 'pods') pods.push(r);
    else if (r.resource === 'nodes') nodes.push(r);
    else if (r.resource === 'deployments' || r.resource === 'replicasets' || r.resource === 'daemonsets' || r.resource === 'statefulsets') workloads.set(id, r);
  }
  lastObjectsMap = s.objects;
  // Most frames change only the clock or a session: then the objects are the previous ones, same identity.
  if (!sameItems(nodes, lastObjects.nodes) || !sameItems(pods, lastObjects.pods) || !sameItems([...workloads.values()], [...lastObjects.workloads.values()])) {
    lastObjects = { nodes, pods, workloads };
  }
  return lastObjects;
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
