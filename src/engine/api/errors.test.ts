import { describe, expect, it } from 'vitest';
import { errors } from './errors.ts';
import { field } from './field/errors.ts';
import { Path } from './field/path.ts';

const pods = { group: '', resource: 'pods' };
const deployments = { group: 'apps', resource: 'deployments' };

describe('Status errors', () => {
  it.each([
    [errors.notFound(pods, 'web'), 404, 'NotFound', 'pods "web" not found'],
    [errors.notFound(deployments, 'web'), 404, 'NotFound', 'deployments.apps "web" not found'],
    [errors.alreadyExists(pods, 'web'), 409, 'AlreadyExists', 'pods "web" already exists'],
    [
      errors.conflict(deployments, 'web', 'the object has been modified; please apply your changes to the latest version and try again'),
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
    ],
    [
      errors.forbidden(pods, '', 'User "bob" cannot list resource "pods" in API group "" in the namespace "default"'),
      403,
      'Forbidden',
      'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"',
    ],
    [errors.resourceExpired('too old resource version: 5 (20)'), 410, 'Expired', 'too old resource version: 5 (20)'],
    [errors.badRequest('unable to parse requirement: found \'\', expected: identifier'), 400, 'BadRequest', "unable to parse requirement: found '', expected: identifier"],
  ])('%# → %i %s', (error, code, reason, message) => {
    expect(error.status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
    expect(error.message).toBe(message);
  });

  it('serializes NotFound exactly as the apiserver does', () => {
    expect(JSON.stringify(errors.notFound(deployments, 'web').status)).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \\"web\\" not found","reason":"NotFound","details":{"name":"web","group":"apps","kind":"deployments"},"code":404}',
    );
  });

  it('words Invalid with the kind, one cause, or an aggregate of several', () => {
    const containers = Path.of('spec', 'containers');
    const one = errors.invalid({ group: '', kind: 'Pod' }, 'web', [field.required(containers, '')]);
    expect(one.message).toBe('Pod "web" is invalid: spec.containers: Required value');
    expect(one.status.details).toEqual({ name: 'web', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] });

    const replicas = Path.of('spec', 'replicas');
    const several = errors.invalid({ group: 'apps', kind: 'Deployment' }, 'web', [
      field.invalid(replicas, -1, 'must be greater than or equal to 0'),
      field.invalid(Path.of('spec', 'selector'), { matchLabels: { app: 'x' } }, '`selector` does not match template `labels`'),
      field.invalid(replicas, -1, 'must be greater than or equal to 0'),
    ]);
    expect(several.message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: `selector` does not match template `labels`]',
    );
    expect(several.status.details!.causes).toHaveLength(3);
  });
});

describe('field errors', () => {
  const p = Path.of('spec').child('containers').index(0).child('image');
  it.each([
    [field.required(p), 'spec.containers[0].image: Required value'],
    [field.required(p, 'must be set'), 'spec.containers[0].image: Required value: must be set'],
    [field.invalid(Path.of('metadata').child('labels').key('a b'), 'x y', 'bad'), 'metadata.labels[a b]: Invalid value: "x y": bad'],
    [field.invalid(p, true, 'nope'), 'spec.containers[0].image: Invalid value: true: nope'],
    [field.invalid(p, null, 'nope'), 'spec.containers[0].image: Invalid value: null: nope'],
    [field.notSupported(Path.of('spec', 'restartPolicy'), 'Sometimes', ['Always', 'OnFailure', 'Never']), 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    [field.duplicate(Path.of('spec', 'ports').index(1), 'http'), 'spec.ports[1]: Duplicate value: "http"'],
    [field.forbidden(Path.of('spec'), 'pod updates may not change fields other than `spec.containers[*].image`'), 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`'],
    [field.tooLong(Path.of('data'), 'x', 1048576), 'data: Too long: must have at most 1048576 bytes'],
    [field.tooMany(Path.of('items'), 5, 3), 'items: Too many: 5: must have at most 3 items'],
    [field.tooMany(Path.of('items'), -1, 3), 'items: Too many: must have at most 3 items'],
    [field.notFound(Path.of('spec', 'volumes'), 'data'), 'spec.volumes: Not found: "data"'],
  ])('%s', (error, text) => {
    expect(error.toString()).toBe(text);
  });
});
