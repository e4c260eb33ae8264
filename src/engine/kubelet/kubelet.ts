/**
 * Kubelet — the node agent of a full node (pkg/kubelet, Kubernetes 1.32, on containerd 1.7's CRI):
 * it registers its Node, renews its Lease, reports node status, and runs the pods bound to it.
 *
 * Pods: it watches only its own (fieldSelector spec.nodeName=<node>). A pod seen for the first time is
 * admitted (lifecycle/predicate.ts: OutOfcpu, OutOfmemory… fail it with `Pod was rejected: …`), then its
 * worker (podWorkers.ts) syncs it, one sync at a time — SyncPod: the pod cgroup (cm/), the volumes
 * (volumemanager/, FailedMount on a missing ConfigMap), the sandbox (RunPodSandbox with hostname, cluster
 * DNS, the namespaces it shares with the node or between its containers), the init containers one after
 * another, then the containers (images/: pulls, ErrImagePull, ImagePullBackOff; kuberuntime/: env,
 * CreateContainerConfigError, mounts, resources, postStart), restarting exited ones as restartPolicy says
 * with CrashLoopBackOff (10s doubling to 5m, forgotten after 10 minutes). After each sync the status
 * (status/generateAPIPodStatus.ts) is written when it changed. The PLEG relists the runtime every second
 * and syncs the pods whose containers changed state. A pod being deleted is killed — preStop, SIGTERM,
 * SIGKILL after its grace period — its final status written, and the pod object deleted with grace 0.
 * Dead containers beyond the newest dead one per container are garbage-collected every minute (kuberuntime/containerGC.ts), and everything of
 * a pod once it is gone from the API.
 *
 * It also answers the kubelet server's question (`resolvePod`: a pod's sandbox and containers) and lists
 * its pods' sandboxes for the summary API (`podSandboxes`).
 *
 * Probes (prober/): a worker per container probe; readiness and startup results make the status (ready,
 * started, the Ready conditions), a liveness or startup failure kills the container (`Killing`: `Container
 * web failed liveness probe, will be restarted`, with the probe's terminationGracePeriodSeconds when it
 * sets one) and starts it again in the same sync.
 *
 * Static pods (config/, pod/): the manifests in /etc/kubernetes/manifests on the node run as pods named
 * `<name>-<node>` without the apiserver; each sync of one keeps its mirror pod in the API (created,
 * re-created when deleted there or outdated) and writes its status there. A changed manifest is a new
 * pod, started once the old one has terminated; a removed one is killed and its mirror deleted.
 *
 * Pod CIDR and network readiness (kubelet.go updatePodCIDR/updateRuntimeUp, kubelet_node_status.go
 * updateNode): the kubelet learns its pod CIDR from its Node's spec.podCIDRs — which the node IPAM
 * controller fills in after registration — and hands it to the runtime (UpdateRuntimeConfig). Until the
 * runtime reports NetworkReady (every 5 s, and at each fast status update) the Node is Ready=False,
 * KubeletNotReady, `container runtime network not ready: NetworkReady=false …`, and pods other than
 * hostNetwork ones do not start (`NetworkNotReady` events). After start it checks its Node (from a
 * watch on it) every 100 ms until it is Ready (fastStatusUpdateOnce), so it turns Ready as soon as the
 * CIDR has come. A kubelet given --pod-cidr (the `podCIDR` option; standalone mode's) hands that over at
 * start; a CIDR on the Node replaces it.
 *
 * Node housekeeping: the eviction manager (eviction/) every 10 s, image GC (images/imageGC.ts) every 5
 * minutes, log rotation (logs/) every 10 s.
 *
 * Left out: sidecar containers, in-place resize, the Service environment variables, pull secrets, the checkpoint of pod state across
 * kubelet restarts.
 */
import type { ConfigMap, Container, Node, ObjectReference, Pod, PodStatus, Secret, Service } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../api/errors.ts';
import { podQOSClass } from '../api/qos.ts';
import { rfc3339 } from '../api/time.ts';
import type { Clock, Timer } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { SharedInformerFactory, type SharedIndexInformer } from '../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown } from '../client/cache/store.ts';
import { Backoff } from '../client/flowcontrol/backoff.ts';
import { EventBroadcaster, EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, restEventSink, type EventRecorder } from '../client/record/eventRecorder.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import type { Transport } from '../client/rest/transport.ts';
import { RESOURCES } from '../client/resources.ts';
import { goDuration } from '../apiserver/protobuf/decode.ts';
import type { Host } from '../kernel/host.ts';
import { tcpOf } from '../kernel/net/tcp.ts';
import type { Process } from '../kernel/process/process.ts';
import type { CgroupDriver } from '../kernel/cgroup/cgroupDriver.ts';
import { CriError } from '../runtime/cri/criError.ts';
import { CONTAINERD_VERSION } from '../runtime/containerd/containerd.ts';
import type { CriService } from '../runtime/cri/criService.ts';
import type * as cri from '../runtime/cri/types.ts';
import { PodContainerManager, containerResources, milliCPUToQuota, milliCPUToShares, QUOTA_PERIOD } from './cm/podContainerManager.ts';
import { ImageManager } from './images/imageManager.ts';
import { ContainerConfigError, expand, makeEnvironmentVariables, type ServiceSource } from './kuberuntime/envVars.ts';
import { asContainer, containerFieldPath, containerNamespaceOptions, ephemeralContainersToStart } from './kuberuntime/ephemeralContainers.ts';
import { canAdmitPod } from './lifecycle/predicate.ts';
import { LeaseController } from './nodelease/leaseController.ts';
import { CONDITION_TEXT, initialNode, nodeAllocatable, nodeCapacity, nodeConditions, nodeStatusHasChanged, type NodeResources, type NodeStatusConfig } from './nodestatus/nodeStatus.ts';
import { PodWorkers, WORKER_BACKOFF_PERIOD_MS } from './podWorkers.ts';
import { FILE_SOURCE, PodConfig } from './config/config.ts';
import { FileSource, STATIC_POD_PATH } from './config/file.ts';
import { isMirrorPod, isStaticPod, MirrorClient } from './pod/mirrorClient.ts';
import { PodManager, podFullName } from './pod/podManager.ts';
import { ProberManager } from './prober/proberManager.ts';
import { KubeletServer } from './server/kubeletServer.ts';
import { SummaryProvider } from './stats/summaryProvider.ts';
import { EvictionManager } from './eviction/evictionManager.ts';
import { IMAGE_GC_PERIOD_MS, ImageGCManager } from './images/imageGC.ts';
import { ContainerGC } from './kuberuntime/containerGC.ts';
import { ContainerLogManager } from './logs/containerLogManager.ts';
import { generateAPIPodStatus, type RuntimeContainer } from './status/generateAPIPodStatus.ts';
import { podDir, tokenRequester, VolumeError, VolumeManager, type ObjectGetter } from './volumemanager/volumeManager.ts';

/** The kubelet binary on a node. */
/** kubeadm's default --cluster-dns: the kube-dns Service's ClusterIP. */
export const CLUSTER_DNS_IP = '10.96.0.10';

export const KUBELET_BINARY = '/usr/bin/kubelet';
/** --node-status-update-frequency and --node-status-report-frequency. */
export const NODE_STATUS_UPDATE_FREQUENCY_MS = 10_000;
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;
/** The PLEG's relist period. */
export const PLEG_RELIST_PERIOD_MS = 1000;
/** The container restart backoff: 10s doubling to 5m (kubecontainer's MaxContainerBackOff). */
export const CONTAINER_BACKOFF_INITIAL_MS = 10_000;
export const CONTAINER_BACKOFF_MAX_MS = 300_000;
/** The volume operations' exponential backoff (nestedpendingoperations): 500ms doubling to 2m2s. */
export const VOLUME_BACKOFF_INITIAL_MS = 500;
export const VOLUME_BACKOFF_MAX_MS = 122_000;
/** How often dead containers are collected (ContainerGCPeriod). */
export const CONTAINER_GC_PERIOD_MS = 60_000;
/** The resync a healthy pod gets (--sync-frequency). */
export const SYNC_FREQUENCY_MS = 60_000;
/** How often the runtime's status is checked (updateRuntimeUp). */
export const RUNTIME_UP_PERIOD_MS = 5_000;
/** fastStatusUpdateOnce's period, and how long it keeps at it (nodeReadyGracePeriod). */
export const FAST_STATUS_UPDATE_PERIOD_MS = 100;
export const NODE_READY_GRACE_PERIOD_MS = 120_000;
/** runtimeState's network error before the runtime was first asked (ErrNetworkUnknown). */
const ERR_NETWORK_UNKNOWN = 'network state unknown';
/** NetworkNotReadyErrorMsg: what a pod that needs the pod network is told while there is none. */
export const NETWORK_NOT_READY_ERROR_MSG = 'network is not ready';

