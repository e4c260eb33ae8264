/**
 * Mount — containerd's mount.Mount, what a snapshotter hands out instead of paths (`{type, source,
 * options}`), and `mountAll` / `unmountAll` (mount.All, mount.UnmountAll) to mount them on a target as the
 * shim does for a container's rootfs. Options that are mount flags (`ro`, `rbind`, `nosuid`…) become
 * MS_* flags, the rest are the file system's data (`lowerdir=…`).
 *
 * Left out: the compaction of long lowerdir lists (containerd chdirs to their common parent when the data
 * exceeds a page), loop devices, and `remount,ro` for bind mounts (the VFS takes MS_RDONLY at once).
 */
import {
  MS_BIND,
  MS_NOATIME,
  MS_NODEV,
  MS_NODIRATIME,
  MS_NOEXEC,
  MS_NOSUID,
  MS_PRIVATE,
  MS_RDONLY,
  MS_REC,
  MS_RELATIME,
  MS_SHARED,
  MS_SLAVE,
  MS_STRICTATIME,
  MS_UNBINDABLE,
} from '../../kernel/fs/mountTable.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';

/** One mount (mount.Mount). */
export interface Mount {
  /** File system type: `overlay`, `bind`. */
  type: string;
  /** Source: `overlay`, or the directory a bind mount shows. */
  source: string;
  /** Flag names and file system options, in containerd's order. */
  options: string[];
}

/** containerd's flag table (mount_linux.go parseMountOptions): [set?, flag]. */
const FLAGS: Record<string, [boolean, number]> = {
  async: [false, 0],
  bind: [true, MS_BIND],
  defaults: [true, 0],
  dev: [false, MS_NODEV],
  exec: [false, MS_NOEXEC],
  noatime: [true, MS_NOATIME],
  nodev: [true, MS_NODEV],
  nodiratime: [true, MS_NODIRATIME],
  noexec: [true, MS_NOEXEC],
  nosuid: [true, MS_NOSUID],
  rbind: [true, MS_BIND | MS_REC],
  relatime: [true, MS_RELATIME],
  ro: [true, MS_RDONLY],
  rw: [false, MS_RDONLY],
  strictatime: [true, MS_STRICTATIME],
  suid: [false, MS_NOSUID],
};

/** Propagation options, applied by a second mount(2) after the first. */
const PROPAGATION: Record<string, number> = {
  private: MS_PRIVATE,
  rprivate: MS_PRIVATE | MS_REC,
  shared: MS_SHARED,
  rshared: MS_SHARED | MS_REC,
  slave: MS_SLAVE,
  rslave: MS_SLAVE | MS_REC,
  unbindable: MS_UNBINDABLE,
  runbindable: MS_UNBINDABLE | MS_REC,
};

/** Split options into MS_* flags, a propagation change and the file system's data string. */
export function parseMountOptions(options: readonly string[]): { flags: number; propagation: number; data: string } {
  let flags = 0;
  let propagation = 0;
  const data: string[] = [];
  for (const option of options) {
    const flag = FLAGS[option];
    if (flag) flags = flag[0] ? flags | flag[1] : flags & ~flag[1];
    else if (PROPAGATION[option] !== undefined) propagation = PROPAGATION[option];
    else data.push(option);
  }
  return { flags, propagation, data: data.join(',') };
}

/** mount.All: mount each of `mounts` on `target` in order (a bind mount's type is taken from its flags). */
export function mountAll(vfs: Vfs, mounts: readonly Mount[], target: string): void {
  for (const m of mounts) {
    const { flags, propagation, data } = parseMountOptions(m.options);
    vfs.mount(m.source, target, m.type === 'bind' ? '' : m.type, flags | (m.type === 'bind' ? MS_BIND : 0), data);
    if (propagation) vfs.mount('', target, '', propagation);
  }
}

/** mount.UnmountAll: unmount everything stacked on `target` (nothing when it is not a mountpoint). */
export function unmountAll(vfs: Vfs, target: string): void {
  for (;;) {
    const ref = vfs.resolve(target);
    if (ref.inode !== ref.mount.root || !ref.mount.parent) return;
    vfs.umount(target, { detach: true });
  }
}
