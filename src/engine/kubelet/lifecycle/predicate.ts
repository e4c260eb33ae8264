/**
 * The kubelet's admission of a pod bound to its node (pkg/kubelet/lifecycle/predicate.go,
 * GeneralPredicates' resource fit): the pod's requests (resourcehelper.PodRequests, as the scheduler
 * counts them, without its defaults for missing requests) added to those of the pods already admitted
 * must fit the node's allocatable. The first shortfall rejects the pod: reason `OutOf<resource>`, message
 * `Node didn't have enough resource: <r>, requested: <n>, used: <n>, capacity: <n>` (millicores for cpu,
 * bytes otherwise); the kubelet then records the event and fails the pod with
 * `Pod was rejected: <message>`.
 *
 * Left out: the node name, host port, node affinity and NoExecute taint predicates, sysctls and
 * AppArmor admission, the eviction manager's admission under pressure.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { podRequestAmounts } from '../../scheduler/framework/resource.ts';
import type { NodeResources } from '../nodestatus/nodeStatus.ts';

/** A rejection: the Event's reason and message. */
export interface AdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

/** canAdmitPod for the resource predicate: `pod` against `admitted` on a node with `allocatable`. */
export function canAdmitPod(pod: Pod, admitted: readonly Pod[], allocatable: NodeResources): AdmitResult {
  if (admitted.length + 1 > allocatable.pods) return insufficient('pods', 1, admitted.length, allocatable.pods);
  const wanted = podRequestAmounts(pod);
  const used = new Map<string, number>();
  for (const p of admitted) for (const [k, v] of podRequestAmounts(p)) used.set(k, (used.get(k) ?? 0) + v);
  const capacity: Record<string, number> = { cpu: allocatable.cpuMilli, memory: allocatable.memoryBytes, 'ephemeral-storage': allocatable.ephemeralStorageBytes };
  for (const name of ['cpu', 'memory', 'ephemeral-storage', ...[...wanted.keys()].filter((k) => !(k in capacity)).sort()]) {
    const request = wanted.get(name) ?? 0;
    if (request === 0) continue;
    const have = capacity[name] ?? 0;
    const inUse = used.get(name) ?? 0;
    if (request + inUse > have) return insufficient(name, request, inUse, have);
  }
  return { admit: true };
}

function insufficient(resource: string, requested: number, used: number, capacity: number): AdmitResult {
  return { admit: false, reason: `OutOf${resource}`, message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}` };
}
