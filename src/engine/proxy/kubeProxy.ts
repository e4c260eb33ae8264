/**
 * kube-proxy v1.32.4 as the program of kubeadm's DaemonSet (`/usr/local/bin/kube-proxy
 * --config=/var/lib/kube-proxy/config.conf --hostname-override=$(NODE_NAME)`), on the emulated kernel:
 *
 * - the command line (options.ts): `--version` prints `Kubernetes v1.32.4`, `--help` the help, a bad
 *   flag cobra's usage then `Error: unknown flag: --foo` (status 1);
 * - Complete: the KubeProxyConfiguration file, `"Using iptables proxy"` when mode is "" (and the
 *   lenient-decoding line when it has unknown fields); a file that cannot be read or decoded, or a
 *   configuration that does not validate, ends it with `"command failed" err="failed complete: …"` /
 *   `"failed validate: …"`;
 * - newProxyServer: the apiserver client from the kubeconfig the configuration names (its server, its
 *   token or tokenFile re-read per request, through the injected ApiTransportFactory, so requests leave
 *   from this process's network namespace), else in-cluster from KUBERNETES_SERVICE_HOST/PORT and the
 *   service-account token; the Node's InternalIP (`"Successfully retrieved node IP(s)" IPs=[…]`, retried
 *   with backoff 1s, 2s, 4s… as getNodeIPs does, then loopback); `"No iptables support for family"
 *   ipFamily="IPv6"` and single-stack mode (the lab's kernels have no IPv6); the nodePortAddresses
 *   warning; `"Using iptables Proxier"` and the route_localnet line;
 * - Run: "Version info", "Golang settings", /healthz and /livez on healthzBindAddress (healthServer.ts),
 *   /metrics on metricsBindAddress (metrics.ts), informers on Services and EndpointSlices (without
 *   service.kubernetes.io/headless and service.kubernetes.io/service-proxy-name) and on its own Node
 *   (field selector metadata.name), each with client-go's "Waiting for caches to sync for …" and
 *   "Caches are synced for …" lines, feeding the iptables Proxier (proxier.ts), whose rules go to the
 *   injected `apply` for the host network namespace as `iptables-restore --noflush` input; then the
 *   sync loop.
 * - SIGTERM (or any fatal signal) ends it at once, as kube-proxy installs no handler: its informers and
 *   timers stop, its sockets close. `--v=N` turns on the V(N) lines, and at 1 the `FLAG:` lines.
 *
 * Lines not printed because what they report does not exist here: conntrack's `"Setting
 * nf_conntrack_max"` / `"Set sysctl"` (no nf_conntrack sysctls in the emulated kernel), the event
 * broadcaster's birth cry ("Starting kube-proxy." event). Left out: ipvs and nftables modes (any mode
 * runs the iptables proxier), `--cleanup`, `--version=raw`, nodePortAddresses, dual-stack,
 * bindAddressHardFail, oomScoreAdj.
 */
import type { Node, NodeAddress, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { parse } from 'yaml';
import { KUBERNETES_VERSION } from '../apiserver/version.ts';
import { Klog } from '../base/klog.ts';
import { SharedInformerFactory, type SharedIndexInformer } from '../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown } from '../client/cache/store.ts';
import type { ApiServerAddress, ApiTransportFactory } from '../client/rest/apiTransport.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import { RESOURCES } from '../client/resources.ts';
import { KernelError } from '../kernel/errno.ts';
import type { Host } from '../kernel/host.ts';
import { serveHttp } from '../kernel/net/http1.ts';
import type { NetNamespace } from '../kernel/ns/netNamespace.ts';
import type { Program, ProgramContext } from '../kernel/process/program.ts';
import { ProxierHealthServer } from './healthServer.ts';
import { ProxyMetrics } from './metrics.ts';
import { applyFlags, CommandError, defaultConfiguration, FlagError, flagTrue, help, KUBE_PROXY_VERSION, loadConfig, parseFlags, usage, validateConfiguration, type KubeProxyConfiguration, type ParsedFlags } from './options.ts';
import { Proxier } from './proxier.ts';

/** What a kube-proxy process needs from the lab: how it reaches the apiserver, and its netfilter. */
export interface KubeProxyDeps {
  apiTransport: ApiTransportFactory;
  /** iptables-restore --noflush into `netns`: returns the function taking the input; it throws iptables-restore's error text. */
  apply: (netns: NetNamespace) => (text: string) => void;
}

/** The service-account files a pod's kube-proxy reads in cluster. */
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The informers' resync (configSyncPeriod's default, 15m). */
const CONFIG_SYNC_PERIOD_MS = 15 * 60_000;
/** The label selector of the Service and EndpointSlice informers. */
const PROXY_LABEL_SELECTOR = '!service.kubernetes.io/headless,!service.kubernetes.io/service-proxy-name';

