/**
 * coredns — CoreDNS 1.11.3 as registry.k8s.io/coredns/coredns:v1.11.3 runs it (`/coredns -conf
 * /etc/coredns/Corefile`): Go's flag parsing of -conf, -dns.port/-p, -pidfile, -plugins, -quiet and
 * -version (an unknown flag is the flag package's error and usage on stderr, exit 2), the Corefile read
 * and set up (a parse or setup error is printed on stderr, exit 1), then Caddy's startup in plugin
 * order: ready listens on :8181, health on :8080, prometheus on :9153, the kubernetes plugin starts its
 * informers and holds the start for up to 5s — `[INFO] plugin/kubernetes: waiting for Kubernetes API
 * before starting server` every 500ms, then `[WARNING] plugin/kubernetes: starting server with unsynced
 * Kubernetes API` — and the DNS servers listen. It prints `.:53`, the reload plugin's `[INFO]
 * plugin/reload: Running configuration SHA512 = <sha512 of the Corefile>` and the version lines, and the
 * loop plugin probes itself with a HINFO query every 3s (until one is answered within 2s, for 30s).
 * The reload plugin re-reads the Corefile every 30s (± up to 7.5s of jitter, drawn once): a changed one
 * logs `[INFO] Reloading`, replaces the running instance (listeners, informers, caches) with one set up
 * from it, and logs its SHA512 and `[INFO] Reloading complete`; one that does not parse logs `[ERROR]
 * Restart failed: …` and `[ERROR] plugin/reload: Corefile changed but reload failed: …` and the old one
 * keeps running.
 *
 * HTTP (kernel/net/http1.ts): GET /health is 200 `OK`; /ready is 200 `OK` once every plugin that
 * reports readiness (kubernetes, when its informers have synced) is ready, else 503 with their names
 * and `[INFO] plugin/ready: Still waiting on: "kubernetes"`; /metrics is the registry (metrics.ts);
 * other paths are Go's ServeMux 404. DNS is served by server.ts over TCP (RFC 1035 §4.2.2) and UDP on
 * each server's port: a UDP reply larger than the client can take (512 bytes, or its EDNS0 payload
 * size) is truncated with the TC bit, as CoreDNS's ScrubWriter does.
 *
 * Signals, as Caddy traps them: SIGTERM logs `[INFO] SIGTERM: Shutting down servers then terminating`,
 * ready stops at once, health goes into lameduck (`[INFO] plugin/health: Going into lameduck mode for
 * 5s`) while it and DNS keep answering, then the servers stop and the process exits 0. SIGINT logs
 * `[INFO] SIGINT: Shutting down` and does the same (a second one: `[INFO] SIGINT: Force quit`, exit 2);
 * SIGQUIT quits at once.
 *
 * Server blocks on one port share its listener; a query goes to the block whose zone matches it longest
 * (REFUSED when none does).
 *
 * Left out: SIGUSR1 reloads, -pidfile's file,
 * and the plugins of plugin.cfg not named above (accepted in a Corefile, without effect — so the
 * default whoami server of a run without a Corefile answers SERVFAIL).
 */
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { ApiTransportFactory } from '../../client/rest/apiTransport.ts';
import { KernelError } from '../../kernel/errno.ts';
import type { Host } from '../../kernel/host.ts';
import { serveHttp, type HttpRequest, type HttpResponse } from '../../kernel/net/http1.ts';
import type { ListenSocket, TcpSocket } from '../../kernel/net/socket.ts';
import { tcpOf } from '../../kernel/net/tcp.ts';
import { udpOf, type UdpSocket } from '../../kernel/net/udp.ts';
import type { Program, ProgramContext } from '../../kernel/process/program.ts';
import { SIGINT, SIGQUIT, SIGTERM } from '../../kernel/process/signal.ts';
import { CorefileError, DIRECTIVES, parseCorefile } from './corefile.ts';
import { DnsFormatError, MIN_UDP_SIZE, RCODE, TYPE, TcpFrameReader, buildQuery, decodeMessage, encodeMessage, frameTcp, packTruncated } from './dnsMessage.ts';
import { Kubernetes } from './kubernetes.ts';
import { Metrics } from './metrics.ts';
import { DnsServer } from './server.ts';
import { PluginError, formatGoDuration, setupBlock, type BlockSetup } from './setup.ts';

