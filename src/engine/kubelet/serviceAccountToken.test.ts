import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ConfigMap, Event, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../client/rest/restClient.ts';
import { RESOURCES } from '../client/resources.ts';
import { fullNodeLab } from './testing.ts';

const yieldToHost = () => new Promise<void>((resolve) => setImmediate(resolve));

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('the service-account volume on a full node', () => {
  it('runs a pod with the default kube-api-access volume: token, ca.crt and namespace, the token bound to the pod', async () => {
    const { lab, client, tick, apply, sh } = await fullNodeLab({ yieldToHost, seed: 11 });
    await apply('apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - {name: app, image: busybox, command: [sleep, "3600"]}\n');
    await tick(10_000);
    const pod = (await client.resource<Pod & KubeObject>(RESOURCES.pods).get('default', 'app')) as Pod;
    expect(pod.status?.phase).toBe('Running');
    const events = (await client.resource<Event & KubeObject>(RESOURCES.events).list('default')).items.filter((e) => e.involvedObject?.name === 'app');
    expect(events.filter((e) => e.reason === 'FailedMount')).toEqual([]);

    expect(await sh(`kubectl exec app -- ls ${SA_DIR}`)).toBe('ca.crt\nnamespace\ntoken\n');
    expect(await sh(`kubectl exec app -- cat ${SA_DIR}/namespace`)).toBe('default');
    const ca = (await client.resource<ConfigMap & KubeObject>(RESOURCES.configmaps).get('default', 'kube-root-ca.crt')).data?.['ca.crt'];
    expect(await sh(`kubectl exec app -- cat ${SA_DIR}/ca.crt`)).toBe(ca);

    const token = await sh(`kubectl exec app -- cat ${SA_DIR}/token`);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    const node = await client.resource(RESOURCES.nodes).get('', 'worker-1');
    const sa = await client.resource(RESOURCES.serviceaccounts).get('default', 'default');
    const iat = claims.iat as number;
    expect(claims).toEqual({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: iat + 365 * 24 * 3600,
      iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: expect.any(String),
      'kubernetes.io': {
        namespace: 'default',
        node: { name: 'worker-1', uid: node.metadata?.uid },
        pod: { name: 'app', uid: pod.metadata?.uid },
        serviceaccount: { name: 'default', uid: sa.metadata?.uid },
        warnafter: iat + 3607,
      },
      nbf: iat,
      sub: 'system:serviceaccount:default:default',
    });
    // The pod's token is a credential: the apiserver knows it as the pod's service account.
    const review = lab.cluster.handle({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', query: new URLSearchParams(), headers: { authorization: `Bearer ${token}` }, body: '{}' });
    expect((JSON.parse(review.body) as { status: { userInfo: { username: string } } }).status.userInfo.username).toBe('system:serviceaccount:default:default');

    // The kubelet holds the token: later syncs of the volume keep it.
    await tick(120_000);
    expect(await sh(`kubectl exec app -- cat ${SA_DIR}/token`)).toBe(token);
  });

  it('asks for the source’s audience and expiry, and reports a failed TokenRequest as FailedMount', async () => {
    const { client, tick, apply, sh } = await fullNodeLab({ yieldToHost, seed: 11 });
    await apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n');
    const [doc] = parseAllDocuments(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: vault}\nspec:\n  serviceAccountName: robot\n  automountServiceAccountToken: false\n  containers:\n  - name: app\n    image: busybox\n    command: [sleep, "3600"]\n    volumeMounts: [{name: vault-token, mountPath: /var/run/secrets/tokens}]\n  volumes:\n  - name: vault-token\n    projected:\n      sources:\n      - serviceAccountToken: {path: vault-token, audience: vault, expirationSeconds: 7200}\n',
    );
    // The account goes away after admission let the pod in, before its node sets the volume up.
    await client.resource(RESOURCES.pods).create('default', doc!.toJSON() as KubeObject);
    await client.resource(RESOURCES.serviceaccounts).delete('default', 'robot');
    await tick(5000);
    const failed = (await client.resource<Event & KubeObject>(RESOURCES.events).list('default')).items.find((e) => e.involvedObject?.name === 'vault' && e.reason === 'FailedMount');
    expect(failed?.message).toBe('MountVolume.SetUp failed for volume "vault-token" : failed to fetch token: serviceaccounts "robot" not found');
    await apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n');
    await tick(130_000);
    expect(((await client.resource<Pod & KubeObject>(RESOURCES.pods).get('default', 'vault')) as Pod).status?.phase).toBe('Running');
    const token = await sh('kubectl exec vault -- cat /var/run/secrets/tokens/vault-token');
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { aud: string[]; exp: number; iat: number; 'kubernetes.io': Record<string, unknown> };
    expect([claims.aud, claims.exp - claims.iat, claims['kubernetes.io'].warnafter]).toEqual([['vault'], 7200, undefined]);
  });
});
