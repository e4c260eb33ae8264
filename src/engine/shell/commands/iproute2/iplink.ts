/**
 * `ip link` (ip/iplink.c, ip/ipaddress.c): show (list, lst; the default) and `set [dev] NAME up|down`
 * over the caller's network namespace.
 */
import { IP_EXIT, fail, matches, mayAdmin, notPermitted, selectDevices, type IpContext } from './ipContext.ts';
import { printLink } from './print.ts';

/** `ip link ARGS…`. */
export function ipLink(ip: IpContext, args: readonly string[]): number {
  const [cmd, ...rest] = args;
  if (cmd === undefined) return show(ip, []);
  if (matches(cmd, 'set')) return set(ip, rest);
  if (matches(cmd, 'show') || matches(cmd, 'list') || cmd === 'lst') return show(ip, rest);
  return fail(ip, `Command "${cmd}" is unknown, try "ip link help".`, IP_EXIT.fatal);
}

function show(ip: IpContext, args: readonly string[]): number {
  const devices = selectDevices(ip, args);
  if (typeof devices === 'string') return fail(ip, devices);
  ip.ctx.stdout(devices.map((dev) => printLink(dev, ip.options)).join(''));
  return IP_EXIT.ok;
}

/** iplink_modify for `set`: the device, then up or down; nothing to change is no error. */
function set(ip: IpContext, args: readonly string[]): number {
  let name: string | undefined;
  let up: boolean | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === 'up' || arg === 'down') up = arg === 'up';
    else if (arg === 'dev') name = args[++i];
    else if (name === undefined) name = arg;
    else return fail(ip, `Error: either "dev" is duplicate, or "${arg}" is a garbage.`);
  }
  if (name === undefined) return fail(ip, 'Not enough information: "dev" argument is required.');
  const dev = ip.net.device(name);
  if (!dev) return fail(ip, `Cannot find device "${name}"`);
  if (up === undefined) return IP_EXIT.ok;
  if (!mayAdmin(ip)) return notPermitted(ip);
  dev.setUp(up);
  return IP_EXIT.ok;
}
