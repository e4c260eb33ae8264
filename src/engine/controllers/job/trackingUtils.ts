/**
 * How the Job controller counts finished pods exactly once — pkg/controller/job/tracking_utils.go.
 *
 * Every pod the controller creates carries the `batch.kubernetes.io/job-tracking` finalizer, so a
 * finished pod cannot vanish before it is counted. Counting is two-phase: the pod's UID goes into
 * status.uncountedTerminatedPods (written first), then the finalizer is removed, then the UID moves into
 * status.succeeded / status.failed. UIDTrackingExpectations remembers, per Job, the pods whose finalizer
 * removal the informer has not shown yet, so a sync on a stale cache does not count them again.
 */
import type { Pod } from 'kubernetes-types/core/v1';

/** batchv1.JobTrackingFinalizer. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';

export function hasJobTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

/** The strategic-merge patch that removes the finalizer (removeTrackingFinalizerPatch). */
export function removeTrackingFinalizerPatch(): object {
  return { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } };
}

/** uidTrackingExpectations: per Job key, the pod UIDs whose finalizer removal is not observed yet. */
export class UIDTrackingExpectations {
  private readonly store = new Map<string, Set<string>>();

  getExpectedUIDs(jobKey: string): ReadonlySet<string> {
    return new Set(this.store.get(jobKey) ?? []);
  }

  expectFinalizersRemoved(jobKey: string, uids: readonly string[]): void {
    let set = this.store.get(jobKey);
    if (!set) {
      set = new Set();
      this.store.set(jobKey, set);
    }
    for (const uid of uids) set.add(uid);
  }

  finalizerRemovalObserved(jobKey: string, uid: string): void {
    this.store.get(jobKey)?.delete(uid);
  }

  deleteExpectations(jobKey: string): void {
    this.store.delete(jobKey);
  }
}
