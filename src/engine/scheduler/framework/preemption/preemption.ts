/**
 * Preemption (pkg/scheduler/framework/preemption/preemption.go, Kubernetes 1.32 with synchronous
 * preemption): when a pod fits nowhere, find nodes where removing lower-priority pods would make it fit,
 * pick one, evict the victims and nominate the node for the pod.
 *
 * 1. The pod must be eligible (not preemptionPolicy Never; not already waiting for victims of an earlier
 *    preemption to terminate on its nominated node).
 * 2. Only nodes the filters found Unschedulable (not UnschedulableAndUnresolvable) are tried, starting at
 *    a random offset, until enough candidates are found (max(10% of them, 100)), each in a dry run on a
 *    copy of the node and cycle state: remove every lower-priority pod, check the pod fits, then put back
 *    as many as still fit — PDB-violating ones first, most important first.
 * 3. The candidate: fewest PDB violations, then lowest highest-victim priority, lowest sum of
 *    priorities, fewest victims, latest start of the highest-priority victims, first found.
 * 4. Each victim gets the DisruptionTarget condition (PreemptionByScheduler), is deleted, and a
 *    "Preempted" event; lower-priority pods nominated to that node lose their nomination.
 * With no candidate, the message lists why per node ("Preemption is not helpful for scheduling" for
 * nodes no eviction can fix) and the pod's nomination is cleared.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { rfc3339 } from '../../../api/time.ts';
import { updatePodCondition } from '../../../api/pod/podutil.ts';
import { RESOURCES } from '../../../client/resources.ts';
import { StatusError } from '../../../api/errors.ts';
import { podPriority } from '../../../api/scheduling/helpers.ts';
import type { CycleState } from '../cycleState.ts';
import { Code, Status, type Handle, type NodeToStatusReader, type PostFilterResult } from '../interface.ts';
import { Diagnosis, FitError, NodeToStatus, type NodeInfo } from '../types.ts';

/** Victims: the pods to evict on a node and how many of them break a PodDisruptionBudget. */
export interface Victims {
  pods: Pod[];
  numPDBViolations: number;
}

/** Candidate: a node and its victims. */
export interface Candidate {
  name: string;
  victims: Victims;
}

/** What a preemption plugin supplies to the Evaluator (preemption.Interface). */
export interface PreemptionInterface {
  getOffsetAndNumCandidates(numNodes: number): [number, number];
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status): { eligible: boolean; message: string };
  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): { victims: Pod[]; numPDBViolations: number; status: Status | null };
}

/** v1.PodReasonPreemptionByScheduler. */
export const POD_REASON_PREEMPTION_BY_SCHEDULER = 'PreemptionByScheduler';

/** GetPodStartTime: status.startTime, or now for pods not started yet. */
export function podStartTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? now : ms;
}

/** MoreImportantPod: higher priority, then the one that started earlier. */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** GetEarliestPodStartTime: the earliest start among the highest-priority victims. */
function earliestPodStartTime(victims: Victims, now: number): number {
  let maxPriority = podPriority(victims.pods[0]!);
  let earliest = podStartTime(victims.pods[0]!, now);
  for (const p of victims.pods) {
    const pr = podPriority(p);
    if (pr === maxPriority) earliest = Math.min(earliest, podStartTime(p, now));
    else if (pr > maxPriority) {
      maxPriority = pr;
      earliest = podStartTime(p, now);
    }
  }
  return earliest;
}

/** pickOneNodeForPreemption. */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const MAX_INT32_PLUS_ONE = 2147483648;
  const scoreFuncs: Array<(c: Candidate) => number> = [
    (c) => -c.victims.numPDBViolations,
    (c) => -podPriority(c.victims.pods[0]!),
    (c) => -c.victims.pods.reduce((sum, p) => sum + podPriority(p) + MAX_INT32_PLUS_ONE, 0),
    (c) => -c.victims.pods.length,
    (c) => earliestPodStartTime(c.victims, now),
  ];
  let all = [...candidates];
  for (const f of scoreFuncs) {
    let max = -Infinity;
    let selected: Candidate[] = [];
    for (const c of all) {
      const s = f(c);
      if (s > max) {
        max = s;
        selected = [];
      }
      if (s === max) selected.push(c);
    }
    if (selected.length === 1) return selected[0];
    all = selected;
  }
  return all[0];
}

export class Evaluator {
  constructor(
    readonly pluginName: string,
    private readonly handle: Handle,
    private readonly iface: PreemptionInterface,
  ) {}

  /** Preempt: see the module comment. */
  async preempt(state: CycleState, pod: Pod, m: NodeToStatusReader): Promise<{ result?: PostFilterResult; status: Status | null }> {
    const ns = pod.metadata?.namespace ?? '';
    const latest = this.handle.listers.pods.byNamespace(ns).get(pod.metadata?.name ?? '');
    if (!latest) return { status: Status.fromError(new Error(`pod "${pod.metadata?.name}" not found`)) };
    const nominatedNodeStatus = m.get(latest.status?.nominatedNodeName ?? '');
    const { eligible, message } = this.iface.podEligibleToPreemptOthers(latest, nominatedNodeStatus);
    if (!eligible) return { status: Status.of(Code.Unschedulable, message) };

    const allNodes = this.handle.snapshotSharedLister().list();
    if (allNodes.length === 0) return { status: Status.fromError(new Error('no nodes available')) };
    const { candidates, statuses, errors } = this.findCandidates(state, allNodes, latest, m);
    if (errors.length > 0 && candidates.length === 0) return { status: Status.fromError(errors[0]) };
    if (candidates.length === 0) {
      const diagnosis = new Diagnosis();
      statuses.forEachExplicitNode((n, s) => diagnosis.nodeToStatus.set(n, s));
      diagnosis.nodeToStatus.setAbsentNodesStatus(Status.of(Code.UnschedulableAndUnresolvable, 'Preemption is not helpful for scheduling'));
      const fitError = new FitError(latest, allNodes.length, diagnosis);
      return { result: { nominatingInfo: { mode: 'Override', nominatedNodeName: '' } }, status: Status.of(Code.Unschedulable, fitError.message()) };
    }
    const best = candidates.length === 1 ? candidates[0]! : pickOneNodeForPreemption(candidates, this.handle.clock.now());
    if (!best || best.name === '') return { status: Status.of(Code.Unschedulable, 'no candidate node for preemption') };
    const prepared = await this.prepareCandidate(best, latest);
    if (prepared) return { status: prepared };
    return { result: { nominatingInfo: { mode: 'Override', nominatedNodeName: best.name } }, status: null };
  }

