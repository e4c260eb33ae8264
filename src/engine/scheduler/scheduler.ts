/**
 * Scheduler — kube-scheduler's scheduling loop (pkg/scheduler/scheduler.go, schedule_one.go, Kubernetes
 * 1.32) as a client of the apiserver: it watches pods (not finished) and nodes through informers, keeps
 * the cache and the scheduling queue from them, and for each popped pod runs one cycle:
 *
 *   snapshot the cache → PreFilter → Filter the nodes (from a rotating start, stopping once enough are
 *   feasible: percentageOfNodesToScore) → PreScore/Score/NormalizeScore the feasible ones → pick the
 *   best total (ties at random) → assume the pod on it → Reserve/Permit → bind in the background
 *   (PreBind, Bind through `POST pods/{name}/binding`), then the Normal "Scheduled" event
 *   "Successfully assigned ns/name to node".
 *
 * When no node fits, PostFilter (preemption) may evict lower-priority pods and nominate a node; the pod
 * goes back to the queue, a Warning "FailedScheduling" event carries upstream's message ("0/3 nodes are
 * available: …"), and the pod's PodScheduled condition becomes False/Unschedulable (SchedulerError for
 * errors) with status.nominatedNodeName updated, by a strategic-merge patch of pods/status.
 *
 * Every attempt leaves a ScheduleExplanation (explanation.ts): the last per pod is kept and each is
 * fired on `onDidAttemptSchedule`.
 *
 * Leader election is not here (the control plane decides who runs it). Extenders and Permit waits are
 * left out.
 */
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { Namespace, Service } from 'kubernetes-types/core/v1';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { updatePodCondition } from '../api/pod/podutil.ts';
import { rfc3339 } from '../api/time.ts';
import type { Clock } from '../base/clock.ts';
import { Emitter, type Event } from '../base/emitter.ts';
import type { SeededRng } from '../base/seededRng.ts';
import { SharedInformerFactory } from '../client/cache/sharedInformer.ts';
import { EventBroadcaster, restEventSink } from '../client/record/eventRecorder.ts';
import { RESOURCES } from '../client/resources.ts';
import { RestClient, type KubeObject } from '../client/rest/restClient.ts';
import type { Transport } from '../client/rest/transport.ts';
import { Cache } from './cache/cache.ts';
import { Snapshot } from './cache/snapshot.ts';
import { DEFAULT_SCHEDULER_NAME, profilesOf, type SchedulerConfiguration } from './config.ts';
import { addAllEventHandlers } from './eventHandlers.ts';
import { ExplanationStore, type FilterRejection, type ScheduleExplanation, type ScoreTable } from './explanation.ts';
import { CycleState } from './framework/cycleState.ts';
import { EVENT_ASSIGNED_POD_DELETE, eventMatches, type ClusterEvent } from './framework/events.ts';
import { Code, Status, codeName, isSuccess, type NominatingInfo } from './framework/interface.ts';
import type { SchedulerListers } from './framework/listers.ts';
import { podReference } from './framework/preemption/preemption.ts';
import { Framework, type ScoreResult } from './framework/runtime/framework.ts';
import { Diagnosis, FitError, PodInfo, QueuedPodInfo, type NodeInfo } from './framework/types.ts';
import { IN_TREE_REGISTRY, type Registry } from './plugins/registry.ts';
import { PodNominator } from './queue/nominator.ts';
import { PriorityQueue, type QueueingHintEntry } from './queue/schedulingQueue.ts';

/** The user kube-scheduler authenticates as (its kubeconfig's client certificate). */
export const SCHEDULER_USER = { username: 'system:kube-scheduler', groups: [] as string[] };

/** minFeasibleNodesToFind. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** minFeasibleNodesPercentageToFind. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
/** validation.NoteLengthLimit: an event message's limit. */
const NOTE_LENGTH_LIMIT = 1024;

