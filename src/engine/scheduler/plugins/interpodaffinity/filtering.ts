/**
 * InterPodAffinity's Filter (filtering.go): counts per topology pair (key=value) of
 * - existing pods whose required anti-affinity the incoming pod matches (the node must share no such pair);
 * - existing pods matching all of the incoming pod's required affinity terms (the node's domain must have
 *   some — unless no pod matches anywhere and the pod matches its own terms: the first of a group);
 * - existing pods matching the incoming pod's required anti-affinity terms (the node's domain must have none).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { StateData } from '../../framework/cycleState.ts';
import { labelOf } from '../../framework/interface.ts';
import { memoKey, type AffinityTerm, type NodeInfo, type PodInfo } from '../../framework/types.ts';

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

/** topologyToMatchedTermCount, keyed "key\0value". */
export class TopologyCounts {
  readonly counts = new Map<string, number>();

  static pair(key: string, value: string): string {
    return `${key}\0${value}`;
  }

  get size(): number {
    return this.counts.size;
  }

  get(key: string, value: string): number {
    return this.counts.get(TopologyCounts.pair(key, value)) ?? 0;
  }

  /** update: add `value` to the node's pair for topology key `tk` (if the node has it); drop zeros. */
  update(node: Node, tk: string, value: number): void {
    const tv = labelOf(node.metadata?.labels, tk);
    if (tv === undefined || value === 0) return;
    const k = TopologyCounts.pair(tk, tv);
    const n = (this.counts.get(k) ?? 0) + value;
    if (n === 0) this.counts.delete(k);
    else this.counts.set(k, n);
  }

  /** updateWithAffinityTerms: a pod matching all the terms counts for each term's key. */
  updateWithAffinityTerms(terms: readonly AffinityTerm[], pod: Pod, node: Node, value: number): void {
    if (podMatchesAllAffinityTerms(terms, pod)) for (const t of terms) this.update(node, t.topologyKey, value);
  }

  /** updateWithAntiAffinityTerms: each term the pod matches counts for its key. */
  updateWithAntiAffinityTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined, node: Node, value: number): void {
    for (const t of terms) if (t.matches(pod, nsLabels)) this.update(node, t.topologyKey, value);
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [k, v] of this.counts) c.counts.set(k, v);
    return c;
  }
}

/** podMatchesAllAffinityTerms: false for no terms. */
export function podMatchesAllAffinityTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!t.matches(pod, undefined)) return false;
  return true;
}

/** A stable text for a term with its namespaces resolved, to key per-node counts. */
export function termKey(t: AffinityTerm): string {
  return `${[...t.namespaces].sort().join(',')}|${t.namespaceSelector.empty() ? '*' : ''}|${t.topologyKey}|${t.selector.toString()}`;
}

