/**
 * Services — ValidateService and ValidateServiceUpdate of pkg/apis/core/validation (Kubernetes 1.32):
 * ports (required unless headless or ExternalName; names, numbers, protocols, target ports, duplicates),
 * type, session affinity, cluster IPs, external IPs, ExternalName, the ClusterIP/NodePort rules, and
 * on update the primary cluster IP may not change. The node port range check
 * (`provided port is not in the valid range`) comes from the apiserver's port allocator upstream; it is
 * checked here against the default range 30000-32767.
 *
 * Left out: dual-stack family/policy consistency, load balancer source ranges and class, traffic
 * distribution, topology annotations, health check node port rules.
 */
import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isValidIP, isValidPortNum } from './formats.ts';
import { validateDNS1123Label, validateDNS1123Subdomain, validateQualifiedName } from './generic.ts';
import { GoValue, goStringSlice } from './goSyntax.ts';
import { validateLabels } from './labels.ts';
import { validatePortNumOrName } from './pod.ts';

const specPath = Path.of('spec');
const supportedPortProtocols = ['SCTP', 'TCP', 'UDP'];
const serviceTypes = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const sessionAffinityTypes = ['ClientIP', 'None'];
export const nodePortRange = { base: 30000, size: 2768 } as const;

function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

function goServicePortKey(protocol: string, port: number): GoValue {
  return new GoValue(
    `core.ServicePort{Name:"", Protocol:${JSON.stringify(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(field.required(path.child('name'), ''));
  else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, path.child('name')));
    if (names.has(sp.name)) errs.push(field.duplicate(path.child('name'), sp.name));
    else names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port)) errs.push(field.invalid(path.child('port'), sp.port, m));
  if (!sp.protocol) errs.push(field.required(path.child('protocol'), ''));
  else if (!supportedPortProtocols.includes(sp.protocol)) errs.push(field.notSupported(path.child('protocol'), sp.protocol, supportedPortProtocols));
  errs.push(...validatePortNumOrName(sp.targetPort ?? 0, path.child('targetPort')));
  if (sp.appProtocol != null) errs.push(...validateQualifiedName(sp.appProtocol, path.child('appProtocol')));
  return errs;
}

/** ValidateService past ObjectMeta. */
export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec ?? {};
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  const type = spec.type ?? '';
  const headless = isHeadless(svc);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(field.required(specPath.child('ports'), ''));
  const clusterIPs = spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []);
  switch (type) {
    case 'LoadBalancer':
      if (headless) errs.push(field.invalid(specPath.child('clusterIPs').index(0), clusterIPs[0] ?? 'None', "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (headless) errs.push(field.invalid(specPath.child('clusterIPs').index(0), clusterIPs[0] ?? 'None', "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (clusterIPs.length > 0) errs.push(field.forbidden(specPath.child('clusterIPs'), 'may not be set for ExternalName services'));
      if ((spec.ipFamilies ?? []).length > 0) errs.push(field.forbidden(specPath.child('ipFamilies'), 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy != null) errs.push(field.forbidden(specPath.child('ipFamilyPolicy'), 'may not be set for ExternalName services'));
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...validateDNS1123Subdomain(cname, specPath.child('externalName')));
      else errs.push(field.required(specPath.child('externalName'), ''));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, specPath.child('ports').index(i))));
  if (spec.selector) errs.push(...validateLabels(spec.selector, specPath.child('selector')));
  const affinity = spec.sessionAffinity ?? '';
  if (!affinity) errs.push(field.required(specPath.child('sessionAffinity'), ''));
  else if (!sessionAffinityTypes.includes(affinity)) errs.push(field.notSupported(specPath.child('sessionAffinity'), affinity, sessionAffinityTypes));
  if (affinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    const tp = specPath.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
    if (timeout == null) errs.push(field.required(tp, "when session affinity type is ClientIP"));
    else if (timeout <= 0 || timeout > 86400) errs.push(field.invalid(tp, timeout, 'must be greater than 0 and less than 86400'));
  } else if (affinity === 'None' && spec.sessionAffinityConfig) {
    errs.push(field.forbidden(specPath.child('sessionAffinityConfig'), 'must not be set when session affinity is None'));
  }
  if (type !== 'ExternalName') {
    if (spec.clusterIP && spec.clusterIPs && spec.clusterIPs.length > 0 && spec.clusterIPs[0] !== spec.clusterIP) {
      errs.push(field.invalid(specPath.child('clusterIPs'), goStringSlice(spec.clusterIPs), 'first value must match `clusterIP`'));
    }
    clusterIPs.forEach((ip, i) => {
      const p = specPath.child('clusterIPs').index(i);
      if (ip === 'None') {
        if (i > 0 || clusterIPs.length > 1) errs.push(field.invalid(p, ip, "'None' must be the first and only value"));
        return;
      }
      if (ip === '') return;
      for (const m of isValidIP(ip)) errs.push(field.invalid(p, ip, m));
    });
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    const p = specPath.child('externalIPs').index(i);
    const msgs = isValidIP(ip);
    for (const m of msgs) errs.push(field.invalid(p, ip, m));
  });
  if (!type) errs.push(field.required(specPath.child('type'), ''));
  else if (!serviceTypes.includes(type)) errs.push(field.notSupported(specPath.child('type'), type, serviceTypes));
  if (type === 'ClusterIP') {
    ports.forEach((p, i) => {
      if (p.nodePort) errs.push(field.forbidden(specPath.child('ports').index(i).child('nodePort'), "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((p, i) => {
    if (!p.nodePort) return;
    const key = `${p.protocol}/${p.nodePort}`;
    if (nodePorts.has(key)) errs.push(field.duplicate(specPath.child('ports').index(i).child('nodePort'), p.nodePort));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${p.protocol}/${p.port}`;
    if (seen.has(key)) errs.push(field.duplicate(specPath.child('ports').index(i), goServicePortKey(p.protocol ?? '', p.port)));
    seen.add(key);
  });
  if (type === 'NodePort' || type === 'LoadBalancer') {
    ports.forEach((p, i) => {
      if (p.nodePort && (p.nodePort < nodePortRange.base || p.nodePort >= nodePortRange.base + nodePortRange.size)) {
        errs.push(
          field.invalid(
            specPath.child('ports').index(i).child('nodePort'),
            p.nodePort,
            `provided port is not in the valid range. The range of valid ports is ${nodePortRange.base}-${nodePortRange.base + nodePortRange.size - 1}`,
          ),
        );
      }
    });
  }
  if (spec.externalTrafficPolicy && type !== 'NodePort' && type !== 'LoadBalancer') {
    errs.push(field.invalid(specPath.child('externalTrafficPolicy'), spec.externalTrafficPolicy, 'may only be set when `type` is \'NodePort\' or \'LoadBalancer\''));
  } else if (spec.externalTrafficPolicy && spec.externalTrafficPolicy !== 'Cluster' && spec.externalTrafficPolicy !== 'Local') {
    errs.push(field.notSupported(specPath.child('externalTrafficPolicy'), spec.externalTrafficPolicy, ['Cluster', 'Local']));
  }
  if (spec.internalTrafficPolicy != null && spec.internalTrafficPolicy !== 'Cluster' && spec.internalTrafficPolicy !== 'Local') {
    errs.push(field.notSupported(specPath.child('internalTrafficPolicy'), spec.internalTrafficPolicy, ['Cluster', 'Local']));
  }
  return errs;
}

/** ValidateServiceUpdate past ObjectMeta: the primary cluster IP may not change (except to or from ExternalName). */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const errs: FieldError[] = [];
  const oldType = old.spec?.type;
  const newType = svc.spec?.type;
  const oldIPs = old.spec?.clusterIPs ?? (old.spec?.clusterIP ? [old.spec.clusterIP] : []);
  const newIPs = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  if (oldType !== 'ExternalName' && newType !== 'ExternalName' && oldIPs.length > 0) {
    const p = specPath.child('clusterIPs').index(0);
    if (newIPs.length === 0 || !newIPs[0]) errs.push(field.required(p, 'primary clusterIP can not be unset'));
    else if (newIPs[0] !== oldIPs[0]) errs.push(field.invalid(p, goStringSlice(newIPs), 'may not change once set'));
  }
  errs.push(...validateService(svc));
  return errs;
}