/** ErrNoNodesAvailable. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface SchedulerOptions {
  transport: Transport;
  clock: Clock;
  rng: SeededRng;
  config?: SchedulerConfiguration;
  /** Plugins by name (default: the in-tree registry). */
  registry?: Registry;
  /** Errors the scheduler recovers from (upstream logs them). */
  onError?: (message: string, error?: unknown) => void;
}

interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** What one attempt collects for its explanation. */
interface AttemptRecord {
  feasible: readonly NodeInfo[];
  rejectedNodes: string[];
  rejectedStatuses: Status[];
  nominatedNode?: string;
  preFilterMessage?: string;
  /** The Filter plugins run on each node, in order (the profile's, less those PreFilter skipped). */
  filterPlugins?: string[];
  scores?: ScoreResult;
  scoredNodes?: readonly NodeInfo[];
  nodesTotal: number;
  nodesEvaluated: number;
}

function newRecord(): AttemptRecord {
  return { feasible: [], rejectedNodes: [], rejectedStatuses: [], nodesTotal: 0, nodesEvaluated: 0 };
}

function truncateMessage(message: string): string {
  if (message.length <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
}

const CLEAR_NOMINATED_NODE: NominatingInfo = { mode: 'Override', nominatedNodeName: '' };

export class Scheduler {
  private readonly clock: Clock;
  private readonly rng: SeededRng;
  private readonly client: RestClient;
  private readonly config: SchedulerConfiguration;
  private readonly onError: (message: string, error?: unknown) => void;
  private readonly cache = new Cache();
  private readonly snapshot = new Snapshot();
  private readonly nominator: PodNominator;
  private readonly queue: PriorityQueue;
  private readonly profiles = new Map<string, Framework>();
  private readonly podInformerFactory: SharedInformerFactory;
  private readonly informerFactory: SharedInformerFactory;
  private readonly listers: SchedulerListers;
  private readonly broadcaster: EventBroadcaster;
  private readonly explanations: ExplanationStore;
  private nextStartNodeIndex = 0;
  private started = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly bindings = new Set<Promise<void>>();

  private readonly _onDidAttemptSchedule = new Emitter<ScheduleExplanation>();
  /** Fires after every scheduling attempt with its explanation. */
  readonly onDidAttemptSchedule: Event<ScheduleExplanation> = this._onDidAttemptSchedule.event;

  constructor(options: SchedulerOptions) {
    this.clock = options.clock;
    this.rng = options.rng.fork('kube-scheduler');
    this.config = options.config ?? {};
    this.onError = options.onError ?? (() => undefined);
    this.client = new RestClient(options.transport, { sharedObjects: true });
    this.explanations = new ExplanationStore(this.config.explanationCacheSize ?? 128);
    this.podInformerFactory = new SharedInformerFactory(this.client, {
      clock: this.clock,
      rng: options.rng.fork('kube-scheduler pods'),
      tweakListOptions: (o) => {
        o.fieldSelector = 'status.phase!=Succeeded,status.phase!=Failed';
      },
    });
    this.informerFactory = new SharedInformerFactory(this.client, { clock: this.clock, rng: options.rng.fork('kube-scheduler informers') });
    this.listers = {
      pods: this.podInformerFactory.lister<Pod & KubeObject>(RESOURCES.pods),
      namespaces: this.informerFactory.lister<Namespace & KubeObject>(RESOURCES.namespaces),
      services: this.informerFactory.lister<Service & KubeObject>(RESOURCES.services),
      replicaSets: this.informerFactory.lister<ReplicaSet & KubeObject>(RESOURCES.replicasets),
      statefulSets: this.informerFactory.lister<StatefulSet & KubeObject>(RESOURCES.statefulsets),
      podDisruptionBudgets: this.informerFactory.lister<PodDisruptionBudget & KubeObject>(RESOURCES.poddisruptionbudgets),
    };
    this.broadcaster = new EventBroadcaster({ clock: this.clock, rng: options.rng.fork('kube-scheduler events'), onError: (m, e) => this.onError(m, e) });
    const podsLister = this.listers.pods;
    this.nominator = new PodNominator((ns, name) => podsLister.byNamespace(ns).get(name));
    for (const profile of profilesOf(this.config)) {
      const fwk = new Framework(options.registry ?? IN_TREE_REGISTRY, profile, {
        clock: this.clock,
        rng: this.rng,
        client: this.client,
        eventRecorder: this.broadcaster.newRecorder({ component: profile.schedulerName }),
        listers: this.listers,
        nominator: this.nominator,
        snapshot: () => this.snapshot,
      });
      this.profiles.set(profile.schedulerName, fwk);
    }
    const hints = new Map<string, QueueingHintEntry[]>();
    for (const [name, fwk] of this.profiles) {
      hints.set(
        name,
        fwk.enqueueExtensions.flatMap((e) => e.events.map((registration) => ({ pluginName: e.pluginName, registration }))),
      );
    }
    const allHints = [...hints.values()].flat();
    // Every profile must use the same QueueSort plugin (upstream validates it); one queue orders all pods.
    const queueSort = [...this.profiles.values()][0]!.queueSortPlugin;
    for (const fwk of this.profiles.values()) {
      if (fwk.queueSortPlugin.name !== queueSort.name) throw new Error(`different queue sort plugins for profile "${fwk.profileName}": "${fwk.queueSortPlugin.name}", first: "${queueSort.name}"`);
    }
    this.queue = new PriorityQueue({
      clock: this.clock,
      nominator: this.nominator,
      less: (a, b) => queueSort.less(a, b),
      preEnqueuePlugins: (name) => this.profiles.get(name)?.preEnqueuePlugins ?? [],
      queueingHints: (name) => hints.get(name) ?? [],
      isEventOfInterest: (event: ClusterEvent) => allHints.some((h) => eventMatches(h.registration.event, event)),
      podInitialBackoffMs: (this.config.podInitialBackoffSeconds ?? 1) * 1000,
      podMaxBackoffMs: (this.config.podMaxBackoffSeconds ?? 10) * 1000,
    });
  }

  /** Start the informers and, once they have synced, the scheduling loop. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.broadcaster.startRecordingToSink(restEventSink(this.client));
    const pods = this.podInformerFactory.informerFor<Pod & KubeObject>(RESOURCES.pods);
    const nodes = this.informerFactory.informerFor<Node & KubeObject>(RESOURCES.nodes);
    addAllEventHandlers({ cache: this.cache, queue: this.queue, responsibleFor: (n) => this.profiles.has(n), onError: this.onError, onCacheChange: () => this.refreshSnapshotWhenIdle() }, pods, nodes);
    this.podInformerFactory.start();
    this.informerFactory.start();
    this.loop = this.run();
  }

  /** Stop the loop, the queue and the informers. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.close();
    this.podInformerFactory.shutdown();
    this.informerFactory.shutdown();
    this.broadcaster.shutdown();
    this._onDidAttemptSchedule.dispose();
  }

  /** The last scheduling explanation of a pod, if it was tried recently. */
  explanation(namespace: string, name: string): ScheduleExplanation | undefined {
    return this.explanations.get(namespace, name);
  }

  /** Where a pod waits in the scheduling queue (for the lab's inspection commands). */
  queuedPods(): { activeQ: Pod[]; backoffQ: Pod[]; unschedulablePods: Pod[] } {
    return this.queue.pendingPods();
  }

  /** Resolves when the bindings and event writes started so far are done (tests and benchmarks). */
  async flush(): Promise<void> {
    while (this.bindings.size > 0) await Promise.all([...this.bindings]);
    await this.broadcaster.flush();
  }

  /** No cycle is running: the loop waits for a pod. */
  private idle = false;
  private snapshotRefreshQueued = false;

  /**
   * While idle, keep the snapshot on the cache's current pod objects: a snapshot taken at the last cycle
   * would otherwise hold every pod's older version alive (each a whole decoded object) until the next
   * cycle — at 150,000 pods, a second copy of them all. Coalesced to one refresh per microtask turn.
   */
  private refreshSnapshotWhenIdle(): void {
    if (!this.idle || this.snapshotRefreshQueued) return;
    this.snapshotRefreshQueued = true;
    queueMicrotask(() => {
      this.snapshotRefreshQueued = false;
      if (this.idle && !this.stopped) this.cache.updateSnapshot(this.snapshot);
    });
  }

  private async run(): Promise<void> {
    const results = await Promise.all([this.podInformerFactory.waitForCacheSync(), this.informerFactory.waitForCacheSync()]);
    if (this.stopped || !results.every((m) => [...m.values()].every(Boolean))) return;
    this.queue.run();
    while (!this.stopped) {
      const popped = this.queue.pop();
      this.idle = true;
      this.refreshSnapshotWhenIdle();
      const pi = await popped;
      this.idle = false;
      if (!pi) return;
      try {
        await this.scheduleOne(pi);
      } catch (e) {
        // An unexpected failure: retry the pod after its backoff rather than lose it.
        this.onError('scheduling cycle failed', e);
        pi.unschedulablePlugins = new Set();
        pi.pendingPlugins = new Set();
        this.queue.addUnschedulableIfNotPresent(pi);
      }
    }
  }

  /** ScheduleOne. */
  private async scheduleOne(pi: QueuedPodInfo): Promise<void> {
    const pod = pi.pod;
    const fwk = this.profiles.get(pod.spec?.schedulerName ?? DEFAULT_SCHEDULER_NAME);
    if (!fwk) {
      this.onError(`profile not found for scheduler name "${pod.spec?.schedulerName}"`);
      this.queue.done(pi.uid);
      return;
    }
    if (this.skipPodSchedule(fwk, pod)) {
      this.queue.done(pi.uid);
      return;
    }
    const state = new CycleState();
    const record = newRecord();
    const cycle = await this.schedulingCycle(state, fwk, pi, record);
    if (!cycle.ok) {
      this.explain(pi, fwk, record, cycle.status, undefined, cycle.nominatingInfo);
      await this.handleSchedulingFailure(fwk, cycle.podInfo, cycle.status, cycle.nominatingInfo);
      return;
    }
    this.explain(pi, fwk, record, undefined, cycle.result.suggestedHost);
    const binding = this.bindingCycle(state, fwk, cycle.result, cycle.assumed)
      .catch((e) => this.onError('binding cycle failed', e))
      .finally(() => this.bindings.delete(binding));
    this.bindings.add(binding);
  }

  /** skipPodSchedule: a pod being deleted, or one already assumed. */
  private skipPodSchedule(fwk: Framework, pod: Pod): boolean {
    if (pod.metadata?.deletionTimestamp) {
      fwk.eventRecorder.event(podReference(pod), 'Warning', 'FailedScheduling', `skip schedule deleting pod: ${pod.metadata.namespace}/${pod.metadata.name}`);
      return true;
    }
    return this.cache.isAssumedPod(pod);
  }

  private async schedulingCycle(
    state: CycleState,
    fwk: Framework,
    pi: QueuedPodInfo,
    record: AttemptRecord,
  ): Promise<{ ok: true; result: ScheduleResult; assumed: QueuedPodInfo } | { ok: false; status: Status; podInfo: QueuedPodInfo; nominatingInfo: NominatingInfo | undefined }> {
    const pod = pi.pod;
    let scheduled: ScheduleResult | FitError;
    try {
      scheduled = this.schedulePod(fwk, state, pod, record);
    } catch (e) {
      if (e instanceof NoNodesAvailableError) return { ok: false, status: new Status(Code.UnschedulableAndUnresolvable, [ERR_NO_NODES_AVAILABLE], e), podInfo: pi, nominatingInfo: CLEAR_NOMINATED_NODE };
      return { ok: false, status: Status.fromError(e), podInfo: pi, nominatingInfo: CLEAR_NOMINATED_NODE };
    }
    if (scheduled instanceof FitError) {
      const fitError = scheduled;
      if (!fwk.hasPostFilterPlugins()) return { ok: false, status: new Status(Code.Unschedulable, [fitError.message()], fitError), podInfo: pi, nominatingInfo: CLEAR_NOMINATED_NODE };
      const { result, status } = await fwk.runPostFilterPlugins(state, pod, fitError.diagnosis.nodeToStatus);
      fitError.diagnosis.postFilterMsg = status.message();
      if (status.code === Code.Error) this.onError(`running PostFilter plugins for pod ${pod.metadata?.namespace}/${pod.metadata?.name}: ${status.message()}`);
      return { ok: false, status: new Status(Code.Unschedulable, [fitError.message()], fitError), podInfo: pi, nominatingInfo: result?.nominatingInfo };
    }
    const result = scheduled;
    const assumed = new QueuedPodInfo(new PodInfo({ ...pod, spec: { ...pod.spec!, nodeName: result.suggestedHost } }, pi.podInfo), pi.timestamp);
    assumed.attempts = pi.attempts;
    assumed.initialAttemptTimestamp = pi.initialAttemptTimestamp;
    try {
      this.cache.assumePod(assumed.podInfo);
    } catch (e) {
      return { ok: false, status: Status.fromError(e), podInfo: assumed, nominatingInfo: CLEAR_NOMINATED_NODE };
    }
    this.nominator.deleteNominatedPodIfExists(assumed.pod);
    const rejectedAt = (s: Status): { ok: false; status: Status; podInfo: QueuedPodInfo; nominatingInfo: NominatingInfo } => {
      fwk.runReservePluginsUnreserve(state, assumed.pod, result.suggestedHost);
      this.forget(assumed.pod);
      if (!s.isRejected()) return { ok: false, status: s, podInfo: assumed, nominatingInfo: CLEAR_NOMINATED_NODE };
      const diagnosis = new Diagnosis();
      diagnosis.nodeToStatus.set(result.suggestedHost, s);
      diagnosis.addPluginStatus(s);
      const fitErr = new FitError(pod, 1, diagnosis);
      return { ok: false, status: new Status(s.code, [fitErr.message()], fitErr), podInfo: assumed, nominatingInfo: CLEAR_NOMINATED_NODE };
    };
    const reserve = fwk.runReservePluginsReserve(state, assumed.pod, result.suggestedHost);
    if (!isSuccess(reserve)) return rejectedAt(reserve!);
    const permit = fwk.runPermitPlugins(state, assumed.pod, result.suggestedHost);
    if (!isSuccess(permit)) return rejectedAt(permit!);
    return { ok: true, result, assumed };
  }

  private forget(pod: Pod): void {
    try {
      this.cache.forgetPod(pod);
    } catch (e) {
      this.onError('scheduler cache ForgetPod failed', e);
    }
  }

  /** schedulePod: the node for the pod, or the FitError saying why there is none. */
  private schedulePod(fwk: Framework, state: CycleState, pod: Pod, record: AttemptRecord): ScheduleResult | FitError {
    this.cache.updateSnapshot(this.snapshot);
    const numNodes = this.snapshot.numNodes();
    record.nodesTotal = numNodes;
    if (numNodes === 0) throw new NoNodesAvailableError();
    const { feasible, diagnosis } = this.findNodesThatFitPod(fwk, state, pod, record);
    record.feasible = feasible;
    record.nodesEvaluated = feasible.length + diagnosis.nodeToStatus.len();
    if (feasible.length === 0) return new FitError(pod, numNodes, diagnosis);
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: 1 + diagnosis.nodeToStatus.len(), feasibleNodes: 1 };
    const scores = this.prioritizeNodes(fwk, state, pod, feasible);
    record.scores = scores;
    record.scoredNodes = feasible;
    const host = this.selectHost(feasible, scores.totals);
    return { suggestedHost: host, evaluatedNodes: feasible.length + diagnosis.nodeToStatus.len(), feasibleNodes: feasible.length };
  }

  private findNodesThatFitPod(fwk: Framework, state: CycleState, pod: Pod, record: AttemptRecord): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const diagnosis = new Diagnosis();
    const allNodes = this.snapshot.list();
    const pre = fwk.runPreFilterPlugins(state, pod);
    diagnosis.unschedulablePlugins = new Set(pre.pluginsWithNodes);
    if (!isSuccess(pre.status)) {
      const s = pre.status!;
      if (!s.isRejected()) throw s.asError();
      diagnosis.nodeToStatus.setAbsentNodesStatus(s);
      diagnosis.preFilterMsg = s.message();
      record.preFilterMessage = s.message();
      diagnosis.addPluginStatus(s);
      return { feasible: [], diagnosis };
    }
    record.filterPlugins = fwk.filterPlugins.filter((pl) => !state.skipFilterPlugins.has(pl.name)).map((pl) => pl.name);
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      record.nominatedNode = nominated;
      const ni = this.snapshot.get(nominated);
      if (ni) {
        const feasible = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, [ni], record);
        if (feasible.length > 0) return { feasible, diagnosis };
      }
    }
    let nodes: readonly NodeInfo[] = allNodes;
    if (pre.result?.nodeNames) {
      nodes = [...pre.result.nodeNames].map((n) => this.snapshot.get(n)).filter((n): n is NodeInfo => n !== undefined);
      diagnosis.nodeToStatus.setAbsentNodesStatus(Status.of(Code.UnschedulableAndUnresolvable, `node(s) didn't satisfy plugin(s) [${[...diagnosis.unschedulablePlugins].sort().join(' ')}]`));
    }
    const feasible = this.findNodesThatPassFilters(fwk, state, pod, diagnosis, nodes, record);
    const processed = feasible.length + diagnosis.nodeToStatus.len();
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % allNodes.length;
    return { feasible, diagnosis };
  }

  /** findNodesThatPassFilters: from the rotating start, until enough feasible nodes are found. */
  private findNodesThatPassFilters(fwk: Framework, state: CycleState, pod: Pod, diagnosis: Diagnosis, nodes: readonly NodeInfo[], record: AttemptRecord): NodeInfo[] {
    const numAll = nodes.length;
    if (numAll === 0) return [];
    let numToFind = this.numFeasibleNodesToFind(fwk.percentageOfNodesToScore, numAll);
    if (!fwk.hasScorePlugins()) numToFind = 1;
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex;
    if (!fwk.hasFilterPlugins()) {
      for (let i = 0; i < numToFind; i++) feasible.push(nodes[(start + i) % numAll]!);
      return feasible;
    }
    for (let i = 0; i < numAll && feasible.length < numToFind; i++) {
      const nodeInfo = nodes[(start + i) % numAll]!;
      const s = fwk.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
      if (s === null || s.code === Code.Success) {
        feasible.push(nodeInfo);
        continue;
      }
      if (s.code === Code.Error) throw s.asError();
      diagnosis.nodeToStatus.set(nodeInfo.name, s);
      diagnosis.addPluginStatus(s);
      record.rejectedNodes.push(nodeInfo.name);
      record.rejectedStatuses.push(s);
    }
    return feasible;
  }

  /** numFeasibleNodesToFind: all below 100 nodes; else percentageOfNodesToScore (adaptive when 0), at least 100. */
  numFeasibleNodesToFind(profilePercentage: number | undefined, numAllNodes: number): number {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
    let percentage = profilePercentage ?? this.config.percentageOfNodesToScore ?? 0;
    if (percentage === 0) {
      percentage = 50 - Math.trunc(numAllNodes / 125);
      if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
    }
    const numNodes = Math.trunc((numAllNodes * percentage) / 100);
    return numNodes < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : numNodes;
  }

  /** prioritizeNodes: every node scores 1 when the profile has no Score plugins. */
  private prioritizeNodes(fwk: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): ScoreResult {
    if (!fwk.hasScorePlugins()) return { plugins: [], totals: new Int32Array(nodes.length).fill(1) };
    const pre = fwk.runPreScorePlugins(state, pod, nodes);
    if (!isSuccess(pre)) throw pre!.asError();
    return fwk.runScorePlugins(state, pod, nodes);
  }

  /** selectHost: the highest total; among equals, each equally likely (reservoir sampling). */
  private selectHost(nodes: readonly NodeInfo[], totals: Int32Array): string {
    let best = 0;
    let count = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        count = 1;
      } else if (totals[i] === totals[best]) {
        count++;
        if (this.rng.int(count) === 0) best = i;
      }
    }
    return nodes[best]!.name;
  }

  /** bindingCycle: PreBind, Bind, PostBind; a failure takes the assumption back. */
  private async bindingCycle(state: CycleState, fwk: Framework, result: ScheduleResult, assumed: QueuedPodInfo): Promise<void> {
    const pod = assumed.pod;
    const host = result.suggestedHost;
    this.queue.done(assumed.uid);
    let status = await fwk.runPreBindPlugins(state, pod, host);
    if (isSuccess(status)) {
      status = await fwk.runBindPlugins(state, pod, host);
      this.cache.finishBinding(pod);
    }
    if (!isSuccess(status)) {
      await this.handleBindingCycleError(state, fwk, assumed, host, status!);
      return;
    }
    fwk.eventRecorder.event(podReference(pod), 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata?.namespace}/${pod.metadata?.name} to ${host}`);
    fwk.runPostBindPlugins(state, pod, host);
  }

  private async handleBindingCycleError(state: CycleState, fwk: Framework, assumed: QueuedPodInfo, host: string, status: Status): Promise<void> {
    const pod = assumed.pod;
    fwk.runReservePluginsUnreserve(state, pod, host);
    if (this.cache.getPod(pod) && this.cache.isAssumedPod(pod)) {
      this.forget(pod);
      // Forgetting frees what the pod held: as if a bound pod were deleted.
      this.queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE, pod, undefined, status.isRejected() ? (p) => p.metadata?.uid !== pod.metadata?.uid : undefined);
    }
    this.explain(assumed, fwk, newRecord(), status);
    await this.handleSchedulingFailure(fwk, assumed, status, CLEAR_NOMINATED_NODE);
  }

  /** handleSchedulingFailure: requeue, nominate, FailedScheduling event, PodScheduled=False. */
  private async handleSchedulingFailure(fwk: Framework, pi: QueuedPodInfo, status: Status, nominatingInfo: NominatingInfo | undefined): Promise<void> {
    const reason = status.isRejected() ? 'Unschedulable' : 'SchedulerError';
    const pod = pi.pod;
    if (status.error instanceof FitError) {
      pi.unschedulablePlugins = status.error.diagnosis.unschedulablePlugins;
      pi.pendingPlugins = status.error.diagnosis.pendingPlugins;
    } else if (!(status.error instanceof NoNodesAvailableError)) {
      this.onError(`Error scheduling pod ${pod.metadata?.namespace}/${pod.metadata?.name}; retrying`, status.error);
    }
    const cached = this.listers.pods.byNamespace(pod.metadata?.namespace ?? '').get(pod.metadata?.name ?? '');
    if (!cached || cached.spec?.nodeName) {
      this.queue.done(pi.uid);
    } else {
      pi.podInfo = new PodInfo(cached, pi.podInfo.uid === cached.metadata?.uid ? pi.podInfo : undefined);
      this.queue.addUnschedulableIfNotPresent(pi);
    }
    this.queue.addNominatedPod(pi.podInfo, nominatingInfo);
    const message = status.message();
    fwk.eventRecorder.event(podReference(pod), 'Warning', 'FailedScheduling', truncateMessage(message));
    if (cached) await this.updatePod(cached, { type: 'PodScheduled', status: 'False', reason, message }, nominatingInfo);
  }

  /** updatePod: patch PodScheduled and nominatedNodeName into pods/status when they change. */
  private async updatePod(pod: Pod, condition: PodCondition, nominatingInfo: NominatingInfo | undefined): Promise<void> {
    const statusCopy = structuredClone(pod.status ?? {});
    const nnnNeedsUpdate = nominatingInfo?.mode === 'Override' && (pod.status?.nominatedNodeName ?? '') !== nominatingInfo.nominatedNodeName;
    const conditionNeedsUpdate = updatePodCondition(statusCopy, { ...condition, lastTransitionTime: rfc3339(this.clock.now()) });
    if (!conditionNeedsUpdate && !nnnNeedsUpdate) return;
    const patch: Record<string, unknown> = {};
    if (conditionNeedsUpdate) patch.conditions = [statusCopy.conditions!.find((c) => c.type === condition.type)];
    if (nnnNeedsUpdate) patch.nominatedNodeName = nominatingInfo!.nominatedNodeName === '' ? null : nominatingInfo!.nominatedNodeName;
    try {
      await this.client.resource(RESOURCES.pods).patch(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', 'strategic', { status: patch }, { subresource: 'status' });
    } catch (e) {
      this.onError(`Error updating pod ${pod.metadata?.namespace}/${pod.metadata?.name}`, e);
    }
  }

  /** Build, keep and announce the explanation of one attempt. */
  private explain(pi: QueuedPodInfo, fwk: Framework, record: AttemptRecord, failure: Status | undefined, host?: string, nominatingInfo?: NominatingInfo): void {
    const pod = pi.pod;
    const rejected: FilterRejection[] = record.rejectedNodes.map((node, i) => {
      const s = record.rejectedStatuses[i]!;
      return { node, plugin: s.plugin, code: codeName(s.code), reasons: s.reasons };
    });
    const feasibleNodes = record.feasible.map((n) => n.name);
    let scores: ScoreTable | undefined;
    if (record.scores && record.scoredNodes) {
      scores = {
        nodes: record.scoredNodes === record.feasible ? feasibleNodes : record.scoredNodes.map((n) => n.name),
        plugins: record.scores.plugins.map((p) => ({ plugin: p.name, weight: p.weight, raw: p.raw, normalized: p.normalized })),
        totals: record.scores.totals,
      };
    }
    const explanation: ScheduleExplanation = {
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      uid: pod.metadata?.uid ?? '',
      time: this.clock.now(),
      attempt: pi.attempts,
      profile: fwk.profileName,
      nodesTotal: record.nodesTotal,
      nodesEvaluated: record.nodesEvaluated,
      feasibleNodes,
      rejected,
      preFilterMessage: record.preFilterMessage,
      filterPlugins: record.filterPlugins,
      nominatedNode: record.nominatedNode,
      scores,
      outcome: failure
        ? {
            kind: failure.isRejected() ? 'Unschedulable' : 'SchedulerError',
            message: failure.message(),
            ...(nominatingInfo?.mode === 'Override' && nominatingInfo.nominatedNodeName ? { nominatedNode: nominatingInfo.nominatedNodeName } : {}),
          }
        : { kind: 'Scheduled', node: host ?? '' },
    };
    this.explanations.set(explanation);
    if (this._onDidAttemptSchedule.hasListeners) this._onDidAttemptSchedule.fire(explanation);
  }
}

/** ErrNoNodesAvailable as a thrown value. */
class NoNodesAvailableError extends Error {
  constructor() {
    super(ERR_NO_NODES_AVAILABLE);
    this.name = 'NoNodesAvailableError';
  }
}
