import { describe, expect, it } from 'vitest';
import type { JsonObject } from './goJson.ts';
import { applyMergePatch, createMergePatch } from './mergePatch.ts';

describe('applyMergePatch', () => {
  // RFC 7386 appendix A, the cases whose target and patch are objects (the apiserver rejects others).
  it.each<[JsonObject, JsonObject, JsonObject]>([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it.each<[string, JsonObject, JsonObject, JsonObject]>([
    ['keeps nulls inside an array that replaces an object', { a: {} }, { a: [1, null] }, { a: [1, null] }],
    ['prunes nulls from an array that replaces a scalar', { a: 'x' }, { a: [1, null, { b: null }] }, { a: [1, {}] }],
    ['prunes nulls from a new array', {}, { a: [null, 2] }, { a: [2] }],
  ])('json-patch.v4: %s', (_name, target, patch, expected) => {
    expect(applyMergePatch(target, patch)).toEqual(expected);
  });

  it('changes neither argument', () => {
    const target: JsonObject = { a: { b: 1 } };
    const patch: JsonObject = { a: { c: { d: null } } };
    applyMergePatch(target, patch);
    expect(target).toEqual({ a: { b: 1 } });
    expect(patch).toEqual({ a: { c: { d: null } } });
  });
});

describe('createMergePatch', () => {
  it.each<[string, JsonObject, JsonObject, JsonObject]>([
    ['no change', { a: 1, b: { c: [1] } }, { a: 1, b: { c: [1] } }, {}],
    ['changed, added and removed members', { a: 1, b: 2, c: { d: 1, e: 2 } }, { a: 2, c: { d: 1 }, f: 3 }, { a: 2, b: null, c: { e: null }, f: 3 }],
    ['arrays whole', { a: [1, 2] }, { a: [1, 3] }, { a: [1, 3] }],
    ['type change', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
  ])('%s', (_name, original, modified, expected) => {
    const patch = createMergePatch(original, modified);
    expect(patch).toEqual(expected);
    expect(applyMergePatch(original, patch)).toEqual(modified);
  });
});
