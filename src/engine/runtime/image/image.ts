/**
 * Image and ImageIndex — a built image as a registry holds it: layers, a config blob whose digest is the
 * image ID (docker shows its first 12 hex digits), a manifest naming both, and for multi-platform
 * references an index naming one manifest per platform. Manifests are OCI by default, or Docker's manifest
 * v2 schema 2 (with Docker media types for config and layers) for images pushed by older tooling.
 * Every byte form and digest is computed on first use and cached.
 */
import { sha256Digest, type Digest } from './digest.ts';
import { marshalImageConfig, type ContainerConfig, type History, type ImageConfig } from './imageConfig.ts';
import { marshalIndex, marshalManifest, type Descriptor, type Index, type Manifest, type Platform } from './manifest.ts';
import {
  MediaTypeDockerConfig,
  MediaTypeDockerLayerGzip,
  MediaTypeDockerManifest,
  MediaTypeDockerManifestList,
  MediaTypeImageConfig,
  MediaTypeImageIndex,
  MediaTypeImageLayerGzip,
  MediaTypeImageManifest,
} from './mediatype.ts';
import type { Layer } from './layer.ts';

/** OCI media types, or Docker's manifest v2 schema 2 family. */
export type ManifestFormat = 'oci' | 'docker';

/** What an image is made of. */
export interface ImageSpec {
  /** The platform its binaries are for. */
  platform: Platform;
  /** Its layers, bottom first. */
  layers: readonly Layer[];
  /** Execution defaults. */
  config: ContainerConfig;
  /** RFC 3339 creation time. */
  created?: string;
  /** One entry per build instruction; entries without `empty_layer` match `layers` in order. */
  history?: History[];
  /** Media type family (default `oci`). */
  format?: ManifestFormat;
}

/** Content a registry serves and a content store keeps. */
export interface Blob {
  /** sha256 of `bytes`. */
  digest: Digest;
  /** What the bytes are. */
  mediaType: string;
  /** The content. */
  bytes: Uint8Array;
  /** Bytes a pull transfers for it (larger than `bytes.length` for layers with sparse files). */
  downloadSize: number;
}

const utf8 = new TextEncoder();

export class Image {
  private _configBytes?: Uint8Array;
  private _configDigest?: Digest;
  private _manifestBytes?: Uint8Array;
  private _manifestDigest?: Digest;

  constructor(readonly spec: ImageSpec) {}

  /** The platform this image is for. */
  get platform(): Platform {
    return this.spec.platform;
  }

  /** Its layers, bottom first. */
  get layers(): readonly Layer[] {
    return this.spec.layers;
  }

  /** The config document, rootfs filled from the layers' diff IDs. */
  get config(): ImageConfig {
    const { platform, config, created, history } = this.spec;
    return {
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
      os: platform.os,
      ...(created ? { created } : {}),
      config,
      rootfs: { type: 'layers', diff_ids: this.spec.layers.map((l) => l.diffId) },
      ...(history ? { history } : {}),
    };
  }

  /** The config blob (see imageConfig.ts for the byte form). */
  get configBytes(): Uint8Array {
    return (this._configBytes ??= utf8.encode(marshalImageConfig(this.config)));
  }

  /** sha256 of the config blob. */
  get configDigest(): Digest {
    return (this._configDigest ??= sha256Digest(this.configBytes));
  }

  /** The image ID: the config digest. */
  get id(): Digest {
    return this.configDigest;
  }

  /** The manifest (its JSON document). */
  get manifest(): Manifest {
    const docker = this.spec.format === 'docker';
    return {
      schemaVersion: 2,
      mediaType: docker ? MediaTypeDockerManifest : MediaTypeImageManifest,
      config: { mediaType: docker ? MediaTypeDockerConfig : MediaTypeImageConfig, digest: this.configDigest, size: this.configBytes.length },
      layers: this.spec.layers.map((l) => l.descriptor(docker ? MediaTypeDockerLayerGzip : MediaTypeImageLayerGzip)),
    };
  }

  /** The manifest blob (see manifest.ts for the byte form). */
  get manifestBytes(): Uint8Array {
    return (this._manifestBytes ??= utf8.encode(marshalManifest(this.manifest)));
  }

  /** sha256 of the manifest blob: the digest a tag resolves to when the reference is single-platform. */
  get manifestDigest(): Digest {
    return (this._manifestDigest ??= sha256Digest(this.manifestBytes));
  }

  /** The manifest's descriptor, with its platform (as an index lists it). */
  get descriptor(): Descriptor {
    return { mediaType: this.manifest.mediaType, digest: this.manifestDigest, size: this.manifestBytes.length, platform: this.platform };
  }

  /** Unpacked size, as `docker images` SIZE: the layers' sizes summed. */
  get size(): number {
    return this.spec.layers.reduce((sum, l) => sum + l.size, 0);
  }

  /** Bytes a pull transfers: manifest, config and layers. */
  get downloadSize(): number {
    return this.spec.layers.reduce((sum, l) => sum + l.downloadSize, this.manifestBytes.length + this.configBytes.length);
  }

  /** The manifest, config and layer blobs. */
  blobs(): Blob[] {
    const m = this.manifest;
    return [
      { digest: this.manifestDigest, mediaType: m.mediaType, bytes: this.manifestBytes, downloadSize: this.manifestBytes.length },
      { digest: this.configDigest, mediaType: m.config.mediaType, bytes: this.configBytes, downloadSize: this.configBytes.length },
      ...this.spec.layers.map((l, i) => ({ digest: l.digest, mediaType: m.layers[i]!.mediaType, bytes: l.blob, downloadSize: l.downloadSize })),
    ];
  }
}

export class ImageIndex {
  private _bytes?: Uint8Array;
  private _digest?: Digest;

  /** An index over `images`, one per platform, in the order given. */
  constructor(
    readonly images: readonly Image[],
    readonly format: ManifestFormat = 'oci',
  ) {}

  /** The index (its JSON document). */
  get index(): Index {
    return {
      schemaVersion: 2,
      mediaType: this.format === 'docker' ? MediaTypeDockerManifestList : MediaTypeImageIndex,
      manifests: this.images.map((i) => i.descriptor),
    };
  }

  /** The index blob (see manifest.ts for the byte form). */
  get bytes(): Uint8Array {
    return (this._bytes ??= utf8.encode(marshalIndex(this.index)));
  }

  /** sha256 of the index blob: the digest a multi-platform tag resolves to (docker's `Digest:` line). */
  get digest(): Digest {
    return (this._digest ??= sha256Digest(this.bytes));
  }

  /** The index blob as content. */
  get blob(): Blob {
    return { digest: this.digest, mediaType: this.index.mediaType, bytes: this.bytes, downloadSize: this.bytes.length };
  }
}
