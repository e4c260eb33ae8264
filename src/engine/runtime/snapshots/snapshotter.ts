/**
 * The Snapshotter API of containerd (snapshots.Snapshotter): snapshots named by keys, each Active
 * (writable, being prepared), View (read-only) or Committed (an immutable parent for others), forming
 * chains through their parents; callers get mounts, never paths. Errors carry containerd's text and its
 * errdefs class.
 */
import type { Mount } from './mount.ts';

/** A snapshot's kind, as containerd's Kind.String() spells it. */
export type Kind = 'View' | 'Active' | 'Committed';

/** What `stat` and `walk` report (snapshots.Info). */
export interface Info {
  /** The snapshot's kind. */
  kind: Kind;
  /** Its key (Active, View) or name (Committed). */
  name: string;
  /** The committed snapshot it is based on, '' for none. */
  parent: string;
  /** Labels, e.g. `containerd.io/snapshot.ref`. */
  labels: Record<string, string>;
  /** Virtual time it was created (for a Committed snapshot: committed), ms since the epoch. */
  created: number;
  /** Virtual time its info last changed. */
  updated: number;
}

/** Disk usage of a snapshot's own directory (snapshots.Usage): bytes in blocks and inodes. */
export interface Usage {
  /** st_blocks × 512 summed over each inode once. */
  size: number;
  /** Inodes, the directory itself included. */
  inodes: number;
}

/** Options of `prepare`, `view` and `commit` (snapshots.WithLabels). */
export interface SnapshotOpts {
  /** Labels to set; a commit's labels replace the active snapshot's. */
  labels?: Record<string, string>;
}

/** errdefs classes a snapshotter fails with. */
export type SnapshotErrorCode = 'NotFound' | 'AlreadyExists' | 'FailedPrecondition' | 'InvalidArgument';

/** A failed snapshotter call; `message` is containerd's (`snapshot "x" does not exist: not found`). */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';

  constructor(
    message: string,
    /** The errdefs class of the failure. */
    readonly code: SnapshotErrorCode,
  ) {
    super(message);
  }
}

/** containerd's snapshots.Snapshotter. */
export interface Snapshotter {
  /** Info of the snapshot `key`. */
  stat(key: string): Info;
  /** Change labels of `info.name` (field paths `labels` or `labels.<key>`; none replaces all labels). */
  update(info: Pick<Info, 'name' | 'labels'>, ...fieldpaths: string[]): Info;
  /** Disk usage: measured now for an Active snapshot, as recorded at commit otherwise. */
  usage(key: string): Usage;
  /** The mounts of an Active or View snapshot. */
  mounts(key: string): Mount[];
  /** A new Active snapshot `key` on `parent` ('' for none), and its mounts. */
  prepare(key: string, parent: string, opts?: SnapshotOpts): Mount[];
  /** A new read-only View snapshot `key` on `parent`, and its mounts. */
  view(key: string, parent: string, opts?: SnapshotOpts): Mount[];
  /** Turn the Active snapshot `key` into the Committed snapshot `name`; `key` is gone afterwards. */
  commit(name: string, key: string, opts?: SnapshotOpts): void;
  /** Remove a snapshot that no other snapshot has as parent. */
  remove(key: string): void;
  /** Call `fn` with every snapshot's info, in key order. */
  walk(fn: (info: Info) => void): void;
}
