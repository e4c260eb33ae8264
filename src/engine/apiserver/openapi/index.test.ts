import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Discovery } from '../discovery.ts';
import { KUBERNETES_VERSION } from '../version.ts';
import { KINDS, OpenApiV3, type Schema } from './index.ts';

const openapi = new OpenApiV3();
beforeAll(async () => {
  await openapi.load();
});

function doc(gv: string): { components: { schemas: Record<string, Schema> } } {
  const body = openapi.document(`/openapi/v3/${gv}`);
  expect(body).toBeDefined();
  return JSON.parse(body!) as { components: { schemas: Record<string, Schema> } };
}

describe('OpenApiV3', () => {
  it('serves nothing before load()', () => {
    expect(new OpenApiV3().document('/openapi/v3')).toBeUndefined();
  });

  it('indexes every group-version with the SHA-512 of its document', () => {
    const index = JSON.parse(openapi.document('/openapi/v3')!) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/autoscaling/v2', 'apis/batch/v1', 'apis/coordination.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/networking.k8s.io/v1', 'apis/policy/v1', 'apis/rbac.authorization.k8s.io/v1', 'apis/scheduling.k8s.io/v1', 'apis/storage.k8s.io/v1']);
    for (const [gv, { serverRelativeURL }] of Object.entries(index.paths)) {
      const hash = createHash('sha512').update(openapi.document(`/openapi/v3/${gv}`)!).digest('hex').toUpperCase();
      expect(serverRelativeURL).toBe(`/openapi/v3/${gv}?hash=${hash}`);
    }
  });

  it('publishes the Container schema kubectl explain pod.spec.containers renders', () => {
    const schemas = doc('api/v1').components.schemas;
    const podSpec = schemas['io.k8s.api.core.v1.PodSpec']!;
    expect(podSpec.required).toContain('containers');
    expect(podSpec.properties!.containers).toMatchObject({
      description: expect.stringMatching(/^List of containers belonging to the pod\./),
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    const container = schemas['io.k8s.api.core.v1.Container']!;
    expect(container.description).toBe('A single application container that you want to run within a pod.');
    expect(container.required).toEqual(['name']);
    expect(container.properties!.image).toEqual({ description: expect.stringMatching(/^Container image name\./), type: 'string' });
    expect(container.properties!.imagePullPolicy).toMatchObject({ type: 'string', enum: ['Always', 'IfNotPresent', 'Never'], description: expect.stringContaining('\n\nPossible enum values:\n - `"Always"`') });
    expect(container.properties!.livenessProbe).toEqual({ allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.Probe' }], description: expect.stringMatching(/^Periodic probe of container liveness/) });
    expect(container.properties!.ports!.items!.$ref).toBe('#/components/schemas/io.k8s.api.core.v1.ContainerPort');
    expect(schemas['io.k8s.api.core.v1.ContainerPort']!.properties!.containerPort).toMatchObject({ type: 'integer', format: 'int32' });
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))('%s carries its group-version-kind and a status when it has one', (_, k) => {
    const gv = k.group === '' ? `api/${k.version}` : `apis/${k.group}/${k.version}`;
    const schemas = doc(gv).components.schemas;
    const kind = Object.values(schemas).find((s) => s['x-kubernetes-group-version-kind']?.some((g) => g.kind === k.kind && g.group === k.group && g.version === k.version));
    expect(kind?.properties?.apiVersion?.type).toBe('string');
    expect(kind?.properties?.metadata?.allOf?.[0]?.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  });

  it('includes the status types cdk8s leaves out, with 1.32 fields only', () => {
    const schemas = doc('api/v1').components.schemas;
    expect(schemas['io.k8s.api.core.v1.Pod']!.properties!.status!.allOf![0]!.$ref).toBe('#/components/schemas/io.k8s.api.core.v1.PodStatus');
    expect(schemas['io.k8s.api.core.v1.PodStatus']!.properties!.phase!.enum).toEqual(['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']);
    expect(schemas['io.k8s.api.core.v1.PodStatus']!.properties).not.toHaveProperty('observedGeneration'); // 1.33
    expect(schemas['io.k8s.api.core.v1.NodeStatus']!.properties!.capacity!.additionalProperties!.$ref).toBe('#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity');
  });

  it('makes each group-version document self-contained', () => {
    for (const gv of openapi.groupVersions()) {
      const schemas = doc(gv).components.schemas;
      const refs = JSON.stringify(schemas).match(/#\/components\/schemas\/[\w.-]+/g) ?? [];
      for (const ref of refs) expect(schemas, `${gv} → ${ref}`).toHaveProperty([ref.slice('#/components/schemas/'.length)]);
    }
    expect(doc('apis/apps/v1').components.schemas).toHaveProperty(['io.k8s.api.core.v1.PodTemplateSpec']);
  });

  it('serves apimachinery scalars as upstream v3 does', () => {
    const schemas = doc('api/v1').components.schemas;
    expect(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(schemas['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it.each([['/openapi/v2'], ['/openapi/v3/apis/apps'], ['/openapi/v3/apis/apps/v1beta1'], ['/api/v1']])('does not serve %s', (path) => {
    expect(openapi.document(path)).toBeUndefined();
  });

  it('redirects a stale hash and lets a current one be cached', () => {
    const request = (hash: string) => openapi.handle({ method: 'GET', path: '/openapi/v3/apis/apps/v1', query: new URLSearchParams({ hash }), headers: {} });
    const current = new URL(JSON.parse(openapi.document('/openapi/v3')!).paths['apis/apps/v1'].serverRelativeURL, 'http://x').searchParams.get('hash')!;
    expect(request('STALE')).toMatchObject({ status: 301, headers: { location: `/openapi/v3/apis/apps/v1?hash=${current}` } });
    expect(request(current)).toMatchObject({ status: 200, headers: { 'cache-control': 'public, immutable, max-age=31536000' } });
  });
});

// —— the real kubectl against these documents ——

const KUBECTL = '/usr/bin/kubectl';
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`openapi: ${KUBECTL} is absent, so the kubectl explain test is skipped`);

describe.skipIf(!hasKubectl)('kubectl explain (1.32) against /openapi/v3', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const discovery = new Discovery(
      [
        { group: '', version: 'v1', kind: 'Pod', resource: 'pods', singular: 'pod', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'] },
        { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singular: 'deployment', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['deploy'] },
      ],
      { serverAddress: '127.0.0.1:6443' },
    );
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const body = path === '/version' ? JSON.stringify(KUBERNETES_VERSION) : (openapi.document(path) ?? discovery.document(path));
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body ?? '{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const explain = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(KUBECTL, ['--kubeconfig=/dev/null', `--server=${url}`, 'explain', ...args], { env: { ...process.env, HOME: '/tmp' }, timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });

  // The blank lines after FIELD are the 1.32 template's (an empty ENUM section still ends its line).
  it('explains pod.spec.containers', async () => {
    const out = await explain('pod.spec.containers');
    expect(out).toMatch(/^KIND: {7}Pod\nVERSION: {4}v1\n\nFIELD: containers <\[\]Container>\n\n\nDESCRIPTION:\n {4}List of containers belonging to the pod\./);
    expect(out).toContain('    A single application container that you want to run within a pod.');
    expect(out).toMatch(/\n {2}name\t<string> -required-\n/);
    expect(out).toMatch(/\n {2}imagePullPolicy\t<string>\n {2}enum: Always, IfNotPresent, Never\n/);
    expect(out).toMatch(/\n {2}livenessProbe\t<Probe>\n/);
  }, 60_000);

  it('explains deployment.spec.strategy.rollingUpdate', async () => {
    const out = await explain('deployment.spec.strategy.rollingUpdate');
    expect(out).toMatch(/^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n/);
    expect(out).toMatch(/\n {2}maxSurge\t<IntOrString>\n/);
  }, 60_000);
});
