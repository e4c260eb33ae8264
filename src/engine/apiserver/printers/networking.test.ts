import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { networkingHandlers } from './networking.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const meta = (name: string) => ({ name, creationTimestamp: new Date(NOW - 45 * 86_400_000).toISOString() });
const print = (kind: keyof typeof networkingHandlers, object: object): Cell[] => networkingHandlers[kind].print(object as unknown as KubeObject, NOW);

describe('Ingress', () => {
  const rule = (host?: string) => (host ? { host } : {});
  it.each<[string, Ingress, Cell[]]>([
    ['no rules, no class, no address', { metadata: meta('ing'), spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } } }, ['ing', '<none>', '*', '', '80', '45d']],
    [
      'hosts, TLS and an address',
      { metadata: meta('ing'), spec: { ingressClassName: 'nginx', rules: [rule('a.example.com'), rule(), rule('b.example.com')], tls: [{ hosts: ['a.example.com'] }] }, status: { loadBalancer: { ingress: [{ ip: '172.18.0.5' }, { ip: '172.18.0.5' }] } } },
      ['ing', 'nginx', 'a.example.com,b.example.com', '172.18.0.5', '80, 443', '45d'],
    ],
    [
      'more than three rules',
      { metadata: meta('ing'), spec: { ingressClassName: 'nginx', rules: [rule('a'), rule('b'), rule('c'), rule('d'), rule('e')] } },
      ['ing', 'nginx', 'a,b,c + 2 more...', '', '80', '45d'],
    ],
  ])('%s', (_name, object, expected) => {
    expect(print('Ingress.networking.k8s.io', object)).toEqual(expected);
  });
});

describe('IngressClass', () => {
  it.each<[string, IngressClass, Cell[]]>([
    ['without parameters', { metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx' } }, ['nginx', 'k8s.io/ingress-nginx', '<none>', '45d']],
    ['with parameters', { metadata: meta('ext'), spec: { controller: 'example.com/lb', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } }, ['ext', 'example.com/lb', 'IngressParameters.k8s.example.com/external-lb', '45d']],
    ['with core parameters', { metadata: meta('cm'), spec: { controller: 'example.com/lb', parameters: { kind: 'ConfigMap', name: 'lb' } } }, ['cm', 'example.com/lb', 'ConfigMap/lb', '45d']],
  ])('%s', (_name, object, expected) => {
    expect(print('IngressClass.networking.k8s.io', object)).toEqual(expected);
  });
});

describe('NetworkPolicy', () => {
  it.each<[string, NetworkPolicy, Cell[]]>([
    ['all pods', { metadata: meta('deny-all'), spec: { podSelector: {}, policyTypes: ['Ingress'] } }, ['deny-all', '<none>', '45d']],
    ['some pods', { metadata: meta('db'), spec: { podSelector: { matchLabels: { role: 'db' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] } } }, ['db', 'env notin (dev),role=db', '45d']],
  ])('%s', (_name, object, expected) => {
    expect(print('NetworkPolicy.networking.k8s.io', object)).toEqual(expected);
  });
});

describe('EndpointSlice', () => {
  it.each<[string, EndpointSlice, Cell[]]>([
    ['empty', { metadata: meta('web-abc'), addressType: 'IPv4', endpoints: [] }, ['web-abc', 'IPv4', '<unset>', '<unset>', '45d']],
    [
      'ports by number, name or any; more than three addresses',
      {
        metadata: meta('web-abc'),
        addressType: 'IPv4',
        ports: [{ port: 80, name: 'http', protocol: 'TCP' }, { name: 'metrics' }, {}, { port: 9090 }],
        endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.7', '10.244.3.9', '10.244.4.2'] }],
      },
      ['web-abc', 'IPv4', '80,metrics,* + 1 more...', '10.244.1.5,10.244.2.7,10.244.3.9 + 1 more...', '45d'],
    ],
  ])('%s', (_name, object, expected) => {
    expect(print('EndpointSlice.discovery.k8s.io', object)).toEqual(expected);
  });
});
