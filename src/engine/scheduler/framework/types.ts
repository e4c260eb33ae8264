/**
 * The scheduler's view of pods and nodes (pkg/scheduler/framework/types.go, Kubernetes 1.32).
 *
 * - PodInfo: a pod with what plugins ask of it again and again, computed once: its parsed inter-pod
 *   affinity terms, its requests (actual and with the non-zero defaults), its host ports, its priority.
 * - NodeInfo: a node with the aggregates of the pods on it (assumed and bound): requested and non-zero
 *   requested resources, used host ports, the pods with affinity terms, image states. Every change bumps
 *   its generation, which is how the cache's snapshot knows what to copy.
 * - QueuedPodInfo: a pod in the scheduling queue, with its attempts and the plugins that rejected it.
 * - FitError, Diagnosis and NodeToStatus: why a pod fits no node, and upstream's message for it.
 *
 * Objects a PodInfo or NodeInfo holds come from informer caches: never change them.
 */
import type { Node, Pod, PodAffinityTerm, Taint, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import { labelSelectorAsSelector, nothing, type Selector } from '../../api/labels/selector.ts';
import { podPriority } from '../../api/scheduling/helpers.ts';
import { Code, Status } from './interface.ts';
import { RESOURCE_PODS, Resource, podRequests, resourceFromList, scaledAmount } from './resource.ts';

let generation = 0;

/** nextGeneration: a global counter; a NodeInfo carries the value of its last change. */
export function nextGeneration(): number {
  return ++generation;
}

/** framework.AffinityTerm: one pod (anti-)affinity term with its selectors resolved. */
export class AffinityTerm {
  constructor(
    readonly namespaces: ReadonlySet<string>,
    readonly selector: Selector,
    readonly topologyKey: string,
    /** Nothing when the term named no namespaceSelector; Everything for `{}` (all namespaces). */
    readonly namespaceSelector: Selector,
  ) {}

  /** AffinityTerm.Matches: the pod is in one of the namespaces (or its namespace's labels match) and its labels match. */
  matches(pod: Pod, nsLabels: Readonly<Record<string, string>> | undefined): boolean {
    if (this.namespaces.has(pod.metadata?.namespace ?? '') || this.namespaceSelector.matches(nsLabels)) {
      return this.selector.matches(pod.metadata?.labels);
    }
    return false;
  }

  /** The term with its namespaceSelector folded into explicit namespaces (mergeAffinityTermNamespacesIfNotEmpty). */
  withNamespaces(namespaces: ReadonlySet<string>): AffinityTerm {
    return new AffinityTerm(namespaces, this.selector, this.topologyKey, nothing());
  }
}

export class WeightedAffinityTerm {
  constructor(
    readonly term: AffinityTerm,
    readonly weight: number,
  ) {}
}

function newAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  const selector = labelSelectorAsSelector(term.labelSelector);
  const namespaces = new Set<string>();
  if ((term.namespaces?.length ?? 0) === 0 && term.namespaceSelector == null) namespaces.add(pod.metadata?.namespace ?? '');
  else for (const ns of term.namespaces ?? []) namespaces.add(ns);
  const nsSelector = labelSelectorAsSelector(term.namespaceSelector);
  return new AffinityTerm(namespaces, selector, term.topologyKey, nsSelector);
}

/** HostPortInfo: host ports in use, by host IP ("0.0.0.0" binds all) then "protocol/port". */
export class HostPortInfo {
  readonly byIP = new Map<string, Set<string>>();

