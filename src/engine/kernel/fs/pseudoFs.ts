/**
 * PseudoFs — a file system whose directories and files are computed by provider callbacks, the way
 * procfs, sysfs (kernfs) and cgroup2 produce theirs: a directory lists its entries when asked, a file is
 * read by calling `read()`, and a write is handed to `write()`, whose KernelError (EINVAL, EBUSY…)
 * reaches the caller unchanged. A directory may accept mkdir/rmdir (cgroup2 creates and removes cgroups
 * that way). Inodes keep their identity (and inode number) for as long as their name stays listed, so
 * mounts on them (cgroup2 on /sys/fs/cgroup) and working directories stay valid.
 *
 * Left out: seek offsets within a file (reads return the whole text, each write(2) is one call), poll,
 * and creating files (EACCES) or symlinks, hard links and renames (EPERM).
 */
import type { Clock } from '../../base/clock.ts';
import { KernelError } from '../errno.ts';
import { Inode, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, direntType, type CreateAttr, type DirEntry, type SetAttr, type Stat, type WriteRequest } from './inode.ts';
import { ROOT_CRED, type Cred } from './permission.ts';
import { NAME_MAX, SuperBlock, type StatFs } from './superBlock.ts';

/** Attributes every pseudo node may set; defaults: 0555 directories, 0444 files, owner root. */
export interface PseudoAttrs {
  /** Permission bits (the type comes from `type`). */
  mode?: number;
  uid?: number;
  gid?: number;
  /** A fixed inode number (procfs derives them from pids); otherwise one is allocated. */
  ino?: number;
}

/** A file: `read()` gives its text; `write()` takes one write(2); without it the file is read-only (EACCES). */
export interface PseudoFile extends PseudoAttrs {
  type: 'file';
  read(): string;
  write?(data: string, cred: Cred): void;
  /** st_size (proc files show 0, sysfs attributes 4096). */
  size?: number;
}

/** A symlink whose target is computed (/proc/self, /proc/<pid>/exe). */
export interface PseudoSymlink extends PseudoAttrs {
  type: 'symlink';
  readlink(): string;
}

/** A directory: `list()` names its entries with their nodes; `lookup` may answer one name faster. */
export interface PseudoDir extends PseudoAttrs {
  type: 'dir';
  list(): Iterable<readonly [string, PseudoNode]>;
  lookup?(name: string): PseudoNode | undefined;
  /** mkdir(2) of `name` (which does not exist); without it mkdir fails with EPERM. */
  mkdir?(name: string, mode: number, cred: Cred): void;
  /** rmdir(2) of `name`; without it rmdir fails with EPERM. */
  rmdir?(name: string, cred: Cred): void;
}

export type PseudoNode = PseudoFile | PseudoSymlink | PseudoDir;

/** How a pseudo file system is made. */
export interface PseudoFsOptions {
  /** "proc", "sysfs", "cgroup2". */
  fsType: string;
  /** statfs f_type (PROC_SUPER_MAGIC…). */
  magic: number;
  dev: number;
  clock: Pick<Clock, 'now'>;
  root: PseudoDir;
  /** Whether chmod/chown/utimes are kept (kernfs: sysfs, cgroup2) or refused with EPERM (procfs). */
  settableAttrs?: boolean;
  /** What /proc/mounts shows after "rw" ("nsdelegate,memory_recursiveprot" for cgroup2). */
  options?: string;
}

const TYPE_BITS = { file: S_IFREG, symlink: S_IFLNK, dir: S_IFDIR } as const;

/** A static directory node from a record of named nodes. */
export function pseudoDir(entries: Record<string, PseudoNode>, attrs: PseudoAttrs = {}): PseudoDir {
  const map = new Map(Object.entries(entries));
  return { ...attrs, type: 'dir', list: () => map, lookup: (name) => map.get(name) };
}

export class PseudoFs extends SuperBlock {
  /** The root directory. */
  readonly root: PseudoInode;
  /** Where inode times come from. */
  readonly clock: Pick<Clock, 'now'>;
  /** Whether chmod/chown/utimes are kept (else EPERM). */
  readonly settableAttrs: boolean;
  /** Always 0: entries come and go with the providers, so nothing may cache lookups in it. */
  readonly generation = 0;
  private readonly magic: number;
  private readonly options: string;
  private nextIno = 1;

  constructor(options: PseudoFsOptions) {
    super(options.fsType, options.dev);
    this.clock = options.clock;
    this.magic = options.magic;
    this.options = options.options ?? '';
    this.settableAttrs = options.settableAttrs ?? false;
    this.root = new PseudoInode(this, undefined, '', options.root);
  }

  statfs(): StatFs {
    return { type: this.magic, bsize: this.blockSize, blocks: 0, bfree: 0, bavail: 0, files: 0, ffree: 0, namelen: NAME_MAX, frsize: this.blockSize, flags: 0 };
  }

  override showOptions(): string {
    return this.options;
  }

  /** A new inode number for a node without a fixed one. */
  allocIno(): number {
    return this.nextIno++;
  }
}

export class PseudoInode extends Inode {
  /** The node's fixed inode number, or one allocated when first looked up. */
  readonly ino: number;
  private readonly parent: PseudoInode;
  private readonly children = new Map<string, PseudoInode>();
  private readonly times: { atimeMs: number; mtimeMs: number; ctimeMs: number };
  private readonly attrs: { mode: number; uid: number; gid: number };

