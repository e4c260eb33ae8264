import { describe, expect, it } from 'vitest';
import { applyDefaults, defaultImagePullPolicy } from './index.ts';

type Json = Record<string, unknown>;

function defaulted(groupKind: string, object: Json): Json {
  const copy = structuredClone(object);
  applyDefaults(groupKind, copy);
  return copy;
}

const SHA = 'sha256:' + 'a'.repeat(64);

describe('imagePullPolicy', () => {
  it.each([
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    ['library/nginx:1.27-alpine', 'IfNotPresent'],
    [`nginx@${SHA}`, 'IfNotPresent'],
    [`nginx:latest@${SHA}`, 'Always'],
    [`nginx:1.27@${SHA}`, 'IfNotPresent'],
    ['localhost:5000/app', 'Always'],
    ['localhost:5000/app:v1', 'IfNotPresent'],
    ['registry.k8s.io/pause:3.10', 'IfNotPresent'],
    ['docker.io/library/busybox', 'Always'],
    ['busybox:Latest', 'IfNotPresent'],
    // References that do not parse have no tag: IfNotPresent.
    ['', 'IfNotPresent'],
    ['NGINX', 'IfNotPresent'],
    ['nginx:', 'IfNotPresent'],
    ['a'.repeat(64), 'IfNotPresent'],
  ])('%j pulls %s', (image, policy) => {
    expect(defaultImagePullPolicy(image)).toBe(policy);
  });
});

/** What every container gets when nothing else is said. */
const containerDefaults = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} };
/** What every pod spec gets (SetDefaults_PodSpec). */
const podSpecDefaults = { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30 };

