/**
 * The taint-eviction controller — pkg/controller/tainteviction (the NoExecute taint manager, its own
 * controller since 1.29): a pod on a node with a NoExecute taint it does not tolerate is deleted at
 * once; one that tolerates it for `tolerationSeconds` (DefaultTolerationSeconds admission gives every
 * pod 300s for not-ready and unreachable) is deleted when that time has passed since the taint's
 * `timeAdded`; one that tolerates it without a limit stays. Before deleting, the pod gets the
 * DisruptionTarget condition (`DeletionByTaintManager`) and the event `TaintManagerEviction: Marking for
 * deletion Pod default/web-…`. A taint removed in time cancels the eviction.
 */
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import { isConflict, isNotFound } from '../../api/errors.ts';
import { rfc3339 } from '../../api/time.ts';
import type { Timer } from '../../base/clock.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown } from '../../client/cache/store.ts';
import { EVENT_TYPE_NORMAL, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { toleratesTaint } from '../../api/scheduling/helpers.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { messageOf } from '../podControl.ts';

type NodeObject = Node & KubeObject;
type PodObject = Pod & KubeObject;

/**
 * How long the pod may stay on a node with these NoExecute taints: 0 = evict now, Infinity = never
 * (getMinTolerationTime over the matching tolerations; an untolerated taint means now).
 */
export function minTolerationMs(pod: Pod, taints: readonly Taint[], now: number): number {
  let min = Infinity;
  for (const taint of taints) {
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => toleratesTaint(t, taint));
    if (tolerations.length === 0) return 0;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : now;
    for (const t of tolerations) {
      if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) continue;
      const seconds = Math.max(t.tolerationSeconds, 0);
      min = Math.min(min, Math.max(added + seconds * 1000 - now, 0));
    }
  }
  return min;
}

export class TaintEvictionController implements Controller {
  private readonly nodeInformer: SharedIndexInformer<NodeObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly nodes: Lister<NodeObject>;
  private readonly timers = new Map<string, Timer>();
  private readonly recorder: EventRecorder;
  private started = false;

  constructor(private readonly ctx: ControllerContext) {
    this.nodeInformer = ctx.informers.informerFor<NodeObject>(RESOURCES.nodes);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.nodes = this.nodeInformer.lister();
    this.recorder = ctx.recorder('taint-eviction-controller');
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.nodeChanged(node.metadata?.name ?? ''),
      onUpdate: (old, node) => {
        if (JSON.stringify(old.spec?.taints ?? []) !== JSON.stringify(node.spec?.taints ?? [])) this.nodeChanged(node.metadata?.name ?? '');
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, pod) => this.podChanged(pod),
      onDelete: (obj) => {
        const pod = obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
        if (pod) this.cancel(pod);
      },
    });
  }

  async run(): Promise<void> {
    if (!(await this.nodeInformer.waitForSync()) || !(await this.podInformer.waitForSync())) return;
    this.started = true;
    for (const node of this.nodes.list()) this.nodeChanged(node.metadata?.name ?? '');
  }

  shutdown(): void {
    this.started = false;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private key(pod: Pod): string {
    return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  }

  private cancel(pod: Pod): void {
    const key = this.key(pod);
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  private nodeChanged(name: string): void {
    if (!this.started) return;
    for (const pod of this.podInformer.getStore().list()) if (pod.spec?.nodeName === name) this.podChanged(pod);
  }

  private podChanged(pod: PodObject): void {
    if (!this.started) return;
    this.cancel(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || pod.metadata?.deletionTimestamp) return;
    const taints = (this.nodes.get(nodeName)?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return;
    const wait = minTolerationMs(pod, taints, this.ctx.clock.now());
    if (wait === Infinity) return;
    const key = this.key(pod);
    this.timers.set(
      key,
      this.ctx.clock.after(wait, () => {
        this.timers.delete(key);
        void this.evict(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', pod.metadata?.uid ?? '').catch((error: unknown) => this.ctx.handleError(new Error(`evicting ${key}: ${messageOf(error)}`)));
      }, `taint eviction ${key}`),
    );
  }

  private async evict(namespace: string, name: string, uid: string): Promise<void> {
    const pods = this.ctx.client.resource<PodObject>(RESOURCES.pods);
    const pod = this.podInformer.getStore().getByKey(`${namespace}/${name}`);
    if (!pod || pod.metadata?.uid !== uid || pod.metadata?.deletionTimestamp) return;
    this.recorder.eventf(pod, EVENT_TYPE_NORMAL, 'TaintManagerEviction', 'Marking for deletion Pod %s', `${namespace}/${name}`);
    const conditions = [...(pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), { type: 'DisruptionTarget', status: 'True', lastTransitionTime: rfc3339(this.ctx.clock.now()), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }];
    try {
      await pods.updateStatus(namespace, { ...pod, status: { ...pod.status, conditions } });
    } catch (error) {
      if (isNotFound(error)) return;
      if (!isConflict(error)) throw error;
    }
    try {
      await pods.delete(namespace, name, { preconditions: { uid } });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  workers: 1,
  init: (ctx) => new TaintEvictionController(ctx),
};
