/**
 * The framework runtime (pkg/scheduler/framework/runtime/framework.go, Kubernetes 1.32): one profile's
 * plugins, built from the registry, sorted into the extension points each implements (MultiPoint), and
 * run in order. It is also the Handle plugins receive.
 *
 * - PreFilter: a Skip drops the plugin's Filter for the cycle; UnschedulableAndUnresolvable stops at once;
 *   Unschedulable lets the others run (preemption may still help); PreFilterResults intersect.
 * - Filter: the first rejecting plugin decides. RunFilterPluginsWithNominatedPods first runs the filters
 *   with the node's nominated pods of equal or higher priority counted as present, then — if that passed
 *   and some were added — again without them.
 * - PostFilter: the first success wins; otherwise the reasons are collected.
 * - PreScore/Score: a Skip drops the plugin's Score; each Score plugin scores every node, its
 *   NormalizeScore rescales, and the weighted sum (score × weight; weight 0 counts as 1) is the node's
 *   total. Raw, normalized and weighted scores are kept for the scheduling explanation.
 * - Reserve, Permit, PreBind, Bind, PostBind for the binding cycle; Bind plugins may pass with Skip.
 *
 * Left out: Permit's waiting pods (no in-tree plugin waits), metrics, the parallelizer (nodes are
 * evaluated one after another, which also makes every cycle deterministic).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../../base/clock.ts';
import type { SeededRng } from '../../../base/seededRng.ts';
import type { EventRecorder } from '../../../client/record/eventRecorder.ts';
import type { RestClient } from '../../../client/rest/restClient.ts';
import type { Profile } from '../../config.ts';
import { mergePlugins, DEFAULT_PLUGINS } from '../../config.ts';
import type { Snapshot } from '../../cache/snapshot.ts';
import type { PodNominator } from '../../queue/nominator.ts';
import type { Registry } from '../../plugins/registry.ts';
import type { CycleState } from '../cycleState.ts';
import type { ClusterEventWithHint } from '../events.ts';
import {
  Code,
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  Status,
  isSuccess,
  type BindPlugin,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfoLister,
  type NodeToStatusReader,
  type PermitPlugin,
  type Plugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from '../interface.ts';
import type { SchedulerListers } from '../listers.ts';
import type { NodeInfo, PodInfo } from '../types.ts';

export interface FrameworkOptions {
  clock: Clock;
  rng: SeededRng;
  client: RestClient;
  eventRecorder: EventRecorder;
  listers: SchedulerListers;
  nominator: PodNominator;
  /** The snapshot of the current cycle. */
  snapshot: () => Snapshot;
}

/** One Score plugin's scores for one cycle, in the order of the scored nodes. */
export interface PluginScores {
  name: string;
  weight: number;
  raw: Int32Array;
  /** After NormalizeScore (the same array as `raw` for plugins without it). */
  normalized: Int32Array;
}

export interface ScoreResult {
  plugins: PluginScores[];
  /** Per node: Σ normalized × weight. */
  totals: Int32Array;
}

const has = <K extends string>(p: Plugin, method: K): boolean => typeof (p as unknown as Record<string, unknown>)[method] === 'function';

export class Framework implements Handle {
  readonly profileName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly clock: Clock;
  readonly rng: SeededRng;
  readonly client: RestClient;
  readonly eventRecorder: EventRecorder;
  readonly listers: SchedulerListers;
  readonly nominator: PodNominator;
  private readonly snapshot: () => Snapshot;

