/**
 * Cluster — one Kubernetes cluster as the lab runs it: etcd (compacted every five minutes, as
 * kube-apiserver's --etcd-compaction-interval does), kube-apiserver over it, and — when the spec asks
 * for them — kube-controller-manager and nodes. Every component talks to the apiserver through its
 * own authenticated client (`transportFor`), never to another component's memory.
 *
 * A full node reaches the control plane over a link the lab can cut (`failNode`): a network partition.
 * Its kubelet's calls fail and its watches end, the apiserver cannot reach its kubelet server, and
 * metrics-server cannot scrape it; its containers go on running, as on a real node cut off from the
 * control plane. `recoverNode` restores the link, and the kubelet's own retries bring the node back.
 */
import type { Clock } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import type { ApiRequest, ApiResponse } from '../apiserver/http.ts';
import { KubeApiserver } from '../apiserver/kubeApiserver.ts';
import { Etcd3Storage } from '../apiserver/storage/etcd3.ts';
import type { TokenAuthenticator } from '../apiserver/authentication/tokenAuthenticator.ts';
import type { UserInfo } from '../apiserver/server.ts';
import { KUBERNETES_VERSION } from '../apiserver/version.ts';
import { InProcessTransport, type Transport } from '../client/rest/transport.ts';
import { KubeControllerManager } from '../controllers/controllerManager.ts';
import { Etcd, type Snapshot } from '../etcd/index.ts';
import { Kwok, type LightweightNodeSpec } from '../kwok/kwok.ts';
import type { StageDelays } from '../kwok/stages.ts';
import { RestClient } from '../client/rest/restClient.ts';
import { kindFor } from '../api/scheme.ts';
import { controlPlaneStaticPods, kubeadmAddons } from './kubeadm.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { LeaderElector } from '../client/leaderelection/leaderElector.ts';
import { Host } from '../kernel/host.ts';
import type { CgroupDriver } from '../kernel/cgroup/cgroupDriver.ts';
import { registerPrograms } from '../programs/index.ts';
import { installShell } from '../programs/shell/index.ts';
import { builtinCommands } from '../shell/commands/index.ts';
import type { HostShell } from '../shell/host/hostShell.ts';
import { Containerd } from '../runtime/containerd/containerd.ts';
import { CriService, DEFAULT_SANDBOX_IMAGE } from '../runtime/cri/criService.ts';
import { HostLocal } from '../runtime/cri/hostLocal.ts';
import { createRegistries } from '../runtime/registry/catalogue/index.ts';
import { CLUSTER_DNS_IP, Kubelet } from '../kubelet/kubelet.ts';
import { STATIC_POD_PATH } from '../kubelet/config/file.ts';
import { CONTAINERD_CONFIG_PATH, KUBELET_CONFIG_PATH, containerdConfigTOML, kubeletConfigYAML } from './nodeConfigFiles.ts';
import type { SummarySource } from '../kubelet/stats/summaryProvider.ts';
import { MetricsServer, metricsServerRbac } from '../metrics/metricsServer.ts';
import { connectHandler } from '../kubelet/server/connect.ts';
import { KubeletServers } from '../kubelet/server/kubeletServers.ts';
import { NODE_NETWORK_GATEWAY, NodeNetwork } from './nodeNetwork.ts';
import { serveApiserver } from '../apiserver/serving.ts';
import { traceCluster, type ClusterTrace } from '../trace/traceCluster.ts';

/** The address the apiserver advertises: the control-plane node's IP (as kind numbers it) and 6443. */
export const CONTROL_PLANE_ADDRESS = '172.18.0.2:6443';

/** kube-apiserver's default --etcd-compaction-interval. */
export const COMPACTION_INTERVAL_MS = 5 * 60_000;

/** The node names and addresses of the default cluster: kubeadm's control plane and two workers. */
export const CONTROL_PLANE_NODE = 'control-plane';

