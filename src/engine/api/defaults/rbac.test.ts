import { describe, expect, it } from 'vitest';
import { applyDefaults } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(groupKind: string, object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults(groupKind, copy);
  return copy;
}

const subjects = [
  { kind: 'User', name: 'jane' },
  { kind: 'Group', name: 'devs' },
  { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
];
const defaultedSubjects = [
  { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
  { kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' },
  { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
];

describe('rbac.authorization.k8s.io/v1', () => {
  it.each<[string, string, Json, Json]>([
    [
      'a RoleBinding',
      'RoleBinding.rbac.authorization.k8s.io',
      { metadata: { name: 'read-pods', namespace: 'default' }, roleRef: { kind: 'Role', name: 'pod-reader' }, subjects },
      { metadata: { name: 'read-pods', namespace: 'default' }, roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' }, subjects: defaultedSubjects },
    ],
    [
      'a ClusterRoleBinding',
      'ClusterRoleBinding.rbac.authorization.k8s.io',
      { metadata: { name: 'admins' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects },
      { metadata: { name: 'admins' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: defaultedSubjects },
    ],
    [
      'a Role: nothing',
      'Role.rbac.authorization.k8s.io',
      { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      { metadata: { name: 'pod-reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
    ],
  ])('%s', (_name, groupKind, manifest, expected) => {
    expect(defaulted(groupKind, manifest)).toStrictEqual(expected);
  });
});
