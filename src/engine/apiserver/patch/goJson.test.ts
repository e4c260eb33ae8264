import { describe, expect, it } from 'vitest';
import { atoi, GoJsonError, goFormat, parseGoJson } from './goJson.ts';

describe('parseGoJson', () => {
  it.each([
    ['', 'unexpected end of JSON input'],
    ['   ', 'unexpected end of JSON input'],
    ['x', "invalid character 'x' looking for beginning of value"],
    ['{"a":1', 'unexpected end of JSON input'],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', 'invalid character \'"\' after object key:value pair'],
    ['{a:1}', "invalid character 'a' looking for beginning of object key string"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":1}}', "invalid character '}' after top-level value"],
    ['tru', 'unexpected end of JSON input'],
    ['trux', "invalid character 'x' in literal true (expecting 'e')"],
    ['nul!', "invalid character '!' in literal null (expecting 'l')"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.x', "invalid character 'x' after decimal point in numeric literal"],
    ['1ex', "invalid character 'x' in exponent of numeric literal"],
    ['"\\q"', "invalid character 'q' in string escape code"],
    ['"\\u12x4"', "invalid character 'x' in \\u hexadecimal character escape"],
    ['"a\nb"', "invalid character '\\n' in string literal"],
    ["{'a':1}", "invalid character '\\'' looking for beginning of object key string"],
  ])('%j fails as Go fails', (text, message) => {
    expect(() => parseGoJson(text)).toThrow(new GoJsonError(message));
  });

  it.each([
    ['{"a":[1,2.5,"x",true,null,{}]}', { a: [1, 2.5, 'x', true, null, {}] }],
    [' [ ] ', []],
    ['"\\u00e9\\n"', 'é\n'],
    ['{"__proto__":1}', JSON.parse('{"__proto__":1}')],
  ])('parses %j', (text, value) => {
    expect(parseGoJson(text)).toEqual(value);
  });
});

describe('goFormat', () => {
  it.each<[unknown, string]>([
    [null, '<nil>'],
    ['x', 'x'],
    [80, '80'],
    [1.5, '1.5'],
    [1234567.5, '1.2345675e+06'],
    [0.00001, '1e-05'],
    [true, 'true'],
    [['a', 1], '[a 1]'],
    [{ name: 'a', image: 'x', ports: [{ containerPort: 80 }] }, 'map[image:x name:a ports:[map[containerPort:80]]]'],
  ])('%j prints as %s', (value, text) => {
    expect(goFormat(value)).toBe(text);
  });
});

describe('atoi', () => {
  it.each<[string, number | string]>([
    ['3', 3],
    ['-1', -1],
    ['+2', 2],
    ['007', 7],
    ['x', 'strconv.Atoi: parsing "x": invalid syntax'],
    ['', 'strconv.Atoi: parsing "": invalid syntax'],
    ['1.0', 'strconv.Atoi: parsing "1.0": invalid syntax'],
    ['99999999999999999999', 'strconv.Atoi: parsing "99999999999999999999": value out of range'],
  ])('%j', (text, expected) => {
    const got = atoi(text);
    if (typeof expected === 'number') expect(got).toBe(expected);
    else expect(got).toEqual(new GoJsonError(expected));
  });
});
