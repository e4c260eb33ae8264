/**
 * The StorageClass printer — printStorageClass of pkg/printers/internalversion (Kubernetes 1.32):
 * NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE.
 *
 * Contract: the default class (annotation storageclass.kubernetes.io/is-default-class, or its beta
 * form, set to "true") prints as `name (default)`; an unset reclaim policy reads `Delete`, an unset
 * binding mode `Immediate`, an unset expansion flag `false` (a boolean cell).
 *
 * Left out: PersistentVolume and PersistentVolumeClaim are core kinds (core.ts).
 */
import type { StorageClass } from 'kubernetes-types/storage/v1';
import { AGE, column, DOC, NAME } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

const IS_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

function printStorageClass(sc: StorageClass, now: number): Cell[] {
  const annotations = sc.metadata?.annotations;
  let name = sc.metadata?.name ?? '';
  if (annotations?.[IS_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true' || annotations?.[BETA_IS_DEFAULT_STORAGE_CLASS_ANNOTATION] === 'true') name += ' (default)';
  return [name, sc.provisioner ?? '', sc.reclaimPolicy ?? 'Delete', sc.volumeBindingMode ?? 'Immediate', sc.allowVolumeExpansion ?? false, since(sc.metadata?.creationTimestamp, now)];
}

export const storageHandlers = {
  'StorageClass.storage.k8s.io': tableHandler<StorageClass>(
    [
      NAME,
      column('Provisioner', 'string', DOC.scProvisioner),
      column('ReclaimPolicy', 'string', DOC.scReclaimPolicy),
      column('VolumeBindingMode', 'string', DOC.scVolumeBindingMode),
      column('AllowVolumeExpansion', 'string', DOC.scAllowVolumeExpansion),
      AGE,
    ],
    printStorageClass,
  ),
};
