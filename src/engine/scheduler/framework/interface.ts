/**
 * The scheduling framework's contracts (pkg/scheduler/framework/interface.go): status codes, Status, the
 * extension points a plugin may implement, and the Handle plugins get from the framework.
 *
 * As in Go, success is `null` (Go's nil *Status): a plugin returns a Status only to say something other
 * than "fine". A Status lists reasons; its message is the reasons joined with ", ". `plugin` names the
 * plugin that returned it (the framework sets it), which is how a rejection is credited and how the
 * scheduling queue knows which plugins to ask when the cluster changes.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../base/clock.ts';
import type { SeededRng } from '../../base/seededRng.ts';
import type { EventRecorder } from '../../client/record/eventRecorder.ts';
import type { RestClient } from '../../client/rest/restClient.ts';
import type { CycleState } from './cycleState.ts';
import type { ClusterEventWithHint } from './events.ts';
import type { SchedulerListers } from './listers.ts';
import type { NodeInfo, PodInfo } from './types.ts';

/** framework.Code. */
export const Code = {
  Success: 0,
  Error: 1,
  Unschedulable: 2,
  UnschedulableAndUnresolvable: 3,
  Wait: 4,
  Skip: 5,
  Pending: 6,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

const CODE_NAMES = ['Success', 'Error', 'Unschedulable', 'UnschedulableAndUnresolvable', 'Wait', 'Skip', 'Pending'] as const;

/** Code.String(). */
export function codeName(code: Code): string {
  return CODE_NAMES[code];
}

/** MaxNodeScore / MinNodeScore: the range every Score plugin's normalized score must land in. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

/** framework.Status. */
export class Status {
  /** The plugin that returned it; set by the framework. */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    /** The error behind an Error status, or the FitError behind a scheduling failure. */
    readonly error?: unknown,
  ) {}

  /** NewStatus(code, reasons...). */
  static of(code: Code, ...reasons: string[]): Status {
    return new Status(code, reasons);
  }

  /** AsStatus(err): an Error status whose message is the error's. */
  static fromError(error: unknown): Status {
    return new Status(Code.Error, [error instanceof Error ? error.message : String(error)], error);
  }

  withPlugin(plugin: string): this {
    this.plugin = plugin;
    return this;
  }

  message(): string {
    return this.reasons.join(', ');
  }

  /** IsRejected: Unschedulable, UnschedulableAndUnresolvable or Pending. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }

  /** AsError: the error behind the status (one is made from the message when there is none). */
  asError(): Error {
    if (this.error instanceof Error) return this.error;
    return new Error(this.message());
  }
}

/** Status.IsSuccess, with null meaning success as Go's nil does. */
export function isSuccess(status: Status | null | undefined): boolean {
  return !status || status.code === Code.Success;
}

/** A plugin failure that aborts the cycle as an Error status (Go returns it as a *Status with code Error). */
export class PluginError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginError';
  }
}

/** PreFilterResult: the node names a PreFilter plugin narrows the search to (undefined: all nodes). */
export interface PreFilterResult {
  nodeNames?: ReadonlySet<string>;
}

/** NominatingInfo: what to do with the pod's status.nominatedNodeName after a failed cycle. */
export interface NominatingInfo {
  nominatedNodeName: string;
  mode: 'Noop' | 'Override';
}

/** PostFilterResult. */
export interface PostFilterResult {
  nominatingInfo?: NominatingInfo;
}

/** What every plugin has. */
export interface Plugin {
  readonly name: string;
}

/** PreEnqueuePlugin: may keep a pod out of activeQ (it then waits in unschedulablePods). */
export interface PreEnqueuePlugin extends Plugin {
  preEnqueue(pod: Pod): Status | null;
}

/** QueueSortPlugin: the order of activeQ. */
export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfoLike, b: QueuedPodInfoLike): boolean;
}

/** The parts of a QueuedPodInfo a QueueSort plugin compares. */
export interface QueuedPodInfoLike {
  readonly podInfo: PodInfo;
  readonly timestamp: number;
  /** Orders pods queued at the same virtual millisecond (upstream's timestamps differ by nanoseconds). */
  readonly timestampSeq: number;
}

/** PreFilterExtensions: keep PreFilter state right when preemption or nominated pods add/remove pods. */
export interface PreFilterExtensions {
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null;
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null };
  preFilterExtensions(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
}

/** NodeToStatusReader as PostFilter plugins see it. */
export interface NodeToStatusReader {
  get(nodeName: string): Status;
  nodesForStatusCode(nodes: readonly NodeInfo[], code: Code): NodeInfo[];
}

export interface PostFilterPlugin extends Plugin {
  postFilter(state: CycleState, pod: Pod, statuses: NodeToStatusReader): Promise<{ result?: PostFilterResult; status: Status | null }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null;
}

/** ScoreExtensions: NormalizeScore rewrites the raw scores of one cycle in place. */
export interface ScoreExtensions {
  normalizeScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], scores: Int32Array): Status | null;
}

/** ScorePlugin: a raw score per node; throw a PluginError for an internal failure. */
export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number;
  scoreExtensions(): ScoreExtensions | undefined;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status | null;
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  permit(state: CycleState, pod: Pod, nodeName: string): Status | null;
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status | null>;
}

/** BindPlugin: a Skip status passes the pod to the next binder. */
export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status | null>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

/** EnqueueExtensions: the cluster events that may make a pod this plugin rejected schedulable. */
export interface EnqueueExtensions {
  eventsToRegister(): ClusterEventWithHint[];
}

/** What a node lister of the snapshot offers (SharedLister.NodeInfos()). */
export interface NodeInfoLister {
  /** The highest NodeInfo generation the snapshot reflects. */
  readonly generation: number;
  /** Bumped whenever the node list changes. */
  readonly listVersion: number;
  /** NodeInfos refreshed since the snapshot was at `generation` (undefined: too long ago to tell). */
  changedSince(generation: number): NodeInfo[] | undefined;
  list(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  havePodsWithAffinityList(): readonly NodeInfo[];
  havePodsWithRequiredAntiAffinityList(): readonly NodeInfo[];
}

/** PodNominator, as plugins see it. */
export interface PodNominatorReader {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** framework.Handle: what the framework gives its plugins. */
export interface Handle {
  readonly clock: Clock;
  readonly rng: SeededRng;
  readonly client: RestClient;
  readonly eventRecorder: EventRecorder;
  readonly listers: SchedulerListers;
  readonly nominator: PodNominatorReader;
  snapshotSharedLister(): NodeInfoLister;
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null;
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null;
}

/** A plugin factory (frameworkruntime.PluginFactory); `args` are the plugin's pluginConfig args, if any. */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin;

/** A label's value, or undefined when the labels lack the key (never an inherited property). */
export function labelOf(labels: Readonly<Record<string, string>> | undefined, key: string): string | undefined {
  if (labels === undefined) return undefined;
  const v: unknown = labels[key];
  // Label values are strings; an inherited Object.prototype member never is.
  return typeof v === 'string' ? v : undefined;
}