/** A node of the default layout: the n-th node (0 = control plane) gets 172.18.0.(2+n) and 10.244.n.0/24. */
export function defaultNodeSpec(name: string, index: number, rest: Partial<LightweightNodeSpec> = {}): LightweightNodeSpec {
  return { name, address: `172.18.${Math.floor((index + 2) / 256)}.${(index + 2) % 256}`, podCIDR: `10.${244 + Math.floor(index / 256)}.${index % 256}.0/24`, ...rest };
}

export const KUBEADM_NODES: readonly LightweightNodeSpec[] = [
  defaultNodeSpec(CONTROL_PLANE_NODE, 0, { controlPlane: true, staticPods: controlPlaneStaticPods('172.18.0.2') }),
  defaultNodeSpec('worker-1', 1),
  defaultNodeSpec('worker-2', 2),
];

/**
 * A full node: an emulated Linux host (cgroup v2 unless asked) running containerd with its CRI plugin
 * (systemd cgroup driver, as kubeadm configures it) and a kubelet.
 */
export interface FullNodeSpec extends Pick<LightweightNodeSpec, 'name' | 'address' | 'podCIDR' | 'labels' | 'taints' | 'controlPlane'> {
  cpus?: number;
  memoryBytes?: number;
  cgroupVersion?: 1 | 2;
  cgroupDriver?: CgroupDriver;
}

/** One full node of the cluster: its machine, runtime and kubelet. */
export interface FullNode {
  spec: FullNodeSpec;
  host: Host;
  /** The node's shell (`ssh NODE`): bash, coreutils, ps, crictl… — what images' entrypoint scripts run with too. */
  shell: HostShell;
  containerd: Containerd;
  cri: CriService;
  kubelet: Kubelet;
}

export interface ClusterSpec {
  /** Lightweight nodes to register at boot (default none). */
  nodes?: readonly LightweightNodeSpec[];
  /** Full nodes (a Linux host, containerd and a kubelet each) to boot (default none). */
  fullNodes?: readonly FullNodeSpec[];
  /** Run kube-controller-manager with these controllers, or every registered one with 'all' (default none). */
  controllers?: readonly string[] | 'all';
  /** How long lightweight nodes take to start, finish and remove pods. */
  nodeDelays?: Partial<StageDelays>;
  /** Install kubeadm's addons (kube-proxy, CoreDNS) at boot. */
  addons?: boolean;
  /** Run kube-scheduler (default false). */
  scheduler?: boolean;
  /** Install metrics-server and its APIService v1beta1.metrics.k8s.io at boot (default false). */
  metricsServer?: boolean;
}

/** A full worker of the default layout: 2 CPUs, 4 GiB, cgroup v2, the systemd driver. */
export function defaultFullNodeSpec(name: string, index: number, rest: Partial<FullNodeSpec> = {}): FullNodeSpec {
  const { address, podCIDR } = defaultNodeSpec(name, index);
  return { name, address, podCIDR, cpus: 2, memoryBytes: 4 * 1024 ** 3, cgroupVersion: 2, cgroupDriver: 'systemd', ...rest };
}

/**
 * The lab's default cluster: what `kubeadm init` plus two joined workers gives, as kind lays it out — a
 * lightweight control plane (its static pods are mirror pods; kube-apiserver answers on 172.18.0.2:6443)
 * and two full workers whose pods really run (containers, cgroups, logs, exec, `kubectl top`), with
 * kubeadm's addons running on them (kube-proxy programming each node's iptables, CoreDNS) and
 * metrics-server.
 */
export const KUBEADM_CLUSTER: ClusterSpec = {
  nodes: [KUBEADM_NODES[0]!],
  fullNodes: [defaultFullNodeSpec('worker-1', 1), defaultFullNodeSpec('worker-2', 2)],
  controllers: 'all',
  scheduler: true,
  addons: true,
  metricsServer: true,
};

/** The same layout on lightweight nodes only (no kernel behind a pod): for scale and for the API alone. */
export const KUBEADM_LIGHT_CLUSTER: ClusterSpec = { nodes: KUBEADM_NODES, controllers: 'all', scheduler: true, addons: true };

