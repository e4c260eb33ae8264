/**
 * Lease — pkg/apis/coordination/validation (Kubernetes 1.32): duration positive, transitions
 * non-negative.
 *
 * Left out: the coordinated leader election strategy fields (alpha in 1.32).
 */
import type { Lease } from 'kubernetes-types/coordination/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';

export function validateLease(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds != null && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid(Path.of('spec', 'leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions != null && spec.leaseTransitions < 0) {
    errs.push(field.invalid(Path.of('spec', 'leaseTransitions'), spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}
