/**
 * ContentStore — containerd's content store (content.Store plus its metadata GC): immutable blobs by
 * digest, shared by every namespace of one node (containerd's default "shared" policy: a blob pulled in
 * `k8s.io` is not downloaded again for `moby`).
 *
 * Writes are verified as containerd's writer commits them: the bytes must hash to the expected digest and
 * have the expected size, or the write fails with containerd's `failed precondition` text.
 *
 * Garbage collection is containerd's mark-and-sweep: the roots are every image record's target (each
 * ImageStore registers itself) and the blobs held by leases (a pull holds one until its image record
 * exists); from a root, an index marks its manifests and a manifest its config and layers (what containerd
 * records in `containerd.io/gc.ref.content.*` labels, read here from the blobs themselves); every unmarked
 * blob is deleted. GC runs when asked (`garbageCollect()`), as after `ctr images rm --sync` or `docker rmi`.
 */
import { deepFreeze } from '../../base/deepFreeze.ts';
import type { Clock } from '../../base/clock.ts';
import type { Disposable } from '../../base/emitter.ts';
import { sha256Digest, type Digest } from './digest.ts';
import type { Blob } from './image.ts';
import { Layer } from './layer.ts';
import { isIndexMediaType, isManifestMediaType } from './mediatype.ts';
import type { Index, Manifest } from './manifest.ts';

/** What the store knows about a blob (containerd's content.Info plus the media type it was written as). */
export interface ContentInfo {
  /** The blob's digest. */
  readonly digest: Digest;
  /** Its length in bytes. */
  readonly size: number;
  /** Bytes a pull transfers for it (see layer.ts). */
  readonly downloadSize: number;
  /** The media type it was written as. */
  readonly mediaType: string;
  /** Virtual time of the write, ms since the epoch. */
  readonly createdAt: number;
}

/** A failed write; `message` is containerd's. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
}

/** A set of blobs kept from GC while an operation (a pull) is under way. */
export interface Lease {
  /** The lease's name. */
  readonly id: string;
  /** Keep `digest` while the lease lives. */
  add(digest: Digest): void;
  /** End the lease; its blobs are collectable again. */
  release(): void;
}

interface Entry {
  info: ContentInfo;
  bytes: Uint8Array;
}

const utf8Decoder = new TextDecoder();

export class ContentStore {
  private readonly blobs = new Map<Digest, Entry>();
  /** JSON blobs already parsed, by digest. */
  private readonly parsed = new Map<Digest, unknown>();
  private readonly layers = new Map<Digest, Layer>();
  private readonly rootProviders = new Set<() => Iterable<Digest>>();
  private readonly leases = new Map<string, Set<Digest>>();

  constructor(private readonly clock: Clock) {}

  /** Whether the blob is present. */
  has(digest: Digest): boolean {
    return this.blobs.has(digest);
  }

  /** The blob's info, or undefined when absent. */
  info(digest: Digest): ContentInfo | undefined {
    return this.blobs.get(digest)?.info;
  }

  /** The blob's bytes, or undefined when absent. */
  get(digest: Digest): Uint8Array | undefined {
    return this.blobs.get(digest)?.bytes;
  }

  /** Every blob's info, by digest. */
  list(): ContentInfo[] {
    return [...this.blobs.values()].map((e) => e.info).sort((a, b) => (a.digest < b.digest ? -1 : 1));
  }

  /** Bytes stored, and bytes they stand for (download sizes), over all blobs. */
  usage(): { size: number; downloadSize: number } {
    let size = 0;
    let downloadSize = 0;
    for (const { info } of this.blobs.values()) {
      size += info.size;
      downloadSize += info.downloadSize;
    }
    return { size, downloadSize };
  }

