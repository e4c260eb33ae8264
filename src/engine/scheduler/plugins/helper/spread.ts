/**
 * DefaultSelector (pkg/scheduler/framework/plugins/helper/spread.go): the selector of the pods a pod
 * "belongs with" — the selectors of the Services that select it, merged, plus the selector of its
 * controlling ReplicaSet or StatefulSet. PodTopologySpread's default constraints spread by it; a pod
 * nothing selects gets an empty selector (no default spreading). ReplicationControllers are not served by
 * the lab, so they are left out.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { everything, labelSelectorAsSelector, selectorFromSet, type Selector } from '../../../api/labels/selector.ts';
import type { SchedulerListers } from '../../framework/listers.ts';

/** GetPodServices: the Services in the pod's namespace whose (non-empty) selector matches it. */
export function podServices(listers: SchedulerListers, pod: Pod): Array<{ selector: Record<string, string> }> {
  const out: Array<{ selector: Record<string, string> }> = [];
  for (const svc of listers.services.byNamespace(pod.metadata?.namespace ?? '').list()) {
    const sel = svc.spec?.selector;
    if (!sel || Object.keys(sel).length === 0) continue;
    if (selectorFromSet(sel).matches(pod.metadata?.labels)) out.push({ selector: sel });
  }
  return out;
}

/** DefaultSelector. */
export function defaultSelector(pod: Pod, listers: SchedulerListers): Selector {
  const labelSet: Record<string, string> = {};
  for (const svc of podServices(listers, pod)) Object.assign(labelSet, svc.selector);
  let selector: Selector = Object.keys(labelSet).length === 0 ? everything() : selectorFromSet(labelSet);
  const owner = pod.metadata?.ownerReferences?.find((r) => r.controller);
  if (!owner) return selector;
  const group = owner.apiVersion.includes('/') ? owner.apiVersion.split('/')[0] : '';
  const ns = pod.metadata?.namespace ?? '';
  let ownerSelector: Parameters<typeof labelSelectorAsSelector>[0] | undefined;
  if (group === 'apps' && owner.kind === 'ReplicaSet') ownerSelector = listers.replicaSets.byNamespace(ns).get(owner.name)?.spec?.selector;
  else if (group === 'apps' && owner.kind === 'StatefulSet') ownerSelector = listers.statefulSets.byNamespace(ns).get(owner.name)?.spec?.selector;
  if (ownerSelector) {
    try {
      const other = labelSelectorAsSelector(ownerSelector);
      selector = selector.add(...other.requirements());
    } catch {
      // An owner selector that does not parse adds nothing (as upstream ignores the error).
    }
  }
  return selector;
}
