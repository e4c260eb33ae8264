/**
 * StatefulPodControl — pkg/controller/statefulset/stateful_pod_control.go: how the StatefulSet controller
 * creates, updates and deletes its pods and creates their PersistentVolumeClaims, with the events
 * `kubectl describe statefulset` shows:
 *
 *   SuccessfulCreate  create Claim www-web-0 Pod web-0 in StatefulSet web success
 *   SuccessfulCreate  create Pod web-0 in StatefulSet web successful
 *   SuccessfulDelete  delete Pod web-2 in StatefulSet web successful
 *   FailedCreate      create Pod web-0 in StatefulSet web failed error: …
 *
 * A pod's claims are created before the pod. The claims' owner references follow the set's
 * persistentVolumeClaimRetentionPolicy (StatefulSetAutoDeletePVC, GA in 1.32), so the garbage collector
 * deletes them with the set or with a scaled-down pod. Claims and pods are read from the informers'
 * caches, as upstream's listers.
 *
 * Left out: nothing the 1.32 controller does here. Claims are created as they are; they stay Pending until
 * a volume binds them (that is the PV controller's work, not this one's).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { isAlreadyExists, isConflict } from '../../api/errors.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { ResourceClient } from '../../client/rest/restClient.ts';
import { messageOf, type PodObject } from '../podControl.ts';
import {
  getPersistentVolumeClaimName,
  getPersistentVolumeClaimRetentionPolicy,
  getOrdinal,
  getPersistentVolumeClaims,
  hasStaleOwnerRef,
  identityMatches,
  isClaimOwnerUpToDate,
  POD_KIND,
  storageMatches,
  updateClaimOwnerRefForSetAndPod,
  updateIdentity,
  updateStorage,
  type ClaimObject,
  type StatefulSetObject,
} from './statefulSetUtils.ts';
import { deepCopy } from '../../base/deepFreeze.ts';

/** How many times a conflicting pod update is retried (retry.DefaultBackoff's steps). */
const UPDATE_RETRIES = 4;

/** errors.NewAggregate: one error as it is, several as `[a, b]`. */
export function aggregate(errors: readonly unknown[]): Error | undefined {
  if (errors.length === 0) return undefined;
  if (errors.length === 1) return errors[0] instanceof Error ? errors[0] : new Error(messageOf(errors[0]));
  return new Error(`[${errors.map(messageOf).join(', ')}]`);
}

function title(verb: string): string {
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}

export class StatefulPodControl {
  constructor(
    private readonly pods: ResourceClient<PodObject>,
    private readonly podLister: Lister<PodObject>,
    private readonly claims: ResourceClient<ClaimObject>,
    private readonly claimLister: Lister<ClaimObject>,
    private readonly recorder: EventRecorder,
  ) {}

  /** CreateStatefulPod: the claims, then the pod; AlreadyExists is returned without an event. */
  async createStatefulPod(set: StatefulSetObject, pod: PodObject): Promise<void> {
    try {
      await this.createPersistentVolumeClaims(set, pod);
    } catch (error) {
      this.recordPodEvent('create', set, pod, error);
      throw error;
    }
    let createError: unknown;
    try {
      await this.pods.create(set.metadata?.namespace ?? '', pod);
    } catch (error) {
      if (isAlreadyExists(error)) throw error;
      createError = error;
    }
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (error) {
      this.recordPodEvent('update', set, pod, error);
      throw error;
    }
    this.recordPodEvent('create', set, pod, createError);
    if (createError !== undefined) throw createError;
  }

  /**
   * UpdateStatefulPod: restore the pod's identity and storage (creating missing claims) and its claims'
   * retention references; write the pod if anything was off, retrying conflicts on a fresh copy.
   */
  async updateStatefulPod(set: StatefulSetObject, original: PodObject): Promise<void> {
    let pod = deepCopy(original);
    let attempted = false;
    let result: unknown;
    for (let attempt = 0; attempt <= UPDATE_RETRIES; attempt++) {
      result = undefined;
      try {
        if (!(await this.conform(set, pod))) break;
        attempted = true;
        try {
          await this.pods.update(set.metadata?.namespace ?? '', pod);
          break;
        } catch (error) {
          const fresh = this.podLister.byNamespace(set.metadata?.namespace ?? '').get(pod.metadata?.name ?? '');
          if (fresh) pod = deepCopy(fresh);
          throw error;
        }
      } catch (error) {
        result = error;
        if (!isConflict(error)) break;
      }
    }
    if (attempted) this.recordPodEvent('update', set, pod, result);
    if (result !== undefined) throw result;
  }

  /** Make `pod` conform to the set (identity, storage, claims' retention references); whether it changed. */
  private async conform(set: StatefulSetObject, pod: PodObject): Promise<boolean> {
    let dirty = false;
    if (!identityMatches(set, pod)) {
      updateIdentity(set, pod);
      dirty = true;
    }
    try {
      if (!storageMatches(set, pod)) {
        updateStorage(set, pod);
        dirty = true;
        await this.createPersistentVolumeClaims(set, pod);
      }
      if (!this.claimsMatchRetentionPolicy(set, pod)) {
        await this.updatePodClaimForRetentionPolicy(set, pod);
        dirty = true;
      }
    } catch (error) {
      this.recordPodEvent('update', set, pod, error);
      throw error;
    }
    return dirty;
  }

