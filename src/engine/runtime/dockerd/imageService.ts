/**
 * ImageService — dockerd's image service with the overlay2 graph driver (moby daemon/images and
 * image/, not the containerd image store): images pulled by docker's distribution code into the
 * daemon's own content, their layers registered in the layer store, and the image database on disk as
 * Docker 27 keeps it:
 *
 *   /var/lib/docker/image/overlay2/imagedb/content/sha256/<id hex>            the image config (0600)
 *   /var/lib/docker/image/overlay2/imagedb/metadata/sha256/<id hex>/lastUpdated  the last tag time
 *   /var/lib/docker/image/overlay2/repositories.json                          {"Repositories":{repo:{ref:id}}}
 *
 * References are looked up as the daemon's GetImage does: a reference (`nginx` is
 * `docker.io/library/nginx:latest`), a full image ID, or an ID prefix. `docker rmi` follows
 * image/imageDelete.ts, then releases the layers no image or container uses. `commit` turns a container's
 * writable layer into a new layer on its image's, with a history entry.
 *
 * The classic builder's images (`buildStep`): each instruction's image has the previous one as its
 * Parent and keeps the container config it was made with (ContainerConfig, whose Cmd is the step's
 * `#(nop)` text or RUN command), which `getCache` compares to find a cached step, as moby's local image
 * cache does. A step that changed no file adds no layer and marks its history entry `empty_layer`.
 * Untagged images with children are intermediate: `list` hides them unless `all`. A tag moved to another
 * image leaves the old one dangling (`<none>`), and a layer is released only when no image uses it.
 *
 * Left out: push, save/load, import, tar-split, image prune filters and content trust; parents and
 * container configs live in memory, not in the image JSON (`parent`, `container_config`).
 */
import type { Clock } from '../../base/clock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { ContentStore } from '../image/contentStore.ts';
import { chainIds, digestHex, type Digest } from '../image/digest.ts';
import { familiarString, repositoryOf } from '../image/familiarString.ts';
import { Image } from '../image/image.ts';
import { imageDelete, ImageDeleteError, type ContainerUsingImage, type ImageDeleteResponseItem } from '../image/imageDelete.ts';
import type { ContainerConfig as ImageContainerConfig, History, ImageConfig } from '../image/imageConfig.ts';
import { ImageStore, type ImageRecord } from '../image/imageStore.ts';
import { Layer } from '../image/layer.ts';
import type { TarEntry } from '../image/tar.ts';
import type { LayerStore } from '../graphdriver/layerStore.ts';
import type { Overlay2 } from '../graphdriver/overlay2.ts';
import { normalizeImageReference, parseImageReference } from '../imageReference.ts';
import { dockerPullErrorMessage, type PullError } from '../registry/registryError.ts';
import { Puller, type JSONMessage } from '../registry/puller.ts';
import type { Registries } from '../registry/registry.ts';
import { rfc3339Nano } from '../runc/state.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { DaemonError } from './daemonError.ts';
import type { HistoryItem, ImageInspect, ImageSummary } from './engineApi.ts';

/** The image database's directory. */
export const IMAGE_ROOT = '/var/lib/docker/image/overlay2';

/** One image as the daemon knows it. */
export interface DockerImage {
  /** The image ID (config digest). */
  id: Digest;
  /** The config. */
  config: ImageConfig;
  /** Record names pointing at it (normalised references; `sha256:…` for an untagged image). */
  names: string[];
  /** The layers' chain IDs, bottom first. */
  chainIds: Digest[];
  /** The image's record, for sizes. */
  record: ImageRecord;
  /** The image commit made this one from. */
  parent?: Digest;
}

/** How an ImageService is made. */
export interface ImageServiceOptions {
  /** dockerd's file system calls (root). */
  vfs: Vfs;
  clock: Clock;
  registries: Registries;
  layers: LayerStore;
  driver: Overlay2;
}

export class ImageService {
  /** The daemon's content (what /var/lib/docker/image holds, addressed by digest). */
  readonly content: ContentStore;
  /** Image records by reference. */
  readonly store: ImageStore;
  private readonly vfs: Vfs;
  private readonly clock: Clock;
  private readonly puller: Puller;
  private readonly layers: LayerStore;
  private readonly driver: Overlay2;
  private readonly parents = new Map<Digest, Digest>();
  private readonly lastTagTime = new Map<Digest, number>();
  private readonly containerConfigs = new Map<Digest, ImageContainerConfig>();

