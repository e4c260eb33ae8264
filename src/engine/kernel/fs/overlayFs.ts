/**
 * OverlayFs — fs/overlayfs as Documentation/filesystems/overlayfs.rst describes it: a merged view of
 * `lowerdir=` layers (colon-separated, leftmost on top) under an optional `upperdir` (with its `workdir`).
 *
 * - Lookup goes top-down: an upper entry hides lower ones; a whiteout (a 0/0 character device) hides the
 *   name in every layer below it; a directory with `trusted.overlay.opaque=y` hides the lower directories
 *   of the same name. Directories present in several layers merge; readdir merges and hides whiteouts.
 * - Copy-up: the first change to a lower object (open for write, truncate, chmod, chown, setxattr,
 *   utimes, link, rename) copies it — data, mode, owner, times, xattrs — and its parent directories to
 *   upperdir. Deleting a name a lower layer has leaves a whiteout; a directory created over a whiteout is
 *   made opaque. Renaming a lower or merged directory fails with EXDEV (no redirect_dir): `mv` copies.
 * - st_dev/st_ino: with every layer on one file system, st_dev is the overlay's and st_ino the real
 *   inode's (the lower one's for a copied-up file, as the origin xattr keeps it). Otherwise directories
 *   show the overlay's st_dev and an overlay inode number, other files their real st_dev and st_ino.
 * - Changes made directly in upperdir or a lowerdir show through (layer lookups are redone when a layer
 *   file system's namespace generation moves).
 *
 * Left out: redirect_dir, metacopy, index and nfs_export (their "on" values fail with EINVAL), xino, the
 * origin xattr's on-disk encoding (origins are remembered in memory for the mount's lifetime), volatile
 * and userxattr.
 */
import { KernelError } from '../errno.ts';
import {
  Inode,
  S_IFCHR,
  S_IFDIR,
  S_IFMT,
  isDir,
  isRegular,
  isSubdir,
  isSymlink,
  type CreateAttr,
  type DirEntry,
  type SetAttr,
  type Stat,
  type WriteRequest,
} from './inode.ts';
import type { PathRef } from './mountTable.ts';
import { ROOT_CRED } from './permission.ts';
import { OVERLAYFS_SUPER_MAGIC, SuperBlock, type StatFs } from './superBlock.ts';

/** The xattr marking an opaque directory, and the prefix of overlayfs's private xattrs. */
export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';
const PRIVATE_XATTR_PREFIX = 'trusted.overlay.';

/** Whether a stat is an overlay whiteout: a character device 0/0. */
export function isWhiteout(stat: Stat): boolean {
  return (stat.mode & S_IFMT) === S_IFCHR && stat.rdev === 0;
}

function isOpaque(inode: Inode): boolean {
  return inode.getxattr(OVERLAY_OPAQUE_XATTR) === 'y';
}

/** A layer directory given to overlayfs: where it is, and the path string the mount options named. */
export interface OverlayLayer extends PathRef {
  path: string;
}

/** What the mount syscall hands to overlayfs: a path resolver in the mounter's namespace, and the log. */
export interface OverlayMountRequest {
  /** The mount data: "lowerdir=/l1:/l2,upperdir=/u,workdir=/w". */
  data: string;
  dev: number;
  /** Resolve a path (following symlinks) as the mounter sees it; throws KernelError (ENOENT…). */
  resolve(path: string): PathRef;
  /** Kernel log lines ("overlayfs: missing 'lowerdir'"), for dmesg. */
  printk?(line: string): void;
}

/** Options accepted at their default value (and refused otherwise, as this emulation does not do them). */
const DEFAULT_ONLY: Record<string, string> = { redirect_dir: 'off', index: 'off', metacopy: 'off', nfs_export: 'off', xino: 'off' };

interface Resolution {
  upper: Inode | undefined;
  /** Directories: every lower directory merged, top first. Others: the origin (top lower) if any. */
  lowers: Inode[];
}

export class OverlayFs extends SuperBlock {
  /** The root of the merged view. */
  readonly root: OverlayInode;
  /** Every layer on one file system (the "samefs" case). */
  readonly samefs: boolean;
  /** Upper inodes copied up from a lower one, and that origin. */
  readonly origins = new WeakMap<Inode, Inode>();
  private readonly layerSbs: SuperBlock[];
  private nextIno = 1;

