import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';

/**
 * Apply a RecordsDiff from the worker to a mirrored record map, returning a new map (the input is not
 * changed, so React and zustand see a new object when anything changed).
 */
export function applyDiff<R>(records: Readonly<Record<string, R>>, diff: RecordsDiff<R>): Record<string, R> {
  const next: Record<string, R> = { ...records };
  for (const id in diff.removed) delete next[id];
  for (const id in diff.added) next[id] = diff.added[id]!;
  for (const id in diff.updated) next[id] = diff.updated[id]![1];
  return next;
}
