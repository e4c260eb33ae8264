/**
 * Service-account JWTs — pkg/serviceaccount/jwt.go and claims.go (Kubernetes 1.32): the apiserver's
 * token generator (`--service-account-signing-key-file`) and the authenticator that accepts what it
 * issued (`--service-account-key-file`, `--service-account-issuer`, `--api-audiences`).
 *
 * A token is `base64url(header).base64url(claims).base64url(signature)`; the header is
 * `{"alg":"RS256","kid":…}` with the key id of the signing key, the claims are what 1.32 writes, keys in
 * the order go-jose's marshalling gives (sorted): aud, exp, iat, iss, jti, the private `kubernetes.io`
 * claim (namespace, node, pod or secret, serviceaccount, warnafter), nbf, sub. The signature is pki.ts's
 * deterministic stand-in for RS256: tokens decode as real ones do, only this apiserver can verify them.
 *
 * Validation as the 1.32 validator does it: the signature and issuer, an audience the apiserver accepts,
 * exp and nbf with go-jose's one-minute leeway, then the service account (name and uid) and the object the
 * token is bound to must still exist. The user is `system:serviceaccount:<ns>:<name>` in
 * `system:serviceaccounts` and `system:serviceaccounts:<ns>`, with the pod, node and credential id as
 * extra. Left out: legacy Secret-based tokens, external issuers (JWKS discovery), audit annotations for
 * stale tokens.
 */
import { decodeBase64 } from '../../base/base64.ts';
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { ApiRequest } from '../http.ts';
import type { KubeObject } from '../registry/strategy.ts';
import type { Authenticator, UserInfo } from '../server.ts';
import { base64Url, generateSigningKey, keyId, sign, verify, type SigningKey } from './pki.ts';

/** kubeadm's --service-account-issuer, which --api-audiences defaults to. */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The expiry the kubelet asks for (3607 s): such pod-bound tokens only warn after it (WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_BOUND_TOKEN_EXPIRATION_SECONDS = 60 * 60 + 7;

/** How long those tokens really last (ExpirationExtensionSeconds: one year). */
export const EXPIRATION_EXTENSION_SECONDS = 24 * 365 * 60 * 60;

/** go-jose's jwt.DefaultLeeway. */
const LEEWAY_SECONDS = 60;

interface Ref {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim. */
export interface KubernetesClaim {
  namespace: string;
  node?: Ref;
  pod?: Ref;
  secret?: Ref;
  serviceaccount: Ref;
  warnafter?: number;
}

/** The claims of a service-account token, as the JSON object the token carries. */
export interface ServiceAccountClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': KubernetesClaim;
  nbf: number;
  sub: string;
}

/** The objects a token is minted for: the account and at most one of pod (with its node), secret or node. */
export interface TokenSubjects {
  serviceAccount: KubeObject;
  pod?: KubeObject;
  secret?: KubeObject;
  node?: KubeObject;
}

/** apiserverserviceaccount.MakeUsername. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** claims.go's Claims: times in whole seconds from `nowMs`; `warnafterSeconds` 0 for none. */
export function claimsFor(subjects: TokenSubjects, nowMs: number, expirationSeconds: number, warnafterSeconds: number, audiences: string[], jti: string, issuer = SERVICE_ACCOUNT_ISSUER): ServiceAccountClaims {
  const now = Math.floor(nowMs / 1000);
  const ref = (o: KubeObject): Ref => ({ name: o.metadata?.name ?? '', uid: o.metadata?.uid ?? '' });
  const sa = subjects.serviceAccount;
  const namespace = sa.metadata?.namespace ?? '';
  const k8s: KubernetesClaim = { namespace, serviceaccount: ref(sa) };
  if (subjects.pod) {
    if (subjects.node) k8s.node = ref(subjects.node);
    k8s.pod = ref(subjects.pod);
  } else if (subjects.secret) k8s.secret = ref(subjects.secret);
  else if (subjects.node) k8s.node = ref(subjects.node);
  if (warnafterSeconds) k8s.warnafter = now + warnafterSeconds;
  const ordered: KubernetesClaim = { namespace: k8s.namespace, ...(k8s.node ? { node: k8s.node } : {}), ...(k8s.pod ? { pod: k8s.pod } : {}), ...(k8s.secret ? { secret: k8s.secret } : {}), serviceaccount: k8s.serviceaccount, ...(k8s.warnafter ? { warnafter: k8s.warnafter } : {}) };
  return { aud: audiences, exp: now + expirationSeconds, iat: now, iss: issuer, jti, 'kubernetes.io': ordered, nbf: now, sub: serviceAccountUsername(namespace, sa.metadata?.name ?? '') };
}

const utf8 = new TextEncoder();

/** jwt.go's JWTTokenGenerator with the apiserver's signing key. */
export class TokenGenerator {
  private readonly key: SigningKey;
  /** The `kid` header of every token (keyIDFromPublicKey). */
  readonly kid: string;

  constructor(rng: SeededRng) {
    this.key = generateSigningKey(rng);
    this.kid = keyId(this.key);
  }

  generateToken(claims: ServiceAccountClaims): string {
    const signingInput = `${base64Url(utf8.encode(JSON.stringify({ alg: 'RS256', kid: this.kid })))}.${base64Url(utf8.encode(JSON.stringify(claims)))}`;
    return `${signingInput}.${base64Url(sign(this.key, utf8.encode(signingInput)))}`;
  }

  /** The claims of a token this generator signed, or undefined (not a JWT, another key, a bad signature). */
  verifiedClaims(token: string): ServiceAccountClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [header, payload, signature] = parts as [string, string, string];
    const json = (part: string): unknown => {
      const bytes = decodeBase64(part.replace(/-/g, '+').replace(/_/g, '/'));
      if (!bytes) return undefined;
      try {
        return JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        return undefined;
      }
    };
    const h = json(header) as { alg?: string; kid?: string } | undefined;
    if (h?.alg !== 'RS256' || h.kid !== this.kid) return undefined;
    const sig = decodeBase64(signature.replace(/-/g, '+').replace(/_/g, '/'));
    if (!sig || !verify(this.key, utf8.encode(`${header}.${payload}`), sig)) return undefined;
    const claims = json(payload) as ServiceAccountClaims | undefined;
    return claims && typeof claims === 'object' ? claims : undefined;
  }
}

