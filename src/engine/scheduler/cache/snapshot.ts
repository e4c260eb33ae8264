/**
 * Snapshot (pkg/scheduler/backend/cache/snapshot.go): the NodeInfos one scheduling cycle reads, taken from
 * the cache at the start of the cycle and not changed during it. The cache refreshes it incrementally
 * (Cache.updateSnapshot): only NodeInfos whose generation moved are copied, and the node list is
 * rebuilt only when nodes come or go.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { NodeInfoLister } from '../framework/interface.ts';
import { NodeInfo, PodInfo } from '../framework/types.ts';

export class Snapshot implements NodeInfoLister {
  /** NodeInfos by node name. */
  readonly nodeInfoMap = new Map<string, NodeInfo>();
  /** Every NodeInfo, in the node tree's zone-interleaved order. */
  nodeInfoList: NodeInfo[] = [];
  havePodsWithAffinityNodeInfoList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityNodeInfoList: NodeInfo[] = [];
  /** The highest NodeInfo generation this snapshot reflects. */
  generation = 0;
  /** Bumped whenever nodeInfoList is rebuilt (nodes came or went, or the order changed). */
  listVersion = 0;
  /** Recently refreshed NodeInfos, oldest first, with the snapshot generation after each refresh. */
  private readonly changeLog: NodeInfo[] = [];
  private readonly changeLogGenerations: number[] = [];
  private changeLogStart = 0;

  /** Record that `nodeInfo` was refreshed; `generation` is the snapshot's generation after it. */
  logChange(nodeInfo: NodeInfo, generation: number): void {
    if (this.changeLog.length >= 4096) {
      this.changeLogStart = this.changeLogGenerations[2047]!;
      this.changeLog.splice(0, 2048);
      this.changeLogGenerations.splice(0, 2048);
    }
    this.changeLog.push(nodeInfo);
    this.changeLogGenerations.push(generation);
  }

  /**
   * The NodeInfos refreshed after the snapshot was at `generation` (a node may appear more than once),
   * or undefined when the log no longer reaches back that far.
   */
  changedSince(generation: number): NodeInfo[] | undefined {
    if (generation < this.changeLogStart) return undefined;
    const out: NodeInfo[] = [];
    for (let i = this.changeLog.length - 1; i >= 0 && this.changeLogGenerations[i]! > generation; i--) out.push(this.changeLog[i]!);
    return out;
  }

  /** NewSnapshot: a snapshot of fixed pods and nodes (tests, and what-if computations). */
  static fromObjects(pods: readonly Pod[], nodes: readonly Node[]): Snapshot {
    const s = new Snapshot();
    for (const node of nodes) {
      const ni = new NodeInfo();
      ni.setNode(node);
      s.nodeInfoMap.set(node.metadata?.name ?? '', ni);
    }
    for (const pod of pods) s.nodeInfoMap.get(pod.spec?.nodeName ?? '')?.addPodInfo(new PodInfo(pod));
    s.nodeInfoList = [...s.nodeInfoMap.values()];
    s.nodeInfoList.forEach((ni, i) => (ni.slot = i));
    s.havePodsWithAffinityNodeInfoList = s.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    s.havePodsWithRequiredAntiAffinityNodeInfoList = s.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
    return s;
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }

  list(): readonly NodeInfo[] {
    return this.nodeInfoList;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.nodeInfoMap.get(nodeName);
  }

  havePodsWithAffinityList(): readonly NodeInfo[] {
    return this.havePodsWithAffinityNodeInfoList;
  }

  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[] {
    return this.havePodsWithRequiredAntiAffinityNodeInfoList;
  }
}
