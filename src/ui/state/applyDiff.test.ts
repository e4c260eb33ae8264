import { describe, expect, it } from 'vitest';
import { DiffCollector } from '../../engine/base/recordsDiff.ts';
import { applyDiff } from './applyDiff.ts';

describe('applyDiff', () => {
  it('keeps a mirror equal to the source across random edits squashed by DiffCollector', () => {
    let source: Record<string, number> = {};
    let mirror: Record<string, number> = {};
    const c = new DiffCollector<number>();
    let seed = 1;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let round = 0; round < 200; round++) {
      for (let i = 0; i < 10; i++) {
        const id = `r${rand(8)}`;
        const v = rand(100);
        if (!(id in source)) {
          c.add(id, v);
          source = { ...source, [id]: v };
        } else if (rand(3) === 0) {
          c.remove(id, source[id]!);
          source = Object.fromEntries(Object.entries(source).filter(([k]) => k !== id));
        } else {
          c.update(id, source[id]!, v);
          source = { ...source, [id]: v };
        }
      }
      mirror = applyDiff(mirror, c.flush());
      expect(mirror).toEqual(source);
    }
  });

  it('does not change its input', () => {
    const before = { a: 1 };
    const after = applyDiff(before, { added: { b: 2 }, updated: { a: [1, 3] }, removed: {} });
    expect(before).toEqual({ a: 1 });
    expect(after).toEqual({ a: 3, b: 2 });
  });
});