  static readonly BIND_ALL = '0.0.0.0';

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const key = `${protocol || 'TCP'}/${port}`;
    const host = ip || HostPortInfo.BIND_ALL;
    let set = this.byIP.get(host);
    if (!set) this.byIP.set(host, (set = new Set()));
    set.add(key);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const host = ip || HostPortInfo.BIND_ALL;
    const set = this.byIP.get(host);
    if (!set) return;
    set.delete(`${protocol || 'TCP'}/${port}`);
    if (set.size === 0) this.byIP.delete(host);
  }

  /** CheckConflict: 0.0.0.0 conflicts with the pair on any IP; another IP with itself and 0.0.0.0. */
  checkConflict(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (port <= 0) return false;
    const key = `${protocol || 'TCP'}/${port}`;
    const host = ip || HostPortInfo.BIND_ALL;
    if (host === HostPortInfo.BIND_ALL) {
      for (const set of this.byIP.values()) if (set.has(key)) return true;
      return false;
    }
    return (this.byIP.get(HostPortInfo.BIND_ALL)?.has(key) ?? false) || (this.byIP.get(host)?.has(key) ?? false);
  }

  get size(): number {
    return this.byIP.size;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, set] of this.byIP) c.byIP.set(ip, new Set(set));
    return c;
  }
}

/** A container port that claims a host port. */
export interface HostPort {
  hostIP?: string;
  protocol?: string;
  hostPort: number;
}

const podInfos = new WeakMap<Pod, PodInfo>();

/** The PodInfo of a pod object (made once per object: informer objects are never changed in place). */
export function podInfoOf(pod: Pod): PodInfo {
  return podInfos.get(pod) ?? new PodInfo(pod);
}

/** Shared by every PodInfo without such terms or ports (most pods): one empty array, not five per pod. */
const NONE: readonly never[] = Object.freeze([]);

/** getContainerPorts: the host ports the pod's regular containers claim. */
export function hostPortsOf(pod: Pod): readonly HostPort[] {
  const ports: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) ports.push({ hostIP: p.hostIP, protocol: p.protocol, hostPort: p.hostPort! });
  }
  return ports.length > 0 ? ports : NONE;
}

/** framework.PodInfo. */
export class PodInfo {
  readonly requiredAffinityTerms: readonly AffinityTerm[] = NONE;
  readonly requiredAntiAffinityTerms: readonly AffinityTerm[] = NONE;
  readonly preferredAffinityTerms: readonly WeightedAffinityTerm[] = NONE;
  readonly preferredAntiAffinityTerms: readonly WeightedAffinityTerm[] = NONE;
  /** The first term that did not parse, as upstream's PodInfo.Update error. */
  readonly parseError: string | undefined;
  /** The pod's requests (resourcehelper.PodRequests). */
  readonly requests: Resource;
  /** The pod's requests with the scheduler's defaults for missing cpu/memory requests. */
  readonly nonZeroRequests: Resource;
  /** Host ports of the regular containers. */
  readonly hostPorts: readonly HostPort[];
  readonly priority: number;
  readonly uid: string;

  /** `from`: a PodInfo of the same pod whose computed fields are reused (an assumed copy). */
  constructor(
    readonly pod: Pod,
    from?: PodInfo,
  ) {
    podInfos.set(pod, this);
    this.uid = pod.metadata?.uid ?? '';
    if (from) {
      this.priority = from.priority;
      this.requests = from.requests;
      this.nonZeroRequests = from.nonZeroRequests;
      this.hostPorts = from.hostPorts;
      this.requiredAffinityTerms = from.requiredAffinityTerms;
      this.requiredAntiAffinityTerms = from.requiredAntiAffinityTerms;
      this.preferredAffinityTerms = from.preferredAffinityTerms;
      this.preferredAntiAffinityTerms = from.preferredAntiAffinityTerms;
      this.parseError = from.parseError;
      return;
    }
    this.priority = podPriority(pod);
    this.requests = podRequests(pod, false);
    this.nonZeroRequests = podRequests(pod, true);
    this.hostPorts = hostPortsOf(pod);
    const affinity = pod.spec?.affinity;
    const errors: string[] = [];
    // Each list is all its terms, or none when one of them does not parse (the error says which list).
    const parse = <T, R>(terms: readonly T[] | undefined, make: (term: T) => R, what: string): readonly R[] => {
      if (!terms || terms.length === 0) return NONE;
      try {
        return terms.map(make);
      } catch (e) {
        errors.push(`${what}: ${(e as Error).message}`);
        return NONE;
      }
    };
    const required = (t: PodAffinityTerm) => newAffinityTerm(pod, t);
    const preferred = (t: WeightedPodAffinityTerm) => new WeightedAffinityTerm(newAffinityTerm(pod, t.podAffinityTerm), t.weight);
    if (affinity?.podAffinity || affinity?.podAntiAffinity) {
      this.requiredAffinityTerms = parse(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution, required, 'requiredAffinityTerms');
      this.requiredAntiAffinityTerms = parse(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution, required, 'requiredAntiAffinityTerms');
      this.preferredAffinityTerms = parse(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, preferred, 'preferredAffinityTerms');
      this.preferredAntiAffinityTerms = parse(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, preferred, 'preferredAntiAffinityTerms');
    }
    this.parseError = errors.length > 0 ? errors.join(', ') : undefined;
  }