/** How the authenticator reads the objects a token names (the apiserver's own reads). */
export type ObjectGetter = (resource: 'serviceaccounts' | 'pods' | 'secrets' | 'nodes', namespace: string, name: string) => KubeObject | undefined;

/** jwt.go's JWTTokenAuthenticator for the tokens `generator` issued. */
export class ServiceAccountTokenAuthenticator implements Authenticator {
  constructor(
    private readonly generator: TokenGenerator,
    private readonly clock: Clock,
    private readonly get: ObjectGetter,
    private readonly audiences: readonly string[] = [SERVICE_ACCOUNT_ISSUER],
    private readonly issuer = SERVICE_ACCOUNT_ISSUER,
  ) {}

  authenticate(request: ApiRequest): UserInfo | undefined {
    const m = /^Bearer\s+(\S+)$/i.exec((request.headers['authorization'] ?? '').trim());
    const claims = m ? this.generator.verifiedClaims(m[1]!) : undefined;
    if (!claims || claims.iss !== this.issuer) return undefined;
    if (!(claims.aud ?? []).some((a) => this.audiences.includes(a))) return undefined;
    const now = Math.floor(this.clock.now() / 1000);
    if (now > claims.exp + LEEWAY_SECONDS || now < claims.nbf - LEEWAY_SECONDS) return undefined;
    const k8s = claims['kubernetes.io'];
    if (!k8s?.serviceaccount) return undefined;
    const ns = k8s.namespace;
    const alive = (o: KubeObject | undefined, ref: Ref) => o !== undefined && o.metadata?.uid === ref.uid && !o.metadata?.deletionTimestamp;
    if (!alive(this.get('serviceaccounts', ns, k8s.serviceaccount.name), k8s.serviceaccount)) return undefined;
    if (k8s.secret && !alive(this.get('secrets', ns, k8s.secret.name), k8s.secret)) return undefined;
    if (k8s.pod && !alive(this.get('pods', ns, k8s.pod.name), k8s.pod)) return undefined;
    if (k8s.node && !k8s.pod && !alive(this.get('nodes', '', k8s.node.name), k8s.node)) return undefined;
    const extra: Record<string, string[]> = {};
    if (k8s.node) {
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    return {
      username: serviceAccountUsername(ns, k8s.serviceaccount.name),
      uid: k8s.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      extra,
    };
  }
}
