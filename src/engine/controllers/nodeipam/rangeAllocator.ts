/**
 * The range allocator — pkg/controller/nodeipam/ipam/range_allocator.go (Kubernetes 1.32), the
 * CIDRAllocator kube-controller-manager runs with --allocate-node-cidrs=true and the default
 * --cidr-allocator-type=RangeAllocator: it gives every Node a pod CIDR (spec.podCIDR and
 * spec.podCIDRs) cut from --cluster-cidr, one --node-cidr-mask-size block per node.
 *
 * Start-up (ipam.New → NewCIDRRangeAllocator): the blocks overlapping --service-cluster-ip-range are
 * marked used, then every Node listed from the apiserver that already has pod CIDRs has them marked
 * used — which is how a restarted controller manager keeps handing out the blocks nobody holds.
 *
 * Node adds and updates enqueue the node's name; a delete releases the node's CIDRs at once (a Node has
 * no finalizer, so its last state is in the delete) and enqueues it too. syncNode(name): a node gone
 * from the cache is done; one being deleted has its CIDRs released; one with CIDRs has them occupied;
 * one without gets the next free block of each cluster CIDR (CidrSet.allocateNext), or — when none is
 * left — a `CIDRNotAvailable` Warning event (`Node worker-9 status is now: CIDRNotAvailable`) and an
 * error, so the key comes back with the workqueue's backoff. The allocation is written with a strategic
 * merge patch of spec.podCIDR and spec.podCIDRs (nodeutil.PatchNodeCIDRs), tried three times; when all
 * three fail, a `CIDRAssignmentFailed` Warning event, and the blocks go back to the pool unless the
 * apiserver timed out (the write may have landed). A node that got CIDRs meanwhile keeps them and the
 * fresh blocks are released.
 *
 * Left out: dual-stack (a second, IPv6 cluster CIDR), the cloud allocator, and the metrics.
 */
import type { Node } from 'kubernetes-types/core/v1';
import { StatusError } from '../../api/errors.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown } from '../../client/cache/store.ts';
import { EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';
import { CidrSet, parseIpv4Cidr } from './cidrSet.ts';

type NodeObject = Node & KubeObject;

/** cidrUpdateRetries: how many times the patch is tried before the allocation is given up. */
export const CIDR_UPDATE_RETRIES = 3;
/** How long listNodes waits between tries while the apiserver does not answer (pollInterval). */
export const LIST_NODES_POLL_INTERVAL_MS = 10_000;

/** CIDRAllocatorParams. */
export interface CIDRAllocatorParams {
  /** --cluster-cidr, split at commas. */
  clusterCIDRs: readonly string[];
  /** --service-cluster-ip-range, whose blocks no node gets. */
  serviceCIDR?: string;
  /** --node-cidr-mask-size(-ipv4), per cluster CIDR. */
  nodeCIDRMaskSizes: readonly number[];
}

/** controllerutil.RecordNodeStatusChange: `Node <name> status is now: <status>`, about the Node. */
function recordNodeStatusChange(recorder: EventRecorder, node: Node, eventType: string, newStatus: string): void {
  const name = node.metadata?.name ?? '';
  recorder.eventf({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: node.metadata?.uid ?? '' } }, eventType, newStatus, 'Node %s status is now: %s', name, newStatus);
}

