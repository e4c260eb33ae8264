import { describe, expect, it } from 'vitest';
import { validateObject, validateObjectUpdate } from './index.ts';
import { text } from './testdata.ts';

const cm = (metadata: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata });

describe('ObjectMeta on create', () => {
  it.each([
    ['valid', { name: 'a', namespace: 'default' }, []],
    ['no name', { namespace: 'default' }, ['metadata.name: Required value: name or generateName is required']],
    ['no namespace', { name: 'a' }, ['metadata.namespace: Required value']],
    [
      'bad name',
      { name: 'A_b', namespace: 'default' },
      [
        `metadata.name: Invalid value: "A_b": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    ['generateName with a trailing dash', { name: 'web-x7k2p', generateName: 'web-', namespace: 'default' }, []],
    [
      'bad label value',
      { name: 'a', namespace: 'default', labels: { app: 'x y' } },
      [
        `metadata.labels: Invalid value: "x y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
    ['annotations too large', { name: 'a', namespace: 'default', annotations: { big: 'x'.repeat(262142) } }, ['metadata.annotations: Too long: must have at most 262144 bytes']],
    [
      'orphan and foreground',
      { name: 'a', namespace: 'default', finalizers: ['orphan', 'foregroundDeletion'] },
      ['metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: finalizer orphan and foregroundDeletion cannot be both set'],
    ],
    [
      'non-standard finalizer',
      { name: 'a', namespace: 'default', finalizers: ['custom'] },
      ['metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'],
    ],
    [
      'owner without uid',
      { name: 'a', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: '' }] },
      ['metadata.ownerReferences.uid: Invalid value: "": must not be empty'],
    ],
  ])('%s', (_, metadata, want) => {
    expect(text(validateObject('ConfigMap', cm(metadata), true))).toEqual(want);
  });

  it('forbids a namespace on cluster-scoped kinds and uses the label rule for namespaces', () => {
    expect(text(validateObject('Namespace', { metadata: { name: 'a.b', namespace: 'x' } }, false))).toEqual([
      `metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });
});

describe('ObjectMeta on update', () => {
  const old = cm({ name: 'a', namespace: 'default', uid: 'u1', resourceVersion: '3', creationTimestamp: '2024-05-06T07:08:09Z' });
  it.each([
    ['unchanged', { name: 'a', namespace: 'default', uid: 'u1', resourceVersion: '3', creationTimestamp: '2024-05-06T07:08:09Z' }, []],
    [
      'no resourceVersion, new uid',
      { name: 'a', namespace: 'default', uid: 'u2', creationTimestamp: '2024-05-06T07:08:09Z' },
      ['metadata.resourceVersion: Invalid value: "": must be specified for an update', 'metadata.uid: Invalid value: "u2": field is immutable'],
    ],
    [
      'renamed',
      { name: 'b', namespace: 'default', uid: 'u1', resourceVersion: '3', creationTimestamp: '2024-05-06T07:08:09Z' },
      ['metadata.name: Invalid value: "b": field is immutable'],
    ],
    [
      'creationTimestamp changed',
      { name: 'a', namespace: 'default', uid: 'u1', resourceVersion: '3', creationTimestamp: '2024-05-06T07:08:10Z' },
      ['metadata.creationTimestamp: Invalid value: 2024-05-06 07:08:10 +0000 UTC: field is immutable'],
    ],
  ])('%s', (_, metadata, want) => {
    expect(text(validateObjectUpdate('ConfigMap', cm(metadata), old, true))).toEqual(want);
  });

  it('refuses new finalizers once deletion started', () => {
    const deleting = cm({ name: 'a', namespace: 'default', resourceVersion: '3', deletionTimestamp: '2024-05-06T07:08:09Z', deletionGracePeriodSeconds: 0 });
    const next = cm({ name: 'a', namespace: 'default', resourceVersion: '3', deletionTimestamp: '2024-05-06T07:08:09Z', deletionGracePeriodSeconds: 0, finalizers: ['example.com/x'] });
    expect(text(validateObjectUpdate('ConfigMap', next, deleting, true))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/x"}',
    ]);
  });
});
