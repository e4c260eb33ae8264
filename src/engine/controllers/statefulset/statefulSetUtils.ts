/**
 * The helpers of pkg/controller/statefulset/stateful_set_utils.go: a StatefulSet pod's identity (name
 * `<set>-<ordinal>`, the `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index` labels,
 * hostname and subdomain), its storage (one volume per volumeClaimTemplate, claim `<template>-<set>-<ordinal>`),
 * the owner references the persistentVolumeClaimRetentionPolicy asks of those claims, the pod built at
 * a revision, the revision data (a patch replacing spec.template) and how status completes a rollout.
 *
 * Left out: nothing of the 1.32 helpers the controller uses; the overlappingStatefulSets sort has no
 * caller upstream either.
 */
import type { StatefulSet, StatefulSetPersistentVolumeClaimRetentionPolicy, StatefulSetStatus } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, Volume } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import { isPodAvailable, isPodReady } from '../../api/pod/podutil.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { getValueFromIntOrPercent } from '../../api/intstr.ts';
import { CONTROLLER_REVISION_HASH_LABEL, newControllerRevision, type ControllerRevisionObject } from '../history/controllerHistory.ts';
import { getPodFromTemplate, newControllerRef, type PodObject } from '../podControl.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

export const STATEFULSET_API_VERSION = 'apps/v1';
export const STATEFULSET_KIND = 'StatefulSet';
/** apps.StatefulSetPodNameLabel. */
export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
/** apps.PodIndexLabel (PodIndexLabel, on by default in 1.32). */
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export type StatefulSetObject = StatefulSet & KubeObject;
export type ClaimObject = PersistentVolumeClaim & KubeObject;

/** A parent name and ordinal from `<parent>-<ordinal>` (the ordinal must fit an int32). */
const STATEFUL_POD_REGEX = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: ('', -1) for a name without an ordinal; -1 for one too large. */
export function getParentNameAndOrdinal(pod: { metadata?: { name?: string } }): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_REGEX.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return { parent: m[1]!, ordinal: n <= 2147483647 ? n : -1 };
}

export function getOrdinal(pod: { metadata?: { name?: string } }): number {
  return getParentNameAndOrdinal(pod).ordinal;
}

/** spec.ordinals.start, or 0. */
export function getStartOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

export function getEndOrdinal(set: StatefulSet): number {
  return getStartOrdinal(set) + replicasOf(set) - 1;
}

export function replicasOf(set: StatefulSet): number {
  return set.spec?.replicas ?? 1;
}

export function podInOrdinalRange(pod: Pod, set: StatefulSet): boolean {
  const ordinal = getOrdinal(pod);
  return ordinal >= getStartOrdinal(set) && ordinal <= getEndOrdinal(set);
}

export function getPodName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** `<template>-<set>-<ordinal>`. */
export function getPersistentVolumeClaimName(set: StatefulSet, claim: PersistentVolumeClaim, ordinal: number): string {
  return `${claim.metadata?.name ?? ''}-${set.metadata?.name ?? ''}-${ordinal}`;
}

export function isMemberOf(set: StatefulSet, pod: Pod): boolean {
  return getParentNameAndOrdinal(pod).parent === set.metadata?.name;
}

/** The pod has the name, namespace and pod-name label of a member of `set`. */
export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = getParentNameAndOrdinal(pod);
  return (
    ordinal >= 0 &&
    set.metadata?.name === parent &&
    pod.metadata?.name === getPodName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    pod.metadata?.labels?.[STATEFULSET_POD_NAME_LABEL] === pod.metadata?.name
  );
}

/** Every volumeClaimTemplate has a volume of the same name using this pod's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const claim of set.spec?.volumeClaimTemplates ?? []) {
    const volume = volumes.get(claim.metadata?.name ?? '');
    if (volume?.persistentVolumeClaim?.claimName !== getPersistentVolumeClaimName(set, claim, ordinal)) return false;
  }
  return true;
}

/** The set's claim retention policy, Retain/Retain when unset. */
export function getPersistentVolumeClaimRetentionPolicy(set: StatefulSet): Required<StatefulSetPersistentVolumeClaimRetentionPolicy> {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  return { whenDeleted: policy?.whenDeleted || 'Retain', whenScaled: policy?.whenScaled || 'Retain' };
}

