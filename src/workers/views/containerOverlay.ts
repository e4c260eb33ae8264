/**
 * The `container-overlay` view: one container's root file system as containerd's overlayfs snapshotter
 * mounted it — the lowerdirs (the image's layers, top first, with each layer's diff id), the upperdir
 * (the container's own layer), the workdir and the merged mount point (the task bundle's `rootfs`) — and
 * what the upperdir holds: every entry, classified as overlayfs made it:
 *   - `copy-up`: a file or symlink that a lower layer also has (its first change copied it up);
 *   - `whiteout`: a character device 0/0 (or an aufs-style `.wh.<name>` file) hiding a lower name;
 *   - `opaque`: a directory marked `trusted.overlay.opaque=y`, hiding the lower directory's entries;
 *   - `dir`: a directory a lower layer also has (created as the parent of a copy-up or a new entry);
 *   - `new`: anything no lower layer has.
 *
 * Pure reads of the inodes (no atime moves). Args: `{ node, container }` (the container's id); a node or
 * container that is gone (or whose snapshot was removed) is `{ kind: 'gone' }`, not an error. Bounded to
 * MAX_ENTRIES entries and MAX_DEPTH levels.
 */
import type { Inode } from '../../engine/kernel/fs/inode.ts';
import { S_IFCHR, S_IFMT, isDir, isRegular, isSymlink } from '../../engine/kernel/fs/inode.ts';
import { OVERLAY_OPAQUE_XATTR } from '../../engine/kernel/fs/overlayFs.ts';
import { TASK_STATE_DIR } from '../../engine/runtime/containerd/containerd.ts';
import { K8S_NAMESPACE } from '../../engine/runtime/cri/criService.ts';
import { fullNode } from './nodeContainers.ts';
import { defineView } from './view.ts';

export const MAX_ENTRIES = 200;
export const MAX_DEPTH = 12;

export type UpperChange = 'copy-up' | 'whiteout' | 'opaque' | 'dir' | 'new';

export interface UpperEntry {
  /** Path inside the container's root: `/etc/nginx/nginx.conf`. For a whiteout, the name it hides. */
  path: string;
  change: UpperChange;
  type: 'file' | 'dir' | 'symlink' | 'chardev' | 'other';
  size: number;
  /** mtime, virtual ms. */
  mtime: number;
  /** The lowerdir (index into `lowerdirs`, 0 = top) whose copy this entry covers or hides, if any. */
  fromLayer?: number;
}

export interface LowerDir {
  path: string;
  /** The image layer's diff id (sha256:…), when the image is still in the store. */
  diffId?: string;
  /** The committed snapshot's name (the layer's chain id). */
  snapshot?: string;
}

export type ContainerOverlay =
  | { kind: 'gone'; node: string; container: string }
  | {
      kind: 'overlay';
      node: string;
      container: string;
      image: string;
      /** Top first, as `lowerdir=` lists them. */
      lowerdirs: LowerDir[];
      upperdir: string;
      workdir: string;
      merged: string;
      entries: UpperEntry[];
      omitted: number;
    };

export interface OverlayArgs {
  node: string;
  container: string;
}

function parseArgs(args: unknown): OverlayArgs {
  if (typeof args !== 'object' || args === null) throw new TypeError(`container-overlay: expected { node, container }, got ${args === null ? 'null' : typeof args}`);
  const { node, container } = args as { node?: unknown; container?: unknown };
  if (typeof node !== 'string' || node === '') throw new TypeError('container-overlay: node must be a non-empty string');
  if (typeof container !== 'string' || !/^[0-9a-f]{1,64}$/.test(container)) throw new TypeError('container-overlay: container must be a container id (hex digits)');
  return { node, container };
}

/** The inode at `parts` under `root`, by lookups (no permission checks, no atime). */
function lookupPath(root: Inode, parts: readonly string[]): Inode | undefined {
  let inode: Inode | undefined = root;
  for (const part of parts) {
    inode = inode.lookup(part);
    if (!inode) return undefined;
  }
  return inode;
}

function typeOf(mode: number): UpperEntry['type'] {
  if (isRegular(mode)) return 'file';
  if (isDir(mode)) return 'dir';
  if (isSymlink(mode)) return 'symlink';
  if ((mode & S_IFMT) === S_IFCHR) return 'chardev';
  return 'other';
}

