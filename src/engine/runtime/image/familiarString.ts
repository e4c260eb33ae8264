/**
 * The short form docker prints for a normalised reference (distribution/reference FamiliarString):
 * `docker.io/library/nginx:1.27` is `nginx:1.27`, `docker.io/bitnami/redis:7` is `bitnami/redis:7`, and a
 * reference on any other registry is unchanged. It belongs beside parseImageReference in
 * ../imageReference.ts, which this piece may not edit.
 */
export function familiarString(normalized: string): string {
  if (normalized.startsWith('docker.io/library/')) return normalized.slice('docker.io/library/'.length);
  if (normalized.startsWith('docker.io/')) return normalized.slice('docker.io/'.length);
  return normalized;
}

/** The repository part of a normalised reference: the name without its tag or digest. */
export function repositoryOf(normalized: string): string {
  const at = normalized.indexOf('@');
  const withoutDigest = at >= 0 ? normalized.slice(0, at) : normalized;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}