/** The kinds a claim's owner references may name (controllerKind and podKind). */
export interface OwnerKind {
  apiVersion: string;
  kind: string;
}

export const SET_KIND: OwnerKind = { apiVersion: STATEFULSET_API_VERSION, kind: STATEFULSET_KIND };
export const POD_KIND: OwnerKind = { apiVersion: 'v1', kind: 'Pod' };

function refsOf(obj: KubeObject): OwnerReference[] {
  return (obj.metadata?.ownerReferences as OwnerReference[] | undefined) ?? [];
}

/** matchesRef: same name, apiVersion and kind. */
function matchesRef(ref: OwnerReference, obj: KubeObject, kind: OwnerKind): boolean {
  return ref.apiVersion === kind.apiVersion && ref.kind === kind.kind && ref.name === obj.metadata?.name;
}

/** A reference to `owner` by UID, controller or not. */
export function hasOwnerRef(target: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return refsOf(target).some((r) => r.uid === uid);
}

/** A reference naming `obj` but with another UID: left by an earlier object of the same name. */
export function hasStaleOwnerRef(target: KubeObject, obj: KubeObject, kind: OwnerKind): boolean {
  const ref = refsOf(target).find((r) => matchesRef(r, obj, kind));
  return ref !== undefined && ref.uid !== obj.metadata?.uid;
}

/** Under a Delete policy, a controller of the claim other than this set or pod (or a stale ref to them). */
function hasUnexpectedController(claim: ClaimObject, set: StatefulSetObject, pod: PodObject): boolean {
  const policy = getPersistentVolumeClaimRetentionPolicy(set);
  if (policy.whenScaled === 'Retain' && policy.whenDeleted === 'Retain') return false;
  for (const ref of refsOf(claim)) {
    if (matchesRef(ref, set, SET_KIND)) {
      if (ref.uid !== set.metadata?.uid) return true;
      continue;
    }
    if (matchesRef(ref, pod, POD_KIND)) {
      if (ref.uid !== pod.metadata?.uid) return true;
      continue;
    }
    if (ref.controller === true) return true;
  }
  return false;
}

/** The set or pod is an owner of the claim, but not as its controller. */
function hasNonControllerOwner(claim: ClaimObject, set: StatefulSetObject, pod: PodObject): boolean {
  return refsOf(claim).some((r) => (r.uid === set.metadata?.uid || r.uid === pod.metadata?.uid) && r.controller !== true);
}

/**
 * isClaimOwnerUpToDate: whether the claim's owner references follow the retention policy —
 * Retain/Retain: none; WhenDeleted Delete: the set while the pod is in range; WhenScaled Delete: the pod
 * once it is scaled down. Claims with stale references or another controller are left alone.
 */
export function isClaimOwnerUpToDate(claim: ClaimObject, set: StatefulSetObject, pod: PodObject): boolean {
  if (hasStaleOwnerRef(claim, set, SET_KIND) || hasStaleOwnerRef(claim, pod, POD_KIND)) return true;
  if (hasUnexpectedController(claim, set, pod)) return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  if (hasNonControllerOwner(claim, set, pod)) return false;
  const policy = getPersistentVolumeClaimRetentionPolicy(set);
  const scaledDown = !podInOrdinalRange(pod, set);
  const deleteOnScale = policy.whenScaled === 'Delete';
  const deleteOnDelete = policy.whenDeleted === 'Delete';
  if (!deleteOnScale && !deleteOnDelete) return !hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
  if (!deleteOnScale) return hasOwnerRef(claim, set) && !hasOwnerRef(claim, pod);
  if (!deleteOnDelete) return !hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
  return scaledDown !== hasOwnerRef(claim, set) && scaledDown === hasOwnerRef(claim, pod);
}

