import type { RoleBinding } from 'kubernetes-types/rbac/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { rbacHandlers } from './rbac.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const metadata = { name: 'read-pods', creationTimestamp: new Date(NOW - 90_000).toISOString() };

describe('RoleBinding and ClusterRoleBinding', () => {
  it.each<[string, RoleBinding, Cell[]]>([
    [
      'subjects of every kind',
      {
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [
          { kind: 'User', name: 'jane' },
          { kind: 'ServiceAccount', name: 'default', namespace: 'dev' },
          { kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' },
          { kind: 'User', name: 'bob' },
          { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
        ],
      },
      ['read-pods', 'ClusterRole/view', '90s', 'jane, bob', 'system:authenticated', 'dev/default, tools/ci'],
    ],
    ['no subjects', { metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' } }, ['read-pods', 'Role/pod-reader', '90s', '', '', '']],
  ])('%s', (_name, object, expected) => {
    expect(rbacHandlers['RoleBinding.rbac.authorization.k8s.io'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
    expect(rbacHandlers['ClusterRoleBinding.rbac.authorization.k8s.io'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});
