/**
 * The skeleton of a Linux root file system (the Filesystem Hierarchy Standard as Debian and Ubuntu lay it
 * out, with /bin, /sbin and /lib merged into /usr): directories with their modes (/tmp 1777, /root 0700),
 * the device nodes every system has, and the /dev/fd symlinks into /proc. Data first, one function to lay
 * it down.
 */
import { KernelError } from '../errno.ts';
import { S_IFCHR } from './inode.ts';
import { makedev } from './makedev.ts';
import type { Vfs } from './vfs.ts';

/** One entry: a directory (mode), a symlink (target), or a character device (mode, major, minor, group). */
export type SkeletonEntry =
  | { path: string; dir: number }
  | { path: string; link: string }
  | { path: string; chr: number; major: number; minor: number; gid?: number };

/** The tty group's gid on Debian and Ubuntu. */
const TTY_GID = 5;

export const ROOTFS_SKELETON: readonly SkeletonEntry[] = [
  ...['/usr', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib64', '/usr/local', '/usr/local/bin', '/usr/share'].map((path) => ({ path, dir: 0o755 })),
  { path: '/bin', link: 'usr/bin' },
  { path: '/sbin', link: 'usr/sbin' },
  { path: '/lib', link: 'usr/lib' },
  { path: '/lib64', link: 'usr/lib64' },
  ...['/etc', '/dev', '/dev/pts', '/home', '/mnt', '/opt', '/srv', '/media', '/boot', '/run', '/var', '/var/lib', '/var/log', '/var/cache'].map((path) => ({ path, dir: 0o755 })),
  { path: '/proc', dir: 0o555 },
  { path: '/sys', dir: 0o555 },
  { path: '/dev/shm', dir: 0o1777 },
  { path: '/tmp', dir: 0o1777 },
  { path: '/var/tmp', dir: 0o1777 },
  { path: '/var/run', link: '/run' },
  { path: '/root', dir: 0o700 },
  { path: '/dev/null', chr: 0o666, major: 1, minor: 3 },
  { path: '/dev/zero', chr: 0o666, major: 1, minor: 5 },
  { path: '/dev/full', chr: 0o666, major: 1, minor: 7 },
  { path: '/dev/random', chr: 0o666, major: 1, minor: 8 },
  { path: '/dev/urandom', chr: 0o666, major: 1, minor: 9 },
  { path: '/dev/tty', chr: 0o666, major: 5, minor: 0, gid: TTY_GID },
  { path: '/dev/fd', link: '/proc/self/fd' },
  { path: '/dev/stdin', link: '/proc/self/fd/0' },
  { path: '/dev/stdout', link: '/proc/self/fd/1' },
  { path: '/dev/stderr', link: '/proc/self/fd/2' },
];

/** Lay `entries` down under `base` (as root, modes exact, names that already exist left alone). */
export function createRootfsSkeleton(vfs: Vfs, base = '/', entries: readonly SkeletonEntry[] = ROOTFS_SKELETON): void {
  const prefix = base.replace(/\/+$/, '');
  for (const entry of entries) {
    const path = prefix + entry.path;
    try {
      if ('dir' in entry) vfs.mkdir(path, entry.dir);
      else if ('link' in entry) vfs.symlink(entry.link, path);
      else vfs.mknod(path, S_IFCHR | entry.chr, makedev(entry.major, entry.minor));
    } catch (error) {
      if (error instanceof KernelError && error.code === 'EEXIST') continue;
      throw error;
    }
    if ('dir' in entry) vfs.chmod(path, entry.dir);
    else if ('chr' in entry) {
      vfs.chmod(path, entry.chr);
      if (entry.gid !== undefined) vfs.chown(path, 0, entry.gid);
    }
  }
}
