/**
 * The review APIs (pkg/registry/authorization/*, authentication/selfsubjectreview): requests that are
 * answered and never stored. `kubectl auth can-i` creates a SelfSubjectAccessReview, `auth can-i --list`
 * a SelfSubjectRulesReview, `auth whoami` a SelfSubjectReview; a component asks about another user with a
 * SubjectAccessReview (cluster-wide) or LocalSubjectAccessReview (in a namespace). Each answer is the
 * request with its status filled in by the same RBAC authorizer that guards every request.
 */
import { errors } from '../../api/errors.ts';
import type { PolicyRule, RbacAuthorizer } from '../authorization/rbac.ts';
import { jsonResponse, type ApiResponse } from '../http.ts';
import type { RequestInfo } from '../requestInfo.ts';
import type { UserInfo } from '../server.ts';
import type { KubeObject } from './strategy.ts';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
}

/** The RequestInfo an access review describes, so the authorizer decides it as it decides a request. */
function requestInfoOf(spec: AccessReviewSpec): RequestInfo {
  const r = spec.resourceAttributes;
  if (r) {
    return { isResourceRequest: true, path: '', verb: r.verb ?? '', apiPrefix: r.group ? 'apis' : 'api', apiGroup: r.group ?? '', apiVersion: r.version ?? '', namespace: r.namespace ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', name: r.name ?? '', parts: [] };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { isResourceRequest: false, path: n.path ?? '', verb: n.verb ?? '', apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
}

/** The review answered; a plain RBAC denial carries no reason upstream (RBAC gives one only for broken bindings). */
function review(object: KubeObject, kind: string, allowed: boolean): ApiResponse {
  const status: Record<string, unknown> = { allowed };
  const metadata = { ...(object.metadata ?? {}), creationTimestamp: null };
  return jsonResponse(201, JSON.stringify({ kind, apiVersion: 'authorization.k8s.io/v1', metadata, spec: object.spec, status }));
}

export interface ReviewContext {
  authorizer: RbacAuthorizer;
  /** The rules that apply to a user in a namespace (for SelfSubjectRulesReview). */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[];
}

/** Serves a create of a review resource; undefined when `info` is not one. */
export function serveReview(info: RequestInfo, body: KubeObject, user: UserInfo, ctx: ReviewContext): ApiResponse | undefined {
  if (info.verb !== 'create') return undefined;
  const spec = (body.spec ?? {}) as AccessReviewSpec;
  if (info.apiGroup === 'authorization.k8s.io') {
    switch (info.resource) {
      case 'selfsubjectaccessreviews': {
        const denied = ctx.authorizer.authorize(user, requestInfoOf(spec));
        return review(body, 'SelfSubjectAccessReview', denied === undefined);
      }
      case 'subjectaccessreviews':
      case 'localsubjectaccessreviews': {
        if (!spec.user && !(spec.groups ?? []).length) {
          throw errors.invalid({ group: 'authorization.k8s.io', kind: info.resource === 'subjectaccessreviews' ? 'SubjectAccessReview' : 'LocalSubjectAccessReview' }, '', []);
        }
        if (info.resource === 'localsubjectaccessreviews' && spec.resourceAttributes && spec.resourceAttributes.namespace !== info.namespace) {
          throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${info.namespace}`);
        }
        const subject: UserInfo = { username: spec.user ?? '', groups: spec.groups ?? [] };
        const denied = ctx.authorizer.authorize(subject, requestInfoOf(spec));
        return review(body, info.resource === 'subjectaccessreviews' ? 'SubjectAccessReview' : 'LocalSubjectAccessReview', denied === undefined);
      }
      case 'selfsubjectrulesreviews': {
        const namespace = (body.spec as { namespace?: string } | undefined)?.namespace ?? '';
        const rules = ctx.rulesFor(user, namespace);
        const resourceRules = rules.filter((r) => !r.nonResourceURLs).map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
        const nonResourceRules = rules.filter((r) => r.nonResourceURLs).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
        // system:masters is allowed everything by the privileged-group authorizer, which lists no rules.
        const masters = user.groups.includes('system:masters');
        const all = masters ? [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }] : [];
        const allNonResource = masters ? [{ verbs: ['*'], nonResourceURLs: ['*'] }] : [];
        return jsonResponse(
          201,
          JSON.stringify({
            kind: 'SelfSubjectRulesReview',
            apiVersion: 'authorization.k8s.io/v1',
            metadata: { creationTimestamp: null },
            spec: body.spec ?? {},
            status: { resourceRules: [...all, ...resourceRules], nonResourceRules: [...allNonResource, ...nonResourceRules], incomplete: false },
          }),
        );
      }
    }
  }
  if (info.apiGroup === 'authentication.k8s.io' && info.resource === 'selfsubjectreviews') {
    return jsonResponse(201, JSON.stringify({ kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, status: { userInfo: { username: user.username, groups: user.groups } } }));
  }
  return undefined;
}
