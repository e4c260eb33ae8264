/**
 * One CoreDNS server (core/dnsserver): a query's way through the plugin chain of its server block, in
 * plugin.cfg order — errors, loadbalance, cache, kubernetes, loop, forward — to the reply, counted in
 * the prometheus plugin's metrics. `handleQuery(bytes)` is the transport-free core: TCP (RFC 1035
 * §4.2.2 framing, in coreDns.ts) feeds it now, a UDP listener can feed it the same bytes.
 *
 * - errors: a plugin's error is logged `[ERROR] plugin/errors: 2 example.com. A: <error>`.
 * - loadbalance: round_robin shuffles the A/AAAA records of an answer.
 * - cache: positive answers (capped at the `success` TTL), NXDOMAIN/NODATA (capped at `denial`) and
 *   SERVFAIL (5s), each keyed by name, type and DO bit; `disable success|denial ZONES` skips zones;
 *   served entries count their TTL down.
 * - loop: its probe (`<random>.<random>. HINFO`, sent by coreDns.ts) passes on to forward; with no
 *   upstream answering, no probe can come back, so no loop is ever detected here.
 * - forward: the upstreams of `forward . /etc/resolv.conf` (the node's resolver), in turn, each over a
 *   new UDP socket (kernel/net/udp.ts) with a new query id: the upstream's answer is the reply. A try
 *   that hears nothing in 2s is followed by the next until 5s have passed, then the reply is SERVFAIL
 *   with `read udp <pod ip>:<port>-><upstream>:53: i/o timeout`; an ICMP port unreachable ends it at
 *   once with `read: connection refused`.
 * A malformed query gets FORMERR; an opcode other than QUERY, NOTIMP.
 *
 * Left out: forward's retry over TCP of a truncated answer, its connection reuse, its health checks and `max_concurrent` refusals, cache
 * prefetch and serve_stale, the log plugin and the other plugins of plugin.cfg.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { SockAddr } from '../../kernel/net/socket.ts';
import type { UdpSocket } from '../../kernel/net/udp.ts';
import { CLASS_IN, DnsFormatError, RCODE, TYPE, decodeMessage, encodeMessage, flags, rcodeName, typeName, type DnsMessage, type ResourceRecord } from './dnsMessage.ts';
import type { Kubernetes } from './kubernetes.ts';
import type { Metrics } from './metrics.ts';

/** The upstream read timeout of forward's proxies, and how long forward keeps trying. */
export const FORWARD_READ_TIMEOUT_MS = 2000;
export const FORWARD_DEADLINE_MS = 5000;
/** The cache's `servfail` duration by default. */
const SERVFAIL_TTL_S = 5;
/** Types the metrics name; every other is `other` (plugin/metrics/vars/monitor.go). */
const MONITORED = new Set(['A', 'AAAA', 'MX', 'SOA', 'CNAME', 'PTR', 'TXT', 'NS', 'SRV', 'DS', 'DNSKEY', 'RRSIG', 'NSEC', 'NSEC3', 'HTTPS', 'IXFR', 'AXFR', 'ANY']);

export interface CacheConfig {
  successCap: number;
  denialCap: number;
  disableSuccess: string[];
  disableDenial: string[];
}

export interface ServerConfig {
  /** `dns://:53`, the metrics' server label. */
  address: string;
  /** The block's zone (`.`). */
  zone: string;
  errors: boolean;
  loadbalance: boolean;
  cache: CacheConfig | undefined;
  kubernetes: Kubernetes | undefined;
  /** forward's FROM zone and upstreams (`10.0.0.1:53`). */
  forward: { from: string; to: string[] } | undefined;
}

export interface ServerEnv {
  now: () => number;
  after: (ms: number, fn: () => void) => void;
  rng: SeededRng;
  metrics: Metrics;
  log: (line: string) => void;
  /** The address the process sends from (its pod IP). */
  localIP: () => string;
  /** A new UDP socket of the process, for forward's exchanges with its upstreams. */
  udpSocket: () => UdpSocket;
}

