/**
 * The pod lifecycle of lightweight nodes, as data — kwok's Stage resources (kwok.x-k8s.io/v1alpha1
 * Stage: a selector, a delay, and the next state). A stage applies to a pod on a managed node when
 * its selector matches; after its delay (plus jitter) the pod is moved to the stage's next state through
 * the API, exactly as a kubelet would report it, and the stages are matched again.
 *
 * The default stages are kwok's: `pod-ready` (a bound pod starts: Running, Ready, an IP),
 * `pod-complete` (a Job's pod finishes: Succeeded, exit code 0), `pod-delete` (a pod being deleted is
 * removed once its containers would have stopped).
 */
import type { Pod } from 'kubernetes-types/core/v1';

export type StageDelay = 'ready' | 'complete' | 'delete';

/** How long each kind of transition takes on a lightweight node, in virtual ms. */
export interface StageDelays {
  ready: number;
  complete: number;
  delete: number;
  /** Up to this much extra, drawn per pod, so a hundred pods do not change in the same instant. */
  jitter: number;
}

export const DEFAULT_STAGE_DELAYS: StageDelays = { ready: 1_000, complete: 5_000, delete: 1_000, jitter: 500 };

export type StageNext = { kind: 'running' } | { kind: 'succeeded' } | { kind: 'delete' };

export interface Stage {
  name: string;
  /** kwok's selector: which pods the stage applies to. */
  selector: (pod: Pod) => boolean;
  delay: StageDelay;
  next: StageNext;
}

const deleting = (pod: Pod) => Boolean(pod.metadata?.deletionTimestamp);
const phase = (pod: Pod) => pod.status?.phase ?? 'Pending';
const ownedByJob = (pod: Pod) => (pod.metadata?.ownerReferences ?? []).some((r) => r.kind === 'Job');

export const DEFAULT_STAGES: readonly Stage[] = [
  { name: 'pod-delete', selector: deleting, delay: 'delete', next: { kind: 'delete' } },
  { name: 'pod-ready', selector: (pod) => !deleting(pod) && phase(pod) === 'Pending', delay: 'ready', next: { kind: 'running' } },
  { name: 'pod-complete', selector: (pod) => !deleting(pod) && phase(pod) === 'Running' && ownedByJob(pod), delay: 'complete', next: { kind: 'succeeded' } },
];

/** The first stage that applies to `pod`, if any. */
export function matchStage(stages: readonly Stage[], pod: Pod): Stage | undefined {
  return stages.find((s) => s.selector(pod));
}
