/**
 * Media types of the OCI image-spec (specs-go/v1/mediatype.go) and of Docker's image manifest v2,
 * schema 2 (distribution/manifest/schema2, manifestlist), named as upstream names them.
 */

/** OCI image manifest. */
export const MediaTypeImageManifest = 'application/vnd.oci.image.manifest.v1+json';
/** OCI image index (multi-platform). */
export const MediaTypeImageIndex = 'application/vnd.oci.image.index.v1+json';
/** OCI image config. */
export const MediaTypeImageConfig = 'application/vnd.oci.image.config.v1+json';
/** OCI layer, gzip-compressed tar. */
export const MediaTypeImageLayerGzip = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** Docker manifest v2 schema 2. */
export const MediaTypeDockerManifest = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker manifest list (multi-platform). */
export const MediaTypeDockerManifestList = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** Docker image config. */
export const MediaTypeDockerConfig = 'application/vnd.docker.container.image.v1+json';
/** Docker layer, gzip-compressed tar. */
export const MediaTypeDockerLayerGzip = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

/** Whether a media type names a single-platform manifest (OCI or Docker). */
export function isManifestMediaType(mediaType: string): boolean {
  return mediaType === MediaTypeImageManifest || mediaType === MediaTypeDockerManifest;
}

/** Whether a media type names a multi-platform index (OCI index or Docker manifest list). */
export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaTypeImageIndex || mediaType === MediaTypeDockerManifestList;
}