interface Reply {
  message: DnsMessage;
  /** Who wrote it, for coredns_dns_responses_total. */
  plugin: string;
  error?: string;
}

interface CacheItem {
  message: DnsMessage;
  storedAt: number;
  ttl: number;
  kind: 'success' | 'denial';
}

export class DnsServer {
  private readonly cache = new Map<string, CacheItem>();
  /** The loop plugin's probe name. */
  private loopProbe: string | undefined;
  constructor(
    readonly config: ServerConfig,
    private readonly env: ServerEnv,
  ) {}

  /** Answer one query's bytes (a reply always comes, FORMERR for what cannot be read). */
  async handleQuery(bytes: Uint8Array, proto: 'tcp' | 'udp' = 'tcp'): Promise<Uint8Array> {
    let query: DnsMessage;
    try {
      query = decodeMessage(bytes);
    } catch (error) {
      if (!(error instanceof DnsFormatError)) throw error;
      const id = bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : 0;
      return encodeMessage({ id, flags: flags({ qr: true, rcode: RCODE.FORMERR }), questions: [], answers: [], authority: [], additional: [] });
    }
    const reply = await this.serve(query, proto);
    return encodeMessage(reply);
  }

  /** The reply to a decoded query. */
  async serve(query: DnsMessage, proto: 'tcp' | 'udp' = 'tcp'): Promise<DnsMessage> {
    const q = query.questions[0];
    const opt = query.additional.find((r) => r.type === TYPE.OPT);
    const labels = { family: '1', proto, server: this.config.address, view: '', zone: this.config.zone };
    if (!q || query.questions.length !== 1 || query.flags.opcode !== 0) {
      const rcode = q && query.flags.opcode !== 0 ? RCODE.NOTIMP : RCODE.FORMERR;
      return this.finish(query, { message: this.errorReply(query, rcode), plugin: '' }, opt);
    }
    const type = typeName(q.type);
    this.env.metrics.add('coredns_dns_requests_total', { ...labels, type: MONITORED.has(type) ? type : 'other' });
    if (opt && (opt.ttl & 0x8000) !== 0) this.env.metrics.add('coredns_dns_do_requests_total', labels);
    const reply = await this.errorsPlugin(query);
    return this.finish(query, reply, opt);
  }

  /** The server's last steps: the OPT echoed, the response counted. */
  private finish(query: DnsMessage, reply: Reply, opt: ResourceRecord | undefined): DnsMessage {
    const message = reply.message;
    if (opt) message.additional = [...message.additional.filter((r) => r.type !== TYPE.OPT), { name: '.', type: TYPE.OPT, class: Math.max(opt.class, 512), ttl: opt.ttl & 0x8000, data: { kind: 'OPT' } }];
    if (query.questions.length === 1) this.env.metrics.add('coredns_dns_responses_total', { plugin: reply.plugin, rcode: rcodeName(message.flags.rcode), server: this.config.address, view: '', zone: this.config.zone });
    return message;
  }

  private async errorsPlugin(query: DnsMessage): Promise<Reply> {
    const reply = await this.loadbalancePlugin(query);
    if (reply.error !== undefined && this.config.errors) {
      const q = query.questions[0]!;
      this.env.log(`[ERROR] plugin/errors: ${reply.message.flags.rcode} ${q.name} ${typeName(q.type)}: ${reply.error}`);
    }
    return reply;
  }

  private async loadbalancePlugin(query: DnsMessage): Promise<Reply> {
    const reply = await this.cachePlugin(query);
    if (!this.config.loadbalance) return reply;
    const answers = reply.message.answers;
    const addresses = answers.filter((r) => r.type === TYPE.A || r.type === TYPE.AAAA);
    if (addresses.length < 2) return reply;
    for (let i = addresses.length - 1; i > 0; i--) {
      const j = this.env.rng.int(i + 1);
      [addresses[i], addresses[j]] = [addresses[j]!, addresses[i]!];
    }
    reply.message.answers = [...answers.filter((r) => r.type !== TYPE.A && r.type !== TYPE.AAAA), ...addresses];
    return reply;
  }

