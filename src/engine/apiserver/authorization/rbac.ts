/**
 * RBAC authorization (k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac): a request is allowed when some
 * ClusterRoleBinding, or a RoleBinding in the request's namespace, binds the user (by name, group, or
 * service account) to a role with a rule that covers the verb, API group, resource (with subresource, as
 * "pods/log"), and name — or, for non-resource requests, the path. Denials read as upstream's:
 * `User "jane" cannot list resource "pods" in API group "" in the namespace "default"`.
 */
import type { RequestInfo } from '../requestInfo.ts';
import type { Authorizer, UserInfo } from '../server.ts';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  namespace?: string;
}

export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export interface Binding {
  /** Empty for a ClusterRoleBinding. */
  namespace: string;
  subjects: Subject[];
  roleRef: RoleRef;
}

/** Where the authorizer reads roles and bindings (the apiserver's own stores). */
export interface RbacSource {
  clusterRoleBindings(): Iterable<Binding>;
  roleBindings(namespace: string): Iterable<Binding>;
  /** Rules of a role; for a ClusterRole this includes aggregated rules. undefined when it does not exist. */
  rules(ref: RoleRef, namespace: string): PolicyRule[] | undefined;
}

export class RbacAuthorizer implements Authorizer {
  constructor(private readonly source: RbacSource) {}

  authorize(user: UserInfo, info: RequestInfo): string | undefined {
    if (user.groups.includes('system:masters')) return undefined;
    if (this.allowedBy(this.source.clusterRoleBindings(), user, info, '')) return undefined;
    if (info.isResourceRequest && info.namespace && this.allowedBy(this.source.roleBindings(info.namespace), user, info, info.namespace)) return undefined;
    return denial(user, info);
  }

  /** `kubectl auth can-i`: the same decision, for a user and an action described by a RequestInfo. */
  can(user: UserInfo, info: RequestInfo): boolean {
    return this.authorize(user, info) === undefined;
  }

  /** Every rule bound to the user cluster-wide and in `namespace` (`kubectl auth can-i --list`). */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    const rules: PolicyRule[] = [];
    const collect = (bindings: Iterable<Binding>, ns: string) => {
      for (const binding of bindings) {
        if (binding.subjects.some((s) => appliesTo(s, user, binding.namespace))) rules.push(...(this.source.rules(binding.roleRef, ns) ?? []));
      }
    };
    collect(this.source.clusterRoleBindings(), '');
    if (namespace) collect(this.source.roleBindings(namespace), namespace);
    return rules;
  }

  private allowedBy(bindings: Iterable<Binding>, user: UserInfo, info: RequestInfo, namespace: string): boolean {
    for (const binding of bindings) {
      if (!binding.subjects.some((s) => appliesTo(s, user, binding.namespace))) continue;
      const rules = this.source.rules(binding.roleRef, namespace);
      if (rules?.some((r) => ruleAllows(r, info))) return true;
    }
    return false;
  }
}

function appliesTo(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return user.username === `system:serviceaccount:${namespace}:${subject.name}`;
    }
  }
}

export function ruleAllows(rule: PolicyRule, info: RequestInfo): boolean {
  if (!matches(rule.verbs, info.verb)) return false;
  if (!info.isResourceRequest) return (rule.nonResourceURLs ?? []).some((url) => url === '*' || url === info.path || (url.endsWith('*') && info.path.startsWith(url.slice(0, -1))));
  if (!matches(rule.apiGroups ?? [], info.apiGroup)) return false;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const resources = rule.resources ?? [];
  const resourceOk = resources.some((r) => r === '*' || r === resource || (info.subresource !== '' && r === `*/${info.subresource}`) || (r.endsWith('/*') && info.subresource !== '' && r === `${info.resource}/*`));
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(info.name);
}

function matches(values: readonly string[], value: string): boolean {
  return values.includes('*') || values.includes(value);
}

/** Upstream's wording for a denied request. */
export function denial(user: UserInfo, info: RequestInfo): string {
  const who = `User ${JSON.stringify(user.username)}`;
  if (!info.isResourceRequest) return `${who} cannot ${info.verb} path ${JSON.stringify(info.path)}`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const scope = info.namespace ? `in the namespace ${JSON.stringify(info.namespace)}` : 'at the cluster scope';
  return `${who} cannot ${info.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(info.apiGroup)} ${scope}`;
}
