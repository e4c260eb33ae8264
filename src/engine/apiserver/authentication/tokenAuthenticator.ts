/**
 * Bearer-token authentication (the apiserver's static token file authenticator, plus service account
 * tokens): `Authorization: Bearer <token>` names a user and groups. Every authenticated user is also in
 * `system:authenticated`, as upstream adds. A request with no token is `system:anonymous` in
 * `system:unauthenticated` — RBAC then decides (it allows little); a token nobody issued is refused (401).
 */
import type { ApiRequest } from '../http.ts';
import type { Authenticator, UserInfo } from '../server.ts';

export class TokenAuthenticator implements Authenticator {
  private readonly tokens = new Map<string, UserInfo>();

  /** Accept `token` as `user` from now on (kubeconfig users, components, service accounts). */
  add(token: string, user: UserInfo): void {
    this.tokens.set(token, { username: user.username, groups: [...new Set([...user.groups, 'system:authenticated'])] });
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  authenticate(request: ApiRequest): UserInfo | undefined {
    const header = request.headers['authorization'];
    if (header === undefined) return { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) return undefined;
    return this.tokens.get(m[1]!);
  }
}
