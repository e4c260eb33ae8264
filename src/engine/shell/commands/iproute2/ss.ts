/**
 * ss(8) of iproute2 6.1 (misc/ss.c): the TCP sockets of the caller's network namespace, read from the
 * kernel's socket table as ss reads them over NETLINK_INET_DIAG, listeners first, then connections.
 *
 * - Which sockets: connected ones by default (ESTAB, CLOSE-WAIT), `-l` listening ones, `-a` all; `-t`
 *   TCP, `-u`/`-w`/`-x` tables the lab has no sockets in, `-4`/`-6` one family. With more than one
 *   table, the Netid column shows.
 * - Columns as ss's renderer lays them out when its output is not a terminal (compact): each as wide as
 *   its longest field, addresses right-aligned against their `:`, ports after it; Recv-Q and Send-Q
 *   (a listener's backlog); ports by /etc/services name unless `-n` (never one of ip_local_port_range),
 *   `*` for none. `-p` adds `users:(("comm",pid=N,fd=F))` for sockets whose owner the caller may see
 *   in /proc (its pid namespace, and its own processes unless root). `-H` drops the header.
 * - `-s`: the summary from /proc/net/sockstat and snmp (alone, it is all ss prints).
 * - `-V`, `-h`; an unknown option prints ss's complaint and usage, exit 255.
 *
 * On the laptop (no process, so no kernel) ss fails as it does where netlink sockets are missing.
 *
 * Left out: UDP, UNIX, raw and IPv6 sockets (the kernel has none), state and address filters, -e, -o, -m,
 * -i, -K, -N, -f/-A, terminal-width spreading, and more than one process per socket (the sockets an
 * owner's children inherit show under the owner only).
 */
import { IP_LOCAL_PORT_RANGE } from '../../../kernel/net/tcp.ts';
import { TCP_STATE, type ListenSocket, type SockAddr, type TcpSocket } from '../../../kernel/net/socket.ts';
import type { Process } from '../../../kernel/process/process.ts';
import { EXIT, type Command } from '../../command.ts';
import { callerOf, type Caller } from '../util-linux/caller.ts';

/** ss -h's text (stdout for -h, stderr after an option error). */
export const SS_USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

/** The short options ss takes without an argument that are emulated, and their long names. */
const SHORT: Readonly<Record<string, string>> = { h: 'help', V: 'version', n: 'numeric', r: 'resolve', a: 'all', l: 'listening', p: 'processes', s: 'summary', '4': 'ipv4', '6': 'ipv6', t: 'tcp', u: 'udp', w: 'raw', x: 'unix', H: 'no-header' };

/** ss's state names (sstate_name[]) for the states the kernel's sockets take. */
const STATE_NAME: Readonly<Record<number, string>> = { [TCP_STATE.ESTABLISHED]: 'ESTAB', [TCP_STATE.CLOSE_WAIT]: 'CLOSE-WAIT', [TCP_STATE.LISTEN]: 'LISTEN' };

/** A column of ss's renderer: its alignment, header and left delimiter. */
interface Column {
  readonly align: 'left' | 'right';
  readonly header: string;
  readonly ldelim: string;
}

const COLUMNS: readonly Column[] = [
  { align: 'left', header: 'Netid', ldelim: '' },
  { align: 'left', header: 'State', ldelim: ' ' },
  { align: 'left', header: 'Recv-Q', ldelim: ' ' },
  { align: 'left', header: 'Send-Q', ldelim: ' ' },
  { align: 'right', header: 'Local Address:', ldelim: ' ' },
  { align: 'left', header: 'Port', ldelim: '' },
  { align: 'right', header: 'Peer Address:', ldelim: ' ' },
  { align: 'left', header: 'Port', ldelim: '' },
  { align: 'left', header: 'Process', ldelim: '' },
  { align: 'left', header: '', ldelim: '' },
];

/**
 * ss's render() without a terminal: a column is as wide as its longest field (plus its delimiter, but
 * for the first column shown); right-aligned fields are padded before, left-aligned ones after.
 */
