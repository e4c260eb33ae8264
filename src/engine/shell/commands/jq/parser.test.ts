import { describe, expect, it } from 'vitest';
import { builtins } from './builtins.ts';
import { checkNames } from './interpreter.ts';
import { formatCompileErrors, parse } from './parser.ts';

/** jq's compile errors for a program, as jq prints them to stderr (empty when it compiles). */
function compile(program: string): string {
  const result = parse(program);
  const errors = result.ast ? checkNames(result.ast, builtins(), new Set(['ENV', 'ARGS'])) : result.errors;
  return errors.length > 0 ? formatCompileErrors(program, errors) : '';
}

const at = (line: string, pad: number, n = 1) => ` at <top-level>, line ${n}:\n${line}${' '.repeat(pad)}\n`;
const syntax = (unexpected: string, line: string, pad: number) => `jq: error: syntax error, unexpected ${unexpected} (Unix shell quoting issues?)${at(line, pad)}`;
const one = 'jq: 1 compile error\n';
const two = 'jq: 2 compile errors\n';

describe('jq compile errors', () => {
  // jq 1.7.1's texts (bison 3.8 names the end "end of file"); the padding is the error's column.
  it.each([
    ['.a |', syntax('end of file', '.a |', 3) + one],
    ['{a:}', syntax("'}'", '{a:}', 3) + one],
    ['.a.b)', syntax('INVALID_CHARACTER, expecting end of file', '.a.b)', 4) + one],
    [')', syntax('INVALID_CHARACTER, expecting end of file', ')', 0) + one],
    ['|', syntax("'|', expecting end of file", '|', 0) + one],
    ['end', syntax('end, expecting end of file', 'end', 0) + one],
    ['if . then 1', syntax('end of file', 'if . then 1', 10) + `jq: error: Possibly unterminated 'if' statement${at('if . then 1', 0)}` + two],
    ['if . then 1 2 end', syntax('LITERAL', 'if . then 1 2 end', 12) + `jq: error: Possibly unterminated 'if' statement${at('if . then 1 2 end', 0)}` + two],
    ['if . then (1', syntax('end of file', 'if . then (1', 11) + one],
    ['if .', syntax('end of file', 'if .', 3) + one],
    ['try 1 catch', syntax('end of file', 'try 1 catch', 6) + `jq: error: Possibly unterminated 'try' statement${at('try 1 catch', 0)}` + two],
    ['try 1 catch 2 3', syntax('LITERAL, expecting end of file', 'try 1 catch 2 3', 14) + one],
    ['try', syntax('end of file', 'try', 0) + one],
    ['1 . 2', syntax("LITERAL, expecting FORMAT or QQSTRING_START or '['", '1 . 2', 4) + one],
    ['.a.', syntax("end of file, expecting FORMAT or QQSTRING_START or '['", '.a.', 2) + one],
    ['1 as', syntax("end of file, expecting BINDING or '[' or '{'", '1 as', 2) + one],
    ['1 as $x', syntax("end of file, expecting '|'", '1 as $x', 5) + one],
    ['. as [$a $b] | 1', syntax("BINDING, expecting ',' or ']'", '. as [$a $b] | 1', 9) + one],
    ['. as {a} | 1', syntax("'}', expecting ':'", '. as {a} | 1', 7) + one],
    ['. as [] | null', syntax("']', expecting BINDING or '[' or '{'", '. as [] | null', 6) + one],
    ['. as {} | null', syntax("'}'", '. as {} | null', 6) + one],
    ['. as {$__loc__} | 1', syntax('$__loc__', '. as {$__loc__} | 1', 6) + one],
    ['reduce . as $x', syntax("end of file, expecting '('", 'reduce . as $x', 12) + one],
    ['reduce .a 1', syntax("LITERAL, expecting FIELD or as or '.' or '['", 'reduce .a 1', 10) + one],
    ['reduce . $x', syntax('BINDING', 'reduce . $x', 9) + `jq: error: try .["field"] instead of .field for unusually named fields${at('reduce . $x', 7)}` + two],
    ['. 2', syntax('LITERAL', '. 2', 2) + `jq: error: try .["field"] instead of .field for unusually named fields${at('. 2', 0)}` + two],
    ['def f', syntax("end of file, expecting '(' or ':'", 'def f', 4) + one],
    ['f(1 2)', syntax("LITERAL, expecting ';' or ')'", 'f(1 2)', 4) + one],
    ['{a:1', syntax("end of file, expecting '}'", '{a:1', 3) + one],
    ['{a: 1 | . + 1}', syntax("'+', expecting '}'", '{a: 1 | . + 1}', 10) + one],
    ['{a: 1?}', syntax("'?', expecting '}'", '{a: 1?}', 5) + one],
    ['{a: if . then 1 else 2 end}', syntax('if', '{a: if . then 1 else 2 end}', 4) + one],
    ['{,}', syntax("','", '{,}', 1) + one],
    ['[1,]', syntax("']'", '[1,]', 3) + one],
    ['"abc', syntax('end of file, expecting QQSTRING_TEXT or QQSTRING_INTERP_START or QQSTRING_END', '"abc', 1) + one],
    ['"\\(1 2)"', syntax('LITERAL', '"\\(1 2)"', 5) + one],
    ['1 == 1 == 1', syntax('==', '1 == 1 == 1', 7) + one],
    ['.a = 1 = 2', syntax("'='", '.a = 1 = 2', 7) + one],
    ['.. ..', syntax('.., expecting end of file', '.. ..', 3) + one],
    ['..a', syntax('IDENT, expecting end of file', '..a', 2) + one],
    ['.a\n| .b )', `jq: error: syntax error, unexpected INVALID_CHARACTER, expecting end of file (Unix shell quoting issues?)${at('| .b )', 5, 2)}` + one],
    ['{@base64: 2}', syntax("':', expecting QQSTRING_START", '{@base64: 2}', 8) + `jq: error: May need parentheses around object key expression${at('{@base64: 2}', 1)}` + two],
    ['"\\q"', `jq: error: Invalid escape at line 1, column 4 (while parsing '"\\q"')${at('"\\q"', 1)}` + one],
    ['"ab\\q"', `jq: error: Invalid escape at line 1, column 4 (while parsing '"\\q"')${at('"ab\\q"', 3)}` + one],
    ['"\\u12"', `jq: error: Invalid \\uXXXX escape at line 1, column 6 (while parsing '"\\u12"')${at('"\\u12"', 1)}` + one],
    ['1 | import "a" as a; .', syntax('import', '1 | import "a" as a; .', 4) + one],
    ['def f: 1;', 'jq: error: Top-level program not given (try ".")\n' + one],
    ['', 'jq: error: Top-level program not given (try ".")\n' + one],
    [' # c', 'jq: error: Top-level program not given (try ".")\n' + one],
    ['foo', `jq: error: foo/0 is not defined${at('foo', 0)}` + one],
    ['foo | bar', `jq: error: foo/0 is not defined${at('foo | bar', 0)}jq: error: bar/0 is not defined${at('foo | bar', 6)}` + two],
    ['def f: 1; f(2)', `jq: error: f/1 is not defined${at('def f: 1; f(2)', 10)}` + one],
    ['def f: g; def g: 1; f', `jq: error: g/0 is not defined${at('def f: g; def g: 1; f', 7)}` + one],
    ['1 as $x | $y', `jq: error: $y is not defined${at('1 as $x | $y', 10)}` + one],
    ['label $f | break $g', `jq: error: $*label-g is not defined${at('label $f | break $g', 11)}` + one],
    ['. as $foo | break $foo', `jq: error: $*label-foo is not defined${at('. as $foo | break $foo', 12)}` + one],
    ['ascii', `jq: error: ascii/0 is not defined${at('ascii', 0)}` + one],
    ['{(1):2}', `jq: error: Cannot use number (1) as object key${at('{(1):2}', 1)}` + one],
    ['{(true):2, (null):3}', `jq: error: Cannot use boolean (true) as object key${at('{(true):2, (null):3}', 1)}jq: error: Cannot use null (null) as object key${at('{(true):2, (null):3}', 11)}` + two],
    ['{(1+1):2}', `jq: error: Cannot use number (2) as object key${at('{(1+1):2}', 1)}` + one],
    ['[.[] as {(1): $x} | $x]', `jq: error: Cannot use number (1) as object key${at('[.[] as {(1): $x} | $x]', 9)}` + one],
    ['1/0', `jq: error: Division by zero?${at('1/0', 0)}` + one],
  ])('%j', (program, expected) => {
    expect(compile(program)).toBe(expected);
  });

  it.each([
    '.a.b.c',
    'if . then 1 end',
    '{a, $__loc__, "b": 1, (.k): .v, "\\(.x)": 1, @base64 "x": 2, $x: 3, if: 4,}',
    '. as [$a, {b: $c}] ?// $a | [$a, $c]',
    'def f($a; g): $a + g; f(1; 2)',
    'reduce .[] as $x (0; . + $x)',
    'foreach .[] as $x (0; . + $x; [$x, .])',
    'label $out | 1, break $out',
    '.a?.b?, .[]?, .[1:]?, ..?, 1??',
    '-1 + 2, - - 1, {a: - - 1}',
    '.a = 1 | .b |= . + 1 | .c //= 3',
  ])('%j compiles', (program) => {
    expect(compile(`1 as $x | ${program}`)).toBe('');
  });
});
