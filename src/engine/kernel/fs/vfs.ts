/**
 * Vfs — the file system calls of one process, as fs/namei.c, fs/open.c and fs/namespace.c do them: a
 * view of a mount namespace (`mounts`) from a root and a working directory (fs_struct) with credentials.
 *
 * The path walk handles ".", ".." (never above the root; crossing mountpoints both ways), symlinks
 * (relative to their directory, absolute from the root; ELOOP after 40), trailing slashes (the object
 * must be a directory), ENAMETOOLONG (a component over 255 bytes, a path of 4096 or more) and search
 * permission on every directory. Calls check permissions (generic_permission, the sticky bit,
 * protected_hardlinks), EROFS on read-only mounts, and the type rules of each call; errors the VFS finds
 * carry the path argument they are about, errors a file system raises (ENOSPC, EXDEV from overlayfs, a
 * cgroup file's EINVAL) pass through unchanged.
 *
 * Left out: file descriptors (OpenFile is a file description; the process table numbers them), O_PATH,
 * *at() variants with dirfds, capabilities other than uid 0, and ACLs.
 */
import { KernelError, type Errno } from '../errno.ts';
import { CharDevices, type CharDevice } from './charDevices.ts';
import type { FileSystemTypes } from './fileSystemTypes.ts';
import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  S_ISGID,
  S_ISUID,
  S_ISVTX,
  isDir,
  isRegular,
  isSymlink,
  type DirEntry,
  type Inode,
  type Stat,
} from './inode.ts';
import {
  MNT_FLAGS,
  MS_BIND,
  MS_MOVE,
  MS_NOATIME,
  MS_NODEV,
  MS_NODIRATIME,
  MS_NOEXEC,
  MS_NOSUID,
  MS_NOSYMFOLLOW,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_RELATIME,
  MS_REMOUNT,
  MS_SHARED,
  MS_SLAVE,
  MS_UNBINDABLE,
  dPath,
  type Mount,
  type MountTable,
  type NamedPathRef,
  type PathRef,
} from './mountTable.ts';
import { MAY_EXEC, MAY_READ, MAY_WRITE, ROOT_CRED, genericPermission, inGroup, type Cred } from './permission.ts';
import { NAME_MAX, type StatFs } from './superBlock.ts';

/** open(2) flags (<fcntl.h>, x86_64). */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_DIRECTORY = 0o200000;
export const O_NOFOLLOW = 0o400000;

/** PATH_MAX and MAXSYMLINKS. */
export const PATH_MAX = 4096;
export const MAXSYMLINKS = 40;

/** statfs f_flags (ST_*). */
const ST_FLAGS: Array<[number, number]> = [
  [MS_RDONLY, 1],
  [MS_NOSUID, 2],
  [MS_NODEV, 4],
  [MS_NOEXEC, 8],
  [MS_NOATIME, 1024],
  [MS_NODIRATIME, 2048],
  [MS_RELATIME, 4096],
  [MS_NOSYMFOLLOW, 8192],
];

/** A pipe's capacity (64 KiB); a write past it fails with EAGAIN. */
const PIPE_BUF_SIZE = 65536;

/** How the last component of a walked path looked (LAST_NORM, LAST_DOT, LAST_DOTDOT, LAST_ROOT). */
type LastType = 'norm' | 'dot' | 'dotdot' | 'root';

/** The result of a path walk: where the last component is, and what it is if it exists. */
interface Walked {
  /** The mount and directory holding the last component. */
  mount: Mount;
  dir: Inode;
  name: string;
  last: LastType;
  trailingSlash: boolean;
  /** The object (past anything mounted on it), when it exists. */
  found: NamedPathRef | undefined;
}

/** What creating an inode asks for. */
interface NewInode {
  mode: number;
  rdev?: number;
}

/** How a Vfs is made. */
export interface VfsOptions {
  /** The mount namespace. */
  mounts: MountTable;
  /** Credentials (default root). */
  cred?: Cred;
  /** The kernel's file system types, for mount(2). */
  fsTypes: FileSystemTypes;
  /** The kernel's character devices (default: the memory devices only). */
  devices?: CharDevices;
  /** The process's root and working directory (default: the namespace root). */
  root?: PathRef;
  cwd?: PathRef;
  /** The file mode creation mask (default 022). */
  umask?: number;
}

/** Pipe buffers of FIFOs, per inode, kernel-wide. */
const fifos = new WeakMap<Inode, { data: string }>();

export class Vfs {
  /** The mount namespace this process sees. */
  mounts: MountTable;
  /** Credentials every check uses. */
  cred: Cred;
  /** The process's root (chroot, pivot_root) and working directory. */
  root: PathRef;
  cwd: PathRef;
  /** The file mode creation mask. */
  umask: number;
  /** The kernel's file system types and character devices. */
  readonly fsTypes: FileSystemTypes;
  readonly devices: CharDevices;

