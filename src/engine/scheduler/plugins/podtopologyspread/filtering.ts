/**
 * PodTopologySpread's Filter (filtering.go): for each DoNotSchedule constraint, the skew of placing the
 * pod in the node's domain — pods matching the selector in that domain, plus one if the pod matches its
 * own selector, minus the fewest in any domain (0 while fewer domains than minDomains exist) — must not
 * exceed maxSkew. Domains are counted over the nodes that have every constraint's topology key and pass
 * the constraint's node inclusion policies.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { getRequiredNodeAffinity } from '../../../api/scheduling/nodeAffinity.ts';
import type { StateData } from '../../framework/cycleState.ts';
import { labelOf, type NodeInfoLister } from '../../framework/interface.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import { countPodsMatchSelector, domainQuestionKey, matchNodeInclusionPolicies, nodeLabelsMatchSpreadConstraints, type SpreadConstraint } from './common.ts';
import type { DomainCountsCache } from './domainCounts.ts';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const MAX_INT32 = 2147483647;

/** criticalPaths: the two domains with the fewest matching pods, fewest first. */
export class CriticalPaths {
  value0 = '';
  num0 = MAX_INT32;
  value1 = '';
  num1 = MAX_INT32;

  update(value: string, num: number): void {
    let i = -1;
    if (value === this.value0) i = 0;
    else if (value === this.value1) i = 1;
    if (i >= 0) {
      if (i === 0) this.num0 = num;
      else this.num1 = num;
      if (this.num0 > this.num1) this.swap();
    } else if (num < this.num0) {
      this.value1 = this.value0;
      this.num1 = this.num0;
      this.value0 = value;
      this.num0 = num;
    } else if (num < this.num1) {
      this.value1 = value;
      this.num1 = num;
    }
  }

  private swap(): void {
    [this.value0, this.value1] = [this.value1, this.value0];
    [this.num0, this.num1] = [this.num1, this.num0];
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.value0 = this.value0;
    c.num0 = this.num0;
    c.value1 = this.value1;
    c.num1 = this.num1;
    return c;
  }
}

export class PreFilterState implements StateData {
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly criticalPaths: CriticalPaths[],
    /** Per constraint: topology value → matching pods in that domain. */
    readonly tpValueToMatchNum: Array<Map<string, number>>,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.criticalPaths.map((p) => p.clone()),
      this.tpValueToMatchNum.map((m) => new Map(m)),
    );
  }

  /** minMatchNum: the global minimum, 0 while the domains are fewer than minDomains. */
  minMatchNum(i: number, minDomains: number): number {
    const domains = this.tpValueToMatchNum[i]!.size;
    return domains < minDomains ? 0 : this.criticalPaths[i]!.num0;
  }

  /** updateWithPod: a pod was added (delta 1) or removed (-1) on `node`. */
  updateWithPod(pi: PodInfo, preemptor: Pod, node: Node | undefined, delta: number): void {
    if (!node || pi.namespace !== (preemptor.metadata?.namespace ?? '')) return;
    if (!nodeLabelsMatchSpreadConstraints(node.metadata?.labels, this.constraints)) return;
    const required = getRequiredNodeAffinity(preemptor);
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(pi.pod.metadata?.labels)) return;
      if (!matchNodeInclusionPolicies(c, preemptor, node, required)) return;
      const v = node.metadata?.labels?.[c.topologyKey] ?? '';
      const m = this.tpValueToMatchNum[i]!;
      const n = (m.get(v) ?? 0) + delta;
      m.set(v, n);
      this.criticalPaths[i]!.update(v, n);
    });
  }
}

/** calPreFilterState: count matching pods per domain over all nodes (kept up to date in `cache`). */
export function calPreFilterState(pod: Pod, constraints: readonly SpreadConstraint[], snapshot: NodeInfoLister, cache: DomainCountsCache): PreFilterState {
  const required = getRequiredNodeAffinity(pod);
  const ns = pod.metadata?.namespace ?? '';
  const keys = constraints.map((c) => c.topologyKey);
  const tpValueToMatchNum = constraints.map((c) => {
    const dc = cache.get(domainQuestionKey(c, keys, pod), snapshot, {
      domainOf: (ni) => {
        if (!nodeLabelsMatchSpreadConstraints(ni.labels, constraints)) return undefined;
        if (!matchNodeInclusionPolicies(c, pod, ni.node!, required)) return undefined;
        return ni.labels![c.topologyKey]!;
      },
      countOf: (ni) => countPodsMatchSelector(ni, c, ns),
      totals: true,
    });
    return new Map(dc.totals);
  });
  const paths = tpValueToMatchNum.map((m) => {
    const p = new CriticalPaths();
    for (const [v, n] of m) p.update(v, n);
    return p;
  });
  return new PreFilterState(constraints, paths, tpValueToMatchNum);
}

/** The Filter verdict for one node: undefined (fits), or the reason and whether it is unresolvable. */
export function filterNode(s: PreFilterState, pod: Pod, nodeInfo: NodeInfo): { reason: string; unresolvable: boolean } | undefined {
  const labels = nodeInfo.labels;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const tpVal = labelOf(labels, c.topologyKey);
    if (tpVal === undefined) return { reason: ERR_REASON_NODE_LABEL_NOT_MATCH, unresolvable: true };
    const minMatchNum = s.minMatchNum(i, c.minDomains);
    const selfMatchNum = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
    const matchNum = s.tpValueToMatchNum[i]!.get(tpVal) ?? 0;
    const skew = matchNum + selfMatchNum - minMatchNum;
    if (skew > c.maxSkew) return { reason: ERR_REASON_CONSTRAINTS_NOT_MATCH, unresolvable: false };
  }
  return undefined;
}
