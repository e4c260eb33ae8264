/**
 * Impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, Kubernetes 1.32): after
 * authentication, a request carrying `Impersonate-User`, `Impersonate-Group`, `Impersonate-Uid` or
 * `Impersonate-Extra-<key>` headers acts as the user they describe, once the authenticated user is
 * allowed the `impersonate` verb on each part: `users`, `groups` (core group), `serviceaccounts` in
 * their namespace for a `system:serviceaccount:NS:NAME` user, `uids` and `userextras/<key>` in
 * `authentication.k8s.io`. A refusal is upstream's 403, e.g. `users "bob" is forbidden: User "alice"
 * cannot impersonate resource "users" in API group "" at the cluster scope`.
 *
 * The impersonated user gets the groups asked for; with none, a service account gets
 * `system:serviceaccounts` and `system:serviceaccounts:NS`; everyone but `system:anonymous` also gets
 * `system:authenticated` (unless `system:authenticated` or `system:unauthenticated` was asked for), and
 * `system:anonymous` gets `system:unauthenticated`. Groups, a uid or extras without a user are refused
 * as upstream does, with a plain-text 500.
 *
 * Left out: constrained impersonation (a 1.34 alpha). The lab's headers are one string per name, so
 * several `Impersonate-Group` headers arrive joined by ", " (as Node joins repeated headers) and are
 * split there; a group name containing ", " cannot be impersonated.
 */
import { errors } from '../../api/errors.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../api/validation/formats.ts';
import type { ApiRequest, ApiResponse } from '../http.ts';
import type { RequestInfo } from '../requestInfo.ts';
import type { Authorizer, UserInfo } from '../server.ts';

export const IMPERSONATE_USER = 'impersonate-user';
export const IMPERSONATE_GROUP = 'impersonate-group';
export const IMPERSONATE_UID = 'impersonate-uid';
export const IMPERSONATE_EXTRA_PREFIX = 'impersonate-extra-';

const AUTHENTICATION_GROUP = 'authentication.k8s.io';
const ANONYMOUS = 'system:anonymous';
const ALL_AUTHENTICATED = 'system:authenticated';
const ALL_UNAUTHENTICATED = 'system:unauthenticated';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

/** One thing the request asks to act as: upstream's ObjectReference of a Kind. */
interface ImpersonationRequest {
  kind: 'ServiceAccount' | 'User' | 'Group' | 'UserExtra' | 'UID';
  namespace: string;
  name: string;
  apiVersion: string;
  fieldPath: string;
}

/** serviceaccount.SplitUsername: the namespace and name of `system:serviceaccount:NS:NAME`, if valid. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace = '', name = ''] = parts;
  if (isDNS1123Label(namespace).length > 0 || isDNS1123Subdomain(name).length > 0) return undefined;
  return { namespace, name };
}

/** The header's values: repeated headers arrive joined by ", ". */
function values(header: string | undefined): string[] {
  return header === undefined || header === '' ? [] : header.split(', ');
}

/** buildImpersonationRequests, in upstream's order: user, groups, extras, uid. */
function buildRequests(headers: ApiRequest['headers']): ImpersonationRequest[] | string {
  const requests: ImpersonationRequest[] = [];
  const ref = (kind: ImpersonationRequest['kind'], name: string, more: Partial<ImpersonationRequest> = {}): ImpersonationRequest => ({ kind, namespace: '', name, apiVersion: '', fieldPath: '', ...more });
  const user = headers[IMPERSONATE_USER] ?? '';
  if (user) {
    const sa = splitServiceAccountUsername(user);
    requests.push(sa ? ref('ServiceAccount', sa.name, { namespace: sa.namespace }) : ref('User', user));
  }
  const groups = values(headers[IMPERSONATE_GROUP]);
  for (const group of groups) requests.push(ref('Group', group));
  let hasExtra = false;
  for (const [header, value] of Object.entries(headers)) {
    if (!header.startsWith(IMPERSONATE_EXTRA_PREFIX)) continue;
    hasExtra = true;
    const key = unescapeExtraKey(header.slice(IMPERSONATE_EXTRA_PREFIX.length).toLowerCase());
    for (const v of values(value)) requests.push(ref('UserExtra', v, { apiVersion: `${AUTHENTICATION_GROUP}/v1`, fieldPath: key }));
  }
  const uid = headers[IMPERSONATE_UID] ?? '';
  if (uid) requests.push(ref('UID', uid, { apiVersion: `${AUTHENTICATION_GROUP}/v1` }));
  if ((groups.length > 0 || hasExtra || uid !== '') && !user) {
    // fmt's %v of []v1.ObjectReference: each struct's fields in order, space-separated.
    const shown = requests.map((r) => `{${r.kind} ${r.namespace} ${r.name}  ${r.apiVersion}  ${r.fieldPath}}`).join(' ');
    return `requested [${shown}] without impersonating a user`;
  }
  return requests;
}

/** url.PathUnescape, keeping the key as it is when it is malformed. */
function unescapeExtraKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** The attributes the impersonate check is made with, as a resource request. */
function actingAs(request: ImpersonationRequest): RequestInfo {
  const base: RequestInfo = { isResourceRequest: true, path: '', verb: 'impersonate', apiPrefix: '', apiGroup: '', apiVersion: '', namespace: request.namespace, resource: '', subresource: '', name: request.name, parts: [] };
  switch (request.kind) {
    case 'ServiceAccount':
      return { ...base, resource: 'serviceaccounts' };
    case 'User':
      return { ...base, resource: 'users' };
    case 'Group':
      return { ...base, resource: 'groups' };
    case 'UserExtra':
      return { ...base, apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'userextras', subresource: request.fieldPath };
    case 'UID':
      return { ...base, apiGroup: AUTHENTICATION_GROUP, apiVersion: 'v1', resource: 'uids' };
  }
}

/**
 * WithImpersonation: the user the request acts as (the authenticated one when it asks for nobody else),
 * or the response that refuses it. Throws the 403 StatusError when an impersonation is not allowed.
 */
export function withImpersonation(request: ApiRequest, requestor: UserInfo, authorizer: Authorizer): UserInfo | ApiResponse {
  const requests = buildRequests(request.headers);
  if (typeof requests === 'string') {
    // responsewriters.InternalError: http.Error's plain text, with the request URI quoted.
    const query = request.query.toString();
    const uri = query ? `${request.path}?${query}` : request.path;
    const body = `Internal Server Error: ${JSON.stringify(uri)}: ${requests}`.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' }, body: `${body}\n` };
  }
  if (requests.length === 0) return requestor;
  const groupsSpecified = values(request.headers[IMPERSONATE_GROUP]).length > 0;
  let username = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const r of requests) {
    const attributes = actingAs(r);
    switch (r.kind) {
      case 'ServiceAccount':
        username = `${SERVICE_ACCOUNT_PREFIX}${r.namespace}:${r.name}`;
        if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${r.namespace}`];
        break;
      case 'User':
        username = r.name;
        break;
      case 'Group':
        groups.push(r.name);
        break;
      case 'UserExtra':
        (extra[r.fieldPath] ??= []).push(r.name);
        break;
      case 'UID':
        uid = r.name;
        break;
    }
    const denied = authorizer.authorize(requestor, attributes);
    if (denied !== undefined) throw errors.forbidden({ group: attributes.apiGroup, resource: attributes.resource }, attributes.name, denied);
  }
  if (username !== ANONYMOUS) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_UNAUTHENTICATED);
  return { username, groups, ...(uid ? { uid } : {}), ...(Object.keys(extra).length > 0 ? { extra } : {}) };
}
