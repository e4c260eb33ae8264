/**
 * The C library's stub resolver, getaddrinfo(3) for a host name as a program in a container calls it:
 * glibc's (nss "files dns": /etc/hosts, then resolv/res_query.c and res_send.c) and musl's
 * (network/lookup_name.c and res_msend.c), each with its own way through resolv.conf.
 *
 * - /etc/hosts first: its addresses for the name, in the file's order.
 * - /etc/resolv.conf (`parseResolvConf`): up to three `nameserver`s (none: 127.0.0.1), the last `search`
 *   or `domain` line's domains, `options ndots:N timeout:N attempts:N` (defaults 1, 5 s and 2; capped at
 *   15, 30 and 5 as glibc caps them).
 * - The names tried (`searchList`): a name ending in a dot only as it is. glibc: a name with at least
 *   ndots dots as it is first, then with each search domain; one with fewer, with each search domain
 *   first, then as it is. musl: a name with at least ndots dots only as it is; one with fewer, with
 *   each search domain, then as it is. NXDOMAIN or an empty answer moves on to the next name; a
 *   timeout or an ICMP refusal ends the search (EAI_AGAIN), as does SERVFAIL under musl (glibc
 *   remembers it and moves on, failing with EAI_AGAIN if nothing else answers).
 * - The exchange, over UDP (kernel/net/udp.ts) to port 53, one socket per lookup, the A query (and the
 *   AAAA one, sent together, for AF_UNSPEC) under random ids without EDNS0. glibc asks the nameservers
 *   in turn, waiting `timeout` seconds for each, `attempts` rounds; an ICMP port unreachable skips to
 *   the next nameserver. musl sends to every nameserver at once, again every timeout/attempts seconds,
 *   for `timeout` seconds in all, taking the first NOERROR or NXDOMAIN answer to each query and asking
 *   again at once after a SERVFAIL.
 * - The answer's A (and AAAA) records, whatever CNAMEs led to them; the canonical name is the last
 *   owner name.
 *
 * Left out: nsswitch.conf beyond "files dns", the retry over TCP of a truncated answer, `rotate`,
 * `single-request(-reopen)`, `edns0`, `no-tld-query`, `sortlist`, the RES_OPTIONS and LOCALDOMAIN
 * environment variables, reverse lookups, IPv6 nameservers, nscd.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import type { Process } from '../../kernel/process/process.ts';
import type { Datagram, UdpSocket } from '../../kernel/net/udp.ts';
import { RCODE, TYPE, buildQuery, decodeMessage, encodeMessage, type DnsMessage } from '../coredns/dnsMessage.ts';

/** MAXNS: the nameservers glibc and musl keep. */
const MAXNS = 3;
const DNS_PORT = 53;

export type Libc = 'glibc' | 'musl';

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
  readonly ndots: number;
  /** Seconds. */
  readonly timeout: number;
  readonly attempts: number;
}

