import { describe, expect, it } from 'vitest';
import { DiffCollector, isEmptyDiff } from './recordsDiff.ts';

describe('DiffCollector', () => {
  it.each([
    ['add then update → added with latest', (c: DiffCollector<number>) => (c.add('x', 1), c.update('x', 1, 2)), { added: { x: 2 }, updated: {}, removed: {} }],
    ['add then remove → nothing', (c: DiffCollector<number>) => (c.add('x', 1), c.remove('x', 1)), { added: {}, updated: {}, removed: {} }],
    ['update twice → first from, last to', (c: DiffCollector<number>) => (c.update('x', 1, 2), c.update('x', 2, 3)), { added: {}, updated: { x: [1, 3] }, removed: {} }],
    ['update then remove → removed with first value', (c: DiffCollector<number>) => (c.update('x', 1, 2), c.remove('x', 2)), { added: {}, updated: {}, removed: { x: 1 } }],
    ['remove then add → updated', (c: DiffCollector<number>) => (c.remove('x', 1), c.add('x', 5)), { added: {}, updated: { x: [1, 5] }, removed: {} }],
  ])('%s', (_name, act, expected) => {
    const c = new DiffCollector<number>();
    act(c);
    expect(c.flush()).toEqual(expected);
    expect(c.isEmpty).toBe(true);
  });

  it('refuses impossible sequences', () => {
    const c = new DiffCollector<number>();
    c.add('x', 1);
    expect(() => c.add('x', 2)).toThrow(/added twice/);
    c.remove('x', 1);
    c.remove('y', 1);
    expect(() => c.update('y', 1, 2)).toThrow(/after removal/);
  });

  it('reports emptiness', () => {
    expect(isEmptyDiff({ added: {}, updated: {}, removed: {} })).toBe(true);
    expect(isEmptyDiff({ added: { a: 1 }, updated: {}, removed: {} })).toBe(false);
  });
});
