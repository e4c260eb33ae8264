/**
 * Layer — one image layer: an ordered list of tar members, its uncompressed tarball (whose sha256 is the
 * layer's diff ID, listed in the image config's rootfs), and the gzip blob a registry serves (whose sha256
 * is the digest in the manifest, and whose length is the descriptor's size).
 *
 * The gzip stream is deterministic: fflate at level 6 with mtime 0 and no file name in the header, so a
 * layer's digests depend on its members only, and images sharing a base share its blob.
 *
 * Sizes. Sparse binaries (see tar.ts) keep tarballs tiny, so three sizes are kept apart:
 * - `blobSize`: the real gzip length, the manifest descriptor's `size`;
 * - `size`: the unpacked size as docker reports a layer (regular files at their apparent size plus symlink
 *   target lengths, each hardlinked inode once, directories 0), summed into `docker images` SIZE;
 * - `downloadSize`: what the blob would weigh if sparse files were stored in full, taken as the real blob
 *   plus the missing bytes compressed at `compressionRatio` (default 0.4, typical of x86-64 binaries under
 *   gzip); a pull transfers this many bytes, and CRI reports the sum as the image size.
 * Computed values are cached on first use: building a Layer costs nothing until something asks.
 */
import { gunzipSync, gzipSync } from 'fflate';
import { sha256Digest, type Digest } from './digest.ts';
import { readTar, writeTar, type TarEntry } from './tar.ts';
import { MediaTypeImageLayerGzip } from './mediatype.ts';
import type { Descriptor } from './manifest.ts';

/** The default ratio of compressed to apparent bytes for the parts of sparse files not stored. */
export const DEFAULT_COMPRESSION_RATIO = 0.4;

/** How a Layer is made. */
export interface LayerOptions {
  /** Compressed/apparent ratio for the unstored bytes of sparse files (see the module comment). */
  compressionRatio?: number;
  /** The download size when it is known (a blob received from a registry carries it). */
  downloadSize?: number;
}

const utf8 = new TextEncoder();

export class Layer {
  private _tar?: Uint8Array;
  private _diffId?: Digest;
  private _blob?: Uint8Array;
  private _digest?: Digest;
  private _size?: number;
  private _downloadSize?: number;

  /** A layer of `entries`, in tar order (parents before children, as `tar` walks a tree). */
  constructor(
    readonly entries: readonly TarEntry[],
    private readonly options: LayerOptions = {},
  ) {
    this._downloadSize = options.downloadSize;
  }

  /** The layer a gzip blob holds, as a puller receives it; throws TarError on a malformed tarball. */
  static fromBlob(blob: Uint8Array, options: LayerOptions = {}): Layer {
    const tar = gunzipSync(blob);
    const layer = new Layer(readTar(tar), options);
    layer._tar = tar;
    layer._blob = blob;
    return layer;
  }

  /** The uncompressed tarball. */
  get tar(): Uint8Array {
    return (this._tar ??= writeTar(this.entries));
  }

  /** sha256 of the uncompressed tarball. */
  get diffId(): Digest {
    return (this._diffId ??= sha256Digest(this.tar));
  }

  /** The gzip blob (deterministic, see the module comment). */
  get blob(): Uint8Array {
    return (this._blob ??= gzipSync(this.tar, { level: 6, mtime: 0 }));
  }

  /** sha256 of the gzip blob: the layer's digest in a manifest. */
  get digest(): Digest {
    return (this._digest ??= sha256Digest(this.blob));
  }

  /** The gzip blob's length: the manifest descriptor's size. */
  get blobSize(): number {
    return this.blob.length;
  }

  /** The unpacked size as docker counts it (see the module comment). */
  get size(): number {
    if (this._size === undefined) {
      let size = 0;
      for (const e of this.entries) {
        if (e.type === 'file') size += apparentSize(e);
        else if (e.type === 'symlink') size += utf8.encode(e.linkname ?? '').length;
      }
      this._size = size;
    }
    return this._size;
  }

  /** The bytes a pull transfers for this layer (see the module comment). */
  get downloadSize(): number {
    if (this._downloadSize === undefined) {
      let missing = 0;
      for (const e of this.entries) if (e.type === 'file') missing += apparentSize(e) - storedSize(e);
      const ratio = this.options.compressionRatio ?? DEFAULT_COMPRESSION_RATIO;
      this._downloadSize = this.blobSize + Math.round(missing * ratio);
    }
    return this._downloadSize;
  }

  /** The layer's descriptor in a manifest (OCI or Docker layer media type). */
  descriptor(mediaType: string = MediaTypeImageLayerGzip): Descriptor {
    return { mediaType, digest: this.digest, size: this.blobSize };
  }
}

/** A file member's apparent size: its declared size, or its data's UTF-8 length. */
export function apparentSize(entry: TarEntry): number {
  return Math.max(entry.size ?? 0, storedSize(entry));
}

function storedSize(entry: TarEntry): number {
  return utf8.encode(entry.data ?? '').length;
}
