import { describe, it, expect } from 'vitest';
import {
  FieldSelectorError,
  checkFieldLabels,
  escapeValue,
  everythingFields,
  oneTermEqualSelector,
  parseFieldSelector,
  unescapeValue,
} from './selector.ts';

// Tables from k8s.io/apimachinery/pkg/fields/selector_test.go.
describe('escaping', () => {
  it.each([
    ['', ''],
    ['a', 'a'],
    ['=', '\\='],
    [',', '\\,'],
    ['\\', '\\\\'],
    ['\\=\\,\\', '\\\\\\=\\\\\\,\\\\'],
  ])('escapes %j as %j and back', (raw, escaped) => {
    expect(escapeValue(raw)).toBe(escaped);
    expect(unescapeValue(escaped)).toBe(raw);
  });

  it.each([
    ['\\', 'invalid field selector: invalid escape sequence: \\'],
    ['\\\\\\', 'invalid field selector: invalid escape sequence: \\'],
    ['\\a', 'invalid field selector: invalid escape sequence: \\a'],
    ['a=b', 'invalid field selector: unescaped character in value: 61'],
    ['a,b', 'invalid field selector: unescaped character in value: 44'],
  ])('rejects %j', (v, msg) => {
    expect(() => unescapeValue(v)).toThrow(new FieldSelectorError(msg));
  });
});

describe('parseFieldSelector', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=a||y\\=b', 'x=a\\=\\=b'])('round-trips %j', (s) => {
    expect(parseFieldSelector(s).toString()).toBe(s);
  });

  it.each([
    ['x=a||y=b', 'invalid field selector: unescaped character in value: 61'],
    ['x==a==b', 'invalid field selector: unescaped character in value: 61'],
    ['x=a,b', "invalid selector: 'x=a,b'; can't understand 'b'"],
    ['x in (a)', "invalid selector: 'x in (a)'; can't understand 'x in (a)'"],
    ['x in (a,b,c)', "invalid selector: 'x in (a,b,c)'; can't understand 'b'"],
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['k=\\a', 'invalid field selector: invalid escape sequence: \\a'],
  ])('rejects %j', (s, msg) => {
    let err: unknown;
    try {
      parseFieldSelector(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FieldSelectorError);
    expect((err as Error).message).toBe(msg);
  });

  it.each([
    ['x=a,a=x', 'a=x,x=a'],
    ['a=b,,c=d,', 'a=b,c=d'],
    ['b==2,a!=1', 'a!=1,b=2'],
    ['metadata.name=web', 'metadata.name=web'],
    ['k=\\,,k2=v2', 'k2=v2,k=\\,'],
    ['a = b', 'a = b'],
    ['함=수,목=록', '목=록,함=수'],
  ])('%j canonicalises to %j', (s, want) => {
    expect(parseFieldSelector(s).toString()).toBe(want);
  });

  it('exposes its requirements, sorted, == as =', () => {
    expect(parseFieldSelector('status.phase!=Running,metadata.name==web').requirements()).toEqual([
      expect.objectContaining({ field: 'metadata.name', operator: '=', value: 'web' }),
      expect.objectContaining({ field: 'status.phase', operator: '!=', value: 'Running' }),
    ]);
    expect(parseFieldSelector('spec.nodeName=').requiresExactMatch('spec.nodeName')).toBe('');
    expect(parseFieldSelector('spec.nodeName!=a').requiresExactMatch('spec.nodeName')).toBeUndefined();
    expect(parseFieldSelector('').empty()).toBe(true);
    expect(everythingFields().empty()).toBe(true);
  });
});

describe('matching', () => {
  const fieldset = { foo: 'bar', baz: 'blah', complex: '=value\\,\\' };
  it.each([
    ['', { x: 'y' }, true],
    ['x=y', { x: 'y' }, true],
    ['x=y,z=w', { x: 'y', z: 'w' }, true],
    ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true],
    ['x=y', { x: 'z' }, false],
    ['x=y,z=w', { x: 'w', z: 'w' }, false],
    ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['foo=bar', fieldset, true],
    ['baz=blah', fieldset, true],
    ['foo=bar,baz=blah', fieldset, true],
    ['foo=bar,baz=blah,complex=\\=value\\\\\\,\\\\', fieldset, true],
    ['foo=blah', fieldset, false],
    ['baz=bar', fieldset, false],
    ['foo=bar,foobar=bar,baz=blah', fieldset, false],
    ['spec.nodeName=', {}, true],
    ['spec.nodeName!=', { 'spec.nodeName': 'node-1' }, true],
    ['constructor=', {}, true],
  ] as const)('%j on %j → %j', (s, fields, want) => {
    expect(parseFieldSelector(s).matches(fields)).toBe(want);
  });

  it('builds one-term selectors', () => {
    expect(oneTermEqualSelector('x', 'y').matches({ x: 'y' })).toBe(true);
    expect(oneTermEqualSelector('x', 'y').matches({ x: 'z' })).toBe(false);
    expect(oneTermEqualSelector('x', 'a,b').toString()).toBe('x=a\\,b');
  });
});

describe('checkFieldLabels', () => {
  const pods = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase'];
  it.each([
    ['metadata.name=web', undefined],
    ['spec.nodeName=n1,status.phase!=Running', undefined],
    ['spec.replicas=3', 'field label not supported: spec.replicas'],
    ['zeta=1,alpha=2', 'field label not supported: alpha'],
    ['', undefined],
  ])('%j → %j', (s, want) => {
    expect(checkFieldLabels(parseFieldSelector(s), pods)).toBe(want);
  });
});