  constructor(options: VfsOptions) {
    this.mounts = options.mounts;
    this.cred = options.cred ?? ROOT_CRED;
    this.fsTypes = options.fsTypes;
    this.devices = options.devices ?? new CharDevices();
    this.root = options.root ?? this.mounts.rootPath();
    this.cwd = options.cwd ?? this.root;
    this.umask = options.umask ?? 0o022;
  }

  /** A copy for a child process (fork), with `changes` applied (another cred, a cloned namespace…). */
  fork(changes: Partial<VfsOptions> = {}): Vfs {
    return new Vfs({ mounts: this.mounts, cred: this.cred, fsTypes: this.fsTypes, devices: this.devices, root: this.root, cwd: this.cwd, umask: this.umask, ...changes });
  }

  /**
   * Move to a mount namespace made by `mounts.clone()` (unshare -m, setns): root and cwd follow their
   * copies in the new table.
   */
  setMounts(mounts: MountTable): void {
    this.root = mounts.mapPath(this.root);
    this.cwd = mounts.mapPath(this.cwd);
    this.mounts = mounts;
  }

  // —— path walk ——

  /** Resolve `path` to a location (following a final symlink unless `follow` is false); ENOENT if missing. */
  resolve(path: string, follow = true): NamedPathRef {
    const walked = this.walk(path, follow);
    if (!walked.found) throw new KernelError('ENOENT', path);
    return walked.found;
  }

  /** realpath(3): the canonical absolute path of an existing `path`. */
  realpath(path: string): string {
    return dPath(this.resolve(path), this.root) ?? path;
  }

  /** getcwd(2): the working directory, "(unreachable)…" when it lies outside the root. */
  getcwd(): string {
    return dPath(this.cwd, this.root) ?? `(unreachable)${dPath(this.cwd, this.cwd.mount.table.rootPath()) ?? '/'}`;
  }

  private walk(path: string, follow: boolean): Walked {
    if (path === '') throw new KernelError('ENOENT', path);
    if (path.length >= PATH_MAX) throw new KernelError('ENAMETOOLONG', path);
    let mount: Mount;
    let inode: Inode;
    ({ mount, inode } = path.charCodeAt(0) === 47 ? this.root : this.cwd);
    let trailingSlash = path.length > 1 && path.charCodeAt(path.length - 1) === 47;
    const pending = components(path);
    let links = 0;
    let dir = inode;
    let dirMount = mount;
    let name = '';
    let last: LastType = 'root';
    let found: NamedPathRef | undefined = { mount, inode };
    while (pending.length > 0) {
      const component = pending.pop()!;
      const isLast = pending.length === 0;
      const stat = inode.getattr();
      if (!isDir(stat.mode)) throw new KernelError('ENOTDIR', path);
      if (!genericPermission(stat, this.cred, MAY_EXEC)) throw new KernelError('EACCES', path);
      dir = inode;
      dirMount = mount;
      name = component;
      if (component === '.') {
        last = 'dot';
        found = { mount, inode };
        continue;
      }
      if (component === '..') {
        ({ mount, inode } = this.dotdot(mount, inode));
        dir = inode;
        dirMount = mount;
        last = 'dotdot';
        found = { mount, inode };
        continue;
      }
      if (exceedsNameMax(component)) throw new KernelError('ENAMETOOLONG', path);
      last = 'norm';
      const child = inode.lookup(component);
      if (!child) {
        if (!isLast) throw new KernelError('ENOENT', path);
        found = undefined;
        break;
      }
      const next = this.mounts.followMounts({ mount, inode: child });
      if (next.inode === child && isSymlink(child.getattr().mode) && (!isLast || follow || trailingSlash)) {
        if (++links > MAXSYMLINKS || mount.flags & MS_NOSYMFOLLOW) throw new KernelError('ELOOP', path);
        const target = child.readlink();
        if (target === '') throw new KernelError('ENOENT', path);
        if (isLast && target.endsWith('/')) trailingSlash = true;
        for (const part of components(target)) pending.push(part);
        if (target.charCodeAt(0) === 47) ({ mount, inode } = this.root);
        found = { mount, inode };
        continue;
      }
      mount = next.mount;
      inode = next.inode;
      found = next.inode === child ? { mount, inode, dir, name } : next;
    }
    if (found && trailingSlash && !isDir(found.inode.getattr().mode)) throw new KernelError('ENOTDIR', path);
    return { mount: dirMount, dir, name, last, trailingSlash, found };
  }

  /** "..": up one directory, never above the root, climbing out of mounts at their root. */
  private dotdot(mount: Mount, inode: Inode): PathRef {
    for (;;) {
      if (mount === this.root.mount && inode === this.root.inode) return { mount, inode };
      if (inode !== mount.root) return this.mounts.followMounts({ mount, inode: inode.parentDir() });
      if (!mount.parent || !mount.mountpoint) return { mount, inode };
      inode = mount.mountpoint;
      mount = mount.parent;
    }
  }