describe('Pod', () => {
  it.each<[string, Json, Json]>([
    [
      'a minimal pod',
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: { ...podSpecDefaults, enableServiceLinks: true, containers: [{ name: 'nginx', image: 'nginx', imagePullPolicy: 'Always', ...containerDefaults }] },
      },
    ],
    [
      'a pod with ports, probes, env, limits and every common volume',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
              livenessProbe: { httpGet: { port: 80 } },
              readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5 },
              startupProbe: { grpc: { port: 9000 } },
              lifecycle: { preStop: { httpGet: { path: '/quit', port: 80 } }, postStart: { exec: { command: ['true'] } } },
              env: [
                { name: 'A', value: 'a' },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory' } } },
              ],
            },
          ],
          volumes: [
            { name: 'cache' },
            { name: 'config', configMap: { name: 'web' } },
            { name: 'creds', secret: { secretName: 'web', defaultMode: 0o400 } },
            { name: 'logs', hostPath: { path: '/var/log' } },
            { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
            {
              name: 'token',
              projected: {
                sources: [{ serviceAccountToken: { path: 'token' } }, { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } }],
              },
            },
            { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } },
          ],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: {
          ...podSpecDefaults,
          enableServiceLinks: true,
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.27',
              imagePullPolicy: 'IfNotPresent',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              ports: [
                { containerPort: 80, protocol: 'TCP' },
                { containerPort: 53, protocol: 'UDP' },
              ],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
              livenessProbe: { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
              readinessProbe: { tcpSocket: { port: 80 }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
              startupProbe: { grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
              lifecycle: { preStop: { httpGet: { path: '/quit', port: 80, scheme: 'HTTP' } }, postStart: { exec: { command: ['true'] } } },
              env: [
                { name: 'A', value: 'a' },
                { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
                { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '0' } } },
              ],
            },
          ],
          volumes: [
            { name: 'cache', emptyDir: {} },
            { name: 'config', configMap: { name: 'web', defaultMode: 420 } },
            { name: 'creds', secret: { secretName: 'web', defaultMode: 0o400 } },
            { name: 'logs', hostPath: { path: '/var/log', type: '' } },
            { name: 'info', downwardAPI: { defaultMode: 420, items: [{ path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } }] } },
            {
              name: 'token',
              projected: {
                defaultMode: 420,
                sources: [
                  { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
                  { downwardAPI: { items: [{ path: 'ns', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
                ],
              },
            },
            {
              name: 'scratch',
              ephemeral: {
                volumeClaimTemplate: {
                  metadata: { creationTimestamp: null },
                  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' },
                },
              },
            },
          ],
        },
      },
    ],
    [
      'a host-network pod with an init container and its own policies',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'agent' },
        spec: {
          hostNetwork: true,
          restartPolicy: 'OnFailure',
          dnsPolicy: 'ClusterFirstWithHostNet',
          terminationGracePeriodSeconds: 0,
          enableServiceLinks: false,
          securityContext: { runAsUser: 1000 },
          initContainers: [{ name: 'init', image: 'busybox:1.36', imagePullPolicy: 'Never', resources: { limits: { memory: '64Mi' } } }],
          containers: [{ name: 'agent', image: 'agent:v2', ports: [{ containerPort: 9100 }, { containerPort: 9101, hostPort: 19101 }] }],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'agent' },
        spec: {
          hostNetwork: true,
          restartPolicy: 'OnFailure',
          dnsPolicy: 'ClusterFirstWithHostNet',
          terminationGracePeriodSeconds: 0,
          enableServiceLinks: false,
          securityContext: { runAsUser: 1000 },
          schedulerName: 'default-scheduler',
          initContainers: [
            {
              name: 'init',
              image: 'busybox:1.36',
              imagePullPolicy: 'Never',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              resources: { limits: { memory: '64Mi' }, requests: { memory: '64Mi' } },
            },
          ],
          containers: [
            {
              name: 'agent',
              image: 'agent:v2',
              imagePullPolicy: 'IfNotPresent',
              ...containerDefaults,
              ports: [
                { containerPort: 9100, hostPort: 9100, protocol: 'TCP' },
                { containerPort: 9101, hostPort: 19101, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    ],
    [
      'ephemeral containers: container defaults, but no requests from limits',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent' }],
          ephemeralContainers: [{ name: 'debugger', image: 'busybox', targetContainerName: 'nginx', resources: { limits: { cpu: '1' } } }],
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: {
          ...podSpecDefaults,
          enableServiceLinks: true,
          containers: [{ name: 'nginx', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', ...containerDefaults }],
          ephemeralContainers: [
            {
              name: 'debugger',
              image: 'busybox',
              targetContainerName: 'nginx',
              imagePullPolicy: 'Always',
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              resources: { limits: { cpu: '1' } },
            },
          ],
        },
      },
    ],
  ])('%s', (_name, manifest, expected) => {
    expect(defaulted('Pod', manifest)).toStrictEqual(expected);
  });

  it('is idempotent', () => {
    const once = defaulted('Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'c', resources: { limits: { cpu: '1' } } }] } });
    expect(defaulted('Pod', once)).toStrictEqual(once);
  });
});

describe('Service', () => {
  const meta = { name: 'web', namespace: 'default' };
  it.each<[string, Json, Json]>([
    [
      'ClusterIP by default, targetPort from port',
      { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { selector: { app: 'web' }, ports: [{ port: 80 }, { name: 'metrics', port: 9090, targetPort: 'metrics' }] } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta,
        spec: {
          selector: { app: 'web' },
          ports: [
            { port: 80, protocol: 'TCP', targetPort: 80 },
            { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 'metrics' },
          ],
          type: 'ClusterIP',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
      },
    ],
    [
      'NodePort: external traffic policy too',
      { metadata: meta, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'UDP' }] } },
      {
        metadata: meta,
        spec: {
          type: 'NodePort',
          selector: { app: 'web' },
          ports: [{ port: 80, targetPort: 8080, nodePort: 30080, protocol: 'UDP' }],
          sessionAffinity: 'None',
          externalTrafficPolicy: 'Cluster',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
      },
    ],
    [
      'LoadBalancer: node ports allocated, ingress IPs in VIP mode',
      {
        metadata: meta,
        spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 443, targetPort: 0 }], externalTrafficPolicy: 'Local' },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }, { hostname: 'lb.example.com' }] } },
      },
      {
        metadata: meta,
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'web' },
          ports: [{ port: 443, targetPort: 443, protocol: 'TCP' }],
          externalTrafficPolicy: 'Local',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          allocateLoadBalancerNodePorts: true,
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } },
      },
    ],
    [
      'ClusterIP with external IPs counts as externally accessible',
      { metadata: meta, spec: { selector: { app: 'web' }, externalIPs: ['198.51.100.7'], ports: [{ port: 80 }] } },
      {
        metadata: meta,
        spec: {
          selector: { app: 'web' },
          externalIPs: ['198.51.100.7'],
          ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
          type: 'ClusterIP',
          sessionAffinity: 'None',
          externalTrafficPolicy: 'Cluster',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
      },
    ],
    [
      'ExternalName: no traffic policies, no IP families',
      { metadata: meta, spec: { type: 'ExternalName', externalName: 'db.example.com' } },
      { metadata: meta, spec: { type: 'ExternalName', externalName: 'db.example.com', sessionAffinity: 'None' } },
    ],
    [
      'headless with a selector: single stack',
      { metadata: meta, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } },
      {
        metadata: meta,
        spec: {
          clusterIP: 'None',
          selector: { app: 'db' },
          ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
          type: 'ClusterIP',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
      },
    ],
    [
      'headless without a selector: RequireDualStack and both families',
      { metadata: meta, spec: { clusterIP: 'None', ports: [{ port: 5432 }] } },
      {
        metadata: meta,
        spec: {
          clusterIP: 'None',
          ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }],
          type: 'ClusterIP',
          sessionAffinity: 'None',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'RequireDualStack',
          ipFamilies: ['IPv4', 'IPv6'],
        },
      },
    ],
    [
      'ClientIP affinity: three hours',
      { metadata: meta, spec: { selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ port: 80 }] } },
      {
        metadata: meta,
        spec: {
          selector: { app: 'web' },
          sessionAffinity: 'ClientIP',
          sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
          ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
          type: 'ClusterIP',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
      },
    ],
    [
      'no affinity drops an affinity config',
      { metadata: meta, spec: { selector: { app: 'web' }, sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] } },
      {
        metadata: meta,
        spec: {
          selector: { app: 'web' },
          sessionAffinity: 'None',
          ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
          type: 'ClusterIP',
          internalTrafficPolicy: 'Cluster',
          ipFamilyPolicy: 'SingleStack',
          ipFamilies: ['IPv4'],
        },
      },
    ],
  ])('%s', (_name, manifest, expected) => {
    expect(defaulted('Service', manifest)).toStrictEqual(expected);
  });
});