export interface ClusterOptions {
  clock: Clock;
  rng: SeededRng;
  spec?: ClusterSpec;
  /**
   * Start from this etcd snapshot instead of an empty etcd: a cluster restored from an etcd backup. etcd
   * comes back with the snapshot's keys, history and revision; kubeadm is not run again (the addons and
   * metrics-server's RBAC are in the snapshot already); the nodes boot afresh and their kubelets find
   * their Nodes and the pods bound to them in the API. A corrupt snapshot throws SnapshotError.
   */
  restore?: Snapshot;
}

const userAgent = (component: string) => `${component}/${KUBERNETES_VERSION.gitVersion} (linux/amd64) kubernetes/${KUBERNETES_VERSION.gitCommit.slice(0, 7)}`;

export class Cluster {
  readonly etcd: Etcd;
  readonly apiserver: KubeApiserver;
  readonly controllerManager: KubeControllerManager | undefined;
  readonly scheduler: Scheduler | undefined;
  private schedulerElector: LeaderElector | undefined;
  /** The kubelet of every lightweight node. */
  readonly kwok: Kwok;
  /** Each full node's kubelet stats (`/stats/summary`), by node name: the kubelets register here. */
  readonly summaryProviders = new Map<string, SummarySource>();
  readonly metricsServer: MetricsServer | undefined;
  private unregisterMetricsApi: (() => void) | undefined;
  /** Each full node's kubelet server, by node name: where the apiserver sends pods' log, exec and attach. */
  readonly kubeletServers = new KubeletServers();
  /** The full nodes, by name. */
  readonly fullNodes = new Map<string, FullNode>();
  /** Each full node's link to the control plane, by name. */
  private readonly links = new Map<string, NodeLink>();
  /** Every component's trace events on one bus, for the diagrams. */
  readonly trace: ClusterTrace;
  /** The network the nodes are on (kind's 172.18.0.0/16): eth0 of every full node, and the routes between them. */
  readonly network = new NodeNetwork();
  private readonly clock: Clock;
  private readonly rng: SeededRng;
  private readonly spec: ClusterSpec;
  /** Restored from an etcd snapshot: the objects kubeadm and the addons create are there already. */
  private readonly restored: boolean;
  private booted: Promise<void> | undefined;

