/**
 * Deployment arithmetic — pkg/controller/deployment/util/deployment_util.go (Kubernetes 1.32) plus the
 * ReplicaSet helpers of controller_utils.go the Deployment controller uses: the revision and replica
 * annotations, which ReplicaSet is the new one (its template equals the Deployment's, ignoring
 * `pod-template-hash`), maxSurge/maxUnavailable resolved against the replica count (ResolveFenceposts:
 * surge rounds up, unavailability rounds down, both zero means one may be unavailable), how far the new
 * ReplicaSet may grow (NewRSNewReplicas), each ReplicaSet's share when a Deployment is scaled mid-rollout
 * (GetProportion), and the Progressing/Available conditions with their reasons.
 *
 * Pure functions over API objects: nothing here reads a cache or writes to the API. Functions that set
 * something mutate the object they are given — callers pass a copy.
 *
 * Left out: the deprecated rollback-to annotation's helpers (see deploymentController.ts), the
 * ListReplicaSets/ListPods client helpers (the controller lists its caches).
 */
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetCondition } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { canonicalJson } from '../../hash.ts';
import { getValueFromIntOrPercent, type IntOrString } from '../../../api/intstr.ts';
import { deepCopy } from '../../../base/deepFreeze.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DefaultDeploymentUniqueLabelKey. */
export const DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY = 'pod-template-hash';

/** Condition reasons (deployment_util.go). */
export const REPLICA_SET_UPDATED_REASON = 'ReplicaSetUpdated';
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
export const NEW_REPLICA_SET_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

/** The longest revision-history annotation kept (sync.go maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;
/** math.MaxInt32: a progressDeadlineSeconds or revisionHistoryLimit this large means "none". */
const MAX_INT32 = 2147483647;

/** Annotations a Deployment never copies to its ReplicaSets (nor a rollback back from them). */
const ANNOTATIONS_TO_SKIP = new Set([LAST_APPLIED_CONFIG_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO_ANNOTATION]);


/** spec.replicas as the apiserver defaults it. */
export function deploymentReplicas(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

export function replicaSetReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

/**
 * ResolveFenceposts: maxSurge (rounded up) and maxUnavailable (rounded down) for `desired` replicas;
 * when both come out zero, maxUnavailable is 1 so that a rollout can make progress.
 */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = getValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas, never more than the replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = deploymentReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  const { unavailable } = resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas);
  return Math.min(unavailable, replicas);
}

/** MaxSurge: 0 unless RollingUpdate. */
export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, deploymentReplicas(d)).surge;
}

/** NewRSNewReplicas: how many replicas the new ReplicaSet may have now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  const replicas = deploymentReplicas(d);
  switch (d.spec?.strategy?.type) {
    case 'RollingUpdate': {
      const surge = getValueFromIntOrPercent(d.spec.strategy.rollingUpdate?.maxSurge ?? 0, replicas, true);
      const currentPodCount = getReplicaCountForReplicaSets(allRSs);
      const maxTotalPods = replicas + surge;
      if (currentPodCount >= maxTotalPods) return replicaSetReplicas(newRS);
      const scaleUpCount = Math.min(maxTotalPods - currentPodCount, replicas - replicaSetReplicas(newRS));
      return replicaSetReplicas(newRS) + scaleUpCount;
    }
    case 'Recreate':
      return replicas;
    default:
      throw new Error(`deployment type ${d.spec?.strategy?.type ?? ''} isn't supported`);
  }
}

// ---- counting ----

export function getReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs ? replicaSetReplicas(rs) : 0), 0);
}

export function getActualReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
}

export function getReadyReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);
}

export function getAvailableReplicaCountForReplicaSets(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
}

/** controller.FilterActiveReplicaSets: those with replicas to run. */
export function filterActiveReplicaSets<T extends ReplicaSet>(rss: readonly (T | undefined)[]): T[] {
  return rss.filter((rs): rs is T => rs !== undefined && replicaSetReplicas(rs) > 0);
}

// ---- ordering ----

function creationTime(rs: ReplicaSet): number {
  const t = rs.metadata?.creationTimestamp;
  return t ? Date.parse(t) : 0;
}

/** controller.ReplicaSetsByCreationTimestamp: older first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = creationTime(a) - creationTime(b);
  if (d !== 0) return d;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** controller.ReplicaSetsBySizeOlder: larger first; equal sizes older first (scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const d = replicaSetReplicas(b) - replicaSetReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}

/** controller.ReplicaSetsBySizeNewer: larger first; equal sizes newer first (scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const d = replicaSetReplicas(b) - replicaSetReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(b, a);
}

/** ReplicaSetsByRevision: lower revision first; unparsable or equal revisions by creation time. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revision(a);
  const rb = revision(b);
  if (ra === undefined || rb === undefined || ra === rb) return byCreationTimestamp(a, b);
  return ra - rb;
}

// ---- revisions ----

/** Revision: the revision annotation as a number, 0 without one, undefined when it does not parse. */
export function revision(obj: { metadata?: { annotations?: Record<string, string> } }): number | undefined {
  const v = obj.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return parseInt64(v);
}