export class RangeAllocator implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly cidrSets: CidrSet[];
  private readonly nodeInformer: SharedIndexInformer<NodeObject>;
  private readonly nodeLister: Lister<NodeObject>;
  private readonly nodes: ResourceClient<NodeObject>;
  private readonly recorder: EventRecorder;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly params: CIDRAllocatorParams,
  ) {
    this.cidrSets = params.clusterCIDRs.map((cidr, i) => new CidrSet(cidr, params.nodeCIDRMaskSizes[i] ?? 24));
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'cidrallocator_node' });
    this.recorder = ctx.recorder('cidrAllocator');
    this.nodes = ctx.client.resource<NodeObject>(RESOURCES.nodes);
    this.nodeInformer = ctx.informers.informerFor<NodeObject>(RESOURCES.nodes);
    this.nodeLister = this.nodeInformer.lister();
    if (params.serviceCIDR) this.filterOutServiceRange(params.serviceCIDR);
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.queue.add(node.metadata?.name ?? ''),
      onUpdate: (_, node) => this.queue.add(node.metadata?.name ?? ''),
      onDelete: (obj) => {
        const node = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (!node) return;
        try {
          this.releaseCIDR(node);
        } catch (error) {
          ctx.handleError(new Error(`error while processing CIDR Release: ${messageOf(error)}`));
        }
        this.queue.add(node.metadata?.name ?? '');
      },
    });
  }

  async run(workers: number): Promise<void> {
    const nodes = await this.listNodes();
    if (!nodes) return;
    for (const node of nodes) if ((node.spec?.podCIDRs ?? []).length > 0) this.occupyCIDRs(node);
    if (!(await this.nodeInformer.waitForSync())) return;
    await runWorkers(this.queue, workers, (key) => this.syncNode(key), {
      onError: (key, error) => this.ctx.handleError(new Error(`error syncing '${key}': ${messageOf(error)}, requeuing`)),
    });
  }

  shutdown(): void {
    this.queue.shutDown();
  }

  /** listNodes: every Node, tried again every 10s while the apiserver does not answer; undefined once shut down. */
  private async listNodes(): Promise<NodeObject[] | undefined> {
    for (;;) {
      try {
        return (await this.nodes.list('')).items;
      } catch (error) {
        this.ctx.handleError(new Error(`failed to list all nodes: ${messageOf(error)}`));
      }
      await new Promise<void>((resolve) => this.ctx.clock.after(LIST_NODES_POLL_INTERVAL_MS, resolve, 'cidrallocator: list nodes'));
      if (this.queue.shuttingDown()) return undefined;
    }
  }

  /** filterOutServiceRange: the service range's blocks are never handed out. */
  private filterOutServiceRange(serviceCIDR: string): void {
    const service = parseIpv4Cidr(serviceCIDR);
    this.params.clusterCIDRs.forEach((clusterCIDR, i) => {
      const cluster = parseIpv4Cidr(clusterCIDR);
      const within = (outer: typeof cluster, ip: number) => Math.floor(ip / 2 ** (32 - outer.prefix)) * 2 ** (32 - outer.prefix) === outer.ip;
      if (!within(cluster, service.ip) && !within(service, cluster.ip)) return;
      try {
        this.cidrSets[i]!.occupy(serviceCIDR);
      } catch (error) {
        this.ctx.handleError(new Error(`Error filtering out service cidr out cluster cidr: ${messageOf(error)}`));
      }
    });
  }

  async syncNode(key: string): Promise<void> {
    const node = this.nodeLister.get(key);
    if (!node) return;
    if (node.metadata?.deletionTimestamp) {
      this.releaseCIDR(node);
      return;
    }
    await this.allocateOrOccupyCIDR(node);
  }

  /** occupyCIDRs: the node's CIDRs, marked used. */
  private occupyCIDRs(node: Node): void {
    const name = node.metadata?.name ?? '';
    (node.spec?.podCIDRs ?? []).forEach((cidr, idx) => {
      try {
        parseIpv4Cidr(cidr);
      } catch (error) {
        throw new Error(`failed to parse node ${name}, CIDR ${node.spec?.podCIDR ?? ''}`, { cause: error });
      }
      const set = this.cidrSets[idx];
      if (!set) throw new Error(`node:${name} has an allocated cidr: ${cidr} at index:${idx} that does not exist in cluster cidrs configuration`);
      try {
        set.occupy(cidr);
      } catch (error) {
        throw new Error(`failed to mark cidr[${cidr}] at idx [${idx}] as occupied for node: ${name}: ${messageOf(error)}`, { cause: error });
      }
    });
  }

  /** AllocateOrOccupyCIDR. Allocation is synchronous, so nodes get blocks in the order their keys are handed out. */
  private async allocateOrOccupyCIDR(node: NodeObject): Promise<void> {
    if ((node.spec?.podCIDRs ?? []).length > 0) {
      this.occupyCIDRs(node);
      return;
    }
    const allocated: string[] = [];
    for (const [idx, set] of this.cidrSets.entries()) {
      try {
        allocated.push(set.allocateNext());
      } catch (error) {
        // The blocks taken from the sets before this one go back (the node will try again for all of them).
        allocated.forEach((cidr, i) => this.cidrSets[i]!.release(cidr));
        recordNodeStatusChange(this.recorder, node, EVENT_TYPE_WARNING, 'CIDRNotAvailable');
        throw new Error(`failed to allocate cidr from cluster cidr at idx:${idx}: ${messageOf(error)}`, { cause: error });
      }
    }
    await this.updateCIDRsAllocation(node.metadata?.name ?? '', allocated);
  }

  /** ReleaseCIDR: the node's CIDRs, free again. */
  private releaseCIDR(node: Node): void {
    const name = node.metadata?.name ?? '';
    (node.spec?.podCIDRs ?? []).forEach((cidr, idx) => {
      try {
        parseIpv4Cidr(cidr);
      } catch (error) {
        throw new Error(`failed to parse CIDR ${cidr} on Node ${name}: ${messageOf(error)}`, { cause: error });
      }
      const set = this.cidrSets[idx];
      if (!set) throw new Error(`node:${name} has an allocated cidr: ${cidr} at index:${idx} that does not exist in cluster cidrs configuration`);
      try {
        set.release(cidr);
      } catch (error) {
        throw new Error(`error when releasing CIDR ${cidr}: ${messageOf(error)}`, { cause: error });
      }
    });
  }

  /** updateCIDRsAllocation: write the allocation onto the Node, unless it has CIDRs by now. */
  private async updateCIDRsAllocation(nodeName: string, allocated: readonly string[]): Promise<void> {
    const node = this.nodeLister.get(nodeName);
    if (!node) throw new Error(`node "${nodeName}" not found`);
    const current = node.spec?.podCIDRs ?? [];
    if (current.length === allocated.length && current.every((c, i) => c === allocated[i])) return;
    if (current.length !== 0) {
      this.releaseAll(allocated);
      return;
    }
    let lastError: unknown;
    for (let i = 0; i < CIDR_UPDATE_RETRIES; i++) {
      try {
        await this.nodes.patch('', nodeName, 'strategic', { spec: { podCIDR: allocated[0], podCIDRs: allocated } });
        return;
      } catch (error) {
        lastError = error;
      }
    }
    recordNodeStatusChange(this.recorder, node, EVENT_TYPE_WARNING, 'CIDRAssignmentFailed');
    // apierrors.IsServerTimeout: the write may have gone through, so the blocks stay taken.
    if (!(lastError instanceof StatusError && (lastError.reason as string) === 'ServerTimeout')) this.releaseAll(allocated);
    throw new Error(`failed to patch node CIDR: ${messageOf(lastError)}`, { cause: lastError });
  }

  private releaseAll(allocated: readonly string[]): void {
    allocated.forEach((cidr, idx) => this.cidrSets[idx]?.release(cidr));
  }
}
