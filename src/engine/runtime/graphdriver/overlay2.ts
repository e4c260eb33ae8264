/**
 * Overlay2 — moby's overlay2 graph driver (daemon/graphdriver/overlay2) as Docker 27 runs it on a node:
 *
 *   /var/lib/docker/overlay2/                   0710
 *     l/<26-char id> -> ../<id>/diff            short links keep the mount data under a page
 *     <id>/diff/                                0755: the layer's content (upperdir when writable)
 *     <id>/link                                 its short id (0644)
 *     <id>/lower                                `l/AAA:l/BBB`, nearest parent first (0666; absent for a base)
 *     <id>/work/                                0700, only for layers with a parent
 *     <id>/committed                            an empty file once a layer has children: mounted read-only
 *     <id>/merged/                              0700, the overlay mount while the layer is in use
 *
 * `get` mounts `merged` with `index=off,lowerdir=/var/lib/docker/overlay2/l/…,upperdir=…/diff,workdir=…/work`
 * (a committed layer: `lowerdir=<diff>:<lowers>`), falling back to paths relative to the driver home,
 * mounted from there, when the data would not fit in a page; gets are counted and the last `put`
 * unmounts (MNT_DETACH) and removes `merged`. A layer without `lower` is not mounted: `get` gives `diff`.
 * IDs and short links are drawn from an injected SeededRng (docker uses crypto/rand).
 *
 * Left out: quotas (`--storage-opt size`), the naive diff (the native overlay diff is always used), id
 * mapping and SELinux mount labels, metacopy and the backing file system probes docker runs at start.
 */
import type { SeededRng } from '../../base/seededRng.ts';
import { KernelError } from '../../kernel/errno.ts';
import { directorySize } from '../../kernel/fs/directorySize.ts';
import { EXT4_SUPER_MAGIC, OVERLAYFS_SUPER_MAGIC, TMPFS_MAGIC } from '../../kernel/fs/superBlock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { TarEntry } from '../image/tar.ts';
import { apply, cleanPath } from '../snapshots/archive/apply.ts';
import { overlayChanges, type Change } from '../snapshots/archive/changes.ts';
import { diff } from '../snapshots/archive/diff.ts';
import { lstatIfExists, removeAll } from '../snapshots/archive/removeAll.ts';

/** The driver's home under docker's data root. */
export const OVERLAY2_HOME = '/var/lib/docker/overlay2';

/** Short link ids: 26 characters of base32 (overlayutils.GenerateID with idLength 26). */
const ID_LENGTH = 26;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** The mount data must fit in a page, less its terminating NUL. */
const PAGE_SIZE = 4096;
/** The deepest chain of lowers overlay2 accepts. */
const MAX_DEPTH = 128;

/** graphdriver.FsNames: what `docker info` calls a backing file system, by statfs magic. */
const FS_NAMES: Record<number, string> = { [EXT4_SUPER_MAGIC]: 'extfs', [TMPFS_MAGIC]: 'tmpfs', [OVERLAYFS_SUPER_MAGIC]: 'overlayfs' };

/** GraphDriver.Data of `docker inspect`. */
export interface GraphDriverData {
  /** The parents' diff directories, nearest first (absent for a base layer). */
  LowerDir?: string;
  /** Where the layer is mounted while in use. */
  MergedDir: string;
  /** The layer's own diff directory. */
  UpperDir: string;
  /** Its overlayfs workdir. */
  WorkDir: string;
}

/** How an Overlay2 driver is made. */
export interface Overlay2Options {
  /** The node's file system calls, with root credentials. */
  vfs: Vfs;
  /** Draws short link ids. */
  rng: SeededRng;
  /** The driver home (default OVERLAY2_HOME). */
  home?: string;
}

export class Overlay2 {
  /** The driver's name, as `docker info` prints it. */
  static readonly NAME = 'overlay2';
  /** The driver home. */
  readonly home: string;
  private readonly vfs: Vfs;
  private readonly rng: SeededRng;
  /** Active `get`s per merged directory (the driver's RefCounter). */
  private readonly counts = new Map<string, number>();