  /**
   * Commit a blob after checking it hashes to `blob.digest` (and, when given, has `expectedSize` bytes).
   * Writing a blob already present is a no-op. Throws ContentError with containerd's text on a mismatch.
   */
  write(blob: Blob, options: { expectedSize?: number; lease?: Lease } = {}): ContentInfo {
    const existing = this.blobs.get(blob.digest);
    if (existing) {
      options.lease?.add(blob.digest);
      return existing.info;
    }
    if (options.expectedSize !== undefined && blob.bytes.length !== options.expectedSize) {
      throw new ContentError(`unexpected commit size ${blob.bytes.length}, expected ${options.expectedSize}: failed precondition`);
    }
    const actual = sha256Digest(blob.bytes);
    if (actual !== blob.digest) {
      throw new ContentError(`unexpected commit digest ${actual}, expected ${blob.digest}: failed precondition`);
    }
    const info: ContentInfo = {
      digest: blob.digest,
      size: blob.bytes.length,
      downloadSize: blob.downloadSize,
      mediaType: blob.mediaType,
      createdAt: this.clock.now(),
    };
    this.blobs.set(blob.digest, { info, bytes: blob.bytes });
    options.lease?.add(blob.digest);
    return info;
  }

  /** Remove a blob now (containerd's `content rm`); returns whether it was present. */
  delete(digest: Digest): boolean {
    this.layers.delete(digest);
    this.parsed.delete(digest);
    return this.blobs.delete(digest);
  }

  /** A layer blob parsed into its members (cached: content is immutable); undefined when absent. */
  layer(digest: Digest): Layer | undefined {
    let layer = this.layers.get(digest);
    if (!layer) {
      const entry = this.blobs.get(digest);
      if (!entry) return undefined;
      layer = Layer.fromBlob(entry.bytes, { downloadSize: entry.info.downloadSize });
      this.layers.set(digest, layer);
    }
    return layer;
  }

  /**
   * A JSON blob (manifest, index, config) parsed; undefined when absent. A blob never changes (its digest
   * is its content), so it is parsed once and the value, frozen, is shared by every caller.
   */
  json<T>(digest: Digest): T | undefined {
    const parsed = this.parsed.get(digest);
    if (parsed !== undefined) return parsed as T;
    const bytes = this.get(digest);
    if (!bytes) return undefined;
    const value = deepFreeze(JSON.parse(utf8Decoder.decode(bytes)) as T);
    this.parsed.set(digest, value);
    return value;
  }

  /** The blobs a manifest or index refers to (config and layers, or manifests); empty for other blobs. */
  children(digest: Digest): Digest[] {
    const info = this.info(digest);
    if (!info) return [];
    if (isIndexMediaType(info.mediaType)) return this.json<Index>(digest)!.manifests.map((m) => m.digest);
    if (isManifestMediaType(info.mediaType)) {
      const m = this.json<Manifest>(digest)!;
      return [m.config.digest, ...m.layers.map((l) => l.digest)];
    }
    return [];
  }

  /** Register a source of GC roots (an ImageStore's targets); dispose the returned handle to unregister. */
  addRoots(provider: () => Iterable<Digest>): Disposable {
    this.rootProviders.add(provider);
    return { dispose: () => this.rootProviders.delete(provider) };
  }

  /** Open a lease: blobs added to it survive GC until it is released. */
  lease(id: string): Lease {
    const held = new Set<Digest>();
    this.leases.set(id, held);
    return {
      id,
      add: (digest) => held.add(digest),
      release: () => this.leases.delete(id),
    };
  }

  /** Mark from the roots and sweep; returns the digests removed, sorted. */
  garbageCollect(): Digest[] {
    const marked = new Set<Digest>();
    const stack: Digest[] = [];
    for (const provider of this.rootProviders) stack.push(...provider());
    for (const held of this.leases.values()) stack.push(...held);
    while (stack.length > 0) {
      const digest = stack.pop()!;
      if (marked.has(digest)) continue;
      marked.add(digest);
      stack.push(...this.children(digest));
    }
    const removed = [...this.blobs.keys()].filter((d) => !marked.has(d)).sort();
    for (const digest of removed) this.delete(digest);
    return removed;
  }
}
