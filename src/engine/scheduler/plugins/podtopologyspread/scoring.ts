/**
 * PodTopologySpread's Score (scoring.go): for each ScheduleAnyway constraint (or the defaults), a node
 * scores the pods matching the selector in its domain, weighted by log(number of domains + 2), plus
 * maxSkew − 1; NormalizeScore inverts and scales so the emptiest domain gets 100. Nodes lacking a
 * required topology key score 0. With the system defaults, nodes need not have every key.
 *
 * Domain counts are gathered over all nodes (hostname domains are counted per node in Score), kept up to
 * date from cycle to cycle (domainCounts.ts). A domain no candidate node can read — the "" domain of nodes
 * without the key, which Score never looks up — is not counted, which changes no score.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { getRequiredNodeAffinity } from '../../../api/scheduling/nodeAffinity.ts';
import type { StateData } from '../../framework/cycleState.ts';
import { MAX_NODE_SCORE, labelOf, type NodeInfoLister } from '../../framework/interface.ts';
import type { NodeInfo } from '../../framework/types.ts';
import { LABEL_HOSTNAME, countPodsMatchSelector, domainQuestionKey, matchNodeInclusionPolicies, nodeLabelsMatchSpreadConstraints, type SpreadConstraint } from './common.ts';
import type { DomainCounts, DomainCountsCache } from './domainCounts.ts';

export class PreScoreState implements StateData {
  readonly ignoredNodes = new Set<string>();
  /** Per constraint (none for hostname): topology value → matching pods in that domain. */
  readonly topologyPairToPodCounts: Array<Map<string, number> | undefined>;
  /** Per hostname constraint: the per-node counts (Score reads a node's own). */
  readonly nodeCounts: Array<DomainCounts | undefined>;
  /** The candidate nodes' scores, computed in PreScore, by snapshot slot (-1: not a candidate). */
  scoresBySlot: Int32Array | undefined;
  topologyNormalizingWeight: number[] = [];

  constructor(readonly constraints: readonly SpreadConstraint[]) {
    this.topologyPairToPodCounts = constraints.map((c) => (c.topologyKey === LABEL_HOSTNAME ? undefined : new Map()));
    this.nodeCounts = constraints.map(() => undefined);
  }

  clone(): StateData {
    return this;
  }
}

/** topologyNormalizingWeight: log(size + 2). */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/** scoreForCount. */
export function scoreForCount(cnt: number, maxSkew: number, tpWeight: number): number {
  return cnt * tpWeight + (maxSkew - 1);
}

/** initPreScoreState + the counting over all nodes of PreScore (kept up to date in `cache`). */
export function calPreScoreState(pod: Pod, constraints: readonly SpreadConstraint[], filteredNodes: readonly NodeInfo[], snapshot: NodeInfoLister, cache: DomainCountsCache, requireAllTopologies: boolean): PreScoreState {
  const s = new PreScoreState(constraints);
  const counts = s.topologyPairToPodCounts;
  /** Per constraint: the domains some candidate node will read in Score. */
  const read = constraints.map(() => new Set<string>());
  for (const nodeInfo of filteredNodes) {
    const labels = nodeInfo.labels;
    if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(labels, constraints)) {
      s.ignoredNodes.add(nodeInfo.name);
      continue;
    }
    for (let i = 0; i < constraints.length; i++) {
      const m = counts[i];
      if (m === undefined) continue;
      const value = labelOf(labels, constraints[i]!.topologyKey);
      if (!m.has(value ?? '')) m.set(value ?? '', 0);
      if (value !== undefined) read[i]!.add(value);
    }
  }
  s.topologyNormalizingWeight = constraints.map((c, i) => topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : counts[i]!.size));
  const required = getRequiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  const keys = requireAllTopologies ? constraints.map((c) => c.topologyKey) : [];
  constraints.forEach((c, i) => {
    const m = counts[i];
    if (m !== undefined && read[i]!.size === 0) return;
    const dc = cache.get(domainQuestionKey(c, keys, pod), snapshot, {
      domainOf: (ni) => {
        if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(ni.labels, constraints)) return undefined;
        const value = labelOf(ni.labels, c.topologyKey);
        if (value === undefined || !matchNodeInclusionPolicies(c, pod, ni.node!, required)) return undefined;
        return value;
      },
      countOf: (ni) => countPodsMatchSelector(ni, c, ns),
      totals: m !== undefined,
    });
    if (m === undefined) s.nodeCounts[i] = dc;
    else for (const value of read[i]!) m.set(value, dc.totals.get(value) ?? 0);
  });
  // Score every candidate now, in one pass, so that Score is a lookup.
  const scores = new Int32Array(snapshot.list().length).fill(-1);
  for (const nodeInfo of filteredNodes) if (nodeInfo.slot >= 0 && nodeInfo.slot < scores.length) scores[nodeInfo.slot] = computeScore(s, pod, nodeInfo);
  s.scoresBySlot = scores;
  return s;
}

/** Score for one node (rounded): the one PreScore computed for a candidate. */
export function scoreNode(s: PreScoreState, pod: Pod, nodeInfo: NodeInfo): number {
  const slot = nodeInfo.slot;
  const known = s.scoresBySlot !== undefined && slot >= 0 && slot < s.scoresBySlot.length ? s.scoresBySlot[slot]! : -1;
  return known >= 0 ? known : computeScore(s, pod, nodeInfo);
}

function computeScore(s: PreScoreState, pod: Pod, nodeInfo: NodeInfo): number {
  if (s.ignoredNodes.size > 0 && s.ignoredNodes.has(nodeInfo.name)) return 0;
  const labels = nodeInfo.labels;
  const ns = pod.metadata?.namespace ?? '';
  let score = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const tpVal = labelOf(labels, c.topologyKey);
    if (tpVal === undefined) continue;
    const m = s.topologyPairToPodCounts[i];
    const cnt = m === undefined ? (s.nodeCounts[i]?.countOn(nodeInfo) ?? countPodsMatchSelector(nodeInfo, c, ns)) : (m.get(tpVal) ?? 0);
    score += scoreForCount(cnt, c.maxSkew, s.topologyNormalizingWeight[i]!);
  }
  return Math.round(score);
}

/** NormalizeScore: invert and scale; ignored nodes get 0. */
export function normalizeScores(s: PreScoreState, nodes: readonly NodeInfo[], scores: Int32Array): void {
  let minScore = Number.MAX_SAFE_INTEGER;
  let maxScore = 0;
  const ignored = new Uint8Array(scores.length);
  const anyIgnored = s.ignoredNodes.size > 0;
  for (let i = 0; i < scores.length; i++) {
    if (anyIgnored && s.ignoredNodes.has(nodes[i]!.name)) {
      ignored[i] = 1;
      continue;
    }
    if (scores[i]! < minScore) minScore = scores[i]!;
    if (scores[i]! > maxScore) maxScore = scores[i]!;
  }
  for (let i = 0; i < scores.length; i++) {
    if (ignored[i]) {
      scores[i] = 0;
      continue;
    }
    if (maxScore === 0) {
      scores[i] = MAX_NODE_SCORE;
      continue;
    }
    scores[i] = Math.trunc((MAX_NODE_SCORE * (maxScore + minScore - scores[i]!)) / maxScore);
  }
}