export class PreFilterState implements StateData {
  constructor(
    readonly podInfo: PodInfo,
    /** The incoming pod's required terms with namespaceSelectors resolved to namespaces. */
    readonly requiredAffinityTerms: readonly AffinityTerm[],
    readonly requiredAntiAffinityTerms: readonly AffinityTerm[],
    readonly namespaceLabels: Readonly<Record<string, string>> | undefined,
    readonly existingAntiAffinityCounts: TopologyCounts,
    readonly affinityCounts: TopologyCounts,
    readonly antiAffinityCounts: TopologyCounts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.podInfo,
      this.requiredAffinityTerms,
      this.requiredAntiAffinityTerms,
      this.namespaceLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /** updateWithPod: a pod was added (1) or removed (-1) on `node`. */
  updateWithPod(pi: PodInfo, node: Node, multiplier: number): void {
    this.existingAntiAffinityCounts.updateWithAntiAffinityTerms(pi.requiredAntiAffinityTerms, this.podInfo.pod, this.namespaceLabels, node, multiplier);
    this.affinityCounts.updateWithAffinityTerms(this.requiredAffinityTerms, pi.pod, node, multiplier);
    this.antiAffinityCounts.updateWithAntiAffinityTerms(this.requiredAntiAffinityTerms, pi.pod, undefined, node, multiplier);
  }
}

/** getExistingAntiAffinityCounts over the nodes that have pods with required anti-affinity. */
export function existingAntiAffinityCounts(pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined, nodes: readonly NodeInfo[]): TopologyCounts {
  const counts = new TopologyCounts();
  for (const nodeInfo of nodes) {
    const node = nodeInfo.node!;
    for (const existing of nodeInfo.podsWithRequiredAntiAffinity) counts.updateWithAntiAffinityTerms(existing.requiredAntiAffinityTerms, pod, nsLabels, node, 1);
  }
  return counts;
}

/** getIncomingAffinityAntiAffinityCounts over all nodes (per-node counts remembered on the NodeInfo). */
export function incomingAffinityAntiAffinityCounts(affinityTerms: readonly AffinityTerm[], antiAffinityTerms: readonly AffinityTerm[], nodes: readonly NodeInfo[]): { affinity: TopologyCounts; antiAffinity: TopologyCounts } {
  const affinity = new TopologyCounts();
  const antiAffinity = new TopologyCounts();
  if (affinityTerms.length === 0 && antiAffinityTerms.length === 0) return { affinity, antiAffinity };
  const affinityKey = memoKey(`ipa-all ${affinityTerms.map(termKey).join(';')}`);
  const antiKeys = antiAffinityTerms.map((t) => memoKey(`ipa-any ${termKey(t)}`));
  for (const nodeInfo of nodes) {
    const node = nodeInfo.node!;
    if (affinityTerms.length > 0) {
      let n = nodeInfo.memoGet(affinityKey);
      if (n === undefined) {
        n = 0;
        for (const pi of nodeInfo.pods) if (podMatchesAllAffinityTerms(affinityTerms, pi.pod)) n++;
        nodeInfo.memoSet(affinityKey, n);
      }
      if (n > 0) for (const t of affinityTerms) affinity.update(node, t.topologyKey, n);
    }
    antiAffinityTerms.forEach((t, i) => {
      let n = nodeInfo.memoGet(antiKeys[i]!);
      if (n === undefined) {
        n = 0;
        for (const pi of nodeInfo.pods) if (t.matches(pi.pod, undefined)) n++;
        nodeInfo.memoSet(antiKeys[i]!, n);
      }
      if (n > 0) antiAffinity.update(node, t.topologyKey, n);
    });
  }
  return { affinity, antiAffinity };
}

/** satisfyPodAffinity. */
export function satisfyPodAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  let podsExist = true;
  const labels = nodeInfo.labels;
  for (const term of s.requiredAffinityTerms) {
    const tv = labelOf(labels, term.topologyKey);
    if (tv === undefined) return false;
    if (s.affinityCounts.get(term.topologyKey, tv) <= 0) podsExist = false;
  }
  if (!podsExist) {
    // The first pod of a group with affinity to itself: allowed when no pod anywhere matches yet.
    return s.affinityCounts.size === 0 && podMatchesAllAffinityTerms(s.requiredAffinityTerms, s.podInfo.pod);
  }
  return true;
}

/** satisfyPodAntiAffinity. */
export function satisfyPodAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  const labels = nodeInfo.labels;
  for (const term of s.requiredAntiAffinityTerms) {
    const tv = labelOf(labels, term.topologyKey);
    if (tv !== undefined && s.antiAffinityCounts.get(term.topologyKey, tv) > 0) return false;
  }
  return true;
}

/** satisfyExistingPodsAntiAffinity. */
export function satisfyExistingPodsAntiAffinity(s: PreFilterState, nodeInfo: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  const labels = nodeInfo.labels ?? {};
  for (const key of Object.keys(labels)) if (s.existingAntiAffinityCounts.get(key, labels[key]!) > 0) return false;
  return true;
}
