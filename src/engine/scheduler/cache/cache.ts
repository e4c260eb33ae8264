/**
 * The scheduler cache (pkg/scheduler/backend/cache/cache.go, Kubernetes 1.32): a NodeInfo per node with
 * the pods bound to it and the pods the scheduler has assumed onto it but not yet seen bound.
 *
 * Assume/confirm: after a cycle picks a node, the pod is *assumed* there at once, so the next cycle sees
 * its resources taken while the binding is still on its way. When the informer reports the pod bound,
 * AddPod confirms it; if binding fails, ForgetPod takes it back. Assumed pods never expire (1.32's
 * default, durationToExpireAssumedPod = 0).
 *
 * Snapshots: NodeInfos sit in a list ordered by last change, each with the generation of that change.
 * updateSnapshot walks the list from the head and copies NodeInfos until it meets one no newer than the
 * snapshot: a cycle after one binding copies one node, not all of them. The node list (and the lists of
 * nodes with affinity pods) is rebuilt only when it may have changed.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { ImageStateSummary, NO_IMAGES, NodeInfo, PodInfo } from '../framework/types.ts';
import { NodeTree } from './nodeTree.ts';
import type { Snapshot } from './snapshot.ts';

class NodeInfoListItem {
  next: NodeInfoListItem | undefined;
  prev: NodeInfoListItem | undefined;

  constructor(
    readonly name: string,
    readonly info: NodeInfo,
  ) {}
}

interface PodState {
  pod: Pod;
  podInfo: PodInfo;
  bindingFinished: boolean;
}

export class CacheError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheError';
  }
}

function uidOf(pod: Pod): string {
  const uid = pod.metadata?.uid;
  if (!uid) throw new CacheError('cannot get cache key for pod with empty UID');
  return uid;
}

function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export class Cache {
  private readonly nodes = new Map<string, NodeInfoListItem>();
  private head: NodeInfoListItem | undefined;
  private readonly nodeTree = new NodeTree();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumedPods = new Set<string>();
  private readonly imageStates = new Map<string, ImageStateSummary>();

  podCount(): number {
    return this.podStates.size;
  }

  isAssumedPod(pod: Pod): boolean {
    return this.assumedPods.has(uidOf(pod));
  }

  /** The cached pod with this UID (the assumed copy for an assumed pod). */
  getPod(pod: Pod): Pod | undefined {
    return this.podStates.get(uidOf(pod))?.pod;
  }

  /** AssumePod: `pod` has spec.nodeName set to the chosen node. */
  assumePod(podInfo: PodInfo): void {
    const key = uidOf(podInfo.pod);
    if (this.podStates.has(key)) throw new CacheError(`pod ${podKey(podInfo.pod)}(${key}) is in the cache, so can't be assumed`);
    this.addPod(podInfo, true);
  }

  /** FinishBinding: the binding call returned (assumed pods do not expire, so only recorded). */
  finishBinding(pod: Pod): void {
    const state = this.podStates.get(uidOf(pod));
    if (state && this.assumedPods.has(uidOf(pod))) state.bindingFinished = true;
  }

  /** ForgetPod: take back an assumed pod whose binding failed. */
  forgetPod(pod: Pod): void {
    const key = uidOf(pod);
    const state = this.podStates.get(key);
    if (state && state.pod.spec?.nodeName !== pod.spec?.nodeName) {
      throw new CacheError(`pod ${podKey(pod)}(${key}) was assumed on ${pod.spec?.nodeName} but assigned to ${state.pod.spec?.nodeName}`);
    }
    if (state && this.assumedPods.has(key)) {
      this.removePodState(state.pod);
      return;
    }
    throw new CacheError(`pod ${podKey(pod)}(${key}) wasn't assumed so cannot be forgotten`);
  }

  /** AddPod: a bound pod reported by the informer (confirms an assumed one). */
  addPod(pod: Pod): void;
  addPod(podInfo: PodInfo, assume: boolean): void;
  addPod(arg: Pod | PodInfo, assume = false): void {
    if (arg instanceof PodInfo) {
      this.addPodState(arg, assume);
      return;
    }
    const pod = arg;
    const key = uidOf(pod);
    const state = this.podStates.get(key);
    if (state && this.assumedPods.has(key)) {
      // Confirm: replace the assumed copy with the pod as the apiserver has it.
      this.updatePodState(state.pod, pod);
      return;
    }
    if (!state) {
      this.addPodState(new PodInfo(pod), false);
      return;
    }
    throw new CacheError(`pod ${podKey(pod)}(${key}) was already in added state`);
  }

  /** UpdatePod: a bound pod changed. */
  updatePod(oldPod: Pod, newPod: Pod): void {
    const key = uidOf(oldPod);
    const state = this.podStates.get(key);
    if (!state) throw new CacheError(`pod ${podKey(oldPod)}(${key}) is not added to scheduler cache, so cannot be updated`);
    // An assumed pod is confirmed by AddPod only; an update before that would lose the assumption.
    if (this.assumedPods.has(key)) throw new CacheError(`assumed pod ${podKey(oldPod)}(${key}) should not be updated`);
    this.updatePodState(state.pod, newPod);
  }

  /** RemovePod: a bound pod was deleted. */
  removePod(pod: Pod): void {
    const key = uidOf(pod);
    const state = this.podStates.get(key);
    if (!state) throw new CacheError(`pod ${podKey(pod)}(${key}) is not found in scheduler cache, so cannot be removed from it`);
    this.removePodState(state.pod);
  }

  private addPodState(podInfo: PodInfo, assume: boolean): void {
    const pod = podInfo.pod;
    const nodeName = pod.spec?.nodeName ?? '';
    let item = this.nodes.get(nodeName);
    if (!item) {
      item = new NodeInfoListItem(nodeName, new NodeInfo());
      this.nodes.set(nodeName, item);
    }
    item.info.addPodInfo(podInfo);
    this.moveToHead(item);
    this.podStates.set(podInfo.uid, { pod, podInfo, bindingFinished: false });
    if (assume) this.assumedPods.add(podInfo.uid);
  }

  private removePodState(pod: Pod): void {
    const key = uidOf(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const item = this.nodes.get(nodeName);
    if (item) {
      item.info.removePod(pod);
      if (item.info.pods.length === 0 && item.info.node === undefined) this.removeFromList(item);
      else this.moveToHead(item);
    }
    this.podStates.delete(key);
    this.assumedPods.delete(key);
  }

  private updatePodState(oldPod: Pod, newPod: Pod): void {
    const old = this.podStates.get(uidOf(oldPod))?.podInfo;
    this.removePodState(oldPod);
    // A pod's requests, ports and affinity cannot change: reuse what was computed for it.
    this.addPodState(new PodInfo(newPod, old?.uid === newPod.metadata?.uid ? old : undefined), false);
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    let item = this.nodes.get(name);
    if (!item) {
      item = new NodeInfoListItem(name, new NodeInfo());
      this.nodes.set(name, item);
    } else if (item.info.node) {
      this.removeNodeImageStates(item.info.node);
    }
    this.moveToHead(item);
    this.nodeTree.addNode(node);
    item.info.setNode(node, this.addNodeImageStates(node));
  }

  updateNode(oldNode: Node, newNode: Node): void {
    const name = newNode.metadata?.name ?? '';
    let item = this.nodes.get(name);
    if (!item) {
      item = new NodeInfoListItem(name, new NodeInfo());
      this.nodes.set(name, item);
      this.nodeTree.addNode(newNode);
    } else {
      if (item.info.node) this.removeNodeImageStates(item.info.node);
      this.nodeTree.updateNode(oldNode, newNode);
    }
    this.moveToHead(item);
    item.info.setNode(newNode, this.addNodeImageStates(newNode));
  }

  /** RemoveNode: the NodeInfo stays while pods are still on it (their deletions may arrive later). */
  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const item = this.nodes.get(name);
    if (!item) throw new CacheError(`node ${name} is not found`);
    item.info.removeNode();
    if (item.info.pods.length === 0) this.removeFromList(item);
    else this.moveToHead(item);
    this.nodeTree.removeNode(node);
    this.removeNodeImageStates(node);
  }

  private addNodeImageStates(node: Node): ReadonlyMap<string, ImageStateSummary> {
    if (!node.status?.images?.length) return NO_IMAGES;
    const states = new Map<string, ImageStateSummary>();
    const name = node.metadata?.name ?? '';
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        let state = this.imageStates.get(imageName);
        if (!state) this.imageStates.set(imageName, (state = new ImageStateSummary(image.sizeBytes ?? 0)));
        state.nodes.add(name);
        states.set(imageName, state);
      }
    }
    return states;
  }

  private removeNodeImageStates(node: Node): void {
    const name = node.metadata?.name ?? '';
    for (const image of node.status?.images ?? []) {
      for (const imageName of image.names ?? []) {
        const state = this.imageStates.get(imageName);
        if (!state) continue;
        state.nodes.delete(name);
        if (state.nodes.size === 0) this.imageStates.delete(imageName);
      }
    }
  }

  private moveToHead(item: NodeInfoListItem): void {
    if (this.head === item) return;
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    item.prev = undefined;
    item.next = this.head;
    if (this.head) this.head.prev = item;
    this.head = item;
  }

  private removeFromList(item: NodeInfoListItem): void {
    if (item.prev) item.prev.next = item.next;
    if (item.next) item.next.prev = item.prev;
    if (this.head === item) this.head = item.next;
    item.prev = item.next = undefined;
    this.nodes.delete(item.name);
  }

  /** UpdateSnapshot: bring `snapshot` up to date, copying only the NodeInfos changed since it was taken. */
  updateSnapshot(snapshot: Snapshot): void {
    const snapshotGeneration = snapshot.generation;
    let updateAllLists = false;
    let updateAffinityLists = false;
    const changed: NodeInfo[] = [];
    for (let item = this.head; item !== undefined; item = item.next) {
      if (item.info.generation <= snapshotGeneration) break;
      const node = item.info.node;
      if (!node) continue;
      let existing = snapshot.nodeInfoMap.get(item.name);
      if (!existing) {
        updateAllLists = true;
        existing = new NodeInfo();
        snapshot.nodeInfoMap.set(item.name, existing);
      }
      const hadAffinity = existing.podsWithAffinity.length > 0;
      const hadAntiAffinity = existing.podsWithRequiredAntiAffinity.length > 0;
      item.info.snapshotInto(existing);
      changed.push(existing);
      if (hadAffinity !== existing.podsWithAffinity.length > 0 || hadAntiAffinity !== existing.podsWithRequiredAntiAffinity.length > 0) updateAffinityLists = true;
    }
    if (this.head) snapshot.generation = this.head.info.generation;
    for (const ni of changed) snapshot.logChange(ni, snapshot.generation);
    if (snapshot.nodeInfoMap.size > this.nodeTree.numNodes) {
      for (const name of [...snapshot.nodeInfoMap.keys()]) {
        const item = this.nodes.get(name);
        if (!item || !item.info.node) snapshot.nodeInfoMap.delete(name);
      }
      updateAllLists = true;
    }
    if (updateAllLists || updateAffinityLists) this.updateSnapshotLists(snapshot, updateAllLists);
  }

  private updateSnapshotLists(snapshot: Snapshot, updateAll: boolean): void {
    if (updateAll) {
      snapshot.listVersion++;
      snapshot.nodeInfoList = [];
      for (const name of this.nodeTree.list()) {
        const ni = snapshot.nodeInfoMap.get(name);
        if (ni) {
          ni.slot = snapshot.nodeInfoList.length;
          snapshot.nodeInfoList.push(ni);
        }
      }
    }
    snapshot.havePodsWithAffinityNodeInfoList = snapshot.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    snapshot.havePodsWithRequiredAntiAffinityNodeInfoList = snapshot.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }
}