export class KubeProxy implements Program {
  private sys!: ProgramContext;
  private log!: Klog;
  private proxier: Proxier | undefined;
  private readonly factories: SharedInformerFactory[] = [];
  private stopped = false;

  constructor(
    private readonly host: Host,
    private readonly deps: KubeProxyDeps,
  ) {}

  start(sys: ProgramContext): void {
    this.sys = sys;
    const { process } = sys;
    let flags: ParsedFlags;
    try {
      flags = parseFlags(process.argv.slice(1));
    } catch (error) {
      if (error instanceof FlagError) {
        process.stdio.stderr.write(`${usage()}\nError: ${error.message}\n`);
        return sys.exit(1);
      }
      if (error instanceof CommandError) {
        process.stdio.stderr.write(`Error: ${error.message}\n`);
        return sys.exit(1);
      }
      throw error;
    }
    if (flagTrue(flags.values.get('help'))) {
      process.stdio.stdout.write(help());
      return sys.exit(0);
    }
    const version = flags.values.get('version');
    if (version !== undefined && version !== 'false') {
      process.stdio.stdout.write(`Kubernetes ${KUBE_PROXY_VERSION}\n`);
      return sys.exit(0);
    }
    this.log = new Klog({ write: (l) => process.stdio.stderr.write(l), now: () => sys.now(), threadId: process.pidIn(process.pidNs), verbosity: Number(flags.values.get('v') ?? '0') });
    if (this.log.enabled(1)) this.printFlags(flags);
    let config: KubeProxyConfiguration;
    try {
      config = this.complete(flags);
      const invalid = validateConfiguration(config);
      if (invalid) throw new CommandError(`failed validate: ${invalid}`);
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      this.log.errorS('run.go:72', error.message, 'command failed');
      return sys.exit(1);
    }
    sys.setRunState('S');
    this.run(config).catch((error: unknown) => {
      if (this.stopped) return;
      const message = error instanceof Error ? error.message : String(error);
      this.log.errorS('server.go:571', message, 'Error running ProxyServer');
      this.log.errorS('run.go:72', message, 'command failed');
      this.shutdown();
      sys.exit(1);
    });
  }

  onKilled(): void {
    this.shutdown();
  }

  /** cliflag.PrintFlags at V(1): every flag with its value. */
  private printFlags(flags: ParsedFlags): void {
    const defaults: Record<string, string> = { 'bind-address': '0.0.0.0', cleanup: 'false', 'cluster-cidr': '', config: '', 'healthz-bind-address': '0.0.0.0:10256', help: 'false', 'hostname-override': '', 'iptables-masquerade-bit': '14', 'iptables-min-sync-period': '1s', 'iptables-sync-period': '30s', kubeconfig: '', 'masquerade-all': 'false', master: '', 'metrics-bind-address': '127.0.0.1:10249', 'proxy-mode': '', v: '0', version: 'false' };
    for (const name of Object.keys(defaults).sort()) this.log.infof('flags.go:64', `FLAG: --${name}="${flags.values.get(name) ?? defaults[name]}"`);
  }

  /** Options.Complete: the config file (or the flags), the platform defaults. */
  private complete(flags: ParsedFlags): KubeProxyConfiguration {
    const path = flags.values.get('config') ?? '';
    let config = defaultConfiguration();
    if (path) {
      const data = this.readFile(path, (e) => new CommandError(`failed complete: open ${path}: ${e}`));
      try {
        config = loadConfig(data);
      } catch (error) {
        if (error instanceof CommandError) throw new CommandError(`failed complete: ${error.message}`);
        throw error;
      }
      if (config.lenientError) this.log.infoS('server.go:349', 'Using lenient decoding as strict decoding failed', { err: config.lenientError });
    }
    applyFlags(config, flags, path !== '');
    if (config.mode === '') {
      this.log.infoS('server_linux.go:66', 'Using iptables proxy');
      config.mode = 'iptables';
    }
    this.log.vInfoS(2, 'server_linux.go:85', 'DetectLocalMode', { localMode: 'ClusterCIDR' });
    return config;
  }