export const COREDNS_VERSION = '1.11.3';
/** releaseString of the image's build: `<os>/<arch>, <go version>, <commit>`. */
export const COREDNS_RELEASE = 'linux/amd64, go1.21.11, a6338e9';
/** client-go's default User-Agent for a binary built without version stamps. */
const USER_AGENT = 'coredns/v0.0.0 (linux/amd64) kubernetes/$Format';
const TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';
/** The kubernetes plugin's start-up wait: its sync check, log and give-up periods. */
const SYNC_CHECK_MS = 100;
const WAIT_LOG_MS = 500;
const WAIT_TIMEOUT_MS = 5000;
/** The loop plugin's probing: exchange timeout, pause between tries, and how long it goes on. */
const LOOP_EXCHANGE_MS = 2000;
const LOOP_PAUSE_MS = 1000;
const LOOP_DEADLINE_MS = 30_000;

/** The flags of coremain, in the order PrintDefaults sorts them. */
const FLAGS: ReadonlyArray<{ name: string; kind: 'string' | 'bool'; usage: string; def?: string }> = [
  { name: 'conf', kind: 'string', usage: 'Corefile to load (default "Corefile")' },
  { name: 'dns.port', kind: 'string', usage: 'Default port', def: '53' },
  { name: 'p', kind: 'string', usage: 'Default port', def: '53' },
  { name: 'pidfile', kind: 'string', usage: 'Path to write pid file' },
  { name: 'plugins', kind: 'bool', usage: 'List installed plugins' },
  { name: 'quiet', kind: 'bool', usage: 'Quiet mode (no initialization output)' },
  { name: 'version', kind: 'bool', usage: 'Show version' },
];

/** caddy.DescribePlugins for this build. */
function describePlugins(): string {
  const others = DIRECTIVES.map((d) => `dns.${d}`).sort();
  return `Server types:\n  dns\n\nCaddyfile loaders:\n  flag\n  default\n\nOther plugins:\n${others.map((o) => `  ${o}\n`).join('')}`;
}

/** Go's flag.PrintDefaults for FLAGS, under `Usage of <argv0>:`. */
function usage(argv0: string): string {
  const lines = FLAGS.map((f) => `  -${f.name}${f.kind === 'string' ? ' string' : ''}\n    \t${f.usage}${f.def ? ` (default "${f.def}")` : ''}\n`);
  return `Usage of ${argv0}:\n${lines.join('')}`;
}

type Parsed = { ok: true; values: Map<string, string>; rest: string[] } | { ok: false; error: string | undefined };

/** flag.Parse with ExitOnError: values by name, or the error (undefined for -h/-help). */
function parseFlags(args: readonly string[]): Parsed {
  const values = new Map<string, string>();
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg.length < 2 || arg[0] !== '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    const name0 = arg.slice(arg[1] === '-' ? 2 : 1);
    if (name0 === '' || name0[0] === '-' || name0[0] === '=') return { ok: false, error: `bad flag syntax: ${arg}` };
    i++;
    const eq = name0.indexOf('=');
    const name = eq >= 0 ? name0.slice(0, eq) : name0;
    const flag = FLAGS.find((f) => f.name === name);
    if (!flag) {
      if (name === 'help' || name === 'h') return { ok: false, error: undefined };
      return { ok: false, error: `flag provided but not defined: -${name}` };
    }
    if (flag.kind === 'bool') {
      const v = eq >= 0 ? name0.slice(eq + 1) : 'true';
      const b = ({ '1': 'true', t: 'true', T: 'true', TRUE: 'true', true: 'true', True: 'true', '0': 'false', f: 'false', F: 'false', FALSE: 'false', false: 'false', False: 'false' } as Record<string, string>)[v];
      if (!b) return { ok: false, error: `invalid boolean value "${v}" for -${name}: parse error` };
      values.set(name, b);
      continue;
    }
    if (eq >= 0) values.set(name, name0.slice(eq + 1));
    else if (i < args.length) values.set(name, args[i++]!);
    else return { ok: false, error: `flag needs an argument: -${name}` };
  }
  return { ok: true, values, rest: args.slice(i) as string[] };
}

