/**
 * What PodTopologySpread's filtering and scoring share (common.go): a pod's spread constraints as the
 * plugin uses them (selector merged with matchLabelKeys, minDomains defaulting to 1, nodeAffinityPolicy
 * Honor and nodeTaintsPolicy Ignore by default), the default constraints for pods that set none, and
 * the count of matching pods on a node.
 */
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1';
import { labelSelectorAsSelector, newRequirement, type Selector } from '../../../api/labels/selector.ts';
import { findMatchingUntoleratedTaint, isDoNotScheduleTaint } from '../../../api/scheduling/helpers.ts';
import type { RequiredNodeAffinity } from '../../../api/scheduling/nodeAffinity.ts';
import type { SchedulerListers } from '../../framework/listers.ts';
import { memoKey, type NodeInfo } from '../../framework/types.ts';
import { defaultSelector } from '../helper/spread.ts';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';

/** The system default constraints (DefaultingType System). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/** topologySpreadConstraint. */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  /** The memo key of the per-node match counts (selector and namespace). */
  countKey: number;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

function withCountKey(c: Omit<SpreadConstraint, 'countKey'>, namespace: string): SpreadConstraint {
  return { ...c, countKey: memoKey(`spread ${namespace} ${c.selector.toString()}`) };
}

/** filterTopologySpreadConstraints: the constraints with `action` as whenUnsatisfiable. */
export function filterTopologySpreadConstraints(constraints: readonly TopologySpreadConstraint[], pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const out: SpreadConstraint[] = [];
  const podLabels = pod.metadata?.labels ?? {};
  for (const c of constraints) {
    if (c.whenUnsatisfiable !== action) continue;
    let selector = labelSelectorAsSelector(c.labelSelector);
    const keys = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(podLabels, k));
    if (keys.length > 0) selector = selector.add(...keys.map((k) => newRequirement(k, 'in', [podLabels[k]!])));
    out.push(
      withCountKey(
        {
          maxSkew: c.maxSkew,
          topologyKey: c.topologyKey,
          selector,
          minDomains: c.minDomains ?? 1,
          nodeAffinityPolicy: (c.nodeAffinityPolicy as 'Honor' | 'Ignore' | undefined) ?? 'Honor',
          nodeTaintsPolicy: (c.nodeTaintsPolicy as 'Honor' | 'Ignore' | undefined) ?? 'Ignore',
        },
        pod.metadata?.namespace ?? '',
      ),
    );
  }
  return out;
}

/** buildDefaultConstraints: the profile's defaults, selecting by DefaultSelector (none if it is empty). */
export function buildDefaultConstraints(defaults: readonly TopologySpreadConstraint[], pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway', listers: SchedulerListers): SpreadConstraint[] {
  const constraints = filterTopologySpreadConstraints(defaults, pod, action);
  if (constraints.length === 0) return [];
  const selector = defaultSelector(pod, listers);
  if (selector.empty()) return [];
  return constraints.map((c) => withCountKey({ ...c, selector }, pod.metadata?.namespace ?? ''));
}

/** nodeLabelsMatchSpreadConstraints: the node has every constraint's topology key. */
export function nodeLabelsMatchSpreadConstraints(labels: Readonly<Record<string, string>> | undefined, constraints: readonly SpreadConstraint[]): boolean {
  if (!labels) return constraints.length === 0;
  for (const c of constraints) if (!Object.hasOwn(labels, c.topologyKey)) return false;
  return true;
}

/** matchNodeInclusionPolicies. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: Pod, node: Node, required: RequiredNodeAffinity): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !required.match(node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint)) return false;
  return true;
}

/** countPodsMatchSelector over a node's pods: same namespace, not terminating, labels matching (remembered per NodeInfo). */
export function countPodsMatchSelector(nodeInfo: NodeInfo, c: SpreadConstraint, namespace: string): number {
  if (c.selector.empty()) return 0;
  const known = nodeInfo.memoGet(c.countKey);
  if (known !== undefined) return known;
  let n = 0;
  for (const pi of nodeInfo.pods) {
    const p = pi.pod;
    if (p.metadata?.deletionTimestamp || p.metadata?.namespace !== namespace) continue;
    if (c.selector.matches(p.metadata?.labels)) n++;
  }
  nodeInfo.memoSet(c.countKey, n);
  return n;
}

/**
 * The key of a DomainCounts question: what is counted (selector and namespace), by which topology key,
 * and which nodes count (the keys every node must have; the pod's node affinity and tolerations when the
 * constraint's inclusion policies honor them).
 */
export function domainQuestionKey(c: SpreadConstraint, requiredKeys: readonly string[], pod: Pod): string {
  const affinity = c.nodeAffinityPolicy === 'Honor' ? JSON.stringify([pod.spec?.nodeSelector ?? null, pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null]) : '';
  const taints = c.nodeTaintsPolicy === 'Honor' ? JSON.stringify(pod.spec?.tolerations ?? []) : '';
  return `${c.countKey}|${c.topologyKey}|${requiredKeys.join(',')}|${affinity}|${taints}`;
}
