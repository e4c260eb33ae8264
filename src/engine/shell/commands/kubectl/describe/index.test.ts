import { describe as suite, expect, it } from 'vitest';
import type { KubeObject } from '../../../../apiserver/registry/strategy.ts';
import { describe, describerNeeds, type DescribeContext } from './index.ts';
import { smartLabelFor } from './generic.ts';
import { TabWriter } from '../printers/tabwriter.ts';
import { DESCRIBE_TABWRITER } from './prefixWriter.ts';

const now = Date.parse('2025-01-01T00:10:00Z');
const pod = {
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default', uid: 'u1', creationTimestamp: '2025-01-01T00:00:00Z', labels: { app: 'web', 'pod-template-hash': 'abc' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs1', controller: true }] },
  spec: { nodeName: 'node-1', serviceAccountName: 'default', priority: 0,
    containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { memory: '128Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
      env: [{ name: 'MODE', value: 'prod' }, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
      volumeMounts: [{ name: 'kube-api-access-x1', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
    volumes: [{ name: 'kube-api-access-x1', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [] } }, { downwardAPI: { items: [] } }] } }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] },
  status: { phase: 'Running', hostIP: '10.0.0.2', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], startTime: '2025-01-01T00:00:01Z',
    conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'nginx', ready: true, restartCount: 1, image: 'nginx:1.27', imageID: 'docker.io/library/nginx@sha256:aa', containerID: 'containerd://c1',
      state: { running: { startedAt: '2025-01-01T00:01:00Z' } }, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: '2025-01-01T00:00:02Z', finishedAt: '2025-01-01T00:00:59Z' } } }] },
};
const events = [
  { involvedObject: { kind: 'Pod', name: 'web-1' }, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web-1 to node-1', source: {}, reportingComponent: 'default-scheduler', firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:00:00Z', count: 1 },
  { involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' }, type: 'Normal', reason: 'Pulled', message: 'Container image "nginx:1.27" already present on machine', source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: '2025-01-01T00:00:01Z', lastTimestamp: '2025-01-01T00:05:00Z', count: 2 },
];

function ctx(over: Partial<DescribeContext> = {}): DescribeContext {
  return { now, events: [], related: () => [], showEvents: true, ...over };
}

suite('TabWriter (Go text/tabwriter, minwidth 0, padding 2)', () => {
  it.each([
    ['a column block aligns to its widest cell plus 2', 'a:\tx\nlonger:\ty\n', 'a:       x\nlonger:  y\n'],
    ['a line without a tab ends the block', 'a:\tx\nplain\nlonger:\ty\n', 'a:  x\nplain\nlonger:  y\n'],
    ['an empty column is 2 wide', 'n\t\tc\nname\t\tc\n', 'n       c\nname    c\n'],
    ['the last cell is not padded', 'k:\tv\nkey:\tvalue\n', 'k:    v\nkey:  value\n'],
  ])('%s', (_name, input, want) => {
    const tw = new TabWriter(DESCRIBE_TABWRITER);
    tw.write(input);
    expect(tw.take()).toBe(want);
  });
});

suite('describe', () => {
  it('Pod: containers, last state, env, mounts, conditions, projected volume, tolerations, events', () => {
    expect(describe('Pod', pod as KubeObject, ctx({ events: events as DescribeContext['events'] }))).toBe(EXPECTED_POD);
  });

  it.each<[string, string, KubeObject, Partial<DescribeContext>, string]>([
    [
      'ConfigMap: data with ---- separators, sorted keys, binary data sizes, no events',
      'ConfigMap',
      { metadata: { name: 'mycm', namespace: 'foo' }, data: { key2: 'value2', key1: 'value1' }, binaryData: { bin: 'AAEC' } },
      {},
      'Name:         mycm\nNamespace:    foo\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\nkey1:\n----\nvalue1\n\nkey2:\n----\nvalue2\n\n\nBinaryData\n====\nbin: 3 bytes\n\nEvents:  <none>\n',
    ],
    [
      'Secret: sizes in bytes, no events section',
      'Secret',
      { metadata: { name: 'bar', namespace: 'foo', labels: { a: 'b' } }, type: 'Opaque', data: { password: 'c2VjcmV0', user: 'YWRtaW4=' } },
      {},
      'Name:         bar\nNamespace:    foo\nLabels:       a=b\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  6 bytes\nuser:      5 bytes\n',
    ],
    [
      'ServiceAccount: the three secret sections',
      'ServiceAccount',
      { metadata: { name: 'default', namespace: 'default', uid: 's1' } },
      {},
      'Name:                default\nNamespace:           default\nLabels:              <none>\nAnnotations:         <none>\nImage pull secrets:  <none>\nMountable secrets:   <none>\nTokens:              <none>\nEvents:              <none>\n',
    ],
    [
      'Service: ports with endpoints capped at three',
      'Service',
      { metadata: { name: 'web', namespace: 'default' }, spec: { type: 'ClusterIP', selector: { app: 'web' }, ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'], clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
      // formatEndpointSlices: ready endpoints only (one not ready is still counted toward the cap), in slice order.
      { related: (g, r, _ns, selector) => (g === 'discovery.k8s.io' && r === 'endpointslices' && selector === 'kubernetes.io/service-name=web' ? [{ metadata: { name: 'web-x' }, addressType: 'IPv4', ports: [{ name: '', port: 8080, protocol: 'TCP' }], endpoints: ['10.244.0.4', '10.244.0.1', '10.244.0.9', '10.244.0.2', '10.244.0.3'].map((ip) => ({ addresses: [ip], conditions: { ready: ip !== '10.244.0.9' } })) }] : []) },
      'Name:                     web\nNamespace:                default\nLabels:                   <none>\nAnnotations:              <none>\nSelector:                 app=web\nType:                     ClusterIP\nIP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       10.96.0.10\nIPs:                      10.96.0.10\nPort:                     <unset>  80/TCP\nTargetPort:               8080/TCP\nEndpoints:                10.244.0.4:8080,10.244.0.1:8080,10.244.0.2:8080 + 1 more...\nSession Affinity:         None\nInternal Traffic Policy:  Cluster\nEvents:                   <none>\n',
    ],
    [
      'a kind without a describer: the generic describer',
      'Widget.example.com',
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'ns', uid: 'x' }, spec: { replicas: 2, ports: [80, 443] } },
      { showEvents: false },
      'Name:         w\nNamespace:    ns\nLabels:       <none>\nAnnotations:  <none>\nAPI Version:  example.com/v1\nKind:         Widget\nMetadata:\n  UID:  x\nSpec:\n  Ports:\n    80\n    443\n  Replicas:  2\n',
    ],
  ])('%s', (_name, groupKind, obj, over, want) => {
    expect(describe(groupKind, obj, ctx(over))).toBe(want);
  });

  it('Deployment: the new and old ReplicaSets are found by template, ignoring pod-template-hash', () => {
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } };
    const dep = { metadata: { name: 'web', namespace: 'default', uid: 'd1', creationTimestamp: '2025-01-01T00:00:00Z' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, template }, status: { replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }] } };
    const owner = [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }];
    const rsNew = { metadata: { name: 'web-new', uid: 'r2', ownerReferences: owner, creationTimestamp: '2025-01-01T00:05:00Z' }, spec: { replicas: 1, template: { ...template, metadata: { labels: { app: 'web', 'pod-template-hash': 'new' } } } }, status: { replicas: 1 } };
    const rsOld = { metadata: { name: 'web-old', uid: 'r1', ownerReferences: owner, creationTimestamp: '2025-01-01T00:00:00Z' }, spec: { replicas: 0, template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'old' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } }, status: { replicas: 0 } };
    const out = describe('Deployment.apps', dep as KubeObject, ctx({ related: (g, r) => (g === 'apps' && r === 'replicasets' ? [rsOld, rsNew] as KubeObject[] : []) }));
    expect(out).toBe(
      'Name:                   web\nNamespace:              default\nCreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000\nLabels:                 <none>\nAnnotations:            <none>\nSelector:               app=web\nReplicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable\nStrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n    Port:          <none>\n    Host Port:     <none>\n    Environment:   <none>\n    Mounts:        <none>\n  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\nOldReplicaSets:  web-old (0/0 replicas created)\nNewReplicaSet:   web-new (1/1 replicas created)\nEvents:          <none>\n',
    );
  });

  it.each([
    ['Pod', []],
    ['Deployment.apps', [{ group: 'apps', resource: 'replicasets', namespaced: true }]],
    ['Widget.example.com', []],
  ])('describerNeeds(%s)', (gk, want) => {
    expect(describerNeeds(gk)).toEqual(want);
  });
});

