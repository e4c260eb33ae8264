/**
 * apply — containerd's archive.Apply (and moby's archive.ApplyUncompressedLayer, which does the same):
 * write a layer's tar members into a directory.
 *
 * Every member is resolved inside `root` as if `root` were `/` (fs.RootPath: `..` and absolute symlinks
 * never leave it). Missing parent directories are made 0755. An existing object is removed and replaced,
 * unless both it and the member are directories, in which case only the member's metadata is applied.
 * Files get their data and apparent size (sparse binaries), then every member gets lchown, chmod (not
 * symlinks; a hard link's chmod restores the setuid bits its lchown cleared on the shared inode) and its
 * mtime; directories get their mtimes last,
 * after everything inside them is written. Hard links point at members already applied in `root`.
 *
 * Whiteouts (`.wh.<name>`, `.wh..wh..opq`) are converted as the caller's snapshotter needs:
 * - `overlay` (containerd's OverlayConvertWhiteout, moby's OverlayWhiteoutFormat): recorded in this
 *   layer's own directory, for overlayfs to apply at mount time: `mknod <name> c 0 0` owned by the
 *   member's uid/gid, and `trusted.overlay.opaque=y` on an opaque directory.
 * - `naive` (the default conversion, for a flat rootfs): the named object is removed from `root`; an opaque
 *   marker removes everything in its directory that this layer did not write.
 *
 * Left out: containerd's WithParents (a missing parent directory copies a lower layer's attributes),
 * xattrs from `SCHILY.xattr.*` records, FIFOs and block devices, and id mapping.
 */
import { KernelError } from '../../../kernel/errno.ts';
import { S_IFCHR, isDir } from '../../../kernel/fs/inode.ts';
import { makedev } from '../../../kernel/fs/makedev.ts';
import { OVERLAY_OPAQUE_XATTR } from '../../../kernel/fs/overlayFs.ts';
import type { Vfs } from '../../../kernel/fs/vfs.ts';
import { apparentSize } from '../../image/layer.ts';
import type { TarEntry } from '../../image/tar.ts';
import { parseWhiteout } from '../../image/whiteouts.ts';
import { lstatIfExists, removeAll } from './removeAll.ts';

/** How `apply` converts whiteouts (see the module comment). */
export type WhiteoutFormat = 'overlay' | 'naive';

/** Options of `apply`. */
export interface ApplyOptions {
  /** How whiteouts are applied (default `overlay`). */
  whiteouts?: WhiteoutFormat;
}

/**
 * Apply `entries` to the directory `root` (a path in `vfs`, which must have root's credentials).
 * Returns the bytes of file data written (apparent sizes), as archive.Apply does. Throws KernelError
 * when a member cannot be written (a hard link to a missing path, a whiteout over an existing name).
 */
export function apply(vfs: Vfs, root: string, entries: Iterable<TarEntry>, options: ApplyOptions = {}): number {
  const fs = scoped(vfs, root);
  const format = options.whiteouts ?? 'overlay';
  const unpacked = new Set<string>();
  const dirs: Array<{ path: string; mtime: number }> = [];
  let size = 0;
  for (const entry of entries) {
    const path = cleanPath(entry.path);
    if (path === '/') continue;
    const parent = dirname(path);
    if (parent !== '/') mkparent(fs, parent);
    const whiteout = parseWhiteout(path);
    if (whiteout) {
      if (format === 'overlay') {
        if (whiteout.kind === 'opaque') fs.setxattr(whiteout.dir, OVERLAY_OPAQUE_XATTR, 'y', undefined, false);
        else {
          fs.mknod(whiteout.target, S_IFCHR, 0);
          fs.chown(whiteout.target, entry.uid, entry.gid, false);
        }
      } else if (whiteout.kind === 'opaque') removeUnpacked(fs, whiteout.dir, unpacked);
      else removeAll(fs, whiteout.target);
      continue;
    }
    const existing = lstatIfExists(fs, path);
    const merge = existing !== undefined && isDir(existing.mode) && entry.type === 'dir';
    if (existing && !merge) removeAll(fs, path);
    createTarFile(fs, path, entry, merge);
    if (entry.type === 'dir') dirs.push({ path, mtime: entry.mtime });
    if (entry.type === 'file') size += apparentSize(entry);
    unpacked.add(path);
  }
  for (const dir of dirs) fs.utimes(dir.path, dir.mtime * 1000, dir.mtime * 1000);
  return size;
}

/** A fork of `vfs` whose root and working directory are `root` (what fs.RootPath scopes paths to). */
export function scoped(vfs: Vfs, root: string): Vfs {
  const fs = vfs.fork();
  fs.chroot(root);
  fs.chdir('/');
  return fs;
}

/** filepath.Clean of an absolute path: no empty, `.` or `..` components, never above `/`. */
export function cleanPath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

function dirname(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/** Make the missing directories of `path` (0755, root), failing with ENOTDIR on a non-directory. */
function mkparent(fs: Vfs, path: string): void {
  const stat = lstatIfExists(fs, path);
  if (stat) {
    if (!isDir(fs.stat(path).mode)) throw new KernelError('ENOTDIR', path);
    return;
  }
  const parent = dirname(path);
  if (parent !== '/') mkparent(fs, parent);
  fs.mkdir(path, 0o755);
}

/** createTarFile: make the object, then owner, mode and times as the member has them. */
function createTarFile(fs: Vfs, path: string, entry: TarEntry, merge: boolean): void {
  switch (entry.type) {
    case 'dir':
      if (!merge) fs.mkdir(path, entry.mode);
      break;
    case 'file':
      fs.writeFile(path, entry.data ?? '', { mode: entry.mode, apparentSize: entry.size });
      break;
    case 'symlink':
      fs.symlink(entry.linkname ?? '', path);
      break;
    case 'hardlink':
      fs.link(cleanPath(entry.linkname ?? ''), path);
      break;
    case 'char':
      fs.mknod(path, S_IFCHR | entry.mode, makedev(entry.devmajor ?? 0, entry.devminor ?? 0));
      break;
  }
  fs.chown(path, entry.uid, entry.gid, false);
  if (entry.type !== 'symlink') fs.chmod(path, entry.mode);
  if (entry.type === 'dir') return;
  const ms = entry.mtime * 1000;
  if (entry.type === 'symlink') fs.resolve(path, false).inode.setattr({ atimeMs: ms, mtimeMs: ms });
  else fs.utimes(path, ms, ms);
}

/** The naive opaque conversion: remove everything under `dir` that this layer did not write. */
function removeUnpacked(fs: Vfs, dir: string, unpacked: ReadonlySet<string>): void {
  for (const entry of fs.readdir(dir)) {
    const path = `${dir === '/' ? '' : dir}/${entry.name}`;
    if (!unpacked.has(path)) removeAll(fs, path);
    else if (isDir(fs.lstat(path).mode)) removeUnpacked(fs, path, unpacked);
  }
}
