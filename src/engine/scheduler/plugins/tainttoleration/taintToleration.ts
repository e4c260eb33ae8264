/**
 * TaintToleration (pkg/scheduler/framework/plugins/tainttoleration):
 * - Filter: a node with a NoSchedule or NoExecute taint the pod does not tolerate is out, with
 *   "node(s) had untolerated taint {key: value}" (the first such taint) — UnschedulableAndUnresolvable,
 *   so preemption does not try it.
 * - Score: the number of PreferNoSchedule taints the pod does not tolerate (counting only its
 *   tolerations with effect PreferNoSchedule or none); NormalizeScore reverses it, so fewer is better.
 */
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint } from '../../../api/scheduling/helpers.ts';
import type { CycleState, StateData } from '../../framework/cycleState.ts';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import { Code, Status, type EnqueueExtensions, type FilterPlugin, type PreScorePlugin, type ScoreExtensions, type ScorePlugin } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';
import { defaultNormalizeScore } from '../helper/normalizeScore.ts';

const PRE_SCORE_STATE_KEY = 'PreScoreTaintToleration';

class PreScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

/** The filter's reason for an untolerated taint. */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** countIntolerableTaintsPreferNoSchedule. */
export function countIntolerableTaintsPreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[]): number {
  if (!taints) return 0;
  let n = 0;
  for (const taint of taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) n++;
  }
  return n;
}

/** getAllTolerationPreferNoSchedule: tolerations with effect PreferNoSchedule or empty (all effects). */
function tolerationsPreferNoSchedule(tolerations: readonly Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, ScoreExtensions, EnqueueExtensions {
  static readonly NAME = 'TaintToleration';
  readonly name = TaintToleration.NAME;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const taint = nodeInfo.taints === undefined ? undefined : findMatchingUntoleratedTaint(nodeInfo.taints, pod.spec?.tolerations, isDoNotScheduleTaint);
    if (!taint) return null;
    return Status.of(Code.UnschedulableAndUnresolvable, untoleratedTaintReason(taint));
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    if (nodes.length === 0) return null;
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(tolerationsPreferNoSchedule(pod.spec?.tolerations)));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    if (nodeInfo.taints === undefined) return 0;
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    const tolerations = s ? s.tolerationsPreferNoSchedule : tolerationsPreferNoSchedule(pod.spec?.tolerations);
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.taints, tolerations);
  }

  scoreExtensions(): ScoreExtensions {
    return this;
  }

  normalizeScore(_state: CycleState, _pod: Pod, _nodes: readonly NodeInfo[], scores: Int32Array): Status | null {
    defaultNormalizeScore(100, true, scores);
    return null;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
        queueingHintFn: (pod, original, modified) => {
          const tolerations = pod.spec?.tolerations;
          const wasUntolerated = original === undefined || findMatchingUntoleratedTaint((original as Node).spec?.taints, tolerations, isDoNotScheduleTaint) !== undefined;
          const isUntolerated = findMatchingUntoleratedTaint((modified as Node).spec?.taints, tolerations, isDoNotScheduleTaint) !== undefined;
          return wasUntolerated && !isUntolerated ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'Pod', actionType: ActionType.UpdatePodTolerations },
        queueingHintFn: (pod, _old, modified) => ((modified as Pod).metadata?.uid === pod.metadata?.uid ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}
