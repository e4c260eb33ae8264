/**
 * The cluster map at scale: thousands of nodes as tiles coloured by how full they are, and the pods as
 * counts per state, per node and in all.
 *
 * `AggregateIndex` keeps the sums and updates them from each change (a pod added, changed or removed: its
 * old contribution out, its new one in), so a frame costs what changed, not what exists: 1,500 pods
 * changing among 150,000 touch 1,500 sums and rebuild only the tiles of their nodes; the tiles are
 * re-sorted only when a node comes, goes or changes roles. `result()` returns the same Aggregate until
 * something changed, and a new one that shares the unchanged tiles with the previous one after.
 * `aggregate(nodes, pods)` is the same from scratch.
 */
import type { NodeView, ObjectRecord, PodView } from '../../../engine/cluster/clusterView.ts';
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
  /**
   * The tiles of the aggregate this one was made from, and which of them differ (by index); undefined
   * when the tiles were rebuilt (a node came, went or moved), so a painter repaints everything.
   */
  readonly previous?: { readonly tiles: readonly NodeTile[]; readonly changedTiles: readonly number[] } | undefined;
}

export function emptyCounts(): StateCounts {
  const counts = {} as StateCounts;
  for (const s of POD_STATES) counts[s] = 0;
  return counts;
}

const STATES = POD_STATES.length;
const STATE_INDEX = Object.fromEntries(POD_STATES.map((s, i) => [s, i])) as Record<PodState, number>;

/** The sums of the pods bound to one node name ('' for the pods no node has yet). */
interface NodeSums {
  readonly counts: Float64Array;
  total: number;
  /** Requests and count of the pods that hold resources. */
  cpu: number;
  memory: number;
  held: number;
}

function toCounts(array: ArrayLike<number>): StateCounts {
  const counts = {} as StateCounts;
  for (let s = 0; s < STATES; s++) counts[POD_STATES[s]!] = array[s]!;
  return counts;
}

export class AggregateIndex {
  private readonly nodes = new Map<string, NodeView>();
  private readonly sums = new Map<string, NodeSums>();
  private readonly totals = new Float64Array(STATES);
  private orphaned = 0;
  /** Node names whose tile must be rebuilt. */
  private readonly dirty = new Set<string>();
  /** The tiles must be re-sorted (a node came, went or changed roles). */
  private reorder = true;
  private changed = true;
  private tiles: NodeTile[] = [];
  private readonly tileIndex = new Map<string, number>();
  private current: Aggregate | undefined;

  /** Apply one object's change; objects other than pods and nodes are ignored. */
  update(before: ObjectRecord | undefined, after: ObjectRecord | undefined): void {
    if (before?.resource === 'pods') this.pod(before, -1);
    else if (before?.resource === 'nodes' && after?.resource !== 'nodes') this.removeNode(before);
    if (after?.resource === 'pods') this.pod(after, 1);
    else if (after?.resource === 'nodes') this.putNode(after);
  }

  private sumsOf(name: string): NodeSums {
    let sums = this.sums.get(name);
    if (!sums) this.sums.set(name, (sums = { counts: new Float64Array(STATES), total: 0, cpu: 0, memory: 0, held: 0 }));
    return sums;
  }

  private pod(pod: PodView, sign: 1 | -1): void {
    const s = STATE_INDEX[podState(pod)];
    this.totals[s]! += sign;
    const sums = this.sumsOf(pod.node);
    sums.counts[s]! += sign;
    sums.total += sign;
    this.changed = true;
    if (pod.node === '') return;
    if (!this.nodes.has(pod.node)) this.orphaned += sign;
    if (holdsResources(pod)) {
      sums.cpu += sign * pod.requests.cpu;
      sums.memory += sign * pod.requests.memory;
      sums.held += sign;
    }
    // Tiles about to be rebuilt all anyway (the first fill, a node come or gone) need no note.
    if (!this.reorder) this.dirty.add(pod.node);
  }

  private putNode(node: NodeView): void {
    const previous = this.nodes.get(node.name);
    this.nodes.set(node.name, node);
    if (!previous) this.orphaned -= this.sums.get(node.name)?.total ?? 0;
    if (!previous || previous.roles.join() !== node.roles.join()) this.reorder = true;
    this.dirty.add(node.name);
    this.changed = true;
  }

  private removeNode(node: NodeView): void {
    if (!this.nodes.delete(node.name)) return;
    this.orphaned += this.sums.get(node.name)?.total ?? 0;
    this.reorder = true;
    this.changed = true;
  }

  private tileOf(n: NodeView): NodeTile {
    const sums = this.sums.get(n.name);
    const cpu = sums?.cpu ?? 0;
    const memory = sums?.memory ?? 0;
    const held = sums?.held ?? 0;
    const a = n.allocatable;
    return {
      name: n.name,
      ready: n.ready,
      unschedulable: n.unschedulable,
      controlPlane: n.roles.includes('control-plane'),
      podTotal: sums?.total ?? 0,
      cpu,
      memory,
      pods: held,
      allocatable: a,
      fullness: Math.max(fraction(cpu, a.cpu), fraction(memory, a.memory), fraction(held, a.pods)),
      counts: sums ? toCounts(sums.counts) : emptyCounts(),
    };
  }

  /** The aggregate now: the previous object when nothing changed since the last call. */
  result(): Aggregate {
    if (!this.changed && this.current) return this.current;
    let previous: Aggregate['previous'];
    if (this.reorder) {
      this.tiles = sortNodes([...this.nodes.values()]).map((n) => this.tileOf(n));
      this.tileIndex.clear();
      this.tiles.forEach((t, i) => this.tileIndex.set(t.name, i));
      this.reorder = false;
    } else {
      // The tiles the previous aggregate holds stay as they were: it may still be on screen.
      this.tiles = this.tiles.slice();
      const changedTiles: number[] = [];
      for (const name of this.dirty) {
        const i = this.tileIndex.get(name);
        if (i === undefined) continue;
        this.tiles[i] = this.tileOf(this.nodes.get(name)!);
        changedTiles.push(i);
      }
      if (this.current) previous = { tiles: this.current.tiles, changedTiles };
    }
    this.dirty.clear();
    // Forget the sums of names no pod and no node holds any more (deleted nodes, finished rollouts).
    if (this.sums.size > this.nodes.size + 1) {
      for (const [name, sums] of this.sums) if (sums.total === 0 && name !== '' && !this.nodes.has(name)) this.sums.delete(name);
    }
    this.changed = false;
    this.current = {
      tiles: this.tiles,
      totals: toCounts(this.totals),
      unscheduled: toCounts(this.sums.get('')?.counts ?? new Float64Array(STATES)),
      orphaned: this.orphaned,
      ...(previous ? { previous } : {}),
    };
    return this.current;
  }
}

/** The aggregate of `nodes` and `pods`, from scratch. */
export function aggregate(nodes: readonly NodeView[], pods: readonly PodView[]): Aggregate {
  const index = new AggregateIndex();
  for (const n of nodes) index.update(undefined, n);
  for (const p of pods) index.update(undefined, p);
  return index.result();
}
