import { describe, expect, it } from 'vitest';
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';

const start = async () => {
  const tc = await TestCluster.start({ nodes: 1, controllers: ['serviceaccount-controller'] });
  await tc.tick('1s');
  return tc;
};

/** A JWT's parts decoded as `jq -R 'split(".")[n] | @base64d'` does. */
function decode(token: string): { header: unknown; claims: Record<string, unknown>; signatureBytes: number } {
  const part = (s: string) => Buffer.from(s, 'base64url');
  const [h, c, s] = token.split('.') as [string, string, string];
  return { header: JSON.parse(part(h).toString()), claims: JSON.parse(part(c).toString()) as Record<string, unknown>, signatureBytes: part(s).length };
}

const whoami = (tc: TestCluster, token: string) =>
  tc.cluster.handle({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', query: new URLSearchParams(), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}' });

describe('serviceaccounts/token (TokenRequest)', () => {
  it('`kubectl create token default` prints a JWT with 1.32 claims that authenticates as the account', async () => {
    const tc = await start();
    const sa = (await tc.get<ServiceAccount & KubeObject>('serviceaccounts', 'default'))!;
    const out = await tc.sh('kubectl create token default');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const token = out.stdout.trim();
    const { header, claims, signatureBytes } = decode(token);
    const kid = tc.cluster.apiserver.tokenGenerator.kid;
    expect(kid).toMatch(/^[\w-]{43}$/);
    expect(header).toEqual({ alg: 'RS256', kid });
    expect(signatureBytes).toBe(256);
    const now = Math.floor(tc.clock.now() / 1000);
    expect(Object.keys(claims)).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    expect(claims).toEqual({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: now + 3600,
      iat: now,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: sa.metadata?.uid } },
      nbf: now,
      sub: 'system:serviceaccount:default:default',
    });
    const jq = await tc.sh(`echo '${token}' | jq -R 'split(".")[1] | @base64d | fromjson | .sub'`);
    expect(jq.stdout).toBe('"system:serviceaccount:default:default"\n');

    const review = whoami(tc, token);
    expect(review.status).toBe(201);
    expect((JSON.parse(review.body) as { status: unknown }).status).toEqual({
      userInfo: { username: 'system:serviceaccount:default:default', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] },
    });
    // A token from another key, a tampered one, one past its expiry: 401.
    const [h, c] = token.split('.');
    expect(whoami(tc, `${h}.${c}.${'A'.repeat(342)}`).status).toBe(401);
    await tc.tick('1h');
    expect(whoami(tc, token).status).toBe(201);
    await tc.tick('61s');
    expect(whoami(tc, token).status).toBe(401);
    tc.stop();
  });

  it('binds a token to a pod: the node in the claims, a year with warnafter for the kubelet’s 3607 s, invalid once the pod is gone', async () => {
    const tc = await start();
    await tc.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec: {nodeName: worker-1, containers: [{name: app, image: nginx}]}\n');
    const pod = (await tc.get('pods', 'web'))!;
    const node = (await tc.client.resource(RESOURCES.nodes).get('', 'worker-1'))!;
    const t0 = tc.clock.now();
    const response = await tc.client.raw(
      'POST',
      '/api/v1/namespaces/default/serviceaccounts/default/token',
      {},
      JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: pod.metadata?.uid } } }),
    );
    expect(response.status).toBe(201);
    const answer = JSON.parse(response.body) as { metadata: unknown; spec: unknown; status: { token: string; expirationTimestamp: string } };
    expect(answer.metadata).toEqual({ name: 'default', namespace: 'default', creationTimestamp: new Date(Math.floor(t0 / 1000) * 1000).toISOString().replace('.000', '') });
    expect(answer.spec).toEqual({ audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3607, boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: pod.metadata?.uid } });
    const now = Math.floor(t0 / 1000);
    expect(answer.status.expirationTimestamp).toBe(new Date((now + 3607) * 1000).toISOString().replace('.000', ''));
    const { claims } = decode(answer.status.token);
    expect([claims.exp, (claims['kubernetes.io'] as Record<string, unknown>).warnafter]).toEqual([now + 365 * 24 * 3600, now + 3607]);
    expect(claims['kubernetes.io']).toMatchObject({ node: { name: 'worker-1', uid: node.metadata?.uid }, pod: { name: 'web', uid: pod.metadata?.uid } });
    expect(Object.keys(claims['kubernetes.io'] as object)).toEqual(['namespace', 'node', 'pod', 'serviceaccount', 'warnafter']);
    expect(whoami(tc, answer.status.token).status).toBe(201);
    await tc.client.resource(RESOURCES.pods).delete('default', 'web', { gracePeriodSeconds: 0 });
    expect(whoami(tc, answer.status.token).status).toBe(401);
    tc.stop();
  });

  it.each([
    ['a missing account', 'kubectl create token nope', 'error: failed to create token: serviceaccounts "nope" not found\n'],
    ['a duration under ten minutes', 'kubectl create token default --duration 5m', 'error: failed to create token: TokenRequest.authentication.k8s.io "default" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n'],
    ['a missing pod', 'kubectl create token default --bound-object-kind Pod --bound-object-name ghost', 'error: failed to create token: pods "ghost" not found\n'],
    ['a pod of another account', 'kubectl create token default --bound-object-kind Pod --bound-object-name other', 'error: failed to create token: cannot bind token for serviceaccount "default" to pod running with serviceaccount "robot"\n'],
    ['a stale uid', 'kubectl create token robot --bound-object-kind Pod --bound-object-name other --bound-object-uid 1234', 'error: failed to create token: Operation cannot be fulfilled on Pod "other": the UID in the bound object reference (1234) does not match the UID in record. The object might have been deleted and then recreated\n'],
  ])('refuses %s as upstream does', async (_what, command, stderr) => {
    const tc = await start();
    await tc.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: other}\nspec: {serviceAccountName: robot, nodeName: worker-1, containers: [{name: app, image: nginx}]}\n');
    const out = await tc.sh(command);
    expect([out.code, out.stdout, out.stderr]).toEqual([1, '', stderr]);
    tc.stop();
  });

  it('honours --audience and --duration, and a token for another audience does not authenticate here', async () => {
    const tc = await start();
    const out = await tc.sh('kubectl create token default --audience vault --audience https://example.com --duration 2h');
    const { claims } = decode(out.stdout.trim());
    expect([claims.aud, (claims.exp as number) - (claims.iat as number)]).toEqual([['vault', 'https://example.com'], 7200]);
    expect(whoami(tc, out.stdout.trim()).status).toBe(401);
    tc.stop();
  });
});
