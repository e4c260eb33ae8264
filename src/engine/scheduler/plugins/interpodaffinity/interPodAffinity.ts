/**
 * InterPodAffinity (pkg/scheduler/framework/plugins/interpodaffinity, Kubernetes 1.32): pod affinity and
 * anti-affinity, required (Filter) and preferred (Score), across topology domains. Reasons:
 * "node(s) didn't match pod affinity rules" (UnschedulableAndUnresolvable), "node(s) didn't match pod
 * anti-affinity rules" and "node(s) didn't satisfy existing pods anti-affinity rules" (Unschedulable:
 * preemption may remove the pods in the way). A term's namespaceSelector is resolved against the
 * namespace lister to the namespaces it selects. A pod with no required terms, where no existing pod has
 * required anti-affinity, skips the Filter.
 *
 * Args: hardPodAffinityWeight (1), ignorePreferredTermsOfExistingPods (false).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
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
import { type AffinityTerm, type PodInfo, WeightedAffinityTerm, podInfoOf, type NodeInfo } from '../../framework/types.ts';
import {
  ERR_REASON_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH,
  ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH,
  PreFilterState,
  existingAntiAffinityCounts,
  incomingAffinityAntiAffinityCounts,
  podMatchesAllAffinityTerms,
  satisfyExistingPodsAntiAffinity,
  satisfyPodAffinity,
  satisfyPodAntiAffinity,
} from './filtering.ts';
import { PreScoreState, normalizeScores, processExistingPod, scoreNode, type ScoreMap } from './scoring.ts';

const PRE_FILTER_STATE_KEY = 'PreFilterInterPodAffinity';
const PRE_SCORE_STATE_KEY = 'PreScoreInterPodAffinity';

export interface InterPodAffinityArgs {
  hardPodAffinityWeight?: number;
  ignorePreferredTermsOfExistingPods?: boolean;
}

export class InterPodAffinity implements PreFilterPlugin, PreFilterExtensions, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  static readonly NAME = 'InterPodAffinity';
  readonly name = InterPodAffinity.NAME;
  private readonly hardPodAffinityWeight: number;
  private readonly ignorePreferredTermsOfExistingPods: boolean;
  private readonly affinityRejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  private readonly antiAffinityRejected = Status.of(Code.Unschedulable, ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  private readonly existingRejected = Status.of(Code.Unschedulable, ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);

  constructor(
    args: InterPodAffinityArgs | undefined,
    private readonly handle: Handle,
  ) {
    this.hardPodAffinityWeight = args?.hardPodAffinityWeight ?? 1;
    this.ignorePreferredTermsOfExistingPods = args?.ignorePreferredTermsOfExistingPods ?? false;
  }

  /** GetNamespaceLabelsSnapshot. */
  private namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    return this.handle.listers.namespaces.get(namespace)?.metadata?.labels;
  }

  /** mergeAffinityTermNamespacesIfNotEmpty: a non-empty namespaceSelector becomes the namespaces it selects. */
  private merged(term: AffinityTerm): AffinityTerm {
    if (term.namespaceSelector.empty()) return term;
    const namespaces = new Set(term.namespaces);
    for (const ns of this.handle.listers.namespaces.list(term.namespaceSelector)) namespaces.add(ns.metadata?.name ?? '');
    return term.withNamespaces(namespaces);
  }

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null } {
    const lister = this.handle.snapshotSharedLister();
    const podInfo = podInfoOf(pod);
    if (podInfo.parseError) return { status: Status.of(Code.UnschedulableAndUnresolvable, `parsing pod: ${podInfo.parseError}`) };
    const affinityTerms = podInfo.requiredAffinityTerms.map((t) => this.merged(t));
    const antiAffinityTerms = podInfo.requiredAntiAffinityTerms.map((t) => this.merged(t));
    const nsLabels = this.namespaceLabels(podInfo.namespace);
    const existing = existingAntiAffinityCounts(pod, nsLabels, lister.havePodsWithRequiredAntiAffinityList());
    if (existing.size === 0 && affinityTerms.length === 0 && antiAffinityTerms.length === 0) return { status: Status.of(Code.Skip) };
    const { affinity, antiAffinity } = incomingAffinityAntiAffinityCounts(affinityTerms, antiAffinityTerms, lister.list());
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(podInfo, affinityTerms, antiAffinityTerms, nsLabels, existing, affinity, antiAffinity));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null {
    if (nodeInfo.node) state.read<PreFilterState>(PRE_FILTER_STATE_KEY)?.updateWithPod(podInfoToAdd, nodeInfo.node, 1);
    return null;
  }

  removePod(state: CycleState, _podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null {
    if (nodeInfo.node) state.read<PreFilterState>(PRE_FILTER_STATE_KEY)?.updateWithPod(podInfoToRemove, nodeInfo.node, -1);
    return null;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return Status.fromError(new Error(`reading "${PRE_FILTER_STATE_KEY}" from cycleState: not found`));
    if (!satisfyPodAffinity(s, nodeInfo)) return this.affinityRejected;
    if (!satisfyPodAntiAffinity(s, nodeInfo)) return this.antiAffinityRejected;
    if (!satisfyExistingPodsAntiAffinity(s, nodeInfo)) return this.existingRejected;
    return null;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    const affinity = pod.spec?.affinity;
    const hasConstraints = (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0 || (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    if (this.ignorePreferredTermsOfExistingPods && !hasConstraints) return Status.of(Code.Skip);
    const lister = this.handle.snapshotSharedLister();
    const allNodes = hasConstraints ? lister.list() : lister.havePodsWithAffinityList();
    if (allNodes.length === 0) return Status.of(Code.Skip);
    const podInfo = podInfoOf(pod);
    const merge = (ts: readonly WeightedAffinityTerm[]) => ts.map((t) => new WeightedAffinityTerm(this.merged(t.term), t.weight));
    const ctx = {
      preferredAffinityTerms: merge(podInfo.preferredAffinityTerms),
      preferredAntiAffinityTerms: merge(podInfo.preferredAntiAffinityTerms),
      namespaceLabels: this.namespaceLabels(podInfo.namespace),
    };
    const topologyScore: ScoreMap = new Map();
    for (const nodeInfo of allNodes) {
      const node = nodeInfo.node!;
      for (const existing of hasConstraints ? nodeInfo.pods : nodeInfo.podsWithAffinity) processExistingPod(topologyScore, ctx, existing, node, pod, this.hardPodAffinityWeight);
    }
    if (topologyScore.size === 0) return Status.of(Code.Skip);
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(topologyScore, ctx.preferredAffinityTerms, ctx.preferredAntiAffinityTerms, ctx.namespaceLabels));
    return null;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    return s && nodeInfo.node ? scoreNode(s, nodeInfo.node) : 0;
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(state: CycleState, _pod: Pod, _nodes: readonly NodeInfo[], scores: Int32Array): Status | null {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    if (s) normalizeScores(s, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete },
        queueingHintFn: (pod, original, modified) => this.isSchedulableAfterPodChange(pod, original as Pod | undefined, modified as Pod | undefined),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        queueingHintFn: (pod, original, modified) => {
          if (original === undefined) return 'Queue';
          const pi = podInfoOf(pod);
          const keys = [...pi.requiredAffinityTerms, ...pi.requiredAntiAffinityTerms].map((t) => t.topologyKey);
          if (keys.length === 0) return 'Queue';
          const before = (original as Node).metadata?.labels ?? {};
          const after = (modified as Node).metadata?.labels ?? {};
          return keys.some((k) => before[k] !== after[k]) ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }

  private isSchedulableAfterPodChange(pod: Pod, original: Pod | undefined, modified: Pod | undefined): 'Queue' | 'QueueSkip' {
    if ((modified && !modified.spec?.nodeName) || (original && !original.spec?.nodeName)) return 'QueueSkip';
    const pi = podInfoOf(pod);
    const terms = pi.requiredAffinityTerms.map((t) => this.merged(t));
    const antiTerms = pi.requiredAntiAffinityTerms.map((t) => this.merged(t));
    const matchesAnyAnti = (p: Pod) => antiTerms.some((t) => t.matches(p, undefined));
    if (modified && original) {
      if (!podMatchesAllAffinityTerms(terms, original) && podMatchesAllAffinityTerms(terms, modified)) return 'Queue';
      if (matchesAnyAnti(original) && !matchesAnyAnti(modified)) return 'Queue';
      return 'QueueSkip';
    }
    if (modified) return podMatchesAllAffinityTerms(terms, modified) ? 'Queue' : 'QueueSkip';
    if (!original) return 'QueueSkip';
    if (matchesAnyAnti(original)) return 'Queue';
    // The deleted pod's own anti-affinity may have kept this pod away.
    const nsLabels = this.namespaceLabels(pi.namespace);
    return podInfoOf(original).requiredAntiAffinityTerms.some((t) => t.matches(pod, nsLabels)) ? 'Queue' : 'QueueSkip';
  }
}
