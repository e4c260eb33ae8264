import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, goDuration, ProtobufDecodeError } from './decode.ts';
import fixtures from './testdata/kubectl-1.32.json';

// A tiny protobuf writer, enough to hand-build request bodies: each helper returns one field's bytes.
type Bytes = number[];
const utf8 = new TextEncoder();
function varint(value: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wireType: number): Bytes => varint((field << 3) | wireType);
const int = (field: number, value: number | bigint): Bytes => [...tag(field, 0), ...varint(value)];
const bytes = (field: number, content: Bytes | Uint8Array): Bytes => [...tag(field, 2), ...varint(content.length), ...content];
const str = (field: number, s: string): Bytes => bytes(field, utf8.encode(s));
const msg = (field: number, ...parts: Bytes[]): Bytes => bytes(field, parts.flat());
const entry = (field: number, key: string, value: Bytes): Bytes => msg(field, str(1, key), value);
/** ObjectMeta as gogo writes it: every non-pointer string and int, creationTimestamp as an empty message. */
const objectMeta = (name: string, ...more: Bytes[]): Bytes =>
  msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), int(7, 0), msg(8), ...more);
const quantity = (field: number, key: string, value: string): Bytes => entry(field, key, msg(2, str(1, value)));
function envelope(apiVersion: string, kind: string, ...raw: Bytes[]): Uint8Array {
  return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, apiVersion), str(2, kind)), ...bytes(2, raw.flat()), ...str(3, ''), ...str(4, '')]);
}
const base64ToBytes = (b64: string): Uint8Array => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

describe('decodeKubernetesProtobuf: bodies kubectl 1.32 sent', () => {
  it.each(fixtures.requests.map((r) => [r.command, r] as const))('%s', (_command, request) => {
    expect(decodeKubernetesProtobuf(base64ToBytes(request.body))).toEqual(request.want);
  });
});

describe('decodeKubernetesProtobuf: hand-built bodies', () => {
  it.each<[string, Uint8Array, Record<string, unknown>]>([
    [
      'a Namespace (kubectl create ns demo), skipping an unknown field',
      envelope('v1', 'Namespace', objectMeta('demo'), msg(2), msg(3), int(99, 7)),
      { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'demo' }, spec: {}, status: {} },
    ],
    [
      'a ConfigMap: map<string,string> keeps empty values; labels; a set creationTimestamp',
      envelope('v1', 'ConfigMap', msg(1, str(1, 'cfg'), str(3, 'default'), msg(8, int(1, 1735787045)), entry(11, 'app', str(2, 'web'))),
        entry(2, 'a', str(2, 'b')), entry(2, 'empty', str(2, '')), entry(2, 'novalue', [])),
      { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2025-01-02T03:04:05Z', labels: { app: 'web' } },
        data: { a: 'b', empty: '', novalue: '' } },
    ],
    [
      'a Secret: bytes values → base64; immutable false is a pointer, so it stays',
      envelope('v1', 'Secret', objectMeta('s'), entry(2, 'k', bytes(2, [0, 1, 2, 255])), entry(2, 'pw', str(2, 's3cr3t')), str(3, 'Opaque'), int(5, 0)),
      { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, data: { k: 'AAEC/w==', pw: 'czNjcjN0' }, type: 'Opaque', immutable: false },
    ],
    [
      'a Deployment: replicas 0 stays, zero non-pointers go, IntOrString as string and as number',
      envelope('apps/v1', 'Deployment', objectMeta('web'),
        msg(2, int(1, 0), msg(2, entry(1, 'app', str(2, 'web'))), msg(3, msg(1), msg(2, msg(2, str(1, 'nginx'), str(2, 'nginx:1.27'), msg(8)))),
          msg(4, str(1, 'RollingUpdate'), msg(2, msg(1, int(1, 0), int(2, 0), str(3, '')), msg(2, int(1, 1), int(2, 0), str(3, '25%')))),
          int(5, 0), int(7, 0)),
        msg(3)),
      { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web' },
        spec: { replicas: 0, selector: { matchLabels: { app: 'web' } },
          template: { metadata: {}, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {} }] } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } } },
        status: {} },
    ],
    [
      'a Pod: Quantities, a probe and volume sources inlined, a secretKeyRef name inlined, a negative int, packed and unpacked int64s',
      envelope('v1', 'Pod', objectMeta('web'), msg(2,
        msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'app-config')), int(3, 420)))),
        msg(2, str(1, 'app'), str(2, 'nginx'), msg(6, int(3, 80), str(4, 'TCP')),
          msg(7, str(1, 'PW'), msg(3, msg(4, msg(1, str(1, 'creds')), str(2, 'pw')))),
          msg(8, quantity(1, 'cpu', '500m'), quantity(1, 'memory', '128Mi'), quantity(2, 'cpu', '250m')),
          msg(11, msg(1, msg(2, str(1, '/healthz'), msg(2, int(1, 0), int(2, 8080)))), int(4, 5))),
        int(25, -5),
        msg(14, int(4, 1000), int(4, 2000), bytes(4, [...varint(3000), ...varint(4000)])))),
      { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web' }, spec: {
        volumes: [{ name: 'cfg', configMap: { name: 'app-config', defaultMode: 420 } }],
        containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'pw' } } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 } }],
        priority: -5,
        securityContext: { supplementalGroups: [1000, 2000, 3000, 4000] } } },
    ],
    [
      'a SubjectAccessReview: ExtraValue → string arrays',
      envelope('authorization.k8s.io/v1', 'SubjectAccessReview', objectMeta(''),
        msg(2, msg(2, str(1, '/healthz'), str(2, 'get')), str(3, 'alice'), str(4, 'dev'), str(4, 'ops'), entry(5, 'scopes', msg(2, str(1, 'a'), str(1, 'b')))),
        msg(3, int(1, 0))),
      { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: {},
        spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' }, user: 'alice', groups: ['dev', 'ops'], extra: { scopes: ['a', 'b'] } },
        status: {} },
    ],
    [
      'an Event: MicroTime with microseconds, an absent (zero) Time',
      envelope('v1', 'Event', objectMeta('e'), str(3, 'Pulled'), msg(6), msg(10, int(1, 1735787045), int(2, 123456789))),
      { kind: 'Event', apiVersion: 'v1', metadata: { name: 'e' }, reason: 'Pulled', eventTime: '2025-01-02T03:04:05.123456Z' },
    ],
    [
      'a ControllerRevision: RawExtension → parsed JSON',
      envelope('apps/v1', 'ControllerRevision', objectMeta('r'), msg(2, str(1, '{"spec":{"template":{"x":[1,true]}}}')), int(3, 2)),
      { kind: 'ControllerRevision', apiVersion: 'apps/v1', metadata: { name: 'r' }, data: { spec: { template: { x: [1, true] } } }, revision: 2 },
    ],
    [
      'DeleteOptions in a group version: gracePeriodSeconds 0 stays',
      envelope('apps/v1', 'DeleteOptions', int(1, 0), str(4, 'Foreground'), str(5, 'All')),
      { kind: 'DeleteOptions', apiVersion: 'apps/v1', gracePeriodSeconds: 0, propagationPolicy: 'Foreground', dryRun: ['All'] },
    ],
  ])('%s', (_name, body, want) => {
    expect(decodeKubernetesProtobuf(body)).toEqual(want);
  });
});