  private async cachePlugin(query: DnsMessage): Promise<Reply> {
    const config = this.config.cache;
    if (!config) return this.kubernetesPlugin(query);
    const q = query.questions[0]!;
    const opt = query.additional.find((r) => r.type === TYPE.OPT);
    const key = `${q.name.toLowerCase()}/${q.type}/${opt && opt.ttl & 0x8000 ? 1 : 0}`;
    const zones = '.';
    const labels = { server: this.config.address, view: '', zones };
    this.env.metrics.add('coredns_cache_requests_total', labels);
    const now = this.env.now();
    const hit = this.cache.get(key);
    if (hit && now < hit.storedAt + hit.ttl * 1000) {
      this.env.metrics.add('coredns_cache_hits_total', { ...labels, type: hit.kind });
      const age = Math.floor((now - hit.storedAt) / 1000);
      const age1 = (rr: ResourceRecord): ResourceRecord => (rr.type === TYPE.OPT ? rr : { ...rr, ttl: Math.max(rr.ttl - age, 0) });
      const m = hit.message;
      return { plugin: 'cache', message: { ...m, id: query.id, flags: { ...m.flags, rd: query.flags.rd }, questions: query.questions, answers: m.answers.map(age1), authority: m.authority.map(age1), additional: m.additional.map(age1) } };
    }
    if (hit) this.cache.delete(key);
    this.env.metrics.add('coredns_cache_misses_total', labels);
    const reply = await this.kubernetesPlugin(query);
    this.store(key, q.name.toLowerCase(), reply.message, config);
    this.updateCacheGauges();
    return reply;
  }

  private store(key: string, name: string, m: DnsMessage, config: CacheConfig): void {
    const inZones = (zones: string[]) => zones.some((z) => z === '.' || name === z || name.endsWith(`.${z}`));
    const rcode = m.flags.rcode;
    const soaMin = () => {
      const soa = m.authority.find((r) => r.type === TYPE.SOA);
      return soa && soa.data.kind === 'SOA' ? Math.min(soa.ttl, soa.data.minimum) : undefined;
    };
    let item: CacheItem | undefined;
    if (rcode === RCODE.NOERROR && m.answers.length > 0) {
      if (inZones(config.disableSuccess)) return;
      item = { message: m, storedAt: this.env.now(), ttl: Math.min(config.successCap, ...m.answers.map((r) => r.ttl)), kind: 'success' };
    } else if (rcode === RCODE.NXDOMAIN || rcode === RCODE.NOERROR) {
      if (inZones(config.disableDenial)) return;
      const ttl = soaMin();
      if (ttl === undefined) return;
      item = { message: m, storedAt: this.env.now(), ttl: Math.min(config.denialCap, ttl), kind: 'denial' };
    } else if (rcode === RCODE.SERVFAIL) {
      item = { message: m, storedAt: this.env.now(), ttl: SERVFAIL_TTL_S, kind: 'denial' };
    }
    if (item && item.ttl > 0) this.cache.set(key, structuredClone(item));
  }

  /** coredns_cache_entries, with expired entries dropped. */
  updateCacheGauges(): void {
    if (!this.config.cache) return;
    const now = this.env.now();
    const counts = { success: 0, denial: 0 };
    for (const [key, item] of this.cache) {
      if (now >= item.storedAt + item.ttl * 1000) this.cache.delete(key);
      else counts[item.kind]++;
    }
    for (const type of ['denial', 'success'] as const) this.env.metrics.set('coredns_cache_entries', { server: this.config.address, type, view: '', zones: '.' }, counts[type]);
  }