suite('describe: kinds checked against kubectl 1.32 (kubectl.diff.test.ts prints the same objects)', () => {
  it.each<[string, string, KubeObject, string]>([
    [
      'Role: rules broken down, compacted by resource and sorted by their Go string',
      'Role.rbac.authorization.k8s.io',
      { metadata: { name: 'reader', namespace: 'demo' }, rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log', 'services'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], verbs: ['get', 'update'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings', 'other'], verbs: ['get'] },
      ] } as KubeObject,
      'Name:         reader\nLabels:       <none>\nAnnotations:  <none>\nPolicyRule:\n  Resources               Non-Resource URLs  Resource Names  Verbs\n  ---------               -----------------  --------------  -----\n  pods/log                []                 []              [get list watch]\n  pods                    []                 []              [get list watch]\n  services                []                 []              [get list watch]\n  deployments.apps/scale  []                 []              [get update]\n  deployments.apps        []                 []              [get update]\n  configmaps              []                 [other]         [get]\n  configmaps              []                 [settings]      [get]\n',
    ],
    [
      'ResourceQuota: a used quantity prints in its hard quantity\'s format',
      'ResourceQuota',
      { metadata: { name: 'quota', namespace: 'demo' }, status: { hard: { pods: '20', 'requests.memory': '4Gi', 'limits.memory': '8Gi' }, used: { pods: '11', 'requests.memory': '671088640' } } },
      'Name:            quota\nNamespace:       demo\nResource         Used   Hard\n--------         ----   ----\nlimits.memory    0      8Gi\npods             11     20\nrequests.memory  640Mi  4Gi\n',
    ],
    [
      'PodDisruptionBudget: budget, selector and status two levels in',
      'PodDisruptionBudget.policy',
      { metadata: { name: 'web', namespace: 'demo' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } }, status: { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 } },
      'Name:           web\nNamespace:      demo\nMin available:  1\nSelector:       app=web\nStatus:\n    Allowed disruptions:  1\n    Current:              2\n    Desired:              1\n    Total:                2\nEvents:                   <none>\n',
    ],
    [
      'EndpointSlice: ports and endpoints, unset fields as <unset>',
      'EndpointSlice.discovery.k8s.io',
      { metadata: { name: 'db-qnx2z', namespace: 'demo' }, addressType: 'IPv4', ports: [{ name: '', port: 6379, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.3'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'db-0' }, nodeName: 'worker-1' }] } as KubeObject,
      'Name:         db-qnx2z\nNamespace:    demo\nLabels:       <none>\nAnnotations:  <none>\nAddressType:  IPv4\nPorts:\n  Name     Port  Protocol\n  ----     ----  --------\n  <unset>  6379  TCP\nEndpoints:\n  - Addresses:  10.244.1.3\n    Conditions:\n      Ready:    true\n    Hostname:   <unset>\n    TargetRef:  Pod/db-0\n    NodeName:   worker-1\n    Zone:       <unset>\nEvents:         <none>\n',
    ],
    [
      'NetworkPolicy: an empty pod selector, ingress isolated, no events',
      'NetworkPolicy.networking.k8s.io',
      { metadata: { name: 'deny-all', namespace: 'demo', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
      'Name:         deny-all\nNamespace:    demo\nCreated on:   2026-01-01 00:00:00 +0000 UTC\nLabels:       <none>\nAnnotations:  <none>\nSpec:\n  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
    ],
  ])('%s', (_name, groupKind, obj, want) => {
    expect(describe(groupKind, obj, ctx())).toBe(want);
  });

  it('a fieldRef env var resolves only metadata.name and metadata.namespace; a projected optional prints a pointer', () => {
    const p = structuredClone(pod);
    p.spec.containers[0]!.env = [
      { name: 'NS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
      { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
    ] as (typeof p.spec.containers)[0]['env'];
    (p.spec.volumes[0]!.projected.sources[1] as { configMap: { optional?: boolean } }).configMap.optional = false;
    const out = describe('Pod', p as KubeObject, ctx({ showEvents: false }));
    expect(out).toContain('      NS:    default (v1:metadata.namespace)\n      NODE:   (v1:spec.nodeName)\n');
    expect(out).toMatch(/\n {4}ConfigMapOptional: +0xc[0-9a-f]{9}\n/);
  });
});

suite('smartLabelFor', () => {
  it.each([
    ['apiVersion', 'API Version'],
    ['kind', 'Kind'],
    ['uid', 'UID'],
    ['doubleCamelCase', 'Double Camel Case'],
    ['a_b', 'a_b'],
    ['port8080', 'port8080'],
  ])('%s → %s', (field, want) => {
    expect(smartLabelFor(field)).toBe(want);
  });
});

const EXPECTED_POD = `Name:             web-1\nNamespace:        default\nPriority:         0\nService Account:  default\nNode:             node-1/10.0.0.2\nStart Time:       Wed, 01 Jan 2025 00:00:01 +0000\nLabels:           app=web\n                  pod-template-hash=abc\nAnnotations:      <none>\nStatus:           Running\nIP:               10.244.1.5\nIPs:\n  IP:           10.244.1.5\nControlled By:  ReplicaSet/web-abc\nContainers:\n  nginx:\n    Container ID:   containerd://c1\n    Image:          nginx:1.27\n    Image ID:       docker.io/library/nginx@sha256:aa\n    Port:           80/TCP\n    Host Port:      0/TCP\n    State:          Running\n      Started:      Wed, 01 Jan 2025 00:01:00 +0000\n    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n      Started:      Wed, 01 Jan 2025 00:00:02 +0000\n      Finished:     Wed, 01 Jan 2025 00:00:59 +0000\n    Ready:          True\n    Restart Count:  1\n    Limits:\n      memory:  128Mi\n    Requests:\n      cpu:     100m\n      memory:  64Mi\n    Environment:\n      MODE:      prod\n      POD_NAME:  web-1 (v1:metadata.name)\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x1 (ro)\nConditions:\n  Type          Status\n  Initialized   True \n  Ready         True \nVolumes:\n  kube-api-access-x1:\n    Type:                    Projected (a volume that contains injected data from multiple sources)\n    TokenExpirationSeconds:  3607\n    ConfigMapName:           kube-root-ca.crt\n    ConfigMapOptional:       <nil>\n    DownwardAPI:             true\nQoS Class:                   Burstable\nNode-Selectors:              <none>\nTolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\nEvents:\n  Type    Reason     Age                 From               Message\n  ----    ------     ----                ----               -------\n  Normal  Scheduled  10m                 default-scheduler  Successfully assigned default/web-1 to node-1\n  Normal  Pulled     5m (x2 over 9m59s)  kubelet            Container image "nginx:1.27" already present on machine\n`;