describe('other core kinds', () => {
  it.each<[string, string, Json, Json]>([
    [
      'a PersistentVolume: Retain, Filesystem, Pending',
      'PersistentVolume',
      { metadata: { name: 'pv0' }, spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/pv0' } } },
      {
        metadata: { name: 'pv0' },
        spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data/pv0', type: '' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ],
    [
      'a PersistentVolumeClaim: Filesystem, Pending',
      'PersistentVolumeClaim',
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' } },
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard', volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ],
    [
      'a Namespace: its name label, Active',
      'Namespace',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a', 'kubernetes.io/metadata.name': 'wrong' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { team: 'a', 'kubernetes.io/metadata.name': 'team-a' } }, status: { phase: 'Active' } },
    ],
    ['a Namespace named by generateName gets no label yet', 'Namespace', { metadata: { generateName: 'tmp-' } }, { metadata: { generateName: 'tmp-' }, status: { phase: 'Active' } }],
    [
      'a Node: allocatable from capacity',
      'Node',
      { metadata: { name: 'node-1' }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' } } },
      { metadata: { name: 'node-1' }, status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' } } },
    ],
    [
      'a Node that reports allocatable keeps it',
      'Node',
      { metadata: { name: 'node-1' }, status: { capacity: { cpu: '2' }, allocatable: { cpu: '1900m' } } },
      { metadata: { name: 'node-1' }, status: { capacity: { cpu: '2' }, allocatable: { cpu: '1900m' } } },
    ],
    ['a Secret: Opaque', 'Secret', { metadata: { name: 's' }, data: { k: 'dg==' } }, { metadata: { name: 's' }, data: { k: 'dg==' }, type: 'Opaque' }],
    [
      'a TLS Secret keeps its type',
      'Secret',
      { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} },
      { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} },
    ],
    ['a ConfigMap: nothing', 'ConfigMap', { metadata: { name: 'c' } }, { metadata: { name: 'c' } }],
    [
      'Endpoints: ports TCP',
      'Endpoints',
      { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }] },
      { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }] },
    ],
    [
      'a LimitRange: default from max, defaultRequest from default then min',
      'LimitRange',
      {
        metadata: { name: 'limits' },
        spec: {
          limits: [
            { type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m', 'ephemeral-storage': '1Gi' }, default: { memory: '512Mi' } },
            { type: 'Pod', max: { cpu: '4' } },
          ],
        },
      },
      {
        metadata: { name: 'limits' },
        spec: {
          limits: [
            {
              type: 'Container',
              max: { cpu: '2', memory: '1Gi' },
              min: { cpu: '100m', 'ephemeral-storage': '1Gi' },
              default: { memory: '512Mi', cpu: '2' },
              defaultRequest: { memory: '512Mi', cpu: '2', 'ephemeral-storage': '1Gi' },
            },
            { type: 'Pod', max: { cpu: '4' } },
          ],
        },
      },
    ],
    [
      'a LimitRange with only default requests gets no empty default map',
      'LimitRange',
      { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' } }] } },
      { metadata: { name: 'limits' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '100m' } }] } },
    ],
    [
      'an Event prints its zero fields',
      'Event',
      { metadata: { name: 'web.1' }, involvedObject: { kind: 'Pod', name: 'web' }, reason: 'Scheduled', type: 'Normal', count: 1, firstTimestamp: '2025-01-01T00:00:00Z' },
      {
        metadata: { name: 'web.1' },
        involvedObject: { kind: 'Pod', name: 'web' },
        reason: 'Scheduled',
        type: 'Normal',
        count: 1,
        firstTimestamp: '2025-01-01T00:00:00Z',
        lastTimestamp: null,
        eventTime: null,
        source: {},
        reportingComponent: '',
        reportingInstance: '',
      },
    ],
  ])('%s', (_name, groupKind, manifest, expected) => {
    expect(defaulted(groupKind, manifest)).toStrictEqual(expected);
  });
});