  readonly queueSortPlugin: QueueSortPlugin;
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: ScorePlugin[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  /** The events each plugin registered (EnqueueExtensions). */
  readonly enqueueExtensions: Array<{ pluginName: string; events: ClusterEventWithHint[] }> = [];
  private readonly scoreWeights = new Map<string, number>();
  private filterCache: { skip: ReadonlySet<string>; plugins: FilterPlugin[] } | undefined;
  private scoreCache: { skip: ReadonlySet<string>; plugins: ScorePlugin[] } | undefined;

  constructor(registry: Registry, profile: Profile, options: FrameworkOptions) {
    this.profileName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.clock = options.clock;
    this.rng = options.rng;
    this.client = options.client;
    this.eventRecorder = options.eventRecorder;
    this.listers = options.listers;
    this.nominator = options.nominator;
    this.snapshot = options.snapshot;
    let queueSort: QueueSortPlugin | undefined;
    const seen = new Set<string>();
    for (const ref of mergePlugins(DEFAULT_PLUGINS, profile.plugins?.multiPoint)) {
      if (seen.has(ref.name)) throw new Error(`plugin "${ref.name}" already registered as "MultiPoint"`);
      seen.add(ref.name);
      const factory = registry[ref.name];
      if (!factory) throw new Error(`${ref.name} does not exist`);
      const p = factory(profile.pluginConfig?.[ref.name], this);
      if (has(p, 'less')) {
        if (queueSort) throw new Error('only one QueueSort plugin can be enabled');
        queueSort = p as QueueSortPlugin;
      }
      if (has(p, 'preEnqueue')) this.preEnqueuePlugins.push(p as PreEnqueuePlugin);
      if (has(p, 'preFilter')) this.preFilterPlugins.push(p as PreFilterPlugin);
      if (has(p, 'filter')) this.filterPlugins.push(p as FilterPlugin);
      if (has(p, 'postFilter')) this.postFilterPlugins.push(p as PostFilterPlugin);
      if (has(p, 'preScore')) this.preScorePlugins.push(p as PreScorePlugin);
      if (has(p, 'score')) {
        this.scorePlugins.push(p as ScorePlugin);
        this.scoreWeights.set(p.name, ref.weight ? ref.weight : 1);
      }
      if (has(p, 'reserve')) this.reservePlugins.push(p as ReservePlugin);
      if (has(p, 'permit')) this.permitPlugins.push(p as PermitPlugin);
      if (has(p, 'preBind')) this.preBindPlugins.push(p as PreBindPlugin);
      if (has(p, 'bind')) this.bindPlugins.push(p as BindPlugin);
      if (has(p, 'postBind')) this.postBindPlugins.push(p as PostBindPlugin);
      if (has(p, 'eventsToRegister')) this.enqueueExtensions.push({ pluginName: p.name, events: (p as unknown as EnqueueExtensions).eventsToRegister() });
    }
    if (!queueSort) throw new Error('no queue sort plugin is enabled');
    if (this.bindPlugins.length === 0) throw new Error('at least one bind plugin is needed');
    this.queueSortPlugin = queueSort;
  }

  snapshotSharedLister(): NodeInfoLister {
    return this.snapshot();
  }

  scoreWeight(name: string): number {
    return this.scoreWeights.get(name) ?? 1;
  }

  hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }

  hasPostFilterPlugins(): boolean {
    return this.postFilterPlugins.length > 0;
  }

  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  /** RunPreFilterPlugins; `pluginsWithNodes` are the plugins that narrowed the node set. */
  runPreFilterPlugins(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null; pluginsWithNodes: string[] } {
    let result: PreFilterResult | undefined;
    const pluginsWithNodes: string[] = [];
    const skip = new Set<string>();
    let returnStatus: Status | null = null;
    for (const pl of this.preFilterPlugins) {
      let r: PreFilterResult | undefined;
      let s: Status | null;
      try {
        ({ result: r, status: s } = pl.preFilter(state, pod));
      } catch (e) {
        s = Status.fromError(e);
      }
      if (s && s.code === Code.Skip) {
        skip.add(pl.name);
        continue;
      }
      if (s && s.code !== Code.Success) {
        s.plugin = pl.name;
        if (s.code === Code.UnschedulableAndUnresolvable) return { status: s, pluginsWithNodes };
        if (s.code === Code.Unschedulable) {
          returnStatus = s;
          continue;
        }
        return { status: Status.fromError(new Error(`running PreFilter plugin "${pl.name}": ${s.message()}`)).withPlugin(pl.name), pluginsWithNodes };
      }
      if (r?.nodeNames) {
        pluginsWithNodes.push(pl.name);
        result = result?.nodeNames ? { nodeNames: new Set([...result.nodeNames].filter((n) => r.nodeNames!.has(n))) } : { nodeNames: r.nodeNames };
        if (result.nodeNames!.size === 0) {
          const msg = pluginsWithNodes.length === 1 ? `node(s) didn't satisfy plugin ${pluginsWithNodes[0]}` : `node(s) didn't satisfy plugin(s) [${pluginsWithNodes.join(' ')}] simultaneously`;
          return { result, status: Status.of(Code.UnschedulableAndUnresolvable, msg), pluginsWithNodes };
        }
      }
    }
    state.skipFilterPlugins = skip;
    return { result, status: returnStatus, pluginsWithNodes };
  }

