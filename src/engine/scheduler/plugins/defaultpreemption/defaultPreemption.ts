/**
 * DefaultPreemption (pkg/scheduler/framework/plugins/defaultpreemption, Kubernetes 1.32): the PostFilter
 * plugin that runs preemption (framework/preemption) for a pod that fits nowhere; its messages are
 * prefixed "preemption: ". Victims on a node are its pods of lower priority; the fewest needed are
 * chosen, sparing the most important first and, among them, those a PodDisruptionBudget protects.
 *
 * Args: minCandidateNodesPercentage (10) and minCandidateNodesAbsolute (100): how many candidate nodes
 * a dry run looks for before choosing.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { labelSelectorAsSelector } from '../../../api/labels/selector.ts';
import { podPriority } from '../../../api/scheduling/helpers.ts';
import type { CycleState } from '../../framework/cycleState.ts';
import { Code, Status, isSuccess, type Handle, type NodeToStatusReader, type PostFilterPlugin, type PostFilterResult } from '../../framework/interface.ts';
import { Evaluator, POD_REASON_PREEMPTION_BY_SCHEDULER, moreImportantPod, type PreemptionInterface } from '../../framework/preemption/preemption.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';

export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage?: number;
  minCandidateNodesAbsolute?: number;
}

/** podTerminatingByPreemption: being deleted with DisruptionTarget=True by the scheduler's preemption. */
function podTerminatingByPreemption(pod: Pod): boolean {
  if (!pod.metadata?.deletionTimestamp) return false;
  const c = pod.status?.conditions?.find((x) => x.type === 'DisruptionTarget');
  return c?.status === 'True' && c.reason === POD_REASON_PREEMPTION_BY_SCHEDULER;
}

/** filterPodsWithPDBViolation: split pods by whether evicting them breaks a PDB (order kept). */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const pod = pi.pod;
    let violated = false;
    if (Object.keys(pod.metadata?.labels ?? {}).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata?.namespace !== pod.metadata?.namespace) return;
        let selector;
        try {
          selector = labelSelectorAsSelector(pdb.spec?.selector);
        } catch {
          return;
        }
        if (selector.empty() || !selector.matches(pod.metadata?.labels)) return;
        if (pdb.status?.disruptedPods && Object.hasOwn(pdb.status.disruptedPods, pod.metadata?.name ?? '')) return;
        allowed[i]!--;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

export class DefaultPreemption implements PostFilterPlugin, PreemptionInterface {
  static readonly NAME = 'DefaultPreemption';
  readonly name = DefaultPreemption.NAME;
  private readonly minCandidateNodesPercentage: number;
  private readonly minCandidateNodesAbsolute: number;
  readonly evaluator: Evaluator;

  constructor(
    args: DefaultPreemptionArgs | undefined,
    private readonly handle: Handle,
  ) {
    this.minCandidateNodesPercentage = args?.minCandidateNodesPercentage ?? 10;
    this.minCandidateNodesAbsolute = args?.minCandidateNodesAbsolute ?? 100;
    this.evaluator = new Evaluator(this.name, handle, this);
  }

  async postFilter(state: CycleState, pod: Pod, m: NodeToStatusReader): Promise<{ result?: PostFilterResult; status: Status | null }> {
    const { result, status } = await this.evaluator.preempt(state, pod, m);
    const msg = status?.message() ?? '';
    if (status && msg !== '') return { result, status: new Status(status.code, [`preemption: ${msg}`], status.error) };
    return { result, status };
  }

  /** calculateNumCandidates. */
  calculateNumCandidates(numNodes: number): number {
    let n = Math.floor((numNodes * this.minCandidateNodesPercentage) / 100);
    if (n < this.minCandidateNodesAbsolute) n = this.minCandidateNodesAbsolute;
    if (n > numNodes) n = numNodes;
    return n;
  }

  getOffsetAndNumCandidates(numNodes: number): [number, number] {
    return [this.handle.rng.int(numNodes), this.calculateNumCandidates(numNodes)];
  }

  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status): { eligible: boolean; message: string } {
    if (pod.spec?.preemptionPolicy === 'Never') return { eligible: false, message: 'not eligible due to preemptionPolicy=Never.' };
    const nominated = pod.status?.nominatedNodeName ?? '';
    if (nominated !== '') {
      if (nominatedNodeStatus.code === Code.UnschedulableAndUnresolvable) return { eligible: true, message: '' };
      const nodeInfo = this.handle.snapshotSharedLister().get(nominated);
      if (nodeInfo) {
        const priority = podPriority(pod);
        for (const pi of nodeInfo.pods) {
          if (pi.priority < priority && podTerminatingByPreemption(pi.pod)) return { eligible: false, message: 'not eligible due to a terminating pod on the nominated node.' };
        }
      }
    }
    return { eligible: true, message: '' };
  }

  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): { victims: Pod[]; numPDBViolations: number; status: Status | null } {
    const fail = (status: Status) => ({ victims: [], numPDBViolations: 0, status });
    const removePod = (pi: PodInfo): Status | null => {
      nodeInfo.removePod(pi.pod);
      return this.handle.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
    };
    const addPod = (pi: PodInfo): Status | null => {
      nodeInfo.addPodInfo(pi);
      return this.handle.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
    };
    const priority = podPriority(pod);
    const potentialVictims = nodeInfo.pods.filter((pi) => pi.priority < priority);
    for (const pi of potentialVictims) {
      const s = removePod(pi);
      if (!isSuccess(s)) return fail(Status.fromError(s!.asError()));
    }
    if (potentialVictims.length === 0) return fail(Status.of(Code.UnschedulableAndUnresolvable, 'No preemption victims found for incoming pod'));
    const fits = this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!isSuccess(fits)) return fail(fits!);
    const now = this.handle.clock.now();
    potentialVictims.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
    const { violating, nonViolating } = filterPodsWithPDBViolation(potentialVictims, pdbs);
    const victims: PodInfo[] = [];
    let numViolating = 0;
    const reprieve = (pi: PodInfo): boolean | Status => {
      const a = addPod(pi);
      if (!isSuccess(a)) return Status.fromError(a!.asError());
      const fitsNow = isSuccess(this.handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo));
      if (!fitsNow) {
        const r = removePod(pi);
        if (!isSuccess(r)) return Status.fromError(r!.asError());
        victims.push(pi);
      }
      return fitsNow;
    };
    for (const pi of violating) {
      const r = reprieve(pi);
      if (r instanceof Status) return fail(r);
      if (!r) numViolating++;
    }
    for (const pi of nonViolating) {
      const r = reprieve(pi);
      if (r instanceof Status) return fail(r);
    }
    if (violating.length > 0 && nonViolating.length > 0) victims.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
    return { victims: victims.map((v) => v.pod), numPDBViolations: numViolating, status: null };
  }
}
