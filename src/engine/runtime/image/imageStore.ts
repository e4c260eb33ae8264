/**
 * ImageStore — containerd's image metadata store (images.Store) for one namespace (`k8s.io` for the
 * kubelet's CRI, `moby` for dockerd): image records mapping a name (a normalised reference such as
 * `docker.io/library/nginx:1.27`, a digest reference `…@sha256:…`, or, as the CRI plugin adds, the image
 * ID `sha256:…`) to a target descriptor (a manifest, or an index resolved to this node's platform).
 * Records point into the node's shared ContentStore; the store's targets are GC roots there.
 *
 * Errors carry containerd's text (`image "x": already exists`, `image "x": not found`). Docker's `rmi`
 * rules, built on these records, are in imageDelete.ts.
 */
import type { Clock } from '../../base/clock.ts';
import { Emitter, type Event } from '../../base/emitter.ts';
import type { Digest } from './digest.ts';
import type { ImageConfig } from './imageConfig.ts';
import { formatPlatform, platformMatches, type Descriptor, type Index, type Manifest, type Platform } from './manifest.ts';
import { isIndexMediaType } from './mediatype.ts';
import type { ContentStore } from './contentStore.ts';

/** One image record (containerd's images.Image). */
export interface ImageRecord {
  /** The record's name: a normalised reference or an image ID. */
  readonly name: string;
  /** What the name points at: a manifest or an index. */
  readonly target: Descriptor;
  /** containerd labels (`io.cri-containerd.image=managed`…). */
  readonly labels: Readonly<Record<string, string>>;
  /** Virtual time the record was created, ms since the epoch. */
  readonly createdAt: number;
  /** Virtual time the record last changed. */
  readonly updatedAt: number;
}

/** A record's target resolved for this node's platform. */
export interface ResolvedImage {
  /** The manifest's digest (equal to the target's when the target is a manifest). */
  manifestDigest: Digest;
  /** The manifest. */
  manifest: Manifest;
  /** The image ID (config digest). */
  id: Digest;
  /** The image config. */
  config: ImageConfig;
}

/** A change to the store, as containerd's `/images/create|update|delete` events. */
export interface ImageStoreEvent {
  /** What happened. */
  kind: 'create' | 'update' | 'delete';
  /** The record's name. */
  name: string;
}

/** An image store operation that failed; `message` is containerd's. */
export class ImageStoreError extends Error {
  override readonly name = 'ImageStoreError';

  constructor(
    message: string,
    /** errdefs class: `not found`, `already exists` or `failed precondition`. */
    readonly code: 'NotFound' | 'AlreadyExists' | 'FailedPrecondition',
  ) {
    super(message);
  }
}

/** linux/amd64, the platform of every node unless told otherwise. */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

export class ImageStore {
  private readonly records = new Map<string, ImageRecord>();
  private readonly _onDidChange = new Emitter<ImageStoreEvent>();
  /** Fires after each create, update and delete. */
  readonly onDidChange: Event<ImageStoreEvent> = this._onDidChange.event;

  constructor(
    /** containerd namespace: `k8s.io`, `moby`. */
    readonly namespace: string,
    /** The node's content store. */
    readonly content: ContentStore,
    private readonly clock: Clock,
    /** The node's platform, used to pick a manifest from an index. */
    readonly platform: Platform = DEFAULT_PLATFORM,
  ) {
    content.addRoots(() => [...this.records.values()].map((r) => r.target.digest));
  }

  /** The record named `name`, or undefined. */
  get(name: string): ImageRecord | undefined {
    return this.records.get(name);
  }

  /** Every record, sorted by name. */
  list(): ImageRecord[] {
    return [...this.records.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Add a record; throws `image "<name>": already exists` when the name is taken. */
  create(name: string, target: Descriptor, labels: Record<string, string> = {}): ImageRecord {
    if (this.records.has(name)) throw new ImageStoreError(`image "${name}": already exists`, 'AlreadyExists');
    this.checkTarget(target);
    const now = this.clock.now();
    const record: ImageRecord = { name, target, labels: { ...labels }, createdAt: now, updatedAt: now };
    this.records.set(name, record);
    this._onDidChange.fire({ kind: 'create', name });
    return record;
  }

  /** Point `name` at `target`, creating the record or replacing its target and labels (as a re-pull or a retag does). */
  put(name: string, target: Descriptor, labels: Record<string, string> = {}): ImageRecord {
    const existing = this.records.get(name);
    if (!existing) return this.create(name, target, labels);
    this.checkTarget(target);
    const record: ImageRecord = { ...existing, target, labels: { ...labels }, updatedAt: this.clock.now() };
    this.records.set(name, record);
    this._onDidChange.fire({ kind: 'update', name });
    return record;
  }

  /** Remove the record (not its content: run the content store's GC for that); throws `image "<name>": not found`. */
  delete(name: string): void {
    if (!this.records.delete(name)) throw new ImageStoreError(`image "${name}": not found`, 'NotFound');
    this._onDidChange.fire({ kind: 'delete', name });
  }

  /** Resolve a record's target for this node's platform, reading manifest and config from content. */
  resolve(record: ImageRecord): ResolvedImage {
    let manifestDigest = record.target.digest;
    if (isIndexMediaType(record.target.mediaType)) {
      const index = this.readJson<Index>(record.target.digest);
      const chosen = index.manifests.find((m) => m.platform && platformMatches(m.platform, this.platform));
      if (!chosen) {
        throw new ImageStoreError(`no match for platform in manifest: not found (${formatPlatform(this.platform)})`, 'NotFound');
      }
      manifestDigest = chosen.digest;
    }
    const manifest = this.readJson<Manifest>(manifestDigest);
    return { manifestDigest, manifest, id: manifest.config.digest, config: this.readJson<ImageConfig>(manifest.config.digest) };
  }

  /** The unpacked size of a record's image, as `docker images` SIZE (its layers' sizes summed). */
  size(record: ImageRecord): number {
    return this.resolve(record).manifest.layers.reduce((sum, l) => sum + (this.content.layer(l.digest)?.size ?? 0), 0);
  }

  /**
   * The pulled size of a record's image, as containerd's images.Image.Size and the CRI report it: the
   * download sizes of the target, the platform's manifest, its config and its layers.
   */
  downloadSize(record: ImageRecord): number {
    const { manifestDigest, manifest } = this.resolve(record);
    const digests = new Set<Digest>([record.target.digest, manifestDigest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);
    let size = 0;
    for (const digest of digests) size += this.content.info(digest)?.downloadSize ?? 0;
    return size;
  }

  private checkTarget(target: Descriptor): void {
    if (!this.content.has(target.digest)) {
      throw new ImageStoreError(`content digest ${target.digest}: not found`, 'FailedPrecondition');
    }
  }

  private readJson<T>(digest: Digest): T {
    const value = this.content.json<T>(digest);
    if (value === undefined) throw new ImageStoreError(`content digest ${digest}: not found`, 'NotFound');
    return value;
  }
}
