/**
 * overlayChanges — moby's archive.OverlayChanges, behind `docker diff` and the overlay2 driver's Changes:
 * walk a container's upper directory in lexical order and say, for each path, what happened to it
 * relative to the layers below:
 * - `D` for a whiteout (character device 0/0), and also for an opaque directory (moby reports the
 *   directory as deleted, then what it now holds as added);
 * - `C` when the path exists in a lower layer (checked with stat(2), which follows symlinks), except a
 *   directory whose size, mode and mtime match the lower one, which is left out;
 * - `A` otherwise.
 * The parent of an added or deleted path is reported as `C` before it if it was not reported yet, even
 * when its metadata did not change (moby#13590).
 */
import { KernelError } from '../../../kernel/errno.ts';
import { isDir, type Stat } from '../../../kernel/fs/inode.ts';
import { OVERLAY_OPAQUE_XATTR, isWhiteout } from '../../../kernel/fs/overlayFs.ts';
import type { Vfs } from '../../../kernel/fs/vfs.ts';

/** A change's kind as `docker diff` prints it: C (modified), A (added), D (deleted). */
export type ChangeKind = 'C' | 'A' | 'D';

/** The Engine API's number for each kind (ChangeModify 0, ChangeAdd 1, ChangeDelete 2). */
export const CHANGE_KIND_API: Readonly<Record<ChangeKind, number>> = { C: 0, A: 1, D: 2 };

/** One line of `docker diff`. */
export interface Change {
  /** Absolute path inside the container. */
  path: string;
  /** What happened to it. */
  kind: ChangeKind;
}

/** The changes in the upper directory `rw` over the lower directories `layers` (top first), paths in `vfs`. */
export function overlayChanges(vfs: Vfs, layers: readonly string[], rw: string): Change[] {
  const changes: Change[] = [];
  const changedDirs = new Set<string>();
  const walk = (dir: string): void => {
    const names = vfs.readdir(rw + dir).map((e) => e.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const path = `${dir}/${name}`;
      const stat = vfs.lstat(rw + path);
      visit(path, stat);
      if (isDir(stat.mode)) walk(path);
    }
  };
  const visit = (path: string, stat: Stat): void => {
    let kind: ChangeKind;
    if (isWhiteout(stat) || (isDir(stat.mode) && opaque(vfs, rw + path))) kind = 'D';
    else {
      kind = 'A';
      for (const layer of layers) {
        const lower = statIfExists(vfs, layer + path);
        if (!lower) continue;
        if (isDir(lower.mode) && isDir(stat.mode) && lower.size === stat.size && lower.mode === stat.mode && lower.mtimeMs === stat.mtimeMs) return;
        kind = 'C';
        break;
      }
    }
    if (isDir(stat.mode)) changedDirs.add(path);
    if (kind !== 'C') {
      const parent = path.slice(0, path.lastIndexOf('/'));
      if (parent !== '' && !changedDirs.has(parent)) {
        changes.push({ path: parent, kind: 'C' });
        changedDirs.add(parent);
      }
    }
    changes.push({ path, kind });
  };
  walk('');
  return changes;
}

/** `docker diff`'s lines: "C /etc", "A /etc/app.conf". */
export function formatChanges(changes: readonly Change[]): string {
  return changes.map((c) => `${c.kind} ${c.path}\n`).join('');
}

function opaque(vfs: Vfs, path: string): boolean {
  return vfs.listxattr(path, false).includes(OVERLAY_OPAQUE_XATTR) && vfs.getxattr(path, OVERLAY_OPAQUE_XATTR, false) === 'y';
}

function statIfExists(vfs: Vfs, path: string): Stat | undefined {
  try {
    return vfs.stat(path);
  } catch (error) {
    if (error instanceof KernelError && (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'ELOOP')) return undefined;
    throw error;
  }
}
