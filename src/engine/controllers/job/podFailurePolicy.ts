/**
 * Which of a Job's pods count as failed, and what its pod failure policy says about a failed one —
 * pkg/controller/job/pod_failure_policy.go, plus job_controller.go's isPodFailed / onlyReplaceFailedPods.
 *
 * A pod is failed when its phase is Failed; under podReplacementPolicy TerminatingOrFailed (and no pod
 * failure policy) a pod being deleted before it succeeded counts too. The policy's rules are tried in
 * order, the first match deciding: onExitCodes matches a terminated container (regular first, then
 * init) with a non-zero exit code In/NotIn the values (of the named container, if one is named);
 * onPodConditions matches a pod condition of that type and status. FailJob fails the Job with
 * upstream's message, Ignore does not count the failure against backoffLimit, FailIndex fails the
 * pod's index (backoffLimitPerIndex), Count counts it as usual — as does a failure no rule matches.
 */
import type { Job, PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from 'kubernetes-types/batch/v1';
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  jobFailureMessage?: string;
  /** Whether the failure counts towards backoffLimit (and backoffLimitPerIndex). */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

function isOnExitCodesOperatorMatching(exitCode: number, requirement: PodFailurePolicyOnExitCodesRequirement): boolean {
  if (requirement.operator === 'In') return requirement.values.includes(exitCode);
  if (requirement.operator === 'NotIn') return !requirement.values.includes(exitCode);
  return false;
}

function getMatchingContainerFromList(statuses: readonly ContainerStatus[], requirement: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  for (const status of statuses) {
    const terminated = status.state?.terminated;
    if (!terminated) continue;
    if (requirement.containerName != null && requirement.containerName !== status.name) continue;
    if (terminated.exitCode !== 0 && isOnExitCodesOperatorMatching(terminated.exitCode, requirement)) return status;
  }
  return undefined;
}

function matchOnExitCodes(pod: Pod, requirement: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  return getMatchingContainerFromList(pod.status?.containerStatuses ?? [], requirement) ?? getMatchingContainerFromList(pod.status?.initContainerStatuses ?? [], requirement);
}

function matchOnPodConditions(pod: Pod, patterns: readonly PodFailurePolicyOnPodConditionsPattern[]): PodCondition | undefined {
  for (const condition of pod.status?.conditions ?? []) {
    if (patterns.some((p) => p.type === condition.type && p.status === condition.status)) return condition;
  }
  return undefined;
}

/** matchPodFailurePolicy: what the first matching rule says about a failed pod. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, failedPod: Pod): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const podName = `${failedPod.metadata?.namespace ?? ''}/${failedPod.metadata?.name ?? ''}`;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    let subject: string | undefined;
    if (rule.onExitCodes) {
      const status = matchOnExitCodes(failedPod, rule.onExitCodes);
      if (status) subject = `Container ${status.name} for pod ${podName} failed with exit code ${status.state?.terminated?.exitCode ?? 0}`;
    } else if (rule.onPodConditions) {
      const condition = matchOnPodConditions(failedPod, rule.onPodConditions);
      if (condition) subject = `Pod ${podName} has condition ${condition.type}`;
    }
    if (subject === undefined) continue;
    switch (rule.action) {
      case 'Ignore':
        return { countFailed: false, action: 'Ignore' };
      case 'FailIndex':
        return { countFailed: true, action: 'FailIndex' };
      case 'Count':
        return { countFailed: true, action: 'Count' };
      case 'FailJob':
        return { jobFailureMessage: `${subject} matching FailJob rule at index ${index}`, countFailed: true, action: 'FailJob' };
    }
  }
  return { countFailed: true };
}

/** onlyReplaceFailedPods: podReplacementPolicy Failed, or any pod failure policy. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy != null;
}

/** isPodFailed. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  // A pod deleted before it finished (an orphan that never reaches Failed) counts as failed.
  return Boolean(pod.metadata?.deletionTimestamp) && phase !== 'Succeeded';
}