  // —— permission helpers ——

  private permission(inode: Inode, mask: number, path: string, stat = inode.getattr()): void {
    if (!genericPermission(stat, this.cred, mask)) throw new KernelError('EACCES', path);
  }

  private writable(mount: Mount, path: string): void {
    if (mount.readOnly) throw new KernelError('EROFS', path);
  }

  /** May the caller add or remove entries of directory `dir`? */
  private mayChangeDir(walked: Walked, path: string): void {
    this.permission(walked.dir, MAY_WRITE | MAY_EXEC, path);
    this.writable(walked.mount, path);
  }

  /** The sticky bit: in a sticky directory only the file's owner, the directory's owner or root may remove it. */
  private sticky(dir: Inode, victim: Inode, path: string): void {
    if (this.cred.uid === 0) return;
    const dirStat = dir.getattr();
    if (!(dirStat.mode & S_ISVTX)) return;
    if (victim.getattr().uid !== this.cred.uid && dirStat.uid !== this.cred.uid) throw new KernelError('EPERM', path);
  }

  private requireRoot(path?: string): void {
    if (this.cred.uid !== 0) throw new KernelError('EPERM', path);
  }

  private isOwner(stat: Stat): boolean {
    return this.cred.uid === 0 || stat.uid === this.cred.uid;
  }

  /** Create `walked`'s last component in its directory with the caller as owner, umask and setgid inheritance applied. */
  private createIn(walked: Walked, path: string, attr: NewInode, symlinkTarget?: string): Inode {
    if (walked.last !== 'norm') throw new KernelError('EEXIST', path);
    this.mayChangeDir(walked, path);
    const dirStat = walked.dir.getattr();
    let mode = attr.mode;
    let gid = this.cred.gid;
    if (dirStat.mode & S_ISGID) {
      gid = dirStat.gid;
      if (isDir(mode)) mode |= S_ISGID;
    }
    const create = { mode, uid: this.cred.uid, gid, rdev: attr.rdev ?? 0, cred: this.cred };
    return symlinkTarget === undefined ? walked.dir.create(walked.name, create) : walked.dir.symlink(walked.name, symlinkTarget, create);
  }

  // —— stat family ——

  /** stat(2). */
  stat(path: string): Stat {
    return this.resolve(path).inode.getattr();
  }

  /** lstat(2). */
  lstat(path: string): Stat {
    return this.resolve(path, false).inode.getattr();
  }

  /** access(2) with R_OK 4, W_OK 2, X_OK 1 (0 tests existence); EACCES or EROFS when refused. */
  access(path: string, mode: number): void {
    const { mount, inode } = this.resolve(path);
    const stat = inode.getattr();
    if (mode & MAY_WRITE && (isRegular(stat.mode) || isDir(stat.mode) || isSymlink(stat.mode))) this.writable(mount, path);
    if (mode & MAY_EXEC && isRegular(stat.mode) && mount.flags & MS_NOEXEC) throw new KernelError('EACCES', path);
    this.permission(inode, mode & 7, path, stat);
  }

  /** statfs(2) of the file system `path` is on, with the mount's flags. */
  statfs(path: string): StatFs {
    const { mount } = this.resolve(path);
    const statfs = mount.sb.statfs();
    let flags = 0x20;
    for (const [ms, st] of ST_FLAGS) if (mount.flags & ms || (ms === MS_RDONLY && mount.readOnly)) flags |= st;
    return { ...statfs, flags };
  }

  // —— files ——

  /**
   * open(2): O_RDONLY/O_WRONLY/O_RDWR with O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_DIRECTORY, O_NOFOLLOW.
   * Opening a directory for writing fails with EISDIR; a device without a driver with ENXIO.
   */
  open(path: string, flags: number, mode = 0o666): OpenFile {
    const excl = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
    const walked = this.walk(path, !(flags & O_NOFOLLOW) && !excl);
    const access = flags & O_ACCMODE;
    const write = access === O_WRONLY || access === O_RDWR;
    const target = walked.found;
    if (!target) {
      if (!(flags & O_CREAT)) throw new KernelError('ENOENT', path);
      if (walked.trailingSlash) throw new KernelError('EISDIR', path);
      const inode = this.createIn(walked, path, { mode: S_IFREG | (mode & ~this.umask & 0o7777) });
      return new OpenFile(this, { mount: walked.mount, inode, dir: walked.dir, name: walked.name }, flags, undefined);
    }
    if (excl) throw new KernelError('EEXIST', path);
    const { mount, inode } = target;
    const stat = inode.getattr();
    if (isSymlink(stat.mode)) throw new KernelError('ELOOP', path);
    if (isDir(stat.mode) && (write || flags & O_CREAT)) throw new KernelError('EISDIR', path);
    if (flags & O_DIRECTORY && !isDir(stat.mode)) throw new KernelError('ENOTDIR', path);
    let device: CharDevice | undefined;
    const type = stat.mode & S_IFMT;
    if (type === S_IFCHR || type === S_IFBLK) {
      if (mount.flags & MS_NODEV) throw new KernelError('EACCES', path);
    } else if (write && type !== S_IFIFO && type !== S_IFSOCK) this.writable(mount, path);
    this.permission(inode, (access === O_RDONLY ? MAY_READ : access === O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE), path, stat);
    if (type === S_IFCHR) device = this.devices.open(stat.rdev);
    else if (type === S_IFBLK || type === S_IFSOCK) throw new KernelError('ENXIO', path);
    inode.open(write);
    if (write && flags & O_TRUNC && type === S_IFREG && !inode.passthrough) inode.setattr({ size: 0 });
    return new OpenFile(this, target, flags, device);
  }

