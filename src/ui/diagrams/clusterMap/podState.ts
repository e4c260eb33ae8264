/**
 * How the cluster map draws a pod: one of seven states, read from kubectl's STATUS and READY (the
 * record's `status`, `ready`, `isReady`) the way a student reads `kubectl get pods`. Each state has its
 * own shape and glyph as well as its colour, so nobody needs colour to tell them apart.
 */
import type { PodView } from '../../../engine/cluster/clusterView.ts';

export const POD_STATES = ['ready', 'notReady', 'pending', 'failed', 'terminating', 'completed', 'unknown'] as const;
export type PodState = (typeof POD_STATES)[number];

/** STATUS values that mean a container failed or cannot start (kubectl's reasons). */
const FAILED = new Set([
  'CrashLoopBackOff',
  'Error',
  'OOMKilled',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'ContainerCannotRun',
  'StartError',
  'Evicted',
  'NodeLost',
]);

export function podState(pod: Pick<PodView, 'phase' | 'status' | 'isReady'>): PodState {
  const status = pod.status;
  if (status === 'Terminating') return 'terminating';
  if (status === 'Completed' || pod.phase === 'Succeeded') return 'completed';
  if (pod.phase === 'Failed' || FAILED.has(status) || (status.startsWith('Init:') && (status.includes('Error') || status.includes('BackOff')))) return 'failed';
  if (pod.phase === 'Pending') return 'pending';
  if (pod.phase === 'Running') return pod.isReady ? 'ready' : 'notReady';
  return 'unknown';
}

/** The glyph drawn in a chip of each state (a shape, not only a colour). */
export const STATE_GLYPH: Readonly<Record<PodState, string>> = {
  ready: '●',
  notReady: '◐',
  pending: '◌',
  failed: '✕',
  terminating: '▽',
  completed: '✓',
  unknown: '?',
};
