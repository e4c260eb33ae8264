/**
 * Tmpfs — the in-memory file system of mm/shmem.c: every inode and every byte lives in memory, limited by
 * `size=` (pages) and `nr_inodes=`. Writes past the limit fail with ENOSPC, all or nothing (the kernel
 * writes what fits, then fails). Inode numbers count up from 1 (the root); a directory's size grows by
 * BOGO_DIRENT_SIZE (20) per entry as in shmem. `Ext4` (ext4.ts) reuses it as a node's disk.
 *
 * Options (mount -o): size= (bytes with k/m/g/t suffix, or N% of RAM), nr_inodes=, mode=, uid=, gid=.
 */
import type { Clock } from '../../base/clock.ts';
import { KernelError } from '../errno.ts';
import {
  Inode,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  direntType,
  isDir,
  type CreateAttr,
  type DirEntry,
  type SetAttr,
  type Stat,
  type WriteRequest,
} from './inode.ts';
import { NAME_MAX, SuperBlock, TMPFS_MAGIC, type StatFs } from './superBlock.ts';

const PAGE_SIZE = 4096;
const BOGO_DIRENT_SIZE = 20;
/** RAM assumed when the mounter says nothing: the default size is half of it, as shmem does. */
const DEFAULT_RAM_BYTES = 4 * 1024 ** 3;

/** The options a tmpfs is created with. */
export interface TmpfsOptions {
  clock: Pick<Clock, 'now'>;
  /** st_dev of its inodes. */
  dev: number;
  /** size=: the byte limit (rounded up to pages); default half of `ramBytes`. */
  sizeBytes?: number;
  /** nr_inodes=: the inode limit; default half of RAM's pages. */
  nrInodes?: number;
  /** mode= of the root directory; default 01777. */
  mode?: number;
  uid?: number;
  gid?: number;
  /** The host's RAM, for the defaults and for size=N%. */
  ramBytes?: number;
}

/** The UTF-8 byte length of a string. */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

/** The first `bytes` bytes of a string's UTF-8 (a split character becomes U+FFFD). */
function utf8Head(text: string, bytes: number): string {
  return new TextDecoder().decode(new TextEncoder().encode(text).subarray(0, bytes));
}

/** memparse(): "64m" → 67108864. NaN when malformed. */
export function memparse(text: string): number {
  const match = /^(\d+)([kmgtpe]?)$/i.exec(text);
  if (!match) return NaN;
  const shift = ' kmgtpe'.indexOf((match[2] || ' ').toLowerCase());
  return Number(match[1]) * 1024 ** shift;
}

/** An inode of a Tmpfs (or Ext4): one class for every file type, with the fields the type uses. */
export class TmpfsInode extends Inode {
  /** Hard links (directories: 2 plus subdirectories). */
  nlink: number;
  /** Access, modification and change times (virtual ms). */
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
  /** Extended attributes by full name ("trusted.overlay.opaque", "user.x"). */
  readonly xattrs = new Map<string, string>();
  /** Regular file: the stored text; `size` may be larger (sparse or image file). */
  data = '';
  size = 0;
  /** Bytes backed by storage (counted by statfs, st_blocks and size=); a hole is not. */
  allocated = 0;
  /** Symlink target. */
  target = '';
  /** Directory entries (directories only). */
  readonly children: Map<string, TmpfsInode> | undefined;
  /** Directory: its parent and its name there. */
  parent: TmpfsInode;
  name = '';

  /** A new inode of `sb`: its number, type and permission bits, owner, device number and parent directory. */
  constructor(
    readonly sb: Tmpfs,
    readonly ino: number,
    public mode: number,
    public uid: number,
    public gid: number,
    readonly rdev: number,
    parent: TmpfsInode | undefined,
  ) {
    super();
    const now = sb.clock.now();
    this.atimeMs = this.mtimeMs = this.ctimeMs = now;
    this.nlink = isDir(mode) ? 2 : 1;
    this.children = isDir(mode) ? new Map() : undefined;
    this.parent = parent ?? this;
  }

