/**
 * `ip address` (ip/ipaddress.c): show (list, lst; the default), add and del over the caller's network
 * namespace, with the kernel's answers (inet_rtm_newaddr, inet6_rtm_newaddr and their del) in its words.
 */
import type { IfAddr } from '../../../kernel/ns/netDevice.ts';
import { IP_EXIT, fail, matches, mayAdmin, notPermitted, selectDevices, type IpContext } from './ipContext.ts';
import { ipv4Broadcast, ipv6Bits, parsePrefix, type Prefix } from './inetAddress.ts';
import { printAddresses } from './print.ts';

/** `ip address ARGS…`. */
export function ipAddress(ip: IpContext, args: readonly string[]): number {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return show(ip, []);
  if (matches(cmd, 'add')) return modify(ip, 'add', rest);
  if (matches(cmd, 'delete')) return modify(ip, 'del', rest);
  if (matches(cmd, 'list') || matches(cmd, 'show') || cmd === 'lst') return show(ip, rest);
  return fail(ip, `Command "${cmd}" is unknown, try "ip address help".`, IP_EXIT.fatal);
}

function show(ip: IpContext, args: readonly string[]): number {
  const devices = selectDevices(ip, args);
  if (typeof devices === 'string') return fail(ip, devices);
  ip.ctx.stdout(devices.map((dev) => printAddresses(dev, ip.options)).join(''));
  return IP_EXIT.ok;
}

/** ipaddr_modify: `add|del PREFIX dev NAME [brd ADDR|+|-] [scope SCOPE]`. */
function modify(ip: IpContext, cmd: 'add' | 'del', args: readonly string[]): number {
  let local: Prefix | undefined;
  let devName: string | undefined;
  let brd: string | undefined;
  let scope: IfAddr['scope'] | undefined;
  for (let i = 0; i < args.length; i++) {
    let arg = args[i]!;
    if (arg === 'dev') {
      devName = args[++i];
      continue;
    }
    if (matches(arg, 'broadcast') || arg === 'brd') {
      brd = args[++i];
      continue;
    }
    if (arg === 'scope') {
      const value = args[++i] ?? '';
      if (value !== 'host' && value !== 'link' && value !== 'global') return fail(ip, `Error: argument "${value}" is wrong: invalid scope value.`);
      scope = value;
      continue;
    }
    if (matches(arg, 'local')) arg = args[++i] ?? '';
    if (local) return fail(ip, `Error: either "local" is duplicate, or "${arg}" is a garbage.`);
    local = parsePrefix(arg);
    if (!local) return fail(ip, `Error: any valid prefix is expected rather than "${arg}".`);
  }
  if (devName === undefined) return fail(ip, 'Not enough information: "dev" argument is required.');
  const dev = ip.net.device(devName);
  if (!dev) return fail(ip, `Cannot find device "${devName}"`);
  if (!mayAdmin(ip)) return notPermitted(ip);
  if (!local) return fail(ip, 'RTNETLINK answers: Operation not supported', IP_EXIT.rtnetlink);
  const v = local.family === 'inet' ? 'ipv4' : 'ipv6';
  if (cmd === 'del') {
    if (!local.explicitLength && local.family === 'inet') {
      ip.ctx.stderr(
        `Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${local.local}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`,
      );
    }
    const found = dev.addresses.find((a) => a.family === local.family && a.local === local.local && (!local.explicitLength || a.prefixlen === local.prefixlen));
    if (!found || !dev.removeAddress(found.family, found.local)) return fail(ip, `Error: ${v}: ${local.family === 'inet' ? 'Address' : 'address'} not found.`, IP_EXIT.rtnetlink);
    return IP_EXIT.ok;
  }
  const addr: IfAddr = {
    family: local.family,
    local: local.local,
    prefixlen: local.prefixlen,
    scope: scope ?? defaultScope(local),
    ...(local.family === 'inet' && brd !== undefined && brd !== '-' && { broadcast: brd === '+' ? ipv4Broadcast(local.local, local.prefixlen) : brd }),
  };
  if (!dev.addAddress(addr)) return fail(ip, `Error: ${v}: ${local.family === 'inet' ? 'Address' : 'address'} already assigned.`, IP_EXIT.rtnetlink);
  return IP_EXIT.ok;
}

/** iproute2's default_scope for IPv4 (host for 127/8) and the kernel's ipv6_addr_scope for IPv6. */
function defaultScope(p: Prefix): IfAddr['scope'] {
  if (p.family === 'inet') return p.local.startsWith('127.') ? 'host' : 'global';
  const bits = ipv6Bits(p.local) ?? 0n;
  if (bits === 1n) return 'host';
  return bits >> 118n === 0x3fan ? 'link' : 'global';
}
