/**
 * `iptables -L` and `iptables -S` output, as iptables 1.8.9 prints them (xshared.c print_header,
 * print_rule_details, print_ifaces, print_ipv4_addresses and the extensions' print functions):
 * "Chain INPUT (policy ACCEPT)" or "Chain KUBE-SERVICES (2 references)", the column header, then one
 * line per rule — target padded to 9, protocol, "--", with -v the counters (in K/M/G units unless -x)
 * and the interfaces, source and destination padded to 19 ("anywhere" unless -n, no "/32"), "[goto] ",
 * then each match and the target's own text. Chains are separated by a blank line.
 *
 * Left out: reverse DNS of addresses without -n (they print as numbers).
 */
import { formatAddress, maskLength, PROTOCOLS, ruleSpec, targetName, type AddressSpec, type Rule, type ServiceNames } from './rule.ts';
import type { Chain, Table } from './table.ts';

/** How to list. */
export interface ListFormat {
  /** 6 for ip6tables, whose "any" address is ::/0. */
  readonly family?: 4 | 6;
  readonly numeric: boolean;
  readonly verbose: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
  /** getservbyport for port names without -n (default: none). */
  readonly services?: ServiceNames;
}

/** xtables_print_num: in table layout, "%5llu " or with K/M/G/T units; -x gives "%8llu ". */
function printNum(n: number, exact: boolean, table: boolean): string {
  if (exact) return table ? `${String(n).padStart(8)} ` : `${n} `;
  if (n <= 99999) return table ? `${String(n).padStart(5)} ` : `${n} `;
  let v = n;
  for (const unit of ['K', 'M', 'G']) {
    v = Math.floor((v + 500) / 1000);
    if (v <= 9999) return table ? `${String(v).padStart(4)}${unit} ` : `${v}${unit} `;
  }
  v = Math.floor((v + 500) / 1000);
  return table ? `${String(v).padStart(4)}T ` : `${v}T `;
}

function header(table: Table, chain: Chain, f: ListFormat): string {
  let out = `Chain ${chain.name}`;
  if (chain.builtin) {
    out += ` (policy ${chain.policy}`;
    if (f.verbose) out += ` ${printNum(chain.packets, f.exact, false)}packets, ${printNum(chain.bytes, f.exact, false)}bytes`;
    out += ')\n';
  } else out += ` (${table.references(chain.name)} references)\n`;
  if (f.lineNumbers) out += 'num  ';
  if (f.verbose) out += f.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : `${'pkts'.padStart(5)} ${'bytes'.padStart(5)} `;
  out += `${'target'.padEnd(9)} `;
  out += ' prot opt';
  if (f.verbose) out += ` ${'in'.padEnd(6)} ${'out'.padEnd(6)} `;
  out += ` ${'source'.padEnd(19)} `;
  out += ` ${'destination'.padEnd(19)} `;
  return `${out}\n`;
}

/** ipv4_addr_to_string: "anywhere" for 0/0 without -n, else the address and its mask ("" for /32). */
function addressText(spec: AddressSpec | undefined, numeric: boolean, family: 4 | 6): string {
  const mask = spec?.mask ?? 0;
  if (mask === 0 && !numeric) return 'anywhere';
  if (family === 6) return '::/0';
  const length = maskLength(mask);
  const suffix = length === 32 ? '' : length >= 0 ? `/${length}` : `/${formatAddress(mask)}`;
  return formatAddress(spec?.address ?? 0) + suffix;
}