export function renderColumns(rows: ReadonlyArray<ReadonlyArray<string | undefined>>): string {
  const enabled = COLUMNS.map((_, i) => rows.some((r) => r[i] !== undefined));
  let first = true;
  const widths = COLUMNS.map((c, i) => {
    if (!enabled[i]) return 0;
    const max = Math.max(0, ...rows.map((r) => r[i]?.length ?? 0));
    const width = !first && max > 0 ? max + c.ldelim.length : max;
    if (width > 0) first = false;
    return width;
  });
  let out = '';
  for (const row of rows) {
    let started = false;
    COLUMNS.forEach((c, i) => {
      const field = row[i];
      if (field === undefined) return;
      let printed = started ? c.ldelim.length : 0;
      let text = started ? c.ldelim : '';
      started = true;
      if (c.align === 'right' && widths[i]! - field.length - printed > 0) {
        const pad = widths[i]! - field.length - printed;
        text += ' '.repeat(pad);
        printed += pad;
      }
      text += field;
      printed += field.length;
      if (c.align === 'left' && widths[i]! - printed > 0) text += ' '.repeat(widths[i]! - printed);
      out += text;
    });
    out += '\n';
  }
  return out;
}

interface Options {
  numeric: boolean;
  listening: boolean;
  all: boolean;
  processes: boolean;
  summary: boolean;
  header: boolean;
  /** The socket tables asked for (-t, -u, -w, -x); none means all. */
  dbs: Set<Db>;
  ipv4: boolean;
  ipv6: boolean;
}

type Db = 'tcp' | 'udp' | 'raw' | 'unix';
const ALL_DBS: readonly Db[] = ['udp', 'tcp', 'raw', 'unix'];

export const ss: Command = (ctx) => {
  const opts: Options = { numeric: false, listening: false, all: false, processes: false, summary: false, header: true, dbs: new Set(), ipv4: false, ipv6: false };
  const fail = (message: string) => {
    ctx.stderr(`${message}\n${SS_USAGE}`);
    return 255;
  };
  /** Apply one option; a number when it ends the run (-h, -V). */
  const set = (name: string): number | undefined => {
    if (name === 'help') {
      ctx.stdout(SS_USAGE);
      return EXIT.ok;
    }
    if (name === 'version') {
      ctx.stdout('ss utility, iproute2-6.1.0\n');
      return EXIT.ok;
    }
    if (name === 'numeric') opts.numeric = true;
    else if (name === 'all') opts.all = true;
    else if (name === 'listening') opts.listening = true;
    else if (name === 'processes') opts.processes = true;
    else if (name === 'summary') opts.summary = true;
    else if (name === 'no-header') opts.header = false;
    else if (name === 'ipv4') opts.ipv4 = true;
    else if (name === 'ipv6') opts.ipv6 = true;
    else if (name === 'tcp' || name === 'udp' || name === 'raw' || name === 'unix') opts.dbs.add(name);
    return undefined;
  };
  for (const arg of ctx.argv.slice(1)) {
    if (arg.startsWith('--')) {
      const name = arg.slice(2);
      if (!Object.values(SHORT).includes(name)) return fail(`ss: unrecognized option '${arg}'`);
      const done = set(name);
      if (done !== undefined) return done;
    } else if (arg.startsWith('-') && arg.length > 1) {
      for (const c of arg.slice(1)) {
        const name = SHORT[c];
        if (!name) return fail(`ss: invalid option -- '${c}'`);
        const done = set(name);
        if (done !== undefined) return done;
      }
    } else {
      ctx.stderr(`ss: filters are not supported here: "${arg}"\n`);
      return EXIT.failure;
    }
  }
  const caller = callerOf(ctx);
  const net = caller?.process.nsproxy?.net;
  if (!caller || !net) {
    ctx.stderr('Cannot open netlink socket: Address family not supported by protocol\n');
    return EXIT.failure;
  }
  const all = caller.host.tcp.sockets(net);
  if (opts.summary) {
    ctx.stdout(summary(all));
    if (opts.dbs.size === 0) return EXIT.ok;
  }
  // -4 or -6 alone narrows the tables to that family's (ss's filter_af_set): unix sockets have neither.
  const family = opts.ipv4 === opts.ipv6 ? 'any' : opts.ipv4 ? 'inet' : 'inet6';
  const dbs = (opts.dbs.size > 0 ? [...opts.dbs] : ALL_DBS).filter((db) => family === 'any' || db !== 'unix');
  const wanted = (s: ListenSocket | TcpSocket) => (opts.all ? true : opts.listening ? s.state === TCP_STATE.LISTEN : s.state !== TCP_STATE.LISTEN);
  // The kernel's sockets are all TCP over IPv4.
  const sockets = dbs.includes('tcp') && family !== 'inet6' ? all.filter(wanted) : [];
  const services = opts.numeric ? new Map<number, string>() : readServices(caller);
  const port = (p: number) => (p === 0 ? '*' : (!isEphemeral(p) && services.get(p)) || String(p));
  const rows: Array<Array<string | undefined>> = [];
  const row = (cells: Array<string | undefined>) => rows.push(dbs.length > 1 ? cells : [undefined, ...cells.slice(1)]);
  if (opts.header) row([...COLUMNS.slice(0, -1).map((c) => c.header), '']);
  for (const s of sockets) {
    const listening = s.state === TCP_STATE.LISTEN;
    const remote: SockAddr = listening ? { address: '0.0.0.0', port: 0 } : (s as TcpSocket).remote;
    const backlog = listening ? (s as ListenSocket).backlog : 0;
    row(['tcp', STATE_NAME[s.state] ?? 'UNKNOWN', '0'.padEnd(6), String(backlog).padEnd(6), `${s.local.address}:`, port(s.local.port), `${remote.address}:`, port(remote.port), opts.processes ? users(caller, s) : '', '']);
  }
  ctx.stdout(renderColumns(rows));
  return EXIT.ok;
};