/** addControllerRef: `owner` as the claim's controller, unless it is already referenced. */
function addControllerRef(refs: OwnerReference[], owner: KubeObject, kind: OwnerKind): OwnerReference[] {
  if (refs.some((r) => r.uid === owner.metadata?.uid)) return refs;
  return [...refs, newControllerRef(owner, kind.apiVersion, kind.kind)];
}

/** updateClaimOwnerRefForSetAndPod: rewrite the claim's references to this set and pod per the policy. Mutates `claim`. */
export function updateClaimOwnerRefForSetAndPod(claim: ClaimObject, set: StatefulSetObject, pod: PodObject): void {
  const unexpected = hasUnexpectedController(claim, set, pod);
  let refs = refsOf(claim).filter((r) => !matchesRef(r, set, SET_KIND) && !matchesRef(r, pod, POD_KIND));
  if (!unexpected) {
    const policy = getPersistentVolumeClaimRetentionPolicy(set);
    const scaledDown = !podInOrdinalRange(pod, set);
    if (policy.whenScaled === 'Delete' && scaledDown) refs = addControllerRef(refs, pod, POD_KIND);
    if (policy.whenDeleted === 'Delete' && (policy.whenScaled !== 'Delete' || !scaledDown)) refs = addControllerRef(refs, set, SET_KIND);
  }
  const meta = (claim.metadata ??= {});
  if (refs.length > 0) meta.ownerReferences = refs;
  else delete meta.ownerReferences;
}

/** The claims a member pod of `set` uses, by template name: the templates named for its ordinal. */
export function getPersistentVolumeClaims(set: StatefulSet, pod: Pod): Map<string, ClaimObject> {
  const ordinal = getOrdinal(pod);
  const claims = new Map<string, ClaimObject>();
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const claim = deepCopy(template) as ClaimObject;
    const meta = (claim.metadata ??= {});
    meta.name = getPersistentVolumeClaimName(set, template, ordinal);
    meta.namespace = set.metadata?.namespace ?? '';
    meta.labels = { ...meta.labels, ...set.spec?.selector?.matchLabels };
    claims.set(template.metadata?.name ?? '', claim);
  }
  return claims;
}

/** updateStorage: the pod's volumes for its claims replace any of the same name; others are kept. Mutates `pod`. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = getPersistentVolumeClaims(set, pod);
  const volumes: Volume[] = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } }));
  for (const volume of pod.spec?.volumes ?? []) if (!claims.has(volume.name)) volumes.push(volume);
  const spec = (pod.spec ??= { containers: [] });
  spec.volumes = volumes;
}

/** updateIdentity: name, namespace, the pod-name and pod-index labels. Mutates `pod`. */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  const meta = (pod.metadata ??= {});
  meta.name = getPodName(set, ordinal);
  meta.namespace = set.metadata?.namespace;
  meta.labels = { ...meta.labels, [STATEFULSET_POD_NAME_LABEL]: meta.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** initIdentity: updateIdentity plus hostname and subdomain, which are set only at creation. */
function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  const spec = (pod.spec ??= { containers: [] });
  spec.hostname = pod.metadata?.name;
  if (set.spec?.serviceName) spec.subdomain = set.spec.serviceName;
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

export function isRunningAndAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  return isPodAvailable(pod, minReadySeconds, now);
}

/** The apiserver has the pod (it gave it a phase); a pod only built here has none. */
export function isCreated(pod: Pod): boolean {
  return Boolean(pod.status?.phase);
}

export function isPending(pod: Pod): boolean {
  return pod.status?.phase === 'Pending';
}

export function isFailed(pod: Pod): boolean {
  return pod.status?.phase === 'Failed';
}

export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

export function isTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

/** Running, ready and not being deleted. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

/** podManagementPolicy Parallel: create and delete without waiting on order. */
export function allowsBurst(set: StatefulSet): boolean {
  return set.spec?.podManagementPolicy === 'Parallel';
}

export function setPodRevision(pod: Pod, revision: string): void {
  const meta = (pod.metadata ??= {});
  meta.labels = { ...meta.labels, [CONTROLLER_REVISION_HASH_LABEL]: revision };
}

