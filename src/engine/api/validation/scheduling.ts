/**
 * PriorityClass — pkg/apis/scheduling/validation (Kubernetes 1.32): `system-` names are reserved for
 * the two built-in classes, user values are at most one billion, preemption policy values; on update
 * the value and preemption policy are fixed.
 */
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { validateImmutableField } from './generic.ts';

export const HighestUserDefinablePriority = 1000000000;
const systemPriorityClasses: Readonly<Record<string, number>> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

export function validatePriorityClass(pc: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  const name = pc.metadata?.name ?? '';
  if (name.startsWith('system-')) {
    const known = systemPriorityClasses[name];
    let why: string | undefined;
    if (known === undefined) why = `${name} is not a known system priority class`;
    else if (known !== pc.value) why = `value of ${name} PriorityClass must be ${known}`;
    else if (pc.globalDefault) why = `globalDefault of ${name} PriorityClass must be false`;
    if (why) errs.push(field.forbidden(Path.of('metadata', 'name'), `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (pc.value > HighestUserDefinablePriority) {
    errs.push(field.forbidden(Path.of('value'), `maximum allowed value of a user defined priority is ${HighestUserDefinablePriority}`));
  }
  if (pc.preemptionPolicy != null && pc.preemptionPolicy !== 'PreemptLowerPriority' && pc.preemptionPolicy !== 'Never') {
    errs.push(field.notSupported(Path.of('preemptionPolicy'), pc.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  return errs;
}

export function validatePriorityClassUpdate(pc: PriorityClass, old: PriorityClass): FieldError[] {
  const errs: FieldError[] = [];
  if (pc.value !== old.value) errs.push(field.forbidden(Path.of('value'), 'may not be changed in an update.'));
  errs.push(...validateImmutableField(pc.preemptionPolicy, old.preemptionPolicy, Path.of('preemptionPolicy'), pc.preemptionPolicy ?? null));
  return errs;
}