/** ` users:(("nginx",pid=1234,fd=6))` when the caller can see the owner in /proc, else nothing. */
function users(caller: Caller, s: ListenSocket | TcpSocket): string {
  const owner: Process | undefined = s.owner;
  if (!owner || owner.exitState || s.fd === undefined) return '';
  const pid = owner.pidIn(caller.process.pidNs);
  if (pid === 0) return '';
  if (caller.process.cred.euid !== 0 && caller.process.cred.euid !== owner.cred.euid) return '';
  return ` users:(("${owner.comm}",pid=${pid},fd=${s.fd}))`;
}

/** ss's is_ephemeral: ports of net.ipv4.ip_local_port_range are never named. */
function isEphemeral(port: number): boolean {
  return port >= IP_LOCAL_PORT_RANGE[0] && port <= IP_LOCAL_PORT_RANGE[1];
}

/** getservbyport(3) for tcp: the first name /etc/services gives each port (none when the file is missing). */
function readServices(caller: Caller): Map<number, string> {
  const names = new Map<number, string>();
  let text: string;
  try {
    text = caller.vfs.readFile('/etc/services');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, spec] = line.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/tcp$/.exec(spec ?? '');
    if (name && m && !names.has(Number(m[1]))) names.set(Number(m[1]), name);
  }
  return names;
}

/** print_summary(): sockets in use, the TCP counters, and the per-transport table. */
function summary(sockets: ReadonlyArray<ListenSocket | TcpSocket>): string {
  const tcp = sockets.length;
  const estab = sockets.filter((s) => s.state === TCP_STATE.ESTABLISHED || s.state === TCP_STATE.CLOSE_WAIT).length;
  const line = (name: string, total: number, ip: number, ip6: number) => `${name}\t  ${String(total).padEnd(9)} ${String(ip).padEnd(9)} ${String(ip6).padEnd(9)}\n`;
  return (
    `Total: ${tcp}\n` +
    `TCP:   ${tcp} (estab ${estab}, closed 0, orphaned 0, timewait 0)\n\n` +
    'Transport Total     IP        IPv6\n' +
    line('RAW', 0, 0, 0) +
    line('UDP', 0, 0, 0) +
    line('TCP', tcp, tcp, 0) +
    line('INET', tcp, tcp, 0) +
    line('FRAG', 0, 0, 0) +
    '\n'
  );
}
