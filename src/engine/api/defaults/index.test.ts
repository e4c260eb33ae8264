import { describe, expect, it } from 'vitest';
import { applyDefaults, defaulters } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(groupKind: string, object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults(groupKind, copy);
  return copy;
}

describe('the defaulting table', () => {
  it('is keyed by GroupKind strings', () => {
    expect(Object.keys(defaulters).sort()).toStrictEqual(
      [
        'ClusterRoleBinding.rbac.authorization.k8s.io',
        'CronJob.batch',
        'DaemonSet.apps',
        'Deployment.apps',
        'EndpointSlice.discovery.k8s.io',
        'Endpoints',
        'Event',
        'HorizontalPodAutoscaler.autoscaling',
        'IngressClass.networking.k8s.io',
        'Job.batch',
        'LimitRange',
        'Namespace',
        'NetworkPolicy.networking.k8s.io',
        'Node',
        'PersistentVolume',
        'PersistentVolumeClaim',
        'Pod',
        'PriorityClass.scheduling.k8s.io',
        'ReplicaSet.apps',
        'RoleBinding.rbac.authorization.k8s.io',
        'Secret',
        'Service',
        'StatefulSet.apps',
        'StorageClass.storage.k8s.io',
      ].sort(),
    );
  });

  it.each<[string, string, Json, Json]>([
    [
      'a StorageClass deletes and binds immediately',
      'StorageClass.storage.k8s.io',
      { metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path' },
      { metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' },
    ],
    [
      'a StorageClass keeps its own policies',
      'StorageClass.storage.k8s.io',
      { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
      { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
    ],
    [
      'a PriorityClass preempts lower priorities',
      'PriorityClass.scheduling.k8s.io',
      { metadata: { name: 'high' }, value: 1000000 },
      { metadata: { name: 'high' }, value: 1000000, preemptionPolicy: 'PreemptLowerPriority' },
    ],
    [
      'an EndpointSlice: ports named "" over TCP, conditions printed',
      'EndpointSlice.discovery.k8s.io',
      {
        metadata: { name: 'web-abc12' },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.7'], conditions: { ready: true } }],
        ports: [{ port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }],
      },
      {
        metadata: { name: 'web-abc12' },
        addressType: 'IPv4',
        endpoints: [{ addresses: ['10.244.1.5'], conditions: {} }, { addresses: ['10.244.2.7'], conditions: { ready: true } }],
        ports: [{ port: 80, name: '', protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }],
      },
    ],
  ])('%s', (_name, groupKind, manifest, expected) => {
    expect(defaulted(groupKind, manifest)).toStrictEqual(expected);
  });

  it.each(['ConfigMap', 'ServiceAccount', 'ResourceQuota', 'Binding', 'Lease.coordination.k8s.io', 'PodDisruptionBudget.policy', 'ClusterRole.rbac.authorization.k8s.io', 'Unknown.example.com'])(
    '%s has no defaults',
    (groupKind) => {
      const manifest = { metadata: { name: 'x' }, spec: { a: 1 } };
      expect(defaulted(groupKind, manifest)).toStrictEqual(manifest);
    },
  );

  it.each([
    ['Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'c', resources: { limits: { cpu: '1' } } }], volumes: [{ name: 'v' }] } }],
    ['Service', { metadata: { name: 's' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } }],
    ['Deployment.apps', { metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'c' }] } } } }],
    ['StatefulSet.apps', { metadata: { name: 's' }, spec: { volumeClaimTemplates: [{ metadata: { name: 'd' }, spec: {} }] } }],
    ['Job.batch', { metadata: { name: 'j' }, spec: { template: { metadata: { labels: { a: 'b' } } } } }],
    ['HorizontalPodAutoscaler.autoscaling', { metadata: { name: 'h' }, spec: { behavior: { scaleUp: { selectPolicy: 'Disabled' } } } }],
  ])('defaulting %s twice changes nothing more', (groupKind, manifest) => {
    const once = defaulted(groupKind, manifest);
    expect(defaulted(groupKind, once)).toStrictEqual(once);
  });
});