/** `:8080` → 0.0.0.0:8080; `localhost:9153` → 127.0.0.1:9153. */
function hostPort(address: string): { address: string; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon);
  return { address: host === '' ? '0.0.0.0' : host === 'localhost' ? '127.0.0.1' : host, port: Number(address.slice(colon + 1)) };
}

/** The lower-cased name of a query's first question, if it can be read. */
function questionName(bytes: Uint8Array): string | undefined {
  try {
    return decodeMessage(bytes).questions[0]?.name.toLowerCase();
  } catch (error) {
    if (error instanceof DnsFormatError) return undefined;
    throw error;
  }
}

/** The server's answer to a query for a zone no server block serves. */
function refused(bytes: Uint8Array): Uint8Array {
  const query = decodeMessage(bytes);
  return encodeMessage({ id: query.id, flags: { ...query.flags, qr: true, aa: false, tc: false, ra: false, ad: false, rcode: RCODE.REFUSED }, questions: query.questions, answers: [], authority: [], additional: [] });
}

/**
 * A reply to a query that came over UDP, packed to the size the client can take (request.Size): 512
 * bytes, or the UDP payload size its EDNS0 OPT record advertises; a larger reply is truncated with TC.
 */
function truncateForUdp(query: Uint8Array, reply: Uint8Array): Uint8Array {
  let size = MIN_UDP_SIZE;
  try {
    const opt = decodeMessage(query).additional.find((r) => r.type === TYPE.OPT);
    if (opt) size = Math.max(opt.class, MIN_UDP_SIZE);
    return reply.length <= size ? reply : packTruncated(decodeMessage(reply), size);
  } catch (error) {
    if (!(error instanceof DnsFormatError)) throw error;
    return reply;
  }
}

/** A listener that could not bind, in Go's net.OpError words. */
class ListenError extends Error {}

