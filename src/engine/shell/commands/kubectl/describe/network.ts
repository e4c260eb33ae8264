/**
 * Service, Ingress, Endpoints and EndpointSlice as kubectl 1.32 describes them (pkg/describe): a
 * Service's type, IP family policy, IPs, ports with their endpoints (formatEndpointSlices over the
 * service's EndpointSlices: `ip:port,…` and `+ N more...` past three), session affinity and traffic
 * policies; an Ingress's address, class, default backend, TLS and rules, each service backend followed
 * by its endpoints; an Endpoints object's subsets; an EndpointSlice's ports and endpoints; an
 * IngressClass's controller and parameters; a NetworkPolicy's selected pods and its ingress and egress
 * rules in words.
 */
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressBackend, IngressClass, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from 'kubernetes-types/networking/v1';
import { formatLabelSelector, formatLabels } from '../../../../api/labels/selector.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString } from './prefixWriter.ts';
import { goTimeString, printAnnotationsMultiline, printLabelsMultiline } from './metadata.ts';
import type { PrefixWriter } from './prefixWriter.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The service's EndpointSlices (label kubernetes.io/service-name), in list order. */
function slicesFor(ctx: DescribeContext, namespace: string, name: string): EndpointSlice[] {
  return ctx.related('discovery.k8s.io', 'endpointslices', namespace, `kubernetes.io/service-name=${name}`) as unknown as EndpointSlice[];
}

/**
 * formatEndpointSlices: the ready endpoints (`ip:port` of the slice ports named `port`, or bare IPs of a
 * slice without ports) joined by commas, `+ N more...` past three; `<none>` without slices.
 */