  /** Init: make the home and `l/` (0710), and refuse an overlay backing file system. */
  constructor(options: Overlay2Options) {
    this.vfs = options.vfs;
    this.rng = options.rng;
    this.home = options.home ?? OVERLAY2_HOME;
    this.vfs.mkdirAll(`${this.home}/l`, 0o710);
    if (this.backingFs(this.home) === 'overlayfs') throw new Error(`'overlay2' is not supported over overlayfs: backing file system is unsupported for this graph driver`);
  }

  /** The layer directory of `id`. */
  dir(id: string): string {
    return `${this.home}/${id}`;
  }

  /** Whether layer `id` exists. */
  exists(id: string): boolean {
    return lstatIfExists(this.vfs, this.dir(id)) !== undefined;
  }

  /** Create a read-only layer `id` on `parent` (an image layer). */
  create(id: string, parent?: string): void {
    this.createLayer(id, parent);
  }

  /** Create a writable layer `id` on `parent` (a container's layer, or its `-init` layer). */
  createReadWrite(id: string, parent?: string): void {
    this.createLayer(id, parent);
  }

  /** Mount layer `id` (if it has parents) and return where its file system is. */
  get(id: string): string {
    const dir = this.dir(id);
    this.vfs.stat(dir);
    const diffDir = `${dir}/diff`;
    const lowers = this.readIfExists(`${dir}/lower`);
    if (lowers === undefined) return diffDir;
    const merged = `${dir}/merged`;
    const count = (this.counts.get(merged) ?? 0) + 1;
    this.counts.set(merged, count);
    if (count > 1) return merged;
    const workDir = `${dir}/work`;
    const readonly = lstatIfExists(this.vfs, `${dir}/committed`) !== undefined;
    const absLowers = lowers.split(':').map((l) => `${this.home}/${l}`).join(':');
    let data = readonly ? `index=off,lowerdir=${diffDir}:${absLowers}` : `index=off,lowerdir=${absLowers},upperdir=${diffDir},workdir=${workDir}`;
    if (!lstatIfExists(this.vfs, merged)) this.vfs.mkdir(merged, 0o700);
    try {
      if (data.length <= PAGE_SIZE - 1) this.vfs.mount('overlay', merged, 'overlay', 0, data);
      else {
        data = readonly ? `index=off,lowerdir=${id}/diff:${lowers}` : `index=off,lowerdir=${lowers},upperdir=${id}/diff,workdir=${id}/work`;
        if (data.length > PAGE_SIZE - 1) throw new Error(`cannot mount layer, mount label too large ${data.length}`);
        const from = this.vfs.fork();
        from.chdir(this.home);
        from.mount('overlay', `${id}/merged`, 'overlay', 0, data);
      }
    } catch (error) {
      this.counts.delete(merged);
      if (error instanceof KernelError) throw new Error(`error creating overlay mount to ${dir}: ${error.describe.toLowerCase()}`, { cause: error });
      throw error;
    }
    return merged;
  }

  /** Release a `get`: the last one unmounts `merged` and removes the directory. */
  put(id: string): void {
    const dir = this.dir(id);
    this.vfs.stat(dir);
    const merged = `${dir}/merged`;
    const count = (this.counts.get(merged) ?? 0) - 1;
    if (count > 0) {
      this.counts.set(merged, count);
      return;
    }
    this.counts.delete(merged);
    if (this.readIfExists(`${dir}/lower`) === undefined) return;
    try {
      this.vfs.umount(merged, { detach: true });
    } catch (error) {
      if (!(error instanceof KernelError) || error.code !== 'EINVAL') throw error;
    }
    try {
      this.vfs.rmdir(merged);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
    }
  }

  /** Remove layer `id`: its short link, then its directory (unmounting `merged` first if needed). */
  remove(id: string): void {
    if (id === '') throw new Error('refusing to remove the directories: id is empty');
    const dir = this.dir(id);
    const link = this.readIfExists(`${dir}/link`);
    if (link) removeAll(this.vfs, `${this.home}/l/${link}`);
    if (this.counts.has(`${dir}/merged`)) {
      this.counts.delete(`${dir}/merged`);
      this.vfs.umount(`${dir}/merged`, { detach: true });
    }
    removeAll(this.vfs, dir);
  }

