/**
 * NodeResourcesFit (pkg/scheduler/framework/plugins/noderesources/fit.go, Kubernetes 1.32):
 * - Filter: the node must have room for the pod — one more pod than it holds within allocatable pods
 *   ("Too many pods"), and for each requested resource allocatable ≥ requested-by-others + the pod's
 *   request ("Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage",
 *   "Insufficient <extended>"). Every shortfall is a reason; the status is Unschedulable, or
 *   UnschedulableAndUnresolvable when the pod asks for more than the node has in all (no preemption can
 *   help). Resources in ignoredResources (or whose domain is in ignoredResourceGroups) are not checked.
 * - Score: the scoring strategy (LeastAllocated by default; MostAllocated; RequestedToCapacityRatio)
 *   over the configured resources, counting the non-zero defaults for containers without requests.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { CycleState, StateData } from '../../framework/cycleState.ts';
import { ActionType, type ClusterEventWithHint } from '../../framework/events.ts';
import {
  Code,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScoreExtensions,
  type ScorePlugin,
} from '../../framework/interface.ts';
import type { Resource } from '../../framework/resource.ts';
import { NodeInfo, podInfoOf } from '../../framework/types.ts';
import { fitArgsWithDefaults, type NodeResourcesFitArgs } from './args.ts';
import { leastResourceScorer } from './leastAllocated.ts';
import { mostResourceScorer } from './mostAllocated.ts';
import { requestedToCapacityRatioScorer } from './requestedToCapacityRatio.ts';
import { ResourceAllocationScorer, type ScoreScratch } from './resourceAllocation.ts';

const PRE_FILTER_STATE_KEY = 'PreFilterNodeResourcesFit';
const PRE_SCORE_STATE_KEY = 'PreScoreNodeResourcesFit';

/** InsufficientResource: what is short on a node, and whether preemption could ever fix it. */
export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  unresolvable: boolean;
}

class PreFilterState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly scratch: ScoreScratch) {}
  clone(): StateData {
    return this;
  }
}

/** IsExtendedResourceName: a domain-prefixed resource outside kubernetes.io. */
function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** fitsRequest. */
export function fitsRequest(request: Resource, nodeInfo: NodeInfo, ignoredResources: ReadonlySet<string>, ignoredGroups: ReadonlySet<string>): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowed = nodeInfo.allocatable.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowed) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: allowed, unresolvable: false });
  }
  if (request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && (request.scalarResources?.size ?? 0) === 0) return out;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (request.milliCPU > 0 && request.milliCPU > alloc.milliCPU - used.milliCPU) {
    out.push({ resourceName: 'cpu', reason: 'Insufficient cpu', requested: request.milliCPU, used: used.milliCPU, capacity: alloc.milliCPU, unresolvable: request.milliCPU > alloc.milliCPU });
  }
  if (request.memory > 0 && request.memory > alloc.memory - used.memory) {
    out.push({ resourceName: 'memory', reason: 'Insufficient memory', requested: request.memory, used: used.memory, capacity: alloc.memory, unresolvable: request.memory > alloc.memory });
  }
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    out.push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: request.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
      unresolvable: request.ephemeralStorage > alloc.ephemeralStorage,
    });
  }
  if (request.scalarResources) {
    for (const [name, quantity] of request.scalarResources) {
      if (quantity === 0) continue;
      if (isExtendedResourceName(name) && (ignoredResources.has(name) || ignoredGroups.has(name.split('/')[0]!))) continue;
      const has = alloc.scalarResources?.get(name) ?? 0;
      const usedHere = used.scalarResources?.get(name) ?? 0;
      if (quantity > has - usedHere) {
        out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: quantity, used: usedHere, capacity: has, unresolvable: quantity > has });
      }
    }
  }
  return out;
}

