/**
 * Helpers for tests of snapshots and graph drivers: a small two-layer image whose upper layer deletes a
 * file and makes a directory opaque, and a listing of a directory tree to compare merged views.
 */
import { KernelError } from '../../kernel/errno.ts';
import { S_IFMT, isDir, isRegular, isSymlink } from '../../kernel/fs/inode.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { Image } from '../image/image.ts';
import { DEFAULT_PLATFORM } from '../image/imageStore.ts';
import { Layer } from '../image/layer.ts';
import type { TarEntry } from '../image/tar.ts';
import { opaqueWhiteoutEntry, whiteoutEntry } from '../image/whiteouts.ts';

const MTIME = 1_718_000_000;
const dir = (path: string): TarEntry => ({ path, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: MTIME });
const file = (path: string, data: string): TarEntry => ({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: MTIME, data });

/** Layer 1: /etc/motd, /etc/app.conf, /data/{a,b}. Layer 2: deletes /etc/motd, makes /data opaque with /data/c. */
export function whiteoutImage(): Image {
  const base = new Layer([dir('/data'), file('/data/a', 'a\n'), file('/data/b', 'b\n'), dir('/etc'), file('/etc/app.conf', 'port=80\n'), file('/etc/motd', 'welcome\n')]);
  const top = new Layer([dir('/data'), opaqueWhiteoutEntry('/data', MTIME), file('/data/c', 'c\n'), dir('/etc'), whiteoutEntry('/etc/motd', MTIME)]);
  return new Image({ platform: DEFAULT_PLATFORM, layers: [base, top], config: { Cmd: ['/bin/sh'] } });
}

/** Every path under `root` with its type, mode, owner and content or target: a view to compare. */
export function listTree(vfs: Vfs, root: string): string[] {
  const lines: string[] = [];
  const walk = (path: string): void => {
    const names = vfs.readdir(root + path).map((e) => e.name).sort();
    for (const name of names) {
      const p = `${path}/${name}`;
      const stat = vfs.lstat(root + p);
      const head = `${p} ${(stat.mode & S_IFMT).toString(8)} ${(stat.mode & 0o7777).toString(8)} ${stat.uid}:${stat.gid}`;
      if (isDir(stat.mode)) {
        lines.push(head);
        walk(p);
      } else if (isSymlink(stat.mode)) lines.push(`${head} -> ${vfs.readlink(root + p)}`);
      else if (isRegular(stat.mode)) lines.push(`${head} ${stat.size} ${JSON.stringify(vfs.readFile(root + p))}`);
      else lines.push(`${head} rdev=${stat.rdev}`);
    }
  };
  walk('');
  return lines;
}

/** The KernelError code a call fails with, or 'ok'. */
export function errnoOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (error) {
    if (error instanceof KernelError) return error.code;
    throw error;
  }
}