  /** ApplyDiff: unpack a layer's members into `diff` with overlay whiteouts; returns the diff's size. */
  applyDiff(id: string, entries: Iterable<TarEntry>): number {
    const diffDir = `${this.dir(id)}/diff`;
    apply(this.vfs, diffDir, entries, { whiteouts: 'overlay' });
    return directorySize(this.vfs, diffDir);
  }

  /** Diff: the layer's members (native overlay diff), for `docker commit` and `docker save`. */
  diff(id: string): TarEntry[] {
    return diff(this.vfs, `${this.dir(id)}/diff`);
  }

  /** Changes: what `docker diff` lists for layer `id` against its parents. */
  changes(id: string): Change[] {
    return overlayChanges(this.vfs, this.getLowerDirs(id), `${this.dir(id)}/diff`);
  }

  /** DiffSize: the bytes in the layer's `diff` (`docker ps -s` SIZE of a container's layer). */
  diffSize(id: string): number {
    return directorySize(this.vfs, `${this.dir(id)}/diff`);
  }

  /** GetMetadata: GraphDriver.Data of `docker inspect`. */
  getMetadata(id: string): GraphDriverData {
    const dir = this.dir(id);
    this.vfs.stat(dir);
    const lowers = this.getLowerDirs(id);
    return { ...(lowers.length > 0 ? { LowerDir: lowers.join(':') } : {}), MergedDir: `${dir}/merged`, UpperDir: `${dir}/diff`, WorkDir: `${dir}/work` };
  }

  /** The parents' diff directories, nearest first, found through the short links of `lower`. */
  getLowerDirs(id: string): string[] {
    const lowers = this.readIfExists(`${this.dir(id)}/lower`);
    if (lowers === undefined) return [];
    return lowers.split(':').map((l) => cleanPath(`${this.home}/l/${this.vfs.readlink(`${this.home}/${l}`)}`));
  }

  /** Status: the `docker info` lines under "Storage Driver: overlay2". */
  status(): Array<[string, string]> {
    return [
      ['Backing Filesystem', this.backingFs(this.home)],
      ['Supports d_type', 'true'],
      ['Using metacopy', 'false'],
      ['Native Overlay Diff', 'true'],
      ['userxattr', 'false'],
    ];
  }

  private createLayer(id: string, parent: string | undefined): void {
    const dir = this.dir(id);
    this.vfs.mkdirAll(this.home, 0o710);
    this.vfs.mkdir(dir, 0o710);
    this.vfs.mkdir(`${dir}/diff`, 0o755);
    const lid = this.rng.string(BASE32, ID_LENGTH);
    this.vfs.symlink(`../${id}/diff`, `${this.home}/l/${lid}`);
    this.writeExact(`${dir}/link`, lid, 0o644);
    if (!parent) return;
    this.vfs.mkdir(`${dir}/work`, 0o700);
    this.vfs.writeFile(`${this.dir(parent)}/committed`, '', { mode: 0o600 });
    const lower = this.getLower(parent);
    if (lower !== '') this.writeExact(`${dir}/lower`, lower, 0o666);
  }

  /** The `lower` value of a child of `parent`: the parent's link, then the parent's lowers. */
  private getLower(parent: string): string {
    const parentDir = this.dir(parent);
    this.vfs.lstat(parentDir);
    const lowers = [`l/${this.vfs.readFile(`${parentDir}/link`)}`];
    const parentLower = this.readIfExists(`${parentDir}/lower`);
    if (parentLower !== undefined) lowers.push(...parentLower.split(':'));
    if (lowers.length > MAX_DEPTH) throw new Error('max depth exceeded');
    return lowers.join(':');
  }

  /** ioutils.AtomicWriteFile: the content, then chmod to exactly `mode`. */
  private writeExact(path: string, data: string, mode: number): void {
    this.vfs.writeFile(path, data, { mode });
    this.vfs.chmod(path, mode);
  }

  private readIfExists(path: string): string | undefined {
    return lstatIfExists(this.vfs, path) ? this.vfs.readFile(path) : undefined;
  }

  private backingFs(path: string): string {
    return FS_NAMES[this.vfs.statfs(path).type] ?? '<unknown>';
  }
}
