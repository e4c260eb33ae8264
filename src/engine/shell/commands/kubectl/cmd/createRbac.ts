/**
 * `kubectl create role|clusterrole|rolebinding|clusterrolebinding|serviceaccount`
 * (k8s.io/kubectl/pkg/cmd/create/create_role.go, create_clusterrole.go, create_rolebinding.go,
 * create_clusterrolebinding.go, create_serviceaccount.go). A role's `--resource`s are resolved through
 * discovery (short names become plural names, `deploy` → `deployments` in `apps`) and grouped into one
 * rule per API group, groups sorted; verbs and resource names are de-duplicated; verbs outside the
 * standard ones draw kubectl's warning.
 */
import { KubectlError } from '../errors.ts';
import type { Factory } from '../factory.ts';
import type { ParsedFlags } from '../flags.ts';
import type { RestMapper } from '../restMapper.ts';
import { createObject, enforcedNamespace, failedToCreate, goMap, nameArg, objectMeta, requireFlags, type Obj } from './generator.ts';

const RBAC = 'rbac.authorization.k8s.io';
const VALID_RESOURCE_VERBS = ['*', 'get', 'delete', 'list', 'create', 'update', 'patch', 'watch', 'proxy', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];
const VALID_NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
const SPECIAL_VERBS: Readonly<Record<string, ReadonlyArray<readonly [group: string, resource: string]>>> = {
  use: [['policy', 'podsecuritypolicies'], ['extensions', 'podsecuritypolicies']],
  bind: [[RBAC, 'roles'], [RBAC, 'clusterroles']],
  escalate: [[RBAC, 'roles'], [RBAC, 'clusterroles']],
  impersonate: [['', 'users'], ['', 'serviceaccounts'], ['', 'groups'], ['authentication.k8s.io', 'userextras'], ['authentication.k8s.io', 'uids']],
};

interface ResourceOption {
  group: string;
  resource: string;
  subresource: string;
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Complete: verbs (`*` alone wins), resources split into resource.group/subresource, names de-duplicated. */
function ruleOptions(flags: ParsedFlags): { verbs: string[]; resources: ResourceOption[]; resourceNames: string[] } {
  const given = flags.list('verb');
  const verbs = given.includes('*') ? ['*'] : dedupe(given);
  let resources: ResourceOption[] = [];
  for (const r of flags.list('resource')) {
    const slash = r.indexOf('/');
    const main = slash < 0 ? r : r.slice(0, slash);
    const dot = main.indexOf('.');
    const option = { resource: dot < 0 ? main : main.slice(0, dot), group: dot < 0 ? '' : main.slice(dot + 1), subresource: slash < 0 ? '' : r.slice(slash + 1) };
    if (option.resource === '*' && dot < 0 && slash < 0) {
      resources = [option];
      break;
    }
    resources.push(option);
  }
  return { verbs, resources, resourceNames: dedupe(flags.list('resource-name')) };
}

function resolve(mapper: RestMapper, r: ResourceOption): { group: string; resource: string } | Error {
  try {
    const found = mapper.resourceFor(r.group ? `${r.resource}.${r.group}` : r.resource);
    return { group: found.group, resource: found.resource };
  } catch {
    return new KubectlError(`the server doesn't have a resource type "${r.resource}"`);
  }
}

/** validateResource: every resource must exist, and the special verbs apply only to their resources. */
function validateResources(mapper: RestMapper, verbs: readonly string[], resources: readonly ResourceOption[]): void {
  for (const r of resources) {
    if (!r.resource) throw new KubectlError('error: resource must be specified if apiGroup/subresource specified');
    if (r.resource === '*') return;
    const found = resolve(mapper, r);
    const resource = found instanceof Error ? { group: r.group, resource: r.resource } : found;
    let error = found instanceof Error ? found : undefined;
    for (const verb of verbs) {
      const allowed = SPECIAL_VERBS[verb];
      if (!allowed) continue;
      if (!allowed.some(([g, res]) => g === resource.group && res === resource.resource)) throw new KubectlError(`error: can not perform '${verb}' on '${resource.resource}' in group '${resource.group}'`);
      error = undefined;
    }
    if (error) throw error;
  }
}

/** generateResourcePolicyRules: one rule per API group (sorted), then one for the non-resource URLs. */
function policyRules(mapper: RestMapper, verbs: string[], resources: readonly ResourceOption[], resourceNames: string[], nonResourceURLs: string[]): Obj[] {
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const found = r.resource === '*' ? undefined : resolve(mapper, r);
    const resolved = !found || found instanceof Error ? { group: r.group, resource: r.resource } : found;
    const name = r.subresource ? `${resolved.resource}/${r.subresource}` : resolved.resource;
    const list = byGroup.get(resolved.group) ?? [];
    if (!list.includes(name)) list.push(name);
    byGroup.set(resolved.group, list);
  }
  const rules: Obj[] = [...byGroup.keys()].sort().map((group) => ({ verbs, apiGroups: [group], resources: byGroup.get(group), ...(resourceNames.length ? { resourceNames } : {}) }));
  if (nonResourceURLs.length) rules.push({ verbs, nonResourceURLs });
  return rules;
}

function warnVerbs(f: Factory, verbs: readonly string[]): void {
  for (const verb of verbs) if (!VALID_RESOURCE_VERBS.includes(verb)) f.ctx.stderr(`Warning: '${verb}' is not a standard resource verb\n`);
}

