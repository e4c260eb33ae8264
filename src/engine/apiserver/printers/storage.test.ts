import type { StorageClass } from 'kubernetes-types/storage/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { storageHandlers } from './storage.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const meta = (name: string, annotations?: Record<string, string>) => ({ name, creationTimestamp: new Date(NOW - 3 * 86_400_000).toISOString(), ...(annotations ? { annotations } : {}) });

describe('StorageClass', () => {
  it.each<[string, StorageClass, Cell[]]>([
    [
      'the default class',
      { metadata: meta('standard', { 'storageclass.kubernetes.io/is-default-class': 'true' }), provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' },
      ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '3d'],
    ],
    ['the beta annotation', { metadata: meta('old', { 'storageclass.beta.kubernetes.io/is-default-class': 'true' }), provisioner: 'p', allowVolumeExpansion: true }, ['old (default)', 'p', 'Delete', 'Immediate', true, '3d']],
    ['not default', { metadata: meta('fast', { 'storageclass.kubernetes.io/is-default-class': 'false' }), provisioner: 'csi.example.com', reclaimPolicy: 'Retain' }, ['fast', 'csi.example.com', 'Retain', 'Immediate', false, '3d']],
  ])('%s', (_name, object, expected) => {
    expect(storageHandlers['StorageClass.storage.k8s.io'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});