  /**
   * An overlay of `lower` (top first) under `upper`. Use `OverlayFs.mount` to do what the mount syscall
   * does (parse and check the options, prepare workdir).
   */
  constructor(
    dev: number,
    readonly lower: OverlayLayer[],
    readonly upper: OverlayLayer | undefined,
    readonly work: OverlayLayer | undefined,
  ) {
    super('overlay', dev);
    this.readOnly = upper === undefined;
    this.layerSbs = [...new Set([upper, ...lower].flatMap((layer) => (layer ? [layer.inode.sb] : [])))];
    this.samefs = this.layerSbs.length === 1;
    this.root = new OverlayInode(this, undefined, '', { upper: upper?.inode, lowers: lower.map((l) => l.inode) });
  }

  /**
   * mount -t overlay: parse `lowerdir=`, `upperdir=`, `workdir=`, resolve and check them with the
   * kernel's errors, and create workdir/work. EINVAL: no lowerdir, upperdir without workdir, one lowerdir
   * without upperdir, workdir on another mount than upperdir or overlapping it, upperdir on a read-only
   * mount, an unknown option; ENOENT: a layer that does not exist; ENOTDIR: a layer that is not a directory.
   */
  static mount(request: OverlayMountRequest): OverlayFs {
    const fail = (code: 'EINVAL' | 'ENOENT' | 'ENOTDIR', line: string): never => {
      request.printk?.(`overlayfs: ${line}`);
      throw new KernelError(code);
    };
    const options = new Map<string, string>();
    for (const option of splitOptions(request.data)) {
      const eq = option.indexOf('=');
      const key = eq < 0 ? option : option.slice(0, eq);
      const value = eq < 0 ? '' : option.slice(eq + 1);
      if (key === 'rw' || key === 'ro' || key === '') continue;
      if (key === 'lowerdir' || key === 'upperdir' || key === 'workdir') options.set(key, value);
      else if (DEFAULT_ONLY[key] === value) continue;
      else fail('EINVAL', `unrecognized mount option "${option}" or missing value`);
    }
    const lowerSpec = options.get('lowerdir');
    if (!lowerSpec) return fail('EINVAL', "missing 'lowerdir'");
    const layer = (path: string): OverlayLayer => {
      let ref: PathRef;
      try {
        ref = request.resolve(path);
      } catch (error) {
        if (error instanceof KernelError) fail(error.code === 'ENOTDIR' ? 'ENOTDIR' : 'ENOENT', `failed to resolve '${path}': -${error.errno}`);
        throw error;
      }
      if (!isDir(ref.inode.getattr().mode)) fail('ENOTDIR', `'${path}' not a directory`);
      return { ...ref, path };
    };
    const lower = lowerSpec.split(/(?<!\\):/).map((path) => layer(path.replace(/\\:/g, ':')));
    const upperPath = options.get('upperdir');
    let upper: OverlayLayer | undefined;
    let work: OverlayLayer | undefined;
    if (upperPath !== undefined) {
      upper = layer(upperPath);
      if (upper.mount.readOnly) fail('EINVAL', 'upper fs is r/o, try multi-lower layers mount');
      const workPath = options.get('workdir');
      if (workPath === undefined) return fail('EINVAL', "missing 'workdir'");
      work = layer(workPath);
      if (work.mount !== upper.mount) fail('EINVAL', 'workdir and upperdir must reside under the same mount');
      if (isSubdir(work.inode, upper.inode) || isSubdir(upper.inode, work.inode)) fail('EINVAL', 'workdir and upperdir must be separate subtrees');
    } else if (lower.length === 1) fail('EINVAL', 'at least 2 lowerdir are needed while upperdir nonexistent');
    if (work) {
      const old = work.inode.lookup('work');
      if (old) removeTree(work.inode, 'work', old);
      work.inode.create('work', { mode: S_IFDIR, uid: 0, gid: 0 });
    }
    return new OverlayFs(request.dev, lower, upper, work);
  }

