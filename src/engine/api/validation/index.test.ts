import { describe, expect, it } from 'vitest';
import { validateObject, validateObjectUpdate, validators } from './index.ts';
import { text } from './testdata.ts';

const ns = { name: 'x', namespace: 'default', resourceVersion: '1' };
const cluster = { name: 'x', resourceVersion: '1' };

describe('validators', () => {
  it('covers every kind the lab serves', () => {
    expect(Object.keys(validators).sort()).toEqual(
      [
        'Binding',
        'ConfigMap',
        'Endpoints',
        'Event',
        'Namespace',
        'Node',
        'PersistentVolume',
        'PersistentVolumeClaim',
        'LimitRange',
        'ResourceQuota',
        'Pod',
        'Secret',
        'Service',
        'ServiceAccount',
        'ControllerRevision.apps',
        'DaemonSet.apps',
        'Deployment.apps',
        'ReplicaSet.apps',
        'StatefulSet.apps',
        'CronJob.batch',
        'Job.batch',
        'EndpointSlice.discovery.k8s.io',
        'Ingress.networking.k8s.io',
        'IngressClass.networking.k8s.io',
        'NetworkPolicy.networking.k8s.io',
        'ClusterRole.rbac.authorization.k8s.io',
        'ClusterRoleBinding.rbac.authorization.k8s.io',
        'Role.rbac.authorization.k8s.io',
        'RoleBinding.rbac.authorization.k8s.io',
        'StorageClass.storage.k8s.io',
        'Lease.coordination.k8s.io',
        'PriorityClass.scheduling.k8s.io',
        'PodDisruptionBudget.policy',
        'HorizontalPodAutoscaler.autoscaling',
      ].sort(),
    );
  });

  it.each<[string, string, boolean, unknown, string[]]>([
    ['Role', 'Role.rbac.authorization.k8s.io', true, { metadata: ns, rules: [{ apiGroups: [''], resources: ['pods'] }] }, ['rules[0].verbs: Required value: verbs must contain at least one value']],
    [
      'RoleBinding subject kind',
      'RoleBinding.rbac.authorization.k8s.io',
      true,
      { metadata: ns, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'Robot', name: 'a' }] },
      ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
    ],
    [
      'Ingress path type',
      'Ingress.networking.k8s.io',
      true,
      { metadata: ns, spec: { rules: [{ http: { paths: [{ path: 'api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
      ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
    ],
    [
      'Ingress without rules',
      'Ingress.networking.k8s.io',
      true,
      { metadata: ns, spec: {} },
      ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified'],
    ],
    [
      'NetworkPolicy peer',
      'NetworkPolicy.networking.k8s.io',
      true,
      { metadata: ns, spec: { podSelector: {}, ingress: [{ from: [{}] }] } },
      ['spec.ingress[0].from[0]: Required value: must specify a peer'],
    ],
    ['StorageClass provisioner', 'StorageClass.storage.k8s.io', false, { metadata: cluster, volumeBindingMode: 'Immediate' }, ['provisioner: Required value']],
    [
      'PriorityClass value',
      'PriorityClass.scheduling.k8s.io',
      false,
      { metadata: cluster, value: 2000000000 },
      ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000'],
    ],
    [
      'PDB both set',
      'PodDisruptionBudget.policy',
      true,
      { metadata: ns, spec: { minAvailable: 1, maxUnavailable: 1 } },
      ['spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set'],
    ],
    [
      'HPA min above max',
      'HorizontalPodAutoscaler.autoscaling',
      true,
      { metadata: ns, spec: { minReplicas: 5, maxReplicas: 2, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } },
      ['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`'],
    ],
    ['Lease duration', 'Lease.coordination.k8s.io', true, { metadata: ns, spec: { leaseDurationSeconds: 0 } }, ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']],
    [
      'EndpointSlice address',
      'EndpointSlice.discovery.k8s.io',
      true,
      { metadata: ns, addressType: 'IPv4', endpoints: [{ addresses: ['::1'] }] },
      ['endpoints[0].addresses[0]: Invalid value: "::1": must be a valid IPv4 address'],
    ],
    [
      'IngressClass controller',
      'IngressClass.networking.k8s.io',
      false,
      { metadata: cluster, spec: { controller: 'nginx' } },
      ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'],
    ],
    ['unknown kind gets ObjectMeta only', 'Widget.example.com', true, { metadata: { name: 'x' } }, ['metadata.namespace: Required value']],
  ])('%s', (_, gk, namespaced, object, want) => {
    expect(text(validateObject(gk, object, namespaced))).toEqual(want);
  });

  it('keeps a role binding roleRef', () => {
    const rb = (name: string) => ({ metadata: ns, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name } });
    expect(text(validateObjectUpdate('RoleBinding.rbac.authorization.k8s.io', rb('b'), rb('a'), true))).toEqual([
      'roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"b"}: cannot change roleRef',
    ]);
  });

  it('validates a pod in well under a tenth of a millisecond', () => {
    const pod = {
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', resources: { requests: { cpu: '100m' }, limits: { cpu: '1' } } }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' },
    };
    const n = 5000;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) validateObject('Pod', pod, true);
    const perCallMs = Number(process.hrtime.bigint() - start) / 1e6 / n;
    expect(perCallMs).toBeLessThan(0.1);
  });
});
