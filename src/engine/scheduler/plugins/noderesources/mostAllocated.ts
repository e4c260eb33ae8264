/**
 * MostAllocated (most_allocated.go): favour the fullest nodes (bin packing). Per resource,
 * requested × 100 / allocatable (requested capped at allocatable, since the non-zero defaults can push it
 * over), then the weighted mean.
 */
import { MAX_NODE_SCORE } from '../../framework/interface.ts';
import type { ResourceSpec } from './args.ts';
import type { ResourceScorer } from './resourceAllocation.ts';

/** mostRequestedScore. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  const r = requested > capacity ? capacity : requested;
  return Math.floor((r * MAX_NODE_SCORE) / capacity);
}

export function mostResourceScorer(resources: readonly ResourceSpec[]): ResourceScorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      nodeScore += mostRequestedScore(requested[i]!, allocatable[i]!) * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.floor(nodeScore / weightSum);
  };
}