  getattr(): Stat {
    return {
      dev: this.sb.dev,
      ino: this.ino,
      mode: this.mode,
      nlink: this.nlink,
      uid: this.uid,
      gid: this.gid,
      rdev: this.rdev,
      size: this.children ? this.sb.dirSize(this) : this.size,
      blksize: this.sb.blockSize,
      blocks: this.sb.blocksOf(this),
      atimeMs: this.atimeMs,
      mtimeMs: this.mtimeMs,
      ctimeMs: this.ctimeMs,
    };
  }

  setattr(attr: SetAttr): void {
    const now = this.sb.clock.now();
    if (attr.size !== undefined) this.truncate(attr.size, now);
    if (attr.mode !== undefined) this.mode = (this.mode & S_IFMT) | (attr.mode & 0o7777);
    if (attr.uid !== undefined) this.uid = attr.uid;
    if (attr.gid !== undefined) this.gid = attr.gid;
    if (attr.atimeMs !== undefined) this.atimeMs = attr.atimeMs;
    if (attr.mtimeMs !== undefined) this.mtimeMs = attr.mtimeMs;
    this.ctimeMs = now;
  }

  override touchAtime(): void {
    this.atimeMs = this.sb.clock.now();
  }

  override read(): string {
    return this.data;
  }

  override write(request: WriteRequest): void {
    const added = utf8Length(request.data);
    const size = request.append ? this.size + added : Math.max(added, request.apparentSize ?? 0);
    const allocated = request.append ? this.allocated + added : size;
    this.sb.charge(this.allocated, allocated);
    this.data = request.append ? this.data + request.data : request.data;
    this.size = size;
    this.allocated = allocated;
    this.mtimeMs = this.ctimeMs = this.sb.clock.now();
  }

  override readlink(): string {
    return this.target;
  }

  override lookup(name: string): Inode | undefined {
    return this.dir().get(name);
  }

  override readdir(): DirEntry[] {
    const entries: DirEntry[] = [];
    for (const [name, child] of this.dir()) entries.push({ name, ino: child.ino, type: direntType(child.mode) });
    return entries;
  }

  override parentDir(): Inode {
    return this.parent;
  }

  override dirName(): string {
    return this.name;
  }

  override create(name: string, attr: CreateAttr): Inode {
    const child = this.sb.allocInode(attr.mode, attr.uid, attr.gid, attr.rdev ?? 0, this);
    this.attach(name, child);
    return child;
  }

  override symlink(name: string, target: string, attr: CreateAttr): Inode {
    const child = this.sb.allocInode(S_IFLNK | 0o777, attr.uid, attr.gid, 0, this);
    child.target = target;
    child.size = utf8Length(target);
    this.attach(name, child);
    return child;
  }

  override link(name: string, inode: Inode): void {
    const target = inode as TmpfsInode;
    target.nlink++;
    target.ctimeMs = this.sb.clock.now();
    this.attach(name, target);
  }

  override unlink(name: string): void {
    const child = this.dir().get(name);
    if (!child) throw new KernelError('ENOENT');
    this.detach(name, child);
  }

  override rmdir(name: string): void {
    const child = this.dir().get(name);
    if (!child) throw new KernelError('ENOENT');
    if (child.children!.size > 0) throw new KernelError('ENOTEMPTY');
    this.detach(name, child);
  }

  override rename(name: string, newDir: Inode, newName: string): void {
    const to = newDir as TmpfsInode;
    const child = this.dir().get(name);
    if (!child) throw new KernelError('ENOENT');
    const existing = to.dir().get(newName);
    if (existing === child) return;
    if (existing?.children && existing.children.size > 0) throw new KernelError('ENOTEMPTY');
    if (existing) to.detach(newName, existing);
    this.dir().delete(name);
    if (child.children) {
      this.nlink--;
      to.nlink++;
      child.parent = to;
      child.name = newName;
    }
    to.dir().set(newName, child);
    const now = this.sb.clock.now();
    this.mtimeMs = this.ctimeMs = to.mtimeMs = to.ctimeMs = child.ctimeMs = now;
    this.sb.generation++;
  }

