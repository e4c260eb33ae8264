/**
 * MetaStore — containerd's snapshots/storage (the bolt database a snapshotter keeps in `metadata.db`):
 * per key the snapshot's numeric id (a sequence that never repeats), kind, parent, labels, times and, for
 * committed snapshots, the usage measured at commit; and the parent links that keep a parent from being
 * removed while it has children. Failures carry storage's text and errdefs class.
 *
 * The records live in memory: the bolt file's bytes are not emulated.
 */
import type { Clock } from '../../base/clock.ts';
import { SnapshotError, type Info, type Kind, type SnapshotOpts, type Usage } from './snapshotter.ts';

/** A snapshot as storage.GetSnapshot gives it to the snapshotter: its id and its parents' ids, nearest first. */
export interface StoredSnapshot {
  /** The snapshot's id (its directory name under `snapshots/`). */
  id: string;
  /** Its kind. */
  kind: Kind;
  /** Ids of its parent chain, nearest first. */
  parentIds: string[];
}

interface SnapshotRecord {
  id: number;
  info: Info;
  usage: Usage;
}

export class MetaStore {
  private readonly records = new Map<string, SnapshotRecord>();
  private sequence = 0;

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** storage.CreateSnapshot: a new Active or View record `key` on the committed `parent`. */
  createSnapshot(kind: 'Active' | 'View', key: string, parent: string, opts: SnapshotOpts = {}): StoredSnapshot {
    if (parent !== '') {
      const p = this.records.get(parent);
      if (!p) throw new SnapshotError(`missing parent "${parent}" bucket: not found`, 'NotFound');
      if (p.info.kind !== 'Committed') throw new SnapshotError(`parent "${parent}" is not committed snapshot: invalid argument`, 'InvalidArgument');
    }
    if (this.records.has(key)) throw new SnapshotError(`snapshot ${key}: already exists`, 'AlreadyExists');
    const now = this.clock.now();
    const record: SnapshotRecord = { id: ++this.sequence, info: { kind, name: key, parent, labels: { ...opts.labels }, created: now, updated: now }, usage: { size: 0, inodes: 0 } };
    this.records.set(key, record);
    return this.snapshotOf(record);
  }

  /** storage.GetSnapshot: the id and parent ids of an Active or View snapshot. */
  getSnapshot(key: string): StoredSnapshot {
    const record = this.lookup(key);
    if (record.info.kind === 'Committed') throw new SnapshotError(`requested snapshot ${key} not active or view: failed precondition`, 'FailedPrecondition');
    return this.snapshotOf(record);
  }

  /** storage.GetInfo: the id, info and recorded usage of `key`. */
  getInfo(key: string): { id: string; info: Info; usage: Usage } {
    const record = this.lookup(key);
    return { id: String(record.id), info: copyInfo(record.info), usage: { ...record.usage } };
  }

  /** storage.UpdateInfo: change labels (see Snapshotter.update). */
  updateInfo(info: Pick<Info, 'name' | 'labels'>, fieldpaths: readonly string[]): Info {
    const record = this.records.get(info.name);
    if (!record) throw new SnapshotError(`snapshot ${info.name}: not found`, 'NotFound');
    const labels = fieldpaths.length === 0 ? { ...info.labels } : { ...record.info.labels };
    for (const path of fieldpaths) {
      if (path === 'labels') Object.assign(labels, info.labels);
      else if (path.startsWith('labels.')) {
        const key = path.slice('labels.'.length);
        const value = info.labels[key];
        if (value === undefined) delete labels[key];
        else labels[key] = value;
      } else throw new SnapshotError(`cannot update ${JSON.stringify(path)} field on snapshot ${JSON.stringify(info.name)}: invalid argument`, 'InvalidArgument');
    }
    record.info = { ...record.info, labels, updated: this.clock.now() };
    return copyInfo(record.info);
  }

  /** storage.CommitActive: rename Active `key` to Committed `name` with `usage`; returns the id. */
  commitActive(key: string, name: string, usage: Usage, opts: SnapshotOpts = {}): string {
    if (this.records.has(name)) throw new SnapshotError(`committed snapshot ${name}: already exists`, 'AlreadyExists');
    const record = this.records.get(key);
    if (!record) throw new SnapshotError(`failed to get active snapshot ${JSON.stringify(key)}: not found`, 'NotFound');
    if (record.info.kind !== 'Active') throw new SnapshotError(`snapshot ${JSON.stringify(key)} is not active: failed precondition`, 'FailedPrecondition');
    const now = this.clock.now();
    this.records.delete(key);
    this.records.set(name, { id: record.id, info: { kind: 'Committed', name, parent: record.info.parent, labels: { ...opts.labels }, created: now, updated: now }, usage: { ...usage } });
    return String(record.id);
  }

  /** storage.Remove: drop `key` unless a snapshot has it as parent; returns its id and kind. */
  remove(key: string): { id: string; kind: Kind } {
    const record = this.records.get(key);
    if (!record) throw new SnapshotError(`snapshot ${key}: not found`, 'NotFound');
    for (const other of this.records.values()) {
      if (other.info.parent === key) throw new SnapshotError('cannot remove snapshot with child: failed precondition', 'FailedPrecondition');
    }
    this.records.delete(key);
    return { id: String(record.id), kind: record.info.kind };
  }

  /** storage.WalkInfo: every snapshot's info in key order (bolt's byte order). */
  walkInfo(fn: (info: Info) => void): void {
    const keys = [...this.records.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const key of keys) fn(copyInfo(this.records.get(key)!.info));
  }

  /** storage.IDMap: every snapshot's id. */
  ids(): Set<string> {
    return new Set([...this.records.values()].map((r) => String(r.id)));
  }

  private lookup(key: string): SnapshotRecord {
    const record = this.records.get(key);
    if (!record) throw new SnapshotError('snapshot does not exist: not found', 'NotFound');
    return record;
  }

  private snapshotOf(record: SnapshotRecord): StoredSnapshot {
    const parentIds: string[] = [];
    for (let parent = record.info.parent; parent !== ''; ) {
      const p = this.records.get(parent)!;
      parentIds.push(String(p.id));
      parent = p.info.parent;
    }
    return { id: String(record.id), kind: record.info.kind, parentIds };
  }
}

function copyInfo(info: Info): Info {
  return { ...info, labels: { ...info.labels } };
}
