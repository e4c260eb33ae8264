/**
 * What kube-proxy keeps of Services and EndpointSlices (pkg/proxy/servicechangetracker.go,
 * endpointschangetracker.go, endpointslicecache.go, topology.go), reduced to the IPv4 proxier's view:
 *
 * - `servicePorts(service)`: one ServicePort per port of a Service that has a ClusterIP (not None, not
 *   ExternalName), keyed by its ServicePortName (`ns/name:port`, `ns/name` for an unnamed port) and
 *   protocol, with its NodePort, external IPs, session affinity and traffic policies.
 * - `endpointsFor(slices)`: each service port's endpoints from the IPv4 slices of a Service — the first
 *   address of each endpoint, ready/serving/terminating as the conditions say (ready unset counts as
 *   ready; serving unset follows ready), deduplicated by `ip:port`, sorted by that string as
 *   endpointslicecache sorts them; ports without a number are skipped.
 * - `categorizeEndpoints`: proxy.CategorizeEndpoints — the ready endpoints for Cluster policy (else the
 *   serving terminating ones), this node's for Local policy, and whether any endpoint is usable.
 *
 * Left out: topology-aware hints (no zones here), IPv6 families, LoadBalancer ingress IPs and source
 * ranges, health-check node ports.
 */
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

export interface ServicePort {
  /** ServicePortName.String(): `ns/name:port` or `ns/name`. */
  readonly name: string;
  /** `ns/name`, for change tracking. */
  readonly service: string;
  readonly portName: string;
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort: number;
  readonly externalIPs: readonly string[];
  readonly sessionAffinityClientIP: boolean;
  readonly stickyMaxAgeSeconds: number;
  readonly internalPolicyLocal: boolean;
  readonly externalPolicyLocal: boolean;
}

export interface EndpointInfo {
  readonly ip: string;
  readonly port: number;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly nodeName: string;
  /** `ip:port`. */
  readonly endpoint: string;
}

/** The key of a service port's entry in the service and endpoints maps: name and protocol. */
export function portKey(name: string, protocol: string): string {
  return `${name}/${protocol}`;
}

const isIPv4 = (ip: string | undefined): ip is string => ip !== undefined && /^\d{1,3}(\.\d{1,3}){3}$/.test(ip);

/** ShouldSkipService plus the IPv4 filter: the ports a Service contributes, none when it has no ClusterIP. */
export function servicePorts(service: Service): ServicePort[] {
  const spec = service.spec ?? {};
  const clusterIP = spec.clusterIP;
  if (!clusterIP || clusterIP === 'None' || spec.type === 'ExternalName' || !isIPv4(clusterIP)) return [];
  const namespacedName = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
  const externallyAccessibleType = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  return (spec.ports ?? []).map((p) => {
    const portName = p.name ?? '';
    const nodePort = externallyAccessibleType ? (p.nodePort ?? 0) : 0;
    const externalIPs = (spec.externalIPs ?? []).filter(isIPv4);
    const externallyAccessible = nodePort !== 0 || externalIPs.length > 0;
    return {
      name: portName ? `${namespacedName}:${portName}` : namespacedName,
      service: namespacedName,
      portName,
      protocol: p.protocol ?? 'TCP',
      clusterIP,
      port: p.port,
      nodePort,
      externalIPs,
      sessionAffinityClientIP: spec.sessionAffinity === 'ClientIP',
      stickyMaxAgeSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
      internalPolicyLocal: spec.internalTrafficPolicy === 'Local',
      externalPolicyLocal: externallyAccessible && spec.externalTrafficPolicy === 'Local',
    };
  });
}

/** The endpoints of each service port (by portKey) that a Service's slices give. */
export function endpointsFor(namespacedName: string, slices: readonly EndpointSlice[]): Map<string, EndpointInfo[]> {
  const byPort = new Map<string, Map<string, EndpointInfo>>();
  for (const slice of [...slices].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    if (slice.addressType !== 'IPv4') continue;
    for (const port of slice.ports ?? []) {
      if (port.port === undefined || port.port === null || port.port <= 0) continue;
      const name = port.name ? `${namespacedName}:${port.name}` : namespacedName;
      const key = portKey(name, port.protocol ?? 'TCP');
      let endpoints = byPort.get(key);
      if (!endpoints) byPort.set(key, (endpoints = new Map()));
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses?.[0];
        if (!isIPv4(ip)) continue;
        const ready = ep.conditions?.ready ?? true;
        const endpoint = `${ip}:${port.port}`;
        if (endpoints.has(endpoint)) continue;
        endpoints.set(endpoint, {
          ip,
          port: port.port,
          ready,
          serving: ep.conditions?.serving ?? ready,
          terminating: ep.conditions?.terminating ?? false,
          nodeName: ep.nodeName ?? '',
          endpoint,
        });
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, endpoints] of byPort) out.set(key, [...endpoints.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)));
  return out;
}

export interface CategorizedEndpoints {
  clusterEndpoints: EndpointInfo[];
  localEndpoints: EndpointInfo[];
  allReachableEndpoints: EndpointInfo[];
  hasAnyEndpoints: boolean;
}

/** Whether a service port needs its Cluster-policy endpoints (UsesClusterEndpoints). */
export function usesClusterEndpoints(svc: ServicePort): boolean {
  return !svc.internalPolicyLocal || (externallyAccessible(svc) && !svc.externalPolicyLocal);
}

/** Whether a service port needs its Local-policy endpoints (UsesLocalEndpoints). */
export function usesLocalEndpoints(svc: ServicePort): boolean {
  return svc.internalPolicyLocal || (externallyAccessible(svc) && svc.externalPolicyLocal);
}

export function externallyAccessible(svc: ServicePort): boolean {
  return svc.nodePort !== 0 || svc.externalIPs.length > 0;
}

/** proxy.CategorizeEndpoints, without topology. */
export function categorizeEndpoints(endpoints: readonly EndpointInfo[], svc: ServicePort, hostname: string): CategorizedEndpoints {
  let clusterEndpoints: EndpointInfo[] = [];
  let localEndpoints: EndpointInfo[] = [];
  let hasAnyEndpoints = false;
  if (usesClusterEndpoints(svc)) {
    clusterEndpoints = endpoints.filter((ep) => ep.ready);
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating);
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true;
  }
  if (!usesLocalEndpoints(svc)) return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints };
  let localReady = false;
  let localServingTerminating = false;
  for (const ep of endpoints) {
    const local = ep.nodeName === hostname;
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (local) localReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (local) localServingTerminating = true;
    }
  }
  if (localReady) localEndpoints = endpoints.filter((ep) => ep.nodeName === hostname && ep.ready);
  else if (localServingTerminating) localEndpoints = endpoints.filter((ep) => ep.nodeName === hostname && ep.serving && ep.terminating);
  if (!usesClusterEndpoints(svc)) return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints };
  const union = new Map<string, EndpointInfo>();
  for (const ep of [...clusterEndpoints, ...localEndpoints]) union.set(ep.endpoint, ep);
  const allReachableEndpoints = [...union.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  return { clusterEndpoints, localEndpoints, allReachableEndpoints, hasAnyEndpoints };
}
