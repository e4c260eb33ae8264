/**
 * Indexed Jobs — pkg/controller/job/indexed_job_utils.go: each pod of an Indexed Job carries a
 * completion index (the `batch.kubernetes.io/job-completion-index` annotation and label, the
 * JOB_COMPLETION_INDEX variable, hostname `<job>-<index>`, name `<job>-<index>-xxxxx`), and the Job
 * keeps the indexes that succeeded (status.completedIndexes) and, with backoffLimitPerIndex, those that
 * failed (status.failedIndexes) as ordered intervals written `1,3-5,7` (three or more consecutive
 * numbers as a range).
 *
 * With backoffLimitPerIndex each index counts its own failures in the replacement pod's
 * `batch.kubernetes.io/job-index-failure-count` annotation (and ignored failures in
 * `…-ignored-failure-count`), so the last failed pod of an index keeps its finalizer until its
 * replacement exists; an index fails once its count reaches the limit (or a FailIndex rule matches).
 */
import type { Job } from 'kubernetes-types/batch/v1';
import type { Container, Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import { isPodTerminating } from '../../api/pod/podutil.ts';
import { sortForDeletion } from '../activePods.ts';
import { getFinishedTime, getRemainingTimeForFailuresCount, DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, MAX_JOB_POD_FAILURE_BACKOFF_MS } from './backoffUtils.ts';
import { isPodFailed, matchPodFailurePolicy, onlyReplaceFailedPods } from './podFailurePolicy.ts';
import { hasJobTrackingFinalizer } from './trackingUtils.ts';

export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';
export const COMPLETION_INDEX_ENV_NAME = 'JOB_COMPLETION_INDEX';
export const UNKNOWN_COMPLETION_INDEX = -1;
/** names.MaxGeneratedNameLength: 63 less the five generated characters. */
const MAX_GENERATED_NAME_LENGTH = 58;
const MAX_INT32 = 2147483647;

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec?.backoffLimitPerIndex != null;
}

export interface Interval {
  first: number;
  last: number;
}

/** orderedIntervals: disjoint, non-adjacent intervals in increasing order. */
export class OrderedIntervals {
  constructor(readonly intervals: readonly Interval[] = []) {}

  /** withOrderedIndexes: these plus `indexes` (given in increasing order). */
  withOrderedIndexes(indexes: readonly number[]): OrderedIntervals {
    return this.merge(new OrderedIntervals(indexes.map((i) => ({ first: i, last: i }))));
  }

  merge(other: OrderedIntervals): OrderedIntervals {
    const result: Interval[] = [];
    const push = (iv: Interval) => {
      const last = result[result.length - 1];
      if (!last || iv.first > last.last + 1) result.push({ ...iv });
      else if (last.last < iv.last) last.last = iv.last;
    };
    let i = 0;
    let j = 0;
    const a = this.intervals;
    const b = other.intervals;
    while (i < a.length && j < b.length) {
      if (a[i]!.first < b[j]!.first) push(a[i++]!);
      else push(b[j++]!);
    }
    while (i < a.length) push(a[i++]!);
    while (j < b.length) push(b[j++]!);
    return new OrderedIntervals(result);
  }

  total(): number {
    return this.intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
  }

  has(ix: number): boolean {
    return this.intervals.some((iv) => iv.first <= ix && ix <= iv.last);
  }

  toString(): string {
    return this.intervals.map((iv) => (iv.last === iv.first ? `${iv.first}` : `${iv.first}${iv.last === iv.first + 1 ? ',' : '-'}${iv.last}`)).join(',');
  }
}

