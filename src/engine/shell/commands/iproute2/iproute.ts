/**
 * `ip route` (ip/iproute.c): show (list; the default) of the main table. The namespace keeps no routing
 * table of its own yet, so this lists the routes the kernel itself adds for addresses (fib_add_ifaddr,
 * addrconf_prefix_route): a `proto kernel scope link` route to each IPv4 primary address's subnet and a
 * `proto kernel metric 256` route to each IPv6 address's prefix, on devices that are up and not
 * loopback (a loopback's go to the local table). Routes added by hand, other tables and `get` are left out.
 */
import { IFF } from '../../../kernel/ns/netDevice.ts';
import { IP_EXIT, fail, matches, type IpContext } from './ipContext.ts';
import { formatIpv4, formatIpv6, ipv4Network, ipv6Bits } from './inetAddress.ts';
import { addressesOf } from './print.ts';

/** `ip route ARGS…`. */
export function ipRoute(ip: IpContext, args: readonly string[]): number {
  const [cmd] = args;
  if (cmd !== undefined && !matches(cmd, 'list') && !matches(cmd, 'show') && cmd !== 'lst') {
    return fail(ip, `Command "${cmd}" is unknown, try "ip route help".`, IP_EXIT.fatal);
  }
  const family = ip.options.family === 'any' ? 'inet' : ip.options.family;
  const routes: Array<{ key: bigint; plen: number; line: string }> = [];
  for (const dev of ip.net.devices()) {
    if (!dev.up || (dev.flags & IFF.LOOPBACK) !== 0) continue;
    const linkdown = (dev.flags & IFF.LOWER_UP) === 0 ? 'linkdown ' : '';
    for (const a of addressesOf(dev, family)) {
      if (a.family === 'inet') {
        if (a.secondary || a.prefixlen === 32) continue;
        const net = ipv4Network(a.local, a.prefixlen);
        routes.push({ key: net, plen: a.prefixlen, line: `${formatIpv4(net)}/${a.prefixlen} dev ${dev.name} proto kernel scope link src ${a.local} ${linkdown}` });
      } else {
        if (a.prefixlen === 128) continue;
        const mask = ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - a.prefixlen)) - 1n);
        const net = (ipv6Bits(a.local) ?? 0n) & mask;
        if (routes.some((r) => r.key === net && r.plen === a.prefixlen && r.line.includes(` dev ${dev.name} `))) continue;
        routes.push({ key: net, plen: a.prefixlen, line: `${formatIpv6(net)}/${a.prefixlen} dev ${dev.name} proto kernel metric 256 ${linkdown}pref medium` });
      }
    }
  }
  routes.sort((x, y) => (x.key === y.key ? x.plen - y.plen : x.key < y.key ? -1 : 1));
  ip.ctx.stdout(routes.map((r) => `${r.line}\n`).join(''));
  return IP_EXIT.ok;
}
