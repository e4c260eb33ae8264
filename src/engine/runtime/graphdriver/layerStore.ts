/**
 * LayerStore — moby's layer store (layer/layer_store.go) over the overlay2 driver: read-only layers by
 * chain ID, each backed by a driver layer with a random 64-hex cache ID, and containers' read-write
 * layers with their `-init` layer, kept as docker keeps them on disk:
 *
 *   /var/lib/docker/image/overlay2/layerdb/sha256/<chainID hex>/   0700
 *     diff       the layer's diff ID (`sha256:…`)
 *     size       the applied diff's size in bytes (the driver's directory size of `diff`)
 *     cache-id   the driver layer's id under /var/lib/docker/overlay2
 *     parent     the parent layer's chain ID (absent for a base layer)
 *   /var/lib/docker/image/overlay2/layerdb/mounts/<container id>/  0755
 *     mount-id   the container layer's driver id
 *     init-id    `<mount-id>-init`
 *     parent     the image's top chain ID
 *
 * Registering a layer whose chain ID is present returns the existing one (layers are shared by images).
 * `release` removes a layer nobody uses (no child layer, no container), as `docker rmi` does.
 *
 * Left out: tar-split.json.gz (the tar stream's byte layout, kept to re-export identical tarballs),
 * reference counting of concurrent users, foreign-layer descriptors, and migration from older layouts.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { chainIds, digestHex, type Digest } from '../image/digest.ts';
import type { Layer } from '../image/layer.ts';
import { removeAll } from '../snapshots/archive/removeAll.ts';
import { setupInitLayer } from './initLayer.ts';
import type { Overlay2 } from './overlay2.ts';

/** docker's layer database for the overlay2 driver. */
export const LAYERDB = '/var/lib/docker/image/overlay2/layerdb';

/** A registered image layer (layer.roLayer). */
export interface RoLayer {
  /** Its chain ID: its name in the layer database. */
  chainID: Digest;
  /** sha256 of its uncompressed tarball. */
  diffID: Digest;
  /** The layer below it. */
  parent?: Digest;
  /** Its driver layer id (64 hex). */
  cacheID: string;
  /** Bytes in its diff directory. */
  size: number;
}

/** A container's read-write layer (layer.mountedLayer). */
export interface RWLayer {
  /** The container's id. */
  name: string;
  /** The driver layer the container writes to. */
  mountID: string;
  /** The driver layer with docker's init files, between the image and the container. */
  initID: string;
  /** The image's top layer. */
  parent?: Digest;
}

/** How a LayerStore is made. */
export interface LayerStoreOptions {
  /** The node's file system calls, with root credentials. */
  vfs: Vfs;
  /** The graph driver. */
  driver: Overlay2;
  /** Draws cache IDs and mount IDs (stringid.GenerateRandomID). */
  rng: SeededRng;
  /** The layer database directory (default LAYERDB). */
  root?: string;
}

const HEX = '0123456789abcdef';

export class LayerStore {
  /** The layer database directory. */
  readonly root: string;
  private readonly vfs: Vfs;
  private readonly driver: Overlay2;
  private readonly rng: SeededRng;
  private readonly layers = new Map<Digest, RoLayer>();
  private readonly mounts = new Map<string, RWLayer>();

  constructor(options: LayerStoreOptions) {
    this.vfs = options.vfs;
    this.driver = options.driver;
    this.rng = options.rng;
    this.root = options.root ?? LAYERDB;
    this.vfs.mkdirAll(this.root, 0o700);
  }

  /** The layer with chain ID `chainID`, if registered. */
  get(chainID: Digest): RoLayer | undefined {
    return this.layers.get(chainID);
  }

  /** Every registered layer. */
  list(): RoLayer[] {
    return [...this.layers.values()];
  }

