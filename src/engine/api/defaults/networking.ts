/**
 * Defaulting for networking.k8s.io/v1 (k8s.io/kubernetes/pkg/apis/networking/v1/defaults.go):
 * NetworkPolicy's policyTypes (Ingress, plus Egress when egress rules are given) and its ports' protocol
 * TCP; an IngressClass's parameters scope Cluster. Ingress has no defaults: a path's pathType is required.
 *
 * A NetworkPolicy's podSelector is a struct, not a pointer, so Go prints it (`podSelector: {}`) even when
 * the manifest leaves it out.
 */
import type { IngressClass, NetworkPolicy, NetworkPolicyPort, NetworkPolicySpec } from 'kubernetes-types/networking/v1';
import type { Defaulter } from './index.ts';

/** SetDefaults_NetworkPolicyPort: protocol TCP. */
function setDefaultsNetworkPolicyPort(port: NetworkPolicyPort): void {
  port.protocol ??= 'TCP';
}

/** SetDefaults_NetworkPolicy, and the ports of every rule. */
function setDefaultsNetworkPolicy(policy: NetworkPolicy): void {
  const spec = (policy.spec ??= {} as NetworkPolicySpec);
  spec.podSelector ??= {};
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = (spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const rule of spec.ingress ?? []) for (const port of rule.ports ?? []) setDefaultsNetworkPolicyPort(port);
  for (const rule of spec.egress ?? []) for (const port of rule.ports ?? []) setDefaultsNetworkPolicyPort(port);
}

/** SetDefaults_IngressClass: parameters are cluster-scoped unless they say otherwise. */
function setDefaultsIngressClass(ingressClass: IngressClass): void {
  const parameters = ingressClass.spec?.parameters;
  if (parameters) parameters.scope ??= 'Cluster';
}

export const networkingDefaulters: Readonly<Record<string, Defaulter>> = {
  'NetworkPolicy.networking.k8s.io': (o) => setDefaultsNetworkPolicy(o as NetworkPolicy),
  'IngressClass.networking.k8s.io': (o) => setDefaultsIngressClass(o as IngressClass),
};
