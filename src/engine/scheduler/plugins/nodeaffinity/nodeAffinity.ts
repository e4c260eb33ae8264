/**
 * NodeAffinity (pkg/scheduler/framework/plugins/nodeaffinity):
 * - PreFilter: nothing to do (Skip) for a pod with no nodeSelector and no required node affinity; when
 *   every required term pins `metadata.name`, the cycle looks only at those nodes.
 * - Filter: the node must match the pod's nodeSelector and required node affinity — else
 *   "node(s) didn't match Pod's node affinity/selector" (UnschedulableAndUnresolvable).
 * - Score: the sum of the weights of the preferred terms the node matches, normalized to 0–100 by the
 *   highest; Skip for a pod without preferred terms.
 * Args: addedAffinity, node affinity the profile adds to every pod ("scheduler-enforced").
 */
import type { Node, NodeAffinity as NodeAffinitySpec, Pod } from 'kubernetes-types/core/v1';
import { NodeSelectorMatcher, PreferredSchedulingTerms, getRequiredNodeAffinity, type RequiredNodeAffinity } from '../../../api/scheduling/nodeAffinity.ts';
import type { CycleState, StateData } from '../../framework/cycleState.ts';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import {
  Code,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';
import { defaultNormalizeScore } from '../helper/normalizeScore.ts';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const PRE_FILTER_STATE_KEY = 'PreFilterNodeAffinity';
const PRE_SCORE_STATE_KEY = 'PreScoreNodeAffinity';

export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinitySpec;
}

class PreFilterState implements StateData {
  constructor(readonly required: RequiredNodeAffinity) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly preferred: PreferredSchedulingTerms | undefined) {}
  clone(): StateData {
    return this;
  }
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  static readonly NAME = 'NodeAffinity';
  readonly name = NodeAffinity.NAME;
  private readonly addedNodeSelector: NodeSelectorMatcher | undefined;
  private readonly addedPrefSchedTerms: PreferredSchedulingTerms | undefined;
  private readonly rejected = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_POD);
  private readonly rejectedEnforced = Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_ENFORCED);

  constructor(args: NodeAffinityArgs = {}) {
    const added = args.addedAffinity;
    if (added?.requiredDuringSchedulingIgnoredDuringExecution) this.addedNodeSelector = new NodeSelectorMatcher(added.requiredDuringSchedulingIgnoredDuringExecution);
    if (added?.preferredDuringSchedulingIgnoredDuringExecution) this.addedPrefSchedTerms = new PreferredSchedulingTerms(added.preferredDuringSchedulingIgnoredDuringExecution);
  }

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null } {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && !pod.spec?.nodeSelector) return { status: Status.of(Code.Skip) };
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(getRequiredNodeAffinity(pod)));
    const terms = required?.nodeSelectorTerms ?? [];
    if (!required || terms.length === 0) return { status: null };
    // Affinity to specific nodes by name: the cycle need look only at them.
    let nodeNames: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const r of t.matchFields ?? []) {
        if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
        const s = new Set(r.values ?? []);
        termNames = termNames === undefined ? s : new Set([...termNames].filter((n) => s.has(n)));
      }
      // A term without a node name allows every node: the terms are ORed.
      if (termNames === undefined) return { status: null };
      nodeNames = new Set([...(nodeNames ?? []), ...termNames]);
    }
    if (nodeNames !== undefined && nodeNames.size === 0) return { status: Status.of(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT) };
    return { result: nodeNames ? { nodeNames } : undefined, status: null };
  }

  preFilterExtensions(): PreFilterExtensions | undefined {
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const node = nodeInfo.node!;
    if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return this.rejectedEnforced;
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    const required = s ? s.required : getRequiredNodeAffinity(pod);
    return required.match(node) ? null : this.rejected;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!preferred && !this.addedPrefSchedTerms) return Status.of(Code.Skip);
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(preferred ? new PreferredSchedulingTerms(preferred) : undefined));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node!;
    let count = 0;
    if (this.addedPrefSchedTerms) count += this.addedPrefSchedTerms.score(node);
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    const preferred = s ? s.preferred : preferredOf(pod);
    if (preferred) count += preferred.score(node);
    return count;
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(_state: CycleState, _pod: Pod, _nodes: readonly NodeInfo[], scores: Int32Array): Status | null {
    defaultNormalizeScore(100, false, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        queueingHintFn: (pod, original, modified) => {
          const node = modified as Node;
          if (this.addedNodeSelector && !this.addedNodeSelector.match(node)) return 'QueueSkip';
          const required = getRequiredNodeAffinity(pod);
          if (!required.match(node)) return 'QueueSkip';
          if (original === undefined) return 'Queue';
          return required.match(original as Node) ? 'QueueSkip' : 'Queue';
        },
      },
    ];
  }
}

function preferredOf(pod: Pod): PreferredSchedulingTerms | undefined {
  const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return preferred ? new PreferredSchedulingTerms(preferred) : undefined;
}
