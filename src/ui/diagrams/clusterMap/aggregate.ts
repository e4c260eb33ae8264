/**
 * The cluster map at scale: thousands of nodes as tiles coloured by how full they are, and the pods as
 * counts per state, per node and in all. One pass over the pods, no per-pod objects: 150,000 pods on
 * 5,000 nodes aggregate in a few milliseconds.
 */
import type { NodeView, PodView } from '../../../engine/cluster/clusterView.ts';
import { fraction, holdsResources, sortNodes } from './capacity.ts';
import { POD_STATES, podState, type PodState } from './podState.ts';

export type StateCounts = Record<PodState, number>;

export interface NodeTile {
  readonly name: string;
  readonly ready: boolean;
  readonly unschedulable: boolean;
  readonly controlPlane: boolean;
  /** All pods on the node, whatever their state. */
  readonly podTotal: number;
  /** Requests of the pods that hold resources, and the node's allocatable. */
  readonly cpu: number;
  readonly memory: number;
  readonly pods: number;
  readonly allocatable: NodeView['allocatable'];
  /** The fullest of CPU, memory and pods, as a fraction of allocatable (may exceed 1). */
  readonly fullness: number;
  readonly counts: StateCounts;
}

export interface Aggregate {
  readonly tiles: readonly NodeTile[];
  /** Pods per state over the whole cluster, and over the pods no node has. */
  readonly totals: StateCounts;
  readonly unscheduled: StateCounts;
  /** Pods bound to a node that does not exist. */
  readonly orphaned: number;
}

export function emptyCounts(): StateCounts {
  const counts = {} as StateCounts;
  for (const s of POD_STATES) counts[s] = 0;
  return counts;
}



export function aggregate(nodes: readonly NodeView[], pods: readonly PodView[]): Aggregate {
  const sorted = sortNodes(nodes);
  const index = new Map<string, number>();
  sorted.forEach((n, i) => index.set(n.name, i));
  const cpu = new Float64Array(sorted.length);
  const memory = new Float64Array(sorted.length);
  const held = new Uint32Array(sorted.length);
  const total = new Uint32Array(sorted.length);
  // Counts per node and state in one typed array (node i, state s at i * STATES + s): no objects per pod.
  const STATES = POD_STATES.length;
  const stateIndex = Object.fromEntries(POD_STATES.map((s, i) => [s, i])) as Record<PodState, number>;
  const perNode = new Uint32Array(sorted.length * STATES);
  const all = new Float64Array(STATES);
  const lane = new Float64Array(STATES);
  let orphaned = 0;
  for (const pod of pods) {
    const s = stateIndex[podState(pod)];
    all[s]!++;
    if (pod.node === '') {
      lane[s]!++;
      continue;
    }
    const i = index.get(pod.node);
    if (i === undefined) {
      orphaned++;
      continue;
    }
    perNode[i * STATES + s]!++;
    total[i]!++;
    if (holdsResources(pod)) {
      cpu[i]! += pod.requests.cpu;
      memory[i]! += pod.requests.memory;
      held[i]!++;
    }
  }
  const toCounts = (array: ArrayLike<number>, offset: number) => {
    const counts = {} as StateCounts;
    POD_STATES.forEach((state, s) => (counts[state] = array[offset + s]!));
    return counts;
  };
  const totals = toCounts(all, 0);
  const unscheduled = toCounts(lane, 0);
  const tiles = sorted.map((n, i): NodeTile => {
    const a = n.allocatable;
    return {
      name: n.name,
      ready: n.ready,
      unschedulable: n.unschedulable,
      controlPlane: n.roles.includes('control-plane'),
      podTotal: total[i]!,
      cpu: cpu[i]!,
      memory: memory[i]!,
      pods: held[i]!,
      allocatable: a,
      fullness: Math.max(fraction(cpu[i]!, a.cpu), fraction(memory[i]!, a.memory), fraction(held[i]!, a.pods)),
      counts: toCounts(perNode, i * STATES),
    };
  });
  return { tiles, totals, unscheduled, orphaned };
}
