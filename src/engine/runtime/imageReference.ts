/**
 * Image references as containerd and the kubelet normalise them (github.com/distribution/reference
 * ParseNormalizedNamed + TagNameOnly): `nginx` is `docker.io/library/nginx:latest`, `bitnami/redis:7`
 * is `docker.io/bitnami/redis:7`, a name whose first part has a dot or colon (or is `localhost`) names
 * its own registry, and a reference with a digest keeps it (no tag added).
 */
export interface ImageReference {
  /** registry/repository, e.g. docker.io/library/nginx */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(ref: string): ImageReference {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split('/')[0]!;
  const hasRegistry = rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasRegistry ? rest : `docker.io/${rest}`;
  if (!hasRegistry && !rest.includes('/')) name = `docker.io/library/${rest}`;
  if (!digest && !tag) tag = 'latest';
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The normalised reference as the kubelet reports it in containerStatuses[].image. */
export function normalizeImageReference(ref: string): string {
  const r = parseImageReference(ref);
  return r.digest ? `${r.name}@${r.digest}` : `${r.name}:${r.tag}`;
}
