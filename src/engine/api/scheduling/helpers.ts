/**
 * k8s.io/component-helpers/scheduling/corev1 (helpers.go) and the Toleration/Taint methods of k8s.io/api
 * core/v1: a pod's priority, and whether tolerations tolerate taints. The scheduler, the kubelet's
 * admission and the DaemonSet controller all ask these; this is their one home.
 */
import type { Pod, Taint, Toleration } from 'kubernetes-types/core/v1';

/** corev1helpers.PodPriority: spec.priority, or 0 when admission did not set it. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** Toleration.ToleratesTaint: effect and key match (empty matches all), then Equal compares values, Exists does not. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator) {
    case undefined:
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** TolerationsTolerateTaint: some toleration tolerates the taint. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (let i = 0; i < tolerations.length; i++) if (toleratesTaint(tolerations[i]!, taint)) return true;
  return false;
}

/** The taints a pod must tolerate to be scheduled (scheduler helper DoNotScheduleTaintsFilterFunc). */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/**
 * FindMatchingUntoleratedTaint: the first taint, among those `inclusionFilter` keeps, that no toleration
 * tolerates; undefined when every such taint is tolerated.
 */
export function findMatchingUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, inclusionFilter: (taint: Taint) => boolean): Taint | undefined {
  if (!taints) return undefined;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (!inclusionFilter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
