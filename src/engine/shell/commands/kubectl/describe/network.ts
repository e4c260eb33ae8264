/**
 * Service and Ingress as kubectl 1.32 describes them (pkg/describe): a Service's type, IP family
 * policy, IPs, ports with their endpoints (formatEndpoints: `ip:port,…` and `+ N more...` past three),
 * session affinity and traffic policies; an Ingress's address, class, default backend, TLS and rules,
 * each service backend followed by its endpoints.
 *
 * Endpoints come from the Service's Endpoints object, as 1.32 reads them; where the lab has none, the
 * ready endpoints of its EndpointSlices (`kubernetes.io/service-name`) stand in, in the same format.
 */
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressBackend } from 'kubernetes-types/networking/v1';
import { formatLabels } from '../../../../api/labels/selector.ts';
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './prefixWriter.ts';
import { printAnnotationsMultiline, printLabelsMultiline } from './metadata.ts';
import { describeEvents } from './events.ts';
import type { DescribeContext } from './context.ts';

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Subsets of the named Endpoints, or ones built from the service's ready EndpointSlice endpoints; undefined when neither exists. */
function endpointsFor(ctx: DescribeContext, namespace: string, name: string): Endpoints | undefined {
  const ep = (ctx.related('', 'endpoints', namespace) as Endpoints[]).find((e) => e.metadata?.name === name);
  if (ep) return ep;
  const slices = ctx.related('discovery.k8s.io', 'endpointslices', namespace, `kubernetes.io/service-name=${name}`) as unknown as EndpointSlice[];
  if (slices.length === 0) return undefined;
  return {
    subsets: slices.map((s) => ({
      addresses: s.endpoints.filter((e) => e.conditions?.ready !== false).map((e) => ({ ip: e.addresses[0] ?? '' })),
      ports: (s.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol })),
    })),
  };
}

/** formatEndpoints: ports names the service ports to show. */
function formatEndpoints(ep: Endpoints | undefined, port: string): string {
  const subsets = ep?.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = ss.addresses ?? [];
    if (!ss.ports || ss.ports.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const p of ss.ports) {
      if ((p.name ?? '') !== port) continue;
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, p.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

export function describeService(svc: Service, ctx: DescribeContext): string {
  const ns = svc.metadata?.namespace ?? '';
  const endpoints = endpointsFor(ctx, ns, svc.metadata?.name ?? '');
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
      if (sp.appProtocol !== undefined) w.write(LEVEL_0, `AppProtocol:\t${sp.appProtocol}\n`);
      if (sp.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${sp.nodePort}/${proto}\n`);
      w.write(LEVEL_0, `Endpoints:\t${formatEndpoints(endpoints, sp.name ?? '')}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy !== undefined) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges!.join(',')}\n`);
    if (spec.trafficDistribution !== undefined) w.write(LEVEL_0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
    if (ctx.showEvents) describeEvents(ctx.events, w, ctx.now);
  });
}

function describeBackend(ctx: DescribeContext, ns: string, backend: IngressBackend): string {
  if (backend.service) {
    const s = backend.service;
    const sb = `${s.name}:${s.port?.number ? s.port.number : (s.port?.name ?? '')}`;
    const endpoints = endpointsFor(ctx, ns, s.name);
    if (!endpoints) return `${sb} (<error: endpoints "${s.name}" not found>)`;
    const svc = (ctx.related('', 'services', ns) as Service[]).find((x) => x.metadata?.name === s.name);
    if (!svc) return `${sb} (<error: services "${s.name}" not found>)`;
    let spName = '';
    for (const sp of svc.spec?.ports ?? []) {
      if (s.port?.number && s.port.number === sp.port) spName = sp.name ?? '';
      else if (s.port?.name && s.port.name === sp.name) spName = sp.name ?? '';
    }
    return `${sb} (${formatEndpoints(endpoints, spName)})`;
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