  constructor(options: ClusterOptions) {
    this.rng = options.rng;
    this.clock = options.clock;
    this.spec = options.spec ?? {};
    this.restored = options.restore !== undefined;
    this.etcd = options.restore !== undefined ? Etcd.restore(options.restore, { clock: options.clock, rng: options.rng }) : new Etcd({ clock: options.clock, rng: options.rng });
    this.etcd.autoCompact(COMPACTION_INTERVAL_MS);
    this.apiserver = new KubeApiserver({ clock: options.clock, rng: options.rng, storage: new Etcd3Storage(this.etcd), serverAddress: CONTROL_PLANE_ADDRESS, connect: connectHandler(this.kubeletServers) });
    this.trace = traceCluster({ clock: options.clock, apiserver: this.apiserver.server, etcd: this.etcd });
    // kube-apiserver listens on the control-plane node's address: what kube-proxy's kubeconfig names and
    // the `kubernetes` Service's endpoint, which pods reach through 10.96.0.1:443.
    const [apiAddress = '', apiPort = ''] = CONTROL_PLANE_ADDRESS.split(':');
    this.network.serve(apiAddress, Number(apiPort), (socket) => serveApiserver(socket, this.apiserver));
    const controllers = this.spec.controllers;
    if (controllers) {
      this.controllerManager = new KubeControllerManager({
        transport: this.transportFor({ username: 'system:kube-controller-manager', groups: [] }, userAgent('kube-controller-manager')),
        clock: options.clock,
        rng: options.rng.fork('kube-controller-manager'),
        hostname: CONTROL_PLANE_NODE,
        ...(controllers === 'all' ? {} : { controllers }),
      });
    }
    if (this.spec.scheduler) {
      const transport = this.transportFor({ username: 'system:kube-scheduler', groups: [] }, userAgent('kube-scheduler'));
      const rng = options.rng.fork('kube-scheduler');
      this.scheduler = new Scheduler({ transport, clock: options.clock, rng });
      const scheduler = this.scheduler;
      this.trace.followScheduler(scheduler);
      this.schedulerElector = new LeaderElector({
        client: new RestClient(transport),
        clock: options.clock,
        rng: rng.fork('leader election'),
        namespace: 'kube-system',
        name: 'kube-scheduler',
        identity: `${CONTROL_PLANE_NODE}_${rng.fork('identity').uuid()}`,
        onStartedLeading: () => scheduler.start(),
        onStoppedLeading: () => scheduler.stop(),
      });
    }
    if (this.spec.metricsServer) {
      const transport = this.transportFor({ username: 'system:serviceaccount:kube-system:metrics-server', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system'] }, 'metrics-server/v0.7.2');
      this.metricsServer = new MetricsServer({ clock: options.clock, rng: options.rng.fork('metrics-server'), transport, sources: this.summaryProviders });
    }
    this.kwok = new Kwok({
      transport: this.transportFor({ username: 'system:node:kwok', groups: ['system:nodes'] }, userAgent('kwok')),
      clock: options.clock,
      rng: options.rng.fork('kwok'),
      ...(this.spec.nodeDelays ? { delays: this.spec.nodeDelays } : {}),
    });
  }

  /**
   * Start the components and register the nodes. Resolves once every node is registered; the rest
   * (leases, controllers catching up) goes on as the clock runs.
   */
  boot(): Promise<void> {
    this.booted ??= (async () => {
      this.controllerManager?.start();
      this.schedulerElector?.run();
      this.kwok.start();
      for (const node of this.spec.nodes ?? []) await this.kwok.addNode(node);
      for (const node of this.spec.fullNodes ?? []) await this.addFullNode(node);
      if (this.spec.addons && !this.restored) await this.installAddons();
      if (this.metricsServer) await this.installMetricsServer(this.metricsServer);
    })();
    return this.booted;
  }

  /**
   * Boot a full node — its host, containerd, the CRI with the host-local network plugin — and start its
   * kubelet as system:node:<name>. Resolves once the Node is registered.
   */
  async addFullNode(spec: FullNodeSpec): Promise<FullNode> {
    if (this.fullNodes.has(spec.name)) throw new Error(`node "${spec.name}" already exists`);
    const rng = this.rng.fork(`node/${spec.name}`);
    const cgroupVersion = spec.cgroupVersion ?? 2;
    const host = new Host({ clock: this.clock, rng: rng.fork('host'), hostname: spec.name, cpus: spec.cpus ?? 2, memoryBytes: spec.memoryBytes ?? 4 * 1024 ** 3, cgroupVersion });
    registerPrograms(host.programs, host);
    const shell = installShell(host, { commands: builtinCommands() });
    // kind's node image has curl (Debian bookworm's 7.88), as a student reaching a pod or NodePort uses it.
    host.installProgram('/usr/bin/curl', 'curl', 280_808);
    // systemd enables these controllers for the slices below the root, as on a kubeadm node.
    if (cgroupVersion === 2) host.vfsFor(host.init).writeFile('/sys/fs/cgroup/cgroup.subtree_control', '+cpu +memory +pids +cpuset');
    // What `kubeadm join` leaves: the kubelet's static pod directory, empty on a worker.
    host.vfsFor(host.init).mkdirAll(STATIC_POD_PATH, 0o755);
    // kind's entrypoint points the node's resolver at the node network's gateway (docker's embedded DNS
    // at 127.0.0.11 is out of pods' reach): what pods with dnsPolicy Default, CoreDNS among them, get.
    host.vfsFor(host.init).writeFile('/etc/resolv.conf', `nameserver ${NODE_NETWORK_GATEWAY}\nsearch .\noptions edns0 trust-ad ndots:0\n`);
    this.registries ??= createRegistries();
    const cgroupDriver = spec.cgroupDriver ?? 'systemd';
    // The kubelet's --config (kubeadm join writes it) and containerd's config, with the values they run with.
    const init = host.vfsFor(host.init);
    init.mkdirAll('/var/lib/kubelet', 0o700);
    const clusterDNS = [CLUSTER_DNS_IP];
    const clusterDomain = 'cluster.local';
    init.writeFile(KUBELET_CONFIG_PATH, kubeletConfigYAML({ cgroupDriver, clusterDNS, clusterDomain }));
    init.mkdirAll('/etc/containerd', 0o755);
    init.writeFile(CONTAINERD_CONFIG_PATH, containerdConfigTOML({ cgroupDriver, sandboxImage: DEFAULT_SANDBOX_IMAGE }));
    const containerd = new Containerd({ host, registries: this.registries, rng: rng.fork('containerd'), cgroupDriver });
    const cni = new HostLocal(host.vfsFor(containerd.process), rng.fork('cni'));
    const cri = new CriService({ containerd, rng: rng.fork('cri'), cni });
    const link = new NodeLink(this.transportFor({ username: `system:node:${spec.name}`, groups: ['system:nodes', 'system:authenticated'] }, userAgent('kubelet')), CONTROL_PLANE_ADDRESS);
    const kubelet = new Kubelet({
      clock: this.clock,
      rng: rng.fork('kubelet'),
      host,
      cri,
      transport: link,
      nodeName: spec.name,
      address: spec.address,
      cgroupDriver,
      clusterDNS,
      clusterDomain,
      ...(spec.labels ? { labels: spec.labels } : {}),
      ...(spec.taints ? { taints: spec.taints } : {}),
      ...(spec.controlPlane ? { controlPlane: true } : {}),
    });
    // Pod IPs are routed to the node by the pod CIDR its kubelet has (the node IPAM controller's allocation).
    this.network.attach(spec.name, host, spec.address, () => kubelet.podCIDR);
    const node: FullNode = { spec, host, shell, containerd, cri, kubelet };
    this.trace.attachNode(spec.name, { cri, containerd, kubeletServer: kubelet.server });
    this.fullNodes.set(spec.name, node);
    this.links.set(spec.name, link);
    await kubelet.start();
    this.connect(node);
    return node;
  }

  /**
   * Cut full node `name` off from the control plane (a network partition): its kubelet's requests fail
   * and its open watches and streams end; the apiserver no longer reaches its kubelet server, nor
   * metrics-server its summary API. What runs on the node goes on. Throws for a node that is not full.
   */
  failNode(name: string): void {
    const node = this.mustGetFullNode(name);
    this.links.get(name)?.cut();
    this.network.partition(name);
    this.kubeletServers.unregister(name, node.kubelet.server);
    this.summaryProviders.delete(name);
  }

  /** Restore full node `name`'s link: the kubelet's retries (lease, status, watches) take it from there. */
  recoverNode(name: string): void {
    const node = this.mustGetFullNode(name);
    this.links.get(name)?.restore();
    this.network.partition(name, false);
    this.connect(node);
  }

  /**
   * The machines of the cluster: the nodes of its spec (booted, or still to boot) and those added since
   * (`lab node add`), lightweight and full.
   */
  machines(): { nodes: LightweightNodeSpec[]; fullNodes: FullNodeSpec[] } {
    const union = <T extends { name: string }>(planned: readonly T[] = [], added: Iterable<T>) => [...new Map([...planned, ...added].map((n) => [n.name, n])).values()];
    return { nodes: union(this.spec.nodes, this.kwok.nodeSpecs), fullNodes: union(this.spec.fullNodes, [...this.fullNodes.values()].map((n) => n.spec)) };
  }

  /** Whether full node `name`'s link to the control plane is up (false for no such full node). */
  isConnected(name: string): boolean {
    return this.links.get(name)?.up ?? false;
  }

  private connect(node: FullNode): void {
    this.kubeletServers.register(node.spec.name, node.kubelet.server);
    if (node.kubelet.summary) this.summaryProviders.set(node.spec.name, node.kubelet.summary);
  }

  private mustGetFullNode(name: string): FullNode {
    const node = this.fullNodes.get(name);
    if (!node) throw new Error(`node "${name}" is not a full node`);
    return node;
  }

  private registries: ReturnType<typeof createRegistries> | undefined;

  /** `kubeadm init phase addon all`, as kubernetes-admin. */
  private async installAddons(): Promise<void> {
    const client = new RestClient(this.transportFor({ username: 'kubernetes-admin', groups: ['system:masters'] }, userAgent('kubeadm')));
    for (const obj of kubeadmAddons(CONTROL_PLANE_ADDRESS)) {
      const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '')!;
      await client.resource({ group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }).create(info.namespaced ? (obj.metadata?.namespace ?? 'default') : '', obj);
    }
  }

  /** metrics-server's RBAC objects (unless restored with them), then metrics-server and its APIService. */
  private async installMetricsServer(metricsServer: MetricsServer): Promise<void> {
    const client = new RestClient(this.transportFor({ username: 'kubernetes-admin', groups: ['system:masters'] }, userAgent('kubectl')));
    for (const obj of this.restored ? [] : metricsServerRbac()) {
      const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '')!;
      await client.resource({ group: info.group, version: info.version, resource: info.resource, namespaced: false }).create('', obj);
    }
    metricsServer.start();
    this.unregisterMetricsApi = this.apiserver.registerAPIService(metricsServer.apiService);
  }

