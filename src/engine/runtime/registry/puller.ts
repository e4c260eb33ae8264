/**
 * Puller — pulling an image from a Registry into a node's content and image stores, as dockerd's
 * distribution puller (pull_v2.go) and containerd's client.Pull do it, on virtual time.
 *
 * The pull is planned up front (the offline registry answers at once) and played out on the injected
 * Clock: each registry round trip takes `latencyMs`; layers download at most `maxConcurrentDownloads` at a
 * time (docker's default 3), sharing `bandwidth` bytes/s equally, each transferring its download size
 * (see image/layer.ts); each layer is then extracted in order, at `extractRate` bytes/s of its unpacked
 * size, after the one below it. Blobs enter the content store when their download completes (held by a
 * lease), the image records when the pull completes; the returned promise settles at that virtual instant.
 * `planPull` exposes the same timeline without running it, for callers that want the duration.
 *
 * Progress is docker's JSONMessage stream, per layer id (the blob digest's first 12 hex digits):
 * `Pulling fs layer` or `Already exists`, `Waiting`, `Downloading` (current/total, every
 * `progressIntervalMs`), `Verifying Checksum`, `Download complete`, `Extracting` (current/total),
 * `Pull complete`; then `Digest: sha256:…` and `Status: Downloaded newer image for nginx:latest` (or
 * `Status: Image is up to date for …`). The first message is `{id: "latest", status: "Pulling from
 * library/nginx"}`, which the CLI prints as `latest: Pulling from library/nginx`; the CLI's own lines
 * (`Using default tag: latest`, the final `docker.io/library/nginx:latest`) are its business.
 *
 * Recorded references: `docker` mode (dockerd, namespace moby) records the tag (or digest) reference and
 * `repo@<digest>`; `cri` mode (the CRI plugin, namespace k8s.io) adds the image ID `sha256:…` as a name,
 * all labelled `io.cri-containerd.image=managed`.
 */
import type { Clock } from '../../base/clock.ts';
import { parseImageReference } from '../imageReference.ts';
import { shortId, type Digest } from '../image/digest.ts';
import { familiarString } from '../image/familiarString.ts';
import { platformMatches, type Descriptor, type Index, type Manifest } from '../image/manifest.ts';
import { isIndexMediaType } from '../image/mediatype.ts';
import { Layer } from '../image/layer.ts';
import type { Blob } from '../image/image.ts';
import type { ImageRecord, ImageStore } from '../image/imageStore.ts';
import type { Registries } from './registry.ts';
import { PlatformNotFoundError, type PullError } from './registryError.ts';

/** One progress message, as dockerd streams them (jsonmessage.JSONMessage). */
export interface JSONMessage {
  /** The layer's short id, or the tag for `Pulling from`; absent for the closing lines. */
  id?: string;
  /** `Pulling fs layer`, `Downloading`, `Digest: sha256:…`… */
  status: string;
  /** Bytes done and total, for `Downloading` and `Extracting`. */
  progressDetail?: { current: number; total: number };
}

/** How to pull. */
export interface PullOptions {
  /** Where the image goes. */
  store: ImageStore;
  /** `docker` (dockerd) or `cri` (the CRI plugin); decides the recorded references. Default `docker`. */
  mode?: 'docker' | 'cri';
  /** Download bandwidth, bytes per second (default 25 MB/s). */
  bandwidth?: number;
  /** Unpack speed, bytes of unpacked content per second (default 200 MB/s). */
  extractRate?: number;
  /** One registry round trip, ms (default 100). */
  latencyMs?: number;
  /** Layers downloaded at once (default 3, as dockerd's max-concurrent-downloads). */
  maxConcurrentDownloads?: number;
  /** Virtual ms between `Downloading`/`Extracting` updates of a layer (default 500). */
  progressIntervalMs?: number;
  /** Receives every progress message, at its virtual time. */
  onProgress?: (message: JSONMessage) => void;
}

/** What a pull did. */
export interface PullResult {
  /** The normalised reference pulled (`docker.io/library/nginx:latest`). */
  reference: string;
  /** The digest the reference resolved to (index or manifest): docker's `Digest:` line. */
  digest: Digest;
  /** The image ID (config digest) for the store's platform. */
  id: Digest;
  /** The record of the reference. */
  record: ImageRecord;
  /** True when the store already had this exact image under the reference. */
  upToDate: boolean;
  /** Bytes transferred (download sizes of the fetched manifests, config and missing layers). */
  downloadedBytes: number;
  /** Virtual ms from start to finish. */
  durationMs: number;
}

/** One step of a planned pull: at `at` ms after the start, emit `message` and/or commit `blob`. */
export interface PullStep {
  /** ms after the pull started. */
  at: number;
  /** A progress message to emit. */
  message?: JSONMessage;
  /** A blob whose download completed. */
  blob?: Blob;
}

