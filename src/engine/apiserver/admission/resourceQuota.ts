/**
 * ResourceQuota (plugin/pkg/admission/resourcequota): a create in a namespace with quotas is refused when
 * it would take the namespace's usage of a constrained resource past a quota's hard limit —
 * `exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1` —
 * or when a quota constrains pods' compute resources and a container does not say how much it needs
 * (`failed quota: compute: must specify limits.cpu for: nginx`).
 *
 * Usage is derived from the objects the namespace holds now (the apiserver's cache) by the quota
 * evaluators (api/quota/usage.ts) the resourcequota controller also uses to write status.used. Object counts
 * (`pods`, `services`, `count/deployments.apps`…), services.nodeports/loadbalancers and the pod compute
 * resources (requests.*, limits.*, and bare cpu/memory meaning requests) are evaluated; scopes and
 * scope selectors are left out.
 */
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1';
import { errors } from '../../api/errors.ts';
import { newQuantity, parseQuantity, type Quantity } from '../../api/resource/quantity.ts';
import { COMPUTE_QUOTA_RESOURCES as COMPUTE, quotaUsageOf as usageOf } from '../../api/quota/usage.ts';
import type { AdmissionLookup, Attributes, ValidatingPlugin } from './admission.ts';

export class ResourceQuotaAdmission implements ValidatingPlugin {
  readonly name = 'ResourceQuota';

  validate(a: Attributes, lookup: AdmissionLookup): void {
    if (a.operation !== 'CREATE' || !a.namespace || !a.object || a.subresource !== '') return;
    const quotas = (lookup.list('', 'resourcequotas', a.namespace) as ResourceQuota[]).sort((x, y) => (x.metadata!.name! < y.metadata!.name! ? -1 : 1));
    if (quotas.length === 0) return;
    const requested = usageOf(a.resource, a.object);
    for (const quota of quotas) {
      const hard = quota.spec?.hard ?? {};
      const constrained = Object.keys(hard);
      if (a.resource.group === '' && a.resource.resource === 'pods') this.requireCompute(quota, constrained, a.object as Pod);
      const relevant = constrained.filter((r) => requested.has(r)).sort();
      if (relevant.length === 0) continue;
      const used = this.usedIn(lookup, a.namespace, a.resource, relevant);
      const exceeded = relevant.filter((r) => used.get(r)!.add(requested.get(r)!).cmp(parseQuantity(String(hard[r]))) > 0);
      if (exceeded.length === 0) continue;
      const list = (f: (r: string) => string) => exceeded.map((r) => `${r}=${f(r)}`).join(',');
      throw errors.forbidden(
        a.resource,
        a.name,
        `exceeded quota: ${quota.metadata!.name}, requested: ${list((r) => requested.get(r)!.toString())}, used: ${list((r) => used.get(r)!.toString())}, limited: ${list((r) => String(hard[r]))}`,
      );
    }
  }

  /** A quota on pod compute resources needs every container to state them. */
  private requireCompute(quota: ResourceQuota, constrained: string[], pod: Pod): void {
    const missing: string[] = [];
    for (const r of COMPUTE.filter((c) => constrained.includes(c)).sort()) {
      const [kind, name] = r.includes('.') ? (r.split('.') as ['requests' | 'limits', string]) : (['requests', r] as const);
      const without = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].filter((c) => c.resources?.[kind]?.[name] === undefined).map((c) => c.name);
      if (without.length) missing.push(`${r} for: ${without.join(',')}`);
    }
    if (missing.length) throw errors.forbidden({ group: '', resource: 'pods' }, pod.metadata?.name ?? '', `failed quota: ${quota.metadata!.name}: must specify ${missing.join('; ')}`);
  }

  private usedIn(lookup: AdmissionLookup, namespace: string, resource: { group: string; resource: string }, resources: string[]): Map<string, Quantity> {
    const used = new Map<string, Quantity>();
    for (const object of lookup.list(resource.group, resource.resource, namespace)) {
      for (const [r, q] of usageOf(resource, object)) {
        if (!resources.includes(r)) continue;
        const before = used.get(r);
        used.set(r, before ? before.add(q) : q);
      }
    }
    // Nothing used yet reads as 0 in the format of what is requested (0 for counts and cpu, 0 for memory).
    for (const r of resources) if (!used.has(r)) used.set(r, newQuantity(0, 'DecimalSI'));
    return used;
  }
}