export function getPodRevision(pod: Pod): string {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

/** newStatefulSetPod: the template's pod for `ordinal`, owned by the set, with its identity and storage. */
export function newStatefulSetPod(set: StatefulSetObject, ordinal: number): PodObject {
  const pod = getPodFromTemplate(set.spec?.template ?? ({} as PodTemplateSpec), set, newControllerRef(set, STATEFULSET_API_VERSION, STATEFULSET_KIND));
  pod.metadata!.name = getPodName(set, ordinal);
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

/**
 * newVersionedStatefulSetPod: the pod for `ordinal` at the current revision if a rolling update has not
 * reached it yet (below the partition, or below currentReplicas without a rollingUpdate), else at the
 * update revision. The condition keeps upstream's grouping (Go's && binds tighter than ||).
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSetObject, updateSet: StatefulSetObject, currentRevision: string, updateRevision: string, ordinal: number): PodObject {
  const strategy = currentSet.spec?.updateStrategy;
  const start = getStartOrdinal(currentSet);
  const atCurrent =
    (strategy?.type === 'RollingUpdate' && strategy.rollingUpdate == null && ordinal < start + (currentSet.status?.currentReplicas ?? 0)) ||
    (strategy?.rollingUpdate != null && ordinal < start + (strategy.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(atCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, atCurrent ? currentRevision : updateRevision);
  return pod;
}

/** getPatch: the revision data, a strategic merge patch that puts the set's template back. */
export function getPatch(set: StatefulSet): { spec: { template: PodTemplateSpec & { $patch: 'replace' } } } {
  return { spec: { template: { ...deepCopy(set.spec?.template ?? {}), $patch: 'replace' } } };
}

/** newRevision: the set's template as revision `revision`, with the set's annotations. */
export function newRevision(set: StatefulSetObject, revision: number, collisionCount: number): ControllerRevisionObject {
  const cr = newControllerRevision(set, STATEFULSET_API_VERSION, STATEFULSET_KIND, set.spec?.template?.metadata?.labels, getPatch(set), revision, collisionCount);
  if (set.metadata?.annotations) cr.metadata!.annotations = { ...set.metadata.annotations };
  return cr;
}

/** ApplyRevision: a copy of the set with the revision's template. */
export function applyRevision(set: StatefulSetObject, revision: ControllerRevisionObject): StatefulSetObject {
  const clone = deepCopy(set);
  const data = revision.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
  if (data?.spec?.template) {
    const { $patch: _replace, ...template } = deepCopy(data.spec.template);
    (clone.spec ??= {} as NonNullable<StatefulSet['spec']>).template = template;
  }
  return clone;
}

/** nextRevision: one past the last of the sorted revisions, 1 for none. */
export function nextRevision(sortedRevisions: readonly ControllerRevisionObject[]): number {
  const last = sortedRevisions[sortedRevisions.length - 1];
  return last ? last.revision + 1 : 1;
}

/** inconsistentStatus: whether `status` differs from the set's in anything the controller writes. */
export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const cur = set.status ?? { replicas: 0 };
  return (
    (status.observedGeneration ?? 0) > (cur.observedGeneration ?? 0) ||
    status.replicas !== (cur.replicas ?? 0) ||
    (status.currentReplicas ?? 0) !== (cur.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (cur.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (cur.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (cur.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (cur.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (cur.updateRevision ?? '')
  );
}

/** completeRollingUpdate: once every replica is updated and ready, the update revision becomes current. Mutates `status`. */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  const replicas = replicasOf(set);
  if (set.spec?.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === replicas && status.readyReplicas === replicas && status.replicas === replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** getStatefulSetMaxUnavailable: rollingUpdate.maxUnavailable (default 1) of the replicas, rounded down, at least 1. */
export function getStatefulSetMaxUnavailable(maxUnavailable: number | string | undefined, replicaCount: number): number {
  const n = getValueFromIntOrPercent(maxUnavailable ?? 1, replicaCount, false);
  return n < 1 ? 1 : n;
}
