/**
 * StorageClass — pkg/apis/storage/validation (Kubernetes 1.32): provisioner required and a qualified
 * name, parameters' count and size, reclaim policy, volume binding mode; on update parameters,
 * provisioner, reclaim policy and binding mode are fixed.
 *
 * Left out: allowedTopologies' term rules.
 */
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { byteLength, semanticEqual, tooLong, validateImmutableField, validateQualifiedName } from './generic.ts';
import { goStringMap } from './goSyntax.ts';

const maxProvisionerParameterSize = 256 * (1 << 10);
const maxProvisionerParameterLen = 512;
const reclaimPolicies = ['Delete', 'Retain'];
const bindingModes = ['Immediate', 'WaitForFirstConsumer'];

export function validateStorageClass(sc: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  const pp = Path.of('provisioner');
  if (!sc.provisioner) errs.push(field.required(pp, ''));
  else errs.push(...validateQualifiedName(sc.provisioner.toLowerCase(), pp));
  const params = sc.parameters ?? {};
  const keys = Object.keys(params);
  const paramsPath = Path.of('parameters');
  if (keys.length > maxProvisionerParameterLen) errs.push(field.invalid(paramsPath, goStringMap(params), `Provisioner Parameters exceeded max allowed ${maxProvisionerParameterLen}`));
  let total = 0;
  for (const k of keys) {
    if (k === '') errs.push(field.invalid(paramsPath, goStringMap(params), 'key cannot be empty'));
    total += byteLength(k) + byteLength(params[k] ?? '');
  }
  if (total > maxProvisionerParameterSize) errs.push(tooLong(paramsPath, maxProvisionerParameterSize));
  if (sc.reclaimPolicy && !reclaimPolicies.includes(sc.reclaimPolicy)) errs.push(field.notSupported(Path.of('reclaimPolicy'), sc.reclaimPolicy, reclaimPolicies));
  if (sc.volumeBindingMode == null) errs.push(field.required(Path.of('volumeBindingMode'), ''));
  else if (!bindingModes.includes(sc.volumeBindingMode)) errs.push(field.notSupported(Path.of('volumeBindingMode'), sc.volumeBindingMode, bindingModes));
  return errs;
}

export function validateStorageClassUpdate(sc: StorageClass, old: StorageClass): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(sc.parameters, old.parameters)) errs.push(field.forbidden(Path.of('parameters'), 'updates to parameters are forbidden.'));
  if (sc.provisioner !== old.provisioner) errs.push(field.forbidden(Path.of('provisioner'), 'updates to provisioner are forbidden.'));
  if ((sc.reclaimPolicy ?? 'Delete') !== (old.reclaimPolicy ?? 'Delete')) errs.push(field.forbidden(Path.of('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  errs.push(...validateImmutableField(sc.volumeBindingMode, old.volumeBindingMode, Path.of('volumeBindingMode'), sc.volumeBindingMode ?? null));
  return errs;
}
