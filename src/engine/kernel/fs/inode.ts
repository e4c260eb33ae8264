/**
 * Inode — one file system object as the VFS sees it (Linux's struct inode with its inode_operations and
 * file_operations folded into one class). Each file system type subclasses it; the VFS (vfs.ts) does the
 * generic work (path walk, permission checks, type checks, read-only mounts) and calls these methods only
 * when the call makes sense for the inode's type, so the defaults here are the errno a file system without
 * the operation gives.
 *
 * File data is text: a JS string holding the file's bytes as UTF-8 text. A file may report an apparent
 * size larger than its stored data (an image's 1.1 MB /bin/busybox keeps a short text head; a file
 * extended by truncate(2) has a hole): reads return the stored data and nothing past it.
 */
import { KernelError } from '../errno.ts';
import type { Cred } from './permission.ts';
import type { SuperBlock } from './superBlock.ts';

/** File type bits of st_mode (<sys/stat.h>). */
export const S_IFMT = 0o170000;
export const S_IFSOCK = 0o140000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFBLK = 0o060000;
export const S_IFDIR = 0o040000;
export const S_IFCHR = 0o020000;
export const S_IFIFO = 0o010000;
/** Set-user-ID, set-group-ID and sticky bits. */
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;

/** d_type values of a directory entry (<dirent.h>). */
export const DT_UNKNOWN = 0;
export const DT_FIFO = 1;
export const DT_CHR = 2;
export const DT_DIR = 4;
export const DT_BLK = 6;
export const DT_REG = 8;
export const DT_LNK = 10;
export const DT_SOCK = 12;

/** What stat(2) fills in. Times are virtual-clock ms since the epoch; `blocks` counts 512-byte units. */
export interface Stat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

/** One entry of getdents(2): the name, its inode number and d_type. "." and ".." are not listed. */
export interface DirEntry {
  name: string;
  ino: number;
  type: number;
}

/** The attributes setattr may change (struct iattr); `size` truncates or extends. */
export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atimeMs?: number;
  mtimeMs?: number;
}

/** What a new inode is created with: type and permission bits, owner, and rdev for devices. */
export interface CreateAttr {
  mode: number;
  uid: number;
  gid: number;
  rdev?: number;
  /** Who asks (pseudo file systems such as cgroup2 check it). */
  cred?: Cred;
}

/** A write(2): the text, whether it appends, the writer, and for an image file its real size. */
export interface WriteRequest {
  data: string;
  append: boolean;
  cred: Cred;
  /** The file's apparent size when it is larger than `data` (image binaries); allocated, not a hole. */
  apparentSize?: number;
}

/** The d_type of a mode. */
export function direntType(mode: number): number {
  return (mode & S_IFMT) >> 12;
}

/** Whether a mode is a directory, a symlink, a regular file. */
export const isDir = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isSymlink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isRegular = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;

export abstract class Inode {
  /** The file system this inode lives in. */
  abstract readonly sb: SuperBlock;

  /**
   * Whether reads and writes go to the file system as they are (a pseudo file: each write(2) is one call
   * to its provider, O_TRUNC is ignored) instead of into stored text.
   */
  get passthrough(): boolean {
    return false;
  }

  /** stat(2) of this inode. */
  abstract getattr(): Stat;

  /** chmod, chown, utimes, truncate; ctime moves to now. */
  abstract setattr(attr: SetAttr): void;

  /** Move atime to now without touching ctime (a read under relatime). */
  touchAtime(): void {}

  /** Called when the VFS opens this inode; `write` for an open with write access (overlayfs copies up here). */
  open(_write: boolean): void {}

  /** The stored data of a regular file. */
  read(): string {
    throw new KernelError('EINVAL');
  }

  /** Replace or append to a regular file's data. */
  write(_request: WriteRequest): void {
    throw new KernelError('EINVAL');
  }

  /** A symlink's target. */
  readlink(): string {
    throw new KernelError('EINVAL');
  }

  /** The child called `name` of this directory, if any. */
  lookup(_name: string): Inode | undefined {
    throw new KernelError('ENOTDIR');
  }

  /** This directory's entries, without "." and "..". */
  readdir(): DirEntry[] {
    throw new KernelError('ENOTDIR');
  }

  /** This directory's parent (the root is its own parent). */
  parentDir(): Inode {
    throw new KernelError('ENOTDIR');
  }

  /** This directory's name in its parent ('' for the root). */
  dirName(): string {
    throw new KernelError('ENOTDIR');
  }

  /** mknod/mkdir/creat of `name`, which the VFS has checked does not exist. */
  create(_name: string, _attr: CreateAttr): Inode {
    throw new KernelError('EPERM');
  }

  /** symlink(2) `name` → `target`. */
  symlink(_name: string, _target: string, _attr: CreateAttr): Inode {
    throw new KernelError('EPERM');
  }

  /** link(2): a new name for `inode`, which is on the same file system. */
  link(_name: string, _inode: Inode): void {
    throw new KernelError('EPERM');
  }

  /** unlink(2) of the non-directory `name`. */
  unlink(_name: string): void {
    throw new KernelError('EPERM');
  }

  /** rmdir(2) of the directory `name` by `cred`; ENOTEMPTY is the file system's to decide. */
  rmdir(_name: string, _cred?: Cred): void {
    throw new KernelError('EPERM');
  }

  /**
   * rename(2) of `name` into `newDir` as `newName`. The VFS has checked types (EISDIR/ENOTDIR) and loops;
   * the file system replaces an existing target and decides ENOTEMPTY.
   */
  rename(_name: string, _newDir: Inode, _newName: string): void {
    throw new KernelError('EPERM');
  }

  /** The value of extended attribute `name`, if set. */
  getxattr(_name: string): string | undefined {
    return undefined;
  }

  /** Set an extended attribute; `flag` is XATTR_CREATE / XATTR_REPLACE as 'create' / 'replace'. */
  setxattr(_name: string, _value: string, _flag?: 'create' | 'replace'): void {
    throw new KernelError('EOPNOTSUPP');
  }

  /** Names of the extended attributes set. */
  listxattr(): string[] {
    return [];
  }

  /** Remove an extended attribute (ENODATA when not set). */
  removexattr(_name: string): void {
    throw new KernelError('EOPNOTSUPP');
  }
}

/** is_subdir(): whether directory `inode` is `ancestor` or below it (both on one file system). */
export function isSubdir(inode: Inode, ancestor: Inode): boolean {
  for (let at = inode; ; ) {
    if (at === ancestor) return true;
    const up = at.parentDir();
    if (up === at) return false;
    at = up;
  }
}
