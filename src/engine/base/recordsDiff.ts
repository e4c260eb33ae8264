/**
 * RecordsDiff — the one shape of every change the engine reports to a mirror (tldraw's store diff):
 * records added, updated as [from, to], and removed, keyed by id.
 *
 * `DiffCollector` records changes as they happen and hands out one squashed diff per flush, so a mirror
 * that applies the diffs in order (src/ui/state/applyDiff.ts) ends up equal to the source:
 * - add then update      → added with the latest value
 * - add then remove      → nothing
 * - update then update   → one update [first from, last to]
 * - update then remove   → removed with the first value
 * - remove then add      → updated [removed value, new value]
 */

export interface RecordsDiff<R> {
  added: Record<string, R>;
  updated: Record<string, [from: R, to: R]>;
  removed: Record<string, R>;
}

export function emptyDiff<R>(): RecordsDiff<R> {
  return { added: {}, updated: {}, removed: {} };
}

export function isEmptyDiff(diff: RecordsDiff<unknown>): boolean {
  for (const _ in diff.added) return false;
  for (const _ in diff.updated) return false;
  for (const _ in diff.removed) return false;
  return true;
}

export class DiffCollector<R> {
  private diff: RecordsDiff<R> = emptyDiff();

  get isEmpty(): boolean {
    return isEmptyDiff(this.diff);
  }

  add(id: string, record: R): void {
    const d = this.diff;
    if (id in d.added || id in d.updated) throw new Error(`DiffCollector: record ${id} added twice`);
    if (id in d.removed) {
      d.updated[id] = [d.removed[id]!, record];
      delete d.removed[id];
    } else {
      d.added[id] = record;
    }
  }

  update(id: string, from: R, to: R): void {
    const d = this.diff;
    if (id in d.removed) throw new Error(`DiffCollector: record ${id} updated after removal`);
    if (id in d.added) d.added[id] = to;
    else if (id in d.updated) d.updated[id]![1] = to;
    else d.updated[id] = [from, to];
  }

  remove(id: string, record: R): void {
    const d = this.diff;
    if (id in d.removed) throw new Error(`DiffCollector: record ${id} removed twice`);
    if (id in d.added) {
      delete d.added[id];
    } else if (id in d.updated) {
      d.removed[id] = d.updated[id]![0];
      delete d.updated[id];
    } else {
      d.removed[id] = record;
    }
  }

  /** The changes since the last flush, squashed; the collector starts empty again. */
  flush(): RecordsDiff<R> {
    const out = this.diff;
    this.diff = emptyDiff();
    return out;
  }
}
