/**
 * iptables — the netfilter tools of Debian bookworm's iptables 1.8.9 package, run as a process of an
 * emulated host against its kernel's rule sets (kernel/net/netfilter): iptables, iptables-save and
 * iptables-restore, ip6tables* (tables of their own, rules without addresses), the -nft and -legacy
 * names of each and the multi-call binaries xtables-nft-multi and xtables-legacy-multi, all installed in
 * /usr/sbin. kube-proxy's image runs them through its iptables-wrapper (iptables.ts), which settles on
 * nft mode. Output and messages as iptables 1.8.9 prints them; exit codes 1 (the rule set refused),
 * 2 (usage), 3 (no such table), 4 (not root).
 *
 * Left out: ipset, conntrack and the nft tool, iptables-apply/-xml/-translate, ebtables and arptables,
 * the xtables lock (-w never waits), --modprobe, IPv6 addresses in ip6tables rules.
 */
import type { CommandSpec } from '../index.ts';
import { xtables } from './iptables.ts';

/** Each name with what `help` says of it. */
const NAMES: ReadonlyArray<readonly [string, string]> = [
  ['iptables', 'show and change the IPv4 packet filter and NAT rules (-t nat -L -n -v, -S, -A, -D, -N, -X, -F, -P)'],
  ['iptables-save', 'print the IPv4 netfilter rules in iptables-restore format (-t TABLE, -c)'],
  ['iptables-restore', 'load IPv4 netfilter rules from a file or stdin (--noflush, --counters, -w)'],
  ['ip6tables', 'show and change the IPv6 packet filter rules'],
  ['ip6tables-save', 'print the IPv6 netfilter rules'],
  ['ip6tables-restore', 'load IPv6 netfilter rules'],
  ['iptables-nft', 'iptables on the nf_tables backend'],
  ['iptables-nft-save', 'iptables-save on the nf_tables backend'],
  ['iptables-nft-restore', 'iptables-restore on the nf_tables backend'],
  ['ip6tables-nft', 'ip6tables on the nf_tables backend'],
  ['ip6tables-nft-save', 'ip6tables-save on the nf_tables backend'],
  ['ip6tables-nft-restore', 'ip6tables-restore on the nf_tables backend'],
  ['iptables-legacy', 'iptables on the legacy x_tables backend'],
  ['iptables-legacy-save', 'iptables-save on the legacy x_tables backend'],
  ['iptables-legacy-restore', 'iptables-restore on the legacy x_tables backend'],
  ['ip6tables-legacy', 'ip6tables on the legacy x_tables backend'],
  ['ip6tables-legacy-save', 'ip6tables-save on the legacy x_tables backend'],
  ['ip6tables-legacy-restore', 'ip6tables-restore on the legacy x_tables backend'],
  ['xtables-nft-multi', 'the nf_tables iptables multi-call binary (xtables-nft-multi iptables …)'],
  ['xtables-legacy-multi', 'the legacy iptables multi-call binary (xtables-legacy-multi iptables …)'],
];

/** The tools by name, for the shell's command table. */
export function iptablesTools(): Map<string, CommandSpec> {
  return new Map(NAMES.map(([name, summary]) => [name, { run: xtables(name), summary, path: `/usr/sbin/${name}` }]));
}
