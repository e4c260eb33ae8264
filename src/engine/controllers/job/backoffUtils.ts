/**
 * The delay before a Job re-creates failed pods — pkg/controller/job/backoff_utils.go.
 *
 * Per Job the controller remembers how many pods failed since the last success and when the last of
 * them finished (a pod's finish time: its containers' latest finishedAt, else when its Ready condition
 * went False, else its deletion time less the grace period, else its creation). After n such failures
 * a new pod waits 10s × 2^(n−1), at most 10 minutes (MaxJobPodFailureBackOff; the Job documentation
 * still says six), counted from the last failure. A success newer than the failures resets the count.
 * The record lives in the controller's memory, as upstream's does: a restarted controller starts over.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { getPodCondition } from '../../api/pod/podutil.ts';

/** DefaultJobPodFailureBackOff. */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_MS = 10_000;
/** MaxJobPodFailureBackOff. */
export const MAX_JOB_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  /** ms since the epoch. */
  lastFailureTime?: number;
}

function time(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function getFinishTimeFromContainers(pod: Pod): number | undefined {
  let finishTime: number | undefined;
  for (const status of pod.status?.containerStatuses ?? []) {
    const finishedAt = time(status.state?.terminated?.finishedAt);
    if (finishedAt === undefined) return undefined;
    if (finishTime === undefined || finishTime < finishedAt) finishTime = finishedAt;
  }
  return finishTime;
}

/** getFinishedTime: when a finished (or deleted) pod finished. */
export function getFinishedTime(pod: Pod): number {
  const fromContainers = getFinishTimeFromContainers(pod);
  if (fromContainers !== undefined) return fromContainers;
  const ready = getPodCondition(pod, 'Ready');
  const readyFalse = ready?.status === 'False' ? time(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deletion = time(pod.metadata?.deletionTimestamp);
  if (deletion !== undefined) return deletion - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return time(pod.metadata?.creationTimestamp) ?? 0;
}

function sortByFinishedTime<P extends Pod>(pods: readonly P[]): P[] {
  return [...pods].sort((a, b) => getFinishedTime(a) - getFinishedTime(b));
}

/** getRemainingTimeForFailuresCount: how much longer to wait after `failuresCount` failures. */
export function getRemainingTimeForFailuresCount(now: number, defaultBackoffMs: number, maxBackoffMs: number, failuresCount: number, lastFailureTime: number | undefined): number {
  if (failuresCount === 0 || lastFailureTime === undefined) return 0;
  let backoff = defaultBackoffMs;
  for (let i = 1; i < failuresCount; i++) {
    backoff *= 2;
    if (backoff >= maxBackoffMs) {
      backoff = maxBackoffMs;
      break;
    }
  }
  const elapsed = now - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

export function getRemainingTime(record: BackoffRecord, now: number): number {
  return getRemainingTimeForFailuresCount(now, DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, MAX_JOB_POD_FAILURE_BACKOFF_MS, record.failuresAfterLastSuccess, record.lastFailureTime);
}

/** backoffStore: the records of the Jobs the controller has seen pods of fail. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  updateBackoffRecord(record: BackoffRecord): void {
    this.records.set(record.key, { ...record });
  }

  removeBackoffRecord(key: string): void {
    this.records.delete(key);
  }

  /** newBackoffRecord: the stored record updated with the pods that finished since the last sync. */
  newBackoffRecord(key: string, newSucceededPods: readonly Pod[], newFailedPods: readonly Pod[]): BackoffRecord {
    const old = this.records.get(key);
    const backoff: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, ...(old?.lastFailureTime !== undefined ? { lastFailureTime: old.lastFailureTime } : {}) };
    const succeeded = sortByFinishedTime(newSucceededPods);
    const failed = sortByFinishedTime(newFailedPods);
    if (succeeded.length === 0) {
      if (failed.length === 0) return backoff;
      backoff.failuresAfterLastSuccess += failed.length;
      backoff.lastFailureTime = getFinishedTime(failed[failed.length - 1]!);
      return backoff;
    }
    const reset: BackoffRecord = { key, failuresAfterLastSuccess: 0 };
    if (failed.length === 0) return reset;
    const lastSuccessTime = getFinishedTime(succeeded[succeeded.length - 1]!);
    for (let i = failed.length - 1; i >= 0; i--) {
      const failedTime = getFinishedTime(failed[i]!);
      if (failedTime <= lastSuccessTime) break;
      reset.lastFailureTime ??= failedTime;
      reset.failuresAfterLastSuccess += 1;
    }
    return reset;
  }
}
