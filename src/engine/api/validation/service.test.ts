import type { Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { validateObject, validateObjectUpdate } from './index.ts';
import { text } from './testdata.ts';

function service(): Service {
  return {
    metadata: { name: 'web', namespace: 'default', resourceVersion: '1' },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      sessionAffinity: 'None',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
    },
  };
}

describe('Service', () => {
  it.each<[string, (s: Service) => void, string[]]>([
    ['valid', () => {}, []],
    ['no ports', (s) => (s.spec!.ports = []), ['spec.ports: Required value']],
    ['headless without ports', (s) => Object.assign(s.spec!, { ports: [], clusterIP: 'None', clusterIPs: ['None'] }), []],
    ['port 0', (s) => (s.spec!.ports![0]!.port = 0), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']],
    [
      'two unnamed ports',
      (s) => s.spec!.ports!.push({ port: 443, targetPort: 8443, protocol: 'TCP' }),
      ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value'],
    ],
    [
      'duplicate port',
      (s) => (s.spec!.ports = [{ name: 'a', port: 80, targetPort: 80, protocol: 'TCP' }, { name: 'b', port: 80, targetPort: 81, protocol: 'TCP' }]),
      ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ],
    ['bad type', (s) => (s.spec!.type = 'Public'), ['spec.type: Unsupported value: "Public": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']],
    ['nodePort on ClusterIP', (s) => (s.spec!.ports![0]!.nodePort = 30080), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    [
      'nodePort out of range',
      (s) => {
        s.spec!.type = 'NodePort';
        s.spec!.ports![0]!.nodePort = 80;
        s.spec!.externalTrafficPolicy = 'Cluster';
      },
      ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
    ],
    [
      'target port name',
      (s) => (s.spec!.ports![0]!.targetPort = 'http_port'),
      ['spec.ports[0].targetPort: Invalid value: "http_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ],
  ])('%s', (_, mutate, want) => {
    const s = service();
    mutate(s);
    expect(text(validateObject('Service', s, true))).toEqual(want);
  });

  it('uses the DNS-1035 rule for names', () => {
    const s = service();
    s.metadata!.name = '1web';
    expect(text(validateObject('Service', s, true))).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });

  it('keeps the cluster IP', () => {
    const s = service();
    Object.assign(s.spec!, { clusterIP: '10.96.0.11', clusterIPs: ['10.96.0.11'] });
    expect(text(validateObjectUpdate('Service', s, service(), true))).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set']);
  });
});
