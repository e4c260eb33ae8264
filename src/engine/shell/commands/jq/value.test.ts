import { describe, expect, it } from 'vitest';
import { readJson } from './json.ts';
import { type Value, compare, dump, dumpTruncated, formatDouble, parseNumberLiteral } from './value.ts';

function read(text: string): Value[] | string {
  const values: Value[] = [];
  for (const event of readJson([{ name: '<stdin>', text }])) {
    if (event.kind === 'error') return event.message;
    values.push(event.value);
  }
  return values;
}

describe('jq values', () => {
  // decNumber's to-scientific-string, as jq 1.7.1 prints a literal read from JSON.
  it.each([
    ['1.0', '1.0'],
    ['1.000', '1.000'],
    ['1e2', '1E+2'],
    ['1E01', '1E+1'],
    ['1.e1', '1E+1'],
    ['100000000000000000001', '100000000000000000001'],
    ['1E1000', '1E+1000'],
    ['0.00001', '0.00001'],
    ['1e-7', '1E-7'],
    ['-0', '-0'],
    ['-00', '-0'],
    ['0.0e0', '0.0'],
    ['1E-6', '0.000001'],
    ['12.3400', '12.3400'],
    ['01', '1'],
    ['1.', '1'],
    ['.5', '0.5'],
    ['+.5e-1', '0.05'],
    ['0E5', '0E+5'],
    ['1e1000000000', '1.7976931348623157e+308'],
  ])('the literal %s prints as %s', (text, printed) => {
    expect(dump(parseNumberLiteral(text)!)).toBe(printed);
  });

  it.each([
    [1e15, '1000000000000000'],
    [1e16, '1e+16'],
    [12e15, '12000000000000000'],
    [12e16, '1.2e+17'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1 / 3, '0.3333333333333333'],
    [100 / 3, '33.333333333333336'],
    [123456789012345680, '123456789012345680'],
    [12345678901234567e14, '1234567890123456700000000000000'],
    [5e-324, '5e-324'],
    [-0, '-0'],
    [NaN, 'null'],
    [-Infinity, '-1.7976931348623157e+308'],
  ])('the computed number %d prints as %s', (n, printed) => {
    expect(formatDouble(n)).toBe(printed);
  });

  it('sorts in jq order: null, false, true, numbers, strings, arrays, objects', () => {
    const values = read('[null,true,false,0,-1,"a","B",[1],[0,5],{"b":1},{"a":2},{"a":1,"b":0},"é","z"]') as Value[][];
    expect(dump([...values[0]!].sort(compare))).toBe('[null,false,true,-1,0,"B","a","z","é",[0,5],[1],{"a":2},{"a":1,"b":0},{"b":1}]');
  });

  it.each([
    ['1.0', '1', 0],
    ['1.10', '1.1', 0],
    ['100000000000000000001', '100000000000000000000', 1],
    ['-0', '0', 0],
    ['0.12345678901234567890123456789', '0.12345678901234567890123456788', 1],
    ['-2', '-10', 1],
  ])('compares the literals %s and %s exactly', (a, b, c) => {
    expect(Math.sign(compare(parseNumberLiteral(a)!, parseNumberLiteral(b)!))).toBe(c);
  });

  it('compares NaN below every number', () => {
    expect(compare(NaN, NaN)).toBe(-1);
    expect(compare(NaN, -Infinity)).toBe(-1);
    expect(compare(1, NaN)).toBe(1);
  });

  it.each([
    ['"abcdefghijklmnopqrstuvwxyz"', '"abcdefghij...'],
    ['"abcdefghijkl"', '"abcdefghijkl"'],
    ['"abcdefghi€xyz0123"', '"abcdefghi\ufffd...'],
  ])('cuts %s to %s in a message', (json, shown) => {
    expect(dumpTruncated((read(json) as Value[])[0]!, 15)).toBe(shown);
  });

  it.each([
    ['1 2 {"a":1}{"a":2}\n[3]', '1 2 {"a":1} {"a":2} [3]'],
    ['{"a":1,"b":2,"a":3}', '{"a":3,"b":2}'],
    ['"\\ud83d\\ude00\\udc00"', '"😀\ufffd"'],
    ['[' .repeat(256) + ']'.repeat(256), '[' .repeat(256) + ']'.repeat(256)],
    ['[' .repeat(257), 'Exceeds depth limit for parsing at line 1, column 257'],
    ['"\\ud800x"', 'Invalid \\uXXXX\\uXXXX surrogate pair escape at line 1, column 9'],
    ['nax', 'Invalid numeric literal at EOF at line 1, column 3'],
    ['nul1', 'Invalid literal at EOF at line 1, column 4'],
    ["'a'", 'Invalid string literal; expected ", but got \' at EOF at line 1, column 3'],
  ])('reads %j', (text, expected) => {
    const r = read(text);
    expect(typeof r === 'string' ? r : r.map((v) => dump(v)).join(' ')).toBe(expected);
  });
});
