/**
 * Which pods a controller deletes first — controller_utils.go's ActivePods and ActivePodsWithRanks
 * (with the PodDeletionCost and LogarithmicScaleDown features on, as in 1.32): unscheduled before
 * scheduled, Pending before Unknown before Running, not-ready before ready, lower
 * `controller.kubernetes.io/pod-deletion-cost` first, pods doubled up on a node (higher rank) first,
 * ready for less time first, more restarts first, newer first — times compared in log2 buckets of their
 * age, ties broken by UID so scale-down does not always pick the very newest pod.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { getPodCondition, isPodActive, isPodReady, maxContainerRestarts } from '../api/pod/podutil.ts';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const raw = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (raw === undefined) return 0;
  const n = Number(raw);
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function time(value: string | undefined): number {
  return value ? Date.parse(value) : 0;
}

function podReadyTime(pod: Pod): number {
  const c = getPodCondition(pod, 'Ready');
  return c?.status === 'True' ? time(c.lastTransitionTime) : 0;
}

/** t1 is zero, or later than t2 (afterOrZero). */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** Difference of the log2 buckets of two ages in nanoseconds (logarithmicRankDiff). */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const d1 = (now - t1) * 1e6;
  const d2 = (now - t2) * 1e6;
  const r1 = d1 > 0 ? Math.floor(Math.log2(d1)) : -1;
  const r2 = d2 > 0 ? Math.floor(Math.log2(d2)) : -1;
  return r1 - r2;
}

function compareTimes(a: Pod, b: Pod, ta: number, tb: number, now: number): boolean {
  if (now === 0 || ta === 0 || tb === 0) return afterOrZero(ta, tb);
  const diff = logarithmicRankDiff(ta, tb, now);
  if (diff === 0) return (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '');
  return diff < 0;
}

/** ActivePodsWithRanks.Less: whether pod a should be deleted before pod b. */
export function deletesBefore(a: Pod, rankA: number, b: Pod, rankB: number, now: number): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb;
  if (rankA !== rankB) return rankA > rankB;
  if (ra && rb) {
    const ta = podReadyTime(a);
    const tb = podReadyTime(b);
    if (ta !== tb) return compareTimes(a, b, ta, tb, now);
  }
  const xa = maxContainerRestarts(a);
  const xb = maxContainerRestarts(b);
  if (xa.regular !== xb.regular) return xa.regular > xb.regular;
  if (xa.sidecar !== xb.sidecar) return xa.sidecar > xb.sidecar;
  const cta = time(a.metadata?.creationTimestamp);
  const ctb = time(b.metadata?.creationTimestamp);
  if (cta !== ctb) return compareTimes(a, b, cta, ctb, now);
  return false;
}

/** Pods sorted so the first are the ones to delete first; `ranks[i]` belongs to `pods[i]` (default 0). */
export function sortForDeletion<P extends Pod>(pods: readonly P[], now: number, ranks?: readonly number[]): P[] {
  const ranked = pods.map((pod, i) => ({ pod, rank: ranks?.[i] ?? 0 }));
  ranked.sort((x, y) => (deletesBefore(x.pod, x.rank, y.pod, y.rank, now) ? -1 : deletesBefore(y.pod, y.rank, x.pod, x.rank, now) ? 1 : 0));
  return ranked.map((r) => r.pod);
}

/**
 * The `diff` pods to delete (replica_set.go getPodsToDelete): ranked by how many active related pods
 * (of the same Deployment's ReplicaSets) share their node, then by deletesBefore.
 */
export function getPodsToDelete<P extends Pod>(filteredPods: readonly P[], relatedPods: readonly Pod[], diff: number, now: number): P[] {
  if (diff >= filteredPods.length) return filteredPods.slice(0, diff);
  const podsOnNode = new Map<string, number>();
  for (const pod of relatedPods) {
    if (!isPodActive(pod)) continue;
    const node = pod.spec?.nodeName ?? '';
    podsOnNode.set(node, (podsOnNode.get(node) ?? 0) + 1);
  }
  const ranks = filteredPods.map((pod) => podsOnNode.get(pod.spec?.nodeName ?? '') ?? 0);
  return sortForDeletion(filteredPods, now, ranks).slice(0, diff);
}
