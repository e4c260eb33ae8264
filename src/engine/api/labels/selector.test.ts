import { describe, it, expect } from 'vitest';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import {
  type Operator,
  SelectorError,
  everything,
  formatLabelSelector,
  formatLabels,
  labelSelectorAsSelector,
  matchesNothing,
  newRequirement,
  nothing,
  parseSelector,
  selectorFromSet,
  validatedSelectorFromSet,
} from './selector.ts';

const nameRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const valueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// Tables from k8s.io/apimachinery/pkg/labels/selector_test.go.
describe('parseSelector', () => {
  it.each(['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5'])('round-trips %j', (s) => {
    expect(parseSelector(s).toString()).toBe(s.replaceAll(' ', ''));
  });

  it.each(['x=a||y=b', 'x==a==b', '!x=a', 'x<a', ',x,y', 'x nott in (y)', 'a in (xyz),', 'a in (xyz)b notin ()', 'a in (xyz abc)', 'a notin(', 'a (', '('])(
    'rejects %j',
    (s) => {
      expect(() => parseSelector(s)).toThrow(SelectorError);
    },
  );

  it.each([
    ['', ''],
    ['\rx', 'x'],
    ['this-is-a-dns.domain.com/key-with-dash', 'this-is-a-dns.domain.com/key-with-dash'],
    ['this-is-another-dns.domain.com/key-with-dash in (so,what)', 'this-is-another-dns.domain.com/key-with-dash in (so,what)'],
    ['0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)', '0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)'],
    ['foo  in\t (abc)', 'foo in (abc)'],
    ['x notin\n (abc)', 'x notin (abc)'],
    ['x  notin\t\t\t(abc,def)', 'x notin (abc,def)'],
    ['x in (abc,def)', 'x in (abc,def)'],
    ['x in (abc,)', 'x in (,abc)'],
    ['x in ()', 'x in ()'],
    ['x notin (abc,,def),bar,z in (),w', 'bar,w,x notin (,abc,def),z in ()'],
    ['x,y in (a)', 'x,y in (a)'],
    ['x,,y', null],
    ['x=a', 'x=a'],
    ['x>1', 'x>1'],
    ['x<7', 'x<7'],
    ['x=a,y!=b', 'x=a,y!=b'],
    ['x=a,y!=b,z in (h,i,j)', 'x=a,y!=b,z in (h,i,j)'],
    ['x notin ( )', 'x notin ()'],
    ['x notin (, a)', 'x notin (,a)'],
    ['a ', 'a'],
    ['a in (x,y,notin, z,in)', 'a in (in,notin,x,y,z)'],
    ['x==a', 'x==a'],
    ['notin=in', 'notin=in'],
    ['x in (b,a,b)', 'x in (a,b)'],
    ['z=1,a=2,m', 'a=2,m,z=1'],
  ] as const)('%j canonicalises to %j', (s, want) => {
    if (want === null) expect(() => parseSelector(s)).toThrow(SelectorError);
    else expect(parseSelector(s).toString()).toBe(want);
  });

  it('is deterministic', () => {
    expect(parseSelector('x=a,a=x').toString()).toBe(parseSelector('a=x,x=a').toString());
  });

  it.each([
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['app:monolith', `unable to parse requirement: <nil>: Invalid value: "app:monolith": ${nameRule}`],
    [
      'app.kubernetes_io/name=x',
      "unable to parse requirement: <nil>: Invalid value: \"app.kubernetes_io/name\": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
    [
      'a/b/c ?=? def',
      "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
    ['*bar', `unable to parse requirement: <nil>: Invalid value: "*bar": ${nameRule}`],
    ['x=-a', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${valueRule}`],
    ['x in (ok,-a)', `unable to parse requirement: values[0][x]: Invalid value: "-a": ${valueRule}`],
    ['x>a', "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"],
    ['x=a b', "found 'b', expected: ',' or 'end of string'"],
    [',x', "found ',', expected: !, identifier, or 'end of string'"],
    ['x,', "found '', expected: identifier after ','"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['z<-5', `unable to parse requirement: values[0][z]: Invalid value: "-5": ${valueRule}`],
  ])('%j fails as upstream', (s, msg) => {
    let err: unknown;
    try {
      parseSelector(s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SelectorError);
    expect((err as Error).message).toBe(msg);
  });
});

describe('matching', () => {
  it.each([
    ['', { x: 'y' }, true], ['x=y', { x: 'y' }, true], ['x=y,z=w', { x: 'y', z: 'w' }, true], ['x!=y,z!=w', { x: 'z', z: 'a' }, true],
    ['notin=in', { notin: 'in' }, true], ['x', { x: 'z' }, true], ['!x', { y: 'z' }, true], ['x>1', { x: '2' }, true], ['x<1', { x: '0' }, true],
    ['x=z', {}, false], ['x=y', { x: 'z' }, false], ['x=y,z=w', { x: 'w', z: 'w' }, false], ['x!=y,z!=w', { x: 'z', z: 'w' }, false],
    ['x', { y: 'z' }, false], ['!x', { x: 'z' }, false], ['x>1', { x: '0' }, false], ['x<1', { x: '2' }, false],
    ['foo=bar', { foo: 'bar', baz: 'blah' }, true], ['baz=blah', { foo: 'bar', baz: 'blah' }, true],
    ['foo=bar,baz=blah', { foo: 'bar', baz: 'blah' }, true], ['foo=blah', { foo: 'bar', baz: 'blah' }, false],
    ['baz=bar', { foo: 'bar', baz: 'blah' }, false], ['foo=bar,foobar=bar,baz=blah', { foo: 'bar', baz: 'blah' }, false],
    ['x in (foo),y notin (alpha)', { x: 'foo', y: 'baz' }, true], ['x in (foo),y in (alpha)', { x: 'foo', y: 'baz' }, false],
    ['x notin (),y', { y: '' }, true], ['!x,y', { y: '' }, true], ['x notin (),!y', { y: '' }, false], ['x in ()', { y: 'baz' }, false],
    ['z>1', { z: '2' }, true], ['z>1', { z: 'v2' }, false], ['z>1', {}, false], ['z<5', { z: '-6' }, true],
    ['z>9223372036854775806', { z: '9223372036854775807' }, true], ['z>1', { z: '9223372036854775808' }, false],
    ['x=', {}, false], ['x=', { x: '' }, true], ['x!=a', {}, true], ['x in (a,b,c,d,e,f)', { x: 'f' }, true],
    ['x in (a,b,c,d,e,f)', { x: 'g' }, false], ['constructor', {}, false], ['!toString', {}, true],
  ] as const)('%j on %j → %j', (s, labels, want) => {
    expect(parseSelector(s).matches(labels)).toBe(want);
  });

  it('treats missing labels as an empty set', () => {
    expect(parseSelector('!a').matches(undefined)).toBe(true);
    expect(parseSelector('a').matches(undefined)).toBe(false);
  });

  it('has Everything and Nothing', () => {
    expect(everything().matches({ x: 'y' })).toBe(true);
    expect(everything().empty()).toBe(true);
    expect(nothing().matches({})).toBe(false);
    expect(nothing().empty()).toBe(false);
    expect(nothing().toString()).toBe('');
    expect(matchesNothing(nothing())).toBe(true);
    expect(matchesNothing(everything())).toBe(false);
    expect(parseSelector('').empty()).toBe(true);
  });

  it('matches sets directly', () => {
    const ls = { foo: 'bar', baz: 'blah' };
    expect(selectorFromSet({}).matches(ls)).toBe(true);
    expect(selectorFromSet(null).empty()).toBe(true);
    expect(selectorFromSet({ foo: 'bar' }).matches(ls)).toBe(true);
    expect(selectorFromSet({ foo: 'bar', baz: 'blah' }).matches(ls)).toBe(true);
    expect(selectorFromSet({ foo: 'bar', baz: 'x' }).matches(ls)).toBe(false);
    expect(selectorFromSet({ z: '1', a: '2' }).toString()).toBe('a=2,z=1');
    expect(() => validatedSelectorFromSet({ 'a b': 'x' })).toThrow(SelectorError);
  });

  it('is fast enough for a 10k-object list', () => {
    const sel = parseSelector('app=web,tier in (frontend,backend),!canary,env');
    const objs = Array.from({ length: 10000 }, (_, i) => ({ app: i % 2 ? 'web' : 'db', tier: 'frontend', env: 'prod', [`k${i % 7}`]: 'v' }));
    let n = 0;
    const t0 = process.hrtime.bigint();
    for (const o of objs) if (sel.matches(o)) n++;
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(n).toBe(5000);
    expect(ms).toBeLessThan(50);
  });
});

describe('requirements', () => {
  it.each([
    ['x', 'in', null, false], ['x', 'notin', [], false], ['x', 'in', ['foo'], true], ['x', 'notin', ['foo'], true], ['x', 'exists', null, true],
    ['x', '!', null, true], ['1foo', 'in', ['bar'], true], ['1234', 'in', ['bar'], true], ['y', 'gt', ['1'], true], ['z', 'lt', ['6'], true],
    ['foo', 'gt', ['bar'], false], ['barz', 'lt', ['blah'], false], ['a'.repeat(254), 'exists', null, false],
  ] as const)('newRequirement(%j, %s, %j) valid=%j', (key, op, vals, ok) => {
    const make = () => newRequirement(key, op, vals);
    if (ok) expect(make).not.toThrow();
    else expect(make).toThrow(SelectorError);
  });

  it('aggregates field errors as upstream', () => {
    expect(() => newRequirement('x', 'in', null)).toThrow("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
    expect(() => newRequirement('x', '=', ['a', 'b'])).toThrow('values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value');
    expect(() => newRequirement('x', 'exists', ['a'])).toThrow('values: Invalid value: []string{"a"}: values set must be empty for exists and does not exist');
    expect(() => newRequirement('a b', 'gt', ['x'])).toThrow(
      `[key: Invalid value: "a b": ${nameRule}, values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer]`,
    );
    expect(() => newRequirement('x', 'like' as Operator, [])).toThrow(
      'operator: Unsupported value: "like": supported values: "in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"',
    );
  });

  it.each([
    [[['x', 'in', ['abc', 'def']], ['y', 'notin', ['jkl']], ['z', 'exists', []]], 'x in (abc,def),y notin (jkl),z'],
    [[['x', 'notin', ['abc', 'def']], ['y', '!=', ['jkl']], ['z', '!', []]], 'x notin (abc,def),y!=jkl,!z'],
    [[['x', 'notin', ['abc']], ['y', 'in', ['jkl', 'mno']], ['z', 'notin', ['']]], 'x notin (abc),y in (jkl,mno),z notin ()'],
    [[['x', '=', ['abc']], ['y', '==', ['jkl']], ['z', '!=', ['a']], ['z', 'exists', []]], 'x=abc,y==jkl,z!=a,z'],
    [[['x', 'gt', ['2']], ['y', 'lt', ['8']], ['z', 'exists', []]], 'x>2,y<8,z'],
    [[['x', 'in', ['def', 'abc']]], 'x in (abc,def)'],
  ] as const)('prints %j as %j', (reqs, want) => {
    const sel = everything().add(...reqs.map(([k, op, v]) => newRequirement(k, op as Operator, v)));
    expect(sel.toString()).toBe(want);
  });

  it('adds requirements sorted by key and reports exact matches', () => {
    const sel = parseSelector('key in (value)').add(newRequirement('a', '=', ['b']));
    expect(sel.toString()).toBe('a=b,key in (value)');
    expect(sel.requirements().map((r) => r.key)).toEqual(['a', 'key']);
    expect(sel.requiresExactMatch('key')).toBe('value');
    expect(sel.requiresExactMatch('a')).toBe('b');
    expect(parseSelector('a!=b').requiresExactMatch('a')).toBeUndefined();
    expect(nothing().add(newRequirement('a', 'exists', []))).toBe(nothing());
  });
});

describe('LabelSelectorAsSelector and FormatLabelSelector', () => {
  it.each<[LabelSelector | null | undefined, string]>([
    [null, '<none>'],
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ matchLabels: {} }, '<none>'],
    [{ matchLabels: { app: 'web', tier: 'fe' } }, 'app=web,tier=fe'],
    [{ matchLabels: { tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, 'env in (dev,prod),tier=fe'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }, { key: 'b', operator: 'Exists' }, { key: 'c', operator: 'DoesNotExist' }] }, 'a notin (x),b,!c'],
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '<error>'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, '<error>'],
    [{ matchLabels: { 'bad key': 'x' } }, '<error>'],
  ])('%j prints %j', (ls, want) => {
    expect(formatLabelSelector(ls)).toBe(want);
  });

  it('maps nil to Nothing and empty to Everything', () => {
    expect(matchesNothing(labelSelectorAsSelector(null))).toBe(true);
    expect(labelSelectorAsSelector({}).empty()).toBe(true);
    expect(labelSelectorAsSelector({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorAsSelector({ matchLabels: { app: 'web' } }).matches({ app: 'web', x: 'y' })).toBe(true);
  });

  it('words its errors as upstream', () => {
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Foo' }] })).toThrow('"Foo" is not a valid label selector operator');
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    );
    expect(() => labelSelectorAsSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toThrow(
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    );
  });

  it('formats label sets as --show-labels does', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });
});