  private activeFilterPlugins(state: CycleState): FilterPlugin[] {
    const skip = state.skipFilterPlugins;
    if (this.filterCache?.skip !== skip) this.filterCache = { skip, plugins: this.filterPlugins.filter((p) => !skip.has(p.name)) };
    return this.filterCache.plugins;
  }

  /** RunFilterPlugins: the first plugin that does not pass decides. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const plugins = this.activeFilterPlugins(state);
    for (let i = 0; i < plugins.length; i++) {
      const pl = plugins[i]!;
      const s = pl.filter(state, pod, nodeInfo);
      if (s !== null && s.code !== Code.Success) {
        if (!s.isRejected()) return Status.fromError(new Error(`running "${pl.name}" filter plugin: ${s.message()}`)).withPlugin(pl.name);
        s.plugin = pl.name;
        return s;
      }
    }
    return null;
  }

  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    if (this.nominator.isEmpty) return this.runFilterPlugins(state, pod, nodeInfo);
    const nominated = this.nominator.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    // First pass: nominated pods of equal or higher priority count as on the node.
    const priority = pod.spec?.priority ?? 0;
    const uid = pod.metadata?.uid;
    let podsAdded = false;
    let nodeInfoOut: NodeInfo | undefined;
    let stateOut: CycleState | undefined;
    for (const pi of nominated) {
      if (pi.priority >= priority && pi.uid !== uid) {
        nodeInfoOut ??= nodeInfo.snapshot();
        stateOut ??= state.clone();
        nodeInfoOut.addPodInfo(pi);
        const s = this.runPreFilterExtensionAddPod(stateOut, pod, pi, nodeInfoOut);
        if (!isSuccess(s)) return Status.fromError(s!.asError());
        podsAdded = true;
      }
    }
    const first = this.runFilterPlugins(podsAdded ? stateOut! : state, pod, podsAdded ? nodeInfoOut! : nodeInfo);
    if (!isSuccess(first) && !first!.isRejected()) return first;
    if (!podsAdded || !isSuccess(first)) return first;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | null {
    for (const pl of this.preFilterPlugins) {
      const ext = pl.preFilterExtensions();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = ext.addPod(state, podToSchedule, podInfoToAdd, nodeInfo);
      if (!isSuccess(s)) return Status.fromError(new Error(`running AddPod on PreFilter plugin "${pl.name}": ${s!.message()}`));
    }
    return null;
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | null {
    for (const pl of this.preFilterPlugins) {
      const ext = pl.preFilterExtensions();
      if (!ext || state.skipFilterPlugins.has(pl.name)) continue;
      const s = ext.removePod(state, podToSchedule, podInfoToRemove, nodeInfo);
      if (!isSuccess(s)) return Status.fromError(new Error(`running RemovePod on PreFilter plugin "${pl.name}": ${s!.message()}`));
    }
    return null;
  }

  /** RunPostFilterPlugins. */
  async runPostFilterPlugins(state: CycleState, pod: Pod, statuses: NodeToStatusReader): Promise<{ result?: PostFilterResult; status: Status }> {
    let result: PostFilterResult | undefined;
    const reasons: string[] = [];
    let rejector = '';
    for (const pl of this.postFilterPlugins) {
      let r: PostFilterResult | undefined;
      let s: Status | null;
      try {
        ({ result: r, status: s } = await pl.postFilter(state, pod, statuses));
      } catch (e) {
        s = Status.fromError(e);
      }
      if (isSuccess(s)) return { result: r, status: s ?? Status.of(Code.Success) };
      if (s!.code === Code.UnschedulableAndUnresolvable) return { result: r, status: s!.withPlugin(pl.name) };
      if (!s!.isRejected()) return { status: Status.fromError(s!.asError()).withPlugin(pl.name) };
      if (r?.nominatingInfo && r.nominatingInfo.mode !== 'Noop') result = r;
      reasons.push(...s!.reasons);
      if (rejector === '') rejector = pl.name;
    }
    return { result, status: new Status(Code.Unschedulable, reasons).withPlugin(rejector) };
  }

