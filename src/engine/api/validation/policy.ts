/**
 * PodDisruptionBudget — pkg/apis/policy/validation (Kubernetes 1.32): minAvailable and maxUnavailable
 * are exclusive, each a non-negative integer or a percent up to 100%, the selector is valid, and the
 * unhealthy pod eviction policy is a known one.
 */
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { goJSON } from './goSyntax.ts';
import { isNotMoreThan100Percent, validatePositiveIntOrPercent } from './apps.ts';
import { validateLabelSelector } from './labels.ts';

const specPath = Path.of('spec');
const evictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget): FieldError[] {
  const spec = pdb.spec ?? {};
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) errs.push(field.invalid(specPath, goJSON(spec), 'minAvailable and maxUnavailable cannot be both set'));
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    const v = spec[key];
    if (v == null) continue;
    errs.push(...validatePositiveIntOrPercent(v, specPath.child(key)));
    errs.push(...isNotMoreThan100Percent(v, specPath.child(key)));
  }
  errs.push(...validateLabelSelector(spec.selector, specPath.child('selector')));
  if (spec.unhealthyPodEvictionPolicy != null && !evictionPolicies.includes(spec.unhealthyPodEvictionPolicy)) {
    errs.push(field.notSupported(specPath.child('unhealthyPodEvictionPolicy'), spec.unhealthyPodEvictionPolicy, evictionPolicies));
  }
  return errs;
}
