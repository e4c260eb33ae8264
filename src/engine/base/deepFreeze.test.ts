import { describe, expect, it } from 'vitest';
import { deepFreeze, StringInterner } from './deepFreeze.ts';

describe('deepFreeze', () => {
  it('freezes every object and array of a parsed graph', () => {
    const o = deepFreeze(JSON.parse('{"a":{"b":[1,{"c":"x"}]},"d":"y"}') as { a: { b: [number, { c: string }] }; d: string });
    expect(Object.isFrozen(o) && Object.isFrozen(o.a) && Object.isFrozen(o.a.b) && Object.isFrozen(o.a.b[1])).toBe(true);
    expect(() => {
      (o.a.b[1] as { c: string }).c = 'z';
    }).toThrow(TypeError);
  });

  it('interns string values in objects and arrays, leaving the data equal', () => {
    const seen: string[] = [];
    const intern = (s: string) => {
      seen.push(s);
      return s;
    };
    const text = '{"kind":"Pod","spec":{"containers":[{"image":"nginx","args":["a","b"]}]},"n":1,"t":true,"z":null}';
    expect(deepFreeze(JSON.parse(text), intern)).toEqual(JSON.parse(text));
    expect(seen.sort()).toEqual(['Pod', 'a', 'b', 'nginx']);
  });
});

describe('StringInterner', () => {
  it('keeps each short string once, skips long ones, and starts over when full', () => {
    const interner = new StringInterner(3, 8);
    expect(interner.intern('default')).toBe('default');
    expect(interner.intern(['def', 'ault'].join(''))).toBe('default');
    expect(interner.size).toBe(1);
    expect(interner.intern('x'.repeat(9))).toBe('x'.repeat(9));
    expect(interner.size).toBe(1);
    for (const s of ['a', 'b']) interner.intern(s);
    expect(interner.size).toBe(3);
    interner.intern('c');
    expect(interner.size).toBe(1);
  });
});
