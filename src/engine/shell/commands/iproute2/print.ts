/**
 * How `ip link` and `ip address` print a device (ip/ipaddress.c print_linkinfo, print_addrinfo and their
 * -brief forms), byte for byte as iproute2 6.x does: flags in iproute2's order, `qdisc` and `group` only
 * where the kernel's AF_UNSPEC dump carries them (not under -6), `mode DEFAULT` only for `ip link`, and
 * -oneline's "\" for each line break.
 */
import { IFF, type NetDevice } from '../../../kernel/ns/netDevice.ts';
import { listAddresses, type ListedAddr } from './inetAddress.ts';

/** What -4/-6/-f ask for: every family, or one. */
export type Family = 'any' | 'inet' | 'inet6';

/** The global options that change how devices print. */
export interface PrintOptions {
  readonly family: Family;
  readonly brief: boolean;
  readonly oneline: boolean;
}

/** print_link_flags: the names in iproute2's order (IFF_RUNNING is never shown). */
const FLAG_NAMES: ReadonlyArray<readonly [number, string]> = [
  [IFF.LOOPBACK, 'LOOPBACK'],
  [IFF.BROADCAST, 'BROADCAST'],
  [IFF.POINTOPOINT, 'POINTOPOINT'],
  [IFF.MULTICAST, 'MULTICAST'],
  [IFF.NOARP, 'NOARP'],
  [IFF.ALLMULTI, 'ALLMULTI'],
  [IFF.PROMISC, 'PROMISC'],
  [IFF.MASTER, 'MASTER'],
  [IFF.SLAVE, 'SLAVE'],
  [IFF.DEBUG, 'DEBUG'],
  [IFF.DYNAMIC, 'DYNAMIC'],
  [IFF.AUTOMEDIA, 'AUTOMEDIA'],
  [IFF.PORTSEL, 'PORTSEL'],
  [IFF.NOTRAILERS, 'NOTRAILERS'],
  [IFF.UP, 'UP'],
  [IFF.LOWER_UP, 'LOWER_UP'],
  [IFF.DORMANT, 'DORMANT'],
  [IFF.ECHO, 'ECHO'],
];

/** `<LOOPBACK,UP,LOWER_UP>`, with NO-CARRIER first for a device up without carrier. */
export function linkFlags(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  if ((flags & IFF.UP) !== 0 && (flags & IFF.RUNNING) === 0) names.unshift('NO-CARRIER');
  return `<${names.join(',')}>`;
}

/** The addresses of `dev` the family filter lets through, in the kernel's order. */
export function addressesOf(dev: NetDevice, family: Family): ListedAddr[] {
  return listAddresses(dev).filter((a) => family === 'any' || a.family === family);
}

/** `ip link show` of one device. */
export function printLink(dev: NetDevice, options: PrintOptions): string {
  if (options.brief) return `${dev.name.padEnd(16)} ${dev.operstate.padEnd(14)} ${dev.address} ${linkFlags(dev.flags)} \n`;
  const sep = options.oneline ? '\\' : '\n';
  return `${linkHeader(dev, options.family, true)}${sep}    link/${dev.linkType} ${dev.address} brd ${dev.broadcast}\n`;
}

/** `ip address show` of one device: nothing when a family filter leaves it no addresses. */
export function printAddresses(dev: NetDevice, options: PrintOptions): string {
  const addrs = addressesOf(dev, options.family);
  if (options.family !== 'any' && addrs.length === 0) return '';
  if (options.brief) return `${dev.name.padEnd(16)} ${dev.operstate.padEnd(14)} ${addrs.map((a) => `${a.local}/${a.prefixlen} `).join('')}\n`;
  if (options.oneline) return addrs.map((a) => `${dev.ifindex}: ${dev.name}${addressLines(dev, a, '\\')}\n`).join('');
  const link = options.family === 'any' ? `    link/${dev.linkType} ${dev.address} brd ${dev.broadcast}\n` : '';
  return `${linkHeader(dev, options.family, false)}\n${link}${addrs.map((a) => `${addressLines(dev, a, '\n')}\n`).join('')}`;
}

/** The first line of a device: index, name, flags, mtu, qdisc, state, mode, group, qlen. */
function linkHeader(dev: NetDevice, family: Family, withMode: boolean): string {
  const full = family !== 'inet6';
  const qdisc = full ? ` qdisc ${dev.qdisc}` : '';
  const mode = withMode ? ' mode DEFAULT' : '';
  const group = full ? ' group default' : '';
  return `${dev.ifindex}: ${dev.name}: ${linkFlags(dev.flags)} mtu ${dev.mtu}${qdisc} state ${dev.operstate}${mode}${group} qlen ${dev.txqlen}`;
}

/** print_addrinfo: the address line and its lifetimes line, joined by `sep`. */
function addressLines(dev: NetDevice, a: ListedAddr, sep: string): string {
  const brd = a.broadcast ? ` brd ${a.broadcast}` : '';
  const flags = a.secondary ? ' secondary' : '';
  const label = a.family === 'inet' ? dev.name : '';
  return `    ${a.family} ${a.local}/${a.prefixlen}${brd} scope ${a.scope}${flags} ${label}${sep}       valid_lft forever preferred_lft forever`;
}
