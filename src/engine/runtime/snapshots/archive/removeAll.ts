/**
 * removeAll — Go's os.RemoveAll on a Vfs: remove `path` and everything under it, without following a
 * symlink at `path`; a path that does not exist is not an error. Mounts beneath are not unmounted (the
 * VFS fails the rmdir of a mountpoint with EBUSY, as Linux does).
 */
import { KernelError } from '../../../kernel/errno.ts';
import { isDir, type Stat } from '../../../kernel/fs/inode.ts';
import type { Vfs } from '../../../kernel/fs/vfs.ts';

/** Remove `path` recursively; nothing happens when it does not exist. */
export function removeAll(vfs: Vfs, path: string): void {
  const stat = lstatIfExists(vfs, path);
  if (!stat) return;
  if (!isDir(stat.mode)) {
    vfs.unlink(path);
    return;
  }
  for (const entry of vfs.readdir(path)) removeAll(vfs, `${path === '/' ? '' : path}/${entry.name}`);
  vfs.rmdir(path);
}

/** lstat(2), or undefined when the path (or a directory on the way) does not exist. */
export function lstatIfExists(vfs: Vfs, path: string): Stat | undefined {
  try {
    return vfs.lstat(path);
  } catch (error) {
    if (error instanceof KernelError && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return undefined;
    throw error;
  }
}
