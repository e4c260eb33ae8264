/**
 * The DaemonSet controller — pkg/controller/daemon/daemon_controller.go and update.go: one pod of a
 * DaemonSet on every node that should run it.
 *
 * syncDaemonSet(key): read the set from the cache; keep its ControllerRevisions (the current one named
 * `<set>-<hash of the template>`, created if missing, renumbered above the old ones; duplicates merged);
 * if its expectations are met, manage the pods — per node (NodeShouldRunDaemonPod), create a missing pod,
 * delete a Failed one (with a per-node backoff, `FailedDaemonPod`) or a Succeeded one, delete extra ones,
 * delete those on nodes the set no longer fits — then run the RollingUpdate step (OnDelete leaves old pods
 * alone) and trim the history to revisionHistoryLimit; finally write status (desired, current, ready,
 * available, unavailable, updated and misscheduled counts).
 *
 * A daemon pod is not bound by the controller: it gets the template's labels plus `controller-revision-hash`
 * and `pod-template-generation`, the default daemon tolerations, and a required node affinity
 * `matchFields metadata.name In [<node>]`, and the default scheduler binds it to that node.
 *
 * Informer handlers only enqueue keys: DaemonSets, their ControllerRevisions and pods, and nodes whose
 * labels or taints change whether a set should run there. Expectations keep a sync from acting on a cache
 * that has not seen its own creates and deletes yet.
 *
 * Left out: metrics, the `FailedPlacement` event (unused since the scheduler places daemon pods).
 */
import type { DaemonSet, DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isNotFound, StatusError } from '../../api/errors.ts';
import { labelSelectorAsSelector } from '../../api/labels/selector.ts';
import { isPodAvailable, isPodReady, isPodTerminal } from '../../api/pod/podutil.ts';
import type { Timer } from '../../base/clock.ts';
import { Backoff } from '../../client/flowcontrol/backoff.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { SharedIndexInformer } from '../../client/cache/sharedInformer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc, splitMetaNamespaceKey } from '../../client/cache/store.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { KubeObject, ResourceClient } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { RateLimitingQueue } from '../../client/workqueue/rateLimitingQueue.ts';
import { runWorkers } from '../../client/workqueue/worker.ts';
import type { Controller, ControllerContext, ControllerDescriptor } from '../controllerContext.ts';
import { ControllerRefManager } from '../controllerRefManager.ts';
import { ControllerExpectations } from '../expectations.ts';
import { canonicalJson, computeHash } from '../hash.ts';
import { CONTROLLER_REVISION_HASH_LABEL, maxRevision, revisionsToTruncate, sortControllerRevisions, type ControllerRevisionObject } from '../history/controllerHistory.ts';
import { getControllerOf, messageOf, newControllerRef, PodControl, type PodObject } from '../podControl.ts';
import { slowStartBatch } from '../replicaset/replicaSet.ts';
import {
  allowsSurge,
  compareByCreationTimestampAndPhase,
  createPodTemplate,
  getTargetNodeName,
  getTemplateGeneration,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceDaemonSetPodNodeNameNodeAffinity,
} from './daemonSetUtil.ts';
import { planRollingUpdate } from './rollingUpdate.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** BurstReplicas: at most this many creates (and deletes) per sync. */
export const BURST_REPLICAS = 250;
/** StatusUpdateRetries. */
const STATUS_UPDATE_RETRIES = 1;
/** BackoffGCInterval. */
const BACKOFF_GC_INTERVAL_MS = 60_000;
/** kube-controller-manager's failedPodsBackoff: flowcontrol.NewBackOff(1s, 15m). */
const FAILED_PODS_BACKOFF_INITIAL_MS = 1000;
const FAILED_PODS_BACKOFF_MAX_MS = 15 * 60_000;

export const SELECTING_ALL_REASON = 'SelectingAll';
export const FAILED_DAEMON_POD_REASON = 'FailedDaemonPod';
export const SUCCEEDED_DAEMON_POD_REASON = 'SucceededDaemonPod';

const DS_API_VERSION = 'apps/v1';
const DS_KIND = 'DaemonSet';

type DaemonSetObject = DaemonSet & KubeObject;
type NodeObject = Node & KubeObject;