/** strconv.ParseInt(s, 10, 64), undefined on error. */
function parseInt64(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/** MaxRevision: the highest revision among the ReplicaSets. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revision(rs);
    if (v !== undefined && v > max) max = v;
  }
  return max;
}

/** SetDeploymentRevision: whether the Deployment's revision annotation changed. */
export function setDeploymentRevision(d: Deployment, rev: string): boolean {
  const meta = (d.metadata ??= {});
  const annotations = (meta.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === rev) return false;
  annotations[REVISION_ANNOTATION] = rev;
  return true;
}

/** copyDeploymentAnnotationsToReplicaSet: every annotation but the skipped ones; never removes any. */
function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const annotations = ((rs.metadata ??= {}).annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (ANNOTATIONS_TO_SKIP.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** Whether an annotation key stays with the Deployment on a rollback (annotationsToSkip). */
export function skipCopyAnnotation(key: string): boolean {
  return ANNOTATIONS_TO_SKIP.has(key);
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to `newRevision`
 * if it is lower (a ReplicaSet that gets a new revision is one rolled back to: its old revision goes to
 * the revision-history annotation, trimmed from the front to `revHistoryLimitInChars`), and for a
 * ReplicaSet about to be created the desired/max replicas. Returns whether anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, newRS: ReplicaSet, newRevision: string, exists: boolean, revHistoryLimitInChars = MAX_REV_HISTORY_LENGTH_IN_CHARS): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, newRS);
  const annotations = ((newRS.metadata ??= {}).annotations ??= {});
  const had = REVISION_ANNOTATION in annotations;
  const oldRevision = annotations[REVISION_ANNOTATION] ?? '';
  let oldRevisionInt = parseInt64(oldRevision);
  if (oldRevisionInt === undefined) {
    if (oldRevision !== '') return false;
    oldRevisionInt = 0;
  }
  const newRevisionInt = parseInt64(newRevision);
  if (newRevisionInt === undefined) return false;
  if (oldRevisionInt < newRevisionInt) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  if (had && oldRevisionInt < newRevisionInt) {
    const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
    const oldRevisions = history.split(',');
    if (oldRevisions[0]!.length === 0) {
      annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    } else {
      let totalLen = history.length + oldRevision.length + 1;
      let start = 0;
      while (totalLen > revHistoryLimitInChars && start < oldRevisions.length) {
        totalLen -= oldRevisions[start]!.length + 1;
        start++;
      }
      if (totalLen <= revHistoryLimitInChars) annotations[REVISION_HISTORY_ANNOTATION] = [...oldRevisions.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(newRS, deploymentReplicas(d), deploymentReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; whether either changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const annotations = ((rs.metadata ??= {}).annotations ??= {});
  let updated = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desiredReplicas)) {
    annotations[DESIRED_REPLICAS_ANNOTATION] = String(desiredReplicas);
    updated = true;
  }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(maxReplicas)) {
    annotations[MAX_REPLICAS_ANNOTATION] = String(maxReplicas);
    updated = true;
  }
  return updated;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const annotations = rs.metadata?.annotations;
  if (!annotations) return true;
  return annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desiredReplicas) || annotations[MAX_REPLICAS_ANNOTATION] !== String(maxReplicas);
}

/** getIntFromAnnotation (strconv.Atoi). */
function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  return v === undefined ? undefined : parseInt64(v);
}

export function getDesiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

// ---- finding the new and old ReplicaSets ----

/** Drop empty maps and lists, so `labels: {}` equals no labels (apiequality.Semantic treats them alike). */
function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(semantic);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const s = semantic(v);
      if (s === undefined) continue;
      if (Array.isArray(s) && s.length === 0) continue;
      if (s !== null && typeof s === 'object' && !Array.isArray(s) && Object.keys(s).length === 0 && (k === 'labels' || k === 'annotations')) continue;
      out[k] = s;
    }
    return out;
  }
  return value;
}

