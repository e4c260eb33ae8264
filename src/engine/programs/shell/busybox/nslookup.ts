/**
 * nslookup — busybox 1.36's applet as its default build has it (FEATURE_NSLOOKUP_BIG: its own resolver,
 * LEDE's musl-compatible code, not the C library's): `nslookup [-type=T] [-port=N] [-retry=N]
 * [-timeout=N] [-debug] HOST [DNS_SERVER]`.
 *
 * - The queries: PTR for an address; else A and AAAA (or the `-type`s asked). A name without a dot gets
 *   one query per search domain of /etc/resolv.conf (its `search` line, else `domain`, else the
 *   hostname's domain part) and none as it is; a name with a dot is asked as it is — ndots is not read.
 *   With a DNS_SERVER argument resolv.conf is not read at all, search domains included.
 * - The servers: DNS_SERVER, else resolv.conf's nameservers (none: 127.0.0.1), tried in turn until one
 *   answers. To each, over one connected UDP socket, every query at once, again each timeout/retry
 *   (2.5 s) until all are answered or the timeout (5 s) is over; a SERVFAIL is asked again at once (up
 *   to twice per query per round).
 * - The output, as each reply comes: `Server:\t\t<server>` and `Address:\t<ip>:53` and a blank line
 *   before the first; then per reply `Name:\t<name>` / `Address: <ip>` per A or AAAA record (CNAME, NS,
 *   PTR, MX, TXT, SRV and SOA in their own forms, `Non-authoritative answer:` first when AA is clear),
 *   `** server can't find <name>: NXDOMAIN` for an error rcode, `*** Can't find <name>: No answer` for
 *   an empty one, each followed by a blank line. No server answering: `;; connection timed out; no
 *   servers could be reached`. A read error (an ICMP refusal) is `nslookup: read: Connection refused`.
 * - Exit status 1 when any reply carried an error rcode (or no server answered), else 0.
 *
 * Left out: the -debug statistics lines, IPv6 servers, replies longer than 512 bytes (they are cut, as
 * busybox's buffer cuts them).
 */
import { KernelError } from '../../../kernel/errno.ts';
import type { Host } from '../../../kernel/host.ts';
import type { Process } from '../../../kernel/process/process.ts';
import type { CommandContext } from '../../../shell/command.ts';
import { RCODE, TYPE, buildQuery, decodeMessage, encodeMessage, rcodeName, type DnsMessage, type ResourceRecord } from '../../coredns/dnsMessage.ts';

export const BUSYBOX_BANNER = 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.';

const USAGE = `${BUSYBOX_BANNER}

Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]

Query DNS about HOST

QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any
`;

/** busybox's qtypes[], in its order. */
const QTYPES: ReadonlyArray<readonly [string, number]> = [
  ['SOA', TYPE.SOA], ['NS', TYPE.NS], ['A', TYPE.A], ['AAAA', TYPE.AAAA], ['CNAME', TYPE.CNAME], ['MX', TYPE.MX], ['TXT', TYPE.TXT], ['PTR', TYPE.PTR], ['SRV', TYPE.SRV], ['ANY', TYPE.ANY],
];

/** index_in_substrings' table: the options and their abbreviations as busybox matches them. */
const OPTIONS = ['type', 'querytype', 'port', 'retry', 'debug', 't', 'timeout'] as const;

/** busybox's rcodes[]. */
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE', '11', '12', '13', '14', '15'];

interface Query {
  readonly name: string;
  readonly message: DnsMessage;
  answered: boolean;
}

class Usage extends Error {}

/** bb_error_msg_and_die's message. */
class Failure extends Error {}

