/**
 * diff — the tar members of an overlay upper directory, as docker's overlay2 driver exports a layer with
 * its native diff (archive.TarWithOptions with OverlayWhiteoutFormat) for `docker commit`, `docker save`
 * and the image builder, and as the result is a layer in the OCI form:
 * - a walk of the directory in lexical order, each directory before its contents, the root left out;
 * - a whiteout (character device 0/0) becomes an empty regular file `.wh.<name>`, mode 0600, with the
 *   whiteout's owner and mtime;
 * - an opaque directory (`trusted.overlay.opaque=y`) is written, then an empty `.wh..wh..opq` in it with
 *   the directory's permission bits and owner (and no mtime, as moby leaves it zero);
 * - a regular file with several links is written once, and later names become hard links to the first;
 * - files keep their apparent size (see image/tar.ts on sparse files), times are whole seconds.
 *
 * Left out: FIFOs and sockets (layers here have none), xattrs other than the opaque marker, uname/gname.
 */
import { S_IFCHR, S_IFMT, isDir, isRegular, isSymlink } from '../../../kernel/fs/inode.ts';
import { major, minor } from '../../../kernel/fs/makedev.ts';
import { OVERLAY_OPAQUE_XATTR, isWhiteout } from '../../../kernel/fs/overlayFs.ts';
import { utf8Length } from '../../../kernel/fs/tmpfs.ts';
import type { Vfs } from '../../../kernel/fs/vfs.ts';
import type { TarEntry } from '../../image/tar.ts';
import { WhiteoutOpaqueDir, WhiteoutPrefix } from '../../image/whiteouts.ts';
import { scoped } from './apply.ts';

/** The members of a layer holding what the upper directory `upper` (a path in `vfs`) holds. */
export function diff(vfs: Vfs, upper: string): TarEntry[] {
  const fs = scoped(vfs, upper);
  const entries: TarEntry[] = [];
  const seen = new Map<number, string>();
  const walk = (dir: string): void => {
    const names = fs.readdir(dir).map((e) => e.name).sort(bytewise);
    for (const name of names) {
      const path = `${dir === '/' ? '' : dir}/${name}`;
      const stat = fs.lstat(path);
      const base = { mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid, mtime: Math.floor(stat.mtimeMs / 1000) };
      if (isDir(stat.mode)) {
        entries.push({ path, type: 'dir', ...base });
        if (fs.listxattr(path, false).includes(OVERLAY_OPAQUE_XATTR) && fs.getxattr(path, OVERLAY_OPAQUE_XATTR, false) === 'y') {
          entries.push({ path: `${path}/${WhiteoutOpaqueDir}`, type: 'file', mode: stat.mode & 0o777, uid: stat.uid, gid: stat.gid, mtime: 0, data: '' });
        }
        walk(path);
      } else if (isWhiteout(stat)) {
        entries.push({ path: `${dir === '/' ? '' : dir}/${WhiteoutPrefix}${name}`, type: 'file', ...base, mode: 0o600, data: '' });
      } else if (isSymlink(stat.mode)) {
        entries.push({ path, type: 'symlink', ...base, linkname: fs.readlink(path) });
      } else if (isRegular(stat.mode)) {
        const first = stat.nlink > 1 ? seen.get(stat.ino) : undefined;
        if (first !== undefined) {
          entries.push({ path, type: 'hardlink', ...base, linkname: first });
          continue;
        }
        if (stat.nlink > 1) seen.set(stat.ino, path);
        const data = fs.readFile(path);
        entries.push({ path, type: 'file', ...base, data, ...(stat.size > utf8Length(data) ? { size: stat.size } : {}) });
      } else if ((stat.mode & S_IFMT) === S_IFCHR) {
        entries.push({ path, type: 'char', ...base, devmajor: major(stat.rdev), devminor: minor(stat.rdev) });
      }
    }
  };
  walk('/');
  return entries;
}

/** Go's string order: by UTF-16 code unit here, which matches bytewise UTF-8 order for the BMP. */
function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
