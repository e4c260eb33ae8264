/**
 * PodConfig (pkg/kubelet/config/config.go) for the kubelet's non-API sources: it turns a source's SET
 * updates into additions, updates and removals keyed by UID, and stamps each pod it first sees with
 * `kubernetes.io/config.source` and `kubernetes.io/config.seen` (RFC 3339 with nanoseconds, trailing
 * zeros dropped, as Go's RFC3339Nano prints). A pod whose manifest changed has a new UID (its hash), so an
 * edit is a removal of the old pod and an addition of the new one.
 *
 * Left out: the http source, and the merge with the API's pods (the kubelet's informer feeds those).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../base/clock.ts';
import { CONFIG_SEEN_ANNOTATION, CONFIG_SOURCE_ANNOTATION } from './common.ts';

/** kubetypes.FileSource. */
export const FILE_SOURCE = 'file';

export interface PodConfigHandler {
  onAdd(pod: Pod): void;
  onUpdate(pod: Pod): void;
  onRemove(pod: Pod): void;
}

/** time.RFC3339Nano of a virtual instant. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_, frac: string) => (/^0+$/.test(frac) ? 'Z' : `.${frac.replace(/0+$/, '')}Z`));
}

export class PodConfig {
  private readonly pods = new Map<string, Pod>();

  constructor(
    private readonly clock: Clock,
    private readonly source: string,
    private readonly handler: PodConfigHandler,
  ) {}

  /** A SET from the source: what it no longer has is removed, what is new is added, what changed is updated. */
  set(pods: readonly Pod[]): void {
    const next = new Map<string, Pod>();
    for (const pod of pods) {
      const uid = pod.metadata?.uid ?? '';
      if (next.has(uid)) continue;
      const old = this.pods.get(uid);
      const seen = old?.metadata?.annotations?.[CONFIG_SEEN_ANNOTATION] ?? rfc3339Nano(this.clock.now());
      const stamped: Pod = { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata?.annotations, [CONFIG_SEEN_ANNOTATION]: seen, [CONFIG_SOURCE_ANNOTATION]: this.source } } };
      next.set(uid, old && JSON.stringify(old) === JSON.stringify(stamped) ? old : stamped);
    }
    const previous = [...this.pods.values()];
    this.pods.clear();
    for (const [uid, pod] of next) this.pods.set(uid, pod);
    for (const pod of previous) if (!next.has(pod.metadata?.uid ?? '')) this.handler.onRemove(pod);
    for (const pod of next.values()) {
      const old = previous.find((p) => p.metadata?.uid === pod.metadata?.uid);
      if (!old) this.handler.onAdd(pod);
      else if (old !== pod) this.handler.onUpdate(pod);
    }
  }
}
