/**
 * The container's root file system, as libcontainer's rootfs_linux.go prepares it in the new mount
 * namespace: the root mount made rslave (or the spec's rootfsPropagation), the rootfs's parent mount made
 * private, the rootfs bind-mounted onto itself, each spec mount mounted beneath it (a `cgroup` mount as
 * cgroup2, or as the v1 hierarchies on a tmpfs), the default device nodes, the spec's devices and the /dev symlinks, then
 * pivot_root(".", ".") and a lazy unmount of the old root, the rootfs remounted read-only when asked, and
 * the masked and read-only paths.
 *
 * Left out: mount labels, idmapped and recursive-attribute mounts, tmpfs copy-up, /dev/console and the
 * pty of a terminal (the shim's terminal stands in for it).
 */
import { V1_MOUNTS } from '../../kernel/cgroup/cgroupV1Fs.ts';
import { KernelError } from '../../kernel/errno.ts';
import { S_IFBLK, S_IFCHR, isDir } from '../../kernel/fs/inode.ts';
import { makedev } from '../../kernel/fs/makedev.ts';
import { MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_RDONLY, MS_REC, MS_REMOUNT, MS_SLAVE } from '../../kernel/fs/mountTable.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { LinuxDevice, Mount, Spec } from '../oci/spec.ts';
import { parseMountOptions } from '../snapshots/mount.ts';
import { goErrno } from './cgroupManager.ts';
import { RuncError } from './runcError.ts';

/** runc's default devices (libcontainer/specconv AllowedDevices that get a node): path, major, minor. */
const DEFAULT_DEVICES: ReadonlyArray<[string, number, number]> = [
  ['/dev/null', 1, 3],
  ['/dev/random', 1, 8],
  ['/dev/full', 1, 7],
  ['/dev/tty', 5, 0],
  ['/dev/zero', 1, 5],
  ['/dev/urandom', 1, 9],
];

/** setupDevSymlinks. */
const DEV_SYMLINKS: ReadonlyArray<[string, string]> = [
  ['/proc/self/fd', '/dev/fd'],
  ['/proc/self/fd/0', '/dev/stdin'],
  ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
];

const PROPAGATION: Record<string, number> = {
  rslave: MS_SLAVE | MS_REC,
  slave: MS_SLAVE,
  rprivate: MS_PRIVATE | MS_REC,
  private: MS_PRIVATE,
};

function exists(vfs: Vfs, path: string): boolean {
  try {
    vfs.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof KernelError) return false;
    throw error;
  }
}

function isMountpoint(vfs: Vfs, path: string): boolean {
  const ref = vfs.resolve(path);
  return ref.inode === ref.mount.root;
}

/** A mount failure in runc's words. */
function mountError(m: Mount, dest: string, error: unknown): Error {
  if (!(error instanceof KernelError)) return error as Error;
  return new RuncError(`error mounting "${m.source ?? ''}" to rootfs at "${m.destination}": mount ${m.source ?? ''}:${dest} (via /proc/self/fd/7), flags: 0x${parseMountOptions(m.options ?? []).flags.toString(16)}: ${goErrno(error)}`);
}

/**
 * prepareRootfs and the pivot: after this, `vfs` (the container init's view, in its own mount namespace)
 * has `rootfs` as its root and the spec's mounts in place. `cgroupVersion` picks the `cgroup` mount's form.
 */
export function prepareRootfs(vfs: Vfs, spec: Spec, rootfs: string, cgroupVersion: 1 | 2): void {
  const propagation = PROPAGATION[spec.linux?.rootfsPropagation ?? 'rslave'] ?? MS_SLAVE | MS_REC;
  vfs.mount('', '/', '', propagation);
  makeParentMountPrivate(vfs, rootfs);
  vfs.mount(rootfs, rootfs, '', MS_BIND | MS_REC);
  for (const m of spec.mounts ?? []) mountToRootfs(vfs, m, rootfs, cgroupVersion);
  createDevices(vfs, rootfs, spec.linux?.devices ?? []);
  vfs.chdir(rootfs);
  vfs.pivotRoot('.', '.');
  vfs.mount('', '.', '', MS_SLAVE | MS_REC);
  vfs.umount('.', { detach: true });
  vfs.chdir('/');
  if (spec.root?.readonly) vfs.mount('', '/', '', MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC);
  for (const path of spec.linux?.readonlyPaths ?? []) readonlyPath(vfs, path);
  for (const path of spec.linux?.maskedPaths ?? []) maskPath(vfs, path);
}

/** rootfsParentMountPrivate: pivot_root refuses a new root whose parent mount is shared. */
function makeParentMountPrivate(vfs: Vfs, rootfs: string): void {
  for (let dir = rootfs.slice(0, rootfs.lastIndexOf('/')) || '/'; ; dir = dir.slice(0, dir.lastIndexOf('/')) || '/') {
    if (isMountpoint(vfs, dir)) {
      vfs.mount('', dir, '', MS_PRIVATE);
      return;
    }
    if (dir === '/') return;
  }
}

