/**
 * LimitRanger (plugin/pkg/admission/limitranger): the LimitRanges of a pod's namespace fill in the
 * default requests and limits of containers that set none (recording what they set in the
 * `kubernetes.io/limit-ranger` annotation), then refuse a pod whose containers or whole are outside a
 * Container or Pod item's min, max or maxLimitRequestRatio — with upstream's messages, e.g.
 * `maximum cpu usage per Container is 1, but limit is 2`.
 *
 * Left out: PersistentVolumeClaim items (storage requests).
 */
import type { Container, LimitRange, LimitRangeItem, Pod } from 'kubernetes-types/core/v1';
import { errors } from '../../api/errors.ts';
import { parseQuantity, type Quantity } from '../../api/resource/quantity.ts';
import type { AdmissionLookup, Attributes, MutatingPlugin, ValidatingPlugin } from './admission.ts';

type ResourceList = Record<string, string>;
type MutableContainer = Omit<Container, 'resources'> & { resources?: { requests?: ResourceList; limits?: ResourceList } };

function isPodCreateOrUpdate(a: Attributes): boolean {
  return a.resource.group === '' && a.resource.resource === 'pods' && a.subresource === '' && (a.operation === 'CREATE' || a.operation === 'UPDATE') && a.object !== undefined;
}

function itemsOf(lookup: AdmissionLookup, namespace: string, type: string): LimitRangeItem[] {
  return (lookup.list('', 'limitranges', namespace) as LimitRange[]).flatMap((lr) => (lr.spec?.limits ?? []).filter((l) => l.type === type));
}

function quantity(v: unknown): Quantity {
  return parseQuantity(String(v));
}

export class LimitRanger implements MutatingPlugin, ValidatingPlugin {
  readonly name = 'LimitRanger';

  admit(a: Attributes, lookup: AdmissionLookup): void {
    if (!isPodCreateOrUpdate(a) || a.operation !== 'CREATE') return;
    const items = itemsOf(lookup, a.namespace, 'Container');
    if (items.length === 0) return;
    const pod = a.object as Pod;
    const notes: string[] = [];
    const apply = (containers: MutableContainer[] | undefined) => {
      for (const c of containers ?? []) {
        const set = { request: [] as string[], limit: [] as string[] };
        const resources = (c.resources ??= {});
        for (const item of items) {
          for (const [name, value] of Object.entries(item.default ?? {})) {
            if (resources.limits?.[name] === undefined) {
              (resources.limits ??= {})[name] = String(value);
              set.limit.push(name);
            }
          }
          for (const [name, value] of Object.entries(item.defaultRequest ?? {})) {
            if (resources.requests?.[name] === undefined) {
              (resources.requests ??= {})[name] = resources.limits?.[name] !== undefined && !set.limit.includes(name) ? resources.limits[name]! : String(value);
              set.request.push(name);
            }
          }
        }
        if (set.request.length) notes.push(`${set.request.join(', ')} request for container ${c.name}`);
        if (set.limit.length) notes.push(`${set.limit.join(', ')} limit for container ${c.name}`);
      }
    };
    apply(pod.spec?.initContainers as MutableContainer[] | undefined);
    apply(pod.spec?.containers as MutableContainer[] | undefined);
    if (notes.length) {
      const meta = (a.object!.metadata ??= {});
      meta.annotations = { ...meta.annotations, 'kubernetes.io/limit-ranger': `LimitRanger plugin set: ${notes.join('; ')}` };
    }
  }

  validate(a: Attributes, lookup: AdmissionLookup): void {
    if (!isPodCreateOrUpdate(a) || a.operation !== 'CREATE') return;
    const pod = a.object as Pod;
    const problems: string[] = [];
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
    for (const item of itemsOf(lookup, a.namespace, 'Container')) {
      for (const c of containers) check(problems, 'Container', item, c.resources?.requests ?? {}, c.resources?.limits ?? {});
    }
    for (const item of itemsOf(lookup, a.namespace, 'Pod')) {
      const requests: Record<string, Quantity> = {};
      const limits: Record<string, Quantity> = {};
      for (const c of pod.spec?.containers ?? []) {
        for (const [k, v] of Object.entries(c.resources?.requests ?? {})) requests[k] = requests[k] ? requests[k]!.add(quantity(v)) : quantity(v);
        for (const [k, v] of Object.entries(c.resources?.limits ?? {})) limits[k] = limits[k] ? limits[k]!.add(quantity(v)) : quantity(v);
      }
      check(problems, 'Pod', item, mapStrings(requests), mapStrings(limits));
    }
    if (problems.length === 0) return;
    throw errors.forbidden(a.resource, a.name, problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`);
  }
}

function mapStrings(q: Record<string, Quantity>): ResourceList {
  return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, v.toString()]));
}

/** Upstream's minConstraint, maxConstraint and limitRequestRatioConstraint, in that order per resource. */
function check(problems: string[], type: string, item: LimitRangeItem, requests: Record<string, unknown>, limits: Record<string, unknown>): void {
  for (const [name, min] of Object.entries(item.min ?? {})) {
    const req = requests[name];
    const lim = limits[name];
    if (req === undefined) problems.push(`minimum ${name} usage per ${type} is ${String(min)}.  No request is specified`);
    else if (quantity(req).cmp(quantity(min)) < 0) problems.push(`minimum ${name} usage per ${type} is ${String(min)}, but request is ${String(req)}`);
    if (lim !== undefined && quantity(lim).cmp(quantity(min)) < 0) problems.push(`minimum ${name} usage per ${type} is ${String(min)}, but limit is ${String(lim)}`);
  }
  for (const [name, max] of Object.entries(item.max ?? {})) {
    const req = requests[name];
    const lim = limits[name];
    if (lim === undefined) problems.push(`maximum ${name} usage per ${type} is ${String(max)}.  No limit is specified`);
    else if (quantity(lim).cmp(quantity(max)) > 0) problems.push(`maximum ${name} usage per ${type} is ${String(max)}, but limit is ${String(lim)}`);
    if (req !== undefined && quantity(req).cmp(quantity(max)) > 0) problems.push(`maximum ${name} usage per ${type} is ${String(max)}, but request is ${String(req)}`);
  }
  for (const [name, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    const req = requests[name];
    const lim = limits[name];
    if (req === undefined || lim === undefined) {
      problems.push(`${name} max limit to request ratio per ${type} is ${String(ratio)}, but no ${req === undefined ? 'request' : 'limit'} is specified or ${req === undefined ? 'request' : 'limit'} is 0`);
      continue;
    }
    const r = quantity(req).milliValue();
    if (r === 0) continue;
    const actual = quantity(lim).milliValue() / r;
    if (actual > quantity(ratio).asApproximateFloat()) {
      problems.push(`${name} max limit to request ratio per ${type} is ${String(ratio)}, but provided ratio is ${actual.toFixed(6)}`);
    }
  }
}
