/**
 * ip(8) of iproute2 6.1 (ip/ip.c): the global options, then an object matched by prefix in iproute2's
 * table order (`ip a` is address, `ip l` link, `ip r` route), run over rtnetlink in the calling
 * process's network namespace.
 */
import { EXIT, type Command } from '../../command.ts';
import { callerOf } from '../util-linux/caller.ts';
import { IP_EXIT, matches, type IpContext } from './ipContext.ts';
import { ipAddress } from './ipaddress.ts';
import { ipLink } from './iplink.ts';
import { ipNetns } from './ipnetns.ts';
import { ipRoute } from './iproute.ts';
import type { Family, PrintOptions } from './print.ts';

/** ip's usage(), which it prints to stderr before exiting with 255. */
export const IP_USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

type ObjectHandler = (ip: IpContext, args: readonly string[]) => number | Promise<number>;

/** ip.c's cmds[], in its order (prefixes match the first); null for the objects not emulated. */
const OBJECTS: ReadonlyArray<readonly [string, ObjectHandler | null]> = [
  ['address', ipAddress],
  ['addrlabel', null],
  ['amt', null],
  ['maddress', null],
  ['route', ipRoute],
  ['rule', null],
  ['neighbor', null],
  ['neighbour', null],
  ['ntable', null],
  ['ntbl', null],
  ['link', ipLink],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', null],
  ['mrule', null],
  ['netns', ipNetns],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['stats', null],
  ['help', null],
];

export const ip: Command = (ctx) => {
  const args = ctx.argv.slice(1);
  let family: Family = 'any';
  let brief = false;
  let oneline = false;
  const usage = () => {
    ctx.stderr(IP_USAGE);
    return IP_EXIT.fatal;
  };
  while (args.length > 0 && args[0]!.startsWith('-') && args[0] !== '-') {
    const given = args.shift()!;
    const opt = given.startsWith('--') ? given.slice(1) : given;
    if (matches(opt, '-family')) {
      const value = args.shift();
      if (value === undefined) return usage();
      if (value === 'inet' || value === 'inet6') family = value;
      else if (value === 'help') return usage();
      else {
        ctx.stderr(`Error: argument "${value}" is wrong: invalid protocol family\n`);
        return EXIT.failure;
      }
    } else if (opt === '-4') family = 'inet';
    else if (opt === '-6') family = 'inet6';
    else if (matches(opt, '-oneline')) oneline = true;
    else if (matches(opt, '-Version')) {
      ctx.stdout('ip utility, iproute2-6.1.0, libbpf 1.3.0\n');
      return EXIT.ok;
    } else if (matches(opt, '-help')) return usage();
    else if (matches(opt, '-brief')) brief = true;
    else {
      ctx.stderr(`Option "${given}" is unknown, try "ip -help".\n`);
      return IP_EXIT.fatal;
    }
  }
  const [object, ...rest] = args;
  if (object === undefined) return usage();
  const handler = OBJECTS.find(([name]) => matches(object, name));
  if (handler?.[0] === 'help') return usage();
  if (!handler?.[1]) {
    ctx.stderr(`Object "${object}" is unknown, try "ip help".\n`);
    return EXIT.failure;
  }
  const caller = callerOf(ctx);
  const net = caller?.process.nsproxy?.net;
  if (!caller || !net) {
    ctx.stderr('Cannot open netlink socket: Address family not supported by protocol\n');
    return EXIT.failure;
  }
  const options: PrintOptions = { family, brief, oneline };
  return handler[1]({ ctx, caller, net, options }, rest);
};
