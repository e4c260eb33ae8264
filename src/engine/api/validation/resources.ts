/**
 * Resource names and quantities — the resource checks of pkg/apis/core/validation
 * (validateResourceName, validateContainerResourceName, ValidateResourceQuantityValue,
 * ValidateNonnegativeQuantity, ValidatePositiveQuantityValue, ValidateResourceRequirements) and the
 * name predicates of pkg/apis/core/helper.
 *
 * Contract: quantities arrive as JSON strings (or numbers) and are parsed with the shared quantity
 * module; a value that does not parse is reported as `Invalid value` with the parser's text at the
 * field (the real apiserver rejects it while decoding, before validation).
 *
 * Left out: pod-level resources (alpha in 1.32), dynamic resource claims.
 */
import type { ResourceRequirements } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../field/errors.ts';
import type { Path } from '../field/path.ts';
import { parseQuantity, type Quantity } from '../resource/quantity.ts';
import { isQualifiedName } from './formats.ts';
import { GoValue } from './goSyntax.ts';

const isNegativeErrorMsg = 'must be greater than or equal to 0';
const isNotIntegerErrorMsg = 'must be an integer';
const isNotPositiveErrorMsg = 'must be greater than zero';

/** Parses a quantity field; on failure pushes upstream's parse message at the path and returns undefined. */
export function quantityAt(value: unknown, path: Path, errs: FieldError[]): Quantity | undefined {
  const s = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  try {
    return parseQuantity(s);
  } catch (e) {
    errs.push(field.invalid(path, s, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
}

/** A quantity as its String() prints it in a message (unquoted). */
export function goQuantity(q: Quantity): GoValue {
  return new GoValue(q.toString());
}

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const standardResources = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const integerResources = new Set([
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'persistentvolumeclaims',
  'configmaps',
  'services.nodeports',
  'services.loadbalancers',
]);

export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** IsNativeResource: no domain, or a `kubernetes.io/` domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** IsExtendedResourceName: a fully qualified, non-native name that is not a `requests.` quota name. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

export function isStandardResourceName(name: string): boolean {
  return standardResources.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

export function isStandardContainerResourceName(name: string): boolean {
  return standardContainerResources.has(name) || isHugePageResourceName(name);
}

/** IsIntegerResourceName: object counts and extended resources. */
export function isIntegerResourceName(name: string): boolean {
  return integerResources.has(name) || name.startsWith('count/') || isExtendedResourceName(name);
}

/** IsOvercommitAllowed: everything but hugepages and extended resources. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** validateResourceName: a qualified name, and a standard one when it has no domain. */
export function validateResourceName(name: string, path: Path): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) errs.push(field.invalid(path, name, 'must be a standard resource type or fully qualified'));
  return errs;
}

/** validateContainerResourceName. */
export function validateContainerResourceName(name: string, path: Path): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) errs.push(field.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    errs.push(field.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateNonnegativeQuantity. */
export function validateNonnegativeQuantity(q: Quantity, path: Path): FieldError[] {
  return q.sign() < 0 ? [field.invalid(path, q.toString(), isNegativeErrorMsg)] : [];
}

/** ValidatePositiveQuantityValue. */
export function validatePositiveQuantityValue(q: Quantity, path: Path): FieldError[] {
  return q.sign() <= 0 ? [field.invalid(path, q.toString(), isNotPositiveErrorMsg)] : [];
}

/** Whether a quantity has a fractional part (MilliValue() % 1000 != 0). */
function isFractional(q: Quantity): boolean {
  return q.milliValue() % 1000 !== 0;
}

/** ValidateResourceQuantityValue: non-negative, and whole for integer resources. */
export function validateResourceQuantityValue(resource: string, q: Quantity, path: Path): FieldError[] {
  const errs = validateNonnegativeQuantity(q, path);
  if (isIntegerResourceName(resource) && isFractional(q)) errs.push(field.invalid(path, goQuantity(q), isNotIntegerErrorMsg));
  return errs;
}

/** ValidateResourceRequirements for a container's `resources`. */
export function validateResourceRequirements(req: ResourceRequirements | undefined, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!req) return errs;
  const limPath = path.child('limits');
  const reqPath = path.child('requests');
  const limits = new Map<string, Quantity>();
  for (const name in req.limits ?? {}) {
    const p = limPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(req.limits?.[name], p, errs);
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, p));
    limits.set(name, q);
  }
  let limContainsCPUOrMemory = false;
  let reqContainsCPUOrMemory = false;
  let limContainsHugePages = false;
  let reqContainsHugePages = false;
  for (const name of limits.keys()) {
    if (name === 'cpu' || name === 'memory') limContainsCPUOrMemory = true;
    if (isHugePageResourceName(name)) limContainsHugePages = true;
  }
  for (const name in req.requests ?? {}) {
    const p = reqPath.key(name);
    errs.push(...validateContainerResourceName(name, p));
    const q = quantityAt(req.requests?.[name], p, errs);
    if (!q) continue;
    errs.push(...validateResourceQuantityValue(name, q, p));
    const limit = limits.get(name);
    if (limit) {
      if (q.cmp(limit) !== 0 && !isOvercommitAllowed(name)) {
        errs.push(field.invalid(reqPath, q.toString(), `must be equal to ${name} limit of ${limit.toString()}`));
      } else if (q.cmp(limit) > 0) {
        errs.push(field.invalid(reqPath, q.toString(), `must be less than or equal to ${name} limit of ${limit.toString()}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      errs.push(field.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (name === 'cpu' || name === 'memory') reqContainsCPUOrMemory = true;
    if (isHugePageResourceName(name)) reqContainsHugePages = true;
  }
  if (!limContainsCPUOrMemory && !reqContainsCPUOrMemory && (reqContainsHugePages || limContainsHugePages)) {
    errs.push(field.forbidden(path, 'HugePages require cpu or memory'));
  }
  return errs;
}
