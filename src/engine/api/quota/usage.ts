/**
 * Quota evaluators — pkg/quota/v1/evaluator/core: what one object counts toward each ResourceQuota
 * resource name (`pods`, `count/deployments.apps`, `requests.cpu`, `services.nodeports`…). One home for
 * the ResourceQuota admission plugin (which refuses what would exceed a quota) and the resourcequota
 * controller (which writes status.used). Terminal pods count for nothing.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { isPodTerminal } from '../pod/podutil.ts';
import { newQuantity, parseQuantity, type Quantity } from '../resource/quantity.ts';

/** The legacy names of core object counts. */
export const CORE_COUNTS: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
};

export const COMPUTE_QUOTA_RESOURCES = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory'];

/** What one object adds to each quota resource. */
export function quotaUsageOf(resource: { group: string; resource: string }, object: unknown): Map<string, Quantity> {
  const usage = new Map<string, Quantity>();
  const one = newQuantity(1, 'DecimalSI');
  usage.set(`count/${resource.group ? `${resource.resource}.${resource.group}` : resource.resource}`, one);
  if (resource.group === '' && CORE_COUNTS[resource.resource]) usage.set(CORE_COUNTS[resource.resource]!, one);
  if (resource.group === '' && resource.resource === 'pods') {
    const pod = object as Pod;
    if (isPodTerminal(pod)) return new Map();
    for (const [kind, key] of [
      ['requests', 'requests'],
      ['limits', 'limits'],
    ] as const) {
      for (const r of ['cpu', 'memory']) {
        let total: Quantity | undefined;
        for (const c of pod.spec?.containers ?? []) {
          const v = c.resources?.[key]?.[r];
          if (v !== undefined) total = total ? total.add(parseQuantity(String(v))) : parseQuantity(String(v));
        }
        // Init containers run one at a time: the pod needs the larger of their max and the sum.
        for (const c of pod.spec?.initContainers ?? []) {
          const v = c.resources?.[key]?.[r];
          if (v !== undefined && (!total || parseQuantity(String(v)).cmp(total) > 0)) total = parseQuantity(String(v));
        }
        if (total) {
          usage.set(`${kind}.${r}`, total);
          if (kind === 'requests') usage.set(r, total);
        }
      }
    }
  }
  if (resource.group === '' && resource.resource === 'services') {
    const svc = object as Service;
    if (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer') usage.set('services.nodeports', newQuantity(svc.spec.ports?.length ?? 0, 'DecimalSI'));
    if (svc.spec?.type === 'LoadBalancer') usage.set('services.loadbalancers', one);
  }
  return usage;
}