function mountToRootfs(vfs: Vfs, m: Mount, rootfs: string, cgroupVersion: 1 | 2): void {
  const dest = `${rootfs}${m.destination === '/' ? '' : m.destination}`;
  const { flags, data } = parseMountOptions(m.options ?? []);
  try {
    if (m.type === 'bind' || (flags & MS_BIND) !== 0) {
      const sourceIsDir = isDir(vfs.stat(m.source ?? '').mode);
      if (sourceIsDir) vfs.mkdirAll(dest, 0o755);
      else if (!exists(vfs, dest)) {
        vfs.mkdirAll(dest.slice(0, dest.lastIndexOf('/')), 0o755);
        vfs.writeFile(dest, '', { mode: 0o755 });
      }
      vfs.mount(m.source ?? '', dest, '', MS_BIND | (flags & MS_REC));
      if (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)) vfs.mount('', dest, '', MS_BIND | MS_REMOUNT | (flags & ~(MS_BIND | MS_REC)));
      return;
    }
    vfs.mkdirAll(dest, 0o755);
    if (m.type === 'cgroup') {
      mountCgroup(vfs, dest, flags, cgroupVersion);
      return;
    }
    vfs.mount(m.source ?? m.type ?? 'none', dest, m.type ?? '', flags, data);
  } catch (error) {
    throw mountError(m, dest, error);
  }
}

/** mountCgroupV2, or V1's tmpfs with one mount per hierarchy and the cpu/cpuacct links. */
function mountCgroup(vfs: Vfs, dest: string, flags: number, version: 1 | 2): void {
  if (version === 2) {
    vfs.mount('cgroup', dest, 'cgroup2', flags);
    return;
  }
  vfs.mount('tmpfs', dest, 'tmpfs', flags & ~MS_RDONLY, 'mode=755');
  for (const h of V1_MOUNTS) {
    vfs.mkdir(`${dest}/${h.name}`, 0o555);
    vfs.mount('cgroup', `${dest}/${h.name}`, 'cgroup', flags, h.name === 'systemd' ? 'xattr,name=systemd' : h.name);
    for (const link of h.links) vfs.symlink(h.name, `${dest}/${link}`);
  }
  if (flags & MS_RDONLY) vfs.mount('', dest, '', MS_REMOUNT | flags);
}

/** createDevices: runc's defaults, then the spec's devices (a privileged container's are the host's). */
function createDevices(vfs: Vfs, rootfs: string, devices: readonly LinuxDevice[]): void {
  if (!exists(vfs, `${rootfs}/dev`)) vfs.mkdir(`${rootfs}/dev`, 0o755);
  const nodes = [
    ...DEFAULT_DEVICES.filter(([path]) => !devices.some((d) => d.path === path)).map(([path, major, minor]): LinuxDevice => ({ path, type: 'c', major, minor, fileMode: 0o666, uid: 0, gid: 0 })),
    ...devices,
  ];
  for (const d of nodes) {
    const path = `${rootfs}${d.path}`;
    if (exists(vfs, path)) continue;
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (!exists(vfs, parent)) vfs.mkdirAll(parent, 0o755);
    const mode = d.fileMode ?? 0o666;
    vfs.mknod(path, (d.type === 'b' ? S_IFBLK : S_IFCHR) | (mode & 0o7777), makedev(d.major, d.minor));
    vfs.chmod(path, mode & 0o7777);
    if ((d.uid ?? 0) !== 0 || (d.gid ?? 0) !== 0) vfs.chown(path, d.uid ?? 0, d.gid ?? 0);
  }
  for (const [target, link] of [...DEV_SYMLINKS, ['pts/ptmx', '/dev/ptmx'] as [string, string]]) {
    if (!exists(vfs, `${rootfs}${link}`)) vfs.symlink(target, `${rootfs}${link}`);
  }
}

/** readonlyPath: bind the path onto itself and remount it read-only (skipped when absent). */
function readonlyPath(vfs: Vfs, path: string): void {
  if (!exists(vfs, path)) return;
  vfs.mount(path, path, '', MS_BIND | MS_REC);
  vfs.mount('', path, '', MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC | MS_NOSUID | MS_NODEV | MS_NOEXEC);
}

/** maskPath: /dev/null over a file, an empty read-only tmpfs over a directory (skipped when absent). */
function maskPath(vfs: Vfs, path: string): void {
  if (!exists(vfs, path)) return;
  if (isDir(vfs.stat(path).mode)) vfs.mount('tmpfs', path, 'tmpfs', MS_RDONLY);
  else vfs.mount('/dev/null', path, '', MS_BIND);
}