/** resolv.conf as res_init (and musl's __get_resolv_conf) reads it; a missing file is the defaults. */
export function parseResolvConf(text: string | undefined): ResolvConf {
  const nameservers: string[] = [];
  let search: string[] = [];
  let ndots = 1;
  let timeout = 5;
  let attempts = 2;
  for (const raw of (text ?? '').split('\n')) {
    const line = raw.replace(/[;#].*/, '').trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === 'nameserver' && args[0] && /^\d{1,3}(\.\d{1,3}){3}$/.test(args[0]) && nameservers.length < MAXNS) nameservers.push(args[0]);
    else if (keyword === 'search' || keyword === 'domain') search = args.filter((d) => d !== '').map((d) => d.replace(/\.$/, ''));
    else if (keyword === 'options') {
      for (const option of args) {
        const m = /^(ndots|timeout|attempts):(\d+)$/.exec(option);
        if (!m) continue;
        const n = Number(m[2]);
        if (m[1] === 'ndots') ndots = Math.min(n, 15);
        else if (m[1] === 'timeout') timeout = Math.min(n, 30);
        else attempts = Math.min(n, 5);
      }
    }
  }
  return { nameservers: nameservers.length ? nameservers : ['127.0.0.1'], search, ndots, timeout, attempts };
}

/** The names a lookup of `name` asks for, in order. */
export function searchList(name: string, conf: ResolvConf, libc: Libc): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = conf.search.map((d) => `${name}.${d}`);
  if (dots >= conf.ndots) return libc === 'glibc' ? [name, ...searched] : [name];
  return [...searched, name];
}

/** The addresses /etc/hosts gives `name` (`text`: the file), in the file's order; undefined for none. */
export function hostsLookup(text: string, name: string): string[] | undefined {
  const wanted = name.toLowerCase().replace(/\.$/, '');
  const found = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .filter((fields) => fields.length > 1 && fields.slice(1).some((n) => n.toLowerCase() === wanted))
    .map((fields) => fields[0]!);
  return found.length ? found : undefined;
}

/** What a lookup comes to: getaddrinfo's addresses, or its error. */
export type Lookup =
  | { readonly kind: 'found'; readonly addresses: readonly string[]; readonly canonical: string }
  /** EAI_NONAME: no such name (NXDOMAIN or no address, everywhere it was looked for). */
  | { readonly kind: 'notfound' }
  /** EAI_AGAIN: no answer (a timeout, a refusal, SERVFAIL). */
  | { readonly kind: 'again' };

/** What the resolver needs of the process it runs in. */
export interface ResolverEnv {
  readonly libc: Libc;
  /** A file of the process's root (/etc/hosts, /etc/resolv.conf), or undefined when there is none. */
  readFile(path: string): string | undefined;
  /** A new UDP socket of the process. */
  udpSocket(): UdpSocket;
  now(): number;
  readonly rng: SeededRng;
}

export interface LookupOptions {
  /** AF_INET (A only) or AF_UNSPEC (A and AAAA). */
  family?: 'inet' | 'unspec';
}

/** One name's answer from the nameservers. */
type Answer = { kind: 'found'; addresses: string[]; canonical: string } | { kind: 'nxdomain' | 'nodata' | 'servfail' | 'timeout' };

/** getaddrinfo(name): /etc/hosts, then DNS through resolv.conf. */
export async function getaddrinfo(name: string, env: ResolverEnv, options: LookupOptions = {}): Promise<Lookup> {
  const hosts = env.readFile('/etc/hosts');
  const local = hosts === undefined ? undefined : hostsLookup(hosts, name);
  if (local) return { kind: 'found', addresses: local, canonical: name };
  const conf = parseResolvConf(env.readFile('/etc/resolv.conf'));
  const types = options.family === 'unspec' ? [TYPE.A, TYPE.AAAA] : [TYPE.A];
  let servfail = false;
  for (const candidate of searchList(name, conf, env.libc)) {
    const answer = await queryName(candidate, types, conf, env);
    if (answer.kind === 'found') return answer;
    if (answer.kind === 'timeout') return { kind: 'again' };
    if (answer.kind === 'servfail') {
      if (env.libc === 'musl') return { kind: 'again' };
      servfail = true;
    }
  }
  return servfail ? { kind: 'again' } : { kind: 'notfound' };
}

/** The resolver's environment for `process` on `host`: its root's files, its network namespace. */
export function resolverFor(host: Host, process: Process): ResolverEnv {
  const vfs = host.vfsFor(process);
  const readFile = (path: string) => {
    try {
      return vfs.readFile(path);
    } catch {
      return undefined;
    }
  };
  return {
    libc: libcOf(() => vfs.readdir('/lib').map((e) => e.name)),
    readFile,
    udpSocket: () => host.udp.socketFor(process),
    now: () => host.clock.now(),
    rng: host.rng.fork(`resolver ${process.hostPid} ${host.clock.now()}`),
  };
}

/** musl when the root has its dynamic loader (/lib/ld-musl-<arch>.so.1), else glibc. */
function libcOf(libDir: () => string[]): Libc {
  try {
    return libDir().some((name) => name.startsWith('ld-musl-')) ? 'musl' : 'glibc';
  } catch {
    return 'glibc';
  }
}

/** Ask the nameservers about one name (its A, and AAAA, queries together). */
async function queryName(name: string, types: readonly number[], conf: ResolvConf, env: ResolverEnv): Promise<Answer> {
  const queries = types.map((type) => buildQuery(env.rng.int(65536), name, type));
  const replies = env.libc === 'glibc' ? await exchangeInTurn(queries, conf, env) : await exchangeAtOnce(queries, conf, env);
  if (!replies) return { kind: 'timeout' };
  return interpret(replies);
}

/** glibc's res_send: each nameserver in turn, `timeout` seconds each, `attempts` rounds. */
async function exchangeInTurn(queries: readonly DnsMessage[], conf: ResolvConf, env: ResolverEnv): Promise<DnsMessage[] | undefined> {
  for (let attempt = 0; attempt < conf.attempts; attempt++) {
    for (const server of conf.nameservers) {
      const socket = env.udpSocket();
      try {
        socket.connect({ address: server, port: DNS_PORT });
        for (const q of queries) socket.send(encodeMessage(q));
        const replies = await collect(socket, queries, env.now() + conf.timeout * 1000, env);
        if (replies) return replies;
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
      } finally {
        socket.close();
      }
    }
  }
  return undefined;
}

/** musl's __res_msend: every nameserver at once, again each retry interval, `timeout` seconds in all. */
async function exchangeAtOnce(queries: readonly DnsMessage[], conf: ResolvConf, env: ResolverEnv): Promise<DnsMessage[] | undefined> {
  const socket = env.udpSocket();
  const answers = new Map<number, DnsMessage>();
  const retry = Math.max(1, Math.floor((conf.timeout * 1000) / Math.max(conf.attempts, 1)));
  const deadline = env.now() + conf.timeout * 1000;
  const sendAll = (q: DnsMessage) => {
    for (const server of conf.nameservers) {
      try {
        socket.send(encodeMessage(q), { address: server, port: DNS_PORT });
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
      }
    }
  };
  try {
    socket.bind('0.0.0.0', 0);
    while (env.now() < deadline && answers.size < queries.length) {
      for (const q of queries) if (!answers.has(q.id)) sendAll(q);
      const roundEnd = Math.min(deadline, env.now() + retry);
      while (env.now() < roundEnd && answers.size < queries.length) {
        const datagram = await recvUntil(socket, roundEnd, env);
        if (!datagram) break;
        const reply = matching(datagram, queries, conf.nameservers);
        if (!reply || answers.has(reply.id)) continue;
        const rcode = reply.flags.rcode;
        if (rcode === RCODE.NOERROR || rcode === RCODE.NXDOMAIN) answers.set(reply.id, reply);
        else if (rcode === RCODE.SERVFAIL) sendAll(queries.find((q) => q.id === reply.id)!);
      }
    }
  } finally {
    socket.close();
  }
  return answers.size === queries.length ? queries.map((q) => answers.get(q.id)!) : undefined;
}

/** Replies to every query from the socket's peer, or undefined at `deadline` (or on a refusal). */
async function collect(socket: UdpSocket, queries: readonly DnsMessage[], deadline: number, env: ResolverEnv): Promise<DnsMessage[] | undefined> {
  const got = new Map<number, DnsMessage>();
  while (got.size < queries.length) {
    const datagram = await recvUntil(socket, deadline, env);
    if (!datagram) return undefined;
    const reply = matching(datagram, queries, undefined);
    if (reply) got.set(reply.id, reply);
  }
  return queries.map((q) => got.get(q.id)!);
}

/** The next datagram before `deadline`; undefined when the time is up. ECONNREFUSED passes through. */
async function recvUntil(socket: UdpSocket, deadline: number, env: ResolverEnv): Promise<Datagram | undefined> {
  const left = deadline - env.now();
  if (left <= 0) return undefined;
  try {
    return await socket.recv({ timeoutMs: left });
  } catch (error) {
    if (error instanceof KernelError && error.code === 'EAGAIN') return undefined;
    throw error;
  }
}

/** The reply a datagram is to one of `queries` (same id and question, from a nameserver), if it is. */
function matching(datagram: Datagram, queries: readonly DnsMessage[], servers: readonly string[] | undefined): DnsMessage | undefined {
  if (servers && !(datagram.from.port === DNS_PORT && servers.includes(datagram.from.address))) return undefined;
  let reply: DnsMessage;
  try {
    reply = decodeMessage(datagram.data);
  } catch {
    return undefined;
  }
  const query = queries.find((q) => q.id === reply.id);
  if (!query || !reply.flags.qr) return undefined;
  const [asked, answered] = [query.questions[0]!, reply.questions[0]];
  if (!answered || answered.name.toLowerCase() !== asked.name.toLowerCase() || answered.type !== asked.type) return undefined;
  return reply;
}

/** What the replies to one name's queries say. */
function interpret(replies: readonly DnsMessage[]): Answer {
  const addresses: string[] = [];
  let canonical = replies[0]!.questions[0]!.name.replace(/\.$/, '');
  for (const reply of replies) {
    for (const rr of reply.answers) {
      if ((rr.data.kind === 'A' || rr.data.kind === 'AAAA') && (rr.type === TYPE.A || rr.type === TYPE.AAAA)) {
        addresses.push(rr.data.address);
        canonical = rr.name.replace(/\.$/, '');
      }
    }
  }
  if (addresses.length) return { kind: 'found', addresses, canonical };
  const rcodes = replies.map((r) => r.flags.rcode);
  if (rcodes.some((r) => r !== RCODE.NOERROR && r !== RCODE.NXDOMAIN)) return { kind: 'servfail' };
  return rcodes.includes(RCODE.NXDOMAIN) ? { kind: 'nxdomain' } : { kind: 'nodata' };
}