  /** Read a whole file (open O_RDONLY, read to the end). */
  readFile(path: string): string {
    return this.open(path, O_RDONLY).read();
  }

  /**
   * Write a whole file: create it (mode 0666 & ~umask) or truncate it, or append with `append`.
   * `apparentSize` gives an image file its real size when `data` is only its text head.
   */
  writeFile(path: string, data: string, options: { append?: boolean; mode?: number; apparentSize?: number } = {}): void {
    const file = this.open(path, O_WRONLY | O_CREAT | (options.append ? O_APPEND : O_TRUNC), options.mode ?? 0o666);
    file.write(data, options.apparentSize);
  }

  /** truncate(2). */
  truncate(path: string, length: number): void {
    if (length < 0) throw new KernelError('EINVAL', path);
    const { mount, inode } = this.resolve(path);
    const stat = inode.getattr();
    if (isDir(stat.mode)) throw new KernelError('EISDIR', path);
    if (!isRegular(stat.mode)) throw new KernelError('EINVAL', path);
    this.writable(mount, path);
    this.permission(inode, MAY_WRITE, path, stat);
    inode.setattr({ size: length });
  }

  // —— directories ——

  /** mkdir(2) with `mode` & ~umask; EEXIST if the name exists (even as a dangling symlink). */
  mkdir(path: string, mode = 0o777): void {
    const walked = this.walk(path, false);
    if (walked.found) throw new KernelError('EEXIST', path);
    this.createIn(walked, path, { mode: S_IFDIR | (mode & ~this.umask & 0o7777) });
  }

  /** mkdir -p: create `path` and its missing parents; EEXIST when it exists but is not a directory. */
  mkdirAll(path: string, mode = 0o777): void {
    const parts = path.split('/');
    let prefix = path.startsWith('/') ? '' : '.';
    for (let i = 0; i < parts.length; i++) {
      if (parts[i] === '') continue;
      prefix += '/' + parts[i];
      const isLast = !parts.slice(i + 1).some((p) => p !== '');
      let stat: Stat | undefined;
      try {
        stat = this.stat(prefix);
      } catch (error) {
        if (!(error instanceof KernelError) || error.code !== 'ENOENT') throw withPath(error, path);
      }
      if (stat) {
        if (!isDir(stat.mode)) throw new KernelError(isLast ? 'EEXIST' : 'ENOTDIR', path);
        continue;
      }
      try {
        this.mkdir(prefix, mode);
      } catch (error) {
        throw withPath(error, path);
      }
    }
  }

  /** rmdir(2): EINVAL for ".", ENOTEMPTY for "..", EBUSY for a mountpoint or the root. */
  rmdir(path: string): void {
    const walked = this.walk(path, false);
    if (walked.last === 'dot') throw new KernelError('EINVAL', path);
    if (walked.last === 'dotdot') throw new KernelError('ENOTEMPTY', path);
    if (walked.last === 'root') throw new KernelError('EBUSY', path);
    const found = walked.found;
    if (!found) throw new KernelError('ENOENT', path);
    if (!isDir(found.inode.getattr().mode)) throw new KernelError('ENOTDIR', path);
    if (found.mount !== walked.mount || (found.mount === this.root.mount && found.inode === this.root.inode)) throw new KernelError('EBUSY', path);
    this.mayChangeDir(walked, path);
    this.sticky(walked.dir, found.inode, path);
    walked.dir.rmdir(walked.name, this.cred);
  }

  /** getdents(2): the entries of a directory (without "." and ".."), in the file system's order. */
  readdir(path: string): DirEntry[] {
    const { mount, inode } = this.resolve(path);
    const stat = inode.getattr();
    if (!isDir(stat.mode)) throw new KernelError('ENOTDIR', path);
    this.permission(inode, MAY_READ, path, stat);
    const entries = inode.readdir();
    this.accessed(mount, inode, stat);
    return entries;
  }

