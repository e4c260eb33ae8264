/**
 * Printers of rbac.authorization.k8s.io/v1 — printRoleBinding and printClusterRoleBinding of
 * pkg/printers/internalversion (Kubernetes 1.32): NAME ROLE AGE, and wide USERS GROUPS SERVICEACCOUNTS.
 *
 * Contract: ROLE is `Kind/name` of roleRef; the wide columns list the subjects of each kind joined by
 * `, ` (service accounts as `namespace/name`), as rbac.SubjectsStrings sorts them.
 *
 * Left out: Role and ClusterRole have no printer upstream (the default NAME / CREATED AT table).
 */
import type { ClusterRoleBinding, RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import { AGE, column, DOC, NAME, wide } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

function printBinding(binding: RoleBinding | ClusterRoleBinding, now: number): Cell[] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of binding.subjects ?? ([] as Subject[])) {
    if (subject.kind === 'ServiceAccount') serviceAccounts.push(`${subject.namespace ?? ''}/${subject.name}`);
    else if (subject.kind === 'User') users.push(subject.name);
    else if (subject.kind === 'Group') groups.push(subject.name);
  }
  return [
    binding.metadata?.name ?? '',
    `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
    since(binding.metadata?.creationTimestamp, now),
    users.join(', '),
    groups.join(', '),
    serviceAccounts.join(', '),
  ];
}

export const rbacHandlers = {
  'RoleBinding.rbac.authorization.k8s.io': tableHandler<RoleBinding>(
    [
      NAME,
      column('Role', 'string', DOC.rbRoleRef),
      AGE,
      wide('Users', 'string', 'Users in the roleBinding'),
      wide('Groups', 'string', 'Groups in the roleBinding'),
      wide('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding'),
    ],
    printBinding,
  ),
  'ClusterRoleBinding.rbac.authorization.k8s.io': tableHandler<ClusterRoleBinding>(
    [
      NAME,
      column('Role', 'string', DOC.crbRoleRef),
      AGE,
      wide('Users', 'string', 'Users in the clusterRoleBinding'),
      wide('Groups', 'string', 'Groups in the clusterRoleBinding'),
      wide('ServiceAccounts', 'string', 'ServiceAccounts in the clusterRoleBinding'),
    ],
    printBinding,
  ),
};
