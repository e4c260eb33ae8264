/**
 * fs — the files a lab shell sees: a POSIX-shaped tree of directories and text files, as the Linux VFS
 * presents one to a process (path resolution, stat, read/write, open for writing as a shell redirection
 * does, readdir, mkdir, unlink/rmdir, rename).
 *
 * `getattr` is stat(2)/lstat(2) in the kernel's own shape (inode.ts `Stat`), for the tools that need more than
 * `stat` gives (find, du): type bits, inode and device numbers, owner, links, blocks.
 *
 * `MemoryFileSystem` keeps the tree in memory; modification times come from the virtual clock. Errors are
 * `FsError`s carrying the errno name and the path, so each command prints them in its own words
 * (`cat: x: No such file or directory`); `FsError.describe` gives strerror's text.
 *
 * Left out: symlinks, hard links, owners and permission checks (every file belongs to the student, uid
 * and gid 1000), special files, and file contents other than text.
 */
import type { Clock } from '../base/clock.ts';
import { KernelError, STRERROR, type Errno } from '../kernel/errno.ts';
import { S_IFDIR, S_IFREG, type Stat } from '../kernel/fs/inode.ts';

export interface FileStat {
  type: 'file' | 'dir';
  size: number;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  mtimeMs: number;
}

export interface FileSystem {
  /** Absolute, normalised path of `path` relative to `cwd` (handles ., ..; ~ is expanded by the shell). */
  resolve(path: string, cwd: string): string;
  stat(path: string): FileStat | undefined;
  readFile(path: string): string;
  writeFile(path: string, data: string, options?: { append?: boolean }): void;
  /**
   * open(2) for writing, then close: O_CREAT with O_TRUNC, or with O_APPEND given `append`, as bash opens
   * the file of a `>` or `>>` redirection before the command's writes (appends of `writeFile`). A missing
   * file is created, a regular file emptied; a pseudo file (/proc, /sys, cgroupfs) or a device keeps what
   * it is, as the kernel ignores O_TRUNC there, so only the writes can fail. EISDIR for a directory.
   */
  openForWrite(path: string, options?: { append?: boolean }): void;
  /** Names in the directory, sorted. */
  readdir(path: string): string[];
  mkdir(path: string, options?: { recursive?: boolean }): void;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  rename(from: string, to: string): void;
  /** A symbolic link's target (EINVAL for anything else): `/proc/1/ns/net` → `net:[4026531840]`. */
  readlink(path: string): string;
  /** stat(2), or lstat(2) with `{ follow: false }`: all of the inode's attributes; FsError when it fails. */
  getattr(path: string, options?: { follow?: boolean }): Stat;
  /** utimes(2): set the access and modification times to `mtimeMs`, or to now with `null` (as touch does). */
  utimes(path: string, mtimeMs: number | null): void;
}