  /** RunPreScorePlugins: records the plugins that skip scoring. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | null {
    const skip = new Set<string>();
    for (const pl of this.preScorePlugins) {
      let s: Status | null;
      try {
        s = pl.preScore(state, pod, nodes);
      } catch (e) {
        s = Status.fromError(e);
      }
      if (s && s.code === Code.Skip) {
        skip.add(pl.name);
        continue;
      }
      if (!isSuccess(s)) return Status.fromError(new Error(`running PreScore plugin "${pl.name}": ${s!.message()}`)).withPlugin(pl.name);
    }
    state.skipScorePlugins = skip;
    return null;
  }

  private activeScorePlugins(state: CycleState): ScorePlugin[] {
    const skip = state.skipScorePlugins;
    if (this.scoreCache?.skip !== skip) this.scoreCache = { skip, plugins: this.scorePlugins.filter((p) => !skip.has(p.name)) };
    return this.scoreCache.plugins;
  }

  /** RunScorePlugins; throws an Error for a plugin failure or an out-of-range normalized score. */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): ScoreResult {
    const plugins = this.activeScorePlugins(state);
    const n = nodes.length;
    const scores = plugins.map(() => new Int32Array(n));
    let p = 0;
    try {
      for (p = 0; p < plugins.length; p++) {
        const plugin = plugins[p]!;
        const column = scores[p]!;
        for (let i = 0; i < n; i++) column[i] = plugin.score(state, pod, nodes[i]!);
      }
    } catch (e) {
      throw new Error(`running Score plugins: plugin "${plugins[p]!.name}" failed with: ${(e as Error).message}`, { cause: e });
    }
    const result: PluginScores[] = plugins.map((pl, p) => {
      const raw = scores[p]!;
      const ext = pl.scoreExtensions();
      if (!ext) return { name: pl.name, weight: this.scoreWeight(pl.name), raw, normalized: raw };
      const normalized = raw.slice();
      const s = ext.normalizeScore(state, pod, nodes, normalized);
      if (!isSuccess(s)) throw new Error(`running Normalize on Score plugins: plugin "${pl.name}" failed with: ${s!.message()}`);
      return { name: pl.name, weight: this.scoreWeight(pl.name), raw, normalized };
    });
    const totals = new Int32Array(n);
    for (const ps of result) {
      const w = ps.weight;
      const norm = ps.normalized;
      for (let i = 0; i < n; i++) {
        const score = norm[i]!;
        if (score > MAX_NODE_SCORE || score < MIN_NODE_SCORE) {
          throw new Error(`applying score defaultWeights on Score plugins: plugin "${ps.name}" returns an invalid score ${score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`);
        }
        totals[i] = totals[i]! + score * w;
      }
    }
    return { plugins: result, totals };
  }

  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status | null {
    for (const pl of this.reservePlugins) {
      const s = pl.reserve(state, pod, nodeName);
      if (!isSuccess(s)) {
        if (s!.isRejected()) return s!.withPlugin(pl.name);
        return Status.fromError(new Error(`running Reserve plugin "${pl.name}": ${s!.message()}`)).withPlugin(pl.name);
      }
    }
    return null;
  }

  /** RunReservePluginsUnreserve: in reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Status | null {
    for (const pl of this.permitPlugins) {
      const s = pl.permit(state, pod, nodeName);
      if (!isSuccess(s)) {
        if (s!.isRejected()) return s!.withPlugin(pl.name);
        return Status.fromError(new Error(`running Permit plugin "${pl.name}": ${s!.message()}`)).withPlugin(pl.name);
      }
    }
    return null;
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status | null> {
    for (const pl of this.preBindPlugins) {
      const s = await pl.preBind(state, pod, nodeName);
      if (!isSuccess(s)) {
        if (s!.isRejected()) return s!.withPlugin(pl.name);
        return Status.fromError(new Error(`running PreBind plugin "${pl.name}": ${s!.message()}`));
      }
    }
    return null;
  }

  /** RunBindPlugins: the first binder that does not Skip binds. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status | null> {
    let status: Status | null = Status.of(Code.Skip);
    for (const pl of this.bindPlugins) {
      status = await pl.bind(state, pod, nodeName);
      if (status && status.code === Code.Skip) continue;
      if (!isSuccess(status)) {
        if (status!.isRejected()) return status!.withPlugin(pl.name);
        return Status.fromError(new Error(`running Bind plugin "${pl.name}": ${status!.message()}`));
      }
      return status;
    }
    return status;
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const pl of this.postBindPlugins) pl.postBind(state, pod, nodeName);
  }
}