/** busybox's xatou_range: a decimal in [min, max], else its error. */
function xatouRange(text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new Failure(`invalid number '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new Failure(`number ${text} is not in ${min}..${max} range`);
  return n;
}

/** The reverse-lookup name of an IPv4 address, or undefined when `text` is not one. */
function makePtr(text: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m || m.slice(1).some((b) => Number(b) > 255)) return undefined;
  return `${m[4]}.${m[3]}.${m[2]}.${m[1]}.in-addr.arpa`;
}

/** /etc/resolv.conf as busybox's parse_resolvconf reads it: nameservers and the search string. */
function parseResolvconf(text: string | undefined, hostname: string): { servers: string[]; search: string | undefined } {
  const servers: string[] = [];
  let search: string | undefined;
  let haveSearch = false;
  for (const line of (text ?? '').split('\n')) {
    const m = /^[ \t]*([^ \t]+)[ \t]+(.*?)[ \t]*$/.exec(line);
    if (!m) continue;
    const [, keyword, arg] = m;
    if (keyword === 'domain') {
      if (haveSearch) continue;
      search = arg;
    } else if (keyword === 'search') {
      haveSearch = true;
      search = arg;
    } else if (keyword === 'nameserver') servers.push(arg!);
  }
  if (search === undefined && hostname.includes('.')) search = hostname.slice(hostname.indexOf('.') + 1);
  if (search === '.') search = undefined;
  return { servers, search };
}

const noDot = (name: string) => name.replace(/\.$/, '');

/** One answer record as busybox's parse_reply prints it ('' for a type it skips). */
function formatRecord(rr: ResourceRecord): string {
  const owner = noDot(rr.name) || '.';
  const d = rr.data;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      return `Name:\t${owner}\nAddress: ${d.address}\n`;
    case 'NS':
    case 'CNAME':
    case 'PTR': {
      const label = d.kind === 'NS' ? 'nameserver' : d.kind === 'CNAME' ? 'canonical name' : 'name';
      return `${owner}\t${label} = ${noDot(d.target)}\n`;
    }
    case 'SRV':
      return `${owner}\tservice = ${d.priority} ${d.weight} ${d.port} ${noDot(d.target)}\n`;
    case 'TXT':
      return d.texts[0] ? `${owner}\ttext = "${d.texts[0]}"\n` : '';
    case 'SOA':
      return `${owner}\n\torigin = ${noDot(d.mname)}\n\tmail addr = ${noDot(d.rname)}\n\tserial = ${d.serial}\n\trefresh = ${d.refresh}\n\tretry = ${d.retry}\n\texpire = ${d.expire}\n\tminimum = ${d.minimum}\n`;
    default:
      return '';
  }
}

/** The MX record's text, which the typed record data does not carry (its raw bytes). */
function formatMx(rr: ResourceRecord, reply: Uint8Array): string {
  if (rr.type !== TYPE.MX || rr.data.kind !== 'raw' || rr.data.bytes.length < 3) return '';
  const preference = (rr.data.bytes[0]! << 8) | rr.data.bytes[1]!;
  const exchange = readName(rr.data.bytes, 2, reply);
  return `${noDot(rr.name)}\tmail exchanger = ${preference} ${exchange}\n`;
}

/** A domain name inside record data (`bytes` at `offset`), following compression pointers into `message`. */
function readName(bytes: Uint8Array, offset: number, message: Uint8Array): string {
  const labels: string[] = [];
  let buf = bytes;
  let at = offset;
  for (let hops = 0; hops < 64 && at < buf.length; hops++) {
    const len = buf[at]!;
    if (len === 0) break;
    if ((len & 0xc0) === 0xc0) {
      at = ((len & 0x3f) << 8) | buf[at + 1]!;
      buf = message;
      continue;
    }
    labels.push(String.fromCharCode(...buf.slice(at + 1, at + 1 + len)));
    at += 1 + len;
  }
  return labels.join('.');
}

/** The lines busybox prints for one reply (parse_reply's, then the verdict). */
function formatReply(query: Query, reply: DnsMessage, bytes: Uint8Array): { text: string; failed: boolean } {
  const rcode = reply.flags.rcode;
  if (rcode !== RCODE.NOERROR) return { text: `** server can't find ${query.name}: ${RCODES[rcode] ?? rcodeName(rcode)}\n\n`, failed: true };
  let text = reply.flags.aa ? '' : 'Non-authoritative answer:\n';
  const shown = reply.answers.map((rr) => (rr.type === TYPE.MX ? formatMx(rr, bytes) : formatRecord(rr)));
  text += shown.join('');
  if (reply.answers.length === 0) text += `*** Can't find ${query.name}: No answer\n`;
  return { text: `${text}\n`, failed: false };
}

interface Settings {
  port: number;
  retry: number;
  timeoutS: number;
}

/**
 * send_queries: every unanswered query to `server` at once, again each retry interval, printing each
 * reply as it comes; how many were answered (−1 when the socket failed).
 */
async function sendQueries(host: Host, process: Process, ctx: CommandContext, server: string, queries: Query[], settings: Settings, out: { failed: boolean; headerShown: boolean }): Promise<number> {
  const socket = host.udp.socketFor(process);
  const timeout = settings.timeoutS * 1000;
  const retryInterval = Math.floor(timeout / settings.retry);
  const start = ctx.clock.now();
  let replies = 0;
  try {
    socket.bind('0.0.0.0', 0);
    socket.connect({ address: server, port: settings.port });
    let sent = 0;
    let servfailRetry = 0;
    const sendPending = () => {
      for (const q of queries) if (!q.answered) socket.send(encodeMessage(q.message));
      sent = ctx.clock.now();
      servfailRetry = 2 * queries.length;
    };
    try {
      sendPending();
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      ctx.stderr(`nslookup: write to '${server}': ${error.describe}\n`);
      return -1;
    }
    while (ctx.clock.now() - start < timeout) {
      if (ctx.clock.now() - sent >= retryInterval) sendPending();
      let bytes: Uint8Array;
      try {
        bytes = (await socket.recv({ timeoutMs: retryInterval - (ctx.clock.now() - sent) })).data.slice(0, 512);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        if (error.code !== 'EAGAIN') ctx.stderr(`nslookup: read: ${error.describe}\n`);
        continue;
      }
      if (!out.headerShown) {
        out.headerShown = true;
        ctx.stdout(`Server:\t\t${server}\nAddress:\t${server}:${settings.port}\n\n`);
      }
      if (bytes.length < 4) continue;
      const query = queries.find((q) => ((bytes[0]! << 8) | bytes[1]!) === q.message.id);
      if (!query || query.answered) continue;
      let reply: DnsMessage;
      try {
        reply = decodeMessage(bytes);
      } catch {
        query.answered = true;
        ctx.stdout(`*** Can't find ${query.name}: Parse error\n\n`);
        out.failed = true;
        if (++replies >= queries.length) break;
        continue;
      }
      if (reply.flags.rcode === RCODE.SERVFAIL && servfailRetry > 0) {
        servfailRetry--;
        socket.send(encodeMessage(query.message));
        continue;
      }
      query.answered = true;
      const shown = formatReply(query, reply, bytes);
      ctx.stdout(shown.text);
      if (shown.failed) out.failed = true;
      if (++replies >= queries.length) break;
    }
  } finally {
    socket.close();
  }
  return replies;
}

/** The applet. */
export async function nslookup(ctx: CommandContext): Promise<number> {
  if (!ctx.process) {
    ctx.stderr('nslookup: socket: Address family not supported by protocol\n');
    return 1;
  }
  const { host, process } = ctx.process;
  const settings: Settings = { port: 53, retry: 2, timeoutS: 5 };
  const types: number[] = [];
  let args = ctx.argv.slice(1);
  try {
    for (;;) {
      const arg = args[0];
      if (arg === undefined) throw new Usage();
      if (!arg.startsWith('-')) break;
      args = args.slice(1);
      const eq = arg.indexOf('=');
      const key = arg.slice(1, eq < 0 ? undefined : eq);
      const value = eq < 0 ? '' : arg.slice(eq + 1);
      const matches = OPTIONS.filter((o) => key !== '' && o.startsWith(key));
      const option = OPTIONS.find((o) => o === key) ?? (matches.length === 1 ? matches[0] : undefined);
      if (!option) throw new Usage();
      if (option === 'type' || option === 'querytype') {
        const t = QTYPES.find(([name]) => name.toLowerCase() === value.toLowerCase());
        if (!t) throw new Failure(`invalid query type "${value}"`);
        if (!types.includes(t[1])) types.push(t[1]);
      } else if (option === 'port') settings.port = xatouRange(value, 1, 0xffff);
      else if (option === 'retry') settings.retry = xatouRange(value, 1, 2 ** 31 - 1);
      else if (option === 't' || option === 'timeout') settings.timeoutS = xatouRange(value, 1, Math.floor((2 ** 31 - 1) / 1000));
    }
    if (args.length > 2) throw new Usage();
  } catch (error) {
    if (error instanceof Usage) {
      ctx.stderr(USAGE);
      return 1;
    }
    if (error instanceof Failure) {
      ctx.stderr(`nslookup: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const [name, serverArg] = args as [string, string | undefined];
  const vfs = host.vfsFor(process);
  let resolvConf: string | undefined;
  try {
    resolvConf = vfs.readFile('/etc/resolv.conf');
  } catch {
    resolvConf = undefined;
  }
  const conf = serverArg === undefined ? parseResolvconf(resolvConf, process.nsproxy?.uts.hostname ?? '') : { servers: [serverArg], search: undefined };
  if (conf.servers.length === 0) conf.servers.push('127.0.0.1');
  const rng = host.rng.fork(`nslookup ${process.hostPid} ${ctx.clock.now()}`);
  const queries: Query[] = [];
  const add = (type: number, qname: string) => queries.push({ name: qname, message: buildQuery(rng.int(65536), qname, type), answered: false });
  const withSearch = (type: number) => {
    if (type === TYPE.PTR || conf.search === undefined || name.includes('.')) return add(type, name);
    for (const domain of conf.search.split(/[ \t]+/).filter((d) => d !== '')) add(type, `${name}.${domain}`);
  };
  const ptr = types.length === 0 ? makePtr(name) : undefined;
  if (ptr) add(TYPE.PTR, ptr);
  else if (types.length === 0) [TYPE.A, TYPE.AAAA].forEach(withSearch);
  else QTYPES.filter(([, t]) => types.includes(t)).forEach(([, t]) => withSearch(t));
  for (const server of conf.servers) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(server)) {
      ctx.stderr(`nslookup: bad address '${server}'\n`);
      return 1;
    }
  }
  const out = { failed: false, headerShown: false };
  for (let i = 0; ; i++) {
    const answered = await sendQueries(host, process, ctx, conf.servers[i]!, queries, settings, out);
    if (answered > 0) break;
    if (i + 1 >= conf.servers.length) {
      ctx.stdout(';; connection timed out; no servers could be reached\n\n');
      return 1;
    }
  }
  const missing = queries.filter((q) => !q.answered);
  for (const q of missing) ctx.stdout(`*** Can't find ${q.name}: No answer\n`);
  if (missing.length) ctx.stdout('\n');
  return out.failed ? 1 : 0;
}
