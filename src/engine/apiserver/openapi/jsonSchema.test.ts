import { beforeAll, describe, expect, it } from 'vitest';
import { OpenApiV3 } from './index.ts';
import { jsonSchemaFor, parseApiVersion, type JsonSchema } from './jsonSchema.ts';

const openapi = new OpenApiV3();
beforeAll(async () => {
  await openapi.load();
});

/** A small draft-07 check of what jsonSchemaFor writes: $ref, type (lists too), enum, properties, additionalProperties, required, items. */
function validate(root: JsonSchema, value: unknown, schema: JsonSchema = root, path = ''): string[] {
  if (schema.$ref) {
    const target = root.definitions![schema.$ref.slice('#/definitions/'.length)];
    if (!target) return [`${path}: dangling ${schema.$ref}`];
    return validate(root, value, target, path);
  }
  const errors: string[] = [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v);
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === 'integer' && types.includes('number'))) return [`${path}: expected ${types.join('|')}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${path}: not one of ${schema.enum.join(', ')}`);
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) errors.push(`${path}: missing required field "${r}"`);
    for (const [k, v] of Object.entries(o)) {
      const sub = schema.properties?.[k];
      if (sub) errors.push(...validate(root, v, sub, `${path}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${path}: unknown field "${`${path}.${k}`.slice(1)}"`);
      else if (typeof schema.additionalProperties === 'object') errors.push(...validate(root, v, schema.additionalProperties, `${path}.${k}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(root, v, schema.items!, `${path}[${i}]`)));
  return errors;
}

const deployment = (spec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: 128 } } }] } },
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    ...spec,
  },
});

describe('jsonSchemaFor', () => {
  it('accepts a valid Deployment and flags spec.replica as an unknown field', () => {
    const schema = jsonSchemaFor(openapi, 'apps/v1', 'Deployment')!;
    expect(validate(schema, deployment({ replicas: 3 }))).toEqual([]);
    expect(validate(schema, deployment({ replica: 3 }))).toEqual(['.spec: unknown field "spec.replica"']);
    expect(validate(schema, deployment({ replicas: 'three' }))).toEqual(['.spec.replicas: expected integer, got string']);
  });

  it('checks nested kinds, enums and required fields', () => {
    const schema = jsonSchemaFor(openapi, 'v1', 'Pod')!;
    expect(validate(schema, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', imagePullPolicy: 'Sometimes', command: ['sleep', '3600'] }] } })).toEqual([
      '.spec.containers[0].imagePullPolicy: not one of Always, IfNotPresent, Never',
    ]);
    expect(validate(schema, { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ image: 'busybox', imagee: 'x' }] } })).toEqual(['.spec.containers[0]: missing required field "name"', '.spec.containers[0]: unknown field "spec.containers[0].imagee"']);
  });

  it('is self-contained: every $ref names a definition, none is left to #/components', () => {
    const schema = jsonSchemaFor(openapi, 'apps/v1', 'Deployment')!;
    const text = JSON.stringify(schema);
    expect(text).not.toContain('#/components/');
    expect(text).not.toContain('x-kubernetes-');
    for (const [, name] of text.matchAll(/"#\/definitions\/([\w.-]+)"/g)) expect(schema.definitions).toHaveProperty([name!]);
    expect(schema.$ref).toBe('#/definitions/io.k8s.api.apps.v1.Deployment');
    expect(schema.title).toBe('Deployment (apps/v1)');
  });

  it('keeps descriptions for hover, a property’s own over its type’s, and types int-or-string and quantities as type lists', () => {
    const schema = jsonSchemaFor(openapi, 'apps/v1', 'Deployment')!;
    const defs = schema.definitions!;
    expect(defs['io.k8s.api.apps.v1.DeploymentSpec']!.properties!.replicas).toMatchObject({ type: 'integer', format: 'int32', description: expect.stringMatching(/^Number of desired pods/) });
    expect(defs['io.k8s.api.apps.v1.DeploymentSpec']!.properties!.template).toEqual({ $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec', description: expect.stringMatching(/^Template describes the pods/) });
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: ['integer', 'string'] });
    expect(defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).not.toHaveProperty('format');
    expect(defs['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ type: ['string', 'number'] });
    // Maps stay open to any key; objects with fields are closed.
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.properties!.labels).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(defs['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']!.additionalProperties).toBe(false);
  });

  it.each([
    ['apps/v1', 'List'],
    ['v1', 'Deployment'],
    ['apps/v2', 'Deployment'],
    ['example.com/v1', 'Widget'],
    ['', 'Pod'],
    ['a/b/c', 'Pod'],
  ])('has no schema for %j %j', (apiVersion, kind) => {
    expect(jsonSchemaFor(openapi, apiVersion, kind)).toBeUndefined();
  });

  it('refuses to answer before the schemas are loaded', () => {
    expect(() => jsonSchemaFor(new OpenApiV3(), 'v1', 'Pod')).toThrow(/not loaded/);
  });

  it.each([
    ['v1', { group: '', version: 'v1' }],
    ['apps/v1', { group: 'apps', version: 'v1' }],
    ['autoscaling/v2', { group: 'autoscaling', version: 'v2' }],
    ['networking.k8s.io/v1beta1', { group: 'networking.k8s.io', version: 'v1beta1' }],
    ['apps', undefined],
    ['/v1', undefined],
  ])('parseApiVersion(%j)', (apiVersion, expected) => {
    expect(parseApiVersion(apiVersion)).toEqual(expected);
  });
});
