import { describe, expect, it } from 'vitest';
import { applyDefaults } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(groupKind: string, object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults(groupKind, copy);
  return copy;
}

describe('networking.k8s.io/v1', () => {
  it.each<[string, string, Json, Json]>([
    [
      'a NetworkPolicy with ingress rules only: Ingress',
      'NetworkPolicy.networking.k8s.io',
      { metadata: { name: 'db' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] } },
      {
        metadata: { name: 'db' },
        spec: {
          podSelector: { matchLabels: { app: 'db' } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }],
          policyTypes: ['Ingress'],
        },
      },
    ],
    [
      'a NetworkPolicy with egress rules: Ingress and Egress',
      'NetworkPolicy.networking.k8s.io',
      { metadata: { name: 'dns' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }] } },
      {
        metadata: { name: 'dns' },
        spec: { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }], policyTypes: ['Ingress', 'Egress'] },
      },
    ],
    [
      'a deny-all NetworkPolicy that names its types, and prints its empty pod selector',
      'NetworkPolicy.networking.k8s.io',
      { metadata: { name: 'deny' }, spec: { policyTypes: ['Egress'] } },
      { metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Egress'] } },
    ],
    [
      'an IngressClass with parameters: cluster scope',
      'IngressClass.networking.k8s.io',
      { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } },
      {
        metadata: { name: 'nginx' },
        spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb', scope: 'Cluster' } },
      },
    ],
    ['an IngressClass without parameters', 'IngressClass.networking.k8s.io', { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }, { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }],
    [
      'an Ingress: nothing (pathType is required, not defaulted)',
      'Ingress.networking.k8s.io',
      { metadata: { name: 'web' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
      { metadata: { name: 'web' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
    ],
  ])('%s', (_name, groupKind, manifest, expected) => {
    expect(defaulted(groupKind, manifest)).toStrictEqual(expected);
  });
});
