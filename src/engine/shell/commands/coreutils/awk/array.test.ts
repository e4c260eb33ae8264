import { describe, expect, it } from 'vitest';
import { AwkArray } from './array.ts';
import type { Value } from './value.ts';

// Expected orders are what mawk 1.3.4 20200120 (Debian's awk) prints for `for (k in a)`.
describe('AwkArray', () => {
  it.each<[string, Value[], string]>([
    ['ints then strings', [1, 2, 10, 3, 'x', 'b', 'a', -1], '3 10 x 2 1 b -1 a'],
    ['1..20', Array.from({ length: 20 }, (_, i) => i + 1), '3 10 8 6 15 5 2 11 1 16 4 12 18 17 9 7 14 13 20 19'],
    ['strings', ['x', 'y', 'z', 'w'], 'x z y w'],
    ['multiples of 7', [0, 7, 14, 21, 28], '28 21 0 7 14'],
    ['multiples of 7 and a string', [0, 7, 14, 21, 28, 'k'], '28 k 21 0 7 14'],
  ])('iterates %s in mawk order', (_name, keys, order) => {
    const a = new AwkArray();
    for (const k of keys) a.get(k, '%.6g');
    expect(a.keys().join(' ')).toBe(order);
  });

  it('matches mawk after the table has doubled', () => {
    const a = new AwkArray();
    const b = new AwkArray();
    for (let i = 1; i <= 1000; i++) {
      a.get(i, '%.6g');
      b.get(`k${i}`, '%.6g');
    }
    expect(a.keys().slice(0, 12).join(' ')).toBe('243 94 979 588 702 171 513 374 495 613 187 824');
    expect(b.keys().slice(0, 12).join(' ')).toBe('k990 k653 k477 k301 k827 k742 k553 k526 k298 k276 k203 k144');
  });

  it('keeps a split vector, deletes and grows past the first table', () => {
    const a = new AwkArray();
    a.load(['a', 'b', 'c']);
    expect(a.get(2, '%.6g')).toBe('b');
    a.delete(2, '%.6g');
    expect([a.length, a.has(2, '%.6g'), a.has('3', '%.6g')]).toEqual([2, false, true]);
    for (let i = 0; i < 2000; i++) a.set(`k${i}`, '%.6g', i);
    expect(a.length).toBe(2002);
    expect(a.get('k1999', '%.6g')).toBe(1999);
    expect(new Set(a.keys()).size).toBe(2002);
  });
});
