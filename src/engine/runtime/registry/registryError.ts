/**
 * Errors of the distribution (OCI) registry API, and the texts the clients print for them.
 *
 * Raw registry errors (`{"errors":[{"code","message"}]}` bodies) are RegistryError: MANIFEST_UNKNOWN
 * (404, "manifest unknown"), NAME_UNKNOWN (404, "repository name not known to registry"), BLOB_UNKNOWN
 * (404, "blob unknown to registry"), DENIED (401, "requested access to the resource is denied": what
 * Docker Hub answers for a repository that does not exist). A host with no registry is HostNotFoundError.
 *
 * What users see (the CLI layer prints these):
 * - docker (daemon message; the CLI prefixes `Error response from daemon: `):
 *   `pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`
 *   `manifest for nginx:nosuch not found: manifest unknown: manifest unknown`
 *   `repository registry.k8s.io/nosuch not found: name unknown: repository name not known to registry`
 *   `Get "https://nosuch.example/v2/": dial tcp: lookup nosuch.example: no such host`
 *   `no matching manifest for linux/arm64/v8 in the manifest list entries`
 * - containerd (CRI PullImage; the kubelet shows `rpc error: code = <grpcCode> desc = <message>`):
 *   `failed to pull and unpack image "docker.io/library/nginx:nosuch": failed to resolve reference "docker.io/library/nginx:nosuch": docker.io/library/nginx:nosuch: not found` (NotFound)
 *   `… failed to resolve reference "docker.io/library/nosuch:latest": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed` (Unknown)
 * The real resolver address in `lookup x on 10.0.0.10:53` is left out: an offline lab has none.
 */
import { familiarString, repositoryOf } from '../image/familiarString.ts';
import { formatPlatform, type Platform } from '../image/manifest.ts';

/** Registry API error codes (distribution registry/api/errcode and v2). */
export type RegistryErrorCode = 'MANIFEST_UNKNOWN' | 'NAME_UNKNOWN' | 'BLOB_UNKNOWN' | 'DENIED';

const MESSAGES: Record<RegistryErrorCode, [number, string]> = {
  MANIFEST_UNKNOWN: [404, 'manifest unknown'],
  NAME_UNKNOWN: [404, 'repository name not known to registry'],
  BLOB_UNKNOWN: [404, 'blob unknown to registry'],
  DENIED: [401, 'requested access to the resource is denied'],
};

/** An error a registry answered with. `message` is errcode.Error's form: `<code, lower case>: <message>`. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  /** HTTP status of the response. */
  readonly status: number;
  /** The `message` field of the error body. */
  readonly detail: string;

  constructor(readonly code: RegistryErrorCode) {
    const [status, detail] = MESSAGES[code];
    super(`${code.toLowerCase().replace(/_/g, ' ')}: ${detail}`);
    this.status = status;
    this.detail = detail;
  }
}

/** No registry answers at this host name. */
export class HostNotFoundError extends Error {
  override readonly name = 'HostNotFoundError';

  constructor(readonly host: string) {
    super(`dial tcp: lookup ${host}: no such host`);
  }
}

/** An index has no manifest for the wanted platform. */
export class PlatformNotFoundError extends Error {
  override readonly name = 'PlatformNotFoundError';

  constructor(readonly platform: Platform) {
    super(`no match for platform in manifest: not found`);
  }
}

/** Whatever a pull can fail with. */
export type PullError = RegistryError | HostNotFoundError | PlatformNotFoundError;

/** The daemon's message for a failed `docker pull` of `normalizedRef` (see the module comment). */
export function dockerPullErrorMessage(normalizedRef: string, error: PullError): string {
  const familiar = familiarString(normalizedRef);
  const name = familiarString(repositoryOf(normalizedRef));
  if (error instanceof HostNotFoundError) return `Get "https://${error.host}/v2/": ${error.message}`;
  if (error instanceof PlatformNotFoundError) return `no matching manifest for ${formatPlatform(error.platform)} in the manifest list entries`;
  switch (error.code) {
    case 'DENIED':
      return `pull access denied for ${name}, repository does not exist or may require 'docker login': ${error.message}`;
    case 'MANIFEST_UNKNOWN':
      return `manifest for ${familiar} not found: ${error.message}`;
    case 'NAME_UNKNOWN':
      return `repository ${name} not found: ${error.message}`;
    default:
      return error.message;
  }
}

/** containerd's CRI message and gRPC code for a failed PullImage of `normalizedRef` (see the module comment). */
export function containerdPullError(normalizedRef: string, error: PullError): { grpcCode: 'NotFound' | 'Unknown'; message: string } {
  const wrap = (cause: string) => `failed to pull and unpack image "${normalizedRef}": ${cause}`;
  if (error instanceof PlatformNotFoundError) {
    return { grpcCode: 'NotFound', message: wrap(`failed to resolve reference "${normalizedRef}": ${error.message}`) };
  }
  if (error instanceof HostNotFoundError) {
    return { grpcCode: 'Unknown', message: wrap(`failed to resolve reference "${normalizedRef}": failed to do request: Head "https://${error.host}/v2/": ${error.message}`) };
  }
  if (error.code === 'DENIED') {
    return {
      grpcCode: 'Unknown',
      message: wrap(
        `failed to resolve reference "${normalizedRef}": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`,
      ),
    };
  }
  return { grpcCode: 'NotFound', message: wrap(`failed to resolve reference "${normalizedRef}": ${normalizedRef}: not found`) };
}
