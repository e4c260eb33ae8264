/**
 * OverlaySnapshotter — containerd 1.7's overlayfs snapshotter (snapshots/overlay) on a node's disk:
 *
 *   /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/   0700
 *     metadata.db                                                  the MetaStore (bolt; contents not emulated)
 *     snapshots/<id>/                                              0700, id from the store's sequence
 *       fs/                                                        0755: the snapshot's own layer (upperdir)
 *       work/                                                      0711: overlayfs workdir (Active snapshots)
 *
 * Mounts, as containerd formats them: a snapshot without parents is a bind mount of its `fs` (`rw` or, for
 * a View, `ro`, then `rbind`); a View with one parent is a read-only bind of the parent's `fs`; otherwise
 * an overlay with options `index=off`, then for an Active snapshot `workdir=` and `upperdir=`, then
 * `lowerdir=` listing the parents' `fs` nearest first. A new snapshot's `fs` takes its parent's owner.
 * Usage is continuity's DiskUsage of `fs`: measured live for Active snapshots, recorded at commit.
 * Removal drops the record, then every directory under `snapshots/` no record owns (getCleanupDirectories).
 *
 * Left out: userxattr and id-mapped (remapped) snapshots, async removal, the upperdir label, slow chown.
 */
import type { Clock } from '../../base/clock.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { lstatIfExists, removeAll } from './archive/removeAll.ts';
import { diskUsage } from './diskUsage.ts';
import { MetaStore, type StoredSnapshot } from './metaStore.ts';
import type { Mount } from './mount.ts';
import { SnapshotError, type Info, type SnapshotOpts, type Snapshotter, type Usage } from './snapshotter.ts';

/** Where containerd's overlayfs snapshotter keeps its state (root `/var/lib/containerd`, plugin id as dir). */
export const OVERLAYFS_ROOT = '/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs';

/** A bolt file after its first write transaction: 4 KiB pages, grown to the 32 KiB initial mmap size. */
const METADATA_DB_SIZE = 32768;

/** How an OverlaySnapshotter is made. */
export interface OverlaySnapshotterOptions {
  /** The node's file system calls, with root credentials. */
  vfs: Vfs;
  /** Virtual time for created/updated. */
  clock: Pick<Clock, 'now'>;
  /** The plugin's root directory (default OVERLAYFS_ROOT). */
  root?: string;
}

export class OverlaySnapshotter implements Snapshotter {
  /** The plugin's root directory. */
  readonly root: string;
  /** The node's file system calls it works with (the unpacker applies layers through them). */
  readonly vfs: Vfs;
  /** Virtual time. */
  readonly clock: Pick<Clock, 'now'>;
  private readonly ms: MetaStore;

  /** NewSnapshotter: create the root (0700), `snapshots/` (0700) and `metadata.db` (0600) if missing. */
  constructor(options: OverlaySnapshotterOptions) {
    this.vfs = options.vfs;
    this.clock = options.clock;
    this.root = options.root ?? OVERLAYFS_ROOT;
    this.ms = new MetaStore(options.clock);
    const parent = this.root.slice(0, this.root.lastIndexOf('/'));
    if (parent && !lstatIfExists(this.vfs, parent)) this.vfs.mkdirAll(parent, 0o711);
    if (!lstatIfExists(this.vfs, this.root)) this.vfs.mkdir(this.root, 0o700);
    if (!lstatIfExists(this.vfs, `${this.root}/metadata.db`)) this.vfs.writeFile(`${this.root}/metadata.db`, '', { mode: 0o600, apparentSize: METADATA_DB_SIZE });
    if (!lstatIfExists(this.vfs, `${this.root}/snapshots`)) this.vfs.mkdir(`${this.root}/snapshots`, 0o700);
  }

  /** The `fs` directory (upperdir) of snapshot `id`. */
  upperPath(id: string): string {
    return `${this.root}/snapshots/${id}/fs`;
  }

