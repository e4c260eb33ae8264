/**
 * Networking — pkg/apis/networking/validation (Kubernetes 1.32) for Ingress, IngressClass and
 * NetworkPolicy: rules, hosts, paths and path types, backends, TLS hosts, class names; the
 * controller of an IngressClass; policy ports, peers, IP blocks and policy types.
 *
 * Left out: the Ingress TLS wildcard-host tolerance for old objects, IngressClass parameters scope rules.
 */
import type { HTTPIngressPath, Ingress, IngressBackend, IngressClass, IngressSpec, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from 'kubernetes-types/networking/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isDNS1123Subdomain, isDomainPrefixedPath, isValidCIDR, isValidPortName, isValidPortNum, isWildcardDNS1123Subdomain, parseIP } from './formats.ts';
import { nameIsDNS1035Label, nameIsDNSSubdomain, tooLong, validateImmutableField } from './generic.ts';
import { GoValue } from './goSyntax.ts';
import { validateLabelSelector } from './labels.ts';

const specPath = Path.of('spec');
const pathTypes = ['Exact', 'ImplementationSpecific', 'Prefix'];
const invalidPathSequences = ['//', '/./', '/../', '%2f', '%2F'];
const invalidPathSuffixes = ['/..', '/.'];

function validateIngressBackend(b: IngressBackend, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (b.resource && b.service) return [field.invalid(path, '', 'cannot set both resource and service backends')];
  if (b.resource) {
    const rp = path.child('resource');
    if (!b.resource.name) errs.push(field.required(rp.child('name'), ''));
    if (!b.resource.kind) errs.push(field.required(rp.child('kind'), ''));
    if (b.resource.apiGroup == null) errs.push(field.required(rp.child('apiGroup'), ''));
  } else if (b.service) {
    const s = b.service;
    if (!s.name) errs.push(field.required(path.child('service', 'name'), ''));
    else for (const m of nameIsDNS1035Label(s.name, false)) errs.push(field.invalid(path.child('service', 'name'), s.name, m));
    const hasName = !!s.port?.name;
    const hasNumber = !!s.port?.number;
    if (hasName && hasNumber) errs.push(field.invalid(path, '', 'cannot set both port name & port number'));
    else if (hasName) for (const m of isValidPortName(s.port!.name!)) errs.push(field.invalid(path.child('service', 'port', 'name'), s.port!.name, m));
    else if (hasNumber) for (const m of isValidPortNum(s.port!.number!)) errs.push(field.invalid(path.child('service', 'port', 'number'), s.port!.number, m));
    else errs.push(field.required(path, 'port name or number is required'));
  } else {
    errs.push(field.invalid(path, '', 'resource or service backend is required'));
  }
  return errs;
}

function validateHTTPIngressPath(p: HTTPIngressPath, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (!p.pathType) return [field.required(path.child('pathType'), 'pathType must be specified')];
  const value = p.path ?? '';
  switch (p.pathType) {
    case 'Exact':
    case 'Prefix':
      if (!value.startsWith('/')) errs.push(field.invalid(path.child('path'), value, 'must be an absolute path'));
      if (value) {
        for (const seq of invalidPathSequences) if (value.includes(seq)) errs.push(field.invalid(path.child('path'), value, `must not contain '${seq}'`));
        for (const suf of invalidPathSuffixes) if (value.endsWith(suf)) errs.push(field.invalid(path.child('path'), value, `cannot end with '${suf}'`));
      }
      break;
    case 'ImplementationSpecific':
      if (value && !value.startsWith('/')) errs.push(field.invalid(path.child('path'), value, 'must be an absolute path'));
      break;
    default:
      errs.push(field.notSupported(path.child('pathType'), p.pathType, pathTypes));
  }
  errs.push(...validateIngressBackend(p.backend, path.child('backend')));
  return errs;
}

function validateIngressSpec(spec: IngressSpec | undefined): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  const rules = s.rules ?? [];
  if (rules.length === 0 && !s.defaultBackend) {
    errs.push(field.invalid(specPath, new GoValue(s.rules ? '[]networking.IngressRule{}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (s.defaultBackend) errs.push(...validateIngressBackend(s.defaultBackend, specPath.child('defaultBackend')));
  rules.forEach((rule, i) => {
    const rp = specPath.child('rules').index(i);
    if (rule.host) {
      if (parseIP(rule.host)) errs.push(field.invalid(rp.child('host'), rule.host, 'must be a DNS name, not an IP address'));
      const msgs = rule.host.includes('*') ? isWildcardDNS1123Subdomain(rule.host) : isDNS1123Subdomain(rule.host);
      for (const m of msgs) errs.push(field.invalid(rp.child('host'), rule.host, m));
    }
    if (rule.http) {
      const hp = rp.child('http');
      if ((rule.http.paths ?? []).length === 0) errs.push(field.required(hp.child('paths'), ''));
      (rule.http.paths ?? []).forEach((p, j) => errs.push(...validateHTTPIngressPath(p, hp.child('paths').index(j))));
    }
  });
  (s.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((host, j) => {
      const msgs = host.includes('*') ? isWildcardDNS1123Subdomain(host) : isDNS1123Subdomain(host);
      for (const m of msgs) errs.push(field.invalid(specPath.child('tls').index(i).child('hosts').index(j), host, m));
    });
  });
  if (s.ingressClassName != null) {
    for (const m of nameIsDNSSubdomain(s.ingressClassName, false)) errs.push(field.invalid(specPath.child('ingressClassName'), s.ingressClassName, m));
  }
  return errs;
}

export function validateIngress(ing: Ingress): FieldError[] {
  return validateIngressSpec(ing.spec);
}

const maxLenIngressClassController = 250;

export function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs: FieldError[] = [];
  const controller = ic.spec?.controller ?? '';
  const cp = specPath.child('controller');
  if (controller.length > maxLenIngressClassController) errs.push(tooLong(cp, maxLenIngressClassController));
  errs.push(...isDomainPrefixedPath(cp, controller));
  const params = ic.spec?.parameters;
  if (params) {
    const pp = specPath.child('parameters');
    if (!params.kind) errs.push(field.required(pp.child('kind'), 'kind is required'));
    if (!params.name) errs.push(field.required(pp.child('name'), 'name is required'));
    const scope = params.scope ?? '';
    if (scope !== 'Cluster' && scope !== 'Namespace') errs.push(field.notSupported(pp.child('scope'), scope, ['Cluster', 'Namespace']));
    if (scope === 'Namespace' && !params.namespace) errs.push(field.required(pp.child('namespace'), '`parameters.scope` is set to "Namespace"'));
    if (scope === 'Cluster' && params.namespace) errs.push(field.forbidden(pp.child('namespace'), '`parameters.scope` is set to "Cluster"'));
  }
  return errs;
}

export function validateIngressClassUpdate(ic: IngressClass, old: IngressClass): FieldError[] {
  const errs = validateIngressClass(ic);
  errs.push(...validateImmutableField(ic.spec?.controller ?? '', old.spec?.controller ?? '', specPath.child('controller')));
  return errs;
}

// ---- NetworkPolicy ----

function validateNetworkPolicyPort(port: NetworkPolicyPort, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  if (port.protocol != null && port.protocol !== 'TCP' && port.protocol !== 'UDP' && port.protocol !== 'SCTP') {
    errs.push(field.notSupported(path.child('protocol'), port.protocol, ['TCP', 'UDP', 'SCTP']));
  }
  if (port.port != null) {
    if (typeof port.port === 'number') {
      for (const m of isValidPortNum(port.port)) errs.push(field.invalid(path.child('port'), port.port, m));
      if (port.endPort != null) {
        if (port.endPort < port.port) errs.push(field.invalid(path.child('endPort'), port.port, 'must be greater than or equal to `port`'));
        for (const m of isValidPortNum(port.endPort)) errs.push(field.invalid(path.child('endPort'), port.endPort, m));
      }
    } else {
      if (port.endPort != null) errs.push(field.invalid(path.child('endPort'), port.endPort, 'may not be specified when `port` is non-numeric'));
      for (const m of isValidPortName(port.port)) errs.push(field.invalid(path.child('port'), port.port, m));
    }
  } else if (port.endPort != null) {
    errs.push(field.invalid(path.child('endPort'), port.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

/** Whether CIDR `inner` lies strictly inside `outer` (both valid). */
function strictSubset(outer: string, inner: string): boolean {
  const [oip, obits] = outer.split('/');
  const [iip, ibits] = inner.split('/');
  const o = parseIP(oip ?? '');
  const i = parseIP(iip ?? '');
  if (!o || !i || o.length !== i.length) return false;
  const ob = Number(obits);
  if (ob >= Number(ibits)) return false;
  for (let bit = 0; bit < ob; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((o[byte]! & mask) !== (i[byte]! & mask)) return false;
  }
  return true;
}

function validateNetworkPolicyPeer(peer: NetworkPolicyPeer, path: Path): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, path.child('podSelector')));
  }
  if (peer.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, path.child('namespaceSelector')));
  }
  if (peer.ipBlock) {
    n++;
    const bp = path.child('ipBlock');
    const cidr = peer.ipBlock.cidr;
    if (!cidr) errs.push(field.required(bp.child('cidr'), ''));
    else {
      const bad = isValidCIDR(cidr);
      for (const m of bad) errs.push(field.invalid(bp.child('cidr'), cidr, m));
      if (bad.length === 0) {
        (peer.ipBlock.except ?? []).forEach((ex, i) => {
          const ep = bp.child('except').index(i);
          const exBad = isValidCIDR(ex);
          for (const m of exBad) errs.push(field.invalid(ep, ex, m));
          if (exBad.length === 0 && !strictSubset(cidr, ex)) errs.push(field.invalid(ep, ex, 'must be a strict subset of `cidr`'));
        });
      }
    }
  }
  if (n === 0) errs.push(field.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(field.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const spec: Partial<NetworkPolicySpec> = np.spec ?? {};
  const errs = validateLabelSelector(spec.podSelector, specPath.child('podSelector'));
  (spec.ingress ?? []).forEach((rule, i) => {
    const rp = specPath.child('ingress').index(i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validateNetworkPolicyPort(p, rp.child('ports').index(j))));
    (rule.from ?? []).forEach((p, j) => errs.push(...validateNetworkPolicyPeer(p, rp.child('from').index(j))));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const rp = specPath.child('egress').index(i);
    (rule.ports ?? []).forEach((p, j) => errs.push(...validateNetworkPolicyPort(p, rp.child('ports').index(j))));
    (rule.to ?? []).forEach((p, j) => errs.push(...validateNetworkPolicyPeer(p, rp.child('to').index(j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > 2) {
    errs.push(field.invalid(specPath.child('policyTypes'), new GoValue(`&[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`), 'may not specify more than two policyTypes'));
    return errs;
  }
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(field.notSupported(specPath.child('policyTypes').index(i), t, ['Ingress', 'Egress']));
  });
  return errs;
}
