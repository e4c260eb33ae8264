/**
 * The pod garbage collector — pkg/controller/podgc/gc_controller.go. Every 20s it removes pods nobody
 * else will:
 * - gcOrphaned: pods bound to a node that no longer exists (confirmed after a 40s quarantine) are
 *   marked Failed with the DisruptionTarget condition (`DeletionByPodGC`) and force-deleted;
 * - gcUnscheduledTerminating: pods being deleted that were never scheduled are force-deleted;
 * - gcTerminating: pods being deleted on a node that is NotReady and tainted
 *   `node.kubernetes.io/out-of-service` are force-deleted (the non-graceful node shutdown procedure);
 * - gcTerminated: beyond --terminated-pod-gc-threshold (12,500) finished pods, the oldest are deleted.
 */
import type { Node, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { isPodTerminal } from '../../api/pod/podutil.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Timer } from '../../base/clock.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

export const GC_CHECK_PERIOD_MS = 20_000;
export const QUARANTINE_TIME_MS = 40_000;
export const TERMINATED_POD_GC_THRESHOLD = 12_500;
export const TAINT_OUT_OF_SERVICE = 'node.kubernetes.io/out-of-service';

type PodObject = Pod & KubeObject;
type NodeObject = Node & KubeObject;

export class PodGCController implements Controller {
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly nodeInformer: SharedIndexInformer<NodeObject>;
  /** Nodes seen missing, and when: deleted only once still missing after the quarantine. */
  private readonly missingSince = new Map<string, number>();
  private timer: Timer | undefined;
  private busy = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly terminatedThreshold = TERMINATED_POD_GC_THRESHOLD,
  ) {
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.nodeInformer = ctx.informers.informerFor<NodeObject>(RESOURCES.nodes);
  }

  async run(): Promise<void> {
    if (!(await this.podInformer.waitForSync()) || !(await this.nodeInformer.waitForSync())) return;
    this.timer = this.ctx.clock.every(GC_CHECK_PERIOD_MS, () => void this.gc(), 'pod gc');
  }

  shutdown(): void {
    this.timer?.cancel();
  }

  async gc(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const pods = this.podInformer.getStore().list();
      const nodes = new Map(this.nodeInformer.getStore().list().map((n) => [n.metadata?.name ?? '', n]));
      await this.gcTerminated(pods);
      await this.gcTerminating(pods, nodes);
      await this.gcOrphaned(pods, nodes);
      await this.gcUnscheduledTerminating(pods);
    } catch (error) {
      this.ctx.handleError(new Error(`pod gc: ${messageOf(error)}`));
    } finally {
      this.busy = false;
    }
  }

  private async gcTerminated(pods: PodObject[]): Promise<void> {
    const terminated = pods.filter(isPodTerminal);
    const excess = terminated.length - this.terminatedThreshold;
    if (this.terminatedThreshold <= 0 || excess <= 0) return;
    terminated.sort((a, b) => String(a.metadata?.creationTimestamp ?? '').localeCompare(String(b.metadata?.creationTimestamp ?? '')));
    for (const pod of terminated.slice(0, excess)) await this.forceDelete(pod);
  }

  private async gcTerminating(pods: PodObject[], nodes: Map<string, NodeObject>): Promise<void> {
    for (const pod of pods) {
      if (!pod.metadata?.deletionTimestamp) continue;
      const node = nodes.get(pod.spec?.nodeName ?? '');
      if (!node) continue;
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
      const outOfService = (node.spec?.taints ?? []).some((t) => t.key === TAINT_OUT_OF_SERVICE && t.effect === 'NoExecute');
      if (!ready && outOfService) await this.markFailedAndDelete(pod, 'DeletionByPodGC', 'PodGC: node is out of service');
    }
  }

  private async gcOrphaned(pods: PodObject[], nodes: Map<string, NodeObject>): Promise<void> {
    const now = this.ctx.clock.now();
    const missing = new Set<string>();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (nodeName && !nodes.has(nodeName)) missing.add(nodeName);
    }
    for (const name of [...this.missingSince.keys()]) if (!missing.has(name)) this.missingSince.delete(name);
    const gone = new Set<string>();
    for (const name of missing) {
      const since = this.missingSince.get(name);
      if (since === undefined) this.missingSince.set(name, now);
      else if (now - since >= QUARANTINE_TIME_MS && !(await this.nodeExists(name))) gone.add(name);
    }
    for (const pod of pods) if (gone.has(pod.spec?.nodeName ?? '')) await this.markFailedAndDelete(pod, 'DeletionByPodGC', 'PodGC: node no longer exists');
  }

  private async gcUnscheduledTerminating(pods: PodObject[]): Promise<void> {
    for (const pod of pods) if (pod.metadata?.deletionTimestamp && !pod.spec?.nodeName) await this.forceDelete(pod);
  }

  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.ctx.client.resource<NodeObject>(RESOURCES.nodes).get('', name);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async markFailedAndDelete(pod: PodObject, reason: string, message: string): Promise<void> {
    const client = this.ctx.client.resource<PodObject>(RESOURCES.pods);
    if (!isPodTerminal(pod)) {
      const condition: PodCondition = { type: 'DisruptionTarget', status: 'True', reason, message, lastTransitionTime: rfc3339(this.ctx.clock.now()) };
      const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), condition];
      try {
        await client.updateStatus(pod.metadata?.namespace ?? '', { ...pod, status: { ...pod.status, phase: 'Failed', conditions } });
      } catch (error) {
        if (isNotFound(error)) return;
        if (!isConflict(error)) throw error;
      }
    }
    await this.forceDelete(pod);
  }

  private async forceDelete(pod: PodObject): Promise<void> {
    try {
      await this.ctx.client.resource<PodObject>(RESOURCES.pods).delete(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

export const podGCControllerDescriptor: ControllerDescriptor = {
  name: 'pod-garbage-collector-controller',
  workers: 1,
  init: (ctx) => new PodGCController(ctx),
};
