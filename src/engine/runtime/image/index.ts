/**
 * OCI images as containerd and dockerd hold them (opencontainers/image-spec, containerd's content and
 * image stores, moby's image delete): layers as real pax tarballs (sparse binaries recorded with
 * `GNU.sparse.realsize`), whiteouts, deterministic gzip blobs and their digests, image configs, manifests
 * and indexes with the exact byte forms that are hashed, a node's content store with containerd's GC, a
 * namespaced image store, and docker's `rmi` rules and wording.
 * Left out: zstd and uncompressed layer media types, foreign layers, signatures and attestations, image
 * push, the classic builder's parent/child images.
 */
export { chainIds, digestHex, isDigest, sha256Digest, shortId, type Digest } from './digest.ts';
export { headerChecksum, isTarArchive, readTar, readTarMembers, TarError, tarName, writeTar, PAX_GNU_SPARSE_REALSIZE, type TarEntry, type TarEntryType, type TarMember } from './tar.ts';
export { opaqueWhiteoutEntry, parseWhiteout, whiteoutEntry, WhiteoutOpaqueDir, WhiteoutPrefix, type Whiteout } from './whiteouts.ts';
export { apparentSize, DEFAULT_COMPRESSION_RATIO, Layer, type LayerOptions } from './layer.ts';
export { marshal } from './marshal.ts';
export * from './mediatype.ts';
export { marshalImageConfig, type ContainerConfig, type HealthConfig, type History, type ImageConfig } from './imageConfig.ts';
export { formatPlatform, marshalIndex, marshalManifest, platformMatches, type Descriptor, type Index, type Manifest, type Platform } from './manifest.ts';
export { Image, ImageIndex, type Blob, type ImageSpec, type ManifestFormat } from './image.ts';
export { ContentError, ContentStore, type ContentInfo, type Lease } from './contentStore.ts';
export { DEFAULT_PLATFORM, ImageStore, ImageStoreError, type ImageRecord, type ImageStoreEvent, type ResolvedImage } from './imageStore.ts';
export { imageDelete, ImageDeleteError, type ContainerUsingImage, type ImageDeleteOptions, type ImageDeleteResponseItem } from './imageDelete.ts';
export { familiarString, repositoryOf } from './familiarString.ts';
