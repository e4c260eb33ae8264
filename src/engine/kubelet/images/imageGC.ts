/**
 * The kubelet's image garbage collection (pkg/kubelet/images/image_gc_manager.go, Kubernetes 1.32). Each
 * pass first detects images: when each was first seen, and that every image a container (running or
 * not) uses was used now. Then, when the image file system is at or over the high threshold (85% used),
 * it frees down to the low threshold (80%): images no container uses, first seen at least MinAge (2m)
 * ago and not pinned (the sandbox image), least recently used first, each removed with RemoveImage.
 * When it cannot free enough, a `FreeDiskSpaceFailed` event on the Node says how much it tried to free
 * and found. The kubelet runs a pass every 5 minutes (ImageGCPeriod); the eviction manager runs
 * `deleteUnusedImages` (every unused image, whatever the thresholds) under disk pressure.
 *
 * Left out: ImageMaximumGCAge (off by default), the image cache for the node status, a separate
 * container file system.
 */
import type { ObjectReference } from 'kubernetes-types/core/v1';
import type { Clock } from '../../base/clock.ts';
import { EVENT_TYPE_WARNING, type EventRecorder } from '../../client/record/eventRecorder.ts';
import type { CriService } from '../../runtime/cri/criService.ts';

/** --image-gc-high-threshold and --image-gc-low-threshold, percent of the image file system. */
export const IMAGE_GC_HIGH_THRESHOLD_PERCENT = 85;
export const IMAGE_GC_LOW_THRESHOLD_PERCENT = 80;
/** --minimum-image-ttl-duration (ImageMinimumGCAge). */
export const IMAGE_MINIMUM_GC_AGE_MS = 2 * 60_000;
/** ImageGCPeriod. */
export const IMAGE_GC_PERIOD_MS = 5 * 60_000;

export interface ImageGCPolicy {
  highThresholdPercent: number;
  lowThresholdPercent: number;
  minAgeMs: number;
}

export const DEFAULT_IMAGE_GC_POLICY: ImageGCPolicy = { highThresholdPercent: IMAGE_GC_HIGH_THRESHOLD_PERCENT, lowThresholdPercent: IMAGE_GC_LOW_THRESHOLD_PERCENT, minAgeMs: IMAGE_MINIMUM_GC_AGE_MS };

/** The image file system's size and free space, bytes (the stats provider's ImageFsStats). */
export interface ImageFsStats {
  capacityBytes: number;
  availableBytes: number;
}

export interface ImageGCManagerOptions {
  cri: CriService;
  clock: Clock;
  imageFsStats: () => Promise<ImageFsStats | undefined>;
  recorder: EventRecorder;
  nodeRef: ObjectReference;
  policy?: ImageGCPolicy;
}

interface ImageRecord {
  firstDetected: number;
  lastUsed: number;
  size: number;
  pinned: boolean;
}

export class ImageGCManager {
  private readonly policy: ImageGCPolicy;
  /** What detectImages learnt, by image ID. */
  private readonly records = new Map<string, ImageRecord>();

  constructor(private readonly options: ImageGCManagerOptions) {
    this.policy = options.policy ?? DEFAULT_IMAGE_GC_POLICY;
  }

  /** GarbageCollect: free down to the low threshold when usage is at or over the high one. Resolves to the bytes freed. */
  async garbageCollect(): Promise<number> {
    const now = this.options.clock.now();
    const inUse = await this.detectImages(now);
    const fs = await this.options.imageFsStats();
    if (!fs || fs.capacityBytes <= 0) return 0;
    const available = Math.min(fs.availableBytes, fs.capacityBytes);
    const usagePercent = 100 - Math.floor((available * 100) / fs.capacityBytes);
    if (usagePercent < this.policy.highThresholdPercent) return 0;
    const amountToFree = Math.floor((fs.capacityBytes * (100 - this.policy.lowThresholdPercent)) / 100) - available;
    const freed = await this.freeSpace(amountToFree, now, inUse);
    if (freed < amountToFree) {
      this.options.recorder.event(this.options.nodeRef, EVENT_TYPE_WARNING, 'FreeDiskSpaceFailed', `Failed to garbage collect required amount of images. Attempted to free ${amountToFree} bytes, but only found ${freed} bytes eligible to free.`);
    }
    return freed;
  }

  /** DeleteUnusedImages: every image no container uses, whatever the thresholds. */
  async deleteUnusedImages(): Promise<number> {
    const now = this.options.clock.now();
    const inUse = await this.detectImages(now);
    return this.freeSpace(Number.MAX_SAFE_INTEGER, now, inUse);
  }

  /** detectImages: the images on the node, their first sighting and last use; the IDs in use now. */
  private async detectImages(now: number): Promise<Set<string>> {
    const [{ images }, { containers }] = await Promise.all([this.options.cri.listImages(), this.options.cri.listContainers()]);
    const inUse = new Set(containers.map((c) => c.imageRef));
    const present = new Set<string>();
    for (const image of images) {
      present.add(image.id);
      let record = this.records.get(image.id);
      if (!record) this.records.set(image.id, (record = { firstDetected: now, lastUsed: 0, size: image.size, pinned: image.pinned }));
      record.size = image.size;
      record.pinned = image.pinned;
      if (inUse.has(image.id)) record.lastUsed = now;
    }
    for (const id of this.records.keys()) if (!present.has(id)) this.records.delete(id);
    return inUse;
  }

  /** freeSpace: the eligible images, least recently used (then first detected) first, until `bytes` are freed. */
  private async freeSpace(bytes: number, now: number, inUse: ReadonlySet<string>): Promise<number> {
    const candidates = [...this.records]
      .filter(([id, r]) => !inUse.has(id) && !r.pinned && now - r.firstDetected >= this.policy.minAgeMs)
      .sort(([, a], [, b]) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected);
    let freed = 0;
    for (const [id, record] of candidates) {
      if (freed >= bytes) break;
      try {
        await this.options.cri.removeImage({ image: id });
      } catch {
        continue;
      }
      this.records.delete(id);
      freed += record.size;
    }
    return freed;
  }
}
