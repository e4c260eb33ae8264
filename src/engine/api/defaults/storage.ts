/**
 * Defaulting for storage.k8s.io/v1 (k8s.io/kubernetes/pkg/apis/storage/v1/defaults.go): a StorageClass
 * deletes released volumes and binds them immediately unless it says otherwise.
 *
 * Left out: CSIDriver's defaults (the lab does not serve CSIDriver).
 */
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { Defaulter } from './index.ts';

/** SetDefaults_StorageClass. */
function setDefaultsStorageClass(storageClass: StorageClass): void {
  storageClass.reclaimPolicy ??= 'Delete';
  storageClass.volumeBindingMode ??= 'Immediate';
}

export const storageDefaulters: Readonly<Record<string, Defaulter>> = {
  'StorageClass.storage.k8s.io': (o) => setDefaultsStorageClass(o as unknown as StorageClass),
};