  /** DeleteStatefulPod, with its event either way. */
  async deleteStatefulPod(set: StatefulSetObject, pod: Pod): Promise<void> {
    try {
      await this.pods.delete(set.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    } catch (error) {
      this.recordPodEvent('delete', set, pod, error);
      throw error;
    }
    this.recordPodEvent('delete', set, pod, undefined);
  }

  /**
   * ClaimsMatchRetentionPolicy: whether the owner references of the pod's existing claims follow the
   * policy (claims not in the cache yet are picked up on a later sync).
   */
  claimsMatchRetentionPolicy(set: StatefulSetObject, pod: PodObject): boolean {
    const ordinal = getOrdinal(pod);
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const claim = this.claimLister.byNamespace(set.metadata?.namespace ?? '').get(getPersistentVolumeClaimName(set, template, ordinal));
      if (claim && !isClaimOwnerUpToDate(claim, set, pod)) return false;
    }
    return true;
  }

  /** UpdatePodClaimForRetentionPolicy: rewrite the owner references of the pod's claims that need it. */
  async updatePodClaimForRetentionPolicy(set: StatefulSetObject, pod: PodObject): Promise<void> {
    const ordinal = getOrdinal(pod);
    const namespace = set.metadata?.namespace ?? '';
    for (const template of set.spec?.volumeClaimTemplates ?? []) {
      const claimName = getPersistentVolumeClaimName(set, template, ordinal);
      const cached = this.claimLister.byNamespace(namespace).get(claimName);
      if (!cached || isClaimOwnerUpToDate(cached, set, pod)) continue;
      const claim = deepCopy(cached);
      updateClaimOwnerRefForSetAndPod(claim, set, pod);
      try {
        await this.claims.update(namespace, claim);
      } catch (error) {
        throw new Error(`Could not update claim ${claimName} for delete policy ownerRefs: ${messageOf(error)}`, { cause: error });
      }
    }
  }

  /**
   * PodClaimIsStale: under WhenScaled Delete, a claim still owned by an earlier pod of the same name
   * (waiting for the garbage collector) blocks creating the pod.
   */
  podClaimIsStale(set: StatefulSetObject, pod: PodObject): boolean {
    if (getPersistentVolumeClaimRetentionPolicy(set).whenScaled === 'Retain') return false;
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const existing = this.claimLister.byNamespace(claim.metadata?.namespace ?? '').get(claim.metadata?.name ?? '');
      if (existing && hasStaleOwnerRef(existing, pod, POD_KIND)) return true;
    }
    return false;
  }

  /** createMissingPersistentVolumeClaims: for a Pending pod whose claims went missing. */
  async createMissingPersistentVolumeClaims(set: StatefulSetObject, pod: PodObject): Promise<void> {
    await this.createPersistentVolumeClaims(set, pod);
    try {
      await this.updatePodClaimForRetentionPolicy(set, pod);
    } catch (error) {
      this.recordPodEvent('update', set, pod, error);
      throw error;
    }
  }

  /** createPersistentVolumeClaims: create each of the pod's claims the cache does not have. */
  private async createPersistentVolumeClaims(set: StatefulSetObject, pod: Pod): Promise<void> {
    const errors: unknown[] = [];
    for (const claim of getPersistentVolumeClaims(set, pod).values()) {
      const name = claim.metadata?.name ?? '';
      const existing = this.claimLister.byNamespace(claim.metadata?.namespace ?? '').get(name);
      if (existing) {
        if (existing.metadata?.deletionTimestamp) errors.push(new Error(`pvc ${name} is being deleted`));
        continue;
      }
      try {
        await this.claims.create(claim.metadata?.namespace ?? '', claim);
        this.recordClaimEvent('create', set, pod, name, undefined);
      } catch (error) {
        errors.push(new Error(`failed to create PVC ${name}: ${messageOf(error)}`, { cause: error }));
        if (!isAlreadyExists(error)) this.recordClaimEvent('create', set, pod, name, error);
      }
    }
    const error = aggregate(errors);
    if (error) throw error;
  }

  private recordPodEvent(verb: string, set: StatefulSetObject, pod: Pod, error: unknown): void {
    const podName = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    if (error === undefined) {
      this.recorder.event(set, EVENT_TYPE_NORMAL, `Successful${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} successful`);
    } else {
      this.recorder.event(set, EVENT_TYPE_WARNING, `Failed${title(verb)}`, `${verb} Pod ${podName} in StatefulSet ${setName} failed error: ${messageOf(error)}`);
    }
  }

  private recordClaimEvent(verb: string, set: StatefulSetObject, pod: Pod, claimName: string, error: unknown): void {
    const podName = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    if (error === undefined) {
      this.recorder.event(set, EVENT_TYPE_NORMAL, `Successful${title(verb)}`, `${verb} Claim ${claimName} Pod ${podName} in StatefulSet ${setName} success`);
    } else {
      this.recorder.event(set, EVENT_TYPE_WARNING, `Failed${title(verb)}`, `${verb} Claim ${claimName} for Pod ${podName} in StatefulSet ${setName} failed error: ${messageOf(error)}`);
    }
  }
}