  /** The sum of the layers' generations: it moves whenever any layer's namespace changes. */
  get generation(): number {
    let sum = 0;
    for (const sb of this.layerSbs) sum += sb.generation;
    return sum;
  }

  statfs(): StatFs {
    const top = this.upper ?? this.lower[0]!;
    return { ...top.inode.sb.statfs(), type: OVERLAYFS_SUPER_MAGIC };
  }

  override showOptions(): string {
    const parts = [`lowerdir=${this.lower.map((l) => l.path.replace(/:/g, '\\:')).join(':')}`];
    if (this.upper) parts.push(`upperdir=${this.upper.path}`);
    if (this.work) parts.push(`workdir=${this.work.path}`);
    return parts.join(',');
  }

  /** A new overlay inode number (directories when the layers are on several file systems). */
  allocIno(): number {
    return this.nextIno++;
  }
}

function splitOptions(data: string): string[] {
  return data === '' ? [] : data.split(',');
}

/** Remove `name` (an entry of `dir`) and everything under it. */
function removeTree(dir: Inode, name: string, inode: Inode): void {
  if (isDir(inode.getattr().mode)) {
    for (const entry of inode.readdir()) removeTree(inode, entry.name, inode.lookup(entry.name)!);
    dir.rmdir(name);
  } else dir.unlink(name);
}

/** An object of the merged view: its place (parent and name) and the real inodes it shows. */
export class OverlayInode extends Inode {
  /** The object in upperdir, once there (created or copied up). */
  upper: Inode | undefined;
  /** Directories: the lower directories merged, top first; others: the lower object shown or copied from. */
  lowers: Inode[];
  private generation: number;
  private ino = 0;
  private readonly children = new Map<string, OverlayInode>();
  /** The parent directory (the root is its own). */
  parent: OverlayInode;

  /** The object called `name` in `parent` (the root has none), showing the layers of `resolution`. */
  constructor(
    readonly sb: OverlayFs,
    parent: OverlayInode | undefined,
    /** The name in the parent. */
    public name: string,
    resolution: Resolution,
  ) {
    super();
    this.parent = parent ?? this;
    this.upper = resolution.upper;
    this.lowers = resolution.lowers;
    this.generation = sb.generation;
  }

  /** The inode reads go to: upper if copied up, else the top lower. */
  get real(): Inode {
    this.refresh();
    return (this.upper ?? this.lowers[0])!;
  }

  /** The identity of this object across lookups: its origin in a lower layer, or its upper inode. */
  get key(): Inode {
    return (this.lowers[0] ?? this.upper)!;
  }

  getattr(): Stat {
    const real = this.real;
    const stat = real.getattr();
    const dir = isDir(stat.mode);
    if (dir && this.upper && this.lowers.length > 0) stat.nlink = 1;
    else if (dir && this.lowers.length > 1) stat.nlink = 1;
    if (this.sb.samefs) {
      stat.dev = this.sb.dev;
      stat.ino = (this.parent === this ? real : this.key).getattr().ino;
    } else if (dir) {
      stat.dev = this.sb.dev;
      if (!this.ino) this.ino = this.sb.allocIno();
      stat.ino = this.ino;
    }
    return stat;
  }

  setattr(attr: SetAttr): void {
    this.copyUp();
    this.upper!.setattr(attr);
  }

  override touchAtime(): void {
    this.refresh();
    this.upper?.touchAtime();
  }

  override open(write: boolean): void {
    if (write) this.copyUp();
  }

  override read(): string {
    return this.real.read();
  }

  override write(request: WriteRequest): void {
    this.copyUp();
    this.upper!.write(request);
  }

  override readlink(): string {
    return this.real.readlink();
  }

  override lookup(name: string): Inode | undefined {
    this.refresh();
    const found = this.resolveChild(name);
    const cached = this.children.get(name);
    if (!found) {
      this.children.delete(name);
      return undefined;
    }
    if (cached && cached.key === (found.lowers[0] ?? found.upper)) {
      cached.upper = found.upper;
      cached.lowers = found.lowers;
      cached.generation = this.sb.generation;
      return cached;
    }
    const child = new OverlayInode(this.sb, this, name, found);
    this.children.set(name, child);
    return child;
  }