function isDeleted<T>(obj: T | DeletedFinalStateUnknown<T>): obj is DeletedFinalStateUnknown<T> {
  return obj instanceof DeletedFinalStateUnknown;
}

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
function namespaceTerminating(error: unknown): boolean {
  return error instanceof StatusError && (error.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/** getPatch: the revision data, a strategic merge patch that puts the set's template back. */
export function getPatch(ds: DaemonSet): { spec: { template: object } } {
  return { spec: { template: { ...deepCopy(ds.spec?.template ?? {}), $patch: 'replace' } } };
}

/** Match: the revision holds the set's current template. */
export function matchRevision(ds: DaemonSet, history: ControllerRevisionObject): boolean {
  return canonicalJson(getPatch(ds)) === canonicalJson(history.data);
}

/**
 * The status as the apiserver serializes it: the four scheduled/ready counts always, the rest only
 * when set (omitempty).
 */
export function wireStatus(status: DaemonSetStatus): DaemonSetStatus {
  const out: DaemonSetStatus = {
    currentNumberScheduled: status.currentNumberScheduled,
    numberMisscheduled: status.numberMisscheduled,
    desiredNumberScheduled: status.desiredNumberScheduled,
    numberReady: status.numberReady,
  };
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  if (status.updatedNumberScheduled) out.updatedNumberScheduled = status.updatedNumberScheduled;
  if (status.numberAvailable) out.numberAvailable = status.numberAvailable;
  if (status.numberUnavailable) out.numberUnavailable = status.numberUnavailable;
  if (status.collisionCount !== undefined) out.collisionCount = status.collisionCount;
  if (status.conditions?.length) out.conditions = status.conditions;
  return out;
}

interface StatusCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

export class DaemonSetsController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  readonly failedPodsBackoff: Backoff;
  private readonly dsInformer: SharedIndexInformer<DaemonSetObject>;
  private readonly historyInformer: SharedIndexInformer<ControllerRevisionObject>;
  private readonly podInformer: SharedIndexInformer<PodObject>;
  private readonly nodeInformer: SharedIndexInformer<NodeObject>;
  private readonly dsLister: Lister<DaemonSetObject>;
  private readonly historyLister: Lister<ControllerRevisionObject>;
  private readonly podLister: Lister<PodObject>;
  private readonly nodeLister: Lister<NodeObject>;
  private readonly daemonSets: ResourceClient<DaemonSetObject>;
  private readonly revisions: ResourceClient<ControllerRevisionObject>;
  private readonly pods: ResourceClient<PodObject>;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private gcTimer: Timer | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly burstReplicas = BURST_REPLICAS,
  ) {
    this.queue = new RateLimitingQueue<string>(ctx.clock, { name: 'daemonset' });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.failedPodsBackoff = new Backoff(ctx.clock, FAILED_PODS_BACKOFF_INITIAL_MS, FAILED_PODS_BACKOFF_MAX_MS);
    this.dsInformer = ctx.informers.informerFor<DaemonSetObject>(RESOURCES.daemonsets);
    this.historyInformer = ctx.informers.informerFor<ControllerRevisionObject>(RESOURCES.controllerrevisions);
    this.podInformer = ctx.informers.informerFor<PodObject>(RESOURCES.pods);
    this.nodeInformer = ctx.informers.informerFor<NodeObject>(RESOURCES.nodes);
    this.dsLister = this.dsInformer.lister();
    this.historyLister = this.historyInformer.lister();
    this.podLister = this.podInformer.lister();
    this.nodeLister = this.nodeInformer.lister();
    this.daemonSets = ctx.client.resource<DaemonSetObject>(RESOURCES.daemonsets);
    this.revisions = ctx.client.resource<ControllerRevisionObject>(RESOURCES.controllerrevisions);
    this.pods = ctx.client.resource<PodObject>(RESOURCES.pods);
    this.recorder = ctx.recorder('daemonset-controller');
    this.podControl = new PodControl(this.pods, this.recorder);

    this.dsInformer.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (oldDs, curDs) => {
        if (oldDs.metadata?.uid !== curDs.metadata?.uid) this.deleteDaemonset(new DeletedFinalStateUnknown(metaNamespaceKeyFunc(oldDs), oldDs));
        this.enqueue(curDs);
      },
      onDelete: (ds) => this.deleteDaemonset(ds),
    });
    this.historyInformer.addEventHandler({
      onAdd: (history) => this.addHistory(history),
      onUpdate: (oldHistory, curHistory) => this.updateHistory(oldHistory, curHistory),
      onDelete: (history) => this.deleteHistory(history),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (oldPod, curPod) => this.updatePod(oldPod, curPod),
      onDelete: (pod) => this.deletePod(pod),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.addNode(node),
      onUpdate: (oldNode, curNode) => this.updateNode(oldNode, curNode),
    });
  }

  async run(workers: number): Promise<void> {
    for (const informer of [this.podInformer, this.nodeInformer, this.historyInformer, this.dsInformer]) if (!(await informer.waitForSync())) return;
    this.gcTimer = this.ctx.clock.every(BACKOFF_GC_INTERVAL_MS, () => this.failedPodsBackoff.gc(), 'daemonset failedPodsBackoff gc');
    await runWorkers(this.queue, workers, (key) => this.syncDaemonSet(key), { onError: (key, error) => this.ctx.handleError(new Error(`${key} failed with : ${messageOf(error)}`)) });
  }

  shutdown(): void {
    this.gcTimer?.cancel();
    this.queue.shutDown();
  }

  private enqueue(ds: DaemonSetObject): void {
    this.queue.add(metaNamespaceKeyFunc(ds));
  }

  private deleteDaemonset(obj: DaemonSetObject | DeletedFinalStateUnknown<DaemonSetObject>): void {
    const key = isDeleted(obj) ? obj.key : metaNamespaceKeyFunc(obj);
    this.expectations.deleteExpectations(key);
    this.queue.add(key);
  }

  /** The DaemonSet a controllerRef names, if the cache has it with that UID. */
  private resolveControllerRef(namespace: string, obj: KubeObject): DaemonSetObject | undefined {
    const ref = getControllerOf(obj);
    if (!ref || ref.kind !== DS_KIND) return undefined;
    const ds = this.dsLister.byNamespace(namespace).get(ref.name);
    return ds && ds.metadata?.uid === ref.uid ? ds : undefined;
  }

  /** GetPodDaemonSets / GetHistoryDaemonSets: the sets whose non-empty selector matches the labels. */
  private daemonSetsSelecting(obj: KubeObject): DaemonSetObject[] {
    const labels = obj.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.dsLister
      .byNamespace(obj.metadata?.namespace ?? '')
      .list()
      .filter((ds) => {
        try {
          const selector = labelSelectorAsSelector(ds.spec?.selector);
          return !selector.empty() && selector.matches(labels);
        } catch {
          // A selector that does not parse selects nothing.
          return false;
        }
      });
  }

  private addHistory(history: ControllerRevisionObject): void {
    if (history.metadata?.deletionTimestamp) {
      this.deleteHistory(history);
      return;
    }
    if (getControllerOf(history)) return;
    for (const ds of this.daemonSetsSelecting(history)) this.enqueue(ds);
  }

  private updateHistory(oldHistory: ControllerRevisionObject, curHistory: ControllerRevisionObject): void {
    if (curHistory.metadata?.resourceVersion === oldHistory.metadata?.resourceVersion) return;
    const namespace = curHistory.metadata?.namespace ?? '';
    const curRef = getControllerOf(curHistory);
    const oldRef = getControllerOf(oldHistory);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const ds = this.resolveControllerRef(namespace, oldHistory);
      if (ds) this.enqueue(ds);
    }
    if (curRef) {
      const ds = this.resolveControllerRef(namespace, curHistory);
      if (ds) this.enqueue(ds);
      return;
    }
    const labelChanged = JSON.stringify(curHistory.metadata?.labels ?? {}) !== JSON.stringify(oldHistory.metadata?.labels ?? {});
    if (labelChanged || refChanged) for (const ds of this.daemonSetsSelecting(curHistory)) this.enqueue(ds);
  }

  private deleteHistory(obj: ControllerRevisionObject | DeletedFinalStateUnknown<ControllerRevisionObject>): void {
    const history = isDeleted(obj) ? obj.obj : obj;
    if (!history || !getControllerOf(history)) return;
    const ds = this.resolveControllerRef(history.metadata?.namespace ?? '', history);
    if (ds) this.enqueue(ds);
  }

  private addPod(pod: PodObject): void {
    if (pod.metadata?.deletionTimestamp) {
      this.deletePod(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const ds = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
      if (!ds) return;
      this.expectations.creationObserved(metaNamespaceKeyFunc(ds));
      this.enqueue(ds);
      return;
    }
    for (const ds of this.daemonSetsSelecting(pod)) this.enqueue(ds);
  }

  private updatePod(oldPod: PodObject, curPod: PodObject): void {
    if (curPod.metadata?.resourceVersion === oldPod.metadata?.resourceVersion) return;
    if (curPod.metadata?.deletionTimestamp) {
      this.deletePod(curPod);
      return;
    }
    const namespace = curPod.metadata?.namespace ?? '';
    const curRef = getControllerOf(curPod);
    const oldRef = getControllerOf(oldPod);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const ds = this.resolveControllerRef(namespace, oldPod);
      if (ds) this.enqueue(ds);
    }
    if (curRef) {
      const ds = this.resolveControllerRef(namespace, curPod);
      if (!ds) return;
      this.enqueue(ds);
      const minReady = ds.spec?.minReadySeconds ?? 0;
      // Add a second to avoid milliseconds skew, as upstream.
      if (!isPodReady(oldPod) && isPodReady(curPod) && minReady > 0) this.queue.addAfter(metaNamespaceKeyFunc(ds), minReady * 1000 + 1000);
      return;
    }
    const labelChanged = JSON.stringify(curPod.metadata?.labels ?? {}) !== JSON.stringify(oldPod.metadata?.labels ?? {});
    if (labelChanged || refChanged) for (const ds of this.daemonSetsSelecting(curPod)) this.enqueue(ds);
  }

  private deletePod(obj: PodObject | DeletedFinalStateUnknown<PodObject>): void {
    const pod = isDeleted(obj) ? obj.obj : obj;
    if (!pod || !getControllerOf(pod)) return;
    const ds = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (!ds) return;
    this.expectations.deletionObserved(metaNamespaceKeyFunc(ds));
    this.enqueue(ds);
  }

  private addNode(node: NodeObject): void {
    for (const ds of this.dsLister.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) this.enqueue(ds);
  }

  /** Only label and taint changes can change where a set should run (shouldIgnoreNodeUpdate). */
  private updateNode(oldNode: NodeObject, curNode: NodeObject): void {
    const same = canonicalJson(oldNode.metadata?.labels ?? {}) === canonicalJson(curNode.metadata?.labels ?? {}) && canonicalJson(oldNode.spec?.taints ?? []) === canonicalJson(curNode.spec?.taints ?? []);
    if (same) return;
    for (const ds of this.dsLister.list()) {
      const before = nodeShouldRunDaemonPod(oldNode, ds);
      const after = nodeShouldRunDaemonPod(curNode, ds);
      if (before.shouldRun !== after.shouldRun || before.shouldContinueRunning !== after.shouldContinueRunning) this.enqueue(ds);
    }
  }

  async syncDaemonSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ds = this.dsLister.byNamespace(namespace).get(name);
    if (!ds) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const nodes = this.nodeLister.list();
    const selector = ds.spec?.selector;
    if (selector && Object.keys(selector).length === 0) {
      this.recorder.event(ds, EVENT_TYPE_WARNING, SELECTING_ALL_REASON, 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    // A set being deleted may have lost its revisions already: its status cannot be trusted.
    if (ds.metadata?.deletionTimestamp) return;
    let cur: ControllerRevisionObject;
    let old: ControllerRevisionObject[];
    try {
      ({ cur, old } = await this.constructHistory(ds));
    } catch (error) {
      throw new Error(`failed to construct revisions of DaemonSet: ${messageOf(error)}`, { cause: error });
    }
    const hash = cur.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    if (!this.expectations.satisfiedExpectations(key)) {
      await this.updateDaemonSetStatus(ds, nodes, hash, false);
      return;
    }
    let error: unknown;
    try {
      await this.updateDaemonSet(ds, nodes, hash, key, old);
    } catch (e) {
      error = e;
    }
    let statusError: unknown;
    try {
      await this.updateDaemonSetStatus(ds, nodes, hash, true);
    } catch (e) {
      statusError = e;
    }
    if (error !== undefined) throw error;
    if (statusError !== undefined) throw statusError;
  }

  private async updateDaemonSet(ds: DaemonSetObject, nodes: readonly NodeObject[], hash: string, key: string, old: readonly ControllerRevisionObject[]): Promise<void> {
    await this.manage(ds, nodes, hash);
    if (this.expectations.satisfiedExpectations(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
      const nodeToDaemonPods = await this.getNodesToDaemonPods(ds, false);
      const plan = planRollingUpdate(ds, nodes, nodeToDaemonPods, hash, this.ctx.clock.now());
      await this.syncNodes(ds, plan.podsToDelete, plan.nodesToCreate, hash);
    }
    try {
      await this.cleanupHistory(ds, old);
    } catch (error) {
      throw new Error(`failed to clean up revisions of DaemonSet: ${messageOf(error)}`, { cause: error });
    }
  }

  /** getDaemonPods: the pods the set owns, adopting matching orphans and releasing ones that stopped matching. */
  private async getDaemonPods(ds: DaemonSetObject): Promise<PodObject[]> {
    const namespace = ds.metadata?.namespace ?? '';
    const manager = new ControllerRefManager<PodObject>({
      controller: ds,
      apiVersion: DS_API_VERSION,
      kind: DS_KIND,
      selector: labelSelectorAsSelector(ds.spec?.selector),
      client: this.pods,
      getController: () => this.daemonSets.get(namespace, ds.metadata?.name ?? ''),
    });
    return manager.claim(this.podLister.byNamespace(namespace).list());
  }

  /** getNodesToDaemonPods: the set's pods by the node they run on (or are pinned to). */
  private async getNodesToDaemonPods(ds: DaemonSetObject, includeDeletedTerminal: boolean): Promise<Map<string, Pod[]>> {
    const nodeToDaemonPods = new Map<string, Pod[]>();
    for (const pod of await this.getDaemonPods(ds)) {
      // A finished pod already being deleted is the kubelet's or the pod GC's to remove.
      if (!includeDeletedTerminal && isPodTerminal(pod) && pod.metadata?.deletionTimestamp) continue;
      const nodeName = getTargetNodeName(pod);
      if (nodeName === undefined) continue;
      const list = nodeToDaemonPods.get(nodeName);
      if (list) list.push(pod);
      else nodeToDaemonPods.set(nodeName, [pod]);
    }
    return nodeToDaemonPods;
  }

  /** podsShouldBeOnNode: the node's part of the plan — whether it needs a pod, and which of its pods go. */
  private podsShouldBeOnNode(node: NodeObject, nodeToDaemonPods: Map<string, Pod[]>, ds: DaemonSetObject, hash: string): { needsPod: boolean; podsToDelete: string[] } {
    const nodeName = node.metadata?.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const daemonPods = nodeToDaemonPods.get(nodeName);
    const podsToDelete: string[] = [];
    if (shouldRun && !daemonPods) return { needsPod: true, podsToDelete };
    if (!shouldContinueRunning) {
      for (const pod of daemonPods ?? []) if (!pod.metadata?.deletionTimestamp) podsToDelete.push(pod.metadata?.name ?? '');
      return { needsPod: false, podsToDelete };
    }
    const running: Pod[] = [];
    for (const pod of daemonPods ?? []) {
      if (pod.metadata?.deletionTimestamp) continue;
      const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
      if (pod.status?.phase === 'Failed') {
        // The set often fights a kubelet that rejects its pods: back off before deleting again.
        const backoffKey = `${ds.metadata?.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
        const now = this.failedPodsBackoff.clock.now();
        if (this.failedPodsBackoff.isInBackOffSinceUpdate(backoffKey, now)) {
          this.queue.addAfter(metaNamespaceKeyFunc(ds), this.failedPodsBackoff.get(backoffKey));
          continue;
        }
        this.failedPodsBackoff.next(backoffKey, now);
        this.recorder.event(ds, EVENT_TYPE_WARNING, FAILED_DAEMON_POD_REASON, `Found failed daemon pod ${podName} on node ${nodeName}, will try to kill it`);
        podsToDelete.push(pod.metadata?.name ?? '');
      } else if (pod.status?.phase === 'Succeeded') {
        this.recorder.event(ds, EVENT_TYPE_NORMAL, SUCCEEDED_DAEMON_POD_REASON, `Found succeeded daemon pod ${podName} on node ${nodeName}, will try to delete it`);
        podsToDelete.push(pod.metadata?.name ?? '');
      } else {
        running.push(pod);
      }
    }
    running.sort(compareByCreationTimestampAndPhase);
    if (!allowsSurge(ds)) {
      // Without surge, only the oldest pod stays.
      for (const pod of running.slice(1)) podsToDelete.push(pod.metadata?.name ?? '');
      return { needsPod: false, podsToDelete };
    }
    if (running.length <= 1) return { needsPod: running.length === 0 && shouldRun, podsToDelete };
    // With surge, two pods may share a node only while the oldest new one is not ready and the oldest
    // old one is; the new one wins once it is available.
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of running) {
      if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) {
        if (!oldestNew) {
          oldestNew = pod;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = pod;
        continue;
      }
      podsToDelete.push(pod.metadata?.name ?? '');
    }
    if (oldestNew && oldestOld) {
      if (!isPodReady(oldestOld) || isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, this.ctx.clock.now())) podsToDelete.push(oldestOld.metadata?.name ?? '');
    }
    return { needsPod: false, podsToDelete };
  }

  /** manage: create the missing daemon pods and delete the ones that should go. */
  private async manage(ds: DaemonSetObject, nodes: readonly NodeObject[], hash: string): Promise<void> {
    let nodeToDaemonPods: Map<string, Pod[]>;
    try {
      nodeToDaemonPods = await this.getNodesToDaemonPods(ds, false);
    } catch (error) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata?.name}": ${messageOf(error)}`, { cause: error });
    }
    const nodesNeedingDaemonPods: string[] = [];
    const podsToDelete: string[] = [];
    for (const node of nodes) {
      const plan = this.podsShouldBeOnNode(node, nodeToDaemonPods, ds, hash);
      if (plan.needsPod) nodesNeedingDaemonPods.push(node.metadata?.name ?? '');
      podsToDelete.push(...plan.podsToDelete);
    }
    // Pods pinned to nodes that no longer exist are never scheduled, so the pod GC never sees them.
    const existing = new Set(nodes.map((n) => n.metadata?.name));
    for (const [nodeName, pods] of nodeToDaemonPods) {
      if (existing.has(nodeName)) continue;
      for (const pod of pods) if (!pod.spec?.nodeName) podsToDelete.push(pod.metadata?.name ?? '');
    }
    await this.syncNodes(ds, podsToDelete, nodesNeedingDaemonPods, hash);
  }

  /** syncNodes: delete the given pods and create a pod pinned to each given node, under expectations. */
  private async syncNodes(ds: DaemonSetObject, podsToDelete: readonly string[], nodesNeedingDaemonPods: readonly string[], hash: string): Promise<void> {
    const key = metaNamespaceKeyFunc(ds);
    const namespace = ds.metadata?.namespace ?? '';
    const createDiff = Math.min(nodesNeedingDaemonPods.length, this.burstReplicas);
    const deleteDiff = Math.min(podsToDelete.length, this.burstReplicas);
    this.expectations.setExpectations(key, createDiff, deleteDiff);
    const errors: unknown[] = [];

    const template = createPodTemplate(ds.spec?.template ?? {}, getTemplateGeneration(ds), hash);
    const ref = newControllerRef(ds, DS_API_VERSION, DS_KIND);
    let next = 0;
    const { error: batchError } = await slowStartBatch(createDiff, 1, async () => {
      const nodeName = nodesNeedingDaemonPods[next++]!;
      const podTemplate = deepCopy(template);
      const spec = (podTemplate.spec ??= { containers: [] });
      spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(spec.affinity, nodeName);
      try {
        await this.podControl.createPods(namespace, podTemplate, ds, ref);
      } catch (error) {
        // A namespace being torn down refuses every create: nothing to retry.
        if (namespaceTerminating(error)) return;
        this.expectations.creationObserved(key);
        errors.push(error);
        throw error;
      }
    });
    // Creates never attempted after a failed batch will not be observed either.
    const skipped = createDiff - next;
    if (batchError !== undefined && skipped > 0) this.expectations.lowerExpectations(key, skipped, 0);

    await Promise.all(
      podsToDelete.slice(0, deleteDiff).map(async (podName) => {
        try {
          await this.podControl.deletePod(namespace, podName, ds);
        } catch (error) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(error)) errors.push(error);
        }
      }),
    );
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new Error(`[${errors.map(messageOf).join(', ')}]`);
  }

  /** updateDaemonSetStatus: count the set's pods per node and store the counts. */
  private async updateDaemonSetStatus(ds: DaemonSetObject, nodes: readonly NodeObject[], hash: string, updateObservedGen: boolean): Promise<void> {
    let nodeToDaemonPods: Map<string, Pod[]>;
    try {
      nodeToDaemonPods = await this.getNodesToDaemonPods(ds, false);
    } catch (error) {
      throw new Error(`couldn't get node to daemon pod mapping for daemon set "${ds.metadata?.name}": ${messageOf(error)}`, { cause: error });
    }
    const now = this.ctx.clock.now();
    const generation = getTemplateGeneration(ds);
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    const counts: StatusCounts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const daemonPods = nodeToDaemonPods.get(node.metadata?.name ?? '') ?? [];
      const scheduled = daemonPods.length > 0;
      if (!shouldRun) {
        if (scheduled) counts.numberMisscheduled++;
        continue;
      }
      counts.desiredNumberScheduled++;
      if (!scheduled) continue;
      counts.currentNumberScheduled++;
      const pod = [...daemonPods].sort(compareByCreationTimestampAndPhase)[0]!;
      if (isPodReady(pod)) {
        counts.numberReady++;
        if (isPodAvailable(pod, minReadySeconds, now)) counts.numberAvailable++;
      }
      if (isPodUpdated(pod, hash, generation)) counts.updatedNumberScheduled++;
    }
    counts.numberUnavailable = counts.desiredNumberScheduled - counts.numberAvailable;
    try {
      await this.storeDaemonSetStatus(ds, counts, updateObservedGen);
    } catch (error) {
      throw new Error(`error storing status for daemon set "${ds.metadata?.name}": ${messageOf(error)}`, { cause: error });
    }
    if (minReadySeconds > 0 && counts.numberReady !== counts.numberAvailable) this.queue.addAfter(metaNamespaceKeyFunc(ds), minReadySeconds * 1000);
  }

  /** storeDaemonSetStatus: write the counts unless nothing changed, retrying once on a fresh copy. */
  private async storeDaemonSetStatus(ds: DaemonSetObject, counts: StatusCounts, updateObservedGen: boolean): Promise<void> {
    const st = ds.status ?? ({} as DaemonSetStatus);
    const generation = (ds.metadata?.generation as number | undefined) ?? 0;
    const same = (Object.keys(counts) as Array<keyof StatusCounts>).every((k) => (st[k] ?? 0) === counts[k]);
    if (same && (st.observedGeneration ?? 0) >= generation) return;
    let toUpdate = deepCopy(ds);
    for (let attempt = 0; ; attempt++) {
      const status: DaemonSetStatus = { ...toUpdate.status, ...counts } as DaemonSetStatus;
      if (updateObservedGen) status.observedGeneration = generation;
      try {
        await this.daemonSets.updateStatus(ds.metadata?.namespace ?? '', { ...toUpdate, status: wireStatus(status) });
        return;
      } catch (error) {
        if (attempt >= STATUS_UPDATE_RETRIES) throw error;
        toUpdate = await this.daemonSets.get(ds.metadata?.namespace ?? '', ds.metadata?.name ?? '');
      }
    }
  }

  /** controlledHistories: the set's revisions, adopting matching orphans and releasing ones that stopped matching. */
  private async controlledHistories(ds: DaemonSetObject): Promise<ControllerRevisionObject[]> {
    const namespace = ds.metadata?.namespace ?? '';
    const manager = new ControllerRefManager<ControllerRevisionObject>({
      controller: ds,
      apiVersion: DS_API_VERSION,
      kind: DS_KIND,
      selector: labelSelectorAsSelector(ds.spec?.selector),
      client: this.revisions,
      getController: () => this.daemonSets.get(namespace, ds.metadata?.name ?? ''),
    });
    return manager.claim(this.historyLister.byNamespace(namespace).list());
  }

  /**
   * constructHistory: split the set's revisions into the current one (its template) and the old ones;
   * create the current one if missing, give it the highest number, label every revision with its hash.
   */
  private async constructHistory(ds: DaemonSetObject): Promise<{ cur: ControllerRevisionObject; old: ControllerRevisionObject[] }> {
    const namespace = ds.metadata?.namespace ?? '';
    const current: ControllerRevisionObject[] = [];
    const old: ControllerRevisionObject[] = [];
    for (let history of await this.controlledHistories(ds)) {
      if (history.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === undefined) {
        // The name stands in for the hash, so no collision needs handling here.
        const toUpdate = deepCopy(history);
        toUpdate.metadata!.labels = { ...toUpdate.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: toUpdate.metadata?.name ?? '' };
        history = await this.revisions.update(namespace, toUpdate);
      }
      if (matchRevision(ds, history)) current.push(history);
      else old.push(history);
    }
    const currRevision = maxRevision(old) + 1;
    if (current.length === 0) return { cur: await this.snapshot(ds, currRevision), old };
    const cur = await this.dedupCurHistories(ds, current);
    if (cur.revision < currRevision) {
      const toUpdate = deepCopy(cur);
      toUpdate.revision = currRevision;
      await this.revisions.update(namespace, toUpdate);
    }
    return { cur, old };
  }

  /** cleanupHistory: delete old revisions no pod uses, oldest first, down to revisionHistoryLimit. */
  private async cleanupHistory(ds: DaemonSetObject, old: readonly ControllerRevisionObject[]): Promise<void> {
    const nodeToDaemonPods = await this.getNodesToDaemonPods(ds, true);
    const toKill = old.length - (ds.spec?.revisionHistoryLimit ?? 10);
    if (toKill <= 0) return;
    const liveHashes = new Set<string>();
    for (const pods of nodeToDaemonPods.values()) {
      for (const pod of pods) {
        const hash = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
        if (hash) liveHashes.add(hash);
      }
    }
    const isLive = (r: ControllerRevisionObject) => liveHashes.has(r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '');
    for (const history of revisionsToTruncate(sortControllerRevisions(old), isLive, toKill)) {
      await this.revisions.delete(ds.metadata?.namespace ?? '', history.metadata?.name ?? '');
    }
  }

  /** dedupCurHistories: keep the highest-numbered of equal current revisions, relabel pods to it, delete the rest. */
  private async dedupCurHistories(ds: DaemonSetObject, curHistories: readonly ControllerRevisionObject[]): Promise<ControllerRevisionObject> {
    if (curHistories.length === 1) return curHistories[0]!;
    let keep = curHistories[0]!;
    for (const cur of curHistories) if (cur.revision >= keep.revision) keep = cur;
    const keepHash = keep.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const namespace = ds.metadata?.namespace ?? '';
    for (const pod of await this.getDaemonPods(ds)) {
      if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] !== keepHash) {
        await this.pods.patch(namespace, pod.metadata?.name ?? '', 'merge', { metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: keepHash } } });
      }
    }
    for (const cur of curHistories) if (cur.metadata?.name !== keep.metadata?.name) await this.revisions.delete(namespace, cur.metadata?.name ?? '');
    return keep;
  }

  /**
   * snapshot: create the revision `<set>-<hash>` of the current template. A name taken by another
   * template is a hash collision: status.collisionCount goes up (so the next hash differs) and the sync
   * is retried.
   */
  private async snapshot(ds: DaemonSetObject, revision: number): Promise<ControllerRevisionObject> {
    const namespace = ds.metadata?.namespace ?? '';
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
    const name = `${ds.metadata?.name ?? ''}-${hash}`;
    const history: ControllerRevisionObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace,
        labels: { ...ds.spec?.template?.metadata?.labels, [CONTROLLER_REVISION_HASH_LABEL]: hash },
        ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [newControllerRef(ds, DS_API_VERSION, DS_KIND)],
      },
      data: getPatch(ds) as ControllerRevisionObject['data'],
      revision,
    };
    try {
      return await this.revisions.create(namespace, history);
    } catch (outerError) {
      if (!isAlreadyExists(outerError)) throw outerError;
      const existing = await this.revisions.get(namespace, name);
      if (matchRevision(ds, existing)) return existing;
      const currDS = await this.daemonSets.get(namespace, ds.metadata?.name ?? '');
      if (currDS.status?.collisionCount !== ds.status?.collisionCount) {
        throw new Error(`found a stale collision count (${ds.status?.collisionCount}, expected ${currDS.status?.collisionCount}) of DaemonSet "${ds.metadata?.name}" while processing; will retry until it is updated`, { cause: outerError });
      }
      const status: DaemonSetStatus = { ...currDS.status!, collisionCount: (currDS.status?.collisionCount ?? 0) + 1 };
      await this.daemonSets.updateStatus(namespace, { ...currDS, status });
      throw outerError;
    }
  }
}

export const daemonSetControllerDescriptor: ControllerDescriptor = {
  name: 'daemonset-controller',
  workers: 2,
  init: (ctx) => new DaemonSetsController(ctx),
};