  /** chdir(2). */
  chdir(path: string): void {
    const found = this.resolve(path);
    const stat = found.inode.getattr();
    if (!isDir(stat.mode)) throw new KernelError('ENOTDIR', path);
    this.permission(found.inode, MAY_EXEC, path, stat);
    this.cwd = { mount: found.mount, inode: found.inode };
  }

  /** chroot(2): root only (EPERM). */
  chroot(path: string): void {
    this.requireRoot(path);
    const found = this.resolve(path);
    const stat = found.inode.getattr();
    if (!isDir(stat.mode)) throw new KernelError('ENOTDIR', path);
    this.permission(found.inode, MAY_EXEC, path, stat);
    this.root = { mount: found.mount, inode: found.inode };
  }

  // —— names ——

  /** unlink(2): EISDIR for a directory, EBUSY for a mountpoint, EPERM in a sticky directory. */
  unlink(path: string): void {
    const walked = this.walk(path, false);
    if (walked.last !== 'norm') throw new KernelError('EISDIR', path);
    const found = walked.found;
    if (!found) throw new KernelError('ENOENT', path);
    if (isDir(found.inode.getattr().mode)) throw new KernelError('EISDIR', path);
    if (found.mount !== walked.mount || this.mounts.isMountpoint({ mount: walked.mount, inode: found.inode })) throw new KernelError('EBUSY', path);
    this.mayChangeDir(walked, path);
    this.sticky(walked.dir, found.inode, path);
    walked.dir.unlink(walked.name);
  }

  /**
   * rename(2): EXDEV across mounts, EISDIR/ENOTDIR when a directory and a non-directory meet, EINVAL for
   * moving a directory into itself, ENOTEMPTY over a non-empty directory, EBUSY for ".", ".." or a
   * mountpoint. Errors about the source carry `from`, about the target `to`.
   */
  rename(from: string, to: string): void {
    const src = this.walk(from, false);
    const dst = this.walk(to, false);
    if (src.last !== 'norm') throw new KernelError('EBUSY', from);
    if (dst.last !== 'norm') throw new KernelError('EBUSY', to);
    const moving = src.found;
    if (!moving) throw new KernelError('ENOENT', from);
    if (src.mount !== dst.mount) throw new KernelError('EXDEV', to);
    const movingDir = isDir(moving.inode.getattr().mode);
    if (!movingDir && (src.trailingSlash || dst.trailingSlash)) throw new KernelError('ENOTDIR', src.trailingSlash ? from : to);
    const existing = dst.found;
    if (existing && existing.inode === moving.inode && existing.mount === moving.mount) return;
    if (movingDir) {
      for (let at = dst.dir; ; at = at.parentDir()) {
        if (at === moving.inode) throw new KernelError('EINVAL', to);
        if (at === at.parentDir() || at === src.mount.root) break;
      }
    }
    if (existing) {
      const existingDir = isDir(existing.inode.getattr().mode);
      if (movingDir && !existingDir) throw new KernelError('ENOTDIR', to);
      if (!movingDir && existingDir) throw new KernelError('EISDIR', to);
      if (existingDir) {
        for (let at = src.dir; ; at = at.parentDir()) {
          if (at === existing.inode) throw new KernelError('ENOTEMPTY', to);
          if (at === at.parentDir() || at === src.mount.root) break;
        }
      }
      if (existing.mount !== dst.mount || this.mounts.isMountpoint({ mount: dst.mount, inode: existing.inode })) throw new KernelError('EBUSY', to);
    }
    if (moving.mount !== src.mount || this.mounts.isMountpoint({ mount: src.mount, inode: moving.inode })) throw new KernelError('EBUSY', from);
    this.mayChangeDir(src, from);
    this.mayChangeDir(dst, to);
    this.sticky(src.dir, moving.inode, from);
    if (existing) this.sticky(dst.dir, existing.inode, to);
    if (movingDir && src.dir !== dst.dir) this.permission(moving.inode, MAY_WRITE, from);
    src.dir.rename(src.name, dst.dir, dst.name);
  }

  /** link(2): a new name for an existing non-directory (EPERM for a directory), on the same mount (EXDEV). */
  link(existing: string, newPath: string): void {
    const old = this.walk(existing, false);
    if (!old.found) throw new KernelError('ENOENT', existing);
    const stat = old.found.inode.getattr();
    if (isDir(stat.mode)) throw new KernelError('EPERM', existing);
    const walked = this.walk(newPath, false);
    if (walked.found) throw new KernelError('EEXIST', newPath);
    if (walked.last !== 'norm') throw new KernelError('EEXIST', newPath);
    if (walked.trailingSlash) throw new KernelError('ENOENT', newPath);
    if (old.found.mount !== walked.mount) throw new KernelError('EXDEV', newPath);
    if (!this.mayHardlink(old.found.inode, stat)) throw new KernelError('EPERM', existing);
    this.mayChangeDir(walked, newPath);
    walked.dir.link(walked.name, old.found.inode);
  }

