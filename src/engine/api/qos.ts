/**
 * A pod's QoS class (pkg/apis/core/helper/qos.GetPodQOS): Guaranteed when every container (init
 * containers included) sets CPU and memory limits and its requests equal them; BestEffort when no container
 * sets any request or limit for CPU or memory; Burstable otherwise. Only cpu and memory count.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { parseQuantity } from './resource/quantity.ts';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const COMPUTE = ['cpu', 'memory'] as const;

export function podQOSClass(pod: Pod): QOSClass {
  const spec = pod.spec;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const r of COMPUTE) {
      const req = requests[r];
      const lim = limits[r];
      if ((req !== undefined && !parseQuantity(String(req)).isZero()) || (lim !== undefined && !parseQuantity(String(lim)).isZero())) anySet = true;
      if (lim === undefined) guaranteed = false;
      else if (req !== undefined && parseQuantity(String(req)).cmp(parseQuantity(String(lim))) !== 0) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
