/**
 * The kubelet's image manager (pkg/kubelet/images/image_manager.go, puller.go, 1.32): EnsureImageExists
 * for a container — the pull policy (Always, IfNotPresent, Never) against what ImageStatus finds, pulls
 * one at a time (--serialize-image-pulls, the default), a per-pod-and-image backoff of 10s doubling to
 * 300s after a failure, and the events and errors upstream gives: `Pulling image "x"`,
 * `Successfully pulled image "x" in 1.2s (3.4s including waiting). Image size: N bytes.`,
 * `Container image "x" already present on machine`, `Failed to pull image "x": <CRI error>` then
 * ErrImagePull, `Back-off pulling image "x"` with ImagePullBackOff, and ErrImageNeverPull.
 *
 * Left out: image pull secrets and credential providers, parallel pulls, image GC.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import type { Clock } from '../../base/clock.ts';
import { goDuration } from '../../apiserver/protobuf/decode.ts';
import { EVENT_TYPE_NORMAL, EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import { Backoff } from '../../client/flowcontrol/backoff.ts';
import { CriError } from '../../runtime/cri/criError.ts';
import type { CriService } from '../../runtime/cri/criService.ts';

/** The image backoff: flowcontrol.NewBackOff(10s, 300s). */
export const IMAGE_BACKOFF_INITIAL_MS = 10_000;
export const IMAGE_BACKOFF_MAX_MS = 300_000;

/** The waiting reasons a failed EnsureImageExists leaves on the container. */
export const ErrImagePull = 'ErrImagePull';
export const ErrImagePullBackOff = 'ImagePullBackOff';
export const ErrImageNeverPull = 'ErrImageNeverPull';

/** What EnsureImageExists returns: the image ID, or the reason and message the container waits with. */
export type EnsureResult = { imageRef: string } | { reason: string; message: string };

function ms(n: number): string {
  return goDuration(BigInt(Math.round(n)) * 1_000_000n);
}

export class ImageManager {
  readonly backOff: Backoff;
  /** The pull the next one waits for (serialized pulls). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly cri: CriService,
    private readonly recorder: EventRecorder,
  ) {
    this.backOff = new Backoff(clock, IMAGE_BACKOFF_INITIAL_MS, IMAGE_BACKOFF_MAX_MS);
  }

  async ensureImageExists(ref: ObjectReference, pod: Pod, container: Container): Promise<EnsureResult> {
    const image = container.image ?? '';
    const status = await this.cri.imageStatus({ image });
    const present = status.image !== undefined;
    const policy = container.imagePullPolicy ?? 'IfNotPresent';
    const shouldPull = policy === 'Always' || (policy === 'IfNotPresent' && !present);
    if (!shouldPull) {
      if (status.image) {
        this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Pulled', `Container image "${image}" already present on machine`);
        return { imageRef: status.image.id };
      }
      const message = `Container image "${image}" is not present with pull policy of Never`;
      this.recorder.event(ref, EVENT_TYPE_WARNING, 'ErrImageNeverPull', message);
      return { reason: ErrImageNeverPull, message };
    }
    const key = `${pod.metadata?.uid ?? ''}_${image}`;
    if (this.backOff.isInBackOffSinceUpdate(key, this.clock.now())) {
      const message = `Back-off pulling image "${image}"`;
      this.recorder.event(ref, EVENT_TYPE_NORMAL, 'BackOff', message);
      return { reason: ErrImagePullBackOff, message };
    }
    this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Pulling', `Pulling image "${image}"`);
    const queued = this.clock.now();
    const result = this.queue.then(async () => {
      const started = this.clock.now();
      try {
        const { imageRef } = await this.cri.pullImage({ image });
        const size = (await this.cri.imageStatus({ image: imageRef })).image?.size ?? 0;
        return { ok: true as const, imageRef, pullMs: this.clock.now() - started, size };
      } catch (error) {
        if (error instanceof CriError) return { ok: false as const, error };
        throw error;
      }
    });
    this.queue = result.catch(() => undefined);
    const outcome = await result;
    if (!outcome.ok) {
      this.recorder.event(ref, EVENT_TYPE_WARNING, 'Failed', `Failed to pull image "${image}": ${outcome.error.message}`);
      this.backOff.next(key, this.clock.now());
      return { reason: ErrImagePull, message: outcome.error.message };
    }
    const total = this.clock.now() - queued;
    this.recorder.event(ref, EVENT_TYPE_NORMAL, 'Pulled', `Successfully pulled image "${image}" in ${ms(outcome.pullMs)} (${ms(total)} including waiting). Image size: ${outcome.size} bytes.`);
    this.backOff.gc();
    return { imageRef: outcome.imageRef };
  }
}