function formatEndpointSlices(slices: readonly EndpointSlice[], port: string): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  const add = (endpoint: EndpointSlice['endpoints'][number], entry: string): void => {
    if (list.length === max) more = true;
    if (endpoint.conditions?.ready === false) return;
    if (!more) list.push(entry);
    count++;
  };
  for (const slice of slices) {
    const ports = slice.ports ?? [];
    if (ports.length === 0) {
      for (const e of slice.endpoints ?? []) add(e, e.addresses[0] ?? '');
      continue;
    }
    for (const p of ports) {
      if ((p.name ?? '') !== port) continue;
      for (const e of slice.endpoints ?? []) add(e, joinHostPort(e.addresses[0] ?? '', p.port ?? 0));
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function describeService(svc: Service, ctx: DescribeContext): string {
  const ns = svc.metadata?.namespace ?? '';
  const slices = slicesFor(ctx, ns, svc.metadata?.name ?? '');
  return tabbedString((w) => {
    const spec = svc.spec ?? {};
    w.write(LEVEL_0, `Name:\t${svc.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy !== undefined) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(LEVEL_0, `IP Families:\t${(spec.ipFamilies ?? []).length > 0 ? spec.ipFamilies!.join(',') : '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(LEVEL_0, `IPs:\t${(spec.clusterIPs ?? []).length > 0 ? spec.clusterIPs!.join(',') : '<none>'}\n`);
    if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs!.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length > 0) {
      const list = ingress.map((i) => (i.ip ? (i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip) : (i.hostname ?? ''))).join(', ');
      w.write(LEVEL_0, `LoadBalancer Ingress:\t${list}\n`);
    }
    for (const sp of spec.ports ?? []) {
      const name = sp.name || '<unset>';
      const proto = sp.protocol ?? '';
      w.write(LEVEL_0, `Port:\t${name}\t${sp.port}/${proto}\n`);
      w.write(LEVEL_0, `TargetPort:\t${sp.targetPort ?? 0}/${proto}\n`);
      if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, sp.name ?? '')}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy !== undefined) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges!.join(',')}\n`);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

function describeBackend(ctx: DescribeContext, ns: string, backend: IngressBackend): string {
  if (backend.service) {
    const s = backend.service;
    const sb = `${s.name}:${s.port?.number ? s.port.number : (s.port?.name ?? '')}`;
    const svc = (ctx.related('', 'services', ns) as Service[]).find((x) => x.metadata?.name === s.name);
    if (!svc) return `${sb} (<error: services "${s.name}" not found>)`;
    let spName = '';
    for (const sp of svc.spec?.ports ?? []) {
      if (s.port?.number && s.port.number === sp.port) spName = sp.name ?? '';
      else if (s.port?.name && s.port.name === sp.name) spName = sp.name ?? '';
    }
    return `${sb} (${formatEndpointSlices(slicesFor(ctx, ns, s.name), spName)})`;
  }
  if (backend.resource) {
    const r = backend.resource;
    return `APIGroup: ${r.apiGroup ?? '<none>'}, Kind: ${r.kind}, Name: ${r.name}`;
  }
  return '';
}

export function describeIngress(ing: Ingress, ctx: DescribeContext): string {
  const ns = ing.metadata?.namespace ?? '';
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ing.metadata?.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ing.metadata?.labels);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    const addrs = new Set<string>();
    for (const i of ing.status?.loadBalancer?.ingress ?? []) {
      if (i.ip) addrs.add(i.ip);
      else if (i.hostname) addrs.add(i.hostname);
    }
    w.write(LEVEL_0, `Address:\t${[...addrs].sort().join(',')}\n`);
    w.write(LEVEL_0, `Ingress Class:\t${ing.spec?.ingressClassName ?? '<none>'}\n`);
    const def = ing.spec?.defaultBackend ? describeBackend(ctx, ns, ing.spec.defaultBackend) : '<default>';
    w.write(LEVEL_0, `Default backend:\t${def}\n`);
    if ((ing.spec?.tls ?? []).length > 0) {
      w.write(LEVEL_0, 'TLS:\n');
      for (const t of ing.spec!.tls!) {
        if (!t.secretName) w.write(LEVEL_1, `SNI routes ${(t.hosts ?? []).join(',')}\n`);
        else w.write(LEVEL_1, `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n`);
      }
    }
    w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    let count = 0;
    for (const rule of ing.spec?.rules ?? []) {
      if (!rule.http) continue;
      count++;
      w.write(LEVEL_1, `${rule.host || '*'}\t\n`);
      for (const p of rule.http.paths) w.write(LEVEL_2, `\t${p.path ?? ''} \t${describeBackend(ctx, ns, p.backend)}\n`);
    }
    if (count === 0) w.write(LEVEL_1, `*\t*\t${def}\n`);
    printAnnotationsMultiline(w, 'Annotations', ing.metadata?.annotations);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeEndpoints(ep: Endpoints, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ep.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${ep.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ep.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ep.metadata?.annotations);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const subset of ep.subsets ?? []) {
      const ips = (list: readonly { ip: string }[] | undefined): string => (list ?? []).map((a) => a.ip).join(',') || '<none>';
      w.write(LEVEL_1, `Addresses:\t${ips(subset.addresses)}\n`);
      w.write(LEVEL_1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
      if ((subset.ports ?? []).length > 0) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of subset.ports!) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeEndpointSlice(eps: EndpointSlice, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${eps.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${eps.metadata?.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', eps.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', eps.metadata?.annotations);
    w.write(LEVEL_0, `AddressType:\t${eps.addressType}\n`);
    const ports = eps.ports ?? [];
    if (ports.length === 0) {
      w.write(LEVEL_0, 'Ports: <unset>\n');
    } else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const p of ports) w.write(LEVEL_1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
    }
    const endpoints = eps.endpoints ?? [];
    if (endpoints.length === 0) {
      w.write(LEVEL_0, 'Endpoints: <none>\n');
    } else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const e of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        w.write(LEVEL_3, `Ready:\t${e.conditions?.ready ?? '<unset>'}\n`);
        w.write(LEVEL_2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
        if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
        w.write(LEVEL_2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
        w.write(LEVEL_2, `Zone:\t${e.zone ?? '<unset>'}\n`);
      }
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

export function describeIngressClass(ic: IngressClass, ctx: DescribeContext): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ic.metadata?.name ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', ic.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', ic.metadata?.annotations);
    w.write(LEVEL_0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
    const p = ic.spec?.parameters;
    if (p) {
      w.write(LEVEL_0, 'Parameters:\n');
      if (p.apiGroup !== undefined) w.write(LEVEL_1, `APIGroup:\t${p.apiGroup}\n`);
      w.write(LEVEL_1, `Kind:\t${p.kind}\n`);
      w.write(LEVEL_1, `Name:\t${p.name}\n`);
    }
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

/** A NetworkPolicyPort: `To Port: 80/TCP` or `To Port Range: 8000-8080/TCP` (TCP when unset). */
function policyPort(p: NetworkPolicyPort): string {
  const port = p.port === undefined ? '<nil>' : String(p.port);
  const proto = p.protocol ?? 'TCP';
  return p.endPort === undefined ? `To Port: ${port}/${proto}` : `To Port Range: ${port}-${p.endPort}/${proto}`;
}

/** printNetworkPolicySpecIngressFrom and printNetworkPolicySpecEgressTo: one block per rule, `----------` between. */
function describePolicyRules(w: PrefixWriter, rules: readonly { ports?: NetworkPolicyPort[]; peers?: NetworkPolicyPeer[] }[], direction: 'ingress' | 'egress'): void {
  const indent = '    ';
  const peerWord = direction === 'ingress' ? 'From' : 'To';
  if (rules.length === 0) {
    w.write(LEVEL_0, `${indent}<none> (Selected pods are isolated for ${direction} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    if ((rule.ports ?? []).length === 0) w.write(LEVEL_0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    else for (const p of rule.ports!) w.write(LEVEL_0, `${indent}${policyPort(p)}\n`);
    if ((rule.peers ?? []).length === 0) {
      w.write(LEVEL_0, `${indent}${peerWord}: <any> (traffic not restricted by ${direction === 'ingress' ? 'source' : 'destination'})\n`);
    } else {
      for (const peer of rule.peers!) {
        w.write(LEVEL_0, `${indent}${peerWord}:\n`);
        if (peer.podSelector && peer.namespaceSelector) {
          w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
          w.write(LEVEL_1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
        } else if (peer.podSelector) {
          w.write(LEVEL_1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
        } else if (peer.namespaceSelector) {
          w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
        } else if (peer.ipBlock) {
          w.write(LEVEL_1, `${indent}IPBlock:\n`);
          w.write(LEVEL_2, `${indent}CIDR: ${peer.ipBlock.cidr}\n`);
          w.write(LEVEL_2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
        }
      }
    }
    if (i !== rules.length - 1) w.write(LEVEL_0, `${indent}----------\n`);
  });
}

/** describeNetworkPolicy: no events; `Created on` is the creation time as Go's time.Time prints it. */
export function describeNetworkPolicy(np: NetworkPolicy): string {
  return tabbedString((w) => {
    const spec: NetworkPolicySpec = np.spec ?? { podSelector: {} };
    w.write(LEVEL_0, `Name:\t${np.metadata?.name ?? ''}\n`);
    w.write(LEVEL_0, `Namespace:\t${np.metadata?.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Created on:\t${goTimeString(np.metadata?.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', np.metadata?.labels);
    printAnnotationsMultiline(w, 'Annotations', np.metadata?.annotations);
    w.write(LEVEL_0, 'Spec:\n');
    w.write(LEVEL_1, 'PodSelector: ');
    const selector = spec.podSelector;
    if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
      w.write(LEVEL_2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
    } else {
      w.write(LEVEL_2, `${formatLabelSelector(selector)}\n`);
    }
    const types = spec.policyTypes ?? [];
    if (types.includes('Ingress')) {
      w.write(LEVEL_1, 'Allowing ingress traffic:\n');
      describePolicyRules(w, (spec.ingress ?? []).map((r) => ({ ports: r.ports, peers: r.from })), 'ingress');
    } else {
      w.write(LEVEL_1, 'Not affecting ingress traffic\n');
    }
    if (types.includes('Egress')) {
      w.write(LEVEL_1, 'Allowing egress traffic:\n');
      describePolicyRules(w, (spec.egress ?? []).map((r) => ({ ports: r.ports, peers: r.to })), 'egress');
    } else {
      w.write(LEVEL_1, 'Not affecting egress traffic\n');
    }
    w.write(LEVEL_1, `Policy Types: ${types.length > 0 ? types.join(', ') : '<none>'}\n`);
  });
}