  constructor(options: ImageServiceOptions) {
    this.vfs = options.vfs;
    this.clock = options.clock;
    this.layers = options.layers;
    this.driver = options.driver;
    this.content = new ContentStore(options.clock);
    this.store = new ImageStore('moby', this.content, options.clock);
    this.puller = new Puller(options.registries, options.clock);
    for (const dir of ['imagedb/content/sha256', 'imagedb/metadata/sha256']) this.vfs.mkdirAll(`${IMAGE_ROOT}/${dir}`, 0o700);
    this.writeRepositories();
  }

  /** Pull `ref`, streaming docker's progress; registers the layers and records the image. */
  async pull(ref: string, onProgress?: (message: JSONMessage) => void): Promise<{ reference: string; digest: string; upToDate: boolean }> {
    const reference = normalizeImageReference(ref);
    let result;
    try {
      result = await this.puller.pull(ref, { store: this.store, mode: 'docker', onProgress });
    } catch (error) {
      throw new DaemonError(dockerPullErrorMessage(reference, error as PullError), 404);
    }
    const image = this.get(reference);
    const { manifest } = this.store.resolve(image.record);
    this.layers.registerAll(manifest.layers.map((d) => this.content.layer(d.digest)!));
    this.imageAdded(image.id, !result.upToDate);
    return { reference: result.reference, digest: result.digest, upToDate: result.upToDate };
  }