  /** fs.protected_hardlinks=1: a non-owner may link only a regular, non-setuid file it can read and write. */
  private mayHardlink(inode: Inode, stat: Stat): boolean {
    if (this.isOwner(stat)) return true;
    if (!isRegular(stat.mode) || stat.mode & S_ISUID || (stat.mode & (S_ISGID | 0o010)) === (S_ISGID | 0o010)) return false;
    return genericPermission(stat, this.cred, MAY_READ | MAY_WRITE);
  }

  /** symlink(2) `path` → `target`. */
  symlink(target: string, path: string): void {
    if (target === '') throw new KernelError('ENOENT', path);
    if (target.length >= PATH_MAX) throw new KernelError('ENAMETOOLONG', path);
    const walked = this.walk(path, false);
    if (walked.found) throw new KernelError('EEXIST', path);
    if (walked.trailingSlash) throw new KernelError('ENOENT', path);
    this.createIn(walked, path, { mode: S_IFLNK | 0o777 }, target);
  }

  /** readlink(2): EINVAL when `path` is not a symlink. */
  readlink(path: string): string {
    const { inode } = this.resolve(path, false);
    if (!isSymlink(inode.getattr().mode)) throw new KernelError('EINVAL', path);
    return inode.readlink();
  }

  /** mknod(2): regular files, FIFOs and (root only) character and block devices. */
  mknod(path: string, mode: number, rdev = 0): void {
    const type = mode & S_IFMT || S_IFREG;
    if (type === S_IFDIR || type === S_IFLNK) throw new KernelError('EINVAL', path);
    if ((type === S_IFCHR || type === S_IFBLK) && this.cred.uid !== 0) throw new KernelError('EPERM', path);
    const walked = this.walk(path, false);
    if (walked.found) throw new KernelError('EEXIST', path);
    this.createIn(walked, path, { mode: type | (mode & ~this.umask & 0o7777), rdev });
  }

  // —— attributes ——

  /** chmod(2): owner or root (EPERM); a non-member of the file's group loses S_ISGID. */
  chmod(path: string, mode: number): void {
    const { mount, inode } = this.resolve(path);
    const stat = inode.getattr();
    if (!this.isOwner(stat)) throw new KernelError('EPERM', path);
    this.writable(mount, path);
    let bits = mode & 0o7777;
    if (this.cred.uid !== 0 && !inGroup(this.cred, stat.gid)) bits &= ~S_ISGID;
    inode.setattr({ mode: bits });
  }

  /**
   * chown(2) (lchown with `follow` false); -1 leaves an id unchanged. Only root changes the owner; the
   * owner may change the group to one of its own. A non-directory loses S_ISUID (and S_ISGID with group x).
   */
  chown(path: string, uid: number, gid: number, follow = true): void {
    const { mount, inode } = this.resolve(path, follow);
    const stat = inode.getattr();
    const newUid = uid === -1 ? stat.uid : uid;
    const newGid = gid === -1 ? stat.gid : gid;
    if (this.cred.uid !== 0) {
      if (newUid !== stat.uid || stat.uid !== this.cred.uid) throw new KernelError('EPERM', path);
      if (newGid !== stat.gid && !inGroup(this.cred, newGid)) throw new KernelError('EPERM', path);
    }
    this.writable(mount, path);
    const attr: { uid: number; gid: number; mode?: number } = { uid: newUid, gid: newGid };
    if (!isDir(stat.mode) && !isSymlink(stat.mode) && stat.mode & (S_ISUID | S_ISGID)) {
      let mode = stat.mode & ~S_ISUID;
      if (mode & 0o010) mode &= ~S_ISGID;
      attr.mode = mode & 0o7777;
    }
    inode.setattr(attr);
  }

  /**
   * utimes(2): set atime and mtime (ms). `null` means now, which the owner or anyone with write
   * permission may do (else EACCES); explicit times need the owner or root (EPERM).
   */
  utimes(path: string, atimeMs: number | null, mtimeMs: number | null): void {
    const { mount, inode } = this.resolve(path);
    const stat = inode.getattr();
    if (!this.isOwner(stat)) {
      if (atimeMs !== null || mtimeMs !== null) throw new KernelError('EPERM', path);
      this.permission(inode, MAY_WRITE, path, stat);
    }
    this.writable(mount, path);
    const now = this.fsTypes.clock.now();
    inode.setattr({ atimeMs: atimeMs ?? now, mtimeMs: mtimeMs ?? now });
  }

  // —— extended attributes ——

  /** setxattr(2) (lsetxattr with `follow` false); `flag` is XATTR_CREATE or XATTR_REPLACE. */
  setxattr(path: string, name: string, value: string, flag?: 'create' | 'replace', follow = true): void {
    const { mount, inode } = this.resolve(path, follow);
    this.xattrAccess(inode, name, MAY_WRITE, path);
    this.writable(mount, path);
    inode.setxattr(name, value, flag);
  }

