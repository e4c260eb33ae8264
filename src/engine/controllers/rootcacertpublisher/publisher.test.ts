import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { DESCRIPTION } from './publisher.ts';

type ConfigMapObject = ConfigMap & KubeObject;

const start = () => TestCluster.start({ controllers: ['root-ca-certificate-publisher-controller'] });
const rootCA = (tc: TestCluster, namespace: string) => tc.get<ConfigMapObject>('configmaps', 'kube-root-ca.crt', namespace);

describe('root-ca-certificate-publisher-controller', () => {
  it('publishes kube-root-ca.crt in every namespace, a new one included', async () => {
    const tc = await start();
    await tc.tick('2s');
    const out = await tc.sh('kubectl get configmaps -A --field-selector metadata.name=kube-root-ca.crt');
    expect(out.stdout).toMatch(/^NAMESPACE\s+NAME\s+DATA\s+AGE\n/);
    expect(out.stdout.split('\n').slice(1, -1).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual(['default kube-root-ca.crt 1', 'kube-node-lease kube-root-ca.crt 1', 'kube-public kube-root-ca.crt 1', 'kube-system kube-root-ca.crt 1']);
    await tc.sh('kubectl create namespace team-a');
    await tc.tick('1s');
    const cm = await rootCA(tc, 'team-a');
    expect(cm?.metadata?.annotations).toEqual({ 'kubernetes.io/description': DESCRIPTION });
    expect(cm?.data?.['ca.crt']).toBe((await rootCA(tc, 'default'))?.data?.['ca.crt']);
    tc.stop();
  });

  it('publishes a real X.509 CA certificate: CN=kubernetes, self-signed, ten years, the same for the same seed', async () => {
    const tc = await start();
    await tc.tick('2s');
    const pem = (await rootCA(tc, 'default'))?.data?.['ca.crt'] ?? '';
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/);
    const cert = new X509Certificate(pem);
    expect([cert.subject, cert.issuer, cert.ca, cert.subjectAltName, cert.publicKey.asymmetricKeyDetails?.modulusLength]).toEqual(['CN=kubernetes', 'CN=kubernetes', true, 'DNS:kubernetes', 2048]);
    expect(cert.checkIssued(cert)).toBe(true);
    const lifetime = Date.parse(cert.validTo) - Date.parse(cert.validFrom);
    expect(lifetime).toBe(10 * 365 * 24 * 3600_000);
    expect(Date.parse(cert.validFrom)).toBe(Math.floor((tc.clock.now() - 2000 - 5 * 60_000) / 1000) * 1000);
    const again = await start();
    await again.tick('2s');
    expect((await rootCA(again, 'default'))?.data?.['ca.crt']).toBe(pem);
    tc.stop();
    again.stop();
  });

  it('recreates the ConfigMap when it is deleted and puts it back when it is changed', async () => {
    const tc = await start();
    await tc.tick('2s');
    const original = (await rootCA(tc, 'default'))!;
    await tc.client.resource(RESOURCES.configmaps).delete('default', 'kube-root-ca.crt');
    await tc.tick('1s');
    const recreated = (await rootCA(tc, 'default'))!;
    expect(recreated.metadata?.uid).not.toBe(original.metadata?.uid);
    expect(recreated.data).toEqual(original.data);

    await tc.sh(`kubectl patch configmap kube-root-ca.crt --type merge -p '{"data":{"ca.crt":"forged","extra":"x"},"metadata":{"annotations":{"kubernetes.io/description":null,"team":"a"}}}'`);
    await tc.tick('1s');
    const fixed = (await rootCA(tc, 'default'))!;
    expect(fixed.data).toEqual(original.data);
    expect(fixed.metadata?.annotations).toEqual({ 'kubernetes.io/description': DESCRIPTION, team: 'a' });
    tc.stop();
  });
});
