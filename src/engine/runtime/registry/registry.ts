/**
 * Registry — one registry host as the distribution API (OCI distribution-spec) serves it, read-only:
 * `GET /v2/<name>/manifests/<tag|digest>` (an index or a manifest, with its media type and digest),
 * `GET /v2/<name>/blobs/<digest>`, `GET /v2/<name>/tags/list` and `/v2/_catalog`. Repositories are data:
 * each tag is a factory run on first request (and cached), so a registry costs nothing until it is used.
 *
 * Registries maps host names to registries (`docker.io`, `registry.k8s.io`); a host it does not know
 * fails as a DNS lookup does. Docker Hub answers DENIED for a repository it does not have, other
 * registries NAME_UNKNOWN (see registryError.ts for what the clients print).
 */
import { ImageIndex, type Blob, type Image } from '../image/image.ts';
import { isDigest, type Digest } from '../image/digest.ts';
import { HostNotFoundError, RegistryError, type RegistryErrorCode } from './registryError.ts';

/** What a tag names: a multi-platform index or a single manifest. */
export type RepositoryContent = Image | ImageIndex;

/** A repository: its path on the host (`library/nginx`) and its tags. */
export interface RegistryRepository {
  /** The repository path, e.g. `library/nginx`, `coredns/coredns`. */
  path: string;
  /** Tag → a factory of what it names. Tags naming the same object share its digest. */
  tags: Readonly<Record<string, () => RepositoryContent>>;
}

/** A manifest response: the body, its media type (Content-Type) and digest (Docker-Content-Digest). */
export interface ManifestResponse {
  /** The manifest or index media type. */
  mediaType: string;
  /** sha256 of `bytes`. */
  digest: Digest;
  /** The body. */
  bytes: Uint8Array;
}

/** How a registry answers for repositories it does not have. */
export interface RegistryOptions {
  /** `DENIED` (Docker Hub) or `NAME_UNKNOWN` (default). */
  unknownRepository?: Extract<RegistryErrorCode, 'DENIED' | 'NAME_UNKNOWN'>;
}

interface Served {
  manifests: Map<Digest, ManifestResponse>;
  blobs: Map<Digest, Blob>;
  built: Map<string, RepositoryContent>;
}

export class Registry {
  private readonly repositories = new Map<string, RegistryRepository>();
  private readonly served = new Map<string, Served>();

  constructor(
    /** The host name, e.g. `docker.io`. */
    readonly host: string,
    repositories: Iterable<RegistryRepository>,
    private readonly options: RegistryOptions = {},
  ) {
    for (const r of repositories) this.repositories.set(r.path, r);
  }

  /** `/v2/_catalog`: repository paths, sorted. */
  catalog(): string[] {
    return [...this.repositories.keys()].sort();
  }

  /** `/v2/<name>/tags/list`: the repository's tags, sorted. */
  tags(path: string): string[] {
    return Object.keys(this.repository(path).tags).sort();
  }

  /** `GET /v2/<name>/manifests/<reference>`; throws RegistryError (MANIFEST_UNKNOWN, or the unknown-repository code). */
  getManifest(path: string, reference: string): ManifestResponse {
    const repo = this.repository(path);
    const served = this.servedOf(path);
    if (isDigest(reference)) {
      for (const tag of Object.keys(repo.tags)) this.build(repo, served, tag);
      const found = served.manifests.get(reference);
      if (!found) throw new RegistryError('MANIFEST_UNKNOWN');
      return found;
    }
    if (!Object.hasOwn(repo.tags, reference)) throw new RegistryError('MANIFEST_UNKNOWN');
    const content = this.build(repo, served, reference);
    const digest = content instanceof ImageIndex ? content.digest : content.manifestDigest;
    return served.manifests.get(digest)!;
  }

  /** `GET /v2/<name>/blobs/<digest>`; throws RegistryError (BLOB_UNKNOWN, or the unknown-repository code). */
  getBlob(path: string, digest: Digest): Blob {
    const repo = this.repository(path);
    const served = this.servedOf(path);
    let blob = served.blobs.get(digest);
    if (!blob) {
      for (const tag of Object.keys(repo.tags)) this.build(repo, served, tag);
      blob = served.blobs.get(digest);
    }
    if (!blob) throw new RegistryError('BLOB_UNKNOWN');
    return blob;
  }

  private repository(path: string): RegistryRepository {
    const repo = this.repositories.get(path);
    if (!repo) throw new RegistryError(this.options.unknownRepository ?? 'NAME_UNKNOWN');
    return repo;
  }

  private servedOf(path: string): Served {
    let served = this.served.get(path);
    if (!served) {
      served = { manifests: new Map(), blobs: new Map(), built: new Map() };
      this.served.set(path, served);
    }
    return served;
  }

  private build(repo: RegistryRepository, served: Served, tag: string): RepositoryContent {
    let content = served.built.get(tag);
    if (content) return content;
    content = repo.tags[tag]!();
    served.built.set(tag, content);
    const images = content instanceof ImageIndex ? content.images : [content];
    if (content instanceof ImageIndex) {
      served.manifests.set(content.digest, { mediaType: content.index.mediaType, digest: content.digest, bytes: content.bytes });
    }
    for (const image of images) {
      served.manifests.set(image.manifestDigest, { mediaType: image.manifest.mediaType, digest: image.manifestDigest, bytes: image.manifestBytes });
      for (const blob of image.blobs().slice(1)) served.blobs.set(blob.digest, blob);
    }
    return content;
  }
}

export class Registries {
  private readonly hosts = new Map<string, Registry>();

  /** A set of registries, one per host. */
  constructor(registries: Iterable<Registry>) {
    for (const r of registries) this.hosts.set(r.host, r);
  }

  /** The registry at `host`; throws HostNotFoundError for an unknown host. */
  get(host: string): Registry {
    const registry = this.hosts.get(host);
    if (!registry) throw new HostNotFoundError(host);
    return registry;
  }

  /** Every registry, by host. */
  list(): Registry[] {
    return [...this.hosts.values()];
  }
}