export interface KubeletOptions {
  clock: Clock;
  rng: SeededRng;
  /** The node's machine: containerd and the CRI run on it. */
  host: Host;
  cri: CriService;
  /** A client connection authenticated as system:node:<nodeName>. */
  transport: Transport;
  nodeName: string;
  /** The node's InternalIP. */
  address: string;
  /**
   * --pod-cidr (KubeletConfiguration podCIDR, "only used in standalone mode"): handed to the runtime at
   * start. In a cluster the Node's spec.podCIDRs, once allocated, take its place.
   */
  podCIDR?: string;
  cgroupDriver?: CgroupDriver;
  /** --cluster-dns (kubeadm: the kube-dns Service's 10.96.0.10) and --cluster-domain. */
  clusterDNS?: readonly string[];
  clusterDomain?: string;
  labels?: Record<string, string>;
  taints?: NonNullable<Node['spec']>['taints'];
  controlPlane?: boolean;
  /** containerLogMaxSize (bytes, default 10Mi) and containerLogMaxFiles (default 5). */
  containerLogMaxSize?: number;
  containerLogMaxFiles?: number;
}

type PodObject = Pod & KubeObject;
type NodeObject = Node & KubeObject;

/** One attempt of a container: its CRI id and log. */
interface Attempt {
  id: string;
  attempt: number;
  logPath: string;
}

/** The kubelet's memory of a pod: its sandbox, its containers' attempts, why a start last failed. */
interface PodRecord {
  uid: string;
  pod: PodObject;
  admitted: boolean;
  sandboxId?: string;
  sandboxAttempt: number;
  podIP: string;
  startTime: number;
  attempts: Map<string, Attempt[]>;
  waiting: Map<string, { reason: string; message: string }>;
  volumes?: Map<string, string>;
  /** Killed: its containers stopped, nothing restarts. */
  terminated: boolean;
  terminating: boolean;
  /** The last status written, to write only changes. */
  lastStatus?: string;
  /** The last status generated (the status manager's, which the probe workers read). */
  status?: PodStatus;
  /** Container states the PLEG saw last, by id. */
  seen: Map<string, cri.ContainerState>;
}

/** The kubelet server's view of a pod (kubelet/server's ResolvedPod). */
export interface ResolvedPodView {
  uid: string;
  sandboxId: string | undefined;
  containers: ReadonlyMap<string, { id: string; logPath: string; previous?: { id: string; logPath: string } }>;
}

/** format.Pod: name_namespace(uid). */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

const daemon = { start: () => undefined };

/** Whether two versions of a pod differ in what the kubelet acts on (not the status). */
function podsDifferSemantically(a: Pod, b: Pod): boolean {
  const key = (p: Pod) => JSON.stringify([p.spec, p.metadata?.labels, p.metadata?.annotations, p.metadata?.deletionTimestamp, p.metadata?.deletionGracePeriodSeconds]);
  return key(a) !== key(b);
}

export class Kubelet {
  readonly nodeName: string;
  readonly host: Host;
  readonly cri: CriService;
  /** The kubelet's process on the node (`ps -ef` shows it). */
  readonly process: Process;
  private readonly clock: Clock;
  private readonly client: RestClient;
  private readonly informers: SharedInformerFactory;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  /** The kubelet's own Node (a watch with fieldSelector metadata.name=<node>), as the nodeLister. */
  private readonly nodeInformers: SharedInformerFactory;
  private readonly nodeInformer: SharedIndexInformer<NodeObject>;
  /** runtimeState: the pod CIDR handed to the runtime, and why its network is not ready. */
  private currentPodCIDR = '';
  private networkError: string | undefined = ERR_NETWORK_UNKNOWN;
  /** Every Service, for the pods' Service environment variables (NewMainKubelet's own informer factory). */
  private readonly serviceInformers: SharedInformerFactory;
  private readonly services: ServiceSource;
  private readonly broadcaster: EventBroadcaster;
  private readonly recorder: EventRecorder;
  private readonly workers: PodWorkers;
  private readonly probes: ProberManager;
  private readonly images: ImageManager;
  private readonly cm: PodContainerManager;
  private readonly volumes: VolumeManager;
  private readonly lease: LeaseController;
  private readonly podManager = new PodManager();
  private readonly mirrorClient: MirrorClient;
  private readonly fileSource: FileSource;
  private readonly backOff: Backoff;
  /** When each container backoff key was last bumped (Backoff keeps it privately; IsInBackOffSince needs it). */
  private readonly backOffUpdated = new Map<string, number>();
  private readonly volumeBackOff: Backoff;
  private readonly pods = new Map<string, PodRecord>();
  private readonly timers: Timer[] = [];
  private node: NodeObject | undefined;
  /** What the Node's status is made from beyond the host (registerNode's ids, address, labels). */
  private statusConfig: NodeStatusConfig | undefined;
  private lastReported = 0;
  private readonly capacity: NodeResources;
  private readonly allocatable: NodeResources;
  private started = false;

  constructor(private readonly options: KubeletOptions) {
    this.nodeName = options.nodeName;
    this.host = options.host;
    this.cri = options.cri;
    this.clock = options.clock;
    this.client = new RestClient(options.transport);
    this.host.programs.register('kubelet', () => daemon);
    this.host.installProgram(KUBELET_BINARY, 'kubelet', 78_123_456);
    this.process = this.host.spawn([KUBELET_BINARY, '--config=/var/lib/kubelet/config.yaml', '--kubeconfig=/etc/kubernetes/kubelet.conf', '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock'], {
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    });
    this.informers = new SharedInformerFactory(this.client, {
      clock: options.clock,
      rng: options.rng.fork('kubelet informers'),
      tweakListOptions: (o) => {
        o.fieldSelector = `spec.nodeName=${options.nodeName}`;
      },
    });
    this.podInformer = this.informers.informerFor<PodObject>(RESOURCES.pods);
    this.nodeInformers = new SharedInformerFactory(this.client, {
      clock: options.clock,
      rng: options.rng.fork('kubelet node informers'),
      tweakListOptions: (o) => {
        o.fieldSelector = `metadata.name=${options.nodeName}`;
      },
    });
    this.nodeInformer = this.nodeInformers.informerFor<NodeObject>(RESOURCES.nodes);
    // Headless Services make no variables: the kubelet does not even watch them.
    this.serviceInformers = new SharedInformerFactory(this.client, {
      clock: options.clock,
      rng: options.rng.fork('kubelet service informers'),
      tweakListOptions: (o) => {
        o.fieldSelector = 'spec.clusterIP!=None';
      },
    });
    const serviceInformer = this.serviceInformers.informerFor<Service & KubeObject>(RESOURCES.services);
    this.services = { hasSynced: () => serviceInformer.hasSynced(), list: () => serviceInformer.lister().list() };
    this.podInformer.addEventHandler({
      onAdd: (pod) => (isMirrorPod(pod) ? this.handleMirrorPod(pod) : this.handlePod(pod)),
      onUpdate: (_old, pod) => (isMirrorPod(pod) ? this.handleMirrorPod(pod) : this.handlePod(pod)),
      onDelete: (obj) => {
        const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (pod && isMirrorPod(pod)) this.handleMirrorPod(pod, true);
        else if (pod) this.handlePodRemoved(pod);
      },
    });
    this.broadcaster = new EventBroadcaster({ clock: options.clock, rng: options.rng.fork('kubelet events') });
    this.broadcaster.startRecordingToSink(restEventSink(this.client));
    this.recorder = this.broadcaster.newRecorder({ component: 'kubelet', host: options.nodeName });
    this.workers = new PodWorkers(options.clock, (uid) => this.syncPod(uid), `kubelet ${options.nodeName}`);
    this.images = new ImageManager(options.clock, options.cri, this.recorder);
    this.probes = new ProberManager({
      clock: options.clock,
      cri: options.cri,
      tcp: tcpOf(this.host),
      netns: () => this.process.nsproxy?.net ?? this.host.init.nsproxy!.net,
      recorder: this.recorder,
      containerRef: (pod, c) => this.containerRef(pod, c, false),
      pod: (uid) => this.pods.get(uid)?.pod,
      status: (uid) => this.pods.get(uid)?.status,
    });
    this.probes.onDidChange((uid) => {
      if (this.pods.has(uid)) this.workers.updatePod(uid);
    });
    const vfs = this.host.vfsFor(this.process);
    this.cm = new PodContainerManager(vfs, options.cgroupDriver ?? 'systemd');
    const objects: ObjectGetter = {
      configMap: (ns, name) => this.getOptional<ConfigMap & KubeObject>(RESOURCES.configmaps, ns, name),
      secret: (ns, name) => this.getOptional<Secret & KubeObject>(RESOURCES.secrets, ns, name),
      serviceAccountToken: tokenRequester(this.client),
    };
    this.objects = objects;
    this.volumes = new VolumeManager(vfs, options.clock, options.rng.fork('kubelet volumes'), objects);
    this.mirrorClient = new MirrorClient(this.client, options.nodeName, () => this.node);
    const config = new PodConfig(options.clock, FILE_SOURCE, { onAdd: (p) => this.handlePod(p as PodObject), onUpdate: (p) => this.handlePod(p as PodObject), onRemove: (p) => this.handlePodRemoved(p) });
    this.fileSource = new FileSource({ clock: options.clock, vfs, path: STATIC_POD_PATH, nodeName: options.nodeName, onSet: (pods) => config.set(pods) });
    this.lease = new LeaseController(this.client, options.clock, options.nodeName, () => this.node?.metadata?.uid ?? '');
    this.backOff = new Backoff(options.clock, CONTAINER_BACKOFF_INITIAL_MS, CONTAINER_BACKOFF_MAX_MS);
    this.volumeBackOff = new Backoff(options.clock, VOLUME_BACKOFF_INITIAL_MS, VOLUME_BACKOFF_MAX_MS);
    this.capacity = nodeCapacity(this.host);
    this.allocatable = nodeAllocatable(this.capacity);
    this.server = new KubeletServer({ clock: options.clock, cri: options.cri, pods: (ns, name) => this.resolvePod(ns, name) });
  }