  /** The image `refOrId` names (GetImage), or undefined. */
  find(refOrId: string): DockerImage | undefined {
    const images = this.all();
    if (!/^(sha256:)?[0-9a-f]{64}$/.test(refOrId)) {
      let name: string | undefined;
      try {
        name = normalizeImageReference(refOrId);
      } catch {
        name = undefined;
      }
      const byName = name === undefined ? undefined : images.find((i) => i.names.includes(name));
      if (byName) return byName;
    }
    if (/^(sha256:)?[0-9a-f]+$/.test(refOrId)) {
      const prefix = refOrId.replace(/^sha256:/, '');
      const matches = images.filter((i) => digestHex(i.id).startsWith(prefix));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** The image `refOrId` names; `No such image: x` (404). */
  get(refOrId: string): DockerImage {
    const image = this.find(refOrId);
    if (!image) throw new DaemonError(`No such image: ${this.shown(refOrId)}`, 404);
    return image;
  }

  /** Every image, by ID. */
  all(): DockerImage[] {
    const byId = new Map<Digest, DockerImage>();
    for (const record of this.store.list()) {
      const resolved = this.store.resolve(record);
      const existing = byId.get(resolved.id);
      if (existing) {
        existing.names.push(record.name);
        continue;
      }
      const parent = this.parents.get(resolved.id);
      byId.set(resolved.id, { id: resolved.id, config: resolved.config, names: [record.name], chainIds: chainIds(resolved.config.rootfs.diff_ids), record, ...(parent ? { parent } : {}) });
    }
    return [...byId.values()];
  }

  /** The image's size as docker counts it: its layers' sizes in the layer store. */
  size(image: DockerImage): number {
    return image.chainIds.reduce((sum, c) => sum + (this.layers.get(c)?.size ?? 0), 0);
  }

  /** `docker images` rows' data; untagged images with children (intermediate ones) only when `all`. */
  list(options: { all?: boolean } = {}): ImageSummary[] {
    const images = this.all();
    const hasChildren = new Set(images.map((i) => i.parent).filter((p) => p !== undefined));
    return images
      .filter((image) => options.all || !hasChildren.has(image.id) || image.names.some((n) => !n.startsWith('sha256:')))
      .map((image) => this.summary(image))
      .sort((a, b) => b.Created - a.Created || (a.Id < b.Id ? -1 : 1));
  }

  /** image.Summary of one image. */
  summary(image: DockerImage): ImageSummary {
    return {
      Containers: -1,
      Created: Math.floor(Date.parse(image.config.created ?? '1970-01-01T00:00:00Z') / 1000),
      Id: image.id,
      Labels: image.config.config.Labels ?? null,
      ParentId: image.parent ?? '',
      RepoDigests: image.names.filter((n) => n.includes('@')).map(familiarString),
      RepoTags: image.names.filter((n) => !n.includes('@') && !n.startsWith('sha256:')).map(familiarString),
      SharedSize: -1,
      Size: this.size(image),
    };
  }

  /** `docker image inspect`. */
  inspect(refOrId: string): ImageInspect {
    const image = this.get(refOrId);
    const c = image.config.config;
    const top = this.layers.get(image.chainIds.at(-1)!);
    const summary = this.summary(image);
    return {
      Id: image.id,
      RepoTags: summary.RepoTags,
      RepoDigests: summary.RepoDigests,
      Parent: image.parent ?? '',
      Comment: image.config.history?.at(-1)?.comment ?? '',
      Created: image.config.created ?? '0001-01-01T00:00:00Z',
      DockerVersion: image.parent ? DOCKER_VERSION : '',
      Author: image.config.history?.at(-1)?.author ?? '',
      Config: {
        Hostname: '',
        Domainname: '',
        User: c.User ?? '',
        AttachStdin: false,
        AttachStdout: false,
        AttachStderr: false,
        ...(c.ExposedPorts ? { ExposedPorts: c.ExposedPorts } : {}),
        Tty: false,
        OpenStdin: false,
        StdinOnce: false,
        Env: c.Env ?? null,
        Cmd: c.Cmd ?? null,
        Image: '',
        Volumes: c.Volumes ?? null,
        WorkingDir: c.WorkingDir ?? '',
        Entrypoint: c.Entrypoint ?? null,
        OnBuild: c.OnBuild ?? null,
        Labels: c.Labels ?? null,
        ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
      },
      Architecture: image.config.architecture,
      Os: image.config.os,
      Size: summary.Size,
      GraphDriver: { Data: top ? this.graphDriverData(top.cacheID) : {}, Name: 'overlay2' },
      RootFS: { Type: 'layers', Layers: [...image.config.rootfs.diff_ids] },
      Metadata: { LastTagTime: rfc3339Nano(this.lastTagTime.get(image.id) ?? 0).replace('1970-01-01T00:00:00Z', '0001-01-01T00:00:00Z') },
    };
  }

  /** GraphDriver.Data of an image layer (MergedDir, UpperDir, WorkDir, LowerDir when it has parents). */
  graphDriverData(cacheID: string): Record<string, string> {
    const d = this.driver.getMetadata(cacheID);
    return { ...(d.LowerDir ? { LowerDir: d.LowerDir } : {}), MergedDir: d.MergedDir, UpperDir: d.UpperDir, WorkDir: d.WorkDir };
  }

  /**
   * `docker history`: newest step first; each entry carries the ID and tags of the image at that step
   * while the Parent chain reaches it (a build's steps), `<missing>` below it (a pulled image's steps).
   */
  history(refOrId: string): HistoryItem[] {
    const image = this.get(refOrId);
    const history: History[] = image.config.history ?? [];
    let layerIndex = 0;
    const items: HistoryItem[] = history.map((h) => {
      let size = 0;
      if (!h.empty_layer) size = this.layers.get(image.chainIds[layerIndex++]!)?.size ?? 0;
      return { Comment: h.comment ?? '', Created: Math.floor(Date.parse(h.created ?? '1970-01-01T00:00:00Z') / 1000), CreatedBy: h.created_by ?? '', Id: '<missing>', Size: size, Tags: null };
    });
    items.reverse();
    let at: DockerImage | undefined = image;
    for (const item of items) {
      if (!at) break;
      item.Id = at.id;
      const tags = this.summary(at).RepoTags;
      item.Tags = tags.length > 0 ? tags : null;
      at = at.parent ? this.find(at.parent) : undefined;
    }
    return items;
  }

  /** `docker tag SOURCE TARGET`. */
  tag(source: string, target: string): void {
    const image = this.get(source);
    const ref = parseImageReference(target);
    if (ref.digest) throw new DaemonError('refusing to create a tag with a digest reference', 400);
    const name = `${ref.name}:${ref.tag}`;
    this.keepDangling(name, image.id);
    this.store.put(name, image.record.target);
    this.dropIdRecord(image.id);
    this.lastTagTime.set(image.id, this.clock.now());
    this.writeRepositories();
  }

  /** `docker rmi`: moby's rules (image/imageDelete.ts), then the freed layers released. */
  remove(refOrId: string, force: boolean, containers: readonly ContainerUsingImage[]): ImageDeleteResponseItem[] {
    const image = this.find(refOrId);
    let items: ImageDeleteResponseItem[];
    try {
      items = imageDelete(this.store, refOrId, { force, containers });
    } catch (error) {
      if (error instanceof ImageDeleteError) throw new DaemonError(error.message, error.statusCode);
      throw error;
    }
    if (image && items.some((i) => 'Deleted' in i && i.Deleted === image.id)) {
      const top = image.chainIds.at(-1);
      if (top && !this.all().some((i) => i.chainIds.at(-1) === top)) this.layers.release(top);
      this.containerConfigs.delete(image.id);
      removeAll(this.vfs, `${IMAGE_ROOT}/imagedb/content/sha256/${digestHex(image.id)}`);
      removeAll(this.vfs, `${IMAGE_ROOT}/imagedb/metadata/sha256/${digestHex(image.id)}`);
      this.parents.delete(image.id);
    }
    this.writeRepositories();
    return items;
  }

  /**
   * Commit: `entries` (a container's layer diff) as a new layer on `base`, an image config with `config`
   * and a history entry; recorded under `reference`, or by ID when none. Returns the new image ID.
   */
  commit(base: DockerImage, entries: ConstructorParameters<typeof Layer>[0], config: ImageContainerConfig, options: { reference?: string; comment?: string; author?: string; createdBy: string }): Digest {
    const { manifest } = this.store.resolve(base.record);
    const parentLayers = manifest.layers.map((d) => this.content.layer(d.digest)!);
    const layer = new Layer(entries);
    const created = rfc3339Nano(this.clock.now());
    const history: History[] = [
      ...(base.config.history ?? []),
      { created, created_by: options.createdBy, ...(options.author ? { author: options.author } : {}), ...(options.comment ? { comment: options.comment } : {}) },
    ];
    const image = new Image({ platform: this.store.platform, layers: [...parentLayers, layer], config, created, history });
    for (const blob of image.blobs()) this.content.write(blob);
    this.layers.register(layer, base.chainIds.at(-1));
    const target = { mediaType: image.manifest.mediaType, digest: image.manifestDigest, size: image.manifestBytes.length };
    if (options.reference) {
      const ref = parseImageReference(options.reference);
      this.store.put(`${ref.name}:${ref.tag ?? 'latest'}`, target);
    } else this.store.put(image.id, target);
    this.parents.set(image.id, base.id);
    this.imageAdded(image.id, true);
    return image.id;
  }

  /**
   * A classic-builder step's image (moby's CommitBuildStep / CreateImage): `entries` as a new layer on
   * `parent` (none or empty: no layer, history `empty_layer`), `config` as its execution defaults,
   * `containerConfig` kept for the cache, history `created_by` its Cmd joined. Recorded by ID; returns it.
   */
  buildStep(parent: DockerImage | undefined, entries: readonly TarEntry[] | undefined, config: ImageContainerConfig, containerConfig: ImageContainerConfig, author = ''): Digest {
    const parentLayers = parent ? this.store.resolve(parent.record).manifest.layers.map((d) => this.content.layer(d.digest)!) : [];
    const layer = entries && entries.length > 0 ? new Layer(entries) : undefined;
    const created = rfc3339Nano(this.clock.now());
    const history: History[] = [
      ...(parent?.config.history ?? []),
      { created, created_by: (containerConfig.Cmd ?? []).join(' '), ...(author ? { author } : {}), ...(layer ? {} : { empty_layer: true }) },
    ];
    const image = new Image({ platform: this.store.platform, layers: layer ? [...parentLayers, layer] : parentLayers, config, created, history });
    for (const blob of image.blobs()) this.content.write(blob);
    if (layer) this.layers.register(layer, parent?.chainIds.at(-1));
    const target = { mediaType: image.manifest.mediaType, digest: image.manifestDigest, size: image.manifestBytes.length };
    if (!this.find(image.id)) this.store.put(image.id, target);
    if (parent) this.parents.set(image.id, parent.id);
    this.containerConfigs.set(image.id, containerConfig);
    this.imageAdded(image.id, false);
    return image.id;
  }

  /**
   * The local build cache (moby's getLocalCachedImage): the newest image whose Parent is `parentId` (none
   * for scratch) and whose ContainerConfig matches `config` (Cmd, Env, Labels, ExposedPorts, Entrypoint,
   * Volumes, as moby's compare does).
   */
  getCache(parentId: Digest | undefined, config: ImageContainerConfig): Digest | undefined {
    let best: DockerImage | undefined;
    for (const image of this.all()) {
      if (image.parent !== parentId) continue;
      const cached = this.containerConfigs.get(image.id);
      if (!cached || !sameRunConfig(cached, config)) continue;
      if (!best || Date.parse(image.config.created ?? '') >= Date.parse(best.config.created ?? '')) best = image;
    }
    return best?.id;
  }

  /** Before `name` moves to `id`: the image it named keeps an ID record when it has no other name. */
  private keepDangling(name: string, id: Digest): void {
    const previous = this.store.get(name);
    if (!previous) return;
    const old = this.all().find((i) => i.names.includes(name));
    if (!old || old.id === id || old.names.length > 1) return;
    this.store.put(old.id, previous.target);
  }

  /** Remove the image-ID record of an image once a tag names it. */
  private dropIdRecord(id: Digest): void {
    if (this.store.get(id)) this.store.delete(id);
  }

  private imageAdded(id: Digest, tagged: boolean): void {
    const image = this.all().find((i) => i.id === id)!;
    const hex = digestHex(id);
    this.vfs.writeFile(`${IMAGE_ROOT}/imagedb/content/sha256/${hex}`, new TextDecoder().decode(this.configBytes(image)), { mode: 0o600 });
    if (tagged) {
      this.lastTagTime.set(id, this.clock.now());
      this.vfs.mkdirAll(`${IMAGE_ROOT}/imagedb/metadata/sha256/${hex}`, 0o700);
      this.vfs.writeFile(`${IMAGE_ROOT}/imagedb/metadata/sha256/${hex}/lastUpdated`, rfc3339Nano(this.clock.now()), { mode: 0o600 });
    }
    this.writeRepositories();
  }

  private configBytes(image: DockerImage): Uint8Array {
    return this.content.get(this.store.resolve(image.record).id) ?? new Uint8Array();
  }

  /** repositories.json: every reference by familiar repository. */
  private writeRepositories(): void {
    const repos: Record<string, Record<string, string>> = {};
    for (const record of this.store.list()) {
      if (record.name.startsWith('sha256:')) continue;
      const repo = familiarString(repositoryOf(record.name));
      (repos[repo] ??= {})[familiarString(record.name)] = this.store.resolve(record).id;
    }
    const sorted = Object.fromEntries(Object.keys(repos).sort().map((k) => [k, Object.fromEntries(Object.entries(repos[k]!).sort(([a], [b]) => (a < b ? -1 : 1)))]));
    this.vfs.writeFile(`${IMAGE_ROOT}/repositories.json`, JSON.stringify({ Repositories: sorted }), { mode: 0o600 });
  }

  /** How a reference is named in `No such image` (familiar, with its tag). */
  private shown(refOrId: string): string {
    if (/^(sha256:)?[0-9a-f]+$/.test(refOrId) && !refOrId.includes(':')) return refOrId;
    try {
      return familiarString(normalizeImageReference(refOrId));
    } catch {
      return refOrId;
    }
  }
}

/** The Docker Engine version this daemon is. */
export const DOCKER_VERSION = '27.3.1';

function sameRunConfig(a: ImageContainerConfig, b: ImageContainerConfig): boolean {
  const key = (c: ImageContainerConfig) => JSON.stringify([
    c.Cmd ?? [], c.Env ?? [], Object.entries(c.Labels ?? {}).sort(), Object.keys(c.ExposedPorts ?? {}).sort(), c.Entrypoint ?? [], Object.keys(c.Volumes ?? {}).sort(),
  ]);
  return key(a) === key(b);
}