  /** The `work` directory (workdir) of snapshot `id`. */
  workPath(id: string): string {
    return `${this.root}/snapshots/${id}/work`;
  }

  stat(key: string): Info {
    return this.ms.getInfo(key).info;
  }

  update(info: Pick<Info, 'name' | 'labels'>, ...fieldpaths: string[]): Info {
    return this.ms.updateInfo(info, fieldpaths);
  }

  usage(key: string): Usage {
    const { id, info, usage } = this.ms.getInfo(key);
    return info.kind === 'Active' ? diskUsage(this.vfs, this.upperPath(id)) : usage;
  }

  mounts(key: string): Mount[] {
    let snapshot: StoredSnapshot;
    try {
      snapshot = this.ms.getSnapshot(key);
    } catch (error) {
      throw wrap(error, 'failed to get active mount');
    }
    return this.mountsOf(snapshot);
  }

  prepare(key: string, parent: string, opts?: SnapshotOpts): Mount[] {
    return this.createSnapshot('Active', key, parent, opts);
  }

  view(key: string, parent: string, opts?: SnapshotOpts): Mount[] {
    return this.createSnapshot('View', key, parent, opts);
  }

  commit(name: string, key: string, opts?: SnapshotOpts): void {
    const { id } = this.ms.getInfo(key);
    const usage = diskUsage(this.vfs, this.upperPath(id));
    try {
      this.ms.commitActive(key, name, usage, opts);
    } catch (error) {
      throw wrap(error, `failed to commit snapshot ${key}`);
    }
  }

  remove(key: string): void {
    try {
      this.ms.remove(key);
    } catch (error) {
      throw wrap(error, `failed to remove snapshot ${key}`);
    }
    const ids = this.ms.ids();
    for (const entry of this.vfs.readdir(`${this.root}/snapshots`)) {
      if (!ids.has(entry.name)) removeAll(this.vfs, `${this.root}/snapshots/${entry.name}`);
    }
  }

  walk(fn: (info: Info) => void): void {
    this.ms.walkInfo(fn);
  }

  private createSnapshot(kind: 'Active' | 'View', key: string, parent: string, opts?: SnapshotOpts): Mount[] {
    let snapshot: StoredSnapshot;
    try {
      snapshot = this.ms.createSnapshot(kind, key, parent, opts);
    } catch (error) {
      throw wrap(error, 'failed to create snapshot');
    }
    const dir = `${this.root}/snapshots/${snapshot.id}`;
    this.vfs.mkdir(dir, 0o700);
    this.vfs.mkdir(`${dir}/fs`, 0o755);
    if (kind === 'Active') this.vfs.mkdir(`${dir}/work`, 0o711);
    const nearest = snapshot.parentIds[0];
    if (nearest !== undefined) {
      const owner = this.vfs.stat(this.upperPath(nearest));
      this.vfs.chown(`${dir}/fs`, owner.uid, owner.gid, false);
    }
    return this.mountsOf(snapshot);
  }

  private mountsOf(s: StoredSnapshot): Mount[] {
    if (s.parentIds.length === 0) return [{ type: 'bind', source: this.upperPath(s.id), options: [s.kind === 'View' ? 'ro' : 'rw', 'rbind'] }];
    const options = ['index=off'];
    if (s.kind === 'Active') options.push(`workdir=${this.workPath(s.id)}`, `upperdir=${this.upperPath(s.id)}`);
    else if (s.parentIds.length === 1) return [{ type: 'bind', source: this.upperPath(s.parentIds[0]!), options: ['ro', 'rbind'] }];
    options.push(`lowerdir=${s.parentIds.map((id) => this.upperPath(id)).join(':')}`);
    return [{ type: 'overlay', source: 'overlay', options }];
  }
}

/** fmt.Errorf("<context>: %w", err) for a SnapshotError, keeping its class. */
function wrap(error: unknown, context: string): unknown {
  return error instanceof SnapshotError ? new SnapshotError(`${context}: ${error.message}`, error.code) : error;
}