  /** A file of the process's view, or `fail(strerror)` thrown. */
  private readFile(path: string, fail: (strerror: string) => Error): string {
    try {
      return this.host.vfsFor(this.sys.process).readFile(path);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      throw fail(error.describe.charAt(0).toLowerCase() + error.describe.slice(1));
    }
  }

  /** newProxyServer and ProxyServer.Run. */
  private async run(config: KubeProxyConfiguration): Promise<void> {
    const { process } = this.sys;
    const log = this.log;
    const hostname = (config.hostnameOverride || this.host.hostname).toLowerCase().trim();
    const client = new RestClient(this.createTransport(config));
    const nodeIPs = await this.getNodeIPs(client, hostname);
    if (this.stopped) return;
    let nodeIP = nodeIPs[0];
    if (!nodeIP) {
      log.infoS('server.go:720', "Can't determine this node's IP, assuming loopback; if this is incorrect, please set the --bind-address flag");
      nodeIP = '127.0.0.1';
    }
    log.infoS('server_linux.go:137', 'No iptables support for family', { ipFamily: 'IPv6' });
    log.errorS('server.go:234', 'nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`', 'Kube-proxy configuration may be incomplete or incorrect');
    log.infoS('server.go:243', 'kube-proxy running in single-stack mode', { ipFamily: 'IPv4' });
    log.infoS('server_linux.go:170', 'Using iptables Proxier');
    const clusterCIDR = config.clusterCIDR.split(',').map((c) => c.trim()).find((c) => c.includes('.') && c.includes('/')) ?? '';
    if (!clusterCIDR) {
      log.infoS('server_linux.go:511', 'Detect-local-mode set to ClusterCIDR, but no cluster CIDR for family', { ipFamily: 'IPv4' });
      log.infoS('server_linux.go:528', 'Defaulting to no-op detect-local');
    }
    if (config.iptables.localhostNodePorts) {
      log.infoS('proxier.go:243', 'Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses', { ipFamily: 'IPv4' });
    }
    const netns = process.nsproxy?.net;
    if (!netns) throw new Error('no network namespace');
    const apply = this.deps.apply(netns);
    const metrics = new ProxyMetrics();
    const proxier = new Proxier({
      hostname,
      nodeIP,
      clusterCIDR,
      masqueradeAll: config.masqueradeAll,
      masqueradeBit: config.iptables.masqueradeBit,
      localhostNodePorts: config.iptables.localhostNodePorts,
      minSyncPeriodMs: config.iptables.minSyncPeriodMs,
      syncPeriodMs: config.iptables.syncPeriodMs,
      apply: (text) => {
        try {
          apply(text);
        } catch (error) {
          metrics.restoreFailures++;
          throw error;
        }
      },
      log,
      scheduler: this.sys,
    });
    this.proxier = proxier;
    const health = new ProxierHealthServer(() => this.sys.now(), process.startTime, 2 * config.iptables.syncPeriodMs);
    proxier.onDidQueue(() => {
      health.queuedUpdate();
      metrics.lastQueuedTimestampSeconds = this.sys.now() / 1000;
    });
    proxier.onDidSync((result) => {
      health.updated();
      metrics.syncProxyRules.observe(0);
      (result.full ? metrics.syncFullProxyRules : metrics.syncPartialProxyRules).observe(0);
      metrics.lastTimestampSeconds = result.at / 1000;
      for (const at of result.endpointChangeTimes) metrics.networkProgramming.observe(Math.max(0, (result.at - at) / 1000));
      const lines = result.text.split('\n');
      const nat = lines.indexOf('*nat');
      metrics.iptablesRules.filter = lines.slice(0, nat).filter((l) => l.startsWith('-A ')).length;
      metrics.iptablesRules.nat = lines.slice(nat).filter((l) => l.startsWith('-A ')).length;
    });

    log.infoS('server.go:497', 'Version info', { version: KUBE_PROXY_VERSION });
    log.infoS('server.go:499', 'Golang settings', { GOGC: '', GOMAXPROCS: '', GOTRACEBACK: '' });
    this.serve(config.healthzBindAddress, 'healthz', (request) => health.handle(request));
    if (config.metricsBindAddress) this.serve(config.metricsBindAddress, 'metrics', (request) => metrics.handle(request, this.sys.now()));

    const rng = this.host.rng.fork(`kube-proxy ${hostname}`);
    const factory = new SharedInformerFactory(client, { clock: this.host.clock, rng: rng.fork('informers'), defaultResyncMs: CONFIG_SYNC_PERIOD_MS, tweakListOptions: (o) => (o.labelSelector = PROXY_LABEL_SELECTOR) });
    const nodeFactory = new SharedInformerFactory(client, { clock: this.host.clock, rng: rng.fork('node informer'), defaultResyncMs: CONFIG_SYNC_PERIOD_MS, tweakListOptions: (o) => (o.fieldSelector = `metadata.name=${hostname}`) });
    this.factories.push(factory, nodeFactory);
    const services = factory.informerFor<Service & KubeObject>(RESOURCES.services);
    services.addEventHandler({
      onAdd: (s) => proxier.onServiceAdd(s),
      onUpdate: (o, s) => proxier.onServiceUpdate(o, s),
      onDelete: (s) => {
        const obj = s instanceof DeletedFinalStateUnknown ? s.obj : s;
        if (obj) proxier.onServiceDelete(obj);
      },
    });
    const slices = factory.informerFor<EndpointSlice & KubeObject>(RESOURCES.endpointslices);
    slices.addEventHandler({
      onAdd: (s) => proxier.onEndpointSliceAdd(s),
      onUpdate: (o, s) => proxier.onEndpointSliceUpdate(o, s),
      onDelete: (s) => {
        const obj = s instanceof DeletedFinalStateUnknown ? s.obj : s;
        if (obj) proxier.onEndpointSliceDelete(obj);
      },
    });
    const nodes = nodeFactory.informerFor<Node & KubeObject>(RESOURCES.nodes);
    nodes.addEventHandler({
      onAdd: (n) => {
        health.syncNode(n);
        proxier.onNodeAdd(n);
      },
      onUpdate: (o, n) => {
        health.syncNode(n);
        proxier.onNodeUpdate(o, n);
      },
      onDelete: (n) => {
        const obj = n instanceof DeletedFinalStateUnknown ? n.obj : n;
        if (obj) proxier.onNodeDelete(obj);
      },
    });
    const runConfig = (source: string, what: string, informer: SharedIndexInformer<KubeObject>, synced: () => void) => {
      log.infoS(source, `Starting ${what} controller`);
      log.infof('shared_informer.go:313', `Waiting for caches to sync for ${what}`);
      void informer.waitForSync().then((ok) => {
        if (!ok || this.stopped) return;
        log.infof('shared_informer.go:320', `Caches are synced for ${what}`);
        synced();
      });
    };
    runConfig('config.go:199', 'service config', services as unknown as SharedIndexInformer<KubeObject>, () => proxier.onServicesSynced());
    runConfig('config.go:105', 'endpoint slice config', slices as unknown as SharedIndexInformer<KubeObject>, () => proxier.onEndpointSlicesSynced());
    factory.start();
    runConfig('config.go:329', 'node config', nodes as unknown as SharedIndexInformer<KubeObject>, () => undefined);
    nodeFactory.start();
    health.updated();
    metrics.lastQueuedTimestampSeconds = this.sys.now() / 1000;
    proxier.syncLoop();
  }