describe('decodeKubernetesProtobuf: bodies it refuses', () => {
  it.each<[string, Uint8Array, RegExp]>([
    ['no magic', utf8.encode('{"kind":"Namespace"}'), /magic "k8s\\x00"/],
    ['a body shorter than the magic', Uint8Array.from([0x6b, 0x38]), /magic/],
    ['a truncated varint', Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x80]), /truncated varint/],
    ['a length past the end', Uint8Array.from([0x6b, 0x38, 0x73, 0x00, 0x12, 0x10, 0x01]), /truncated/],
    ['an unknown kind', envelope('v1', 'Widget', objectMeta('w')), /no kind "Widget" is registered for version "v1"/],
    ['a kind in the wrong version', envelope('apps/v1', 'Namespace', objectMeta('w')), /no kind "Namespace" is registered for version "apps\/v1"/],
    ['no kind at all', envelope('v1', '', objectMeta('w')), /names no kind/],
    ['a wire type that does not fit', envelope('v1', 'Namespace', int(1, 5)), /core\.v1\.Namespace\.metadata: wire type 0/],
    ['a gzip contentEncoding', Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, str(1, 'v1'), str(2, 'Namespace')), ...str(3, 'gzip')]), /contentEncoding "gzip"/],
    ['a RawExtension that is not JSON', envelope('apps/v1', 'ControllerRevision', msg(2, str(1, '{nope'))), /neither JSON nor/],
  ])('%s', (_name, body, message) => {
    expect(() => decodeKubernetesProtobuf(body)).toThrow(ProtobufDecodeError);
    expect(() => decodeKubernetesProtobuf(body)).toThrow(message);
  });
});

describe('goDuration', () => {
  it.each<[bigint, string]>([
    [0n, '0s'],
    [100n, '100ns'],
    [1_500n, '1.5µs'],
    [1_000_000n, '1ms'],
    [1_500_000_000n, '1.5s'],
    [90_000_000_000n, '1m30s'],
    [3_600_000_000_000n, '1h0m0s'],
    [3_723_000_000_001n, '1h2m3.000000001s'],
    [-2_000_000_000n, '-2s'],
  ])('%s ns → %s', (ns, want) => {
    expect(goDuration(ns)).toBe(want);
  });
});