  /** Stop everything: the components, the watches, etcd's timers. Nothing of the cluster stays on the clock. */
  shutdown(): void {
    this.controllerManager?.stop();
    this.schedulerElector?.stop();
    this.kwok.stop();
    this.metricsServer?.stop();
    this.unregisterMetricsApi?.();
    this.apiserver.shutdown();
    this.trace.dispose();
    this.etcd.dispose();
  }

  get authenticator(): TokenAuthenticator {
    return this.apiserver.authenticator;
  }

  /**
   * A client connection for a component or user: a fresh bearer token the apiserver authenticates as
   * `user` (as kubeadm writes each component a kubeconfig with its own credentials), sending `userAgent`.
   */
  transportFor(user: UserInfo, agent: string): Transport {
    const token = this.rng.fork(`token ${user.username}`).string('abcdefghijklmnopqrstuvwxyz0123456789', 32);
    this.authenticator.add(token, user);
    return new InProcessTransport(this, token, agent);
  }

  handle(request: ApiRequest): ApiResponse {
    return this.apiserver.handle(request);
  }
}

/**
 * A full node's connection to the apiserver, which the lab can cut: while it is down every request
 * fails as a dial to an unreachable address does, and cutting it ends the watches and streamed bodies
 * open over it (the client sees the connection drop and retries).
 */
class NodeLink implements Transport {
  private down = false;
  private readonly open = new Set<{ stop(): void }>();

  constructor(
    private readonly inner: Transport,
    private readonly server: string,
  ) {}

  get up(): boolean {
    return !this.down;
  }

  async request(request: ApiRequest): Promise<ApiResponse> {
    if (this.down) throw this.unreachable(request);
    const response = await this.inner.request(request);
    const live = response.watch ?? response.stream;
    if (live) {
      if (this.down) {
        live.stop();
        throw this.unreachable(request);
      }
      this.open.add(live);
      live.onEnd(() => this.open.delete(live));
    }
    return response;
  }

  cut(): void {
    this.down = true;
    for (const live of [...this.open]) live.stop();
    this.open.clear();
  }

  restore(): void {
    this.down = false;
  }

  private unreachable(request: ApiRequest): Error {
    const method = request.method.charAt(0) + request.method.slice(1).toLowerCase();
    const query = request.query.toString();
    return new Error(`${method} "https://${this.server}${request.path}${query ? `?${query}` : ''}": dial tcp ${this.server}: connect: no route to host`);
  }
}
