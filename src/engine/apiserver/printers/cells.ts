/**
 * Cell formatting shared by several printers — the helpers at the foot of upstream's
 * pkg/printers/internalversion/printers.go (layoutContainerCells, printBoolPtr, listWithMoreString,
 * the load-balancer status stringer), helper.GetAccessModesAsString and
 * resource.Quantity's String() as the printers call them.
 *
 * Contract: each function returns exactly the text upstream's helper returns for the same input,
 * including its placeholders (`<none>`, `<unset>`, `<nil>`).
 */
import type { Container, LoadBalancerIngress } from 'kubernetes-types/core/v1';
import { parseQuantity } from '../../api/resource/quantity.ts';

/** layoutContainerCells: the containers' names and images, each joined by commas. */
export function layoutContainerCells(containers: readonly Container[] | null | undefined): [names: string, images: string] {
  let names = '';
  let images = '';
  if (containers) {
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i]!;
      if (i > 0) {
        names += ',';
        images += ',';
      }
      names += c.name ?? '';
      images += c.image ?? '';
    }
  }
  return [names, images];
}

/** printBoolPtr: `True`, `False`, or `<unset>` for a nil pointer. */
export function printBoolPtr(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return '<unset>';
  return value ? 'True' : 'False';
}

/** listWithMoreString: the first `max` items, then ` + N more...`; `<unset>` for an empty list. */
export function listWithMore(list: readonly string[], more: boolean, count: number, max: number): string {
  const joined = list.join(',');
  if (more) return `${joined} + ${count - max} more...`;
  return joined === '' ? '<unset>' : joined;
}

/**
 * Quantity.String() of a stored quantity: its canonical form (`1536Mi` for `1.5Gi`). A missing quantity
 * read from a map is the zero Quantity (`0`); a nil *Quantity prints `<nil>` (pass `nilText`).
 */
export function quantityString(value: string | number | null | undefined, nilText = '0'): string {
  if (value === undefined || value === null) return nilText;
  const text = String(value);
  try {
    return parseQuantity(text.trim()).toString();
  } catch {
    // The registry validates quantities on write; a stored one that does not parse prints as stored.
    return text;
  }
}

/** helper.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, duplicates dropped. */
export function accessModesString(modes: readonly string[] | null | undefined): string {
  if (!modes || modes.length === 0) return '';
  const out: string[] = [];
  if (modes.includes('ReadWriteOnce')) out.push('RWO');
  if (modes.includes('ReadOnlyMany')) out.push('ROX');
  if (modes.includes('ReadWriteMany')) out.push('RWX');
  if (modes.includes('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/**
 * loadBalancerStatusStringer (Service and Ingress): the ingress points' IPs, else hostnames, sorted and
 * de-duplicated, joined by commas. The apiserver prints wide, so the text is never clipped.
 */
export function loadBalancerIngress(ingress: readonly LoadBalancerIngress[] | null | undefined): string {
  if (!ingress || ingress.length === 0) return '';
  const set = new Set<string>();
  for (const point of ingress) {
    if (point.ip) set.add(point.ip);
    else if (point.hostname) set.add(point.hostname);
  }
  return [...set].sort().join(',');
}

/** Go's fmt of an int32/int64 field that may be absent (the zero value). */
export function int(value: number | null | undefined): number {
  return value ?? 0;
}
