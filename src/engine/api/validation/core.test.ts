import { describe, expect, it } from 'vitest';
import { validateObject, validateObjectUpdate } from './index.ts';
import { text } from './testdata.ts';

const meta = { name: 'x', namespace: 'default', resourceVersion: '1' };

describe('ConfigMap and Secret', () => {
  it.each([
    ['valid', { data: { 'app.conf': 'a' } }, []],
    [
      'bad key',
      { data: { 'a b': 'x' } },
      [`data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`],
    ],
    ['duplicate across data and binaryData', { data: { k: 'x' }, binaryData: { k: 'eA==' } }, ['data[k]: Invalid value: "k": duplicate of key present in binaryData']],
    ['too large', { data: { k: 'x'.repeat(1048577) } }, [': Too long: must have at most 1048576 bytes']],
  ])('ConfigMap %s', (_, body, want) => {
    expect(text(validateObject('ConfigMap', { metadata: meta, ...body }, true))).toEqual(want);
  });

  it('freezes an immutable ConfigMap', () => {
    const old = { metadata: meta, immutable: true, data: { k: 'a' } };
    expect(text(validateObjectUpdate('ConfigMap', { metadata: meta, data: { k: 'b' } }, old, true))).toEqual([
      'immutable: Forbidden: field is immutable when `immutable` is set',
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it.each([
    ['Opaque', { type: 'Opaque', data: { a: 'YQ==' } }, []],
    ['tls without key', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }, ['data[tls.key]: Required value']],
    ['basic-auth empty', { type: 'kubernetes.io/basic-auth', data: {} }, ['data[username]: Required value', 'data[password]: Required value']],
    [
      'dockerconfigjson not JSON',
      { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'bm9wZQ==' } },
      ['data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input'],
    ],
  ])('Secret %s', (_, body, want) => {
    expect(text(validateObject('Secret', { metadata: meta, ...body }, true))).toEqual(want);
  });

  it('keeps a Secret type', () => {
    expect(text(validateObjectUpdate('Secret', { metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }, { metadata: meta, type: 'Opaque' }, true))).toEqual([
      'type: Invalid value: "kubernetes.io/tls": field is immutable',
    ]);
  });
});

describe('storage and policy kinds', () => {
  it('requires PVC access modes and storage', () => {
    expect(text(validateObject('PersistentVolumeClaim', { metadata: meta, spec: { resources: {} } }, true))).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ]);
  });

  it('checks a LimitRange ordering', () => {
    const lr = { metadata: meta, spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } };
    expect(text(validateObject('LimitRange', lr, true))).toEqual(['spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1']);
  });

  it('requires a binding target name', () => {
    expect(text(validateObject('Binding', { metadata: {}, target: { kind: 'Pod' } }, true))).toEqual([
      'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
      'target.name: Required value',
    ]);
  });
});
