/**
 * What every `ip` object handler gets: the command context, the calling process on its host, the network
 * namespace it talks to over rtnetlink (the caller's), and the global options.
 */
import type { NetDevice } from '../../../kernel/ns/netDevice.ts';
import type { NetNamespace } from '../../../kernel/ns/netNamespace.ts';
import { CAP, nsCapable } from '../../../kernel/process/capability.ts';
import type { CommandContext } from '../../command.ts';
import type { Caller } from '../util-linux/caller.ts';
import type { PrintOptions } from './print.ts';

/** iproute2's exit codes: 0, 1 for a usage or lookup error, 2 for an error the kernel answered. */
export const IP_EXIT = { ok: 0, failure: 1, rtnetlink: 2, fatal: 255 } as const;

/** One `ip` run. */
export interface IpContext {
  readonly ctx: CommandContext;
  readonly caller: Caller;
  /** The namespace the netlink socket was opened in. */
  readonly net: NetNamespace;
  readonly options: PrintOptions;
}

/** Write `message` and a newline to stderr; return `status`. */
export function fail(ip: IpContext, message: string, status: number = IP_EXIT.failure): number {
  ip.ctx.stderr(`${message}\n`);
  return status;
}

/** rtnetlink's check for a change: CAP_NET_ADMIN over the namespace's owner, else the EPERM answer. */
export function mayAdmin(ip: IpContext): boolean {
  return nsCapable(ip.caller.process.cred, ip.net.userNs, CAP.CAP_NET_ADMIN);
}

/** "RTNETLINK answers: Operation not permitted", exit 2. */
export function notPermitted(ip: IpContext): number {
  return fail(ip, 'RTNETLINK answers: Operation not permitted', IP_EXIT.rtnetlink);
}

/** iproute2's matches(): `word` is a non-empty prefix of `keyword`. */
export function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/** The devices `show [dev] NAME` picks, or an error message when NAME does not exist. */
export function selectDevices(ip: IpContext, args: readonly string[]): NetDevice[] | string {
  let name: string | undefined;
  let upOnly = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === 'dev') name = args[++i];
    else if (arg === 'up') upOnly = true;
    else name = arg;
  }
  if (name !== undefined) {
    const dev = ip.net.device(name);
    if (!dev) return `Device "${name}" does not exist.`;
    return upOnly && !dev.up ? [] : [dev];
  }
  return ip.net.devices().filter((d) => !upOnly || d.up);
}
