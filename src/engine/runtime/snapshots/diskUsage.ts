/**
 * diskUsage — continuity's fs.DiskUsage, which containerd's snapshotters report as a snapshot's usage:
 * walk a directory (itself included, symlinks not followed), count each inode once, and sum st_blocks ×
 * 512 — allocated bytes, not apparent sizes.
 */
import { isDir } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import type { Usage } from './snapshotter.ts';

/** The usage of the tree at `root`. */
export function diskUsage(vfs: Vfs, root: string): Usage {
  const inodes = new Set<number>();
  let size = 0;
  const visit = (path: string): void => {
    const stat = vfs.lstat(path);
    if (!inodes.has(stat.ino)) {
      inodes.add(stat.ino);
      size += stat.blocks * 512;
    }
    if (isDir(stat.mode)) for (const entry of vfs.readdir(path)) visit(`${path}/${entry.name}`);
  };
  visit(root);
  return { size, inodes: inodes.size };
}