  private readonly objects: ObjectGetter;
  /** The kubelet's server (containerLogs, exec, attach), answering from this kubelet's pods. */
  readonly server: KubeletServer;
  /** The summary API (/stats/summary); made at start, as its housekeeping starts with it. */
  summary: SummaryProvider | undefined;
  /** Node-pressure eviction and log rotation, made at start with the summary they read. */
  eviction: EvictionManager | undefined;
  private logs: ContainerLogManager | undefined;
  private containerGC: ContainerGC | undefined;

  /**
   * Start: the kubepods cgroups, --pod-cidr (if given) to the CRI and the runtime's status, the Node
   * registered with the start-up events, the Lease, then the pod and node watches, the PLEG, the
   * runtime checks, status reports (fast until Ready) and container GC.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const o = this.options;
    this.serviceInformers.start();
    this.cm.createQosCgroups();
    this.fileSource.run();
    if (o.podCIDR) await this.updatePodCIDR(o.podCIDR).catch(() => false);
    await this.updateRuntimeUp();
    await this.registerNode();
    await this.lease.sync();
    this.lease.run();
    this.informers.start();
    this.nodeInformers.start();
    this.timers.push(this.clock.every(RUNTIME_UP_PERIOD_MS, () => void this.updateRuntimeUp(), `kubelet ${this.nodeName}: runtime status`));
    this.fastStatusUpdateOnce();
    this.summary = new SummaryProvider({ clock: this.clock, host: this.host, cri: this.cri, nodeName: this.nodeName, pods: () => this.podSandboxes() });
    this.timers.push(this.clock.every(PLEG_RELIST_PERIOD_MS, () => void this.relist(), `kubelet ${this.nodeName}: pleg relist`));
    this.timers.push(this.clock.every(NODE_STATUS_UPDATE_FREQUENCY_MS, () => void this.updateNodeStatus().catch(() => undefined), `kubelet ${this.nodeName}: node status`));
    this.timers.push(this.clock.every(CONTAINER_GC_PERIOD_MS, () => void this.garbageCollect(), `kubelet ${this.nodeName}: container gc`));
    this.startNodeHousekeeping(this.summary);
  }

  /** Container GC's policy, image GC every 5 minutes, the eviction manager and the container log manager. */
  private startNodeHousekeeping(summary: SummaryProvider): void {
    const nodeRef = { kind: 'Node', name: this.nodeName, uid: this.nodeName, apiVersion: '' };
    const containerGC = (this.containerGC = new ContainerGC(this.cri, this.host.vfsFor(this.process), this.clock, { shouldPodContentBeRemoved: (uid) => !this.pods.has(uid), shouldPodRuntimeBeRemoved: (uid) => this.pods.get(uid)?.terminated ?? true }));
    const imageFsStats = () => Promise.resolve(summary.summary().node.runtime?.imageFs).then((fs) => (fs?.capacityBytes ? { capacityBytes: fs.capacityBytes, availableBytes: fs.availableBytes ?? 0 } : undefined));
    const imageGC = new ImageGCManager({ cri: this.cri, clock: this.clock, recorder: this.recorder, nodeRef, imageFsStats });
    this.timers.push(this.clock.every(IMAGE_GC_PERIOD_MS, () => void imageGC.garbageCollect().catch(() => undefined), `kubelet ${this.nodeName}: image gc`));
    const activePods = () => [...this.pods.values()].filter((r) => r.admitted && !r.terminated && !r.terminating).map((r) => r.pod);
    const fresh = async () => (await summary.housekeeping(), summary.summary());
    this.eviction = new EvictionManager({ clock: this.clock, summary: fresh, recorder: this.recorder, nodeRef, activePods, killPod: (pod, grace, update) => this.evictPod(pod, grace, update), reclaimDisk: [() => containerGC.deleteAllUnusedContainers(), () => imageGC.deleteUnusedImages().then(() => undefined)] });
    this.eviction.start();
    this.logs = new ContainerLogManager({ cri: this.cri, vfs: this.host.vfsFor(this.process), clock: this.clock, ...(this.options.containerLogMaxSize ? { maxSize: this.options.containerLogMaxSize } : {}), ...(this.options.containerLogMaxFiles ? { maxFiles: this.options.containerLogMaxFiles } : {}) });
    this.logs.start();
  }

  /** The eviction manager's killPodFunc: the pod stopped within the grace period, its final status as `update` makes it. */
  private async evictPod(pod: Pod, gracePeriodSeconds: number, update: (status: PodStatus) => PodStatus): Promise<void> {
    const record = this.pods.get(pod.metadata?.uid ?? '');
    if (!record || record.terminated) return;
    record.terminated = true;
    await this.workers.idle(record.uid);
    await this.killPod(record, gracePeriodSeconds, true);
    await this.updateStatus(record, update);
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.length = 0;
    this.lease.stop();
    this.probes.stop();
    this.summary?.stop();
    this.eviction?.stop();
    this.logs?.stop();
    this.workers.stop();
    this.informers.shutdown();
    this.nodeInformers.shutdown();
    this.serviceInformers.shutdown();
    this.fileSource.stop();
    this.broadcaster.shutdown();
  }

  /** The kubelet server's PodResolver: the pod's uid, sandbox and containers (newest attempt, and the one before). */
  resolvePod(namespace: string, name: string): ResolvedPodView | undefined {
    const record = [...this.pods.values()].find((r) => r.pod.metadata?.namespace === namespace && r.pod.metadata?.name === name);
    if (!record) return undefined;
    const containers = new Map<string, { id: string; logPath: string; previous?: { id: string; logPath: string } }>();
    for (const [cname, attempts] of record.attempts) {
      const latest = attempts[attempts.length - 1];
      if (!latest) continue;
      const prev = attempts[attempts.length - 2];
      containers.set(cname, { id: latest.id, logPath: latest.logPath, ...(prev ? { previous: { id: prev.id, logPath: prev.logPath } } : {}) });
    }
    return { uid: record.uid, sandboxId: record.sandboxId, containers };
  }

