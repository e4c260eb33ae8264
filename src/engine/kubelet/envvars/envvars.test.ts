import { describe, expect, it } from 'vitest';
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { fromServices } from './envvars.ts';

const svc = (name: string, clusterIP: string, ports: ServicePort[]): Service => ({ metadata: { name, namespace: 'default' }, spec: { clusterIP, ports } });

describe('fromServices', () => {
  it.each<[string, Service[], string[]]>([
    [
      'one unnamed port',
      [svc('web', '10.96.10.20', [{ port: 80, protocol: 'TCP' }])],
      ['WEB_SERVICE_HOST=10.96.10.20', 'WEB_SERVICE_PORT=80', 'WEB_PORT=tcp://10.96.10.20:80', 'WEB_PORT_80_TCP=tcp://10.96.10.20:80', 'WEB_PORT_80_TCP_PROTO=tcp', 'WEB_PORT_80_TCP_PORT=80', 'WEB_PORT_80_TCP_ADDR=10.96.10.20'],
    ],
    [
      'named ports, a dash in the names, UDP and a port without a protocol (TCP)',
      [svc('kube-dns', '10.96.0.10', [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 }])],
      [
        'KUBE_DNS_SERVICE_HOST=10.96.0.10',
        'KUBE_DNS_SERVICE_PORT=53',
        'KUBE_DNS_SERVICE_PORT_DNS=53',
        'KUBE_DNS_SERVICE_PORT_DNS_TCP=53',
        'KUBE_DNS_SERVICE_PORT_METRICS=9153',
        'KUBE_DNS_PORT=udp://10.96.0.10:53',
        'KUBE_DNS_PORT_53_UDP=udp://10.96.0.10:53',
        'KUBE_DNS_PORT_53_UDP_PROTO=udp',
        'KUBE_DNS_PORT_53_UDP_PORT=53',
        'KUBE_DNS_PORT_53_UDP_ADDR=10.96.0.10',
        'KUBE_DNS_PORT_53_TCP=tcp://10.96.0.10:53',
        'KUBE_DNS_PORT_53_TCP_PROTO=tcp',
        'KUBE_DNS_PORT_53_TCP_PORT=53',
        'KUBE_DNS_PORT_53_TCP_ADDR=10.96.0.10',
        'KUBE_DNS_PORT_9153_TCP=tcp://10.96.0.10:9153',
        'KUBE_DNS_PORT_9153_TCP_PROTO=tcp',
        'KUBE_DNS_PORT_9153_TCP_PORT=9153',
        'KUBE_DNS_PORT_9153_TCP_ADDR=10.96.0.10',
      ],
    ],
    [
      'an IPv6 cluster IP, bracketed in the URLs',
      [svc('v6', 'fd00::a', [{ port: 8080, protocol: 'SCTP' }])],
      ['V6_SERVICE_HOST=fd00::a', 'V6_SERVICE_PORT=8080', 'V6_PORT=sctp://[fd00::a]:8080', 'V6_PORT_8080_SCTP=sctp://[fd00::a]:8080', 'V6_PORT_8080_SCTP_PROTO=sctp', 'V6_PORT_8080_SCTP_PORT=8080', 'V6_PORT_8080_SCTP_ADDR=fd00::a'],
    ],
    ['a headless Service and one without a cluster IP: nothing', [svc('db', 'None', [{ port: 5432 }]), svc('ext', '', [])], []],
    [
      'several Services in the order given',
      [svc('b', '10.96.0.2', [{ port: 2 }]), svc('a', '10.96.0.1', [{ port: 1 }])],
      ['B_SERVICE_HOST=10.96.0.2', 'B_SERVICE_PORT=2', 'B_PORT=tcp://10.96.0.2:2', 'B_PORT_2_TCP=tcp://10.96.0.2:2', 'B_PORT_2_TCP_PROTO=tcp', 'B_PORT_2_TCP_PORT=2', 'B_PORT_2_TCP_ADDR=10.96.0.2', 'A_SERVICE_HOST=10.96.0.1', 'A_SERVICE_PORT=1', 'A_PORT=tcp://10.96.0.1:1', 'A_PORT_1_TCP=tcp://10.96.0.1:1', 'A_PORT_1_TCP_PROTO=tcp', 'A_PORT_1_TCP_PORT=1', 'A_PORT_1_TCP_ADDR=10.96.0.1'],
    ],
  ])('%s', (_name, services, want) => {
    expect(fromServices(services).map((e) => `${e.name}=${e.value}`)).toEqual(want);
  });
});