  /** The apiserver client's transport, from the kubeconfig or in-cluster. */
  private createTransport(config: KubeProxyConfiguration) {
    const { process } = this.sys;
    const userAgent = `kube-proxy/${KUBE_PROXY_VERSION} (linux/amd64) kubernetes/${KUBERNETES_VERSION.gitCommit.slice(0, 7)}`;
    let server: ApiServerAddress;
    let token: () => string | undefined;
    if (config.kubeconfig) {
      const text = this.readFile(config.kubeconfig, (e) => new Error(`stat ${config.kubeconfig}: ${e}`));
      const kc = (parse(text) ?? {}) as KubeconfigDoc;
      const context = kc.contexts?.find((c) => c.name === kc['current-context'])?.context ?? kc.contexts?.[0]?.context;
      const cluster = (kc.clusters?.find((c) => c.name === context?.cluster) ?? kc.clusters?.[0])?.cluster;
      const user = (kc.users?.find((u) => u.name === context?.user) ?? kc.users?.[0])?.user;
      if (!cluster?.server) throw new Error('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
      server = parseServer(cluster.server);
      const tokenFile = user?.tokenFile;
      token = tokenFile ? () => this.tryRead(tokenFile)?.trim() : () => user?.token;
    } else {
      const env = new Map(process.environ.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const));
      const host = env.get('KUBERNETES_SERVICE_HOST');
      const port = env.get('KUBERNETES_SERVICE_PORT');
      if (!host || !port) throw new Error('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
      server = { address: host, port: Number(port) };
      token = () => this.tryRead(`${SA_DIR}/token`)?.trim();
    }
    return this.deps.apiTransport(process, server, { token, userAgent });
  }

  private tryRead(path: string): string | undefined {
    try {
      return this.host.vfsFor(this.sys.process).readFile(path);
    } catch (error) {
      if (error instanceof KernelError) return undefined;
      throw error;
    }
  }

  /** getNodeIPs: the Node's addresses, tried 6 times with a doubling backoff from 1s. */
  private async getNodeIPs(client: RestClient, name: string): Promise<string[]> {
    let delay = 1000;
    for (let step = 0; step < 6 && !this.stopped; step++) {
      try {
        const node = await client.resource<Node & KubeObject>(RESOURCES.nodes).get('', name);
        const ips = nodeHostIPs(node.status?.addresses ?? []);
        if (ips.length > 0) {
          this.log.infoS('server.go:698', 'Successfully retrieved node IP(s)', { IPs: ips });
          return ips;
        }
        this.log.errorS('server.go:690', `host IP unknown; known addresses: ${JSON.stringify(node.status?.addresses ?? [])}`, 'Failed to retrieve node IPs');
      } catch (error) {
        this.log.errorS('server.go:685', error instanceof Error ? error.message : String(error), 'Failed to retrieve node info');
      }
      if (step === 5) break;
      await new Promise<void>((resolve) => this.sys.after(delay, resolve, 'kube-proxy getNodeIPs'));
      delay *= 2;
    }
    return [];
  }

  /** Listen on `address:port` and serve `handler`; a bind failure is logged as upstream's server goroutine does. */
  private serve(bind: string, what: 'healthz' | 'metrics', handler: Parameters<typeof serveHttp>[1]): void {
    const i = bind.lastIndexOf(':');
    const address = bind.slice(0, i) || '0.0.0.0';
    const port = Number(bind.slice(i + 1));
    try {
      this.host.tcp.listen(this.sys.process, address === '[::]' ? '0.0.0.0' : address, port, (socket) => serveHttp(socket, handler));
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      const err = `listen tcp ${bind}: bind: ${error.describe.charAt(0).toLowerCase()}${error.describe.slice(1)}`;
      if (what === 'healthz') this.log.errorS('server.go:388', err, 'Healthz server failed');
      else this.log.errorS('server.go:432', `starting metrics server failed: ${err}`, 'Metrics server failed');
    }
  }

  private shutdown(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.proxier?.stop();
    for (const f of this.factories) f.shutdown();
  }
}

interface KubeconfigDoc {
  'current-context'?: string;
  clusters?: Array<{ name?: string; cluster?: { server?: string } }>;
  contexts?: Array<{ name?: string; context?: { cluster?: string; user?: string } }>;
  users?: Array<{ name?: string; user?: { token?: string; tokenFile?: string } }>;
}

/** A kubeconfig's server URL as an address and port (https defaults to 443). */
function parseServer(url: string): ApiServerAddress {
  const m = /^(https?):\/\/([^/:]+)(?::(\d+))?/.exec(url);
  if (!m) return { address: url, port: 443 };
  return { address: m[2]!, port: m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80 };
}

/** utilnode.GetNodeHostIPs for IPv4: the InternalIPs, else the ExternalIPs. */
export function nodeHostIPs(addresses: readonly NodeAddress[]): string[] {
  const v4 = (type: string) => addresses.filter((a) => a.type === type && /^\d+\.\d+\.\d+\.\d+$/.test(a.address)).map((a) => a.address);
  const internal = v4('InternalIP');
  return internal.length > 0 ? internal.slice(0, 1) : v4('ExternalIP').slice(0, 1);
}