/** EqualIgnoreHash: two pod templates are equal but for the `pod-template-hash` label. */
export function equalIgnoreHash(t1: PodTemplateSpec | undefined, t2: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined): unknown => {
    const copy = deepCopy(t ?? {});
    if (copy.metadata?.labels) delete copy.metadata.labels[DEFAULT_DEPLOYMENT_UNIQUE_LABEL_KEY];
    return semantic(copy);
  };
  return canonicalJson(strip(t1)) === canonicalJson(strip(t2));
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet<T extends ReplicaSet>(d: Deployment, rsList: readonly T[]): T | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: the old ReplicaSets with replicas, and all of them (in creation order). */
export function findOldReplicaSets<T extends ReplicaSet>(d: Deployment, rsList: readonly T[]): { requiredRSs: T[]; allRSs: T[] } {
  const newRS = findNewReplicaSet(d, rsList);
  const allRSs = [...rsList].sort(byCreationTimestamp).filter((rs) => !newRS || rs.metadata?.uid !== newRS.metadata?.uid);
  return { requiredRSs: allRSs.filter((rs) => replicaSetReplicas(rs) !== 0), allRSs };
}

/**
 * FindActiveOrLatest: the one ReplicaSet with replicas; with none, the new one or else the newest old
 * one; with several, none.
 */
export function findActiveOrLatest<T extends ReplicaSet>(newRS: T | undefined, oldRSs: readonly T[]): T | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** IsSaturated: the ReplicaSet runs exactly the Deployment's replicas, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  const replicas = deploymentReplicas(d);
  return replicaSetReplicas(rs) === replicas && desired === replicas && (rs.status?.availableReplicas ?? 0) === replicas;
}

// ---- proportional scaling ----

/**
 * getReplicaSetFraction: the ReplicaSet's share of a scaling event, from its size relative to the
 * Deployment's max-replicas before the event (the annotation; the Deployment's status as a fallback).
 */
function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = replicaSetReplicas(rs);
  if (deploymentReplicas(d) === 0) return -replicas;
  const deploymentMaxReplicas = deploymentReplicas(d) + maxSurge(d);
  let before = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (before === undefined || before === 0) {
    before = d.status?.replicas ?? 0;
    if (before === 0) return 0;
  }
  const scaled = (replicas * deploymentMaxReplicas) / before;
  return roundToInt32(scaled) - replicas;
}

/** integer.RoundToInt32: halves away from zero (math.Round). */
function roundToInt32(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** GetProportion: how many replicas this ReplicaSet gains or loses of `toAdd`, `added` being given out. */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || replicaSetReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// ---- selectors and labels ----

/** labelsutil.CloneSelectorAndAddLabel. */
export function cloneSelectorAndAddLabel(selector: LabelSelector | undefined, key: string, value: string): LabelSelector {
  const out: LabelSelector = { matchLabels: { ...selector?.matchLabels, [key]: value } };
  if (selector?.matchExpressions) out.matchExpressions = deepCopy(selector.matchExpressions);
  return out;
}

// ---- conditions ----

/** NewDeploymentCondition at `time` (RFC 3339). */
export function newDeploymentCondition(type: string, status: string, reason: string, message: string, time: string): DeploymentCondition {
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: add or replace the condition of its type — unless one with the same status
 * and reason is there already; a replacement with the same status keeps the old lastTransitionTime.
 */
export function setDeploymentCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getDeploymentCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeDeploymentCondition(status: DeploymentStatus, type: string): void {
  const kept = (status.conditions ?? []).filter((c) => c.type !== type);
  if (kept.length > 0) status.conditions = kept;
  else delete status.conditions;
}

/** ReplicaSetToDeploymentCondition. */
export function replicaSetToDeploymentCondition(cond: ReplicaSetCondition): DeploymentCondition {
  return { type: cond.type, status: cond.status, lastUpdateTime: cond.lastTransitionTime, lastTransitionTime: cond.lastTransitionTime, reason: cond.reason, message: cond.message };
}

export function hasProgressDeadline(d: Deployment): boolean {
  const pds = d.spec?.progressDeadlineSeconds;
  return pds !== undefined && pds !== null && pds !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const limit = d.spec?.revisionHistoryLimit;
  return limit !== undefined && limit !== null && limit !== MAX_INT32;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus | undefined): boolean {
  const replicas = deploymentReplicas(d);
  return (status?.updatedReplicas ?? 0) === replicas && (status?.replicas ?? 0) === replicas && (status?.availableReplicas ?? 0) === replicas && (status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than before. */
export function deploymentProgressing(d: Deployment, newStatus: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (newStatus.replicas ?? 0) - (newStatus.updatedReplicas ?? 0);
  return (newStatus.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (newStatus.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (newStatus.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/**
 * DeploymentTimedOut: no progress for progressDeadlineSeconds since the Progressing condition's
 * lastUpdateTime (a completed rollout never times out; a timed-out one stays so).
 */
export function deploymentTimedOut(d: Deployment, newStatus: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getDeploymentCondition(newStatus, 'Progressing');
  if (!condition) return false;
  if (condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}