export const containerOverlay = defineView({
  parse: parseArgs,
  compute(lab, { node: nodeName, container: id }): ContainerOverlay {
    const gone: ContainerOverlay = { kind: 'gone', node: nodeName, container: id };
    const node = fullNode(lab, nodeName);
    if (!node) return gone;
    const cd = node.containerd;
    const container = cd.containers(K8S_NAMESPACE).find((c) => c.id === id);
    if (!container || !container.snapshotKey) return gone;
    let options: string[];
    try {
      options = cd.snapshotter.mounts(container.snapshotKey).flatMap((m) => m.options);
    } catch {
      return gone; // the snapshot was removed with the container
    }
    const option = (key: string) => options.find((o) => o.startsWith(`${key}=`))?.slice(key.length + 1);
    const lowerPaths = (option('lowerdir') ?? '').split(':').filter((p) => p !== '');
    const upperdir = option('upperdir') ?? '';
    const workdir = option('workdir') ?? '';

    // The committed snapshots below the container's, nearest first, as lowerdir= lists them.
    const chain: string[] = [];
    try {
      for (let parent = cd.snapshotter.stat(container.snapshotKey).parent; parent !== ''; parent = cd.snapshotter.stat(parent).parent) chain.push(parent);
    } catch {
      // A missing parent leaves the rest of the chain unnamed.
    }
    let diffIds: string[] = [];
    try {
      diffIds = cd.image(K8S_NAMESPACE, container.image).layers.map((l) => l.diffId).reverse();
    } catch {
      // The image was removed from the store: the layers keep their paths only.
    }
    const lowerdirs = lowerPaths.map((path, i): LowerDir => ({ path, ...(diffIds.length === lowerPaths.length && { diffId: diffIds[i] }), ...(chain[i] !== undefined && { snapshot: chain[i] }) }));

    const vfs = cd.snapshotter.vfs;
    const resolve = (path: string): Inode | undefined => {
      try {
        return vfs.resolve(path).inode;
      } catch {
        return undefined;
      }
    };
    const upper = upperdir ? resolve(upperdir) : undefined;
    if (!upper) return gone;
    const lowers = lowerPaths.map(resolve);
    const inLower = (parts: readonly string[]): number | undefined => {
      for (let i = 0; i < lowers.length; i++) {
        const root = lowers[i];
        if (root && lookupPath(root, parts)) return i;
      }
      return undefined;
    };

    const entries: UpperEntry[] = [];
    let total = 0;
    const walk = (dir: Inode, parts: string[]) => {
      const names = dir
        .readdir()
        .map((e) => e.name)
        .sort();
      for (const name of names) {
        const inode = dir.lookup(name);
        if (!inode) continue;
        total++;
        const stat = inode.getattr();
        const here = [...parts, name];
        if (entries.length < MAX_ENTRIES) {
          const type = typeOf(stat.mode);
          let change: UpperChange;
          let hides = here;
          if (type === 'chardev' && stat.rdev === 0) change = 'whiteout';
          else if (name.startsWith('.wh.') && name !== '.wh..wh..opq') {
            change = 'whiteout';
            hides = [...parts, name.slice(4)];
          } else if (type === 'dir' && inode.getxattr(OVERLAY_OPAQUE_XATTR) === 'y') change = 'opaque';
          else if (type === 'dir') change = inLower(here) === undefined ? 'new' : 'dir';
          else change = inLower(here) === undefined ? 'new' : 'copy-up';
          const fromLayer = change === 'new' ? undefined : inLower(hides);
          entries.push({ path: `/${hides.join('/')}`, change, type, size: stat.size, mtime: stat.mtimeMs, ...(fromLayer !== undefined && { fromLayer }) });
        }
        if (isDir(stat.mode) && here.length < MAX_DEPTH) walk(inode, here);
      }
    };
    walk(upper, []);
    return {
      kind: 'overlay',
      node: nodeName,
      container: id,
      image: container.spec.annotations?.['io.kubernetes.cri.image-name'] ?? container.image,
      lowerdirs,
      upperdir,
      workdir,
      merged: `${TASK_STATE_DIR}/${K8S_NAMESPACE}/${id}/rootfs`,
      entries,
      omitted: total - entries.length,
    };
  },
});
