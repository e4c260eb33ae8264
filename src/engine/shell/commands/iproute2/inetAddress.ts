/**
 * Addresses as iproute2 reads and prints them (lib/utils.c get_prefix, format_host): dotted IPv4 and
 * RFC 5952 IPv6 text with an optional prefix length, and the order the kernel keeps a device's
 * addresses in (__inet_insert_ifa: IPv4 primaries by scope, secondaries after them; ipv6_link_dev_addr:
 * IPv6 by scope, global first, newest first within a scope).
 */
import type { IfAddr, NetDevice } from '../../../kernel/ns/netDevice.ts';

/** An address with its prefix, as typed on a command line. */
export interface Prefix {
  readonly family: IfAddr['family'];
  /** The address in canonical text. */
  readonly local: string;
  readonly prefixlen: number;
  /** Whether a prefix length was given. */
  readonly explicitLength: boolean;
}

/** `10.0.0.1/24`, `fd00::1/64`, `10.0.0.2`: undefined when it is not one. */
export function parsePrefix(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const lenText = slash < 0 ? undefined : text.slice(slash + 1);
  const family = addr.includes(':') ? 'inet6' : 'inet';
  const bits = family === 'inet' ? ipv4Bits(addr) : ipv6Bits(addr);
  if (bits === undefined) return undefined;
  const max = family === 'inet' ? 32 : 128;
  if (lenText !== undefined && !/^\d+$/.test(lenText)) return undefined;
  const prefixlen = lenText === undefined ? max : Number(lenText);
  if (prefixlen > max) return undefined;
  return { family, local: family === 'inet' ? formatIpv4(bits) : formatIpv6(bits), prefixlen, explicitLength: lenText !== undefined };
}

/** An IPv4 address as a 32-bit number, or undefined. */
export function ipv4Bits(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n);
}

/** An IPv6 address as a 128-bit number, or undefined. */
export function ipv6Bits(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return all.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n);
}

/** Dotted-quad text of a 32-bit number. */
export function formatIpv4(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((bits >> s) & 0xffn)).join('.');
}

/** RFC 5952 text of a 128-bit number: lower case, the longest run of two or more zero groups as "::". */
export function formatIpv6(bits: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { start: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { start: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.start < 0) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`;
}

/** The network of an IPv4 address under a prefix length. */
export function ipv4Network(local: string, prefixlen: number): bigint {
  const mask = prefixlen === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefixlen)) - 1n);
  return (ipv4Bits(local) ?? 0n) & mask;
}

/** The broadcast address `brd +` gives an IPv4 address. */
export function ipv4Broadcast(local: string, prefixlen: number): string {
  const host = prefixlen >= 31 ? 0n : (1n << BigInt(32 - prefixlen)) - 1n;
  return formatIpv4(ipv4Network(local, prefixlen) | host);
}

/** An address in the kernel's list order, with the IFA_F_SECONDARY flag the kernel gives it. */
export interface ListedAddr extends IfAddr {
  readonly secondary: boolean;
}

/** RT_SCOPE_* of an IPv4 scope and IPV6_ADDR_SCOPE_* of an IPv6 one. */
const INET_SCOPE = { global: 0, link: 253, host: 254 } as const;
const INET6_SCOPE = { host: 1, link: 2, global: 14 } as const;

/** A device's addresses as the kernel lists them: IPv4 (in ifa_list order), then IPv6 (in addr_list order). */
export function listAddresses(dev: NetDevice): ListedAddr[] {
  const inet: ListedAddr[] = [];
  let primaries = 0;
  for (const a of dev.addresses.filter((x) => x.family === 'inet')) {
    const net = ipv4Network(a.local, a.prefixlen);
    const secondary = inet.some((p) => !p.secondary && p.prefixlen === a.prefixlen && ipv4Network(p.local, p.prefixlen) === net);
    if (secondary) {
      inet.push({ ...a, secondary });
      continue;
    }
    let at = 0;
    while (at < primaries && INET_SCOPE[a.scope] <= INET_SCOPE[inet[at]!.scope]) at++;
    inet.splice(at, 0, { ...a, secondary });
    primaries++;
  }
  const inet6: ListedAddr[] = [];
  for (const a of dev.addresses.filter((x) => x.family === 'inet6')) {
    let at = 0;
    while (at < inet6.length && INET6_SCOPE[a.scope] < INET6_SCOPE[inet6[at]!.scope]) at++;
    inet6.splice(at, 0, { ...a, secondary: false });
  }
  return [...inet, ...inet6];
}