/** strconv.Atoi's syntax. */
function atoi(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** parseIndexesFromString: indexes below `completions`; corrupted intervals are skipped. */
export function parseIndexesFromString(text: string, completions: number): OrderedIntervals {
  if (text === '') return new OrderedIntervals();
  const result: Interval[] = [];
  for (const part of text.split(',')) {
    const limits = part.split('-');
    const first = atoi(limits[0]!);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (limits.length > 1) {
      const parsed = atoi(limits[1]!);
      if (parsed === undefined) continue;
      last = Math.min(parsed, completions - 1);
    }
    const prev = result[result.length - 1];
    if (prev && prev.last === first - 1) prev.last = last;
    else result.push({ first, last });
  }
  return new OrderedIntervals(result);
}

/** getCompletionIndex: the pod's index, or UNKNOWN_COMPLETION_INDEX. */
export function getCompletionIndex(annotations: Readonly<Record<string, string>> | undefined): number {
  const value = annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (value === undefined) return UNKNOWN_COMPLETION_INDEX;
  const n = atoi(value);
  return n === undefined || n < 0 ? UNKNOWN_COMPLETION_INDEX : n;
}

function indexOf(pod: Pod): number {
  return getCompletionIndex(pod.metadata?.annotations);
}

function sortedSet(set: ReadonlySet<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

/** byCompletionIndex. */
export function byCompletionIndex(a: Pod, b: Pod): number {
  return indexOf(a) - indexOf(b);
}

/** The indexes of `pods` (known ones only). */
export function getIndexes(pods: readonly Pod[]): Set<number> {
  const result = new Set<number>();
  for (const pod of pods) {
    const ix = indexOf(pod);
    if (ix !== UNKNOWN_COMPLETION_INDEX) result.add(ix);
  }
  return result;
}

/**
 * calculateSucceededIndexes: the indexes status.completedIndexes holds, and those plus the indexes of
 * succeeded pods not yet counted (still with the finalizer).
 */
export function calculateSucceededIndexes(job: Job, pods: readonly Pod[]): [OrderedIntervals, OrderedIntervals] {
  const completions = job.spec?.completions ?? 0;
  const prev = parseIndexesFromString(job.status?.completedIndexes ?? '', completions);
  const newSucceeded = new Set<number>();
  for (const pod of pods) {
    const ix = indexOf(pod);
    if (pod.status?.phase === 'Succeeded' && ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasJobTrackingFinalizer(pod)) newSucceeded.add(ix);
  }
  return [prev, prev.withOrderedIndexes(sortedSet(newSucceeded))];
}

/** parseInt32: the annotation's count, 0 when absent or out of range. */
function parseCount(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = atoi(value);
  return n === undefined || n < 0 || n > MAX_INT32 ? 0 : n;
}

export function getIndexFailureCount(pod: Pod): number {
  return parseCount(pod.metadata?.annotations?.[JOB_INDEX_FAILURE_COUNT_ANNOTATION]);
}

/** Failures counted plus failures ignored by the pod failure policy. */
export function getIndexAbsoluteFailureCount(pod: Pod): number {
  return getIndexFailureCount(pod) + parseCount(pod.metadata?.annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
}

/** isIndexFailed: a FailIndex rule matched, or the index's counted failures reached the limit. */
function isIndexFailed(job: Job, pod: Pod): boolean {
  let counted = false;
  if (isPodFailed(pod, job)) {
    if (job.spec?.podFailurePolicy) {
      const { countFailed, action } = matchPodFailurePolicy(job.spec.podFailurePolicy, pod);
      if (action === 'FailIndex') return true;
      counted = countFailed;
    } else {
      counted = true;
    }
  }
  return counted && getIndexFailureCount(pod) >= (job.spec?.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus the indexes that failed since. */
export function calculateFailedIndexes(job: Job, pods: readonly Pod[]): OrderedIntervals {
  const completions = job.spec?.completions ?? 0;
  const prev = job.status?.failedIndexes != null ? parseIndexesFromString(job.status.failedIndexes, completions) : new OrderedIntervals();
  const newFailed = new Set<number>();
  for (const pod of pods) {
    const ix = indexOf(pod);
    if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasJobTrackingFinalizer(pod) && isIndexFailed(job, pod)) newFailed.add(ix);
  }
  return prev.withOrderedIndexes(sortedSet(newFailed));
}

/** What firstPendingIndexes reads of a sync. */
export interface PendingIndexesState {
  job: Job;
  pods: readonly Pod[];
  activePods: readonly Pod[];
  succeededIndexes: OrderedIntervals;
  failedIndexes: OrderedIntervals | undefined;
}

/**
 * firstPendingIndexes: the `count` lowest indexes below `completions` that no active pod holds and that
 * have not succeeded or failed (nor, when only failed pods are replaced, have a terminating pod).
 */
export function firstPendingIndexes(state: PendingIndexesState, count: number, completions: number): number[] {
  if (count === 0) return [];
  let nonPending = state.succeededIndexes.withOrderedIndexes(sortedSet(getIndexes(state.activePods)));
  if (onlyReplaceFailedPods(state.job)) nonPending = nonPending.withOrderedIndexes(sortedSet(getIndexes(state.pods.filter(isPodTerminating))));
  if (state.failedIndexes) nonPending = nonPending.merge(state.failedIndexes);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending.intervals) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/** Which of one index's pods go: all of an unknown index; all but the one ranked last otherwise. */
function appendPodsWithSameIndexForRemovalAndRemaining<P extends Pod>(rm: P[], left: P[], pods: readonly P[], ix: number): void {
  if (ix === UNKNOWN_COMPLETION_INDEX) {
    rm.push(...pods);
    return;
  }
  if (pods.length === 1) {
    left.push(pods[0]!);
    return;
  }
  const ranked = sortForDeletion(pods, 0);
  rm.push(...ranked.slice(0, -1));
  left.push(ranked[ranked.length - 1]!);
}

/**
 * appendDuplicatedIndexPodsForRemoval: of active pods sharing an index, all but one go to `rm`; so do
 * pods without an index or with one out of range. The rest go to `left`.
 */
export function appendDuplicatedIndexPodsForRemoval<P extends Pod>(pods: readonly P[], completions: number): { rm: P[]; left: P[] } {
  const rm: P[] = [];
  const left: P[] = [];
  const sorted = [...pods].sort(byCompletionIndex);
  let lastIndex = UNKNOWN_COMPLETION_INDEX;
  let firstRepeatPos = 0;
  let countLooped = 0;
  for (const [i, pod] of sorted.entries()) {
    const ix = indexOf(pod);
    if (ix >= completions) {
      rm.push(...sorted.slice(i));
      break;
    }
    if (ix !== lastIndex) {
      appendPodsWithSameIndexForRemovalAndRemaining(rm, left, sorted.slice(firstRepeatPos, i), lastIndex);
      firstRepeatPos = i;
      lastIndex = ix;
    }
    countLooped++;
  }
  appendPodsWithSameIndexForRemovalAndRemaining(rm, left, sorted.slice(firstRepeatPos, countLooped), lastIndex);
  return { rm, left };
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index still pending, its latest failed pod (of `failedPods`,
 * the failed pods not yet counted), kept until its replacement carries the failure count.
 */
export function getPodsWithDelayedDeletionPerIndex<P extends Pod>(job: Job, failedPods: readonly P[], activePods: readonly Pod[], succeededIndexes: OrderedIntervals, failedIndexes: OrderedIntervals | undefined): Map<number, P> {
  const activeIndexes = getIndexes(activePods);
  const completions = job.spec?.completions ?? 0;
  const result = new Map<number, P>();
  for (const pod of failedPods) {
    const ix = indexOf(pod);
    if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) continue;
    if (succeededIndexes.has(ix) || failedIndexes?.has(ix) || activeIndexes.has(ix)) continue;
    const last = result.get(ix);
    if (!last || (getIndexAbsoluteFailureCount(last) <= getIndexAbsoluteFailureCount(pod) && getFinishedTime(pod) >= getFinishedTime(last))) result.set(ix, pod);
  }
  return result;
}

/** getNewIndexFailureCounts: the failure counts for the pod replacing `podBeingReplaced`. */
export function getNewIndexFailureCounts(job: Job, podBeingReplaced: Pod | undefined): [number, number] {
  if (!podBeingReplaced) return [0, 0];
  let failures = getIndexFailureCount(podBeingReplaced);
  let ignored = parseCount(podBeingReplaced.metadata?.annotations?.[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION]);
  if (job.spec?.podFailurePolicy && !matchPodFailurePolicy(job.spec.podFailurePolicy, podBeingReplaced).countFailed) ignored++;
  else failures++;
  return [failures, ignored];
}

/** getRemainingTimePerIndex: the backoff left before re-creating the index of `lastFailedPod`. */
export function getRemainingTimePerIndex(now: number, lastFailedPod: Pod | undefined): number {
  if (!lastFailedPod) return 0;
  return getRemainingTimeForFailuresCount(now, DEFAULT_JOB_POD_FAILURE_BACKOFF_MS, MAX_JOB_POD_FAILURE_BACKOFF_MS, getIndexAbsoluteFailureCount(lastFailedPod) + 1, getFinishedTime(lastFailedPod));
}

function addCompletionIndexEnvVariable(container: Container): void {
  const env = (container.env ??= []);
  if (env.some((v) => v.name === COMPLETION_INDEX_ENV_NAME)) return;
  env.push({ name: COMPLETION_INDEX_ENV_NAME, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX_ANNOTATION}']` } } });
}

/** addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the index label (PodIndexLabel is on in 1.32). */
export function addCompletionIndexEnvVariables(template: PodTemplateSpec): void {
  for (const c of template.spec?.initContainers ?? []) addCompletionIndexEnvVariable(c);
  for (const c of template.spec?.containers ?? []) addCompletionIndexEnvVariable(c);
}

/** The index annotation, label and hostname of one index's pod, and its failure counts. */
export function setCompletionIndex(template: PodTemplateSpec, job: Job, index: number, podBeingReplaced: Pod | undefined): void {
  const meta = (template.metadata ??= {});
  meta.annotations = { ...meta.annotations, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
  meta.labels = { ...meta.labels, [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
  if (template.spec) template.spec.hostname = `${job.metadata?.name ?? ''}-${index}`;
  if (hasBackoffLimitPerIndex(job)) {
    const [failures, ignored] = getNewIndexFailureCounts(job, podBeingReplaced);
    meta.annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(failures);
    if (ignored > 0) meta.annotations[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(ignored);
  }
}

/** podGenerateNameWithIndex: `<job>-<index>-`, the job name cut so the whole fits. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const appendIndex = `-${index}-`;
  const prefix = jobName + appendIndex;
  if (prefix.length > MAX_GENERATED_NAME_LENGTH) return prefix.slice(0, MAX_GENERATED_NAME_LENGTH - appendIndex.length) + appendIndex;
  return prefix;
}
