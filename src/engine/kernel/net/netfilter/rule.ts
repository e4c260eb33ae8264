/**
 * A rule of an iptables chain (struct ipt_entry): the IP header part (-s, -d, -i, -o, -p, each
 * invertible with "!"), the extension matches in the order given, a target, and packet/byte counters.
 * The packet a rule is tested against, the extension contracts, and the canonical text iptables-save
 * prints for a rule (`ruleSpec`: -s/-d with their prefix length, -i, -o, -p, each match as
 * `-m NAME OPTIONS`, then `-j TARGET OPTIONS` or `-g CHAIN`) live here.
 *
 * Left out: -f (fragments), IPv6 addresses, interface masks other than a trailing "+".
 */
import { intToIpv4, ipv4ToInt } from '../route.ts';

/** The first packet of a connection, as netfilter's hooks see it. */
export interface Packet {
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly source: string;
  readonly sport: number;
  readonly destination: string;
  readonly dport: number;
  /** skb->mark when it reaches the hook (default 0). */
  readonly mark?: number;
  readonly inInterface?: string;
  readonly outInterface?: string;
  /** Whether an address is one of the namespace's own (RTN_LOCAL), for -m addrtype. */
  isLocal(address: string): boolean;
  /** The conntrack state; a first packet is NEW (the default). */
  readonly state?: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';
  /** The packet's length in bytes, counted by the rules it matches (default 60, a SYN). */
  readonly length?: number;
  /** When it passes, virtual ms (for -m recent; default 0). */
  readonly time?: number;
}

/** xt_recent's lists of one network namespace: by list name, each address's hit times (ms), oldest first. */
export type RecentTables = Map<string, Map<string, number[]>>;

/** What a packet carries through one table's traversal. */
export interface PacketState {
  readonly packet: Packet;
  /** skb->mark, changed by MARK. */
  mark: number;
  /** A uniformly distributed number in [0, 1), for -m statistic. */
  readonly random: () => number;
  /** The namespace's -m recent lists (they outlive rule changes, as /proc/net/xt_recent's do). */
  readonly recent: RecentTables;
}

/** Where a services lookup names a port (getservbyport), for listings without -n. */
export type ServiceNames = (port: number, protocol: string) => string | undefined;

/** A match extension in a rule (xtables_match with its data). */
export interface Match {
  /** The extension's name, as `-m NAME` names it. */
  readonly name: string;
  /** Its options as iptables-save prints them, each with a leading space. */
  save(): string;
  /** Its part of an `iptables -L` line, with a leading space. */
  print(numeric: boolean, services: ServiceNames): string;
  /** The kernel's match function. */
  matches(state: PacketState): boolean;
}

/** What a non-standard target decides. */
export type TargetResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'reject'; readonly with: string }
  | { readonly kind: 'dnat'; readonly address: string; readonly port?: number }
  | { readonly kind: 'snat'; readonly address: string; readonly port?: number }
  | { readonly kind: 'masquerade'; readonly port?: number };

/** A target extension in a rule (xtables_target with its data). */
export interface Target {
  readonly name: string;
  /** The tables the kernel accepts it in (checkentry). */
  readonly tables?: readonly string[];
  save(): string;
  print(numeric: boolean): string;
  apply(state: PacketState): TargetResult;
}

/** One long option of an extension. */
export interface ExtensionOption {
  readonly name: string;
  readonly arg: boolean;
}

/** An extension being parsed from a command line: its options, one at a time, then its final check. */
export interface ExtensionBuilder<T> {
  readonly options: readonly ExtensionOption[];
  parse(option: string, value: string | undefined, invert: boolean): void;
  finish(ip: RuleIp): T;
}

/** A loadable extension (libxt_NAME.so). */
export interface Extension<T> {
  readonly name: string;
  create(): ExtensionBuilder<T>;
}

/** An address with its netmask, as u32 numbers; the address already masked, as the kernel keeps it. */
export interface AddressSpec {
  readonly address: number;
  readonly mask: number;
  readonly invert: boolean;
}

/** An interface name, "+" at its end matching any name with that prefix. */
export interface InterfaceSpec {
  readonly name: string;
  readonly invert: boolean;
}

/** The IP header part of a rule (struct ipt_ip). */
export interface RuleIp {
  readonly source?: AddressSpec;
  readonly destination?: AddressSpec;
  readonly inInterface?: InterfaceSpec;
  readonly outInterface?: InterfaceSpec;
  /** 0 for any ("all"). */
  readonly protocol: number;
  readonly protocolInvert: boolean;
}

