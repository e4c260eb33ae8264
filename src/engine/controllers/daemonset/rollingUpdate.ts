/**
 * The DaemonSet rolling update — pkg/controller/daemon/update.go's rollingUpdate, as a plan: which old
 * pods to delete and on which nodes to create new ones, staying within the update strategy's budgets.
 * The controller carries the plan out (syncNodes) and its manage loop creates the replacements.
 *
 * Without surge (maxSurge 0): an old pod that is not available is replaced at once; available old pods
 * are deleted while fewer than maxUnavailable nodes are unavailable (nodes without a pod, with both an
 * old and a new one, or with an unavailable new one count against it).
 * With surge: a new pod is created beside an available old one on up to maxSurge nodes; the old pod is
 * deleted once the new one is available; an unavailable old pod gets its replacement at once. Old pods on
 * nodes the set no longer fits are deleted only as other nodes' pods become available.
 *
 * Nodes are visited in name order (upstream walks a Go map), so the first nodes updated are predictable.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isPodAvailable } from '../../api/pod/podutil.ts';
import { getTemplateGeneration, isPodUpdated, nodeShouldRunDaemonPod, surgeCount, unavailableCount } from './daemonSetUtil.ts';

export interface RollingUpdatePlan {
  podsToDelete: string[];
  nodesToCreate: string[];
}

/**
 * findUpdatedPodsOnNode: the node's one new and one old pod (not being deleted); `ok` false when it has
 * more than one of either (the manage loop prunes those first).
 */
export function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  const generation = getTemplateGeneration(ds);
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * updatedDesiredNodeCounts: maxSurge and maxUnavailable for the nodes that should run the set (at least
 * one unavailable when both come out 0), and an empty entry in `nodeToDaemonPods` for each such node
 * without pods. Mutates `nodeToDaemonPods`.
 */
export function updatedDesiredNodeCounts(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: Map<string, Pod[]>): { maxSurge: number; maxUnavailable: number; desiredNumberScheduled: number } {
  let desiredNumberScheduled = 0;
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, ds).shouldRun) continue;
    desiredNumberScheduled++;
    const name = node.metadata?.name ?? '';
    if (!nodeToDaemonPods.has(name)) nodeToDaemonPods.set(name, []);
  }
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(ds, desiredNumberScheduled);
  } catch (error) {
    throw new Error(`couldn't get unavailable numbers: invalid value for MaxUnavailable: ${(error as Error).message}`, { cause: error });
  }
  try {
    maxSurge = surgeCount(ds, desiredNumberScheduled);
  } catch (error) {
    throw new Error(`couldn't get unavailable numbers: invalid value for MaxSurge: ${(error as Error).message}`, { cause: error });
  }
  if (desiredNumberScheduled > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desiredNumberScheduled };
}

/** The plan for one rolling-update step. `nodeToDaemonPods` is the manage loop's map; it gains empty entries. */
export function planRollingUpdate(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: Map<string, Pod[]>, hash: string, now: number): RollingUpdatePlan {
  const { maxSurge, maxUnavailable, desiredNumberScheduled } = updatedDesiredNodeCounts(ds, nodes, nodeToDaemonPods);
  const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
  const available = (pod: Pod) => isPodAvailable(pod, minReadySeconds, now);
  const entries = [...nodeToDaemonPods].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowedReplacementPods: string[] = [];
    const candidatePodsToDelete: string[] = [];
    for (const [, pods] of entries) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++;
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          allowedReplacementPods.push(oldPod.metadata?.name ?? '');
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) {
          candidatePodsToDelete.push(oldPod.metadata?.name ?? '');
        }
      }
    }
    const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidatePodsToDelete.length);
    return { podsToDelete: [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remaining)], nodesToCreate: [] };
  }

  const byName = new Map(nodes.map((n) => [n.metadata?.name ?? '', n]));
  const shouldRun = (nodeName: string) => {
    const node = byName.get(nodeName);
    if (!node) throw new Error(`couldn't get node for nodeName "${nodeName}": node "${nodeName}" not found`);
    return nodeShouldRunDaemonPod(node, ds).shouldRun;
  };
  const oldPodsToDelete: string[] = [];
  const shouldNotRunPodsToDelete: string[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of entries) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod && available(newPod)) {
      numAvailable++;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!available(oldPod)) {
        if (!shouldRun(nodeName)) {
          oldPodsToDelete.push(oldPod.metadata?.name ?? '');
          continue;
        }
        allowedNewNodes.push(nodeName);
      } else {
        if (!shouldRun(nodeName)) {
          shouldNotRunPodsToDelete.push(oldPod.metadata?.name ?? '');
          continue;
        }
        if (numSurge >= maxSurge) continue;
        candidateNewNodes.push(nodeName);
      }
      continue;
    }
    if (!available(newPod)) {
      numSurge++;
      continue;
    }
    oldPodsToDelete.push(oldPod.metadata?.name ?? '');
  }
  const deletable = Math.min(numAvailable - desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(maxSurge - numSurge, 0), candidateNewNodes.length);
  return { podsToDelete: oldPodsToDelete, nodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}
