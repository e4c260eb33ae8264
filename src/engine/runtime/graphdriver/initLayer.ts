/**
 * setupInitLayer — moby's daemon/initlayer.Setup, run on a container's `<id>-init` layer while it is
 * mounted: the mountpoints and files docker later bind-mounts or writes over, so they exist whatever the
 * image holds. For each path, every component is first unlinked (errors ignored: directories stay, a file
 * or symlink the image has is whited out), then, if the path does not exist, its parents are made (0755)
 * and it is created: directories 0755, empty files 0755 (os.OpenFile(O_CREATE, 0755) under umask 022),
 * and /etc/mtab as a symlink to /proc/mounts. Everything is owned by the container's root (0:0).
 */
import { KernelError } from '../../kernel/errno.ts';
import { O_CREAT, O_RDONLY } from '../../kernel/fs/vfs.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { lstatIfExists } from '../snapshots/archive/removeAll.ts';

/** The init layer's paths and what each is: a directory, an empty file, or a symlink's target. */
export const INIT_LAYER_PATHS: ReadonlyArray<[string, 'dir' | 'file' | string]> = [
  ['/dev/pts', 'dir'],
  ['/dev/shm', 'dir'],
  ['/proc', 'dir'],
  ['/sys', 'dir'],
  ['/.dockerenv', 'file'],
  ['/etc/resolv.conf', 'file'],
  ['/etc/hosts', 'file'],
  ['/etc/hostname', 'file'],
  ['/dev/console', 'file'],
  ['/etc/mtab', '/proc/mounts'],
];

/** Populate the mounted init layer at `root` (a path in `vfs`, root credentials). */
export function setupInitLayer(vfs: Vfs, root: string): void {
  for (const [path, type] of INIT_LAYER_PATHS) {
    let prefix = '';
    for (const part of path.split('/').slice(1)) {
      prefix += `/${part}`;
      try {
        vfs.unlink(root + prefix);
      } catch (error) {
        if (!(error instanceof KernelError)) throw error;
      }
    }
    const target = root + path;
    if (existsFollowing(vfs, target)) continue;
    vfs.mkdirAll(target.slice(0, target.lastIndexOf('/')), 0o755);
    if (type === 'dir') vfs.mkdirAll(target, 0o755);
    else if (type === 'file') vfs.open(target, O_CREAT | O_RDONLY, 0o755);
    else vfs.symlink(type, target);
  }
}

/** os.Stat succeeds (symlinks followed); ENOENT and ENOTDIR count as missing. */
function existsFollowing(vfs: Vfs, path: string): boolean {
  if (!lstatIfExists(vfs, path)) return false;
  try {
    vfs.stat(path);
    return true;
  } catch (error) {
    if (error instanceof KernelError && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) return false;
    throw error;
  }
}
