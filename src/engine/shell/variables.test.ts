/**
 * Variables: arrays, attributes and scopes. Orders and `declare -p` lines came from GNU bash 5.2.15.
 */
import { describe, expect, it } from 'vitest';
import { VariableError, Variables } from './variables.ts';

const KEYS = ['web-0', 'web-1', 'web-2', 'db-0', 'nginx', 'redis', 'api', 'kube-system', 'default', 'kube-public', 'app=web', 'a b', 'é', '中文', 'x', 'y', 'z', '10', '2', '1'];

describe('Variables', () => {
  it('lists associative keys in bash\'s hash-table order, however they were set', () => {
    const vars = new Variables();
    vars.declare('m', ['assoc']);
    for (const k of KEYS) vars.setElement('m', k, '1');
    const bash = 'kube-system|2|1|kube-public|z|y|x|api|nginx|redis|中文|web-2|web-0|web-1|10|app=web|a b|db-0|default|é';
    expect(vars.keys('m').join('|')).toBe(bash);
    // Changing a value keeps the key's place; unsetting and setting again puts it first in its bucket.
    vars.setElement('m', 'web-0', '2');
    vars.unsetElement('m', 'db-0');
    vars.setElement('m', 'db-0', '3');
    expect(vars.keys('m').join('|')).toBe(bash);
  });

  it.each<[string, (v: Variables) => void, string | undefined]>([
    ['scalar', (v) => v.set('x', 'a "b" $c `d` \\e'), 'declare -- x="a \\"b\\" \\$c \\`d\\` \\\\e"'],
    ['control characters', (v) => v.set('x', ' \t\n'), "declare -- x=$' \\t\\n'"],
    ['declared, never assigned', (v) => v.declare('x', ['indexed']), 'declare -a x'],
    ['sparse array', (v) => v.setArray('x', [{ value: 'a' }, { key: 5, value: 'b' }, { value: 'c' }]), 'declare -a x=([0]="a" [5]="b" [6]="c")'],
    ['empty array', (v) => v.setArray('x', []), 'declare -a x=()'],
    ['associative, quoted keys', (v) => (v.declare('x', ['assoc']), v.setArray('x', [{ key: '*', value: '3' }, { key: 'a-b', value: '2' }])), 'declare -A x=(["*"]="3" [a-b]="2" )'],
    ['attributes in bash\'s order', (v) => (v.declare('x', ['exported', 'readonly', 'integer', 'indexed']), undefined), 'declare -airx x'],
    ['unset', () => undefined, undefined],
  ])('describes %s as declare -p does', (_, setup, line) => {
    const vars = new Variables();
    setup(vars);
    expect(vars.describe('x')).toBe(line);
  });

  it('treats a scalar as element 0 of an array, and the other way round', () => {
    const vars = new Variables();
    vars.set('a', 'x');
    vars.setElement('a', 2, 'z');
    expect(vars.values('a')).toEqual(['x', 'z']);
    vars.set('a', 'y');
    expect(vars.describe('a')).toBe('declare -a a=([0]="y" [2]="z")');
    expect(vars.scalar('a')).toBe('y');
    expect(vars.element('a', -1)).toBe('z');
    expect(vars.badIndex('a', -4)).toBe(true);
    expect(() => vars.setElement('a', -4, 'w')).toThrow(new VariableError('a[-4]: bad array subscript'));
  });

  it('applies integer and case attributes on assignment', () => {
    const vars = new Variables();
    vars.evaluate = (expr) => String(expr.split('+').reduce((sum, n) => sum + Number(n.replace(/[()]/g, '')), 0));
    vars.declare('n', ['integer']);
    vars.set('n', '2+3');
    vars.set('n', '4', { append: true });
    vars.declare('u', ['upper']);
    vars.set('u', 'abc');
    expect([vars.scalar('n'), vars.scalar('u')]).toEqual(['9', 'ABC']);
  });

  it('refuses to change a readonly variable, in bash\'s words', () => {
    const vars = new Variables();
    vars.set('r', '1');
    vars.declare('r', ['readonly']);
    expect(() => vars.set('r', '2')).toThrow(new VariableError('r: readonly variable'));
    expect(() => vars.unset('r')).toThrow(new VariableError('r: cannot unset: readonly variable'));
  });

  it('hides a caller\'s variable behind a local until the function returns (dynamic scoping)', () => {
    const vars = new Variables();
    vars.set('x', 'global', { exported: true });
    vars.pushFrame();
    vars.local('x');
    expect([vars.scalar('x'), vars.get('x')?.exported]).toEqual([undefined, true]);
    vars.set('x', 'local');
    vars.pushFrame();
    expect(vars.scalar('x')).toBe('local');
    vars.popFrame();
    vars.popFrame();
    expect(vars.scalar('x')).toBe('global');
    expect(vars.inFunction).toBe(false);
  });

  it('clones deeply, for a subshell', () => {
    const vars = new Variables();
    vars.setArray('a', [{ value: '1' }]);
    const copy = vars.clone();
    copy.setElement('a', 1, '2');
    expect(vars.values('a')).toEqual(['1']);
    expect(copy.values('a')).toEqual(['1', '2']);
  });
});
