import type { Endpoints, Event, Node, PersistentVolume, PersistentVolumeClaim, ResourceQuota, Service } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { coreHandlers } from './core.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: ago(3 * 3600_000 + 5 * 60_000), ...extra });
const print = (kind: keyof typeof coreHandlers, object: object): Cell[] => coreHandlers[kind].print(object as unknown as KubeObject, NOW);

describe('Service', () => {
  const svc = (spec: Service['spec'], status?: Service['status']): Service => ({ metadata: meta('web'), spec, ...(status ? { status } : {}) });
  it.each<[string, Service, Cell[]]>([
    ['ClusterIP', svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web', tier: 'fe' } }), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '3h5m', 'app=web,tier=fe']],
    ['headless, no selector', svc({ type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }), ['web', 'ClusterIP', 'None', '<none>', '53/UDP,53/TCP', '3h5m', '<none>']],
    ['NodePort with external IPs', svc({ type: 'NodePort', clusterIP: '10.96.1.1', externalIPs: ['1.2.3.4', '5.6.7.8'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }), ['web', 'NodePort', '10.96.1.1', '1.2.3.4,5.6.7.8', '80:30080/TCP', '3h5m', '<none>']],
    ['LoadBalancer pending', svc({ type: 'LoadBalancer', clusterIP: '10.96.1.2', ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] }), ['web', 'LoadBalancer', '10.96.1.2', '<pending>', '443:31443/TCP', '3h5m', '<none>']],
    [
      'LoadBalancer with ingress points and external IPs',
      svc({ type: 'LoadBalancer', clusterIP: '10.96.1.2', externalIPs: ['9.9.9.9'], ports: [{ port: 80, nodePort: 30001, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.1' }] } }),
      ['web', 'LoadBalancer', '10.96.1.2', '203.0.113.1,203.0.113.9,lb.example.com,9.9.9.9', '80:30001/TCP', '3h5m', '<none>'],
    ],
    ['ExternalName without ports', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '3h5m', '<none>']],
  ])('%s', (_name, object, expected) => {
    expect(print('Service', object)).toEqual(expected);
  });
});

describe('Endpoints', () => {
  const ep = (subsets: Endpoints['subsets']): Endpoints => ({ metadata: meta('web'), ...(subsets ? { subsets } : {}) });
  it.each<[string, Endpoints, string]>([
    ['no subsets', ep(undefined), '<none>'],
    ['one port', ep([{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }], ports: [{ port: 80 }] }]), '10.244.1.5:80,10.244.2.7:80'],
    ['more than three', ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] }]), '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...'],
    ['IPv6', ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 8080 }] }]), '[fd00::1]:8080'],
    ['a headless subset without ports', ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }, { ip: '10.0.0.5' }] }]), '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...'],
    ['only not-ready addresses', ep([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]), ''],
  ])('%s', (_name, object, expected) => {
    expect(print('Endpoints', object)).toEqual(['web', expected, '3h5m']);
  });
});

