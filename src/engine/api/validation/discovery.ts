/**
 * EndpointSlice — pkg/apis/discovery/validation (Kubernetes 1.32): address type (immutable), each
 * endpoint's addresses in that family (one for IP families), hostnames, node names, zones, and ports.
 *
 * Left out: the limits on endpoint and port counts, topology hints.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { field, type FieldError } from '../field/errors.ts';
import { Path } from '../field/path.ts';
import { isValidIPv4Address, isValidIPv6Address, isValidPortNum } from './formats.ts';
import { nameIsDNSSubdomain, validateDNS1123Label, validateDNS1123Subdomain, validateImmutableField, validateQualifiedName } from './generic.ts';

const addressTypes = ['FQDN', 'IPv4', 'IPv6'];
const protocols = ['SCTP', 'TCP', 'UDP'];

export function validateEndpointSlice(es: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const at = es.addressType ?? '';
  if (!addressTypes.includes(at)) errs.push(field.notSupported(Path.of('addressType'), at, addressTypes));
  (es.endpoints ?? []).forEach((ep, i) => {
    const p = Path.of('endpoints').index(i);
    const addrs = ep.addresses ?? [];
    const ap = p.child('addresses');
    if (addrs.length === 0) errs.push(field.required(ap, 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(field.tooMany(ap, addrs.length, 100));
    addrs.forEach((a, j) => {
      const aj = ap.index(j);
      if (at === 'IPv4') for (const m of isValidIPv4Address(a)) errs.push(field.invalid(aj, a, m));
      else if (at === 'IPv6') for (const m of isValidIPv6Address(a)) errs.push(field.invalid(aj, a, m));
      else if (at === 'FQDN') errs.push(...validateDNS1123Subdomain(a, aj));
    });
    if (ep.hostname) errs.push(...validateDNS1123Label(ep.hostname, p.child('hostname')));
    if (ep.nodeName) for (const m of nameIsDNSSubdomain(ep.nodeName, false)) errs.push(field.invalid(p.child('nodeName'), ep.nodeName, m));
  });
  const names = new Set<string>();
  (es.ports ?? []).forEach((port, i) => {
    const p = Path.of('ports').index(i);
    const name = port.name ?? '';
    if (name) errs.push(...validateDNS1123Label(name, p.child('name')));
    if (names.has(name)) errs.push(field.duplicate(p.child('name'), name));
    names.add(name);
    if (port.protocol == null) errs.push(field.required(p.child('protocol'), ''));
    else if (!protocols.includes(port.protocol)) errs.push(field.notSupported(p.child('protocol'), port.protocol, protocols));
    if (port.port != null) for (const m of isValidPortNum(port.port)) errs.push(field.invalid(p.child('port'), port.port, m));
    if (port.appProtocol != null) errs.push(...validateQualifiedName(port.appProtocol, p.child('appProtocol')));
  });
  return errs;
}

export function validateEndpointSliceUpdate(es: EndpointSlice, old: EndpointSlice): FieldError[] {
  const errs = validateEndpointSlice(es);
  errs.push(...validateImmutableField(es.addressType ?? '', old.addressType ?? '', Path.of('addressType')));
  return errs;
}
