/**
 * Kwok — lightweight nodes, after kwok (sigs.k8s.io/kwok): one controller plays the kubelet of many
 * nodes that have no kernel and run no processes. For each node it registers the Node (capacity,
 * allocatable, conditions, addresses, nodeInfo, as a 1.32 kubelet on containerd reports them), renews
 * its Lease in `kube-node-lease` every 10s, and re-posts its status every 5 minutes; for each pod bound
 * to one of its nodes it plays the pod lifecycle stages (stages.ts) through the API: Running and Ready
 * with an IP from the node's podCIDR, Succeeded for a Job's pods, gone once deleted.
 *
 * Like kwok it watches all pods once (not one watch per node), so 5,000 nodes cost one informer.
 * `failNode` stops a node's heartbeats and its work (the node controller then marks it NotReady);
 * `recoverNode` resumes them. What this leaves out is what full nodes (src/engine/kubelet) add:
 * containers, probes, logs, exec, volumes, resource enforcement.
 */
import type { Node, NodeCondition, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { isAlreadyExists, isConflict, isNotFound } from '../api/errors.ts';
import { rfc3339, rfc3339Micro } from '../api/time.ts';
import type { Clock, Timer } from '../base/clock.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { KUBERNETES_VERSION } from '../apiserver/version.ts';
import { SharedInformerFactory } from '../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown } from '../client/cache/store.ts';
import type { SharedIndexInformer } from '../client/cache/sharedInformer.ts';
import { EventBroadcaster, EVENT_TYPE_NORMAL, restEventSink } from '../client/record/eventRecorder.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import type { Transport } from '../client/rest/transport.ts';
import { RESOURCES } from '../client/resources.ts';
import { normalizeImageReference } from '../runtime/imageReference.ts';
import { CONTAINERD_VERSION } from '../runtime/containerd/containerd.ts';
import { DEFAULT_STAGE_DELAYS, DEFAULT_STAGES, matchStage, type Stage, type StageDelays } from './stages.ts';

/** The kubelet's --node-lease-duration-seconds and its renew interval (a quarter of it). */
export const NODE_LEASE_DURATION_SECONDS = 40;
export const NODE_LEASE_RENEW_INTERVAL_MS = 10_000;
/** --node-status-report-frequency: status is re-posted this often when nothing changed. */
export const NODE_STATUS_REPORT_FREQUENCY_MS = 5 * 60_000;

export interface LightweightNodeSpec {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: number;
  ephemeralStorage?: string;
  /** The node's InternalIP. */
  address: string;
  /** e.g. 10.244.1.0/24: pod IPs come from it. */
  podCIDR: string;
  labels?: Record<string, string>;
  taints?: NonNullable<Node['spec']>['taints'];
  /** Adds the control-plane role label, taint and kubeadm's annotations. */
  controlPlane?: boolean;
  /** Manifests in the kubelet's staticPodPath: each is published as a mirror pod `<name>-<node>`. */
  staticPods?: readonly Pod[];
}

export interface KwokOptions {
  transport: Transport;
  clock: Clock;
  rng: SeededRng;
  delays?: Partial<StageDelays>;
  stages?: readonly Stage[];
}

type NodeObject = Node & KubeObject;
type PodObject = Pod & KubeObject;
type LeaseObject = Lease & KubeObject;

interface ManagedNode {
  spec: LightweightNodeSpec;
  healthy: boolean;
  /** The last octet of each pod's IP in the node's pod CIDR, by pod uid. */
  ips: Map<string, number>;
  /** The last octets in use. */
  hosts: Set<number>;
  nextHost: number;
  bootID: string;
  /** The Lease as the last renewal left it: the next renewal updates it without reading it first. */
  lease?: LeaseObject;
  /** The renewal in flight: a renewal due meanwhile joins it, as the lease controller's one loop would. */
  renewing?: Promise<void>;
}

const CONDITION_TEXT: Record<string, { ok: string; reason: string; message: string }> = {
  MemoryPressure: { ok: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
  DiskPressure: { ok: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
  PIDPressure: { ok: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
  Ready: { ok: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
};

export class Kwok {
  private readonly client: RestClient;
  private readonly informers: SharedInformerFactory;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly nodes = new Map<string, ManagedNode>();
  private readonly pending = new Map<string, { stage: string; timer: Timer }>();
  private readonly delays: StageDelays;
  private readonly stages: readonly Stage[];
  private readonly broadcaster: EventBroadcaster;
  private readonly timers: Timer[] = [];
  private started = false;

  constructor(private readonly options: KwokOptions) {
    this.client = new RestClient(options.transport, { sharedObjects: true });
    this.delays = { ...DEFAULT_STAGE_DELAYS, ...options.delays };
    this.stages = options.stages ?? DEFAULT_STAGES;
    this.informers = new SharedInformerFactory(this.client, {
      clock: options.clock,
      rng: options.rng.fork('kwok informers'),
      tweakListOptions: (o) => {
        o.fieldSelector = 'spec.nodeName!=';
      },
    });
    this.podInformer = this.informers.informerFor<PodObject>(RESOURCES.pods);
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.reconcile(pod),
      onUpdate: (_old, pod) => this.reconcile(pod),
      onDelete: (obj) => {
        const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (pod) this.forget(pod);
      },
    });
    this.broadcaster = new EventBroadcaster({ clock: options.clock, rng: options.rng.fork('kwok events') });
    this.broadcaster.startRecordingToSink(restEventSink(this.client));
  }

  /** Names of the nodes this controller plays the kubelet of. */
  get nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /** The specs of the nodes this controller plays the kubelet of, in the order they were added. */
  get nodeSpecs(): LightweightNodeSpec[] {
    return [...this.nodes.values()].map((n) => n.spec);
  }

  isHealthy(name: string): boolean {
    return this.nodes.get(name)?.healthy ?? false;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.informers.start();
    this.timers.push(this.options.clock.every(NODE_LEASE_RENEW_INTERVAL_MS, () => this.renewLeases(), 'kwok node leases'));
    this.timers.push(this.options.clock.every(NODE_STATUS_REPORT_FREQUENCY_MS, () => this.reportStatuses(), 'kwok node status'));
  }

  stop(): void {
    for (const t of this.timers) t.cancel();
    this.timers.length = 0;
    for (const p of this.pending.values()) p.timer.cancel();
    this.pending.clear();
    this.informers.shutdown();
    this.broadcaster.shutdown();
  }

  /**
   * Register a node: the Node object, its Lease, the kubelet's start-up events. A Node already in the API
   * (a cluster restored from an etcd backup: the node rebooted) gets its status from this boot, as a
   * kubelet whose registration finds its Node updates it; so do its mirror pods stay, and the IPs of
   * the pods bound to it stay theirs.
   */
  async addNode(spec: LightweightNodeSpec): Promise<NodeObject> {
    if (this.nodes.has(spec.name)) throw new Error(`node "${spec.name}" is already managed`);
    const managed: ManagedNode = { spec, healthy: true, ips: new Map(), hosts: new Set(), nextHost: 2, bootID: this.options.rng.fork(`boot ${spec.name}`).uuid() };
    this.nodes.set(spec.name, managed);
    const nodes = this.client.resource<NodeObject>(RESOURCES.nodes);
    let node: NodeObject;
    try {
      const fresh = this.nodeObject(managed);
      try {
        node = await nodes.create('', fresh);
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        const existing = await nodes.get('', spec.name);
        node = await nodes.updateStatus('', { ...existing, status: fresh.status! });
        for (const pod of (await this.client.resource<PodObject>(RESOURCES.pods).list('', { fieldSelector: `spec.nodeName=${spec.name}` })).items) this.adoptIP(pod, managed);
      }
    } catch (error) {
      this.nodes.delete(spec.name);
      throw error;
    }
    await this.renewLease(managed);
    const recorder = this.broadcaster.newRecorder({ component: 'kubelet', host: spec.name });
    const ref = { kind: 'Node', name: spec.name, uid: spec.name, apiVersion: '' };
    recorder.event(ref, EVENT_TYPE_NORMAL, 'Starting', 'Starting kubelet.');
    recorder.event(ref, EVENT_TYPE_NORMAL, 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    for (const [reason, message] of [
      ['NodeHasSufficientMemory', 'status is now: NodeHasSufficientMemory'],
      ['NodeHasNoDiskPressure', 'status is now: NodeHasNoDiskPressure'],
      ['NodeHasSufficientPID', 'status is now: NodeHasSufficientPID'],
      ['NodeReady', 'status is now: NodeReady'],
    ] as const) {
      recorder.event(ref, EVENT_TYPE_NORMAL, reason, `Node ${spec.name} ${message}`);
    }
    for (const manifest of spec.staticPods ?? []) await this.createMirrorPod(manifest, node);
    for (const pod of this.podInformer.getStore().list()) if (pod.spec?.nodeName === spec.name) this.reconcile(pod);
    return node;
  }

  /** The kubelet's mirror pod for a static pod: the manifest, bound to the node, owned by the Node. */
  private async createMirrorPod(manifest: Pod, node: NodeObject): Promise<void> {
    const nodeName = node.metadata?.name ?? '';
    const hash = this.options.rng.fork(`static pod ${manifest.metadata?.name ?? ''} ${nodeName}`).string('0123456789abcdef', 32);
    const seen = rfc3339(this.options.clock.now()).replace('Z', `.${this.options.rng.fork(`seen ${hash}`).string('0123456789', 9)}Z`);
    const pod: PodObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...manifest.metadata,
        name: `${manifest.metadata?.name ?? ''}-${nodeName}`,
        annotations: { ...manifest.metadata?.annotations, 'kubernetes.io/config.hash': hash, 'kubernetes.io/config.mirror': hash, 'kubernetes.io/config.seen': seen, 'kubernetes.io/config.source': 'file' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: node.metadata?.uid ?? '', controller: true }],
      },
      spec: { ...structuredClone(manifest.spec!), nodeName },
    };
    try {
      await this.client.resource<PodObject>(RESOURCES.pods).create(pod.metadata?.namespace ?? 'kube-system', pod);
    } catch (error) {
      // Published before this boot: the kubelet keeps a mirror pod that is still there.
      if (!isAlreadyExists(error)) throw error;
    }
  }

  /** Stop the node's heartbeats and pod work, as a crashed kubelet or a powered-off machine. */
  failNode(name: string): void {
    const node = this.mustGet(name);
    node.healthy = false;
    for (const [uid, p] of this.pending) {
      const pod = this.findPod(uid);
      if (!pod || pod.spec?.nodeName === name) {
        p.timer.cancel();
        this.pending.delete(uid);
      }
    }
  }

  /** Bring a failed node back: heartbeats at once, Ready again, its pods' stages resumed. */
  async recoverNode(name: string): Promise<void> {
    const node = this.mustGet(name);
    if (node.healthy) return;
    node.healthy = true;
    await this.renewLease(node);
    await this.postStatus(node);
    for (const pod of this.podInformer.getStore().list()) if (pod.spec?.nodeName === name) this.reconcile(pod);
  }

  private mustGet(name: string): ManagedNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`node "${name}" is not a lightweight node`);
    return node;
  }

  private findPod(uid: string): PodObject | undefined {
    return this.podInformer
      .getStore()
      .list()
      .find((p) => p.metadata?.uid === uid);
  }

  private nodeObject(managed: ManagedNode): NodeObject {
    const { spec } = managed;
    const now = rfc3339(this.options.clock.now());
    const rng = this.options.rng.fork(`node ${spec.name}`);
    const capacity = {
      cpu: spec.cpu ?? '4',
      'ephemeral-storage': spec.ephemeralStorage ?? '102400Mi',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: spec.memory ?? '16Gi',
      pods: String(spec.pods ?? 110),
    };
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': spec.name,
      'kubernetes.io/os': 'linux',
      ...(spec.controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      ...spec.labels,
    };
    const taints = [...(spec.controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : []), ...(spec.taints ?? [])];
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: spec.name,
        labels,
        annotations: {
          ...(spec.controlPlane ? { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock' } : {}),
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      },
      spec: { podCIDR: spec.podCIDR, podCIDRs: [spec.podCIDR], ...(taints.length ? { taints } : {}) },
      status: {
        addresses: [
          { type: 'InternalIP', address: spec.address },
          { type: 'Hostname', address: spec.name },
        ],
        allocatable: { ...capacity },
        capacity,
        conditions: this.conditions(now, now),
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: managed.bootID,
          containerRuntimeVersion: `containerd://${CONTAINERD_VERSION}`,
          kernelVersion: '6.8.0-51-generic',
          kubeProxyVersion: '',
          kubeletVersion: KUBERNETES_VERSION.gitVersion,
          machineID: rng.string('0123456789abcdef', 32),
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          systemUUID: rng.uuid(),
        },
      },
    };
  }

  private conditions(heartbeat: string, transition: string): NodeCondition[] {
    return Object.entries(CONDITION_TEXT).map(([type, c]) => ({ type, status: c.ok, lastHeartbeatTime: heartbeat, lastTransitionTime: transition, reason: c.reason, message: c.message }));
  }

  private renewLeases(): void {
    for (const node of this.nodes.values()) if (node.healthy) void this.renewLease(node).catch(() => undefined);
  }

  private reportStatuses(): void {
    for (const node of this.nodes.values()) if (node.healthy) void this.postStatus(node).catch(() => undefined);
  }

  /**
   * Renew the node's Lease as the kubelet's lease controller does: update the copy the last renewal
   * returned; only when that fails (a conflict, or no copy yet) read it again, or create it.
   */
  private renewLease(node: ManagedNode): Promise<void> {
    node.renewing ??= this.renewLeaseOnce(node).finally(() => (node.renewing = undefined));
    return node.renewing;
  }

  private async renewLeaseOnce(node: ManagedNode): Promise<void> {
    const leases = this.client.resource<LeaseObject>(RESOURCES.leases);
    const name = node.spec.name;
    const spec = { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime: rfc3339Micro(this.options.clock.now()) };
    const renew = (lease: LeaseObject) => leases.update('kube-node-lease', { ...lease, spec: { ...lease.spec, ...spec } });
    if (node.lease) {
      try {
        node.lease = await renew(node.lease);
        return;
      } catch (error) {
        node.lease = undefined;
        if (!isConflict(error) && !isNotFound(error)) throw error;
      }
    }
    try {
      node.lease = await renew(await leases.get('kube-node-lease', name));
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const owner = await this.client.resource<NodeObject>(RESOURCES.nodes).get('', name);
      node.lease = await leases.create('kube-node-lease', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: owner.metadata?.uid ?? '' }] },
        spec,
      });
    }
  }

  /** Re-post the node's conditions (heartbeat now; Ready again after a failure). */
  private async postStatus(managed: ManagedNode): Promise<void> {
    const nodes = this.client.resource<NodeObject>(RESOURCES.nodes);
    const now = rfc3339(this.options.clock.now());
    for (let attempt = 0; attempt < 5; attempt++) {
      const node = await nodes.get('', managed.spec.name);
      const conditions = (node.status?.conditions ?? []).map((c) => {
        const text = CONDITION_TEXT[c.type];
        if (!text) return c;
        const changed = c.status !== text.ok;
        return { ...c, status: text.ok, reason: text.reason, message: text.message, lastHeartbeatTime: now, lastTransitionTime: changed ? now : c.lastTransitionTime };
      });
      try {
        await nodes.updateStatus('', { ...node, status: { ...node.status, conditions } });
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  // —— pods ——

  private reconcile(pod: PodObject): void {
    const node = this.nodes.get(pod.spec?.nodeName ?? '');
    if (!node?.healthy) return;
    const uid = pod.metadata?.uid ?? '';
    const stage = matchStage(this.stages, pod);
    const pending = this.pending.get(uid);
    if (pending && pending.stage === stage?.name) return;
    pending?.timer.cancel();
    this.pending.delete(uid);
    if (!stage) return;
    const jitter = this.delays.jitter > 0 ? this.options.rng.int(this.delays.jitter + 1) : 0;
    const timer = this.options.clock.after(this.delays[stage.delay] + jitter, () => void this.play(uid, stage, pod), `kwok ${stage.name} ${pod.metadata?.name ?? ''}`);
    this.pending.set(uid, { stage: stage.name, timer });
  }

  private forget(pod: PodObject): void {
    const uid = pod.metadata?.uid ?? '';
    this.pending.get(uid)?.timer.cancel();
    this.pending.delete(uid);
    const node = this.nodes.get(pod.spec?.nodeName ?? '');
    const host = node?.ips.get(uid);
    if (node && host !== undefined) {
      node.ips.delete(uid);
      node.hosts.delete(host);
    }
  }

  private async play(uid: string, stage: Stage, seen: PodObject): Promise<void> {
    this.pending.delete(uid);
    const key = `${seen.metadata?.namespace ?? ''}/${seen.metadata?.name ?? ''}`;
    const pod = this.podInformer.getStore().getByKey(key);
    if (!pod || pod.metadata?.uid !== uid || matchStage(this.stages, pod)?.name !== stage.name) return;
    const node = this.nodes.get(pod.spec?.nodeName ?? '');
    if (!node?.healthy) return;
    const pods = this.client.resource<PodObject>(RESOURCES.pods);
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    try {
      if (stage.next.kind === 'delete') {
        await pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid } });
        return;
      }
      const status = stage.next.kind === 'running' ? this.runningStatus(pod, node) : this.succeededStatus(pod);
      await pods.updateStatus(namespace, { ...pod, status });
    } catch (error) {
      // Gone, or changed under us: the informer brings the new state and reconcile plans again.
      if (isNotFound(error) || isConflict(error)) return;
      this.reconcile(pod);
    }
  }

  /** Keep the IP a pod bound to the node already has (from before a reboot) as that pod's. */
  private adoptIP(pod: PodObject, node: ManagedNode): void {
    const ip = pod.status?.podIP;
    const prefix = node.spec.podCIDR.split('/')[0]!.split('.').slice(0, 3).join('.');
    if (pod.spec?.hostNetwork || !ip?.startsWith(`${prefix}.`)) return;
    const host = Number(ip.slice(prefix.length + 1));
    if (!Number.isInteger(host) || node.hosts.has(host)) return;
    node.ips.set(pod.metadata?.uid ?? '', host);
    node.hosts.add(host);
    node.nextHost = host >= 254 ? 2 : Math.max(node.nextHost, host + 1);
  }

  private podIP(pod: PodObject, node: ManagedNode): string {
    if (pod.spec?.hostNetwork) return node.spec.address;
    const uid = pod.metadata?.uid ?? '';
    const [base] = node.spec.podCIDR.split('/');
    const prefix = base!.split('.').slice(0, 3).join('.');
    const existing = node.ips.get(uid);
    if (existing !== undefined) return `${prefix}.${existing}`;
    let host = node.nextHost;
    for (let i = 0; i < 253 && node.hosts.has(host); i++) host = host >= 254 ? 2 : host + 1;
    node.nextHost = host >= 254 ? 2 : host + 1;
    node.ips.set(uid, host);
    node.hosts.add(host);
    return `${prefix}.${host}`;
  }

  private runningStatus(pod: PodObject, node: ManagedNode): PodStatus {
    const now = rfc3339(this.options.clock.now());
    const ip = this.podIP(pod, node);
    const rng = this.options.rng.fork(`containers ${pod.metadata?.uid ?? ''}`);
    // The kubelet's conditions carry `lastProbeTime: null` (Go's zero metav1.Time); kubernetes-types types it as a string.
    const condition = (type: string): PodCondition => ({ type, status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: now });
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled') ?? condition('PodScheduled');
    const status: PodStatus = {
      ...pod.status,
      phase: 'Running',
      conditions: [condition('PodReadyToStartContainers'), condition('Initialized'), condition('Ready'), condition('ContainersReady'), scheduled],
      hostIP: node.spec.address,
      hostIPs: [{ ip: node.spec.address }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: pod.status?.startTime ?? now,
      containerStatuses: (pod.spec?.containers ?? []).map((c) => {
        const image = normalizeImageReference(c.image ?? '');
        return {
          containerID: `containerd://${rng.string('0123456789abcdef', 64)}`,
          image,
          imageID: `${image.replace(/[:@].*$/, '')}@sha256:${this.options.rng.fork(`image ${image}`).string('0123456789abcdef', 64)}`,
          lastState: {},
          name: c.name,
          ready: true,
          restartCount: 0,
          started: true,
          state: { running: { startedAt: now } },
        };
      }),
    };
    return status;
  }

  private succeededStatus(pod: PodObject): PodStatus {
    const now = rfc3339(this.options.clock.now());
    const flip = (c: PodCondition): PodCondition => {
      if (c.type === 'Ready' || c.type === 'ContainersReady') return { ...c, status: 'False', reason: 'PodCompleted', lastTransitionTime: now };
      if (c.type === 'PodReadyToStartContainers') return { ...c, status: 'False', lastTransitionTime: now };
      return c;
    };
    return {
      ...pod.status,
      phase: 'Succeeded',
      conditions: (pod.status?.conditions ?? []).map(flip),
      containerStatuses: (pod.status?.containerStatuses ?? []).map((s) => ({
        ...s,
        ready: false,
        started: false,
        state: { terminated: { containerID: s.containerID, exitCode: 0, finishedAt: now, reason: 'Completed', startedAt: s.state?.running?.startedAt ?? now } },
      })),
    };
  }
}
