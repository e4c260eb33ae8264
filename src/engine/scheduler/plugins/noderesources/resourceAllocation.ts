/**
 * resourceAllocationScorer (pkg/scheduler/framework/plugins/noderesources/resource_allocation.go): the
 * shared arithmetic of NodeResourcesFit's scoring strategies and NodeResourcesBalancedAllocation. For
 * each configured resource it takes the node's allocatable and what would be requested with the pod
 * on it, then hands both lists to the strategy's scorer.
 *
 * `useRequested` chooses the node's requested amounts: true (BalancedAllocation) counts real requests;
 * false (Fit) counts cpu and memory with the non-zero defaults for containers that request none. An
 * extended resource the pod does not request is left out (allocatable 0), as is any resource the node
 * does not have.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { PluginError } from '../../framework/interface.ts';
import { RESOURCE_CPU, RESOURCE_EPHEMERAL_STORAGE, RESOURCE_MEMORY, isScalarResourceName } from '../../framework/resource.ts';
import { podInfoOf, type NodeInfo } from '../../framework/types.ts';
import type { ResourceSpec } from './args.ts';

/** A scorer: node score from per-resource requested and allocatable amounts (0 allocatable = skip). */
export type ResourceScorer = (requested: Float64Array, allocatable: Float64Array) => number;

const enum Kind {
  Cpu,
  Memory,
  EphemeralStorage,
  Scalar,
  Other,
}

function kindOf(name: string): Kind {
  if (name === RESOURCE_CPU) return Kind.Cpu;
  if (name === RESOURCE_MEMORY) return Kind.Memory;
  if (name === RESOURCE_EPHEMERAL_STORAGE) return Kind.EphemeralStorage;
  return isScalarResourceName(name) ? Kind.Scalar : Kind.Other;
}

/** Scratch lists for one cycle's scoring (kept in CycleState, reused for every node). */
export interface ScoreScratch {
  podRequests: Float64Array;
  requested: Float64Array;
  allocatable: Float64Array;
}

export class ResourceAllocationScorer {
  private readonly kinds: Kind[];

  constructor(
    readonly useRequested: boolean,
    readonly scorer: ResourceScorer,
    readonly resources: readonly ResourceSpec[],
  ) {
    this.kinds = resources.map((r) => kindOf(r.name));
  }

  /** calculatePodResourceRequestList. */
  podRequestList(pod: Pod): Float64Array {
    const pi = podInfoOf(pod);
    const reqs = this.useRequested ? pi.requests : pi.nonZeroRequests;
    const out = new Float64Array(this.resources.length);
    for (let i = 0; i < this.resources.length; i++) out[i] = reqs.get(this.resources[i]!.name);
    return out;
  }

  newScratch(pod: Pod): ScoreScratch {
    const n = this.resources.length;
    return { podRequests: this.podRequestList(pod), requested: new Float64Array(n), allocatable: new Float64Array(n) };
  }

  /** score: the strategy's score for the pod on this node. */
  score(nodeInfo: NodeInfo, scratch: ScoreScratch): number {
    if (this.resources.length === 0) throw new PluginError('resources not found');
    const { podRequests, requested, allocatable } = scratch;
    const nodeRequested = this.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    const alloc = nodeInfo.allocatable;
    for (let i = 0; i < this.kinds.length; i++) {
      const podRequest = podRequests[i]!;
      let a = 0;
      let r = 0;
      switch (this.kinds[i]!) {
        case Kind.Cpu:
          a = alloc.milliCPU;
          r = nodeRequested.milliCPU + podRequest;
          break;
        case Kind.Memory:
          a = alloc.memory;
          r = nodeRequested.memory + podRequest;
          break;
        case Kind.EphemeralStorage:
          a = alloc.ephemeralStorage;
          r = nodeInfo.requested.ephemeralStorage + podRequest;
          break;
        case Kind.Scalar: {
          if (podRequest === 0) break;
          const name = this.resources[i]!.name;
          const has = alloc.scalarResources?.get(name);
          if (has !== undefined) {
            a = has;
            r = (nodeInfo.requested.scalarResources?.get(name) ?? 0) + podRequest;
          }
          break;
        }
        case Kind.Other:
          break;
      }
      allocatable[i] = a;
      requested[i] = a === 0 ? 0 : r;
    }
    return this.scorer(requested, allocatable);
  }
}