  /** The pods with a sandbox, for the summary API. */
  podSandboxes(): Array<{ namespace: string; name: string; uid: string; sandboxId: string }> {
    return [...this.pods.values()]
      .filter((r) => r.sandboxId !== undefined)
      .map((r) => ({ namespace: r.pod.metadata?.namespace ?? '', name: r.pod.metadata?.name ?? '', uid: r.uid, sandboxId: r.sandboxId! }));
  }

  /** Resolves once every pod worker has finished what it has to do now (tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.pods.keys()].map((uid) => this.workers.idle(uid)));
  }

  // —— node ——

  /** The pod CIDR the runtime has been given ('' before it has one): where this node's pods get their IPs. */
  get podCIDR(): string {
    return this.currentPodCIDR;
  }

  /** updatePodCIDR: hand a new pod CIDR to the runtime (UpdateRuntimeConfig); whether it changed. */
  private async updatePodCIDR(cidr: string): Promise<boolean> {
    if (cidr === this.currentPodCIDR) return false;
    try {
      await this.cri.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: cidr } } });
    } catch (error) {
      throw new Error(`failed to update pod CIDR: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.currentPodCIDR = cidr;
    return true;
  }

  /**
   * updateRuntimeUp: the runtime's Status; its NetworkReady condition sets the network error
   * (`container runtime network not ready: NetworkReady=false reason:… message:…`, RuntimeCondition's
   * String()) or clears it.
   */
  private async updateRuntimeUp(): Promise<void> {
    let conditions: cri.RuntimeCondition[];
    try {
      conditions = (await this.cri.status()).status.conditions;
    } catch {
      return;
    }
    const network = conditions.find((c) => c.type === 'NetworkReady');
    this.networkError = network?.status ? undefined : `container runtime network not ready: ${network ? `NetworkReady=false reason:${network.reason} message:${network.message}` : '<nil>'}`;
  }

  /** runtimeState's errors that keep the node from being Ready. */
  private readyErrors(): string[] {
    return this.networkError ? [this.networkError] : [];
  }

  /**
   * updateNode: the Node's pod CIDRs to the runtime, then the status the setters make from `original`
   * (conditions through the eviction manager); whether it changed in more than heartbeats.
   */
  private async updateNode(original: NodeObject, images: readonly cri.Image[]): Promise<{ status: NonNullable<Node['status']>; changed: boolean }> {
    const now = this.clock.now();
    let podCIDRChanged = false;
    const podCIDRs = original.spec?.podCIDRs ?? [];
    if (podCIDRs.length > 0) podCIDRChanged = await this.updatePodCIDR(podCIDRs.join(',')).catch(() => false);
    const previous = original.status?.conditions ?? [];
    const set = nodeConditions(now, previous, this.readyErrors());
    const conditions = this.eviction ? this.eviction.nodeConditions(set, previous, now) : set;
    const { conditions: _initial, ...owned } = initialNode(this.host, this.statusConfig!, now, images).status!;
    const status = { ...original.status, ...owned, conditions };
    return { status, changed: podCIDRChanged || nodeStatusHasChanged(original.status ?? {}, status) };
  }

  /** The Ready setter's events: NodeReady or NodeNotReady when Ready's status changes. */
  private recordReadyTransition(before: Node['status'], after: Node['status']): void {
    const was = before?.conditions?.find((c) => c.type === 'Ready');
    const now = after?.conditions?.find((c) => c.type === 'Ready');
    if (!was || !now || was.status === now.status) return;
    const reason = now.status === 'True' ? 'NodeReady' : 'NodeNotReady';
    this.recorder.event({ kind: 'Node', name: this.nodeName, uid: this.nodeName, apiVersion: '' }, EVENT_TYPE_NORMAL, reason, `Node ${this.nodeName} status is now: ${reason}`);
  }

  /**
   * fastStatusUpdateOnce: every 100 ms, until the Node is Ready (or two minutes have gone): the Node from
   * the watch, the runtime's status, updateNode; the status is written as soon as it says Ready.
   */
  private fastStatusUpdateOnce(): void {
    const start = this.clock.now();
    let busy = false;
    const timer = this.clock.every(FAST_STATUS_UPDATE_PERIOD_MS, () => {
      if (busy) return;
      busy = true;
      void this.fastNodeStatusUpdate(this.clock.now() - start >= NODE_READY_GRACE_PERIOD_MS)
        .catch(() => false)
        .then((done) => {
          busy = false;
          if (done) timer.cancel();
        });
    }, `kubelet ${this.nodeName}: fast node status`);
    this.timers.push(timer);
  }

  /** fastNodeStatusUpdate: whether the fast updates are over. */
  private async fastNodeStatusUpdate(timeout: boolean): Promise<boolean> {
    if (timeout) return true;
    const original = this.nodeInformer.lister().get(this.nodeName);
    const ready = original?.status?.conditions?.find((c) => c.type === 'Ready');
    if (!original || !ready) return false;
    if (ready.status === 'True') return true;
    await this.updateRuntimeUp();
    const { status, changed } = await this.updateNode(original, (await this.cri.listImages()).images);
    if (!changed || status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') return false;
    try {
      this.node = await this.client.resource<NodeObject>(RESOURCES.nodes).updateStatus('', { ...original, status });
      this.lastReported = this.clock.now();
      this.recordReadyTransition(original.status, status);
    } catch {
      await this.updateNodeStatus().catch(() => undefined);
    }
    return true;
  }

  private async registerNode(): Promise<void> {
    const o = this.options;
    const rng = o.rng.fork(`node ${o.nodeName}`);
    const images = (await this.cri.listImages()).images;
    this.statusConfig = {
      nodeName: o.nodeName,
      address: o.address,
      containerRuntimeVersion: `containerd://${CONTAINERD_VERSION}`,
      bootID: rng.uuid(),
      machineID: rng.string('0123456789abcdef', 32),
      systemUUID: rng.uuid(),
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.taints ? { taints: o.taints } : {}),
      ...(o.controlPlane ? { controlPlane: true } : {}),
    };
    const node = initialNode(this.host, this.statusConfig, this.clock.now(), images, this.readyErrors());
    const nodes = this.client.resource<NodeObject>(RESOURCES.nodes);
    try {
      this.node = await nodes.create('', node as NodeObject);
    } catch (error) {
      if (isNotFound(error)) throw error;
      const existing = await nodes.get('', o.nodeName);
      this.node = await nodes.updateStatus('', { ...existing, status: node.status! });
    }
    this.lastReported = this.clock.now();
    const ref = { kind: 'Node', name: o.nodeName, uid: o.nodeName, apiVersion: '' };
    this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Starting', 'Starting kubelet.');
    this.recorder.event(ref, EVENT_TYPE_NORMAL, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    // The pressure setters announce their first conditions; Ready is announced when it turns True (a node
    // registered without a pod network announces it later, from recordReadyTransition).
    const readyAtStart = this.readyErrors().length === 0;
    for (const [type, c] of Object.entries(CONDITION_TEXT)) if (type !== 'Ready' || readyAtStart) this.recorder.event(ref, EVENT_TYPE_NORMAL, c.event, `Node ${o.nodeName} status is now: ${c.event}`);
  }

  /**
   * tryUpdateNodeStatus, every 10s: the Node's pod CIDRs to the runtime, then setNodeStatus sets every
   * field the kubelet owns again (addresses, capacity, allocatable, the daemon endpoint, nodeInfo,
   * images, conditions) on the Node as the API has it; the status is written when it changed in more
   * than the heartbeats (a node the lifecycle controller marked Unknown is Ready again at once) and
   * otherwise every 5 minutes — the Lease is the heartbeat in between.
   */
  private async updateNodeStatus(): Promise<void> {
    const now = this.clock.now();
    const nodes = this.client.resource<NodeObject>(RESOURCES.nodes);
    const current = await nodes.get('', this.nodeName);
    const { status, changed } = await this.updateNode(current, (await this.cri.listImages()).images);
    if (now - this.lastReported < NODE_STATUS_REPORT_FREQUENCY_MS && !changed) return;
    this.node = await nodes.updateStatus('', { ...current, status });
    this.lastReported = now;
    this.recordReadyTransition(current.status, status);
  }

  // —— pods from the API ——

  private handlePod(pod: PodObject): void {
    const uid = pod.metadata?.uid ?? '';
    let record = this.pods.get(uid);
    if (!record) {
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
        if (pod.metadata?.deletionTimestamp) void this.deletePodObject(pod);
        return;
      }
      record = { uid, pod, admitted: false, sandboxAttempt: 0, podIP: '', startTime: this.clock.now(), attempts: new Map(), waiting: new Map(), terminated: false, terminating: false, seen: new Map() };
      this.pods.set(uid, record);
      const admitted = [...this.pods.values()].filter((r) => r.admitted && !r.terminated).map((r) => r.pod);
      const result = canAdmitPod(pod, admitted, this.allocatable);
      if (!result.admit) {
        record.terminated = true;
        this.recorder.event(pod, EVENT_TYPE_WARNING, result.reason!, result.message!);
        void this.writeStatus(record, { ...pod.status, phase: 'Failed', reason: result.reason!, message: `Pod was rejected: ${result.message!}`, qosClass: podQOSClass(pod) });
        return;
      }
      record.admitted = true;
      this.probes.addPod(pod);
    }
    const before = record.pod;
    record.pod = pod;
    // The config source passes on what changed in the pod but its status (checkAndUpdatePod): the
    // kubelet's own status writes do not make it sync again.
    if (before !== pod && !podsDifferSemantically(before, pod)) return;
    this.workers.updatePod(uid);
  }

  /** handleMirrorPod: a mirror pod is never run; its static pod syncs, to mend it. */
  private handleMirrorPod(pod: PodObject, removed = false): void {
    const before = this.podManager.getMirrorPodByPod(pod);
    if (removed) this.podManager.removeMirrorPod(pod);
    else this.podManager.updateMirrorPod(pod);
    if (!removed && before && before.metadata?.uid === pod.metadata?.uid && !podsDifferSemantically(before, pod)) return;
    for (const record of this.pods.values()) if (isStaticPod(record.pod) && podFullName(record.pod) === podFullName(pod)) this.workers.updatePod(record.uid);
  }

  private handlePodRemoved(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const record = this.pods.get(uid);
    if (!record) return;
    record.pod = { ...record.pod, metadata: { ...record.pod.metadata, deletionTimestamp: record.pod.metadata?.deletionTimestamp ?? rfc3339(this.clock.now()), deletionGracePeriodSeconds: isStaticPod(pod) ? (pod.spec?.terminationGracePeriodSeconds ?? 30) : 0 } };
    record.terminating = true;
    this.workers.updatePod(uid);
  }

  private async getOptional<T extends KubeObject>(gvr: (typeof RESOURCES)[keyof typeof RESOURCES], namespace: string, name: string): Promise<T | undefined> {
    try {
      return await this.client.resource<T>(gvr).get(namespace, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  // —— the pod worker's sync ——

  private async syncPod(uid: string): Promise<void> {
    const record = this.pods.get(uid);
    if (!record || !record.admitted) return;
    const pod = record.pod;
    if (pod.metadata?.deletionTimestamp || record.terminating) {
      await this.terminatePod(record);
      return;
    }
    if (record.terminated) return;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') {
      await this.killPod(record, 0);
      record.terminated = true;
      await this.updateStatus(record);
      return;
    }
    if (isStaticPod(pod)) {
      // allowStaticPodStart: a static pod starts once the one it replaces (same full name) has terminated.
      if ([...this.pods.values()].some((r) => r !== record && r.terminating && podFullName(r.pod) === podFullName(pod))) {
        this.workers.enqueueAfter(uid, PLEG_RELIST_PERIOD_MS);
        return;
      }
      const mirror = await this.mirrorClient.tryReconcileMirrorPods(pod, this.podManager.getMirrorPodByPod(pod));
      if (mirror && mirror.metadata?.uid !== this.podManager.mirrorOf(pod)?.metadata?.uid) {
        this.podManager.updateMirrorPod(mirror);
        record.lastStatus = undefined;
      }
      // Without a mirror (the Node unknown, the apiserver out of reach) the next try is the resync's.
      if (!mirror) this.workers.enqueueAfter(uid, SYNC_FREQUENCY_MS);
    }
    // The status first (Pending, ContainerCreating), as SyncPod writes it before it acts.
    await this.updateStatus(record);
    // Without the pod network only hostNetwork pods start; the others try again after the worker's backoff.
    if (this.networkError && !pod.spec?.hostNetwork) {
      const message = `${NETWORK_NOT_READY_ERROR_MSG}: ${this.networkError}`;
      this.recorder.event(pod, EVENT_TYPE_WARNING, 'NetworkNotReady', message);
      throw new Error(message);
    }
    this.cm.ensureExists(pod);
    if (!(await this.mountVolumes(record))) {
      await this.updateStatus(record);
      return;
    }
    if (!(await this.ensureSandbox(record))) {
      await this.updateStatus(record);
      return;
    }
    this.writeEtcHosts(record);
    await this.syncContainers(record);
    await this.updateStatus(record);
    if (await this.isTerminal(record)) {
      await this.killPod(record, 0);
      record.terminated = true;
      await this.updateStatus(record);
    }
  }

  /** WaitForAttachAndMount: every volume set up, or a FailedMount event and a retry after the volume backoff. */
  private async mountVolumes(record: PodRecord): Promise<boolean> {
    try {
      record.volumes = await this.volumes.setUp(record.pod, this.allocatable);
      this.volumeBackOff.reset(record.uid);
      return true;
    } catch (error) {
      if (!(error instanceof VolumeError)) throw error;
      if (!this.volumeBackOff.isInBackOffSinceUpdate(record.uid, this.clock.now())) {
        this.recorder.event(record.pod, EVENT_TYPE_WARNING, 'FailedMount', `MountVolume.SetUp failed for volume "${error.volume}" : ${error.message}`);
        this.volumeBackOff.next(record.uid, this.clock.now());
      }
      this.workers.enqueueAfter(record.uid, this.volumeBackOff.get(record.uid));
      return false;
    }
  }

  /** The pod's sandbox: made when it has none, re-made (SandboxChanged) when it died. */
  private async ensureSandbox(record: PodRecord): Promise<boolean> {
    const pod = record.pod;
    if (record.sandboxId) {
      const status = await this.cri.podSandboxStatus(record.sandboxId).catch(() => undefined);
      if (status?.status.state === 'SANDBOX_READY') return true;
      this.recorder.event(pod, EVENT_TYPE_NORMAL, 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      await this.killPod(record, 0);
      record.sandboxId = undefined;
      record.sandboxAttempt++;
    }
    try {
      const config = this.sandboxConfig(record);
      const { podSandboxId } = await this.cri.runPodSandbox({ config });
      record.sandboxId = podSandboxId;
      const status = await this.cri.podSandboxStatus(podSandboxId);
      record.podIP = pod.spec?.hostNetwork ? this.options.address : status.status.network.ip;
      return true;
    } catch (error) {
      if (!(error instanceof CriError)) throw error;
      this.recorder.event(pod, EVENT_TYPE_WARNING, 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${error.message}`);
      this.workers.enqueueAfter(record.uid, WORKER_BACKOFF_PERIOD_MS);
      return false;
    }
  }

  /** generatePodSandboxConfig. */
  private sandboxConfig(record: PodRecord): cri.PodSandboxConfig {
    const pod = record.pod;
    const md = pod.metadata ?? {};
    const spec = pod.spec!;
    const ns = md.namespace ?? 'default';
    const domain = this.options.clusterDomain ?? 'cluster.local';
    const hostNetwork = spec.hostNetwork ?? false;
    const policy = spec.dnsPolicy ?? 'ClusterFirst';
    let dnsConfig: cri.DNSConfig | undefined;
    if (policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !hostNetwork)) {
      dnsConfig = { servers: [...(this.options.clusterDNS ?? [CLUSTER_DNS_IP])], searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain], options: ['ndots:5'] };
    } else if (policy === 'None') {
      dnsConfig = { servers: [...(spec.dnsConfig?.nameservers ?? [])], searches: [...(spec.dnsConfig?.searches ?? [])], options: (spec.dnsConfig?.options ?? []).map((o) => (o.value ? `${o.name}:${o.value}` : (o.name ?? ''))) };
    }
    const pid: cri.NamespaceMode = spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER';
    const sc = spec.securityContext;
    return {
      metadata: { name: md.name ?? '', uid: record.uid, namespace: ns, attempt: record.sandboxAttempt },
      // generatePodSandboxConfig: a host-network pod keeps the node's hostname.
      ...(hostNetwork ? {} : { hostname: (spec.hostname ?? md.name ?? '').slice(0, 63) }),
      logDirectory: `/var/log/pods/${ns}_${md.name ?? ''}_${record.uid}`,
      ...(dnsConfig ? { dnsConfig } : {}),
      portMappings: (spec.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({ protocol: (p.protocol ?? 'TCP') as 'TCP', containerPort: p.containerPort, hostPort: p.hostPort!, ...(p.hostIP ? { hostIp: p.hostIP } : {}) }))),
      labels: { ...md.labels, 'io.kubernetes.pod.name': md.name ?? '', 'io.kubernetes.pod.namespace': ns, 'io.kubernetes.pod.uid': record.uid },
      annotations: { 'kubernetes.io/config.seen': rfc3339(record.startTime), 'kubernetes.io/config.source': 'api', ...md.annotations },
      linux: {
        cgroupParent: this.cm.cgroupParent(pod),
        securityContext: {
          namespaceOptions: { network: hostNetwork ? 'NODE' : 'POD', pid, ipc: spec.hostIPC ? 'NODE' : 'POD' },
          ...(sc?.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
          ...(sc?.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
          ...(sc?.supplementalGroups ? { supplementalGroups: [...sc.supplementalGroups] } : {}),
        },
      },
    };
  }

  /** The hosts file the kubelet manages for a pod not on the host network (/var/lib/kubelet/pods/<uid>/etc-hosts). */
  private writeEtcHosts(record: PodRecord): void {
    if (record.pod.spec?.hostNetwork) return;
    const vfs = this.host.vfsFor(this.process);
    const hostname = (record.pod.spec?.hostname ?? record.pod.metadata?.name ?? '').slice(0, 63);
    let text = '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
    // GeneratePodHostNameAndDomain: a pod with a subdomain (a StatefulSet's, under its headless Service)
    // is also listed under its fully qualified name, <hostname>.<subdomain>.<namespace>.svc.<domain>.
    const subdomain = record.pod.spec?.subdomain;
    const fqdn = subdomain ? `${hostname}.${subdomain}.${record.pod.metadata?.namespace ?? 'default'}.svc.${this.options.clusterDomain ?? 'cluster.local'}\t` : '';
    if (record.podIP) text += `${record.podIP}\t${fqdn}${hostname}\n`;
    for (const alias of record.pod.spec?.hostAliases ?? []) text += `\n# Entries added by HostAliases.\n${alias.ip ?? ''}\t${(alias.hostnames ?? []).join('\t')}\n`;
    const path = `${podDir(record.uid)}/etc-hosts`;
    vfs.mkdirAll(podDir(record.uid), 0o750);
    vfs.writeFile(path, text, { mode: 0o644 });
  }

  /** computePodActions and its execution: init containers in order, then every container as its restart policy says. */
  private async syncContainers(record: PodRecord): Promise<void> {
    const pod = record.pod;
    const spec = pod.spec!;
    const policy = spec.restartPolicy ?? 'Always';
    // Ephemeral containers start even before initialization completes, once, never restarted.
    for (const c of ephemeralContainersToStart(spec, (name) => (record.attempts.get(name)?.length ?? 0) > 0)) await this.startContainer(record, c, false, undefined);
    for (const c of spec.initContainers ?? []) {
      const latest = await this.latestStatus(record, c.name);
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      if (latest?.state === 'CONTAINER_RUNNING' || latest?.state === 'CONTAINER_CREATED') return;
      if (latest?.state === 'CONTAINER_EXITED' && policy === 'Never') return;
      await this.startContainer(record, c, true, latest);
      return;
    }
    for (const c of spec.containers) {
      const latest = await this.latestStatus(record, c.name);
      if (latest?.state === 'CONTAINER_RUNNING' && (await this.killUnhealthy(record, c, latest.id))) continue;
      if (latest?.state === 'CONTAINER_RUNNING' || latest?.state === 'CONTAINER_CREATED') continue;
      if (latest?.state === 'CONTAINER_EXITED') {
        if (policy === 'Never' || (policy === 'OnFailure' && latest.exitCode === 0)) {
          record.waiting.delete(c.name);
          continue;
        }
      }
      await this.startContainer(record, c, false, latest);
    }
  }

  /**
   * computePodActions' probe check: a running container whose liveness (or startup) probe failed is
   * killed with the probe's grace period (or the pod's), then started again unless restartPolicy is
   * Never. True when the container is done with for this sync.
   */
  private async killUnhealthy(record: PodRecord, c: Container, id: string): Promise<boolean> {
    const failed = this.probes.mustKill(`containerd://${id}`);
    if (!failed) return false;
    const pod = record.pod;
    const restart = (pod.spec?.restartPolicy ?? 'Always') !== 'Never';
    this.recorder.event(this.containerRef(pod, c, false), EVENT_TYPE_NORMAL, 'Killing', `Container ${c.name} failed ${failed} probe${restart ? ', will be restarted' : ''}`);
    const probe = failed === 'liveness' ? c.livenessProbe : c.startupProbe;
    await this.killContainer(id, c, probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30);
    if (restart) await this.startContainer(record, c, false, undefined);
    return true;
  }

  private async latestStatus(record: PodRecord, name: string): Promise<cri.ContainerStatus | undefined> {
    const attempts = record.attempts.get(name);
    const latest = attempts?.[attempts.length - 1];
    if (!latest) return undefined;
    return (await this.cri.containerStatus(latest.id).catch(() => undefined))?.status;
  }

  private containerRef(pod: Pod, c: Container, init: boolean): ObjectReference {
    return {
      kind: 'Pod',
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      uid: pod.metadata?.uid ?? '',
      apiVersion: 'v1',
      resourceVersion: pod.metadata?.resourceVersion ?? '',
      fieldPath: containerFieldPath(pod.spec, c.name, init),
    };
  }

  /** doBackOff, then startContainer: image, config, create, start, postStart. */
  private async startContainer(record: PodRecord, c: Container, init: boolean, exited: cri.ContainerStatus | undefined): Promise<void> {
    const pod = record.pod;
    const ref = this.containerRef(pod, c, init);
    const key = `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}_${record.uid}_${c.name}`;
    if (exited?.state === 'CONTAINER_EXITED') {
      const finishedAt = Math.floor(exited.finishedAt / 1e6);
      const now = this.clock.now();
      const updated = this.backOffUpdated.get(key);
      const expired = updated === undefined || finishedAt - updated > CONTAINER_BACKOFF_MAX_MS * 2;
      const backoff = expired ? 0 : this.backOff.get(key);
      if (backoff > 0 && now - finishedAt < backoff) {
        this.recorder.event(ref, EVENT_TYPE_WARNING, 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`);
        record.waiting.set(c.name, { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(BigInt(backoff) * 1_000_000n)} restarting failed container=${c.name} pod=${formatPod(pod)}` });
        this.workers.enqueueAfter(record.uid, finishedAt + backoff - now);
        return;
      }
      this.backOff.next(key, finishedAt);
      this.backOffUpdated.set(key, now);
    }
    const pulled = await this.images.ensureImageExists(ref, pod, c);
    if (!('imageRef' in pulled)) {
      record.waiting.set(c.name, pulled);
      this.recorder.event(ref, EVENT_TYPE_WARNING, 'Failed', `Error: ${pulled.reason}`);
      // A failed sync comes back after the worker's backoff (10s), whatever the image backoff says:
      // inside it the container shows ImagePullBackOff, past it the pull is tried again.
      this.workers.enqueueAfter(record.uid, WORKER_BACKOFF_PERIOD_MS);
      return;
    }
    const attempts = record.attempts.get(c.name) ?? [];
    const previous = attempts[attempts.length - 1];
    const attempt = previous ? previous.attempt + 1 : 0;
    let config: cri.ContainerConfig;
    try {
      config = await this.containerConfig(record, c, pulled.imageRef, attempt);
    } catch (error) {
      if (!(error instanceof ContainerConfigError)) throw error;
      record.waiting.set(c.name, { reason: 'CreateContainerConfigError', message: error.message });
      this.recorder.event(ref, EVENT_TYPE_WARNING, 'Failed', `Error: ${error.message}`);
      this.workers.enqueueAfter(record.uid, WORKER_BACKOFF_PERIOD_MS);
      return;
    }
    let containerId: string;
    try {
      containerId = (await this.cri.createContainer({ podSandboxId: record.sandboxId!, config, sandboxConfig: this.sandboxConfig(record) })).containerId;
    } catch (error) {
      if (!(error instanceof CriError)) throw error;
      record.waiting.set(c.name, { reason: 'CreateContainerError', message: error.message });
      this.recorder.event(ref, EVENT_TYPE_WARNING, 'Failed', `Error: ${error.message}`);
      this.workers.enqueueAfter(record.uid, WORKER_BACKOFF_PERIOD_MS);
      return;
    }
    record.attempts.set(c.name, [...attempts, { id: containerId, attempt, logPath: `/var/log/pods/${pod.metadata?.namespace ?? ''}_${pod.metadata?.name ?? ''}_${record.uid}/${c.name}/${attempt}.log` }]);
    record.waiting.delete(c.name);
    this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Created', `Created container ${c.name}`);
    try {
      await this.cri.startContainer(containerId);
    } catch (error) {
      if (!(error instanceof CriError)) throw error;
      this.recorder.event(ref, EVENT_TYPE_WARNING, 'Failed', `Error: ${error.message}`);
      return;
    }
    this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Started', `Started container ${c.name}`);
    const postStart = c.lifecycle?.postStart?.exec?.command;
    if (postStart?.length) {
      const result = await this.cri.execSync({ containerId, cmd: [...postStart], timeout: 0 }).catch((error: unknown) => (error instanceof CriError ? error : undefined));
      const failed = result instanceof CriError || (result !== undefined && result.exitCode !== 0);
      if (failed) {
        const why = result instanceof CriError ? result.message : `command '${postStart.join(' ')}' exited with ${result!.exitCode}: ${result!.stderr}`;
        const output = result instanceof CriError ? '' : (result?.stdout ?? '') + (result?.stderr ?? '');
        this.recorder.event(ref, EVENT_TYPE_WARNING, 'FailedPostStartHook', `Exec lifecycle hook ([${postStart.join(' ')}]) for Container "${c.name}" in Pod "${formatPod(pod)}" failed - error: ${why}, message: ${JSON.stringify(output)}`);
        this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Killing', 'FailedPostStartHook');
        await this.cri.stopContainer(containerId, pod.spec?.terminationGracePeriodSeconds ?? 30).catch(() => undefined);
      }
    }
  }

  /** generateContainerConfig. */
  private async containerConfig(record: PodRecord, c: Container, imageRef: string, attempt: number): Promise<cri.ContainerConfig> {
    const pod = record.pod;
    const md = pod.metadata ?? {};
    const envs = await makeEnvironmentVariables(pod, c, this.objects, this.services, this.allocatable);
    const vars = new Map(envs.map((e) => [e.key, e.value]));
    const mounts: cri.Mount[] = [];
    for (const m of c.volumeMounts ?? []) {
      const hostPath = record.volumes?.get(m.name);
      if (hostPath === undefined) continue;
      const sub = m.subPathExpr ? expand(m.subPathExpr, vars) : (m.subPath ?? '');
      mounts.push({ containerPath: m.mountPath, hostPath: sub ? `${hostPath}/${sub}` : hostPath, readonly: m.readOnly ?? false, ...(m.mountPropagation === 'Bidirectional' ? { propagation: 'PROPAGATION_BIDIRECTIONAL' as const } : m.mountPropagation === 'HostToContainer' ? { propagation: 'PROPAGATION_HOST_TO_CONTAINER' as const } : {}) });
    }
    if (!pod.spec?.hostNetwork && !mounts.some((m) => m.containerPath === '/etc/hosts')) mounts.push({ containerPath: '/etc/hosts', hostPath: `${podDir(record.uid)}/etc-hosts` });
    const terminationLog = c.terminationMessagePath ?? '/dev/termination-log';
    const logDir = `${podDir(record.uid)}/containers/${c.name}`;
    const vfs = this.host.vfsFor(this.process);
    vfs.mkdirAll(logDir, 0o750);
    const termFile = `${logDir}/${this.options.rng.fork(`termination ${record.uid} ${c.name} ${attempt}`).string('0123456789abcdef', 8)}`;
    vfs.writeFile(termFile, '', { mode: 0o666 });
    mounts.push({ containerPath: terminationLog, hostPath: termFile });
    const r = containerResources(c);
    const qos = podQOSClass(pod);
    const resources: cri.LinuxContainerResources = { cpuPeriod: QUOTA_PERIOD, cpuQuota: r.cpuLimit !== undefined ? milliCPUToQuota(r.cpuLimit) : 0, cpuShares: milliCPUToShares(r.cpuRequest ?? 0), memoryLimitInBytes: r.memoryLimit ?? 0, oomScoreAdj: this.oomScoreAdj(qos, r.memoryRequest ?? 0) };
    if (this.host.hierarchy.version === 2) resources.unified = { 'memory.oom.group': '1' };
    const sc = { ...pod.spec?.securityContext, ...c.securityContext };
    const spec = pod.spec!;
    return {
      metadata: { name: c.name, attempt },
      image: { image: imageRef, userSpecifiedImage: c.image ?? '' },
      ...(c.command ? { command: c.command.map((a) => expand(a, vars)) } : {}),
      ...(c.args ? { args: c.args.map((a) => expand(a, vars)) } : {}),
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      envs,
      mounts,
      labels: { 'io.kubernetes.container.name': c.name, 'io.kubernetes.pod.name': md.name ?? '', 'io.kubernetes.pod.namespace': md.namespace ?? '', 'io.kubernetes.pod.uid': record.uid },
      annotations: {
        'io.kubernetes.container.hash': this.options.rng.fork(`hash ${JSON.stringify(c)}`).string('0123456789abcdef', 8),
        'io.kubernetes.container.restartCount': String(attempt),
        'io.kubernetes.container.terminationMessagePath': terminationLog,
        'io.kubernetes.container.terminationMessagePolicy': c.terminationMessagePolicy ?? 'File',
        'io.kubernetes.pod.terminationGracePeriod': String(spec.terminationGracePeriodSeconds ?? 30),
      },
      logPath: `${c.name}/${attempt}.log`,
      ...(c.stdin ? { stdin: true } : {}),
      ...(c.stdinOnce ? { stdinOnce: true } : {}),
      ...(c.tty ? { tty: true } : {}),
      linux: {
        resources,
        securityContext: {
          namespaceOptions: containerNamespaceOptions(spec, c.name, (name) => record.attempts.get(name)?.at(-1)?.id),
          ...(sc.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : {}),
          ...(sc.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
          // determineEffectiveSecurityContext: the pod's fsGroup, then its supplementalGroups.
          ...(spec.securityContext?.fsGroup !== undefined || spec.securityContext?.supplementalGroups?.length
            ? { supplementalGroups: [...(spec.securityContext.fsGroup !== undefined ? [spec.securityContext.fsGroup] : []), ...(spec.securityContext.supplementalGroups ?? [])] }
            : {}),
          ...(c.securityContext?.privileged ? { privileged: true } : {}),
          ...(c.securityContext?.readOnlyRootFilesystem ? { readonlyRootfs: true } : {}),
          ...(c.securityContext?.capabilities ? { capabilities: { addCapabilities: [...(c.securityContext.capabilities.add ?? [])], dropCapabilities: [...(c.securityContext.capabilities.drop ?? [])] } } : {}),
          ...(c.securityContext?.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
        },
      },
    };
  }

  /** GetContainerOOMScoreAdjust. */
  private oomScoreAdj(qos: string, memoryRequest: number): number {
    if (qos === 'Guaranteed') return -997;
    if (qos === 'BestEffort') return 1000;
    const adj = 1000 - Math.floor((1000 * memoryRequest) / this.capacity.memoryBytes);
    if (adj < 3) return 3;
    if (adj >= 1000) return 999;
    return adj;
  }

  /** Whether the pod has finished for good: every container done and none to restart. */
  private async isTerminal(record: PodRecord): Promise<boolean> {
    const policy = record.pod.spec?.restartPolicy ?? 'Always';
    if (policy === 'Always') return false;
    const spec = record.pod.spec!;
    for (const c of spec.initContainers ?? []) {
      const s = await this.latestStatus(record, c.name);
      if (s?.state === 'CONTAINER_EXITED' && s.exitCode !== 0 && policy === 'Never') return true;
    }
    for (const c of spec.containers) {
      const s = await this.latestStatus(record, c.name);
      if (s?.state !== 'CONTAINER_EXITED') return false;
      if (policy === 'OnFailure' && s.exitCode !== 0) return false;
    }
    return true;
  }

  // —— termination ——

  /** killPodWithSyncResult: preStop hooks and StopContainer with the grace period, then StopPodSandbox. */
  private async killPod(record: PodRecord, gracePeriodSeconds: number, events = false): Promise<void> {
    const pod = record.pod;
    const spec = pod.spec!;
    const stops: Array<Promise<unknown>> = [];
    const all = [...(spec.initContainers ?? []).map((c) => [c, true] as const), ...spec.containers.map((c) => [c, false] as const), ...(spec.ephemeralContainers ?? []).map((c) => [asContainer(c), false] as const)];
    for (const [c, init] of all) {
      const attempts = record.attempts.get(c.name) ?? [];
      const latest = attempts[attempts.length - 1];
      if (!latest) continue;
      const status = (await this.cri.containerStatus(latest.id).catch(() => undefined))?.status;
      if (status?.state !== 'CONTAINER_RUNNING') continue;
      if (events) this.recorder.event(this.containerRef(pod, c, init), EVENT_TYPE_NORMAL, 'Killing', `Stopping container ${c.name}`);
      stops.push(this.killContainer(latest.id, c, gracePeriodSeconds));
    }
    await Promise.all(stops);
    if (record.sandboxId) await this.cri.stopPodSandbox(record.sandboxId).catch(() => undefined);
  }

  /** killContainer: the preStop hook within the grace period, then StopContainer with what is left of it. */
  private async killContainer(id: string, c: Container, gracePeriodSeconds: number): Promise<void> {
    const start = this.clock.now();
    const preStop = c.lifecycle?.preStop?.exec?.command;
    if (preStop?.length && gracePeriodSeconds > 0) await this.cri.execSync({ containerId: id, cmd: [...preStop], timeout: gracePeriodSeconds }).catch(() => undefined);
    const left = Math.max(2, gracePeriodSeconds - Math.floor((this.clock.now() - start) / 1000));
    await this.cri.stopContainer(id, gracePeriodSeconds === 0 ? 0 : left).catch(() => undefined);
  }

  /** A pod being deleted: killed with its grace period, its final status written, the object deleted. */
  private async terminatePod(record: PodRecord): Promise<void> {
    if (record.terminated && !record.terminating) return;
    const pod = record.pod;
    if (!record.terminated) {
      record.terminating = true;
      const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      await this.killPod(record, grace, true);
      record.terminated = true;
      await this.updateStatus(record);
    }
    const mirror = this.podManager.mirrorOf(pod);
    if (!isStaticPod(pod)) await this.deletePodObject(pod);
    else if (mirror) await this.mirrorClient.deleteMirrorPod(mirror.metadata?.namespace ?? '', mirror.metadata?.name ?? '', mirror.metadata?.uid ?? '').catch(() => false);
    this.cleanupPod(record);
  }

  private async deletePodObject(pod: Pod): Promise<void> {
    try {
      await this.client.resource<PodObject>(RESOURCES.pods).delete(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }

  /** What a pod gone from the API leaves: its containers, sandbox, volumes and cgroup (HandlePodCleanups). */
  private cleanupPod(record: PodRecord): void {
    this.pods.delete(record.uid);
    this.workers.forget(record.uid);
    this.probes.removePod(record.uid);
    void (async () => {
      for (const attempts of record.attempts.values()) for (const a of attempts) await this.cri.removeContainer(a.id).catch(() => undefined);
      if (record.sandboxId) await this.cri.removePodSandbox(record.sandboxId).catch(() => undefined);
      this.volumes.tearDown(record.uid);
      this.cm.destroy(record.pod);
    })();
  }

  // —— status ——

  private async runtimeContainer(record: PodRecord, name: string): Promise<RuntimeContainer> {
    const attempts = record.attempts.get(name) ?? [];
    const latestAttempt = attempts[attempts.length - 1];
    const prevAttempt = attempts[attempts.length - 2];
    const rc: RuntimeContainer = { restartCount: latestAttempt?.attempt ?? 0 };
    const waiting = record.waiting.get(name);
    if (waiting) rc.waiting = waiting;
    if (latestAttempt) {
      const s = (await this.cri.containerStatus(latestAttempt.id).catch(() => undefined))?.status;
      if (s) {
        rc.latest = s;
        if (s.state === 'CONTAINER_RUNNING') {
          const started = this.probes.started(record.uid, name, `containerd://${s.id}`);
          rc.probed = { started, ready: started && this.probes.ready(record.uid, name, `containerd://${s.id}`) };
        }
        const image = (await this.cri.imageStatus({ image: s.imageRef }).catch(() => undefined))?.image;
        rc.imageID = image?.repoDigests[0] ?? s.imageRef;
      }
    }
    if (prevAttempt) {
      const s = (await this.cri.containerStatus(prevAttempt.id).catch(() => undefined))?.status;
      if (s) rc.previous = s;
    }
    return rc;
  }

  private async updateStatus(record: PodRecord, update?: (status: PodStatus) => PodStatus): Promise<void> {
    const pod = record.pod;
    const spec = pod.spec!;
    const init = new Map<string, RuntimeContainer>();
    const regular = new Map<string, RuntimeContainer>();
    for (const c of spec.initContainers ?? []) init.set(c.name, await this.runtimeContainer(record, c.name));
    for (const c of spec.containers) regular.set(c.name, await this.runtimeContainer(record, c.name));
    const ephemeral = new Map<string, RuntimeContainer>();
    for (const c of spec.ephemeralContainers ?? []) ephemeral.set(c.name, await this.runtimeContainer(record, c.name));
    let sandboxReady = false;
    if (record.sandboxId) sandboxReady = (await this.cri.podSandboxStatus(record.sandboxId).catch(() => undefined))?.status.state === 'SANDBOX_READY';
    const status = generateAPIPodStatus(
      pod,
      { initContainers: init, containers: regular, ephemeralContainers: ephemeral, sandboxReady, podIP: record.podIP, hostIP: this.options.address, startTime: record.startTime, terminal: record.terminated },
      podQOSClass(pod),
      this.clock.now(),
    );
    record.status = update ? update(status) : status;
    await this.writeStatus(record, record.status);
  }

  /** The status manager's syncPod: write the status when it differs from what was last written. */
  private async writeStatus(record: PodRecord, status: NonNullable<Pod['status']>): Promise<void> {
    const text = JSON.stringify(status);
    if (text === record.lastStatus) return;
    const pods = this.client.resource<PodObject>(RESOURCES.pods);
    // A static pod's status goes to its mirror pod, once there is one.
    const mirror = isStaticPod(record.pod) ? this.podManager.mirrorOf(record.pod) : undefined;
    if (isStaticPod(record.pod) && !mirror) return;
    let pod = mirror ?? record.pod;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const written = await pods.updateStatus(pod.metadata?.namespace ?? '', { ...pod, status });
        record.lastStatus = text;
        if (!record.terminating && !mirror) record.pod = written;
        return;
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error)) throw error;
        try {
          pod = await pods.get(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
        } catch (e) {
          if (isNotFound(e)) return;
          throw e;
        }
        if (pod.metadata?.uid !== (mirror?.metadata?.uid ?? record.uid)) return;
      }
    }
  }

  // —— PLEG and GC ——

  /** GenericPLEG.Relist: list the containers; a pod whose container changed state is synced. */
  private async relist(): Promise<void> {
    const { containers } = await this.cri.listContainers();
    const byId = new Map(containers.map((c) => [c.id, c.state]));
    for (const record of this.pods.values()) {
      let changed = false;
      for (const attempts of record.attempts.values()) {
        for (const a of attempts) {
          const state = byId.get(a.id);
          if (state && record.seen.get(a.id) !== state) {
            record.seen.set(a.id, state);
            changed = true;
          }
        }
      }
      if (changed) this.workers.updatePod(record.uid);
    }
  }

  /** Container GC (kuberuntime/containerGC.ts), then the attempts it removed forgotten (the newest one is always kept). */
  private async garbageCollect(): Promise<void> {
    this.backOff.gc();
    await this.containerGC?.garbageCollect();
    const ids = new Set((await this.cri.listContainers()).containers.map((c) => c.id));
    for (const record of this.pods.values()) for (const [name, attempts] of record.attempts) record.attempts.set(name, attempts.filter((a, i) => i === attempts.length - 1 || ids.has(a.id)));
  }
}