/** `path` made absolute against `cwd` and normalised lexically (., .., repeated slashes), as a shell's cd does. */
export function normalizePath(path: string, cwd: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

export type FsErrorCode = Errno;
export { STRERROR };

/** A file system call that failed on a path: the errno and the path (the kernel's error, path required). */
export class FsError extends KernelError {
  declare readonly path: string;

  constructor(code: FsErrorCode, path: string) {
    super(code, path);
    this.name = 'FsError';
  }
}

type Node = { type: 'file'; data: string; mode: number; mtimeMs: number; ino: number } | { type: 'dir'; children: Map<string, Node>; mode: number; mtimeMs: number; ino: number };

/** The student's uid and gid on the laptop. */
const STUDENT_ID = 1000;
/** st_dev of the laptop's one file system: 8:1, a first disk's first partition. */
const MEMORY_DEV = (8 << 8) | 1;
/** Allocation unit: an ext4 block of 4 KiB, in st_blocks' 512-byte units. */
const BLOCK_UNITS = 8;

export class MemoryFileSystem implements FileSystem {
  private readonly root: Node & { type: 'dir' };
  private lastIno = 1;

  constructor(private readonly clock: Pick<Clock, 'now'>) {
    this.root = { type: 'dir', children: new Map(), mode: 0o755, mtimeMs: clock.now(), ino: ++this.lastIno };
  }

  resolve(path: string, cwd: string): string {
    return normalizePath(path, cwd);
  }

  stat(path: string): FileStat | undefined {
    const node = this.find(path);
    if (!node) return undefined;
    return { type: node.type, size: node.type === 'file' ? new TextEncoder().encode(node.data).length : 4096, mode: node.mode, mtimeMs: node.mtimeMs };
  }

  readFile(path: string): string {
    const node = this.lookup(path);
    if (node.type === 'dir') throw new FsError('EISDIR', path);
    return node.data;
  }

  writeFile(path: string, data: string, options: { append?: boolean } = {}): void {
    const { parent, name } = this.parentOf(path);
    const existing = parent.children.get(name);
    if (existing?.type === 'dir' || name === '') throw new FsError('EISDIR', path);
    const now = this.clock.now();
    if (existing) {
      existing.data = options.append ? existing.data + data : data;
      existing.mtimeMs = now;
    } else {
      parent.children.set(name, { type: 'file', data, mode: 0o644, mtimeMs: now, ino: ++this.lastIno });
      parent.mtimeMs = now;
    }
  }

  openForWrite(path: string, options: { append?: boolean } = {}): void {
    const { parent, name } = this.parentOf(path);
    const existing = parent.children.get(name);
    if (existing?.type === 'dir' || name === '') throw new FsError('EISDIR', path);
    if (!existing) this.writeFile(path, '');
    else if (!options.append) {
      existing.data = '';
      existing.mtimeMs = this.clock.now();
    }
  }

  readdir(path: string): string[] {
    const node = this.lookup(path);
    if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
    return [...node.children.keys()].sort();
  }

  mkdir(path: string, options: { recursive?: boolean } = {}): void {
    if (options.recursive) {
      let node: Node = this.root;
      for (const part of this.split(path)) {
        if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
        let next = node.children.get(part);
        if (!next) {
          next = { type: 'dir', children: new Map(), mode: 0o755, mtimeMs: this.clock.now(), ino: ++this.lastIno };
          node.children.set(part, next);
          node.mtimeMs = this.clock.now();
        }
        node = next;
      }
      if (node.type !== 'dir') throw new FsError('EEXIST', path);
      return;
    }
    const { parent, name } = this.parentOf(path);
    if (name === '' || parent.children.has(name)) throw new FsError('EEXIST', path);
    parent.children.set(name, { type: 'dir', children: new Map(), mode: 0o755, mtimeMs: this.clock.now(), ino: ++this.lastIno });
    parent.mtimeMs = this.clock.now();
  }

  rm(path: string, options: { recursive?: boolean; force?: boolean } = {}): void {
    if (this.split(path).length === 0) throw new FsError(options.recursive ? 'EACCES' : 'EISDIR', path);
    let found: { parent: Node & { type: 'dir' }; name: string };
    try {
      found = this.parentOf(path);
    } catch (error) {
      if (options.force && error instanceof FsError && error.code === 'ENOENT') return;
      throw error;
    }
    const node = found.parent.children.get(found.name);
    if (!node) {
      if (options.force) return;
      throw new FsError('ENOENT', path);
    }
    if (node.type === 'dir' && !options.recursive) throw new FsError(node.children.size > 0 ? 'ENOTEMPTY' : 'EISDIR', path);
    found.parent.children.delete(found.name);
    found.parent.mtimeMs = this.clock.now();
  }

  rename(from: string, to: string): void {
    const source = this.parentOf(from);
    const node = source.parent.children.get(source.name);
    if (!node) throw new FsError('ENOENT', from);
    const fromParts = this.split(from);
    const toParts = this.split(to);
    if (node.type === 'dir' && toParts.length > fromParts.length && fromParts.every((p, i) => toParts[i] === p)) throw new FsError('EINVAL', to);
    const target = this.parentOf(to);
    const existing = target.parent.children.get(target.name);
    if (existing === node) return;
    if (existing?.type === 'dir') {
      if (node.type !== 'dir') throw new FsError('EISDIR', to);
      if (existing.children.size > 0) throw new FsError('ENOTEMPTY', to);
    } else if (existing && node.type === 'dir') throw new FsError('ENOTDIR', to);
    source.parent.children.delete(source.name);
    target.parent.children.set(target.name, node);
    source.parent.mtimeMs = target.parent.mtimeMs = this.clock.now();
  }

  /** chmod(2): set the permission bits (0 to 0o7777). */
  chmod(path: string, mode: number): void {
    this.lookup(path).mode = mode & 0o7777;
  }

  /** utimes(2), the modification time only (the laptop keeps no other); `null` is now. */
  utimes(path: string, mtimeMs: number | null): void {
    this.lookup(path).mtimeMs = mtimeMs ?? this.clock.now();
  }

  readlink(path: string): string {
    this.lookup(path);
    // No symlinks here: whatever exists is not one.
    throw new FsError('EINVAL', path);
  }

  getattr(path: string): Stat {
    const node = this.lookup(path);
    const size = node.type === 'file' ? new TextEncoder().encode(node.data).length : 4096;
    let nlink = 1;
    if (node.type === 'dir') {
      nlink = 2;
      for (const child of node.children.values()) if (child.type === 'dir') nlink++;
    }
    return {
      dev: MEMORY_DEV,
      ino: node.ino,
      mode: (node.type === 'dir' ? S_IFDIR : S_IFREG) | node.mode,
      nlink,
      uid: STUDENT_ID,
      gid: STUDENT_ID,
      rdev: 0,
      size,
      blksize: 4096,
      blocks: Math.ceil(size / 4096) * BLOCK_UNITS,
      atimeMs: node.mtimeMs,
      mtimeMs: node.mtimeMs,
      ctimeMs: node.mtimeMs,
    };
  }

  private split(path: string): string[] {
    return this.resolve(path, '/').split('/').filter((p) => p !== '');
  }

  private find(path: string): Node | undefined {
    let node: Node = this.root;
    for (const part of this.split(path)) {
      if (node.type !== 'dir') return undefined;
      const next: Node | undefined = node.children.get(part);
      if (!next) return undefined;
      node = next;
    }
    return node;
  }

  private lookup(path: string): Node {
    let node: Node = this.root;
    for (const part of this.split(path)) {
      if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
      const next: Node | undefined = node.children.get(part);
      if (!next) throw new FsError('ENOENT', path);
      node = next;
    }
    return node;
  }

  /** The directory that holds `path` (which must exist) and the last name; '' for the root. */
  private parentOf(path: string): { parent: Node & { type: 'dir' }; name: string } {
    const parts = this.split(path);
    const name = parts.pop() ?? '';
    let node: Node = this.root;
    for (const part of parts) {
      const next: Node | undefined = node.type === 'dir' ? node.children.get(part) : undefined;
      if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
      if (!next) throw new FsError('ENOENT', path);
      node = next;
    }
    if (node.type !== 'dir') throw new FsError('ENOTDIR', path);
    return { parent: node, name };
  }
}