  private async kubernetesPlugin(query: DnsMessage): Promise<Reply> {
    const k = this.config.kubernetes;
    const q = query.questions[0]!;
    if (k) {
      const answer = k.serve(q.name, q.type);
      if (!answer.next) {
        const message = this.reply(query, answer.rcode, { aa: true });
        message.answers = answer.answers;
        message.authority = answer.authority;
        message.additional = answer.additional;
        return { message, plugin: 'kubernetes' };
      }
    }
    return this.forwardPlugin(query);
  }

  private forwardPlugin(query: DnsMessage): Promise<Reply> {
    const f = this.config.forward;
    const q = query.questions[0]!;
    const name = q.name.toLowerCase();
    if (!f || !(f.from === '.' || name === f.from || name.endsWith(`.${f.from}`))) {
      // The end of the chain: plugin.NextOrFailure's SERVFAIL.
      return Promise.resolve({ message: this.errorReply(query, RCODE.SERVFAIL), plugin: '', error: `plugin/${f ? 'forward' : 'kubernetes'}: no next plugin found` });
    }
    const start = this.env.now();
    const attempt = async (i: number): Promise<Reply> => {
      const to = f.to[i % f.to.length]!;
      const upstream = hostPort(to);
      const socket = this.env.udpSocket();
      let local: string | undefined;
      try {
        socket.connect(upstream);
        socket.send(encodeMessage({ ...query, id: this.env.rng.int(65536) }));
        local = `${this.env.localIP()}:${socket.local!.port}`;
        for (;;) {
          const datagram = await socket.recv({ timeoutMs: FORWARD_READ_TIMEOUT_MS });
          let answer: DnsMessage;
          try {
            answer = decodeMessage(datagram.data);
          } catch (error) {
            if (!(error instanceof DnsFormatError)) throw error;
            continue;
          }
          if (!answer.flags.qr || answer.questions[0]?.name.toLowerCase() !== name) continue;
          return { message: { ...answer, id: query.id }, plugin: 'forward' };
        }
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        const cause = error.code === 'EAGAIN' ? 'i/o timeout' : `read: ${error.describe.toLowerCase()}`;
        const message = local === undefined ? `dial udp ${to}: connect: ${error.describe.toLowerCase()}` : `read udp ${local}->${to}: ${cause}`;
        const another = error.code === 'EAGAIN' ? this.env.now() < start + FORWARD_DEADLINE_MS : i + 1 < f.to.length;
        if (another) return attempt(i + 1);
        return { message: this.errorReply(query, RCODE.SERVFAIL), plugin: '', error: message };
      } finally {
        socket.close();
      }
    };
    return attempt(0);
  }

  /** The loop plugin's probe name (two random 63-bit numbers), which the caller sends through `serve`. */
  loopProbeName(): string {
    if (!this.loopProbe) {
      const n = () => String(BigInt(this.env.rng.int(2 ** 31)) * 4294967296n + BigInt(this.env.rng.int(2 ** 32)));
      this.loopProbe = `${n()}.${n()}.`;
    }
    return this.loopProbe;
  }

  /** SetReply: the id, opcode, RD and question of the query. */
  private reply(query: DnsMessage, rcode: number, set: { aa?: boolean } = {}): DnsMessage {
    return { id: query.id, flags: flags({ qr: true, opcode: query.flags.opcode, rd: query.flags.rd, cd: query.flags.cd, aa: set.aa ?? false, rcode }), questions: query.questions.map((x) => ({ ...x, class: x.class || CLASS_IN })), answers: [], authority: [], additional: [] };
  }

  /** The server's own answer when a plugin returns an error code without writing. */
  private errorReply(query: DnsMessage, rcode: number): DnsMessage {
    return this.reply(query, rcode);
  }
}

/** `10.0.0.1:53` as an address and port (forward's upstreams always carry the port). */
function hostPort(address: string): SockAddr {
  const colon = address.lastIndexOf(':');
  return { address: address.slice(0, colon), port: Number(address.slice(colon + 1)) };
}
