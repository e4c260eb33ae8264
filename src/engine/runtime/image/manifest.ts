/**
 * Manifests and indexes of the OCI image-spec (manifest.md, image-index.md, descriptor.md), which Docker's
 * manifest v2 schema 2 and manifest list share field for field. The bytes that are hashed are `marshal`'s
 * (Go encoding/json) with fields in the Go structs' order:
 * - descriptor: mediaType, digest, size, annotations, platform;
 * - platform: architecture, os, os.version, variant;
 * - manifest: schemaVersion, mediaType, config, layers, annotations;
 * - index: schemaVersion, mediaType, manifests, annotations.
 * Absent optional fields are omitted (Go's `omitempty`); map keys (annotations) are sorted.
 */
import { marshal, sortedMap } from './marshal.ts';
import type { Digest } from './digest.ts';

/** Where a manifest runs. */
export interface Platform {
  /** GOARCH: `amd64`, `arm64`. */
  architecture: string;
  /** GOOS: `linux`. */
  os: string;
  /** OS version (Windows only upstream). */
  'os.version'?: string;
  /** CPU variant: `v8` for arm64. */
  variant?: string;
}

/** A reference to content: what it is, its digest and its length in bytes. */
export interface Descriptor {
  /** The referenced content's media type. */
  mediaType: string;
  /** sha256 of the referenced bytes. */
  digest: Digest;
  /** Length of the referenced bytes. */
  size: number;
  /** Arbitrary metadata. */
  annotations?: Record<string, string>;
  /** In an index: the platform the manifest is for. */
  platform?: Platform;
}

/** A single-platform image: its config and layers, bottom first. */
export interface Manifest {
  /** Always 2. */
  schemaVersion: 2;
  /** The manifest's own media type. */
  mediaType: string;
  /** The image config blob. */
  config: Descriptor;
  /** The layer blobs, bottom first. */
  layers: Descriptor[];
  /** Arbitrary metadata. */
  annotations?: Record<string, string>;
}

/** A multi-platform image: one manifest per platform. */
export interface Index {
  /** Always 2. */
  schemaVersion: 2;
  /** The index's own media type. */
  mediaType: string;
  /** One descriptor (with platform) per manifest. */
  manifests: Descriptor[];
  /** Arbitrary metadata. */
  annotations?: Record<string, string>;
}

/** The byte form of a manifest (see the module comment). */
export function marshalManifest(manifest: Manifest): string {
  return marshal({
    schemaVersion: manifest.schemaVersion,
    mediaType: manifest.mediaType,
    config: orderDescriptor(manifest.config),
    layers: manifest.layers.map(orderDescriptor),
    ...(manifest.annotations ? { annotations: sortedMap(manifest.annotations) } : {}),
  });
}

/** The byte form of an index (see the module comment). */
export function marshalIndex(index: Index): string {
  return marshal({
    schemaVersion: index.schemaVersion,
    mediaType: index.mediaType,
    manifests: index.manifests.map(orderDescriptor),
    ...(index.annotations ? { annotations: sortedMap(index.annotations) } : {}),
  });
}

function orderDescriptor(d: Descriptor): Descriptor {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.annotations ? { annotations: sortedMap(d.annotations) } : {}),
    ...(d.platform ? { platform: orderPlatform(d.platform) } : {}),
  };
}

function orderPlatform(p: Platform): Platform {
  return {
    architecture: p.architecture,
    os: p.os,
    ...(p['os.version'] ? { 'os.version': p['os.version'] } : {}),
    ...(p.variant ? { variant: p.variant } : {}),
  };
}

/** Whether `candidate` (from an index) serves `wanted`: same os and architecture, and variant when both name one. */
export function platformMatches(candidate: Platform, wanted: Platform): boolean {
  if (candidate.os !== wanted.os || candidate.architecture !== wanted.architecture) return false;
  return !candidate.variant || !wanted.variant || candidate.variant === wanted.variant;
}

/** `os/arch[/variant]`, as containerd's platforms.Format and docker's error messages write a platform. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, ...(p.variant ? [p.variant] : [])].join('/');
}
