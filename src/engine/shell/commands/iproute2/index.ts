/**
 * iproute2 — iproute2 6.1's ip(8) and ss(8) (ss.ts: the namespace's TCP sockets) as Ubuntu 24.04 ships
 * them, run as a process of an emulated host. ip talks to the kernel's view of its own network namespace (the process's nsproxy.net), as rtnetlink
 * would: `ip address` show/add/del, `ip link` show/set up|down, `ip route` show, and `ip netns`
 * list/add/delete/exec with namespaces kept alive by nsfs bind mounts on /run/netns. Options -4, -6,
 * -f, -br, -o and -V; output and messages byte for byte as iproute2 prints them, and exit codes 1
 * (usage, unknown device), 2 (the kernel refused: "RTNETLINK answers: …") and 255 (unknown command).
 *
 * On the laptop (no process, so no kernel) ip fails as it does where netlink sockets are missing:
 * "Cannot open netlink socket: Address family not supported by protocol", exit 1.
 *
 * Left out: the objects other than address, link, route and netns (they answer as unknown), the
 * options -s, -d, -j, -n, -batch and the rest (unknown too), `help` of each object, link types and their
 * attributes (veth peers `@ifN`, master, link-netns), address lifetimes (always forever) and flags other
 * than secondary, routes other than the kernel's connected ones (see iproute.ts), and nsids.
 */
import type { CommandSpec } from '../index.ts';
import { ip } from './ip.ts';
import { ss } from './ss.ts';

/** The tools by name, for the shell's command table. */
export function iproute2(): Map<string, CommandSpec> {
  return new Map<string, CommandSpec>([
    ['ip', { run: ip, summary: 'show and change network devices, addresses, routes and namespaces (addr, link, route, netns)' }],
    ['ss', { run: ss, summary: 'list the TCP sockets of the network namespace (-t -l -a -n -p -s)' }],
  ]);
}