/** A pull's whole timeline. */
export interface PullPlan {
  /** The steps, in time order. */
  steps: PullStep[];
  /** ms from start to the image being ready. */
  durationMs: number;
  /** The result the pull settles with (its record is created when it runs). */
  result: Omit<PullResult, 'record'>;
  /** The top-level target to record. */
  target: Descriptor;
  /** The manifests, index and config to commit at resolution time. */
  metadata: Blob[];
}

const DEFAULTS = { bandwidth: 25_000_000, extractRate: 200_000_000, latencyMs: 100, maxConcurrentDownloads: 3, progressIntervalMs: 500 };

export class Puller {
  private pulls = 0;

  constructor(
    private readonly registries: Registries,
    private readonly clock: Clock,
  ) {}

  /**
   * Pull `ref` (any form docker accepts: `nginx`, `nginx:1.27`, `registry.k8s.io/pause:3.10`,
   * `nginx@sha256:…`). Settles on virtual time; rejects with a PullError (after one round trip).
   */
  pull(ref: string, options: PullOptions): Promise<PullResult> {
    const latency = options.latencyMs ?? DEFAULTS.latencyMs;
    let plan: PullPlan;
    try {
      plan = this.plan(ref, options);
    } catch (error) {
      return new Promise((_, reject) => this.clock.after(latency, () => reject(error as PullError), `pull ${ref}: failed`));
    }
    const { store } = options;
    const lease = store.content.lease(`pull-${++this.pulls}`);
    for (const blob of plan.metadata) store.content.write(blob, { lease });
    return new Promise((resolve) => {
      for (const step of plan.steps) {
        this.clock.after(
          step.at,
          () => {
            if (step.blob) store.content.write(step.blob, { lease });
            if (step.message) options.onProgress?.(step.message);
          },
          `pull ${ref}`,
        );
      }
      this.clock.after(
        plan.durationMs,
        () => {
          const record = recordReferences(store, plan, options.mode ?? 'docker');
          lease.release();
          resolve({ ...plan.result, record });
        },
        `pull ${ref}: done`,
      );
    });
  }

  /** The timeline `pull` would play, computed now; throws a PullError when the reference cannot be resolved. */
  plan(ref: string, options: PullOptions): PullPlan {
    const o = { ...DEFAULTS, ...options };
    const parsed = parseImageReference(ref);
    const slash = parsed.name.indexOf('/');
    const host = parsed.name.slice(0, slash);
    const path = parsed.name.slice(slash + 1);
    const reference = parsed.digest ? `${parsed.name}@${parsed.digest}` : `${parsed.name}:${parsed.tag}`;
    const registry = this.registries.get(host);
    const top = registry.getManifest(path, parsed.digest ?? parsed.tag!);
    const target: Descriptor = { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length };
    const metadata: Blob[] = [{ digest: top.digest, mediaType: top.mediaType, bytes: top.bytes, downloadSize: top.bytes.length }];
    let manifest: Manifest;
    let roundTrips = 1;
    if (isIndexMediaType(top.mediaType)) {
      const index = JSON.parse(new TextDecoder().decode(top.bytes)) as Index;
      const chosen = index.manifests.find((m) => m.platform && platformMatches(m.platform, o.store.platform));
      if (!chosen) throw new PlatformNotFoundError(o.store.platform);
      const m = registry.getManifest(path, chosen.digest);
      metadata.push({ digest: m.digest, mediaType: m.mediaType, bytes: m.bytes, downloadSize: m.bytes.length });
      manifest = JSON.parse(new TextDecoder().decode(m.bytes)) as Manifest;
      roundTrips++;
    } else {
      manifest = JSON.parse(new TextDecoder().decode(top.bytes)) as Manifest;
    }
    const config = registry.getBlob(path, manifest.config.digest);
    metadata.push(config);
    roundTrips++;

    const content = o.store.content;
    const existing = o.store.get(reference);
    const layerDigests = [...new Set(manifest.layers.map((l) => l.digest))];
    const upToDate = existing?.target.digest === top.digest && layerDigests.every((d) => content.has(d));
    const tagOrDigest = parsed.digest ?? parsed.tag!;
    const resolvedAt = roundTrips * o.latencyMs;
    const steps: PullStep[] = [{ at: resolvedAt, message: { id: tagOrDigest, status: `Pulling from ${path}` } }];
    let downloadedBytes = metadata.reduce((sum, b) => sum + b.downloadSize, 0);
    let end = resolvedAt;

    if (!upToDate) {
      const missing: { id: string; blob: Blob; layer: Layer }[] = [];
      for (const digest of layerDigests) {
        const id = shortId(digest);
        if (content.has(digest)) {
          steps.push({ at: resolvedAt, message: { id, status: 'Already exists' } });
          continue;
        }
        const blob = registry.getBlob(path, digest);
        missing.push({ id, blob, layer: content.layer(digest) ?? Layer.fromBlob(blob.bytes, { downloadSize: blob.downloadSize }) });
        steps.push({ at: resolvedAt, message: { id, status: 'Pulling fs layer' } });
      }
      for (const m of missing.slice(o.maxConcurrentDownloads)) steps.push({ at: resolvedAt, message: { id: m.id, status: 'Waiting' } });
      const done = planDownloads(missing.map((m) => ({ id: m.id, total: m.blob.downloadSize })), resolvedAt, o, steps);
      let extractedAt = resolvedAt;
      missing.forEach((m, i) => {
        const downloaded = done[i]!;
        steps.push({ at: downloaded, message: { id: m.id, status: 'Verifying Checksum' } });
        steps.push({ at: downloaded, message: { id: m.id, status: 'Download complete' }, blob: m.blob });
        downloadedBytes += m.blob.downloadSize;
        const start = Math.max(downloaded, extractedAt);
        const duration = Math.ceil((m.layer.size / o.extractRate) * 1000);
        const total = m.blob.downloadSize;
        for (let t = o.progressIntervalMs; t < duration; t += o.progressIntervalMs) {
          steps.push({ at: start + t, message: { id: m.id, status: 'Extracting', progressDetail: { current: Math.floor((total * t) / duration), total } } });
        }
        steps.push({ at: start + duration, message: { id: m.id, status: 'Extracting', progressDetail: { current: total, total } } });
        extractedAt = start + duration;
        steps.push({ at: extractedAt, message: { id: m.id, status: 'Pull complete' } });
      });
      end = extractedAt;
    }
    const familiar = familiarString(reference);
    steps.push({ at: end, message: { status: `Digest: ${top.digest}` } });
    steps.push({ at: end, message: { status: upToDate ? `Status: Image is up to date for ${familiar}` : `Status: Downloaded newer image for ${familiar}` } });
    steps.sort((a, b) => a.at - b.at);
    return {
      steps,
      durationMs: end,
      result: { reference, digest: top.digest, id: manifest.config.digest, upToDate, downloadedBytes, durationMs: end },
      target,
      metadata,
    };
  }
}

