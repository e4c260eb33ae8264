/**
 * RBAC — pkg/apis/rbac/validation (Kubernetes 1.32) for Role, ClusterRole, RoleBinding and
 * ClusterRoleBinding: policy rules (verbs required; resource rules need API groups and resources;
 * non-resource URLs only in cluster roles), aggregation rules, role references (immutable) and subjects.
 */
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from 'kubernetes-types/rbac/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isValidPathSegmentName, nameIsDNSSubdomain } from './generic.ts';
import { GoValue, goStringSlice } from './goSyntax.ts';
import { asSelector, validateLabelSelector } from './labels.ts';

const GroupName = 'rbac.authorization.k8s.io';

/** ValidatePolicyRule. */
function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if ((rule.verbs ?? []).length === 0) errs.push(field.required(path.child('verbs'), 'verbs must contain at least one value'));
  if ((rule.nonResourceURLs ?? []).length > 0) {
    const urls = goStringSlice(rule.nonResourceURLs);
    if (namespaced) errs.push(field.invalid(path.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || (rule.resources ?? []).length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(field.invalid(path.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) errs.push(field.required(path.child('apiGroups'), 'resource rules must supply at least one api group'));
  if ((rule.resources ?? []).length === 0) errs.push(field.required(path.child('resources'), 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRole(role: Role): FieldError[] {
  return (role.rules ?? []).flatMap((r, i) => validatePolicyRule(r, true, Path.of('rules').index(i)));
}

export function validateClusterRole(cr: ClusterRole): FieldError[] {
  const errs = (cr.rules ?? []).flatMap((r, i) => validatePolicyRule(r, false, Path.of('rules').index(i)));
  const agg = cr.aggregationRule;
  if (agg) {
    const sp = Path.of('aggregationRule', 'clusterRoleSelectors');
    if ((agg.clusterRoleSelectors ?? []).length === 0) errs.push(field.required(sp, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    (agg.clusterRoleSelectors ?? []).forEach((sel, i) => {
      errs.push(...validateLabelSelector(sel, sp.index(i)));
      if (!asSelector(sel)) errs.push(field.invalid(sp.index(i), new GoValue(''), 'invalid label selector.'));
    });
  }
  return errs;
}

function validateSubject(s: Subject, namespaced: boolean, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(field.required(path.child('name'), ''));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) for (const m of nameIsDNSSubdomain(s.name, false)) errs.push(field.invalid(path.child('name'), s.name, m));
      if (s.apiGroup) errs.push(field.notSupported(path.child('apiGroup'), s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(field.required(path.child('namespace'), ''));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== GroupName) errs.push(field.notSupported(path.child('apiGroup'), s.apiGroup ?? '', [GroupName]));
      break;
    default:
      errs.push(field.notSupported(path.child('kind'), s.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateRoleRef(ref: RoleRef | undefined, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const r = ref ?? ({} as Partial<RoleRef>);
  if (r.apiGroup !== GroupName) errs.push(field.notSupported(Path.of('roleRef', 'apiGroup'), r.apiGroup ?? '', [GroupName]));
  if (!kinds.includes(r.kind ?? '')) errs.push(field.notSupported(Path.of('roleRef', 'kind'), r.kind ?? '', kinds));
  if (!r.name) errs.push(field.required(Path.of('roleRef', 'name'), ''));
  else for (const m of isValidPathSegmentName(r.name)) errs.push(field.invalid(Path.of('roleRef', 'name'), r.name, m));
  return errs;
}

function goRoleRef(r: RoleRef | undefined): GoValue {
  return new GoValue(`rbac.RoleRef{APIGroup:${JSON.stringify(r?.apiGroup ?? '')}, Kind:${JSON.stringify(r?.kind ?? '')}, Name:${JSON.stringify(r?.name ?? '')}}`);
}

function roleRefChanged(a: RoleRef | undefined, b: RoleRef | undefined): boolean {
  return a?.apiGroup !== b?.apiGroup || a?.kind !== b?.kind || a?.name !== b?.name;
}

export function validateRoleBinding(rb: RoleBinding): FieldError[] {
  const errs = validateRoleRef(rb.roleRef, ['Role', 'ClusterRole']);
  (rb.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, true, Path.of('subjects').index(i))));
  return errs;
}

export function validateRoleBindingUpdate(rb: RoleBinding, old: RoleBinding): FieldError[] {
  const errs = validateRoleBinding(rb);
  if (roleRefChanged(rb.roleRef, old.roleRef)) errs.push(field.invalid(Path.of('roleRef'), goRoleRef(rb.roleRef), 'cannot change roleRef'));
  return errs;
}

export function validateClusterRoleBinding(crb: ClusterRoleBinding): FieldError[] {
  const errs = validateRoleRef(crb.roleRef, ['ClusterRole']);
  (crb.subjects ?? []).forEach((s, i) => errs.push(...validateSubject(s, false, Path.of('subjects').index(i))));
  return errs;
}

export function validateClusterRoleBindingUpdate(crb: ClusterRoleBinding, old: ClusterRoleBinding): FieldError[] {
  const errs = validateClusterRoleBinding(crb);
  if (roleRefChanged(crb.roleRef, old.roleRef)) errs.push(field.invalid(Path.of('roleRef'), goRoleRef(crb.roleRef), 'cannot change roleRef'));
  return errs;
}