describe('Node', () => {
  const node = (labels: Record<string, string>, ready: string | undefined, unschedulable = false): Node => ({
    metadata: meta('node-1', { labels }),
    spec: unschedulable ? { unschedulable: true } : {},
    status: {
      ...(ready ? { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready }] } : {}),
      addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '172.18.0.2' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.24', architecture: 'amd64', bootID: '', kubeProxyVersion: '', machineID: '', operatingSystem: 'linux', systemUUID: '' },
    },
  });
  const wide = ['172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.8.0', 'containerd://1.7.24'];
  it.each<[string, Node, Cell[]]>([
    ['a ready control-plane node', node({ 'node-role.kubernetes.io/control-plane': '' }, 'True'), ['node-1', 'Ready', 'control-plane', '3h5m', 'v1.32.0', ...wide]],
    ['a cordoned worker', node({ 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': '', 'node-role.kubernetes.io/': '' }, 'True', true), ['node-1', 'Ready,SchedulingDisabled', 'infra,worker', '3h5m', 'v1.32.0', ...wide]],
    ['a node gone NotReady', node({}, 'Unknown'), ['node-1', 'NotReady', '<none>', '3h5m', 'v1.32.0', ...wide]],
    ['a node without conditions', node({}, undefined, true), ['node-1', 'Unknown,SchedulingDisabled', '<none>', '3h5m', 'v1.32.0', ...wide]],
  ])('%s', (_name, object, expected) => {
    expect(print('Node', object)).toEqual(expected);
  });

  it('prints <unknown> for missing node info', () => {
    expect(print('Node', { metadata: meta('bare') })).toEqual(['bare', 'Unknown', '<none>', '3h5m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });
});

describe('Event', () => {
  const base: Event = {
    metadata: meta('web-1.17d', { namespace: 'default' }),
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' },
    reason: 'BackOff',
    message: 'Back-off restarting failed container nginx in pod web-1_default(uid)\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(600_000),
    lastTimestamp: ago(30_000),
    count: 7,
    type: 'Warning',
  };
  it.each<[string, Event, Cell[]]>([
    ['a repeated kubelet event', base, ['30s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, node-1', 'Back-off restarting failed container nginx in pod web-1_default(uid)', '10m', 7, 'web-1.17d']],
    [
      'an events.k8s.io event: eventTime, reporting controller, no count',
      { metadata: meta('sched.1'), involvedObject: { kind: 'Pod', name: 'web-2' }, reason: 'Scheduled', message: 'Successfully assigned default/web-2 to node-1', eventTime: ago(45_000.5), reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-cp', type: 'Normal' },
      ['45s', 'Normal', 'Scheduled', 'pod/web-2', '', 'default-scheduler, default-scheduler-cp', 'Successfully assigned default/web-2 to node-1', '45s', 1, 'sched.1'],
    ],
    [
      'a series',
      { ...base, series: { count: 12, lastObservedTime: ago(5_000) } },
      ['5s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, node-1', 'Back-off restarting failed container nginx in pod web-1_default(uid)', '10m', 12, 'web-1.17d'],
    ],
    ['an event about a kind without a name', { metadata: meta('e'), involvedObject: { kind: 'Node' }, firstTimestamp: ago(60_000), count: 2 }, ['60s', '', '', 'node', '', '', '', '60s', 2, 'e']],
  ])('%s', (_name, object, expected) => {
    expect(print('Event', object)).toEqual(expected);
  });
});

describe('simple core kinds', () => {
  it.each<[string, keyof typeof coreHandlers, object, Cell[]]>([
    ['Namespace', 'Namespace', { metadata: meta('dev'), status: { phase: 'Terminating' } }, ['dev', 'Terminating', '3h5m']],
    ['ConfigMap counts data and binaryData', 'ConfigMap', { metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, ['cfg', 3, '3h5m']],
    ['empty ConfigMap', 'ConfigMap', { metadata: meta('kube-root-ca.crt') }, ['kube-root-ca.crt', 0, '3h5m']],
    ['Secret', 'Secret', { metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }, ['tls', 'kubernetes.io/tls', 2, '3h5m']],
    ['ServiceAccount', 'ServiceAccount', { metadata: meta('default') }, ['default', 0, '3h5m']],
  ])('%s', (_name, kind, object, expected) => {
    expect(print(kind, object)).toEqual(expected);
  });
});

describe('PersistentVolume and PersistentVolumeClaim', () => {
  it.each<[string, PersistentVolume, Cell[]]>([
    [
      'a bound volume',
      { metadata: meta('pv-1'), spec: { capacity: { storage: '1.5Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound' } },
      ['pv-1', '1536Mi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '3h5m', 'Filesystem'],
    ],
    [
      'a released volume being deleted, class from the beta annotation',
      { metadata: meta('pv-2', { deletionTimestamp: ago(1000), annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } }), spec: { capacity: { storage: '10G' }, accessModes: ['ReadWriteOncePod'], persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'ignored', volumeAttributesClassName: 'gold' }, status: { phase: 'Failed', reason: 'VolumeFailedDelete' } },
      ['pv-2', '10G', 'RWOP', 'Delete', 'Terminating', '', 'old', 'gold', 'VolumeFailedDelete', '3h5m', '<unset>'],
    ],
  ])('PV: %s', (_name, object, expected) => {
    expect(print('PersistentVolume', object)).toEqual(expected);
  });

  it.each<[string, PersistentVolumeClaim, Cell[]]>([
    ['a pending claim shows no capacity', { metadata: meta('data'), spec: { storageClassName: 'standard', resources: { requests: { storage: '1Gi' } }, accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } }, ['data', 'Pending', '', '', '', 'standard', '<unset>', '3h5m', '<unset>']],
    [
      'a bound claim shows the volume’s capacity and modes',
      { metadata: meta('data'), spec: { volumeName: 'pv-1', storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'] } },
      ['data', 'Bound', 'pv-1', '2Gi', 'RWO', 'standard', '<unset>', '3h5m', 'Filesystem'],
    ],
  ])('PVC: %s', (_name, object, expected) => {
    expect(print('PersistentVolumeClaim', object)).toEqual(expected);
  });
});

describe('ResourceQuota', () => {
  it.each<[string, ResourceQuota, Cell[]]>([
    [
      'requests and limits split, sorted by resource',
      { metadata: meta('compute'), spec: {}, status: { hard: { 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1', 'limits.cpu': '2', 'requests.memory': '1Gi' }, used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1', 'requests.memory': '0.5Gi' } } },
      ['compute', 'pods: 3/10, requests.cpu: 500m/1, requests.memory: 512Mi/1Gi', 'limits.cpu: 1/2, limits.memory: 0/2Gi', '3h5m'],
    ],
    ['not yet counted', { metadata: meta('q'), spec: { hard: { pods: '4' } } }, ['q', '', '', '3h5m']],
  ])('%s', (_name, object, expected) => {
    expect(print('ResourceQuota', object)).toEqual(expected);
  });
});
