/**
 * LeastAllocated (least_allocated.go): favour nodes with the most room left. Per resource,
 * (allocatable − requested) × 100 / allocatable (0 once over), then the weighted mean (integer
 * arithmetic, as Go's int64).
 */
import { MAX_NODE_SCORE } from '../../framework/interface.ts';
import type { ResourceSpec } from './args.ts';
import type { ResourceScorer } from './resourceAllocation.ts';

/** leastRequestedScore. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

export function leastResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += leastRequestedScore(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
  };
}