export async function runCreateRole(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create role', args);
  const { verbs, resources, resourceNames } = ruleOptions(flags);
  if (verbs.length === 0) throw new KubectlError('error: at least one verb must be specified');
  if (resources.length === 0) throw new KubectlError('error: at least one resource must be specified');
  warnVerbs(f, verbs);
  const mapper = await f.mapper();
  validateResources(mapper, verbs, resources);
  const role: Obj = { kind: 'Role', apiVersion: `${RBAC}/v1`, metadata: objectMeta({ name, namespace: enforcedNamespace(f) }), rules: policyRules(mapper, verbs, resources, resourceNames, []) };
  return createObject(f, flags, role, { group: RBAC, version: 'v1', resource: 'roles', namespaced: true });
}

export async function runCreateClusterRole(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create clusterrole', args);
  const { verbs, resources, resourceNames } = ruleOptions(flags);
  const nonResourceURLs = flags.list('non-resource-url');
  const aggregation = flags.all('aggregation-rule').flatMap((v) => v.split(','));
  const metadata = objectMeta({ name });
  const target = { group: RBAC, version: 'v1', resource: 'clusterroles', namespaced: false };
  if (aggregation.length) {
    if (nonResourceURLs.length || verbs.length || resources.length || resourceNames.length) {
      throw new KubectlError('error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
    }
    const matchLabels = goMap(aggregation.filter((p) => p !== '').map((p) => [p.slice(0, p.indexOf('=') < 0 ? p.length : p.indexOf('=')), p.includes('=') ? p.slice(p.indexOf('=') + 1) : ''] as const));
    const clusterRole: Obj = { kind: 'ClusterRole', apiVersion: `${RBAC}/v1`, metadata, rules: null, aggregationRule: { clusterRoleSelectors: [{ matchLabels }] } };
    return createObject(f, flags, clusterRole, target);
  }
  if (verbs.length === 0) throw new KubectlError('error: at least one verb must be specified');
  if (resources.length === 0 && nonResourceURLs.length === 0) throw new KubectlError('error: one of resource or nonResourceURL must be specified');
  const mapper = await f.mapper();
  if (resources.length) {
    warnVerbs(f, verbs);
    validateResources(mapper, verbs, resources);
  }
  if (nonResourceURLs.length) {
    if (resourceNames.length) throw new KubectlError('error: invalid args for non-resource-url');
    for (const verb of verbs) if (!VALID_NON_RESOURCE_VERBS.includes(verb)) throw new KubectlError(`error: invalid verb: '${verb}' for nonResourceURL`);
    for (const url of nonResourceURLs) {
      if (url === '*') continue;
      if (!url.startsWith('/')) throw new KubectlError('error: nonResourceURL should start with /');
      if (url.slice(0, -1).includes('*')) throw new KubectlError("error: nonResourceURL only supports wildcard matches when '*' is at the end");
    }
  }
  const clusterRole: Obj = { kind: 'ClusterRole', apiVersion: `${RBAC}/v1`, metadata, rules: policyRules(mapper, verbs, resources, resourceNames, nonResourceURLs) };
  return createObject(f, flags, clusterRole, target);
}

/** The subjects of --user, --group and --serviceaccount, in that order. */
function subjects(flags: ParsedFlags): Obj[] | undefined {
  const out: Obj[] = [
    ...flags.list('user').map((name) => ({ kind: 'User', apiGroup: RBAC, name })),
    ...flags.list('group').map((name) => ({ kind: 'Group', apiGroup: RBAC, name })),
  ];
  for (const sa of flags.list('serviceaccount')) {
    const tokens = sa.split(':');
    if (tokens.length !== 2 || !tokens[0] || !tokens[1]) throw new KubectlError('error: serviceaccount must be <namespace>:<name>');
    out.push({ kind: 'ServiceAccount', name: tokens[1], namespace: tokens[0] });
  }
  return out.length ? out : undefined;
}

export async function runCreateRoleBinding(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create rolebinding', args);
  const role = flags.string('role');
  const clusterRole = flags.string('clusterrole');
  if ((role === '') === (clusterRole === '')) throw new KubectlError('error: exactly one of clusterrole or role must be specified');
  const binding: Obj = {
    kind: 'RoleBinding',
    apiVersion: `${RBAC}/v1`,
    metadata: objectMeta({ name, namespace: enforcedNamespace(f) }),
    subjects: subjects(flags),
    roleRef: { apiGroup: RBAC, kind: role ? 'Role' : 'ClusterRole', name: role || clusterRole },
  };
  return createObject(f, flags, binding, { group: RBAC, version: 'v1', resource: 'rolebindings', namespaced: true }, { wrap: failedToCreate('rolebinding') });
}

export async function runCreateClusterRoleBinding(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  requireFlags(flags, 'clusterrole');
  const name = nameArg('kubectl create clusterrolebinding', args);
  const binding: Obj = {
    kind: 'ClusterRoleBinding',
    apiVersion: `${RBAC}/v1`,
    metadata: objectMeta({ name }),
    subjects: subjects(flags),
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: flags.string('clusterrole') },
  };
  return createObject(f, flags, binding, { group: RBAC, version: 'v1', resource: 'clusterrolebindings', namespaced: false }, { wrap: failedToCreate('clusterrolebinding') });
}

export async function runCreateServiceAccount(f: Factory, flags: ParsedFlags, args: string[]): Promise<number> {
  const name = nameArg('kubectl create serviceaccount', args);
  const sa: Obj = { kind: 'ServiceAccount', apiVersion: 'v1', metadata: objectMeta({ name, namespace: enforcedNamespace(f) }) };
  return createObject(f, flags, sa, { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true }, { wrap: failedToCreate('serviceaccount') });
}
