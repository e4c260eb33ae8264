/**
 * NodeResourcesBalancedAllocation (balanced_allocation.go, Kubernetes 1.32): favour nodes whose resource
 * utilizations would be even. With the pod placed, each resource's fraction requested/allocatable (at
 * most 1); the score is (1 − standard deviation of the fractions) × 100 — for two resources the
 * deviation is |f1 − f2| / 2. Real requests count here (no non-zero defaults).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { CycleState, StateData } from '../../framework/cycleState.ts';
import { MAX_NODE_SCORE, type PreScorePlugin, type ScoreExtensions, type ScorePlugin, type Status } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';
import { balancedArgsWithDefaults, type NodeResourcesBalancedAllocationArgs } from './args.ts';
import { ResourceAllocationScorer, type ScoreScratch } from './resourceAllocation.ts';

const PRE_SCORE_STATE_KEY = 'PreScoreNodeResourcesBalancedAllocation';

class PreScoreState implements StateData {
  constructor(readonly scratch: ScoreScratch) {}
  clone(): StateData {
    return this;
  }
}

/** balancedResourceScorer. */
export function balancedResourceScorer(requested: Float64Array, allocatable: Float64Array): number {
  let total = 0;
  let n = 0;
  let f0 = 0;
  let f1 = 0;
  for (let i = 0; i < requested.length; i++) {
    if (allocatable[i] === 0) continue;
    const fraction = Math.min(requested[i]! / allocatable[i]!, 1);
    total += fraction;
    if (n === 0) f0 = fraction;
    else if (n === 1) f1 = fraction;
    n++;
  }
  let std = 0;
  if (n === 2) std = Math.abs((f0 - f1) / 2);
  else if (n > 2) {
    const mean = total / n;
    let sum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const f = Math.min(requested[i]! / allocatable[i]!, 1);
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / n);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  static readonly NAME = 'NodeResourcesBalancedAllocation';
  readonly name = BalancedAllocation.NAME;
  readonly scorer: ResourceAllocationScorer;

  constructor(args?: NodeResourcesBalancedAllocationArgs) {
    this.scorer = new ResourceAllocationScorer(true, balancedResourceScorer, balancedArgsWithDefaults(args));
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(this.scorer.newScratch(pod)));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    return this.scorer.score(nodeInfo, s ? s.scratch : this.scorer.newScratch(pod));
  }

  scoreExtensions(): ScoreExtensions | undefined {
    return undefined;
  }
}