/**
 * Plan concurrent downloads sharing the bandwidth equally, at most `maxConcurrentDownloads` at a time, in
 * order; push `Downloading` progress steps; return each download's completion time.
 */
function planDownloads(
  downloads: { id: string; total: number }[],
  start: number,
  o: { bandwidth: number; maxConcurrentDownloads: number; progressIntervalMs: number },
  steps: PullStep[],
): number[] {
  const done: number[] = new Array<number>(downloads.length);
  const remaining = downloads.map((d) => d.total);
  const active: number[] = [];
  let next = 0;
  let now = start;
  let nextTick = start + o.progressIntervalMs;
  const fill = () => {
    while (active.length < o.maxConcurrentDownloads && next < downloads.length) {
      steps.push({ at: now, message: { id: downloads[next]!.id, status: 'Downloading', progressDetail: { current: 0, total: downloads[next]!.total } } });
      active.push(next++);
    }
  };
  fill();
  while (active.length > 0) {
    const rate = o.bandwidth / 1000 / active.length;
    const finishIn = Math.min(...active.map((i) => remaining[i]! / rate));
    const segmentEnd = now + finishIn;
    while (nextTick < segmentEnd) {
      for (const i of active) {
        const current = downloads[i]!.total - remaining[i]! + Math.floor((nextTick - now) * rate);
        steps.push({ at: Math.round(nextTick), message: { id: downloads[i]!.id, status: 'Downloading', progressDetail: { current: Math.min(current, downloads[i]!.total), total: downloads[i]!.total } } });
      }
      nextTick += o.progressIntervalMs;
    }
    for (const i of [...active]) {
      remaining[i] = Math.max(0, remaining[i]! - finishIn * rate);
      if (remaining[i]! <= 1e-6) {
        done[i] = Math.ceil(segmentEnd);
        active.splice(active.indexOf(i), 1);
      }
    }
    now = segmentEnd;
    fill();
  }
  return done;
}

function recordReferences(store: ImageStore, plan: PullPlan, mode: 'docker' | 'cri'): ImageRecord {
  const labels: Record<string, string> = mode === 'cri' ? { 'io.cri-containerd.image': 'managed' } : {};
  const { reference, digest, id } = plan.result;
  const at = reference.indexOf('@');
  const repo = at >= 0 ? reference.slice(0, at) : reference.slice(0, reference.lastIndexOf(':'));
  const record = store.put(reference, plan.target, labels);
  if (at < 0) store.put(`${repo}@${digest}`, plan.target, labels);
  if (mode === 'cri') store.put(id, plan.target, labels);
  return record;
}