/** Go's net/http answer with a text body. */
function textResponse(now: number, status: number, body: string): HttpResponse {
  return { status, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Date', new Date(now).toUTCString()]], body };
}

export class CoreDns implements Program {
  private sys!: ProgramContext;
  private readonly metrics = new Metrics();
  /** The running instance (Caddy's): its listeners, servers and kubernetes plugin; a reload replaces it. */
  private listeners: ListenSocket[] = [];
  /** The DNS servers' UDP sockets, one per port. */
  private udpSockets: UdpSocket[] = [];
  private servers: DnsServer[] = [];
  private kubernetes: Kubernetes | undefined;
  private setups: BlockSetup[] = [];
  /** Bumped when an instance stops: callbacks of an older one do nothing. */
  private generation = 0;
  /** ready's `done`: serving, until its shutdown. */
  private readyServing = false;
  /** The ready list forgets a plugin once it has been ready. */
  private readyOnce = false;
  private shuttingDown: 'SIGTERM' | 'SIGINT' | undefined;
  private file = 'Corefile';
  private portFlag = '53';
  private quiet = false;
  /** The SHA512 of the Corefile running, as the reload plugin compares it. */
  private corefileHash = '';

  constructor(
    private readonly host: Host,
    private readonly apiTransport: ApiTransportFactory,
  ) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    const argv0 = process.argv[0] ?? 'coredns';
    const parsed = parseFlags(process.argv.slice(1));
    if (!parsed.ok) {
      process.stdio.stderr.write(`${parsed.error !== undefined ? `${parsed.error}\n` : ''}${usage(argv0)}`);
      return sys.exit(parsed.error === undefined ? 0 : 2);
    }
    const flags = parsed.values;
    if (parsed.rest.length > 0) return this.fatal(`extra command line arguments: [${parsed.rest.join(' ')}]`);
    if (flags.get('version') === 'true') {
      process.stdio.stdout.write(`CoreDNS-${COREDNS_VERSION}\n${COREDNS_RELEASE}\n`);
      return sys.exit(0);
    }
    if (flags.get('plugins') === 'true') {
      process.stdio.stdout.write(`${describePlugins()}\n`);
      return sys.exit(0);
    }
    const conf = flags.get('conf') ?? '';
    this.file = conf === '' ? 'Corefile' : conf;
    this.portFlag = flags.get('dns.port') ?? flags.get('p') ?? '53';
    this.quiet = flags.get('quiet') === 'true';
    if (!/^\d+$/.test(this.portFlag)) return this.fatal(`invalid port '${this.portFlag}'`);
    let text: string;
    try {
      text = this.host.vfsFor(process).readFile(this.file);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      if (conf !== '' || error.code !== 'ENOENT') return this.fatal(`open ${this.file}: ${error.describe.toLowerCase()}`);
      // Caddy's default input for the dns server type.
      text = `.:${this.portFlag}\nwhoami\n`;
    }
    try {
      this.setups = this.load(text);
    } catch (error) {
      if (error instanceof CorefileError || error instanceof PluginError) return this.fatal(error.message);
      throw error;
    }
    sys.sigaction(SIGTERM, () => this.shutdown('SIGTERM'));
    sys.sigaction(SIGINT, () => this.shutdown('SIGINT'));
    sys.sigaction(SIGQUIT, () => {
      this.log('[INFO] SIGQUIT: Quitting process immediately');
      sys.exit(0);
    });
    sys.setRunState('S');
    const failure = this.startUp(text, true);
    if (failure) this.fatal(failure);
  }

  /** Parse a Corefile and run its setups; CorefileError or PluginError on failure. */
  private load(text: string): BlockSetup[] {
    const readFile = (path: string) => {
      try {
        return this.host.vfsFor(this.sys.process).readFile(path);
      } catch (error) {
        if (error instanceof KernelError) return undefined;
        throw error;
      }
    };
    const setups = parseCorefile(this.file, text).map((b) => setupBlock(this.file, b, Number(this.portFlag), { readFile }, DIRECTIVES));
    if (setups.length === 0) throw new PluginError('no server blocks');
    return setups;
  }

  /** mustLogFatal: the error on stderr, exit 1. */
  private fatal(message: string): void {
    this.sys.process.stdio.stderr.write(`${message}\n`);
    this.sys.exit(1);
  }

  private log(line: string): void {
    this.sys.process.stdio.stdout.write(`${line}\n`);
  }

  /**
   * An instance's start: the OnStartup callbacks in plugin order, then (once the kubernetes plugin lets
   * it) the servers. Returns what failed, if something did.
   */
  private startUp(corefile: string, first: boolean, onStarted?: () => void): string | undefined {
    const { process } = this.sys;
    this.corefileHash = bytesToHex(sha512(new TextEncoder().encode(corefile)));
    try {
      const ready = this.setups.find((s) => s.ready)?.ready;
      if (ready) this.listenHttp(ready.address, (r) => this.serveReady(r));
      this.readyServing = ready !== undefined;
      for (const address of new Set(this.setups.flatMap((s) => (s.health ? [s.health.address] : [])))) this.listenHttp(address, (r) => (r.target.split('?')[0] === '/health' ? textResponse(this.sys.now(), 200, 'OK') : undefined));
      for (const address of new Set(this.setups.flatMap((s) => (s.prometheus ? [s.prometheus.address] : [])))) {
        this.listenHttp(address, (r) => {
          if (r.target.split('?')[0] !== '/metrics') return undefined;
          for (const s of this.servers) s.updateCacheGauges();
          return { status: 200, headers: [['Content-Type', 'text/plain; version=0.0.4; charset=utf-8'], ['Date', new Date(this.sys.now()).toUTCString()]], body: this.metrics.expose() };
        });
        this.metrics.set('coredns_build_info', { goversion: 'go1.21.11', revision: 'a6338e9', version: COREDNS_VERSION }, 1);
      }
    } catch (error) {
      if (error instanceof ListenError) return error.message;
      throw error;
    }
    const k8s = this.setups.find((s) => s.kubernetes);
    if (!k8s?.kubernetes) {
      this.startServers(corefile, first, onStarted);
      return undefined;
    }
    const env = new Map(process.environ.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const host = env.get('KUBERNETES_SERVICE_HOST');
    const port = env.get('KUBERNETES_SERVICE_PORT');
    if (!host || !port) return 'plugin/kubernetes: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined';
    const vfs = this.host.vfsFor(process);
    let token: string;
    try {
      token = vfs.readFile(TOKEN_FILE);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      return `plugin/kubernetes: open ${TOKEN_FILE}: ${error.describe.toLowerCase()}`;
    }
    const transport = this.apiTransport(process, { address: host, port: Number(port) }, {
      token: () => {
        try {
          token = vfs.readFile(TOKEN_FILE);
        } catch (error) {
          if (!(error instanceof KernelError)) throw error;
        }
        return token.trim();
      },
      userAgent: USER_AGENT,
    });
    const kubernetes = new Kubernetes(k8s.kubernetes, {
      clock: this.host.clock,
      rng: this.host.rng.fork(`coredns ${process.hostPid} ${this.generation}`),
      transport,
      server: `${host}:${port}`,
      localIPs: () => this.localIPs(),
      log: (line) => this.log(line),
    });
    this.kubernetes = kubernetes;
    kubernetes.run();
    const generation = this.generation;
    const startedAt = this.sys.now();
    const check = this.sys.every(SYNC_CHECK_MS, () => {
      if (generation !== this.generation) return check.cancel();
      const waited = this.sys.now() - startedAt;
      if (kubernetes.hasSynced()) {
        check.cancel();
        this.startServers(corefile, first, onStarted);
        return;
      }
      if (waited >= WAIT_TIMEOUT_MS) {
        check.cancel();
        this.log('[WARNING] plugin/kubernetes: starting server with unsynced Kubernetes API');
        this.startServers(corefile, first, onStarted);
        return;
      }
      if (waited % WAIT_LOG_MS === 0) this.log('[INFO] plugin/kubernetes: waiting for Kubernetes API before starting server');
    }, 'coredns kubernetes onStart');
    return undefined;
  }

  /** The DNS servers listen; the start-up lines; the reload watch and the loop probes begin. */
  private startServers(corefile: string, first: boolean, onStarted?: () => void): void {
    if (this.shuttingDown) return;
    const rng = this.host.rng.fork(`coredns servers ${this.sys.process.hostPid} ${this.generation}`);
    for (const setup of this.setups) {
      const server = new DnsServer(
        {
          address: `dns://:${setup.port}`,
          zone: setup.zone,
          errors: setup.errors,
          loadbalance: setup.loadbalance,
          cache: setup.cache,
          kubernetes: setup.kubernetes ? this.kubernetes : undefined,
          forward: setup.forward,
        },
        { now: () => this.sys.now(), after: (ms, fn) => void this.sys.after(ms, fn, 'coredns forward'), rng: rng.fork(`${setup.zone}:${setup.port}`), metrics: this.metrics, log: (l) => this.log(l), localIP: () => this.localIPs()[0] ?? '127.0.0.1', udpSocket: () => udpOf(this.host).socketFor(this.sys.process) },
      );
      this.servers.push(server);
      const port = setup.port;
      let proto = 'tcp';
      try {
        if (!this.setups.slice(0, this.servers.length - 1).some((s) => s.port === port)) {
          this.listeners.push(tcpOf(this.host).listen(this.sys.process, '0.0.0.0', port, (socket) => this.serveDns(port, socket)));
          proto = 'udp';
          const socket = udpOf(this.host).socketFor(this.sys.process);
          socket.bind('0.0.0.0', port);
          this.udpSockets.push(socket);
          this.serveDnsUdp(port, socket);
        }
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
        const message = `listen ${proto} :${setup.port}: bind: ${error.describe.toLowerCase()}`;
        if (first) return this.fatal(message);
        this.log(`[ERROR] Restart failed: ${message}`);
        this.log(`[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${message}`);
        return;
      }
      if (setup.prometheus) {
        const handlers = setup.plugins.filter((p) => ['errors', 'loadbalance', 'cache', 'kubernetes', 'loop', 'forward', 'prometheus'].includes(p));
        for (const name of handlers) this.metrics.set('coredns_plugin_enabled', { name, server: `dns://:${setup.port}`, view: '', zone: setup.zone }, 1);
      }
      if (first && !this.quiet) this.log(`${setup.zone}:${setup.port}`);
    }
    const reload = this.setups.find((s) => s.reload)?.reload;
    if (reload) this.log(`[INFO] plugin/reload: Running configuration SHA512 = ${this.corefileHash}`);
    if (first && !this.quiet) this.log(`CoreDNS-${COREDNS_VERSION}\n${COREDNS_RELEASE}`);
    onStarted?.();
    if (reload) this.watchCorefile(reload);
    this.servers.forEach((server, i) => {
      if (this.setups[i]!.loop) this.probeLoop(server);
    });
  }

  /** The reload plugin: every interval (± jitter), a changed Corefile restarts the instance with it. */
  private watchCorefile(reload: { intervalMs: number; jitterMs: number }): void {
    const generation = this.generation;
    const rng = this.host.rng.fork(`coredns reload ${this.sys.process.hostPid} ${generation}`);
    const jitter = reload.jitterMs > 0 ? rng.int(reload.jitterMs) - Math.floor(reload.jitterMs / 2) : 0;
    const timer = this.sys.every(reload.intervalMs + jitter, () => {
      if (generation !== this.generation || this.shuttingDown) return timer.cancel();
      let text: string;
      try {
        text = this.host.vfsFor(this.sys.process).readFile(this.file);
      } catch (error) {
        if (error instanceof KernelError) return;
        throw error;
      }
      const hash = bytesToHex(sha512(new TextEncoder().encode(text)));
      if (hash === this.corefileHash) return;
      // Not tried again with the same file, even though it is wrong.
      this.corefileHash = hash;
      this.log('[INFO] Reloading');
      let setups: BlockSetup[];
      try {
        setups = this.load(text);
      } catch (error) {
        if (!(error instanceof CorefileError || error instanceof PluginError)) throw error;
        this.log(`[ERROR] Restart failed: ${error.message}`);
        this.log(`[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${error.message}`);
        this.metrics.add('coredns_reload_failed_total', {});
        return;
      }
      timer.cancel();
      this.stopInstance();
      this.setups = setups;
      const failure = this.startUp(text, false, () => this.log('[INFO] Reloading complete'));
      if (failure) {
        this.log(`[ERROR] Restart failed: ${failure}`);
        this.log(`[ERROR] plugin/reload: Corefile changed but reload failed: starting with listener file descriptors: ${failure}`);
      }
    }, 'coredns reload');
  }

  /** The running instance stops: its listeners close, its informers stop. */
  private stopInstance(): void {
    this.generation++;
    for (const l of this.listeners.splice(0)) l.close();
    for (const s of this.udpSockets.splice(0)) s.close();
    this.kubernetes?.stop();
    this.kubernetes = undefined;
    this.servers = [];
    this.readyServing = false;
    this.readyOnce = false;
  }

  /** The loop plugin's self-probe: HINFO queries for its random name until one is answered in time. */
  private probeLoop(server: DnsServer): void {
    const name = server.loopProbeName();
    const deadline = this.sys.now() + LOOP_DEADLINE_MS;
    const rng = this.host.rng.fork(`coredns loop ${name}`);
    const generation = this.generation;
    const probe = () => {
      if (this.sys.now() >= deadline || this.shuttingDown || generation !== this.generation) return;
      let answered = false;
      void server.serve(buildQuery(rng.int(65536), name, TYPE.HINFO), 'udp').then(() => (answered = true));
      this.sys.after(LOOP_EXCHANGE_MS, () => {
        if (!answered) this.sys.after(LOOP_PAUSE_MS, probe, 'coredns loop');
      }, 'coredns loop');
    };
    probe();
  }

  /**
   * One DNS-over-TCP connection to `port`: length-prefixed queries, each answered by the server block
   * of that port whose zone is the query's longest match (none: REFUSED).
   */
  private serveDns(port: number, socket: TcpSocket): void {
    const reader = new TcpFrameReader();
    const blocks = this.servers.filter((s) => s.config.address === `dns://:${port}`);
    socket.receive({
      data: (chunk) => {
        for (const query of reader.push(chunk)) {
          const name = questionName(query);
          const matching = blocks.filter((b) => name !== undefined && (b.config.zone === '.' || name === b.config.zone || name.endsWith(`.${b.config.zone}`)));
          const server = matching.sort((a, b) => b.config.zone.length - a.config.zone.length)[0] ?? blocks[0]!;
          const answer = matching.length > 0 || name === undefined ? server.handleQuery(query, 'tcp') : Promise.resolve(refused(query));
          void answer.then((reply) => {
            if (socket.closed) return;
            try {
              socket.write(frameTcp(reply));
            } catch (error) {
              if (!(error instanceof KernelError)) throw error;
            }
          });
        }
      },
      end: () => socket.close(),
    });
  }

  /**
   * DNS over UDP on `port`: each datagram a query, answered to its sender by the server block of that
   * port whose zone is the query's longest match (none: REFUSED), cut to the size the client can take.
   */
  private serveDnsUdp(port: number, socket: UdpSocket): void {
    const blocks = this.servers.filter((s) => s.config.address === `dns://:${port}`);
    const next = (): void => {
      socket.recv().then(({ data, from }) => {
        const name = questionName(data);
        const matching = blocks.filter((b) => name !== undefined && (b.config.zone === '.' || name === b.config.zone || name.endsWith(`.${b.config.zone}`)));
        const server = matching.sort((a, b) => b.config.zone.length - a.config.zone.length)[0] ?? blocks[0]!;
        const answer = matching.length > 0 || name === undefined ? server.handleQuery(data, 'udp') : Promise.resolve(refused(data));
        void answer.then((reply) => {
          if (socket.closed) return;
          try {
            socket.send(truncateForUdp(data, reply), from);
          } catch (error) {
            if (!(error instanceof KernelError)) throw error;
          }
        });
        next();
      }, (error: unknown) => {
        if (!(error instanceof KernelError)) throw error;
      });
    };
    next();
  }

  /** An HTTP listener of a plugin; a path it does not serve is ServeMux's 404. */
  private listenHttp(address: string, handler: (request: HttpRequest) => HttpResponse | undefined): void {
    const { address: ip, port } = hostPort(address);
    try {
      this.listeners.push(tcpOf(this.host).listen(this.sys.process, ip, port, (socket) => serveHttp(socket, (request) => handler(request) ?? textResponse(this.sys.now(), 404, '404 page not found\n'))));
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      throw new ListenError(`listen tcp ${address}: bind: ${error.describe.toLowerCase()}`);
    }
  }

  private serveReady(request: HttpRequest): HttpResponse | undefined {
    if (request.target.split('?')[0] !== '/ready') return undefined;
    if (!this.readyServing) return textResponse(this.sys.now(), 503, 'Shutting down');
    if (this.readyOnce || !this.kubernetes || this.kubernetes.hasSynced()) {
      this.readyOnce = true;
      return textResponse(this.sys.now(), 200, 'OK');
    }
    this.log('[INFO] plugin/ready: Still waiting on: "kubernetes"');
    return textResponse(this.sys.now(), 503, 'kubernetes');
  }

  /** The process's IPv4 addresses but loopback's (its pod IP). */
  private localIPs(): string[] {
    const netns = this.sys.process.nsproxy?.net;
    if (!netns) return [];
    return netns.devices().filter((d) => d.up && d.linkType !== 'loopback').flatMap((d) => d.addresses.filter((a) => a.family === 'inet').map((a) => a.local));
  }

  /** Caddy's SIGTERM/SIGINT: the shutdown callbacks (ready, health's lameduck), then stop and exit. */
  private shutdown(signal: 'SIGTERM' | 'SIGINT'): void {
    if (this.shuttingDown) {
      if (signal === 'SIGINT') {
        this.log('[INFO] SIGINT: Force quit');
        this.sys.exit(2);
      }
      return;
    }
    this.shuttingDown = signal;
    this.log(signal === 'SIGTERM' ? '[INFO] SIGTERM: Shutting down servers then terminating' : '[INFO] SIGINT: Shutting down');
    const ready = this.setups.find((s) => s.ready)?.ready;
    if (ready) {
      this.readyServing = false;
      const { address, port } = hostPort(ready.address);
      for (const l of this.listeners.filter((x) => x.local.port === port && (x.local.address === address || address === '0.0.0.0'))) l.close();
    }
    const lameduck = Math.max(0, ...this.setups.map((s) => s.health?.lameduckMs ?? 0));
    const finish = () => {
      this.stopInstance();
      this.sys.exit(0);
    };
    if (lameduck > 0 && this.listeners.length > 0) {
      this.log(`[INFO] plugin/health: Going into lameduck mode for ${formatGoDuration(lameduck)}`);
      this.sys.after(lameduck, finish, 'coredns lameduck');
    } else finish();
  }
}
