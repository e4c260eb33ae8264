/**
 * Defaulting for rbac.authorization.k8s.io/v1 (k8s.io/kubernetes/pkg/apis/rbac/v1/defaults.go): a
 * binding's roleRef.apiGroup, and each subject's apiGroup — rbac.authorization.k8s.io for User and Group,
 * "" (so, absent) for ServiceAccount. Role and ClusterRole have no defaults.
 */
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import type { Defaulter } from './index.ts';

const GROUP_NAME = 'rbac.authorization.k8s.io';

/** SetDefaults_Subject. */
function setDefaultsSubject(subject: Subject): void {
  if (!subject.apiGroup && (subject.kind === 'User' || subject.kind === 'Group')) subject.apiGroup = GROUP_NAME;
}

/** SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding, with their subjects. */
function setDefaultsBinding(binding: RoleBinding | ClusterRoleBinding): void {
  const roleRef = (binding.roleRef ??= {} as RoleBinding['roleRef']);
  if (!roleRef.apiGroup) roleRef.apiGroup = GROUP_NAME;
  for (const subject of binding.subjects ?? []) setDefaultsSubject(subject);
}

export const rbacDefaulters: Readonly<Record<string, Defaulter>> = {
  'RoleBinding.rbac.authorization.k8s.io': (o) => setDefaultsBinding(o as unknown as RoleBinding),
  'ClusterRoleBinding.rbac.authorization.k8s.io': (o) => setDefaultsBinding(o as unknown as ClusterRoleBinding),
};