/** ACCEPT, DROP, RETURN (standard verdicts), a jump or goto to a user chain, or an extension target. */
export type RuleTarget =
  | { readonly kind: 'standard'; readonly name: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { readonly kind: 'chain'; readonly name: string; readonly goto: boolean }
  | { readonly kind: 'extension'; readonly name: string; readonly target: Target };

/** One rule. Counters change as packets match; the rest never does (a replaced rule is a new Rule). */
export interface Rule {
  readonly ip: RuleIp;
  readonly matches: readonly Match[];
  readonly target?: RuleTarget;
  packets: number;
  bytes: number;
}

/** The protocol names iptables prints (xtables_chain_protos), by number. */
export const PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [6, 'tcp'],
  [132, 'sctp'],
  [17, 'udp'],
  [136, 'udplite'],
  [1, 'icmp'],
  [58, 'icmpv6'],
  [50, 'esp'],
  [51, 'ah'],
  [135, 'mh'],
  [0, 'all'],
]);

/** The protocol numbers of Packet's protocols. */
export const PROTOCOL_NUMBER = { tcp: 6, udp: 17, icmp: 1 } as const;

/** u32 netmask of a prefix length. */
export function prefixMask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/** The prefix length of a contiguous mask, or -1. */
export function maskLength(mask: number): number {
  for (let n = 0; n <= 32; n++) if (prefixMask(n) === mask >>> 0) return n;
  return -1;
}

/** The address as dotted quad. */
export function formatAddress(n: number): string {
  return intToIpv4(n >>> 0);
}

/** A dotted quad as u32, or NaN. */
export function parseAddress(text: string): number {
  return ipv4ToInt(text);
}

/**
 * xtables_save_string: a value of only letters, digits, '_' and '-' as it is, anything else in double
 * quotes with '"', '\' and "'" escaped by a backslash; with a leading space.
 */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return ` ${value}`;
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** save_ipv4_addr: ` [!] -s ADDR/LEN` (a non-contiguous mask in dotted form). */
function saveAddress(letter: string, spec: AddressSpec | undefined): string {
  if (!spec || (spec.mask === 0 && !spec.invert && spec.address === 0)) return '';
  const length = maskLength(spec.mask);
  return `${spec.invert ? ' !' : ''} -${letter} ${formatAddress(spec.address)}/${length >= 0 ? length : formatAddress(spec.mask)}`;
}

/**
 * The rule as iptables-save prints it after `-A CHAIN`, with a leading space when not empty; with
 * `counters`, ` -c PACKETS BYTES` before the target, as `iptables -S -v` prints it.
 */
export function ruleSpec(rule: Rule, counters = false): string {
  const { ip } = rule;
  let out = saveAddress('s', ip.source) + saveAddress('d', ip.destination);
  for (const [letter, iface] of [['i', ip.inInterface], ['o', ip.outInterface]] as const) {
    if (iface && iface.name !== '' && (iface.name !== '+' || iface.invert)) out += `${iface.invert ? ' !' : ''} -${letter} ${iface.name}`;
  }
  if (ip.protocol !== 0) out += `${ip.protocolInvert ? ' !' : ''} -p ${PROTOCOLS.get(ip.protocol) ?? ip.protocol}`;
  for (const match of rule.matches) out += ` -m ${match.name}${match.save()}`;
  if (counters) out += ` -c ${rule.packets} ${rule.bytes}`;
  const target = rule.target;
  if (target?.kind === 'chain' && target.goto) out += ` -g ${target.name}`;
  else if (target?.kind === 'extension') out += ` -j ${target.name}${target.target.save()}`;
  else if (target) out += ` -j ${target.name}`;
  return out;
}

/** The name the target column of `iptables -L` shows. */
export function targetName(rule: Rule): string {
  return rule.target?.name ?? '';
}

/** Whether `name` matches an interface spec (a trailing "+" matches by prefix), before inversion. */
function interfaceMatches(spec: InterfaceSpec, name: string | undefined): boolean {
  const given = name ?? '';
  const hit = spec.name.endsWith('+') ? given.startsWith(spec.name.slice(0, -1)) : given === spec.name;
  return hit !== spec.invert;
}

function addressMatches(spec: AddressSpec, address: string): boolean {
  const n = parseAddress(address);
  const hit = !Number.isNaN(n) && ((n & spec.mask) >>> 0) === spec.address;
  return hit !== spec.invert;
}

/** ip_packet_match: the IP header part of a rule against a packet. */
export function ipMatches(ip: RuleIp, packet: Packet): boolean {
  if (ip.source && !addressMatches(ip.source, packet.source)) return false;
  if (ip.destination && !addressMatches(ip.destination, packet.destination)) return false;
  if (ip.inInterface && !interfaceMatches(ip.inInterface, packet.inInterface)) return false;
  if (ip.outInterface && !interfaceMatches(ip.outInterface, packet.outInterface)) return false;
  if (ip.protocol !== 0 && (PROTOCOL_NUMBER[packet.protocol] === ip.protocol) === ip.protocolInvert) return false;
  return true;
}
