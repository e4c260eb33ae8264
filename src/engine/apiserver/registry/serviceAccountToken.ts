/**
 * A ServiceAccount's `token` subresource (pkg/registry/core/serviceaccount/storage/token.go, 1.32): a
 * TokenRequest (authentication.k8s.io/v1) POSTed to /api/v1/namespaces/{ns}/serviceaccounts/{name}/token
 * is answered with a signed JWT in status.token, never stored.
 *
 * Order as upstream: the body's name and namespace must match the URL's; the account must exist (404);
 * audiences default to the apiserver's (`--api-audiences`); expirationSeconds defaults to 3600 and must be
 * at least 600 (422); a boundObjectRef names a Pod (which must run as this account, and whose node the
 * token then names), a Secret or a Node, whose uid must match if given (409). A pod-bound token asked for
 * with the kubelet's 3607 s and the apiserver's audiences lasts a year and only warns after 3607 s
 * (--service-account-extend-token-expiration, on in kubeadm clusters); status.expirationTimestamp keeps
 * the asked-for expiry. Left out: --service-account-max-token-expiration.
 */
import { errors } from '../../api/errors.ts';
import { field } from '../../api/field/errors.ts';
import { Path } from '../../api/field/path.ts';
import { rfc3339 } from '../../api/time.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import { jsonResponse, type ApiResponse } from '../http.ts';
import {
  claimsFor,
  EXPIRATION_EXTENSION_SECONDS,
  SERVICE_ACCOUNT_ISSUER,
  WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS,
  type ObjectGetter,
  type TokenGenerator,
  type TokenSubjects,
} from '../serviceaccount/jwt.ts';
import type { KubeObject } from './strategy.ts';

const TOKEN_REQUEST = { group: 'authentication.k8s.io', kind: 'TokenRequest' };

interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string } | null;
}

export interface TokenRestOptions {
  generator: TokenGenerator;
  get: ObjectGetter;
  rng: SeededRng;
  /** The apiserver's --api-audiences. */
  audiences?: readonly string[];
}

/** TokenREST.Create: the TokenRequest answered, with its token. */
export function createToken(options: TokenRestOptions, namespace: string, name: string, body: KubeObject, nowMs: number): ApiResponse {
  if (body.kind !== undefined && body.kind !== 'TokenRequest') {
    throw errors.badRequest(`${body.kind} in version "${String(body.apiVersion ?? '').split('/').pop()}" cannot be handled as a TokenRequest: no kind "${body.kind}" is registered for version "${String(body.apiVersion ?? '')}" in scheme "k8s.io/apimachinery@v1.32.0/pkg/runtime/scheme.go:100"`);
  }
  const meta = body.metadata ?? {};
  if (meta.name && meta.name !== name) throw errors.invalid(TOKEN_REQUEST, name, [field.invalid(Path.of('metadata', 'name'), meta.name, 'must match the service account name if specified')]);
  if (meta.namespace && meta.namespace !== namespace) throw errors.invalid(TOKEN_REQUEST, name, [field.invalid(Path.of('metadata', 'namespace'), meta.namespace, 'must match the service account namespace if specified')]);
  const serviceAccount = options.get('serviceaccounts', namespace, name);
  if (!serviceAccount) throw errors.notFound({ group: '', resource: 'serviceaccounts' }, name);
  const spec = (body.spec ?? {}) as TokenRequestSpec;
  const apiAudiences = [...(options.audiences ?? [SERVICE_ACCOUNT_ISSUER])];
  const audiences = spec.audiences?.length ? spec.audiences : apiAudiences;
  const expirationSeconds = spec.expirationSeconds ?? 3600;
  if (expirationSeconds < 600) throw errors.invalid(TOKEN_REQUEST, name, [field.invalid(Path.of('spec', 'expirationSeconds'), expirationSeconds, 'may not specify a duration less than 10 minutes')]);
  if (expirationSeconds > 2 ** 32) throw errors.invalid(TOKEN_REQUEST, name, [field.invalid(Path.of('spec', 'expirationSeconds'), expirationSeconds, 'may not specify a duration larger than 2^32 seconds')]);

  const subjects: TokenSubjects = { serviceAccount };
  const ref = spec.boundObjectRef;
  if (ref) {
    const kind = ref.kind ?? '';
    const group = (ref.apiVersion ?? '').includes('/') ? (ref.apiVersion ?? '').split('/')[0]! : '';
    const refName = ref.name ?? '';
    let bound: KubeObject;
    if (group === '' && kind === 'Pod') {
      const pod = options.get('pods', namespace, refName);
      if (!pod) throw errors.notFound({ group: '', resource: 'pods' }, refName);
      const podAccount = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? '';
      if (podAccount !== name) throw errors.badRequest(`cannot bind token for serviceaccount "${name}" to pod running with serviceaccount "${podAccount}"`);
      subjects.pod = bound = pod;
      const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      const node = nodeName ? options.get('nodes', '', nodeName) : undefined;
      if (node) subjects.node = node;
    } else if (group === '' && kind === 'Secret') {
      const secret = options.get('secrets', namespace, refName);
      if (!secret) throw errors.notFound({ group: '', resource: 'secrets' }, refName);
      subjects.secret = bound = secret;
    } else if (group === '' && kind === 'Node') {
      const node = options.get('nodes', '', refName);
      if (!node) throw errors.notFound({ group: '', resource: 'nodes' }, refName);
      subjects.node = bound = node;
    } else {
      throw errors.badRequest(`cannot bind token to object of type ${group ? `${group}/` : '/'}${ref.apiVersion?.split('/').pop() ?? ''}, Kind=${kind}`);
    }
    if (ref.uid && ref.uid !== bound.metadata?.uid) {
      throw errors.conflict({ group: '', resource: kind }, refName, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
    }
  }

  let exp = expirationSeconds;
  let warnafter = 0;
  if (subjects.pod && expirationSeconds === WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS && audiences.every((a) => apiAudiences.includes(a))) {
    warnafter = expirationSeconds;
    exp = EXPIRATION_EXTENSION_SECONDS;
  }
  const claims = claimsFor(subjects, nowMs, exp, warnafter, audiences, options.rng.uuid());
  const token = options.generator.generateToken(claims);
  return jsonResponse(
    201,
    JSON.stringify({
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(nowMs) },
      spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
      status: { token, expirationTimestamp: rfc3339(Math.floor(nowMs / 1000) * 1000 + expirationSeconds * 1000) },
    }),
  );
}
