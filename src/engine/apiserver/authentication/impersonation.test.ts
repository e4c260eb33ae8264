import { describe, expect, it } from 'vitest';
import { Lab } from '../../cluster/index.ts';
import { ADMIN_USER } from '../kubeApiserver.ts';
import { splitServiceAccountUsername } from './impersonation.ts';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

/** A lab where alice may impersonate the user bob and the group devs, and nothing else. */
function lab() {
  const l = new Lab({ seed: 3 });
  l.cluster.authenticator.add('admin', ADMIN_USER);
  l.cluster.authenticator.add('alice', { username: 'alice', groups: [] });
  const send = (token: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) =>
    l.cluster.handle({ method, path, query: new URLSearchParams(), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  send('admin', 'POST', `${RBAC}/clusterroles`, {}, {
    metadata: { name: 'impersonator' },
    rules: [
      { verbs: ['impersonate'], apiGroups: [''], resources: ['users'], resourceNames: ['bob'] },
      { verbs: ['impersonate'], apiGroups: [''], resources: ['groups'], resourceNames: ['devs'] },
    ],
  });
  send('admin', 'POST', `${RBAC}/clusterrolebindings`, {}, { metadata: { name: 'alice' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'impersonator' }, subjects: [{ kind: 'User', name: 'alice' }] });
  return send;
}

const message = (body: string) => (JSON.parse(body) as { message: string }).message;

describe('impersonation, as kube-apiserver 1.32 filters it', () => {
  it.each([
    ['a user alice may not impersonate', { 'impersonate-user': 'carol' }, 'users "carol" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope'],
    ['a service account', { 'impersonate-user': 'system:serviceaccount:default:x' }, 'serviceaccounts "x" is forbidden: User "alice" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"'],
    ['a group she may not use', { 'impersonate-user': 'bob', 'impersonate-group': 'devs, admins' }, 'groups "admins" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope'],
    ['a uid', { 'impersonate-user': 'bob', 'impersonate-uid': '1234' }, 'uids.authentication.k8s.io "1234" is forbidden: User "alice" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope'],
    ['an extra', { 'impersonate-user': 'bob', 'impersonate-extra-scopes': 'view' }, 'userextras.authentication.k8s.io "view" is forbidden: User "alice" cannot impersonate resource "userextras/scopes" in API group "authentication.k8s.io" at the cluster scope'],
  ])('refuses %s with 403', (_what, headers, want) => {
    const response = lab()('alice', 'GET', '/api/v1/namespaces/default/pods', headers);
    expect(response.status).toBe(403);
    expect(message(response.body)).toBe(want);
  });

  it('acts as the impersonated user once every part is allowed: RBAC then judges bob', () => {
    const response = lab()('alice', 'GET', '/api/v1/namespaces/default/pods', { 'impersonate-user': 'bob', 'impersonate-group': 'devs' });
    expect(response.status).toBe(403);
    expect(message(response.body)).toBe('pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('lets the cluster admin act as a service account, with its groups', () => {
    const send = lab();
    const denied = send('admin', 'GET', '/api/v1/namespaces/default/pods', { 'impersonate-user': 'system:serviceaccount:default:x' });
    expect(message(denied.body)).toBe('pods is forbidden: User "system:serviceaccount:default:x" cannot list resource "pods" in API group "" in the namespace "default"');
    const review = send('admin', 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { 'impersonate-user': 'system:serviceaccount:default:x', 'impersonate-group': 'system:masters' }, {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } },
    });
    expect((JSON.parse(review.body) as { status: { allowed: boolean } }).status.allowed).toBe(true);
  });

  it('refuses groups without a user with upstream’s plain-text 500', () => {
    const response = lab()('admin', 'GET', '/api/v1/pods', { 'impersonate-group': 'devs' });
    expect(response).toMatchObject({ status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(response.body).toBe('Internal Server Error: "/api/v1/pods": requested [{Group  devs    }] without impersonating a user\n');
  });

  it('leaves a request without impersonation headers as it was', () => {
    expect(lab()('admin', 'GET', '/api/v1/namespaces/default/pods').status).toBe(200);
  });

  it.each([
    ['system:serviceaccount:default:x', { namespace: 'default', name: 'x' }],
    ['system:serviceaccount:default:x:y', undefined],
    ['system:serviceaccount:Bad:x', undefined],
    ['system:serviceaccount::x', undefined],
    ['alice', undefined],
  ])('splits the service account user name %s', (username, want) => {
    expect(splitServiceAccountUsername(username)).toEqual(want);
  });
});
