import { describe, expect, it } from 'vitest';
import { parseRequestInfo } from '../requestInfo.ts';
import { RbacAuthorizer, ruleAllows, type Binding, type PolicyRule, type RbacSource, type RoleRef } from './rbac.ts';

const info = (method: string, path: string, query = '') => parseRequestInfo(method, path, new URLSearchParams(query));

const roles: Record<string, PolicyRule[]> = {
  'ClusterRole/view': [{ verbs: ['get', 'list', 'watch'], apiGroups: ['', 'apps'], resources: ['pods', 'deployments', 'pods/log'] }],
  'ClusterRole/node-reader': [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }],
  'ClusterRole/health': [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/version'] }],
  'dev/Role/configmap-one': [{ verbs: ['get', 'update'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] }],
};

const source: RbacSource = {
  clusterRoleBindings: (): Binding[] => [
    { namespace: '', subjects: [{ kind: 'Group', name: 'ops' }], roleRef: { kind: 'ClusterRole', name: 'node-reader' } },
    { namespace: '', subjects: [{ kind: 'Group', name: 'system:authenticated' }], roleRef: { kind: 'ClusterRole', name: 'health' } },
  ],
  roleBindings: (ns): Binding[] =>
    ns === 'dev'
      ? [
          { namespace: 'dev', subjects: [{ kind: 'User', name: 'jane' }], roleRef: { kind: 'ClusterRole', name: 'view' } },
          { namespace: 'dev', subjects: [{ kind: 'ServiceAccount', name: 'app' }], roleRef: { kind: 'Role', name: 'configmap-one' } },
        ]
      : [],
  rules: (ref: RoleRef, ns) => roles[ref.kind === 'Role' ? `${ns}/Role/${ref.name}` : `ClusterRole/${ref.name}`],
};

const rbac = new RbacAuthorizer(source);
const jane = { username: 'jane', groups: ['system:authenticated'] };
const app = { username: 'system:serviceaccount:dev:app', groups: ['system:serviceaccounts', 'system:authenticated'] };

describe('RBAC', () => {
  it.each([
    [jane, 'GET', '/api/v1/namespaces/dev/pods', '', undefined],
    [jane, 'GET', '/api/v1/namespaces/dev/pods/web/log', '', undefined],
    [jane, 'GET', '/apis/apps/v1/namespaces/dev/deployments', 'watch=1', undefined],
    [jane, 'DELETE', '/api/v1/namespaces/dev/pods/web', '', 'User "jane" cannot delete resource "pods" in API group "" in the namespace "dev"'],
    [jane, 'GET', '/api/v1/namespaces/prod/pods', '', 'User "jane" cannot list resource "pods" in API group "" in the namespace "prod"'],
    [jane, 'GET', '/api/v1/pods', '', 'User "jane" cannot list resource "pods" in API group "" at the cluster scope'],
    [jane, 'GET', '/api/v1/namespaces/dev/pods/web/exec', '', 'User "jane" cannot get resource "pods/exec" in API group "" in the namespace "dev"'],
    [jane, 'GET', '/version', '', undefined],
    [jane, 'GET', '/metrics', '', 'User "jane" cannot get path "/metrics"'],
    [{ username: 'bob', groups: ['ops', 'system:authenticated'] }, 'GET', '/api/v1/nodes/n1', '', undefined],
    [{ username: 'root', groups: ['system:masters'] }, 'DELETE', '/api/v1/nodes/n1', '', undefined],
    [app, 'GET', '/api/v1/namespaces/dev/configmaps/settings', '', undefined],
    [app, 'GET', '/api/v1/namespaces/dev/configmaps/other', '', 'User "system:serviceaccount:dev:app" cannot get resource "configmaps" in API group "" in the namespace "dev"'],
    [app, 'GET', '/api/v1/namespaces/dev/configmaps', '', 'User "system:serviceaccount:dev:app" cannot list resource "configmaps" in API group "" in the namespace "dev"'],
  ])('%j %s %s?%s', (user, method, path, query, expected) => {
    expect(rbac.authorize(user, info(method, path, query))).toBe(expected);
  });

  it.each([
    [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, 'DELETE', '/apis/apps/v1/namespaces/x/deployments/y', true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, 'GET', '/api/v1/namespaces/x/pods/y/log', true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['*/status'] }, 'GET', '/api/v1/namespaces/x/pods/y/status', true],
    [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }, 'GET', '/api/v1/namespaces/x/pods/y/status', false],
    [{ verbs: ['get'], nonResourceURLs: ['/healthz/*'] }, 'GET', '/healthz/etcd', true],
  ])('rule %j allows %s %s: %s', (rule, method, path, expected) => {
    expect(ruleAllows(rule, info(method, path))).toBe(expected);
  });
});