export class Fit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  static readonly NAME = 'NodeResourcesFit';
  readonly name = Fit.NAME;
  private readonly ignoredResources: ReadonlySet<string>;
  private readonly ignoredResourceGroups: ReadonlySet<string>;
  readonly scorer: ResourceAllocationScorer;

  constructor(args?: NodeResourcesFitArgs) {
    const resolved = fitArgsWithDefaults(args);
    this.ignoredResources = new Set(resolved.ignoredResources);
    this.ignoredResourceGroups = new Set(resolved.ignoredResourceGroups);
    const strategy = resolved.scoringStrategy;
    const resources = strategy.resources;
    const fn =
      strategy.type === 'MostAllocated'
        ? mostResourceScorer(resources)
        : strategy.type === 'RequestedToCapacityRatio'
          ? requestedToCapacityRatioScorer(resources, strategy.requestedToCapacityRatio?.shape ?? [])
          : leastResourceScorer(resources);
    this.scorer = new ResourceAllocationScorer(false, fn, resources);
  }

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status | null } {
    state.write(PRE_FILTER_STATE_KEY, new PreFilterState(podInfoOf(pod).requests));
    return { status: null };
  }

  preFilterExtensions(): PreFilterExtensions | undefined {
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status | null {
    const s = state.read<PreFilterState>(PRE_FILTER_STATE_KEY);
    const request = s ? s.request : podInfoOf(pod).requests;
    // The common case, without building the list of shortfalls.
    const alloc = nodeInfo.allocatable;
    const used = nodeInfo.requested;
    if (
      nodeInfo.pods.length < alloc.allowedPodNumber &&
      request.scalarResources === undefined &&
      request.milliCPU <= alloc.milliCPU - used.milliCPU &&
      request.memory <= alloc.memory - used.memory &&
      request.ephemeralStorage <= alloc.ephemeralStorage - used.ephemeralStorage
    ) {
      return null;
    }
    const insufficient = fitsRequest(request, nodeInfo, this.ignoredResources, this.ignoredResourceGroups);
    if (insufficient.length === 0) return null;
    const code = insufficient.some((r) => r.unresolvable) ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
    return new Status(code, insufficient.map((r) => r.reason));
  }

  preScore(state: CycleState, pod: Pod): Status | null {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(this.scorer.newScratch(pod)));
    return null;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_STATE_KEY);
    return this.scorer.score(nodeInfo, s ? s.scratch : this.scorer.newScratch(pod));
  }

  scoreExtensions(): ScoreExtensions | undefined {
    return undefined;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete },
        // Deleting a bound pod frees room; deleting an unscheduled one frees nothing.
        queueingHintFn: (_pod, deleted) => ((deleted as Pod | undefined)?.spec?.nodeName ? 'Queue' : 'QueueSkip'),
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
        queueingHintFn: (pod, original, modified) => this.isSchedulableAfterNodeChange(pod, original as Node | undefined, modified as Node),
      },
    ];
  }

  private isSchedulableAfterNodeChange(pod: Pod, original: Node | undefined, modified: Node): 'Queue' | 'QueueSkip' {
    const request = podInfoOf(pod).requests;
    const empty = new NodeInfo();
    empty.setNode(modified);
    // The pod would not fit even on the empty node: the change does not help.
    if (fitsRequest(request, empty, this.ignoredResources, this.ignoredResourceGroups).length > 0) return 'QueueSkip';
    if (original === undefined) return 'Queue';
    const before = new NodeInfo();
    before.setNode(original);
    const a = before.allocatable;
    const b = empty.allocatable;
    const increased =
      b.allowedPodNumber > a.allowedPodNumber ||
      (request.milliCPU > 0 && b.milliCPU > a.milliCPU) ||
      (request.memory > 0 && b.memory > a.memory) ||
      (request.ephemeralStorage > 0 && b.ephemeralStorage > a.ephemeralStorage) ||
      [...(request.scalarResources ?? [])].some(([n, v]) => v > 0 && (b.scalarResources?.get(n) ?? 0) > (a.scalarResources?.get(n) ?? 0));
    return increased ? 'Queue' : 'QueueSkip';
  }
}

