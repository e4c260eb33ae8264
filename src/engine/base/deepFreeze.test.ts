import { describe, expect, it } from 'vitest';
import { deepCopy, deepFreeze, freezeShared, StringInterner, SubtreeSharer } from './deepFreeze.ts';

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

describe('freezeShared', () => {
  const pod = (name: string, second: number) =>
    JSON.parse(
      JSON.stringify({
        metadata: { name },
        spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], securityContext: {}, priority: 0, enableServiceLinks: true, nodeSelector: null },
        status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: `2026-01-01T00:00:0${second}Z` }] },
      }),
    ) as { metadata: object; spec: { tolerations: object[]; securityContext: object }; status: { conditions: object[] } };

  it('shares equal small subtrees between graphs and keeps different ones apart', () => {
    const sharer = new SubtreeSharer();
    const a = freezeShared(pod('a', 1), sharer);
    const b = freezeShared(pod('b', 1), sharer);
    const c = freezeShared(pod('c', 2), sharer);
    expect(b.spec.tolerations).toBe(a.spec.tolerations);
    expect(b.spec.securityContext).toBe(a.spec.securityContext);
    expect(b.status.conditions).toBe(a.status.conditions);
    expect(c.status.conditions).not.toBe(a.status.conditions);
    expect(b.metadata).not.toBe(a.metadata);
    expect(b).toEqual(pod('b', 1));
    expect(Object.isFrozen(b) && Object.isFrozen(b.spec.tolerations[0])).toBe(true);
  });

  it.each([
    ['a string and a number', { v: '1' }, { v: 1 }],
    ['null and "null"', { v: null }, { v: 'null' }],
    ['key order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['an array and an object', { v: ['x'] }, { v: { 0: 'x' } }],
    ['quotes in text', { v: 'a","b' }, { v: 'a', b: '' }],
  ])('never confuses %s', (_, x, y) => {
    const sharer = new SubtreeSharer();
    expect(freezeShared(structuredClone(y), sharer)).not.toBe(freezeShared(structuredClone(x), sharer));
  });

  it('leaves subtrees longer than its limit unshared, and stays bounded', () => {
    const sharer = new SubtreeSharer(4, 20);
    const long = () => ({ text: 'x'.repeat(30) });
    expect(freezeShared(long(), sharer)).not.toBe(freezeShared(long(), sharer));
    for (let i = 0; i < 4; i++) freezeShared({ i }, sharer);
    expect(sharer.size).toBe(4);
    freezeShared({ i: 9 }, sharer);
    expect(sharer.size).toBe(1);
  });
});

describe('deepCopy', () => {
  it('copies a shared frozen object into independent, writable parts, where structuredClone keeps the sharing', () => {
    // Two equal empty subtrees of one object become one shared object in the watch cache.
    const stored = freezeShared({ spec: { resources: {} as Record<string, unknown> }, status: {} as Record<string, unknown> }, new SubtreeSharer());
    expect(stored.spec.resources).toBe(stored.status);
    const cloned = structuredClone(stored);
    expect(cloned.spec.resources).toBe(cloned.status);
    const copy = deepCopy(stored);
    expect(copy).toEqual(stored);
    expect(copy.spec.resources).not.toBe(copy.status);
    copy.status.replicas = 3;
    expect(copy.spec.resources).toEqual({});
    expect(stored.status).toEqual({});
  });
});