  override getxattr(name: string): string | undefined {
    return this.xattrs.get(name);
  }

  override setxattr(name: string, value: string, flag?: 'create' | 'replace'): void {
    if (flag === 'create' && this.xattrs.has(name)) throw new KernelError('EEXIST');
    if (flag === 'replace' && !this.xattrs.has(name)) throw new KernelError('ENODATA');
    this.xattrs.set(name, value);
    this.ctimeMs = this.sb.clock.now();
  }

  override listxattr(): string[] {
    return [...this.xattrs.keys()];
  }

  override removexattr(name: string): void {
    if (!this.xattrs.delete(name)) throw new KernelError('ENODATA');
    this.ctimeMs = this.sb.clock.now();
  }

  private dir(): Map<string, TmpfsInode> {
    if (!this.children) throw new KernelError('ENOTDIR');
    return this.children;
  }

  private attach(name: string, child: TmpfsInode): void {
    if (name.length > NAME_MAX) throw new KernelError('ENAMETOOLONG');
    this.dir().set(name, child);
    if (child.children) {
      this.nlink++;
      child.name = name;
    }
    this.mtimeMs = this.ctimeMs = this.sb.clock.now();
    this.sb.generation++;
  }

  private detach(name: string, child: TmpfsInode): void {
    this.dir().delete(name);
    const now = this.sb.clock.now();
    if (child.children) {
      this.nlink--;
      child.nlink = 0;
    } else child.nlink--;
    child.ctimeMs = now;
    if (child.nlink === 0) this.sb.release(child);
    this.mtimeMs = this.ctimeMs = now;
    this.sb.generation++;
  }

  private truncate(size: number, now: number): void {
    if (size < 0) throw new KernelError('EINVAL');
    const stored = utf8Length(this.data);
    if (size <= stored) {
      this.sb.charge(this.allocated, size);
      this.data = size === stored ? this.data : utf8Head(this.data, size);
      this.allocated = size;
    } else if (size < this.allocated) {
      this.sb.charge(this.allocated, size);
      this.allocated = size;
    }
    this.size = size;
    this.mtimeMs = now;
  }
}

export class Tmpfs extends SuperBlock {
  /** The root directory. */
  readonly root: TmpfsInode;
  /** Where inode times come from. */
  readonly clock: Pick<Clock, 'now'>;
  /** Moves on every directory entry change (see SuperBlock.generation). */
  generation = 0;
  /** size= in pages and nr_inodes=. */
  protected readonly maxBlocks: number;
  protected readonly maxInodes: number;
  protected usedBlocks = 0;
  protected usedInodes = 0;
  /** The next inode number to hand out. */
  protected nextIno: number;
  private readonly defaults: { maxBlocks: number; maxInodes: number };

  /** `firstIno` is the root's inode number (tmpfs 1; ext4 2). */
  constructor(options: TmpfsOptions, fsType = 'tmpfs', firstIno = 1) {
    super(fsType, options.dev);
    this.clock = options.clock;
    const ramPages = Math.floor((options.ramBytes ?? DEFAULT_RAM_BYTES) / PAGE_SIZE);
    this.defaults = { maxBlocks: Math.floor(ramPages / 2), maxInodes: Math.floor(ramPages / 2) };
    this.maxBlocks = options.sizeBytes === undefined ? this.defaults.maxBlocks : Math.ceil(options.sizeBytes / PAGE_SIZE);
    this.maxInodes = options.nrInodes ?? this.defaults.maxInodes;
    this.nextIno = firstIno;
    this.root = this.allocInode(S_IFDIR | (options.mode ?? 0o1777), options.uid ?? 0, options.gid ?? 0, 0, undefined);
  }

