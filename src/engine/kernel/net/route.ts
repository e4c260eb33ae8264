/**
 * Route lookup for a connection from one network namespace of a host (ip_route_output_key and the
 * source address choice of inet_select_addr), in the flat shape a single node's pod network has
 * before veth pairs, bridges and route tables exist: an address is reached when some namespace of the
 * host holds it on an interface that is up.
 *
 * - 127.0.0.0/8, and the caller's own addresses, stay in the caller's namespace (through `lo`, which
 *   must be up: a fresh namespace's is down, and the route lookup fails with ENETUNREACH).
 * - A namespace with no interface up but `lo` has no route out (ENETUNREACH), unless it is the host's
 *   initial namespace, which reaches its pods through the routes the CNI plugin installs.
 * - Another namespace's address is reached directly. The source address is the caller's address in
 *   that subnet (pod to pod on the node's bridge), else the subnet's first address — the gateway the
 *   CNI bridge holds on the host (10.244.1.1 for a pod on 10.244.1.0/24), which is where a connection
 *   from the node to its pods comes from.
 * - Any other address is unreachable: nothing answers the SYN and the connect times out.
 *
 * Growth: the networking piece replaces this with real route tables, veth peers and a bridge; the
 * result's shape (destination namespace, source address) is what the socket layer needs from it.
 */
import type { NetNamespace } from '../ns/netNamespace.ts';

export type Route =
  | { readonly kind: 'local' | 'remote'; readonly netns: NetNamespace; readonly source: string }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'network-unreachable' };

/** a.b.c.d as a 32-bit number; NaN when it is not a dotted quad. */
export function ipv4ToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return Number.NaN;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

function network(ip: number, prefix: number): number {
  const size = 2 ** (32 - prefix);
  return Math.floor(ip / size) * size;
}

/** The up interfaces' IPv4 addresses of a namespace. */
function inetAddresses(ns: NetNamespace): Array<{ local: string; prefixlen: number; loopback: boolean }> {
  return ns
    .devices()
    .filter((d) => d.up)
    .flatMap((d) => d.addresses.filter((a) => a.family === 'inet').map((a) => ({ local: a.local, prefixlen: a.prefixlen, loopback: d.linkType === 'loopback' })));
}

/**
 * Where a connection from `from` to `ip` goes. `namespaces` are the host's live network namespaces;
 * `initial` is the host's own.
 */
export function routeOutput(namespaces: readonly NetNamespace[], initial: NetNamespace, from: NetNamespace, ip: string): Route {
  const dst = ipv4ToInt(ip);
  if (Number.isNaN(dst)) return { kind: 'unreachable' };
  const own = inetAddresses(from);
  if (dst >>> 24 === 127) {
    return own.some((a) => a.loopback) ? { kind: 'local', netns: from, source: ip } : { kind: 'network-unreachable' };
  }
  if (own.some((a) => a.local === ip)) return { kind: 'local', netns: from, source: ip };
  if (from !== initial && !own.some((a) => !a.loopback)) return { kind: 'network-unreachable' };
  for (const ns of namespaces) {
    if (ns === from) continue;
    const held = inetAddresses(ns).find((a) => !a.loopback && a.local === ip);
    if (!held) continue;
    const subnet = network(dst, held.prefixlen);
    const same = own.find((a) => !a.loopback && network(ipv4ToInt(a.local), held.prefixlen) === subnet);
    return { kind: 'remote', netns: ns, source: same ? same.local : intToIpv4(subnet + 1) };
  }
  return { kind: 'unreachable' };
}