  /** Register `layer` on `parent`: create its driver layer, apply it, and write its layerdb entry. */
  register(layer: Layer, parent?: Digest): RoLayer {
    const p = parent === undefined ? undefined : this.layers.get(parent);
    if (parent !== undefined && !p) throw new Error(`layer does not exist: ${parent}`);
    const chainID = p ? chainIds([p.chainID, layer.diffId])[1]! : layer.diffId;
    const existing = this.layers.get(chainID);
    if (existing) return existing;
    const cacheID = this.rng.string(HEX, 64);
    this.driver.create(cacheID, p?.cacheID);
    const size = this.driver.applyDiff(cacheID, layer.entries);
    const ro: RoLayer = { chainID, diffID: layer.diffId, ...(p ? { parent: p.chainID } : {}), cacheID, size };
    const dir = `${this.root}/sha256/${digestHex(chainID)}`;
    this.vfs.mkdirAll(`${this.root}/sha256`, 0o755);
    this.vfs.mkdir(dir, 0o700);
    this.vfs.writeFile(`${dir}/diff`, ro.diffID, { mode: 0o644 });
    this.vfs.writeFile(`${dir}/size`, String(size), { mode: 0o644 });
    this.vfs.writeFile(`${dir}/cache-id`, cacheID, { mode: 0o644 });
    if (ro.parent) this.vfs.writeFile(`${dir}/parent`, ro.parent, { mode: 0o644 });
    this.layers.set(chainID, ro);
    return ro;
  }

  /** Register `layers` bottom first (an image pull), returning the top layer. */
  registerAll(layers: readonly Layer[]): RoLayer | undefined {
    let top: RoLayer | undefined;
    for (const layer of layers) top = this.register(layer, top?.chainID);
    return top;
  }

  /**
   * Remove `chainID` and then its parents, each only while no layer is its child and no container uses it;
   * returns the chain IDs removed (docker prints them as "Deleted: sha256:…").
   */
  release(chainID: Digest): Digest[] {
    const removed: Digest[] = [];
    for (let at: Digest | undefined = chainID; at !== undefined; ) {
      const layer = this.layers.get(at);
      if (!layer || this.inUse(at)) break;
      this.driver.remove(layer.cacheID);
      removeAll(this.vfs, `${this.root}/sha256/${digestHex(at)}`);
      this.layers.delete(at);
      removed.push(at);
      at = layer.parent;
    }
    return removed;
  }

  /** CreateRWLayer: a container's init layer (populated by setupInitLayer) and its writable layer on `parent`. */
  createRWLayer(name: string, parent?: Digest): RWLayer {
    if (this.mounts.has(name)) throw new Error('layer already exists');
    const p = parent === undefined ? undefined : this.layers.get(parent);
    if (parent !== undefined && !p) throw new Error(`layer does not exist: ${parent}`);
    const mountID = this.rng.string(HEX, 64);
    const initID = `${mountID}-init`;
    this.driver.createReadWrite(initID, p?.cacheID);
    setupInitLayer(this.vfs, this.driver.get(initID));
    this.driver.put(initID);
    this.driver.createReadWrite(mountID, initID);
    const rw: RWLayer = { name, mountID, initID, ...(p ? { parent: p.chainID } : {}) };
    const dir = `${this.root}/mounts/${name}`;
    this.vfs.mkdirAll(dir, 0o755);
    this.vfs.writeFile(`${dir}/mount-id`, mountID, { mode: 0o644 });
    this.vfs.writeFile(`${dir}/init-id`, initID, { mode: 0o644 });
    if (rw.parent) this.vfs.writeFile(`${dir}/parent`, rw.parent, { mode: 0o644 });
    this.mounts.set(name, rw);
    return rw;
  }

  /** The read-write layer of container `name`, if any. */
  getRWLayer(name: string): RWLayer | undefined {
    return this.mounts.get(name);
  }

  /** ReleaseRWLayer: remove a container's writable and init layers and its mounts entry. */
  releaseRWLayer(name: string): void {
    const rw = this.mounts.get(name);
    if (!rw) throw new Error('RWLayer not found');
    this.driver.remove(rw.mountID);
    this.driver.remove(rw.initID);
    removeAll(this.vfs, `${this.root}/mounts/${name}`);
    this.mounts.delete(name);
  }

  private inUse(chainID: Digest): boolean {
    for (const layer of this.layers.values()) if (layer.parent === chainID) return true;
    for (const rw of this.mounts.values()) if (rw.parent === chainID) return true;
    return false;
  }
}
