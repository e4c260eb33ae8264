/**
 * directorySize — what Docker's pkg/directory.Size computes for `docker ps -s` and `docker system df`:
 * the sum of the apparent sizes of everything under a directory that is not a directory (files, symlinks,
 * whiteouts), each inode counted once however many hard links it has. For a container that is its
 * upperdir: the size of its writable layer.
 */
import { isDir, type Inode } from './inode.ts';
import type { Vfs } from './vfs.ts';

/** The total apparent size in bytes under `path` (which is not followed if it is a symlink). */
export function directorySize(vfs: Vfs, path: string): number {
  const seen = new Set<number>();
  let total = 0;
  const visit = (inode: Inode): void => {
    for (const entry of inode.readdir()) {
      const child = inode.lookup(entry.name);
      if (!child) continue;
      const stat = child.getattr();
      if (isDir(stat.mode)) visit(child);
      else if (stat.size > 0 && !seen.has(stat.ino)) {
        seen.add(stat.ino);
        total += stat.size;
      }
    }
  };
  const root = vfs.resolve(path, false).inode;
  if (isDir(root.getattr().mode)) visit(root);
  return total;
}