  get namespace(): string {
    return this.pod.metadata?.namespace ?? '';
  }

  get name(): string {
    return this.pod.metadata?.name ?? '';
  }

  /** podWithAffinity: the pod has any pod affinity or anti-affinity. */
  get hasAffinity(): boolean {
    const a = this.pod.spec?.affinity;
    return !!(a && (a.podAffinity || a.podAntiAffinity));
  }

  /** podWithRequiredAntiAffinity. */
  get hasRequiredAntiAffinity(): boolean {
    return (this.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
  }
}

/**
 * ImageStateSummary: an image's size and how many nodes have it. The cache shares one per image among
 * every node that has it, so NumNodes is always current.
 */
export class ImageStateSummary {
  readonly nodes = new Set<string>();

  constructor(public size: number) {}

  get numNodes(): number {
    return this.nodes.size;
  }
}

/** The image states of a node without images (shared). */
export const NO_IMAGES: ReadonlyMap<string, ImageStateSummary> = new Map();

/** framework.NodeInfo. */
export class NodeInfo {
  node: Node | undefined;
  /** The node's name, labels, taints and spec.unschedulable, read on every cycle (kept with the node). */
  name = '';
  labels: Readonly<Record<string, string>> | undefined;
  taints: readonly Taint[] | undefined;
  unschedulable = false;
  /** The position in its snapshot's node list (set by the snapshot; -1 elsewhere). */
  slot = -1;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  requested = new Resource();
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  /** Image name (every name the node lists) → shared summary; replaced, never changed in place. */
  imageStates: ReadonlyMap<string, ImageStateSummary> = NO_IMAGES;
  generation = nextGeneration();
  /** Per-NodeInfo results of pure computations over its pods (see `memo`); dropped on any change. */
  private memoized: Map<number, number> | undefined;

  /** SetNode. */
  setNode(node: Node, imageStates?: ReadonlyMap<string, ImageStateSummary>): void {
    this.node = node;
    this.name = node.metadata?.name ?? '';
    this.labels = node.metadata?.labels;
    this.taints = node.spec?.taints;
    this.unschedulable = node.spec?.unschedulable ?? false;
    this.allocatable = resourceFromList(node.status?.allocatable as Record<string, unknown> | undefined);
    const pods = (node.status?.allocatable as Record<string, unknown> | undefined)?.[RESOURCE_PODS];
    this.allocatable.allowedPodNumber = pods === undefined ? 0 : scaledAmount(RESOURCE_PODS, pods);
    if (imageStates) this.imageStates = imageStates;
    this.changed();
  }

  /** RemoveNode: the pods stay (they may still be deleted later). */
  removeNode(): void {
    this.node = undefined;
    this.name = '';
    this.labels = undefined;
    this.taints = undefined;
    this.unschedulable = false;
    this.changed();
  }

  /** AddPodInfo. */
  addPodInfo(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
  }

  /** RemovePod by UID; false when the pod is not on this node. */
  removePod(pod: Pod): boolean {
    const uid = pod.metadata?.uid ?? '';
    removeFromSlice(this.podsWithAffinity, uid);
    removeFromSlice(this.podsWithRequiredAntiAffinity, uid);
    const i = indexOfUID(this.pods, uid);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods[i] = this.pods[this.pods.length - 1]!;
    this.pods.pop();
    this.update(pi, -1);
    return true;
  }

