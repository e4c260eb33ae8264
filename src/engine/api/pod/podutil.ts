/**
 * Pod helpers every component shares — k8s.io/kubernetes/pkg/api/v1/pod/util.go (podutil) and the pod
 * predicates of pkg/controller/controller_utils.go: conditions, readiness, availability, activity.
 * One home: controllers, the scheduler, kubelets and printers ask these, never re-derive them.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';

export function getPodCondition(pod: Pod, type: string): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** The pod's Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return getPodCondition(pod, 'Ready')?.status === 'True';
}

/**
 * Ready for at least `minReadySeconds` by `nowMs` (podutil.IsPodAvailable): a pod that has been ready
 * since lastTransitionTime counts once that time plus minReadySeconds has passed.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, nowMs: number): boolean {
  const ready = getPodCondition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (minReadySeconds === 0) return true;
  const since = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return !Number.isNaN(since) && since + minReadySeconds * 1000 <= nowMs;
}

/** Not finished and not being deleted (controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

/** Succeeded or Failed. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Being deleted and not finished (controller.FilterTerminatingPods / CountTerminatingPods). */
export function isPodTerminating(pod: Pod): boolean {
  return !isPodTerminal(pod) && Boolean(pod.metadata?.deletionTimestamp);
}

/**
 * The highest restart count of the pod's regular containers, and of its sidecars (restartable init
 * containers), as controller_utils' maxContainerRestarts ranks pods for deletion.
 */
export function maxContainerRestarts(pod: Pod): { regular: number; sidecar: number } {
  let regular = 0;
  let sidecar = 0;
  for (const s of pod.status?.containerStatuses ?? []) regular = Math.max(regular, s.restartCount ?? 0);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const s of pod.status?.initContainerStatuses ?? []) if (sidecars.has(s.name)) sidecar = Math.max(sidecar, s.restartCount ?? 0);
  return { regular, sidecar };
}

/**
 * Set (or replace) a condition on a status, keeping lastTransitionTime when the status did not change
 * (podutil.UpdatePodCondition). Returns whether anything changed. Mutates `conditions` — call it on a copy.
 */
export function updatePodCondition(status: NonNullable<Pod['status']>, condition: PodCondition): boolean {
  const conditions = (status.conditions ??= []);
  const i = conditions.findIndex((c) => c.type === condition.type);
  if (i < 0) {
    conditions.push(condition);
    return true;
  }
  const old = conditions[i]!;
  const next = { ...condition };
  if (old.status === condition.status) next.lastTransitionTime = old.lastTransitionTime;
  const changed = old.status !== next.status || old.reason !== next.reason || old.message !== next.message || old.lastProbeTime !== next.lastProbeTime || old.lastTransitionTime !== next.lastTransitionTime;
  conditions[i] = next;
  return changed;
}
