/**
 * The RBAC roles and bindings an apiserver creates at start (plugin/pkg/auth/authorizer/rbac/
 * bootstrappolicy): the user-facing ClusterRoles cluster-admin, admin, edit and view (the last three
 * aggregated from the `system:aggregate-to-*` roles by label, as the clusterrole-aggregation controller
 * does), the discovery and basic-user roles every authenticated user has, and the roles the components
 * run as (scheduler, controller manager, kubelets, kube-proxy). Rules are upstream's in substance; the
 * long tails of resources outside the lab's kinds are left out.
 */
import type { KubeObject } from '../registry/strategy.ts';
import type { PolicyRule } from './rbac.ts';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const ALL = ['*'];

function rule(verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule {
  const r: PolicyRule = { verbs, apiGroups, resources };
  if (resourceNames) r.resourceNames = resourceNames;
  return r;
}

const AUTOPROVISION = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const BOOTSTRAP_LABEL = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function clusterRole(name: string, rules: PolicyRule[], extra: { labels?: Record<string, string>; aggregateFrom?: string } = {}): KubeObject {
  const role: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAP_LABEL, ...extra.labels }, annotations: { ...AUTOPROVISION } },
    rules,
  };
  if (extra.aggregateFrom) role.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: 'true' } }] };
  return role;
}

function clusterRoleBinding(name: string, role: string, subjects: Array<{ kind: 'User' | 'Group'; name: string }>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name, labels: { ...BOOTSTRAP_LABEL }, annotations: { ...AUTOPROVISION } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: subjects.map((s) => ({ apiGroup: 'rbac.authorization.k8s.io', ...s })),
  };
}

const WORKLOADS = ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'];
const CORE_NAMESPACED = ['configmaps', 'endpoints', 'persistentvolumeclaims', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services'];

const viewRules: PolicyRule[] = [
  rule(READ, [''], [...CORE_NAMESPACED, 'bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', ...WORKLOADS, 'daemonsets/status', 'deployments/status', 'replicasets/status', 'statefulsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
];

const editRules: PolicyRule[] = [
  rule(['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['pods/eviction']),
  rule([...WRITE, ...READ], [''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule([...WRITE, ...READ], ['apps'], WORKLOADS),
  rule([...WRITE, ...READ], ['autoscaling'], ['horizontalpodautoscalers']),
  rule([...WRITE, ...READ], ['batch'], ['cronjobs', 'jobs']),
  rule([...WRITE, ...READ], ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule([...WRITE, ...READ], ['policy'], ['poddisruptionbudgets']),
  rule([...WRITE, ...READ], ['discovery.k8s.io'], ['endpointslices']),
  rule(['create', 'delete', 'deletecollection', 'patch', 'update'], [''], ['endpoints']),
];

const adminRules: PolicyRule[] = [
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule([...WRITE, ...READ], ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
];

/** Aggregated ClusterRoles get the union of the rules of the roles their selectors pick, in name order. */
function aggregate(roles: KubeObject[]): void {
  for (const role of roles) {
    const selectors = (role.aggregationRule as { clusterRoleSelectors?: Array<{ matchLabels?: Record<string, string> }> } | undefined)?.clusterRoleSelectors;
    if (!selectors) continue;
    const sources = roles
      .filter((r) => r !== role && selectors.some((s) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => r.metadata?.labels?.[k] === v)))
      .sort((a, b) => (a.metadata!.name! < b.metadata!.name! ? -1 : 1));
    role.rules = sources.flatMap((r) => r.rules as PolicyRule[]);
  }
}

export function bootstrapClusterRoles(): KubeObject[] {
  const roles = [
    clusterRole('cluster-admin', [rule(ALL, ['*'], ['*']), { verbs: ALL, nonResourceURLs: ['*'] }]),
    clusterRole('admin', [], { aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-admin' }),
    clusterRole('edit', [], { labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' }, aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-edit' }),
    clusterRole('view', [], { labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' }, aggregateFrom: 'rbac.authorization.k8s.io/aggregate-to-view' }),
    clusterRole('system:aggregate-to-admin', adminRules, { labels: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } }),
    clusterRole('system:aggregate-to-edit', editRules, { labels: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } }),
    clusterRole('system:aggregate-to-view', viewRules, { labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }),
    clusterRole('system:discovery', [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }]),
    clusterRole('system:public-info-viewer', [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }]),
    clusterRole('system:basic-user', [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])]),
    clusterRole('system:kube-scheduler', [
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-scheduler']),
      rule(['delete', 'get', 'list', 'watch'], [''], ['pods']),
      rule(['create'], [''], ['bindings', 'pods/binding']),
      rule(['patch', 'update'], [''], ['pods/status']),
      rule(READ, [''], ['nodes', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'replicationcontrollers', 'services']),
      rule(READ, ['apps'], ['replicasets', 'statefulsets']),
      rule(READ, ['policy'], ['poddisruptionbudgets']),
      rule(READ, ['storage.k8s.io'], ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities']),
    ]),
    clusterRole('system:kube-controller-manager', [
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['create'], ['coordination.k8s.io'], ['leases']),
      rule(['get', 'update'], ['coordination.k8s.io'], ['leases'], ['kube-controller-manager']),
      rule(['*'], ['*'], ['*']),
    ]),
    clusterRole('system:node', [
      rule(['create', 'get', 'list', 'watch', 'delete', 'patch', 'update'], [''], ['nodes', 'nodes/status', 'pods', 'pods/status', 'pods/eviction']),
      rule(['get', 'list', 'watch'], [''], ['services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'persistentvolumes']),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['create'], [''], ['serviceaccounts/token']),
      rule(['create', 'delete', 'get', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
    ]),
    clusterRole('system:node-proxier', [
      rule(['list', 'watch'], [''], ['endpoints', 'services']),
      rule(['get', 'list', 'watch'], [''], ['nodes']),
      rule(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']),
      rule(['list', 'watch'], ['discovery.k8s.io'], ['endpointslices']),
    ]),
  ];
  aggregate(roles);
  return roles;
}

export function bootstrapClusterRoleBindings(): KubeObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [{ kind: 'Group', name: 'system:masters' }]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [{ kind: 'Group', name: 'system:authenticated' }]),
    clusterRoleBinding('system:discovery', 'system:discovery', [{ kind: 'Group', name: 'system:authenticated' }]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [
      { kind: 'Group', name: 'system:authenticated' },
      { kind: 'Group', name: 'system:unauthenticated' },
    ]),
    clusterRoleBinding('system:kube-scheduler', 'system:kube-scheduler', [{ kind: 'User', name: 'system:kube-scheduler' }]),
    clusterRoleBinding('system:kube-controller-manager', 'system:kube-controller-manager', [{ kind: 'User', name: 'system:kube-controller-manager' }]),
    clusterRoleBinding('system:node', 'system:node', [{ kind: 'Group', name: 'system:nodes' }]),
    clusterRoleBinding('system:node-proxier', 'system:node-proxier', [{ kind: 'User', name: 'system:kube-proxy' }]),
  ];
}