  private update(pi: PodInfo, sign: number): void {
    this.requested.addScaled(pi.requests, sign);
    this.nonZeroRequested.milliCPU += sign * pi.nonZeroRequests.milliCPU;
    this.nonZeroRequested.memory += sign * pi.nonZeroRequests.memory;
    if (pi.hostPorts.length > 0) {
      if (sign > 0) for (const p of pi.hostPorts) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort);
      else for (const p of pi.hostPorts) this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort);
    }
    this.changed();
  }

  private changed(): void {
    this.generation = nextGeneration();
    this.memoized = undefined;
  }

  /** Snapshot: a copy whose lists and aggregates are its own (the pods themselves are shared). */
  snapshot(): NodeInfo {
    const c = new NodeInfo();
    this.snapshotInto(c);
    return c;
  }

  /** Copy this NodeInfo's state into `target` (keeping `target`'s identity, as `*existing = *clone`). */
  snapshotInto(target: NodeInfo): void {
    target.node = this.node;
    target.name = this.name;
    target.labels = this.labels;
    target.taints = this.taints;
    target.unschedulable = this.unschedulable;
    // Copy into the target's own arrays and Resources: a snapshot NodeInfo keeps its objects for life,
    // so the numbers every cycle reads stay together in memory.
    copyInto(target.pods, this.pods);
    copyInto(target.podsWithAffinity, this.podsWithAffinity);
    copyInto(target.podsWithRequiredAntiAffinity, this.podsWithRequiredAntiAffinity);
    if (this.usedPorts.size > 0) target.usedPorts = this.usedPorts.clone();
    else if (target.usedPorts.size > 0) target.usedPorts = new HostPortInfo();
    target.requested.copyFrom(this.requested);
    target.nonZeroRequested.copyFrom(this.nonZeroRequested);
    target.allocatable.copyFrom(this.allocatable);
    target.imageStates = this.imageStates;
    target.generation = this.generation;
    target.memoized = undefined;
  }

  /**
   * A number computed from this NodeInfo's pods, remembered until the NodeInfo changes, by a key from
   * `memoKey`. Plugins that count matching pods on every node each cycle (PodTopologySpread,
   * InterPodAffinity) use it so that an unchanged node is counted once, not once per pod scheduled.
   */
  memoGet(key: number): number | undefined {
    return this.memoized?.get(key);
  }

  memoSet(key: number, value: number): void {
    let m = this.memoized;
    if (m === undefined) m = this.memoized = new Map();
    else if (m.size >= 64) m.clear();
    m.set(key, value);
  }
}

const memoKeys = new Map<string, number>();
let nextMemoKey = 0;

/** The number standing for a memo's description (the same text, the same number; never reused). */
export function memoKey(text: string): number {
  let k = memoKeys.get(text);
  if (k === undefined) {
    if (memoKeys.size >= 4096) memoKeys.clear();
    k = nextMemoKey++;
    memoKeys.set(text, k);
  }
  return k;
}

function copyInto<T>(target: T[], source: readonly T[]): void {
  target.length = source.length;
  for (let i = 0; i < source.length; i++) target[i] = source[i]!;
}

function indexOfUID(pods: readonly PodInfo[], uid: string): number {
  for (let i = 0; i < pods.length; i++) if (pods[i]!.uid === uid) return i;
  return -1;
}

function removeFromSlice(pods: PodInfo[], uid: string): void {
  const i = indexOfUID(pods, uid);
  if (i < 0) return;
  pods[i] = pods[pods.length - 1]!;
  pods.pop();
}

let queueSeq = 0;

