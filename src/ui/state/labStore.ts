/**
 * The UI's mirror of the lab: records received from the worker as RecordsDiffs, applied in order.
 * Components select what they draw from here; nothing in the UI reads engine objects directly.
 */
import { create } from 'zustand';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { NodeView, PodView, WorkloadView } from '../../engine/cluster/clusterView.ts';
import type { ClockRecord, LabRecord } from '../../engine/cluster/lab.ts';
import { applyDiff } from './applyDiff.ts';

export type EngineStatus = { kind: 'starting' } | { kind: 'ready' } | { kind: 'crashed'; message: string };

export interface LabState {
  records: Record<string, LabRecord>;
  engine: EngineStatus;
  apply(diff: RecordsDiff<LabRecord>): void;
  setEngine(status: EngineStatus): void;
}

export const useLab = create<LabState>()((set) => ({
  records: {},
  engine: { kind: 'starting' },
  apply: (diff) => set((s) => ({ records: applyDiff(s.records, diff) })),
  setEngine: (engine) => set({ engine }),
}));

export const selectClock = (s: LabState): ClockRecord | undefined => s.records.clock as ClockRecord | undefined;

/** The cluster's objects as the diagrams draw them, split by kind. */
export interface ClusterObjects {
  nodes: NodeView[];
  pods: PodView[];
  /** Deployments, ReplicaSets, DaemonSets and StatefulSets by record id (`replicasets/<ns>/<name>`). */
  workloads: ReadonlyMap<string, WorkloadView>;
}

let lastRecords: LabState['records'] | undefined;
let lastObjects: ClusterObjects = { nodes: [], pods: [], workloads: new Map() };

/**
 * The cluster's objects, in one pass over the records, memoized on the records map: every subscriber in a
 * frame shares the same result, and a frame that changed no record returns the previous one.
 */
export function selectClusterObjects(s: LabState): ClusterObjects {
  if (s.records === lastRecords) return lastObjects;
  const nodes: NodeView[] = [];
  const pods: PodView[] = [];
  const workloads = new Map<string, WorkloadView>();
  for (const id in s.records) {
    const r = s.records[id]!;
    if (r.typeName !== 'object') continue;
    if (r.resource === 'pods') pods.push(r);
    else if (r.resource === 'nodes') nodes.push(r);
    else if (r.resource === 'deployments' || r.resource === 'replicasets' || r.resource === 'daemonsets' || r.resource === 'statefulsets') workloads.set(id, r);
  }
  lastRecords = s.records;
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