  /** getxattr(2): ENODATA when not set (or hidden: trusted.* from non-root). */
  getxattr(path: string, name: string, follow = true): string {
    const { inode } = this.resolve(path, follow);
    this.xattrAccess(inode, name, MAY_READ, path);
    if (name.startsWith('trusted.') && this.cred.uid !== 0) throw new KernelError('ENODATA', path);
    const value = inode.getxattr(name);
    if (value === undefined) throw new KernelError('ENODATA', path);
    return value;
  }

  /** listxattr(2): the names set (without trusted.* for non-root). */
  listxattr(path: string, follow = true): string[] {
    const names = this.resolve(path, follow).inode.listxattr();
    return this.cred.uid === 0 ? names : names.filter((name) => !name.startsWith('trusted.'));
  }

  /** removexattr(2). */
  removexattr(path: string, name: string, follow = true): void {
    const { mount, inode } = this.resolve(path, follow);
    this.xattrAccess(inode, name, MAY_WRITE, path);
    this.writable(mount, path);
    inode.removexattr(name);
  }

  /** xattr_permission(): namespaces and who may touch them. */
  private xattrAccess(inode: Inode, name: string, mask: number, path: string): void {
    const stat = inode.getattr();
    if (name.startsWith('user.')) {
      if (!isRegular(stat.mode) && !isDir(stat.mode)) throw new KernelError(mask === MAY_WRITE ? 'EPERM' : 'ENODATA', path);
      this.permission(inode, mask, path, stat);
    } else if (name.startsWith('trusted.') || name.startsWith('security.')) {
      if (mask === MAY_WRITE && this.cred.uid !== 0) throw new KernelError('EPERM', path);
    } else if (!name.startsWith('system.')) throw new KernelError('EOPNOTSUPP', path);
  }

  // —— mounts ——

  /**
   * mount(2): a new file system of `fsType` on `target`, or with MS_BIND (| MS_REC) a bind mount of
   * `source`, MS_MOVE, MS_REMOUNT, or a propagation change (MS_SHARED, MS_PRIVATE, MS_SLAVE,
   * MS_UNBINDABLE, with MS_REC). Root only (EPERM); ENODEV for an unknown type.
   */
  mount(source: string, target: string, fsType: string, flags = 0, data = ''): void {
    this.requireRoot(target);
    const where = this.resolve(target);
    const propagation = flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE);
    if (propagation) {
      if (where.inode !== where.mount.root) throw new KernelError('EINVAL', target);
      const type = flags & MS_SHARED ? 'shared' : flags & MS_SLAVE ? 'slave' : flags & MS_PRIVATE ? 'private' : 'unbindable';
      this.mounts.setPropagation(where.mount, type, (flags & MS_REC) !== 0);
      return;
    }
    if (flags & MS_REMOUNT) {
      if (where.inode !== where.mount.root) throw new KernelError('EINVAL', target);
      this.mounts.remount(where.mount, flags);
      return;
    }
    if (flags & MS_BIND) {
      const from = this.resolve(source);
      if (isDir(from.inode.getattr().mode) !== isDir(where.inode.getattr().mode)) throw new KernelError('ENOTDIR', target);
      this.mounts.bindMount(from, where, { recursive: (flags & MS_REC) !== 0, flags: flags & ~(MS_BIND | MS_REC) });
      return;
    }
    if (flags & MS_MOVE) {
      const from = this.resolve(source);
      this.mounts.move(from, where);
      return;
    }
    if (!isDir(where.inode.getattr().mode)) throw new KernelError('ENOTDIR', target);
    const sb = this.fsTypes.create(fsType, { source, flags, data, resolve: (path) => this.resolve(path) });
    this.mounts.mount(where, sb, { source, flags: flags & MNT_FLAGS });
  }

  /**
   * umount2(2): EINVAL unless `target` is a mountpoint, EBUSY with mounts beneath (unless `detach`). As
   * with LOOKUP_MOUNTPOINT, a final "." or ".." is taken past what is mounted on it (runc's umount2(".")).
   */
  umount(target: string, options: { detach?: boolean } = {}): void {
    this.requireRoot(target);
    const where = this.mounts.followMounts(this.resolve(target));
    try {
      this.mounts.umount(where, options);
    } catch (error) {
      throw withPath(error, target);
    }
  }

  /**
   * pivot_root(2): `newRoot` becomes the root of this namespace and the old root moves to `putOld`; this
   * process's root and cwd move to the new root when they were at the old one (others are the caller's).
   */
  pivotRoot(newRoot: string, putOld: string): void {
    this.requireRoot(newRoot);
    const next = this.resolve(newRoot);
    const old = this.resolve(putOld);
    for (const [ref, path] of [[next, newRoot], [old, putOld]] as const) if (!isDir(ref.inode.getattr().mode)) throw new KernelError('ENOTDIR', path);
    const root = this.root;
    try {
      this.mounts.pivotRoot(next, old, root);
    } catch (error) {
      throw withPath(error, newRoot);
    }
    const moved: PathRef = { mount: next.mount, inode: next.inode };
    if (this.cwd.mount === root.mount && this.cwd.inode === root.inode) this.cwd = moved;
    this.root = moved;
  }

  /** Under relatime, move atime when it is not newer than mtime or ctime, or a day old. */
  accessed(mount: Mount, inode: Inode, stat: Stat): void {
    if (mount.flags & MS_NOATIME || mount.readOnly) return;
    if (isDir(stat.mode) && mount.flags & MS_NODIRATIME) return;
    if (mount.flags & MS_RELATIME) {
      const now = this.fsTypes.clock.now();
      if (stat.atimeMs > stat.mtimeMs && stat.atimeMs > stat.ctimeMs && now - stat.atimeMs < 86_400_000) return;
    }
    inode.touchAtime();
  }

  /** The pipe buffer of a FIFO inode. */
  fifo(inode: Inode): { data: string } {
    let pipe = fifos.get(inode);
    if (!pipe) fifos.set(inode, (pipe = { data: '' }));
    return pipe;
  }
}

