/**
 * InterPodAffinity's Score (scoring.go): a score per topology pair, summed from
 * - the incoming pod's preferred (anti-)affinity terms matched by existing pods (+/− weight),
 * - existing pods' required affinity terms the incoming pod matches (+hardPodAffinityWeight),
 * - existing pods' preferred (anti-)affinity terms the incoming pod matches (+/− weight),
 * each credited to the pair of the existing pod's node. A node scores the sum over its labels' pairs;
 * NormalizeScore maps min…max onto 0–100. When the incoming pod has no preferred terms, only nodes
 * hosting pods with affinity are looked at; with nothing to score, Skip.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { StateData } from '../../framework/cycleState.ts';
import { MAX_NODE_SCORE, labelOf } from '../../framework/interface.ts';
import type { AffinityTerm, PodInfo, WeightedAffinityTerm } from '../../framework/types.ts';

/** topologyKey → topology value → score. */
export type ScoreMap = Map<string, Map<string, number>>;

export class PreScoreState implements StateData {
  constructor(
    readonly topologyScore: ScoreMap,
    readonly preferredAffinityTerms: readonly WeightedAffinityTerm[],
    readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[],
    readonly namespaceLabels: Readonly<Record<string, string>> | undefined,
  ) {}

  clone(): StateData {
    return this;
  }
}

function processTerm(m: ScoreMap, term: AffinityTerm, weight: number, pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined, node: Node, multiplier: number): void {
  if (!term.matches(pod, nsLabels)) return;
  const tv = labelOf(node.metadata?.labels, term.topologyKey);
  if (tv === undefined) return;
  let values = m.get(term.topologyKey);
  if (!values) m.set(term.topologyKey, (values = new Map()));
  values.set(tv, (values.get(tv) ?? 0) + weight * multiplier);
}

function processTerms(m: ScoreMap, terms: readonly WeightedAffinityTerm[], pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined, node: Node, multiplier: number): void {
  for (const t of terms) processTerm(m, t.term, t.weight, pod, nsLabels, node, multiplier);
}

/** processExistingPod. */
export function processExistingPod(
  m: ScoreMap,
  state: { preferredAffinityTerms: readonly WeightedAffinityTerm[]; preferredAntiAffinityTerms: readonly WeightedAffinityTerm[]; namespaceLabels: Readonly<Record<string, string>> | undefined },
  existing: PodInfo,
  node: Node,
  incoming: Pod,
  hardPodAffinityWeight: number,
): void {
  const labels = node.metadata?.labels;
  if (!labels || Object.keys(labels).length === 0) return;
  processTerms(m, state.preferredAffinityTerms, existing.pod, undefined, node, 1);
  processTerms(m, state.preferredAntiAffinityTerms, existing.pod, undefined, node, -1);
  if (hardPodAffinityWeight > 0) for (const t of existing.requiredAffinityTerms) processTerm(m, t, hardPodAffinityWeight, incoming, state.namespaceLabels, node, 1);
  processTerms(m, existing.preferredAffinityTerms, incoming, state.namespaceLabels, node, 1);
  processTerms(m, existing.preferredAntiAffinityTerms, incoming, state.namespaceLabels, node, -1);
}

/** Score: the sum of the node's pairs. */
export function scoreNode(s: PreScoreState, node: Node): number {
  let score = 0;
  const labels = node.metadata?.labels;
  for (const [tk, values] of s.topologyScore) {
    const v = labelOf(labels, tk);
    if (v !== undefined) score += values.get(v) ?? 0;
  }
  return score;
}

/** NormalizeScore: (score − min) / (max − min) × 100, truncated; all 0 when max = min. */
export function normalizeScores(s: PreScoreState, scores: Int32Array): void {
  if (s.topologyScore.size === 0) return;
  let min = Number.MAX_SAFE_INTEGER;
  let max = Number.MIN_SAFE_INTEGER;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! > max) max = scores[i]!;
    if (scores[i]! < min) min = scores[i]!;
  }
  const diff = max - min;
  for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((scores[i]! - min) / diff)) : 0;
}
