/**
 * The pod nominator (pkg/scheduler/backend/queue/nominator.go): which pods are nominated to which node
 * (status.nominatedNodeName, or the node a preemption just chose before the status patch is seen).
 * Filters count nominated pods of equal or higher priority as already on their node, so a pod does not
 * take the room a preemption made for another.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { NominatingInfo, PodNominatorReader } from '../framework/interface.ts';
import type { PodInfo } from '../framework/types.ts';

/** Looks a pod up in the informer cache by namespace and name. */
export type PodLookup = (namespace: string, name: string) => Pod | undefined;

const NONE: readonly PodInfo[] = [];

export class PodNominator implements PodNominatorReader {
  private readonly nominatedPods = new Map<string, PodInfo[]>();
  private readonly nominatedPodToNode = new Map<string, string>();

  constructor(private readonly podLookup?: PodLookup) {}

  /** True when no pod is nominated anywhere (the common case: Filter skips the nominated pass). */
  get isEmpty(): boolean {
    return this.nominatedPodToNode.size === 0;
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.nominatedPods.get(nodeName) ?? NONE;
  }

  /**
   * AddNominatedPod: Override mode nominates to the given node ("" clears); Noop (or no info) keeps what
   * the pod's status says. A pod that no longer exists or is already bound is not nominated.
   */
  addNominatedPod(pi: PodInfo, nominatingInfo?: NominatingInfo): void {
    this.delete(pi.pod);
    let nodeName: string;
    if (nominatingInfo?.mode === 'Override') nodeName = nominatingInfo.nominatedNodeName;
    else {
      nodeName = pi.pod.status?.nominatedNodeName ?? '';
      if (nodeName === '') return;
    }
    if (nodeName === '') return;
    if (this.podLookup) {
      const current = this.podLookup(pi.namespace, pi.name);
      if (!current || current.spec?.nodeName) return;
    }
    this.nominatedPodToNode.set(pi.uid, nodeName);
    const list = this.nominatedPods.get(nodeName);
    if (!list) this.nominatedPods.set(nodeName, [pi]);
    else if (!list.some((p) => p.uid === pi.uid)) list.push(pi);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    this.delete(pod);
  }

  /** UpdateNominatedPod: keep an in-memory nomination when an update carries none yet. */
  updateNominatedPod(oldPod: Pod, newPodInfo: PodInfo): void {
    let info: NominatingInfo | undefined;
    if (!oldPod.status?.nominatedNodeName && !newPodInfo.pod.status?.nominatedNodeName) {
      const nnn = this.nominatedPodToNode.get(oldPod.metadata?.uid ?? '');
      if (nnn !== undefined) info = { mode: 'Override', nominatedNodeName: nnn };
    }
    this.delete(oldPod);
    this.addNominatedPod(newPodInfo, info);
  }

  private delete(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const nodeName = this.nominatedPodToNode.get(uid);
    if (nodeName === undefined) return;
    const list = this.nominatedPods.get(nodeName);
    if (list) {
      const i = list.findIndex((p) => p.uid === uid);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.nominatedPods.delete(nodeName);
    }
    this.nominatedPodToNode.delete(uid);
  }
}