/** A pod waiting in the scheduling queue (framework.QueuedPodInfo). */
export class QueuedPodInfo {
  /** When it was last added to the queue (virtual ms); backoff counts from here. */
  timestamp: number;
  /** Queueing order among pods with the same timestamp. */
  timestampSeq = ++queueSeq;
  /** Scheduling attempts so far. */
  attempts = 0;
  /** When it was first popped. */
  initialAttemptTimestamp: number | undefined;
  /** Plugins that rejected it in its last attempt (Unschedulable or UnschedulableAndUnresolvable). */
  unschedulablePlugins = new Set<string>();
  /** Plugins that answered Pending. */
  pendingPlugins = new Set<string>();
  /** A PreEnqueue plugin keeps it out of activeQ. */
  gated = false;

  constructor(
    public podInfo: PodInfo,
    now: number,
  ) {
    this.timestamp = now;
  }

  get pod(): Pod {
    return this.podInfo.pod;
  }

  get uid(): string {
    return this.podInfo.uid;
  }

  /** Re-queued now: a new timestamp, after every pod queued before. */
  refreshTimestamp(now: number): void {
    this.timestamp = now;
    this.timestampSeq = ++queueSeq;
  }
}

/**
 * NodeToStatus: the status of each node a cycle rejected; nodes absent from it share `absentNodesStatus`
 * (UnschedulableAndUnresolvable with no reason by default).
 */
export class NodeToStatus {
  private readonly statuses = new Map<string, Status>();
  private absent: Status = Status.of(Code.UnschedulableAndUnresolvable);

  get(nodeName: string): Status {
    return this.statuses.get(nodeName) ?? this.absent;
  }

  set(nodeName: string, status: Status): void {
    this.statuses.set(nodeName, status);
  }

  len(): number {
    return this.statuses.size;
  }

  absentNodesStatus(): Status {
    return this.absent;
  }

  setAbsentNodesStatus(status: Status): void {
    this.absent = status;
  }

  forEachExplicitNode(fn: (nodeName: string, status: Status) => void): void {
    for (const [n, s] of this.statuses) fn(n, s);
  }

  /** NodesForStatusCode: the nodes (in snapshot order) whose status has `code`, absent ones included. */
  nodesForStatusCode(nodes: readonly NodeInfo[], code: Code): NodeInfo[] {
    const out: NodeInfo[] = [];
    for (const n of nodes) if (this.get(n.name).code === code) out.push(n);
    return out;
  }
}

/** framework.Diagnosis. */
export class Diagnosis {
  readonly nodeToStatus = new NodeToStatus();
  unschedulablePlugins = new Set<string>();
  pendingPlugins = new Set<string>();
  preFilterMsg = '';
  postFilterMsg = '';

  /** AddPluginStatus: credit a rejection to its plugin. */
  addPluginStatus(status: Status): void {
    if (!status.plugin) return;
    if (status.isRejected()) this.unschedulablePlugins.add(status.plugin);
    if (status.code === Code.Pending) this.pendingPlugins.add(status.plugin);
  }
}

/** framework.FitError: the pod fits no node. */
export class FitError {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  /**
   * FitError.Error(): "0/N nodes are available: <PreFilterMsg>. <count reason, …>. <PostFilterMsg>".
   * Reasons are counted over the nodes' statuses (absent nodes count their shared status) and printed
   * as "<count> <reason>" sorted as strings, as Go's sort.Strings does.
   */
  message(): string {
    let msg = `0/${this.numAllNodes} nodes are available:`;
    const d = this.diagnosis;
    if (d.preFilterMsg !== '') {
      msg += ` ${d.preFilterMsg}.`;
    } else {
      const reasons = new Map<string, number>();
      d.nodeToStatus.forEachExplicitNode((_, status) => {
        for (const r of status.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
      });
      const absent = this.numAllNodes - d.nodeToStatus.len();
      if (absent > 0) for (const r of d.nodeToStatus.absentNodesStatus().reasons) reasons.set(r, (reasons.get(r) ?? 0) + absent);
      const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort(compareGoStrings);
      if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
    }
    if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
    return msg;
  }
}

/** Go's string order: by UTF-8 bytes, which for these texts is by code unit. */
function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