  override readdir(): DirEntry[] {
    this.refresh();
    const seen = new Set<string>();
    const entries: DirEntry[] = [];
    for (const layer of this.upper ? [this.upper, ...this.lowers] : this.lowers) {
      for (const entry of layer.readdir()) {
        if (seen.has(entry.name)) continue;
        seen.add(entry.name);
        const child = this.lookup(entry.name);
        if (child) entries.push({ name: entry.name, ino: child.getattr().ino, type: entry.type });
      }
    }
    return entries;
  }

  override parentDir(): Inode {
    return this.parent;
  }

  override dirName(): string {
    return this.name;
  }

  override create(name: string, attr: CreateAttr): Inode {
    const overWhiteout = this.prepareName(name);
    const inode = this.upper!.create(name, attr);
    if (overWhiteout && isDir(attr.mode)) inode.setxattr(OVERLAY_OPAQUE_XATTR, 'y');
    return this.lookup(name)!;
  }

  override symlink(name: string, target: string, attr: CreateAttr): Inode {
    this.prepareName(name);
    this.upper!.symlink(name, target, attr);
    return this.lookup(name)!;
  }

  override link(name: string, inode: Inode): void {
    const target = inode as OverlayInode;
    target.copyUp();
    this.prepareName(name);
    this.upper!.link(name, target.upper!);
  }

  override unlink(name: string): void {
    this.lookup(name);
    this.remove(name, false);
  }

  override rmdir(name: string): void {
    const child = this.lookup(name) as OverlayInode | undefined;
    if (!child) throw new KernelError('ENOENT');
    if (child.readdir().length > 0) throw new KernelError('ENOTEMPTY');
    if (child.upper) clearWhiteouts(child.upper);
    this.remove(name, true);
  }

  override rename(name: string, newDir: Inode, newName: string): void {
    const to = newDir as OverlayInode;
    const child = this.lookup(name) as OverlayInode | undefined;
    if (!child) throw new KernelError('ENOENT');
    const dir = isDir(child.real.getattr().mode);
    if (dir && child.lowers.length > 0) throw new KernelError('EXDEV');
    const existing = to.lookup(newName) as OverlayInode | undefined;
    if (existing === child) return;
    if (existing && isDir(existing.real.getattr().mode)) {
      if (existing.readdir().length > 0) throw new KernelError('ENOTEMPTY');
      if (existing.upper) clearWhiteouts(existing.upper);
    }
    child.copyUp();
    to.copyUp();
    const whiteoutOld = this.lowerHas(name);
    const opaqueNew = dir && to.lowerHas(newName);
    this.upper!.rename(name, to.upper!, newName);
    if (whiteoutOld) this.upper!.create(name, { mode: S_IFCHR, uid: 0, gid: 0, rdev: 0 });
    if (opaqueNew) child.upper!.setxattr(OVERLAY_OPAQUE_XATTR, 'y');
    this.children.delete(name);
    to.children.delete(newName);
    if (dir) {
      child.parent = to;
      child.name = newName;
      to.children.set(newName, child);
    }
  }

  override getxattr(name: string): string | undefined {
    return name.startsWith(PRIVATE_XATTR_PREFIX) ? undefined : this.real.getxattr(name);
  }

  override setxattr(name: string, value: string, flag?: 'create' | 'replace'): void {
    if (name.startsWith(PRIVATE_XATTR_PREFIX)) throw new KernelError('EOPNOTSUPP');
    this.copyUp();
    this.upper!.setxattr(name, value, flag);
  }

  override listxattr(): string[] {
    return this.real.listxattr().filter((name) => !name.startsWith(PRIVATE_XATTR_PREFIX));
  }

  override removexattr(name: string): void {
    if (name.startsWith(PRIVATE_XATTR_PREFIX)) throw new KernelError('ENODATA');
    this.copyUp();
    this.upper!.removexattr(name);
  }

