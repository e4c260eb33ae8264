/**
 * RequestedToCapacityRatio (requested_to_capacity_ratio.go): score each resource by its utilization
 * after placing the pod through a piecewise-linear shape (utilization 0–100 → score 0–10, scaled ×10),
 * then the weighted mean of the resources that scored above 0, rounded.
 */
import { MAX_NODE_SCORE } from '../../framework/interface.ts';
import { MAX_CUSTOM_PRIORITY_SCORE, MAX_UTILIZATION, type ResourceSpec, type UtilizationShapePoint } from './args.ts';
import type { ResourceScorer } from './resourceAllocation.ts';

export interface FunctionShapePoint {
  utilization: number;
  score: number;
}

/** helper.BuildBrokenLinearFunction (integer arithmetic, truncating as Go does). */
export function buildBrokenLinearFunction(shape: readonly FunctionShapePoint[]): (p: number) => number {
  return (p) => {
    for (let i = 0; i < shape.length; i++) {
      if (p <= shape[i]!.utilization) {
        if (i === 0) return shape[0]!.score;
        const a = shape[i - 1]!;
        const b = shape[i]!;
        return a.score + Math.trunc(((b.score - a.score) * (p - a.utilization)) / (b.utilization - a.utilization));
      }
    }
    return shape[shape.length - 1]!.score;
  };
}

export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): ResourceScorer {
  const raw = buildBrokenLinearFunction(shape.map((p) => ({ utilization: p.utilization, score: p.score * (MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE) })));
  const resourceScore = (requested: number, capacity: number) => {
    if (capacity === 0 || requested > capacity) return raw(MAX_UTILIZATION);
    return raw(Math.floor((requested * MAX_UTILIZATION) / capacity));
  };
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      if (allocatable[i] === 0) continue;
      const weight = resources[i]!.weight;
      const s = resourceScore(requested[i]!, allocatable[i]!);
      if (s > 0) {
        nodeScore += s * weight;
        weightSum += weight;
      }
    }
    return weightSum === 0 ? 0 : Math.round(nodeScore / weightSum);
  };
}