  private findCandidates(state: CycleState, allNodes: readonly NodeInfo[], pod: Pod, m: NodeToStatusReader): { candidates: Candidate[]; statuses: NodeToStatus; errors: unknown[] } {
    const potentialNodes = m.nodesForStatusCode(allNodes, Code.Unschedulable);
    if (potentialNodes.length === 0) return { candidates: [], statuses: new NodeToStatus(), errors: [] };
    const pdbs = this.handle.listers.podDisruptionBudgets.list();
    const [offset, numCandidates] = this.iface.getOffsetAndNumCandidates(potentialNodes.length);
    return this.dryRunPreemption(state, pod, potentialNodes, pdbs, offset, numCandidates);
  }

  /** DryRunPreemption: try nodes from `offset` until enough candidates (preferring PDB-friendly ones). */
  dryRunPreemption(state: CycleState, pod: Pod, potentialNodes: readonly NodeInfo[], pdbs: readonly PodDisruptionBudget[], offset: number, numCandidates: number): { candidates: Candidate[]; statuses: NodeToStatus; errors: unknown[] } {
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    const statuses = new NodeToStatus();
    const errors: unknown[] = [];
    for (let i = 0; i < potentialNodes.length; i++) {
      const nodeInfoCopy = potentialNodes[(offset + i) % potentialNodes.length]!.snapshot();
      const stateCopy = state.clone();
      const { victims, numPDBViolations, status } = this.iface.selectVictimsOnNode(stateCopy, pod, nodeInfoCopy, pdbs);
      let s = status;
      if (!s || s.code === Code.Success) {
        if (victims.length > 0) {
          const c = { name: nodeInfoCopy.name, victims: { pods: victims, numPDBViolations } };
          (numPDBViolations === 0 ? nonViolating : violating).push(c);
          if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates) break;
          continue;
        }
        s = Status.fromError(new Error(`expected at least one victim pod on node "${nodeInfoCopy.name}"`));
      }
      if (s.code === Code.Error) errors.push(s.asError());
      statuses.set(nodeInfoCopy.name, s);
    }
    return { candidates: [...nonViolating.slice(0, numCandidates), ...violating.slice(0, numCandidates)], statuses, errors };
  }

  /** prepareCandidate: evict the victims, clear lower-priority nominations on the node. */
  private async prepareCandidate(c: Candidate, preemptor: Pod): Promise<Status | null> {
    for (const victim of c.victims.pods) {
      if (victim.metadata?.deletionTimestamp) continue;
      try {
        await this.preemptPod(c, preemptor, victim);
      } catch (e) {
        return Status.fromError(e);
      }
    }
    const pods = this.handle.client.resource(RESOURCES.pods);
    const priority = podPriority(preemptor);
    for (const pi of [...this.handle.nominator.nominatedPodsForNode(c.name)]) {
      if (podPriority(pi.pod) >= priority || !pi.pod.status?.nominatedNodeName) continue;
      try {
        await pods.patch(pi.namespace, pi.name, 'strategic', { status: { nominatedNodeName: null } }, { subresource: 'status' });
      } catch {
        // Not critical: the pod's next cycle clears or renews its nomination.
      }
    }
    return null;
  }

  /** PreemptPod: DisruptionTarget condition, delete, "Preempted" event. A victim already gone is fine. */
  private async preemptPod(c: Candidate, preemptor: Pod, victim: Pod): Promise<void> {
    const pods = this.handle.client.resource(RESOURCES.pods);
    const ns = victim.metadata?.namespace ?? '';
    const name = victim.metadata?.name ?? '';
    const condition: PodCondition = {
      type: 'DisruptionTarget',
      status: 'True',
      reason: POD_REASON_PREEMPTION_BY_SCHEDULER,
      message: `${preemptor.spec?.schedulerName ?? 'default-scheduler'}: preempting to accommodate a higher priority pod`,
      lastTransitionTime: rfc3339(this.handle.clock.now()),
    };
    const status = structuredClone(victim.status ?? {});
    try {
      if (updatePodCondition(status, condition)) {
        const changed = status.conditions!.find((x) => x.type === 'DisruptionTarget')!;
        await pods.patch(ns, name, 'strategic', { status: { conditions: [{ ...changed, lastProbeTime: null }] } }, { subresource: 'status' });
      }
      await pods.delete(ns, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
    this.handle.eventRecorder.event(podReference(victim), 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${c.name}`);
  }
}

/** An ObjectReference to a pod, for events. */
export function podReference(pod: Pod): { kind: string; apiVersion: string; namespace?: string; name?: string; uid?: string; resourceVersion?: string } {
  const m = pod.metadata ?? {};
  return { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
}
