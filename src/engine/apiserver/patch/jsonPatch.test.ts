import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from './goJson.ts';
import { applyJsonPatch, JsonPatchError } from './jsonPatch.ts';

/** Drops null and empty-object members and sorts keys, as the golden results are normalized. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = normalize((v as Record<string, unknown>)[k]);
      if (x === null || x === undefined || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0)) continue;
      out[k] = x;
    }
    return out;
  }
  return v;
}

interface GoldenCase {
  patch: Json;
  result?: unknown;
  error?: string;
}
const golden = JSON.parse(readFileSync(new URL('./testdata/kubectl-patch.json', import.meta.url), 'utf8')) as {
  json: { object: JsonObject; cases: GoldenCase[] };
};

describe('applyJsonPatch', () => {
  // RFC 6902 appendix A, with the outcomes json-patch.v4 gives them.
  it.each<[string, Json, Json[], Json | string]>([
    ['A.1 adding an object member', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }], { foo: 'bar', baz: 'qux' }],
    ['A.2 adding an array element', { foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }], { foo: ['bar', 'qux', 'baz'] }],
    ['A.3 removing an object member', { baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }], { foo: 'bar' }],
    ['A.4 removing an array element', { foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }], { foo: ['bar', 'baz'] }],
    ['A.5 replacing a value', { baz: 'qux', foo: 'bar' }, [{ op: 'replace', path: '/baz', value: 'boo' }], { baz: 'boo', foo: 'bar' }],
    [
      'A.6 moving a value',
      { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    ],
    ['A.7 moving an array element', { foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }], { foo: ['all', 'cows', 'eat', 'grass'] }],
    [
      'A.8 testing a value: success',
      { baz: 'qux', foo: ['a', 2, 'c'] },
      [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'test', path: '/foo/1', value: 2 },
      ],
      { baz: 'qux', foo: ['a', 2, 'c'] },
    ],
    ['A.9 testing a value: error', { baz: 'qux' }, [{ op: 'test', path: '/baz', value: 'bar' }], 'testing value /baz failed: test failed'],
    ['A.10 adding a nested member object', { foo: 'bar' }, [{ op: 'add', path: '/child', value: { grandchild: {} } }], { foo: 'bar', child: { grandchild: {} } }],
    ['A.11 ignoring unrecognized elements', { foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux', xyz: 123 }], { foo: 'bar', baz: 'qux' }],
    ['A.12 adding to a nonexistent target', { foo: 'bar' }, [{ op: 'add', path: '/baz/bat', value: 'qux' }], 'add operation does not apply: doc is missing path: "/baz/bat": missing value'],
    ['A.14 ~ escape ordering', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: 10 }], { '/': 9, '~1': 10 }],
    ['A.15 comparing strings and numbers', { '/': 9, '~1': 10 }, [{ op: 'test', path: '/~01', value: '10' }], 'testing value /~01 failed: test failed'],
    ['A.16 adding an array value', { foo: ['bar'] }, [{ op: 'add', path: '/foo/-', value: ['abc', 'def'] }], { foo: ['bar', ['abc', 'def']] }],
  ])('%s', (_name, doc, ops, expected) => {
    const run = () => applyJsonPatch(doc as JsonObject, ops);
    if (typeof expected === 'string') expect(run).toThrow(new JsonPatchError(expected));
    else expect(run()).toEqual(expected);
  });

  it.each(golden.json.cases.map((c) => [JSON.stringify(c.patch), c] as const))('matches kubectl 1.32: %s', (_name, c) => {
    const run = () => applyJsonPatch(golden.json.object, c.patch as Json[]);
    if (c.error !== undefined) {
      expect(run).toThrow(JsonPatchError);
      expect(() => run()).toThrow(c.error);
    } else {
      const out = run() as JsonObject;
      expect(normalize({ metadata: out['metadata'], data: out['data'] })).toEqual(c.result);
    }
  });

  it.each<[string, Json[], string]>([
    ['replace of a missing array index', [{ op: 'replace', path: '/a/3', value: 1 }], 'replace operation does not apply: doc is missing key: /a/3: missing value'],
    ['an unknown op', [{ op: 'frob', path: '/a' }], 'Unexpected kind: frob'],
    ['a null operation', [null], 'Unexpected kind: unknown'],
  ])('fails on %s', (_name, ops, message) => {
    expect(() => applyJsonPatch({ a: [1] }, ops)).toThrow(new JsonPatchError(message));
  });

  it.each<[string, Json[]]>([
    ['test of a missing key without value', [{ op: 'test', path: '/nope' }]],
    ['replace of the root without value', [{ op: 'replace', path: '' }]],
  ])('marks the nil dereference of %s as a panic', (_name, ops) => {
    try {
      applyJsonPatch({ a: 1 }, ops);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JsonPatchError);
      expect((e as JsonPatchError).panic).toBe(true);
    }
  });

  it('does not change its input', () => {
    const doc: JsonObject = { a: { b: [1, 2] } };
    const out = applyJsonPatch(doc, [{ op: 'add', path: '/a/b/-', value: 3 }, { op: 'remove', path: '/a/b/0' }]);
    expect(doc).toEqual({ a: { b: [1, 2] } });
    expect(out).toEqual({ a: { b: [2, 3] } });
  });

  it('replaces the whole document at the root path', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
  });
});
