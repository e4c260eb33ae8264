/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread, Kubernetes 1.32): spread pods
 * over topology domains (zones, nodes…) by the pod's topologySpreadConstraints — DoNotSchedule ones in
 * Filter, ScheduleAnyway ones in Score. A pod with no constraints of its own gets the profile's default
 * constraints (the system defaults: hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway), selecting
 * the pods of its Services, ReplicaSet or StatefulSet. Nothing to spread means Skip at PreFilter and
 * PreScore, so plain pods cost nothing here.
 *
 * Args: defaultConstraints and defaultingType ("System" uses the system defaults; "List" the given ones).
 */
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import type { CycleState } from '../../framework/cycleState.ts';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import {
  Code,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { SYSTEM_DEFAULT_CONSTRAINTS, buildDefaultConstraints, filterTopologySpreadConstraints, nodeLabelsMatchSpreadConstraints, type SpreadConstraint } from './common.ts';
import { type PreFilterState, calPreFilterState, filterNode } from './filtering.ts';
import { type PreScoreState, calPreScoreState, normalizeScores, scoreNode } from './scoring.ts';
import { DomainCountsCache } from './domainCounts.ts';

const PRE_FILTER_STATE_KEY = 'PreFilterPodTopologySpread';
const PRE_SCORE_STATE_KEY = 'PreScorePodTopologySpread';

export interface PodTopologySpreadArgs {
  defaultConstraints?: TopologySpreadConstraint[];
  defaultingType?: 'System' | 'List';
}

export class PodTopologySpread implements PreFilterPlugin, PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  static readonly NAME = 'PodTopologySpread';
  readonly name = PodTopologySpread.NAME;
  private readonly defaultConstraints: readonly TopologySpreadConstraint[];
  private readonly systemDefaulted: boolean;
  /** Matching-pod counts per domain, carried from cycle to cycle (a cache, not cycle state). */
  private readonly domainCounts = new DomainCountsCache();

  constructor(
    args: PodTopologySpreadArgs | undefined,
    private readonly handle: Handle,
  ) {
    this.systemDefaulted = (args?.defaultingType ?? 'System') === 'System';
    this.defaultConstraints = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (args?.defaultConstraints ?? []);
  }

  /** The constraints for one action: the pod's own, or the defaults when it has none. */
  private constraintsFor(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
    const own = pod.spec?.topologySpreadConstraints ?? [];
    if (own.length > 0) return filterTopologySpreadConstraints(own, pod, action);
    return buildDefaultConstraints(this.defaultConstraints, pod, action, this.handle.listers);
  }

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null } {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'DoNotSchedule');
    } catch (e) {
      return { status: Status.fromError(e) };
    }
    if (constraints.length === 0) return { status: Status.of(Code.Skip) };
    state.write(PRE_FILTER_STATE_KEY, calPreFilterState(pod, constraints, this.handle.snapshotSharedLister(), this.domainCounts));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null {
    state.read<PreFilterState>(PRE_FILTER_STATE_KEY)?.updateWithPod(podInfoToAdd, podToSchedule, nodeInfo.node, 1);
    return null;
  }

  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null {
    state.read<PreFilterState>(PRE_FILTER_STATE_KEY)?.updateWithPod(podInfoToRemove, podToSchedule, nodeInfo.node, -1);
    return null;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return Status.fromError(new Error(`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`));
    if (s.constraints.length === 0) return null;
    const verdict = filterNode(s, pod, nodeInfo);
    if (!verdict) return null;
    return Status.of(verdict.unresolvable ? Code.UnschedulableAndUnresolvable : Code.Unschedulable, verdict.reason);
  }

  preScore(state: CycleState, pod: Pod, filteredNodes: readonly NodeInfo[]): Status | null {
    const allNodes = this.handle.snapshotSharedLister().list();
    if (filteredNodes.length === 0 || allNodes.length === 0) return Status.of(Code.Skip);
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    } catch (e) {
      return Status.fromError(e);
    }
    if (constraints.length === 0) return Status.of(Code.Skip);
    const requireAllTopologies = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    state.write(PRE_SCORE_STATE_KEY, calPreScoreState(pod, constraints, filteredNodes, this.handle.snapshotSharedLister(), this.domainCounts, requireAllTopologies));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    return s ? scoreNode(s, pod, nodeInfo) : 0;
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(state: CycleState, _pod: Pod, nodes: readonly NodeInfo[], scores: Int32Array): Status | null {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s) normalizeScores(s, nodes, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.UpdatePodTolerations | ActionType.Delete },
        queueingHintFn: (pod, original, modified) => this.isSchedulableAfterPodChange(pod, original as Pod | undefined, modified as Pod | undefined),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        queueingHintFn: (pod, original, modified) => this.isSchedulableAfterNodeChange(pod, original as Node | undefined, modified as Node | undefined),
      },
    ];
  }

  private isSchedulableAfterPodChange(pod: Pod, original: Pod | undefined, modified: Pod | undefined): 'Queue' | 'QueueSkip' {
    const involved = (p: Pod) => p.metadata?.uid === pod.metadata?.uid || (!!p.spec?.nodeName && p.metadata?.namespace === pod.metadata?.namespace);
    if ((modified && !involved(modified)) || (original && !involved(original))) return 'QueueSkip';
    const constraints = this.constraintsFor(pod, 'DoNotSchedule');
    if (modified && original) {
      if (original.metadata?.uid === pod.metadata?.uid) return constraints.some((c) => c.nodeTaintsPolicy === 'Honor') ? 'Queue' : 'QueueSkip';
      for (const c of constraints) if (c.selector.matches(original.metadata?.labels) !== c.selector.matches(modified.metadata?.labels)) return 'Queue';
      return 'QueueSkip';
    }
    const p = modified ?? original;
    return p && constraints.some((c) => c.selector.matches(p.metadata?.labels)) ? 'Queue' : 'QueueSkip';
  }

  private isSchedulableAfterNodeChange(pod: Pod, original: Node | undefined, modified: Node | undefined): 'Queue' | 'QueueSkip' {
    const constraints = this.constraintsFor(pod, 'DoNotSchedule');
    if (modified) {
      if (!nodeLabelsMatchSpreadConstraints(modified.metadata?.labels, constraints)) return 'QueueSkip';
      if (!original) return 'Queue';
      const keyChanged = constraints.some((c) => original.metadata?.labels?.[c.topologyKey] !== modified.metadata?.labels?.[c.topologyKey]);
      const taintsChanged = JSON.stringify(original.spec?.taints ?? []) !== JSON.stringify(modified.spec?.taints ?? []);
      return keyChanged || !nodeLabelsMatchSpreadConstraints(original.metadata?.labels, constraints) || (taintsChanged && constraints.some((c) => c.nodeTaintsPolicy === 'Honor')) ? 'Queue' : 'QueueSkip';
    }
    return original && nodeLabelsMatchSpreadConstraints(original.metadata?.labels, constraints) ? 'Queue' : 'QueueSkip';
  }
}