/** One rule's line (print_firewall). */
export function ruleLine(rule: Rule, num: number, f: ListFormat): string {
  const services = f.services ?? (() => undefined);
  const { ip } = rule;
  let out = f.lineNumbers ? `${String(num).padEnd(4)} ` : '';
  if (f.verbose) out += printNum(rule.packets, f.exact, true) + printNum(rule.bytes, f.exact, true);
  out += `${targetName(rule).padEnd(9)} `;
  out += ip.protocolInvert ? '!' : ' ';
  out += (PROTOCOLS.get(ip.protocol) ?? String(ip.protocol)).padEnd(5);
  out += '-- ';
  if (f.verbose) {
    const any = f.numeric ? '*' : 'any';
    const iface = (spec: typeof ip.inInterface) => (spec?.invert ? '!' : '') + (spec && spec.name !== '' ? spec.name : any);
    out += ` ${iface(ip.inInterface).padEnd(6)} ${iface(ip.outInterface).padEnd(6)} `;
  }
  out += (ip.source?.invert ? '!' : ' ') + `${addressText(ip.source, f.numeric, f.family ?? 4).padEnd(19)} `;
  out += (ip.destination?.invert ? '!' : ' ') + `${addressText(ip.destination, f.numeric, f.family ?? 4).padEnd(19)} `;
  if (rule.target?.kind === 'chain' && rule.target.goto) out += '[goto] ';
  for (const match of rule.matches) out += match.print(f.numeric, services);
  if (rule.target?.kind === 'extension') out += rule.target.target.print(f.numeric);
  return `${out}\n`;
}

/**
 * The line `iptables -v -A …` prints for the rule it adds (FMT_PRINT_RULE: no table layout, numeric):
 * "ACCEPT  all opt -- in eth2 out eth3  10.0.0.1  -> 10.0.0.2  ".
 */
export function ruleEcho(rule: Rule, family: 4 | 6 = 4): string {
  const { ip } = rule;
  const iface = (spec: typeof ip.inInterface) => (spec?.invert ? '!' : '') + (spec && spec.name !== '' ? spec.name : '*');
  let out = `${targetName(rule)} ${ip.protocolInvert ? '!' : ' '}${PROTOCOLS.get(ip.protocol) ?? ip.protocol} opt -- `;
  out += `in ${iface(ip.inInterface)} out ${iface(ip.outInterface)} `;
  out += `${ip.source?.invert ? '!' : ' '}${addressText(ip.source, true, family)} `;
  out += `${ip.destination?.invert ? '!' : ' '}-> ${addressText(ip.destination, true, family)}`;
  out += '  ';
  if (rule.target?.kind === 'chain' && rule.target.goto) out += '[goto] ';
  for (const match of rule.matches) out += match.print(true, () => undefined);
  if (rule.target?.kind === 'extension') out += rule.target.target.print(true);
  return `${out}\n`;
}

/** `-L [CHAIN]` over `chains` of `table`; with `ruleNumber`, that rule's line alone. */
export function listChains(table: Table, chains: readonly Chain[], f: ListFormat, ruleNumber?: number): string {
  if (ruleNumber !== undefined) {
    const chain = chains[0]!;
    const rule = chain.rules[ruleNumber - 1];
    return rule ? ruleLine(rule, ruleNumber, f) : '';
  }
  return chains.map((chain) => header(table, chain, f) + chain.rules.map((rule, i) => ruleLine(rule, i + 1, f)).join('')).join('\n');
}

/** `-S [CHAIN]`: the chains' definitions (-P, -N), then their rules as -A lines; -v adds counters. */
export function listRules(chains: readonly Chain[], verbose: boolean, ruleNumber?: number): string {
  if (ruleNumber !== undefined) {
    const chain = chains[0]!;
    const rule = chain.rules[ruleNumber - 1];
    return rule ? `-A ${chain.name}${ruleSpec(rule, verbose)}\n` : '';
  }
  let out = '';
  for (const chain of chains) {
    out += chain.builtin ? `-P ${chain.name} ${chain.policy}${verbose ? ` -c ${chain.packets} ${chain.bytes}` : ''}\n` : `-N ${chain.name}\n`;
  }
  for (const chain of chains) for (const rule of chain.rules) out += `-A ${chain.name}${ruleSpec(rule, verbose)}\n`;
  return out;
}
