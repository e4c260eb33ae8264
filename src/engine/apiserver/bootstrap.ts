/**
 * What a new apiserver creates for itself (its post-start hooks and bootstrap controllers): the system
 * namespaces, the two system PriorityClasses, and the `kubernetes` Service in `default` pointing at the
 * apiserver. The addresses are kubeadm's defaults: service CIDR 10.96.0.0/12, so the API's ClusterIP is
 * 10.96.0.1, and the secure port 6443.
 */
import type { KubeObject } from './registry/strategy.ts';

export const SERVICE_CIDR = '10.96.0.0/12';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const SECURE_PORT = 6443;

export interface BootstrapObject {
  group: string;
  version: string;
  resource: string;
  namespace: string;
  object: KubeObject;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/** `advertiseIP`: where the `kubernetes` Service's endpoints point (the endpoint reconciler's lease). */
export function bootstrapObjects(advertiseIP?: string): BootstrapObject[] {
  const namespaces: BootstrapObject[] = SYSTEM_NAMESPACES.map((name) => ({
    group: '',
    version: 'v1',
    resource: 'namespaces',
    namespace: '',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } } },
  }));
  const priorityClasses: BootstrapObject[] = [
    {
      name: 'system-node-critical',
      value: 2000001000,
      description: 'Used for system critical pods that must not be moved from their current node.',
    },
    {
      name: 'system-cluster-critical',
      value: 2000000000,
      description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
    },
  ].map((pc) => ({
    group: 'scheduling.k8s.io',
    version: 'v1',
    resource: 'priorityclasses',
    namespace: '',
    object: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description, preemptionPolicy: 'PreemptLowerPriority' },
  }));
  const kubernetesService: BootstrapObject = {
    group: '',
    version: 'v1',
    resource: 'services',
    namespace: 'default',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        ports: [{ name: 'https', protocol: 'TCP', port: 443, targetPort: SECURE_PORT }],
        clusterIP: KUBERNETES_SERVICE_IP,
        clusterIPs: [KUBERNETES_SERVICE_IP],
        type: 'ClusterIP',
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
    },
  };
  // The apiserver's endpoint reconciler publishes itself behind the `kubernetes` Service.
  const endpoints: BootstrapObject[] = advertiseIP
    ? [
        {
          group: '',
          version: 'v1',
          resource: 'endpoints',
          namespace: 'default',
          object: {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
            subsets: [{ addresses: [{ ip: advertiseIP }], ports: [{ name: 'https', port: SECURE_PORT, protocol: 'TCP' }] }],
          },
        },
        {
          group: 'discovery.k8s.io',
          version: 'v1',
          resource: 'endpointslices',
          namespace: 'default',
          object: {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
            addressType: 'IPv4',
            endpoints: [{ addresses: [advertiseIP], conditions: { ready: true } }],
            ports: [{ name: 'https', port: SECURE_PORT, protocol: 'TCP' }],
          },
        },
      ]
    : [];
  return [...namespaces, ...priorityClasses, kubernetesService, ...endpoints];
}