  /** The inode for `node`, called `name` in `parent` (the root has none); `node` is refreshed on each lookup. */
  constructor(
    readonly sb: PseudoFs,
    parent: PseudoInode | undefined,
    readonly name: string,
    public node: PseudoNode,
  ) {
    super();
    this.parent = parent ?? this;
    this.ino = node.ino ?? sb.allocIno();
    const now = sb.clock.now();
    this.times = { atimeMs: now, mtimeMs: now, ctimeMs: now };
    const mode = node.mode ?? (node.type === 'dir' ? 0o555 : node.type === 'file' ? 0o444 : 0o777);
    this.attrs = { mode: TYPE_BITS[node.type] | (mode & 0o7777), uid: node.uid ?? 0, gid: node.gid ?? 0 };
  }

  override get passthrough(): boolean {
    return true;
  }

  getattr(): Stat {
    return {
      dev: this.sb.dev,
      ino: this.ino,
      mode: this.attrs.mode,
      nlink: this.node.type === 'dir' ? 2 : 1,
      uid: this.attrs.uid,
      gid: this.attrs.gid,
      rdev: 0,
      size: this.node.type === 'file' ? (this.node.size ?? 0) : 0,
      blksize: this.sb.blockSize,
      blocks: 0,
      ...this.times,
    };
  }

  setattr(attr: SetAttr): void {
    const changesOwner = attr.mode !== undefined || attr.uid !== undefined || attr.gid !== undefined;
    if (!this.sb.settableAttrs && (changesOwner || attr.atimeMs !== undefined || attr.mtimeMs !== undefined)) throw new KernelError('EPERM');
    if (attr.mode !== undefined) this.attrs.mode = (this.attrs.mode & ~0o7777) | (attr.mode & 0o7777);
    if (attr.uid !== undefined) this.attrs.uid = attr.uid;
    if (attr.gid !== undefined) this.attrs.gid = attr.gid;
    if (attr.atimeMs !== undefined) this.times.atimeMs = attr.atimeMs;
    if (attr.mtimeMs !== undefined) this.times.mtimeMs = attr.mtimeMs;
    this.times.ctimeMs = this.sb.clock.now();
  }

  override open(write: boolean): void {
    if (write && this.node.type === 'file' && !this.node.write) throw new KernelError('EACCES');
  }

  override read(): string {
    if (this.node.type !== 'file') throw new KernelError('EINVAL');
    return this.node.read();
  }

  override write(request: WriteRequest): void {
    if (this.node.type !== 'file' || !this.node.write) throw new KernelError('EACCES');
    this.node.write(request.data, request.cred);
  }

  override readlink(): string {
    if (this.node.type !== 'symlink') throw new KernelError('EINVAL');
    return this.node.readlink();
  }

  override lookup(name: string): Inode | undefined {
    const dir = this.dirNode();
    const node = dir.lookup ? dir.lookup(name) : find(dir.list(), name);
    return node ? this.child(name, node) : this.forget(name);
  }

  override readdir(): DirEntry[] {
    const seen = new Set<string>();
    const entries: DirEntry[] = [];
    for (const [name, node] of this.dirNode().list()) {
      seen.add(name);
      const inode = this.child(name, node);
      entries.push({ name, ino: inode.ino, type: direntType(TYPE_BITS[node.type]) });
    }
    for (const name of this.children.keys()) if (!seen.has(name)) this.children.delete(name);
    return entries;
  }

  override parentDir(): Inode {
    return this.parent;
  }

  override dirName(): string {
    return this.name;
  }

  override create(name: string, attr: CreateAttr): Inode {
    const dir = this.dirNode();
    if ((attr.mode & S_IFMT) !== S_IFDIR) throw new KernelError('EACCES');
    if (!dir.mkdir) throw new KernelError('EPERM');
    dir.mkdir(name, attr.mode & 0o7777, attr.cred ?? { uid: attr.uid, gid: attr.gid, groups: [] });
    const inode = this.lookup(name);
    if (!inode) throw new KernelError('ENOENT');
    return inode;
  }

  override rmdir(name: string, cred: Cred = ROOT_CRED): void {
    const dir = this.dirNode();
    if (!dir.rmdir) throw new KernelError('EPERM');
    dir.rmdir(name, cred);
    this.children.delete(name);
  }

  private dirNode(): PseudoDir {
    if (this.node.type !== 'dir') throw new KernelError('ENOTDIR');
    return this.node;
  }

  private child(name: string, node: PseudoNode): PseudoInode {
    const cached = this.children.get(name);
    if (cached && cached.node.type === node.type && (node.ino === undefined || node.ino === cached.ino)) {
      cached.node = node;
      return cached;
    }
    const inode = new PseudoInode(this.sb, this, name, node);
    this.children.set(name, inode);
    return inode;
  }

  private forget(name: string): undefined {
    this.children.delete(name);
    return undefined;
  }
}

function find(entries: Iterable<readonly [string, PseudoNode]>, name: string): PseudoNode | undefined {
  for (const [entry, node] of entries) if (entry === name) return node;
  return undefined;
}