  /** Copy this object (and its parents) up to upperdir, if it is not there yet; EROFS without upperdir. */
  copyUp(): void {
    this.refresh();
    if (this.upper) return;
    if (!this.sb.upper) throw new KernelError('EROFS');
    this.parent.copyUp();
    const lower = this.lowers[0]!;
    const stat = lower.getattr();
    const dir = this.parent.upper!;
    const parentStat = dir.getattr();
    const attr: CreateAttr = { mode: stat.mode, uid: stat.uid, gid: stat.gid, rdev: stat.rdev };
    const upper = isSymlink(stat.mode) ? dir.symlink(this.name, lower.readlink(), attr) : dir.create(this.name, attr);
    if (isRegular(stat.mode)) upper.write({ data: lower.read(), append: false, cred: ROOT_CRED, apparentSize: stat.size });
    for (const xattr of lower.listxattr()) {
      if (!xattr.startsWith(PRIVATE_XATTR_PREFIX)) upper.setxattr(xattr, lower.getxattr(xattr)!);
    }
    if (!isSymlink(stat.mode)) upper.setattr({ mode: stat.mode, uid: stat.uid, gid: stat.gid, atimeMs: stat.atimeMs, mtimeMs: stat.mtimeMs });
    if (!isDir(stat.mode)) this.sb.origins.set(upper, lower);
    dir.setattr({ atimeMs: parentStat.atimeMs, mtimeMs: parentStat.mtimeMs });
    this.upper = upper;
    this.generation = this.sb.generation;
  }

  /** Redo this object's layer lookups if a layer changed since they were made. */
  private refresh(): void {
    const generation = this.sb.generation;
    if (this.generation === generation) return;
    this.generation = generation;
    if (this.parent === this) return;
    this.parent.refresh();
    const found = this.parent.resolveChild(this.name);
    if (found && (found.lowers[0] ?? found.upper) === this.key) {
      this.upper = found.upper;
      this.lowers = found.lowers;
    }
  }

  /** Look `name` up through the layers of this (fresh) directory. */
  private resolveChild(name: string): Resolution | undefined {
    let upper: Inode | undefined;
    if (this.upper) {
      const found = this.upper.lookup(name);
      if (found) {
        const stat = found.getattr();
        if (isWhiteout(stat)) return undefined;
        if (!isDir(stat.mode)) {
          const origin = this.sb.origins.get(found);
          return { upper: found, lowers: origin ? [origin] : [] };
        }
        upper = found;
        if (isOpaque(found)) return { upper, lowers: [] };
      }
    }
    const lowers: Inode[] = [];
    for (const dir of this.lowers) {
      const found = dir.lookup(name);
      if (!found) continue;
      const stat = found.getattr();
      if (isWhiteout(stat)) break;
      if (!isDir(stat.mode)) {
        if (!upper && lowers.length === 0) lowers.push(found);
        break;
      }
      lowers.push(found);
      if (isOpaque(found)) break;
    }
    if (!upper && lowers.length === 0) return undefined;
    return { upper, lowers };
  }

  /** Whether a lower layer of this directory shows `name` (so deleting it needs a whiteout). */
  private lowerHas(name: string): boolean {
    this.refresh();
    for (const dir of this.lowers) {
      const found = dir.lookup(name);
      if (found) return !isWhiteout(found.getattr());
    }
    return false;
  }

  /** Copy this directory up and clear a whiteout at `name`; returns whether there was one. */
  private prepareName(name: string): boolean {
    this.copyUp();
    const old = this.upper!.lookup(name);
    if (!old) return false;
    this.upper!.unlink(name);
    this.children.delete(name);
    return true;
  }

  private remove(name: string, dir: boolean): void {
    this.copyUp();
    const whiteout = this.lowerHas(name);
    if (this.upper!.lookup(name)) {
      if (dir) this.upper!.rmdir(name);
      else this.upper!.unlink(name);
    }
    if (whiteout) this.upper!.create(name, { mode: S_IFCHR, uid: 0, gid: 0, rdev: 0 });
    this.children.delete(name);
  }
}

/** Remove the whiteouts of an upper directory about to be removed or replaced. */
function clearWhiteouts(dir: Inode): void {
  for (const entry of dir.readdir()) {
    const inode = dir.lookup(entry.name);
    if (inode && isWhiteout(inode.getattr())) dir.unlink(entry.name);
  }
}
