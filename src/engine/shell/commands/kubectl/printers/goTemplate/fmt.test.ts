import { describe, expect, it } from 'vitest';
import { sprint, sprintf, sprintln, typeName } from './fmt.ts';
import { dataValue, int, str, value, type Maybe } from './value.ts';

// Expected texts are what Go's fmt printed through kubectl 1.32's `printf` (see ../testdata/goTemplate.json).
const i64 = (n: number) => value('int64', n);
const f64 = (n: number) => value('float64', n);
const arr = dataValue([1, 'two', null, { k: 'v' }]);
const labels = dataValue({ b: '2', a: '1' });

describe('sprintf', () => {
  it.each<[string, Maybe[], string]>([
    ['%d|%5d|%-5d|%05d|%+d', [i64(3), i64(3), i64(3), i64(3), i64(3)], '3|    3|3    |00003|+3'],
    ['%x|%X|%o|%b|%c|%q|%U', [int(255), int(255), int(8), int(5), int(65), int(65), int(65)], 'ff|FF|10|101|A|\'A\'|U+0041'],
    ['%s|%q|%10s|%-10s|%.2s|%x|% x', [str('c'), str('a"b'), str('ab'), str('ab'), str('abc'), str('hi'), str('hi')], 'c|"a\\"b"|        ab|ab        |ab|6869|68 69'],
    ['%f|%.2f|%e|%g|%8.3f', [f64(2.5), f64(2.5), f64(2.5), f64(2.5), f64(2.5)], '2.500000|2.50|2.500000e+00|2.5|   2.500'],
    ['%.0f %.0f %.2f %.1f', [f64(2.5), f64(1.5), f64(1.005), f64(0.25)], '2 2 1.00 0.2'],
    ['%v %v %v %v', [f64(1e6), f64(1e-5), f64(0.0001), f64(123456789)], '1e+06 1e-05 0.0001 1.23456789e+08'],
    ['%G|%E|%.3g', [f64(1e21), f64(1e21), f64(1234.5678)], '1E+21|1.000000E+21|1.23e+03'],
    ['%X|%b', [f64(3.5), f64(1)], '0X1.CP+01|4503599627370496p-52'],
    ['%t|%s|%d', [value('bool', true), value('bool', true), value('bool', true)], 'true|%!s(bool=true)|%!d(bool=true)'],
    ['%d %s', [], '%!d(MISSING) %!s(MISSING)'],
    ['%d', [int(1), int(2)], '1%!(EXTRA int=2)'],
    ['%z|%', [int(1)], '%!z(int=1)|%!(NOVERB)'],
    ['%v|%#v', [arr, arr], '[1 two <nil> map[k:v]]|[]interface {}{1, "two", interface {}(nil), map[string]interface {}{"k":"v"}}'],
    ['%s|%d', [arr, arr], '[%!s(int64=1) two <nil> map[k:v]]|[1 %!d(string=two) <nil> map[%!d(string=k):%!d(string=v)]]'],
    ['%s|%v', [labels, labels], 'map[a:1 b:2]|map[a:1 b:2]'],
    ['%*d|%-*d|%.*f', [int(5), int(1), int(4), int(2), int(2), f64(3.14159)], '    1|2   |3.14'],
    ['%[2]d %[1]d', [int(1), int(2)], '2 1'],
    ['%[3]d', [int(1)], '%!d(BADINDEX)'],
    ['%v %s %d', [undefined, undefined, undefined], '<nil> %!s(<nil>) %!d(<nil>)'],
    ['%T %T %T %T', [i64(1), f64(1), undefined, value('uint8', 97)], 'int64 float64 <nil> uint8'],
    ['%U|%#U', [int(-1), int(0x1f600)], "U+FFFFFFFFFFFFFFFF|U+1F600 '😀'"],
    ['%v', [value('complex128', [1, 2])], '(1+2i)'],
    ['%6.2f%%', [f64(99.5)], ' 99.50%'],
  ])('%j', (format, args, want) => {
    expect(sprintf(format, args)).toBe(want);
  });
});

describe('sprint and sprintln', () => {
  it.each<[Maybe[], string, string]>([
    [[int(1), int(2), str('a'), str('b'), int(3), f64(2.5)], '1 2ab3 2.5', '1 2 a b 3 2.5\n'],
    [[], '', '\n'],
    [[str('a'), int(1), str('b')], 'a1b', 'a 1 b\n'],
    [[undefined, str('x')], '<nil>x', '<nil> x\n'],
  ])('%j', (args, want, wantln) => {
    expect(sprint(args)).toBe(want);
    expect(sprintln(args)).toBe(wantln);
  });

  it('names the dynamic type inside an interface', () => {
    expect(typeName(value('interface {}', 'x'))).toBe('string');
    expect(typeName(value('interface {}', null))).toBe('<nil>');
  });
});