  /**
   * Parse tmpfs mount data ("size=64m,mode=755") into options; EINVAL on an unknown or malformed one.
   * `ramBytes` resolves size=N%.
   */
  static parseOptions(data: string, ramBytes = DEFAULT_RAM_BYTES): Omit<TmpfsOptions, 'clock' | 'dev'> {
    const options: Omit<TmpfsOptions, 'clock' | 'dev'> = { ramBytes };
    for (const option of data.split(',')) {
      if (option === '' || option === 'rw' || option === 'inode64') continue;
      const [key, value = ''] = option.split('=', 2) as [string, string?];
      let n: number;
      if (key === 'size' && value.endsWith('%')) n = Math.floor((ramBytes * Number(value.slice(0, -1))) / 100);
      else if (key === 'mode') n = /^[0-7]{1,4}$/.test(value) ? parseInt(value, 8) : NaN;
      else n = memparse(value);
      if (!Number.isFinite(n)) throw new KernelError('EINVAL');
      if (key === 'size') options.sizeBytes = n;
      else if (key === 'nr_inodes') options.nrInodes = n;
      else if (key === 'mode') options.mode = n;
      else if (key === 'uid') options.uid = n;
      else if (key === 'gid') options.gid = n;
      else throw new KernelError('EINVAL');
    }
    return options;
  }

  statfs(): StatFs {
    return {
      type: TMPFS_MAGIC,
      bsize: PAGE_SIZE,
      blocks: this.maxBlocks,
      bfree: this.maxBlocks - this.usedBlocks,
      bavail: this.maxBlocks - this.usedBlocks,
      files: this.maxInodes,
      ffree: this.maxInodes - this.usedInodes,
      namelen: NAME_MAX,
      frsize: PAGE_SIZE,
      flags: 0,
    };
  }

  override showOptions(): string {
    const shown: string[] = [];
    if (this.maxBlocks !== this.defaults.maxBlocks) shown.push(`size=${this.maxBlocks * 4}k`);
    if (this.maxInodes !== this.defaults.maxInodes) shown.push(`nr_inodes=${this.maxInodes}`);
    if ((this.root.mode & 0o7777) !== 0o1777) shown.push(`mode=${(this.root.mode & 0o7777).toString(8).padStart(3, '0')}`);
    if (this.root.uid !== 0) shown.push(`uid=${this.root.uid}`);
    if (this.root.gid !== 0) shown.push(`gid=${this.root.gid}`);
    shown.push('inode64');
    return shown.join(',');
  }

  /** A new inode (ENOSPC when nr_inodes are used up). */
  allocInode(mode: number, uid: number, gid: number, rdev: number, parent: TmpfsInode | undefined): TmpfsInode {
    if (this.usedInodes >= this.maxInodes) throw new KernelError('ENOSPC');
    this.usedInodes++;
    return new TmpfsInode(this, this.nextIno++, mode, uid, gid, rdev, parent);
  }

  /** Account a file's allocation changing from `from` to `to` bytes; ENOSPC (and no change) past size=. */
  charge(from: number, to: number): void {
    const delta = this.pages(to) - this.pages(from);
    if (delta > 0 && this.usedBlocks + delta > this.maxBlocks) throw new KernelError('ENOSPC');
    this.usedBlocks += delta;
  }

  /** Give back a freed inode and its blocks. */
  release(inode: TmpfsInode): void {
    this.usedInodes--;
    this.usedBlocks -= this.pages(inode.allocated);
  }

  /** st_size of a directory. */
  dirSize(inode: TmpfsInode): number {
    return (inode.children!.size + 2) * BOGO_DIRENT_SIZE;
  }

  /** st_blocks (512-byte units) of an inode. */
  blocksOf(inode: TmpfsInode): number {
    return this.pages(inode.allocated) * (PAGE_SIZE / 512);
  }

  /** Blocks of this file system that `bytes` occupy. */
  protected pages(bytes: number): number {
    return Math.ceil(bytes / this.blockSize);
  }
}
