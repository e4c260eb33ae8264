/**
 * Printers of networking.k8s.io/v1 and discovery.k8s.io/v1 — printIngress, printIngressClass,
 * printNetworkPolicy and printEndpointSlice of pkg/printers/internalversion (Kubernetes 1.32).
 *
 * Contract, as upstream: Ingress HOSTS lists up to three rule hosts (`*` when none, ` + N more...`
 * counting rules past the third), PORTS is `80` or `80, 443` with TLS; IngressClass PARAMETERS is
 * `Kind[.apiGroup]/name`; EndpointSlice PORTS and ENDPOINTS list up to three entries (`<unset>` when
 * empty); NetworkPolicy POD-SELECTOR is metav1.FormatLabelSelector of spec.podSelector.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, IngressRule, NetworkPolicy } from 'kubernetes-types/networking/v1';
import { formatLabelSelector } from '../../api/labels/selector.ts';
import { listWithMore, loadBalancerIngress } from './cells.ts';
import { AGE, column, DOC, NAME } from './columns.ts';
import { since } from './duration.ts';
import { tableHandler, type Cell } from './tableHandler.ts';

function formatHosts(rules: readonly IngressRule[]): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && rule.host) list.push(rule.host);
  }
  if (list.length === 0) return '*';
  const joined = list.join(',');
  return more ? `${joined} + ${rules.length - max} more...` : joined;
}

function printIngress(ing: Ingress, now: number): Cell[] {
  return [
    ing.metadata?.name ?? '',
    ing.spec?.ingressClassName ?? '<none>',
    formatHosts(ing.spec?.rules ?? []),
    loadBalancerIngress(ing.status?.loadBalancer?.ingress),
    ing.spec?.tls && ing.spec.tls.length > 0 ? '80, 443' : '80',
    since(ing.metadata?.creationTimestamp, now),
  ];
}

function printIngressClass(ic: IngressClass, now: number): Cell[] {
  let parameters = '<none>';
  const p = ic.spec?.parameters;
  if (p) parameters = `${p.kind}${p.apiGroup !== undefined && p.apiGroup !== null ? `.${p.apiGroup}` : ''}/${p.name}`;
  return [ic.metadata?.name ?? '', ic.spec?.controller ?? '', parameters, since(ic.metadata?.creationTimestamp, now)];
}

function printEndpointSlice(slice: EndpointSlice, now: number): Cell[] {
  const max = 3;
  const ports: string[] = [];
  let morePorts = false;
  let portCount = 0;
  for (const port of slice.ports ?? []) {
    if (ports.length < max) {
      ports.push(port.port !== undefined && port.port !== null ? String(port.port) : port.name !== undefined && port.name !== null ? port.name : '*');
    } else if (ports.length === max) {
      morePorts = true;
    }
    portCount++;
  }
  const addresses: string[] = [];
  let moreAddresses = false;
  let addressCount = 0;
  for (const endpoint of slice.endpoints ?? []) {
    for (const address of endpoint.addresses ?? []) {
      if (addresses.length < max) addresses.push(address);
      else if (addresses.length === max) moreAddresses = true;
      addressCount++;
    }
  }
  return [
    slice.metadata?.name ?? '',
    slice.addressType ?? '',
    listWithMore(ports, morePorts, portCount, max),
    listWithMore(addresses, moreAddresses, addressCount, max),
    since(slice.metadata?.creationTimestamp, now),
  ];
}

export const networkingHandlers = {
  'Ingress.networking.k8s.io': tableHandler<Ingress>(
    [
      NAME,
      column('Class', 'string', 'The name of the IngressClass resource that should be used for additional configuration'),
      column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
      column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
      column('Ports', 'string', 'Ports of TLS configurations that open'),
      AGE,
    ],
    printIngress,
  ),
  'IngressClass.networking.k8s.io': tableHandler<IngressClass>(
    [NAME, column('Controller', 'string', 'Controller that is responsible for handling this class'), column('Parameters', 'string', 'A reference to a resource with additional parameters'), AGE],
    printIngressClass,
  ),
  'NetworkPolicy.networking.k8s.io': tableHandler<NetworkPolicy>([NAME, column('Pod-Selector', 'string', DOC.npPodSelector), AGE], (np, now) => [
    np.metadata?.name ?? '',
    formatLabelSelector(np.spec?.podSelector ?? {}),
    since(np.metadata?.creationTimestamp, now),
  ]),
  'EndpointSlice.discovery.k8s.io': tableHandler<EndpointSlice>(
    [NAME, column('AddressType', 'string', DOC.esAddressType), column('Ports', 'string', DOC.esPorts), column('Endpoints', 'string', DOC.esEndpoints), AGE],
    printEndpointSlice,
  ),
};