/**
 * An open file description: the file, the open flags and a position. Reads return the rest of the text
 * from the position; writes at the end append, elsewhere overwrite in place. Positions count UTF-16
 * code units of the text (the data is text, not bytes).
 */
export class OpenFile {
  private pos = 0;

  constructor(
    private readonly vfs: Vfs,
    /** What was opened (with the name it was reached by). */
    readonly path: NamedPathRef,
    /** The O_* flags it was opened with. */
    readonly flags: number,
    private readonly device: CharDevice | undefined,
  ) {}

  /** The inode behind it. */
  get inode(): Inode {
    return this.path.inode;
  }

  /** read(2) to the end: the text from the position on (a device's or FIFO's pending data). */
  read(): string {
    if ((this.flags & O_ACCMODE) === O_WRONLY) throw new KernelError('EBADF');
    if (this.device) return this.device.read();
    const stat = this.inode.getattr();
    if (isDir(stat.mode)) throw new KernelError('EISDIR');
    if ((stat.mode & S_IFMT) === S_IFIFO) {
      const pipe = this.vfs.fifo(this.inode);
      const data = pipe.data;
      pipe.data = '';
      return data;
    }
    const text = this.inode.read();
    if (this.inode.passthrough) return text;
    this.vfs.accessed(this.path.mount, this.inode, stat);
    const out = this.pos === 0 ? text : text.slice(this.pos);
    this.pos = text.length;
    return out;
  }

  /** write(2) of `data`; `apparentSize` gives an image file its real size. */
  write(data: string, apparentSize?: number): void {
    if ((this.flags & O_ACCMODE) === O_RDONLY) throw new KernelError('EBADF');
    if (this.device) {
      this.device.write(data);
      return;
    }
    const stat = this.inode.getattr();
    if ((stat.mode & S_IFMT) === S_IFIFO) {
      const pipe = this.vfs.fifo(this.inode);
      if (pipe.data.length + data.length > PIPE_BUF_SIZE) throw new KernelError('EAGAIN');
      pipe.data += data;
      return;
    }
    const cred = this.vfs.cred;
    if (this.inode.passthrough) {
      this.inode.write({ data, append: true, cred });
      return;
    }
    if (cred.uid !== 0 && stat.mode & (S_ISUID | S_ISGID)) {
      let mode = stat.mode & ~S_ISUID;
      if (mode & 0o010) mode &= ~S_ISGID;
      if (mode !== stat.mode) this.inode.setattr({ mode: mode & 0o7777 });
    }
    const text = this.pos === 0 && stat.size === 0 ? '' : this.inode.read();
    if (this.flags & O_APPEND || this.pos >= text.length) {
      if (text.length === 0 && !(this.flags & O_APPEND)) this.inode.write({ data, append: false, cred, apparentSize });
      else this.inode.write({ data, append: true, cred });
      this.pos = text.length + data.length;
      return;
    }
    const next = text.slice(0, this.pos) + data + text.slice(this.pos + data.length);
    this.inode.write({ data: next, append: false, cred });
    this.pos += data.length;
  }
}

/** The non-empty components of a path, last first (ready to pop). */
function components(path: string): string[] {
  const parts = path.split('/');
  const out: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i] !== '') out.push(parts[i]!);
  return out;
}

/** Whether a name is longer than NAME_MAX bytes in UTF-8. */
function exceedsNameMax(name: string): boolean {
  return name.length * 3 > NAME_MAX && new TextEncoder().encode(name).length > NAME_MAX;
}

/** Give a path-less KernelError the path of the call. */
function withPath(error: unknown, path: string): unknown {
  if (error instanceof KernelError && error.path === undefined) return new KernelError(error.code as Errno, path);
  return error;
}
