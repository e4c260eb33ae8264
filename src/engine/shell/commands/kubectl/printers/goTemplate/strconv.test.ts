import { describe, expect, it } from 'vitest';
import { InvalidSyntaxError, formatFloat, parseFloat64, parseInt64, parseUint, unquote, unquoteChar } from './strconv.ts';

describe('formatFloat (strconv.FormatFloat)', () => {
  it.each([
    [2.5, 'f', 0, '2'],
    [3.5, 'f', 0, '4'],
    [0.125, 'f', 2, '0.12'],
    [2.675, 'e', 2, '2.67e+00'],
    [1e-300, 'E', 6, '1.000000E-300'],
    [0.000012345, 'g', -1, '1.2345e-05'],
    [123456, 'g', 2, '1.2e+05'],
    [1, 'g', 10, '1'],
    [100000, 'g', -1, '100000'],
    [1000000, 'g', -1, '1e+06'],
    [-0, 'g', -1, '-0'],
    [0, 'e', 3, '0.000e+00'],
    [0.1, 'x', -1, '0x1.999999999999ap-04'],
    [2.5, 'x', 0, '0x1p+01'],
    [255.9, 'X', 3, '0X1.FFDP+07'],
    [-1, 'X', -1, '-0X1P+00'],
    [Infinity, 'f', 2, '+Inf'],
    [NaN, 'g', -1, 'NaN'],
  ])('%d with %s and precision %d', (x, fmt, prec, want) => {
    expect(formatFloat(x, fmt, prec)).toBe(want);
  });
});

describe('number literals (ParseInt, ParseUint, ParseFloat with base 0)', () => {
  it.each([
    ['0x1F', 31n, 31n],
    ['0o17', 15n, 15n],
    ['017', 15n, 15n],
    ['0b101', 5n, 5n],
    ['1_000', 1000n, 1000n],
    ['-7', -7n, undefined],
    ['1__0', undefined, undefined],
    ['089', undefined, undefined],
    ['99999999999999999999', undefined, undefined],
  ])('%s', (text, asInt, asUint) => {
    expect(parseInt64(text)).toBe(asInt);
    expect(parseUint(text)).toBe(asUint);
  });

  it.each([
    ['1.5', 1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['0x1p-2', 0.25],
    ['089', 89],
    ['1e', undefined],
    ['1e999', undefined],
  ])('ParseFloat(%s)', (text, want) => {
    expect(parseFloat64(text)).toBe(want);
  });
});

describe('unquote', () => {
  it.each([
    ['"\\t\\n\\x41\\u00e9"', '\t\nAé'],
    ['"\\xc3\\xa9"', 'é'],
    ['"\\101"', 'A'],
    ['`a\\n\rb`', 'a\\nb'],
    ['"\\U0001F600"', '😀'],
  ])('%s', (literal, want) => {
    expect(unquote(literal)).toBe(want);
  });

  it.each(['"\\q"', '"\\400"', '"\\ud800"', '"a'])('rejects %s', (literal) => {
    expect(() => unquote(literal)).toThrow(InvalidSyntaxError);
  });

  it('reads a character constant', () => {
    expect(unquoteChar("\\''", "'")).toEqual({ value: 39, byte: false, tail: "'" });
    expect(unquoteChar("\\x41'", "'")).toEqual({ value: 0x41, byte: true, tail: "'" });
  });
});
