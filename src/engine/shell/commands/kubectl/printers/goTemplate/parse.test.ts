import { describe, expect, it } from 'vitest';
import { Lexer, itemString, type Item } from './lex.ts';
import { nodeString } from './node.ts';
import { TemplateParseError, parseTemplate } from './parse.ts';
import { BUILTINS } from './funcs.ts';

const FUNCS = new Set([...BUILTINS.keys(), 'exists', 'base64decode']);

function tokens(text: string): string[] {
  const lex = new Lexer(text, { breakOK: true, continueOK: true });
  const out: string[] = [];
  for (let item: Item = lex.nextItem(); ; item = lex.nextItem()) {
    out.push(`${item.type}:${item.val}`);
    if (item.type === 'eof' || item.type === 'error') return out;
  }
}

describe('lexer', () => {
  it.each([
    ['a {{.x.y}} b', ['text:a ', 'leftDelim:{{', 'field:.x', 'field:.y', 'rightDelim:}}', 'text: b', 'eof:']],
    ['a  {{- $v := 3 -}}  b', ['text:a', 'leftDelim:{{', 'variable:$v', 'space: ', 'declare::=', 'space: ', 'number:3', 'rightDelim:}}', 'text:b', 'eof:']],
    ['{{/* c */}}x{{"s" `r` \'c\' nil true}}', ['text:x', 'leftDelim:{{', 'string:"s"', 'space: ', 'rawString:`r`', 'space: ', "charConstant:'c'", 'space: ', 'nil:nil', 'space: ', 'bool:true', 'rightDelim:}}', 'eof:']],
    ['{{range $i, $e = .}}{{break}}{{end}}', ['leftDelim:{{', 'range:range', 'space: ', 'variable:$i', 'char:,', 'space: ', 'variable:$e', 'space: ', 'assign:=', 'space: ', 'dot:.', 'rightDelim:}}', 'leftDelim:{{', 'break:break', 'rightDelim:}}', 'leftDelim:{{', 'end:end', 'rightDelim:}}', 'eof:']],
    ['{{.x}', ['leftDelim:{{', "error:bad character U+007D '}'"]],
    ['{{3.x}}', ['leftDelim:{{', 'error:bad number syntax: "3.x"']],
  ])('%j', (text, want) => {
    expect(tokens(text)).toEqual(want);
  });

  it('names tokens as the parser quotes them', () => {
    expect(itemString({ type: 'string', pos: 0, val: '"0123456789abc"', line: 1 })).toBe('"\\"012345678"...');
    expect(itemString({ type: 'with', pos: 0, val: 'with', line: 1 })).toBe('<with>');
    expect(itemString({ type: 'eof', pos: 0, val: '', line: 1 })).toBe('EOF');
  });
});

describe('parser', () => {
  it.each([
    ['{{if .a}}x{{else if .b}}y{{else}}z{{end}}', '{{if .a}}x{{else}}{{if .b}}y{{else}}z{{end}}{{end}}'],
    ['{{with $x := .a}}{{$x}}{{else with .b}}{{.}}{{end}}', '{{with $x := .a}}{{$x}}{{else}}{{with .b}}{{.}}{{end}}{{end}}'],
    ['{{range $i, $e := .items}}{{$i}}{{end}}', '{{range $i, $e := .items}}{{$i}}{{end}}'],
    ['{{(index .a 1).b.c | printf "%v" | len}}', '{{(index .a 1).b.c | printf "%v" | len}}'],
    ['{{- "x" -}}  {{template "t" .}}', '{{"x"}}{{template "t" .}}'],
  ])('%j', (text, want) => {
    expect(nodeString(parseTemplate('output', text, FUNCS).trees.get('output')!.root)).toBe(want);
  });

  it('collects define and block as templates of their own', () => {
    const set = parseTemplate('output', '{{define "a"}}A{{end}}{{block "b" .}}B{{end}}', FUNCS);
    expect([...set.trees.keys()].sort()).toEqual(['a', 'b', 'output']);
    expect(nodeString(set.trees.get('output')!.root)).toBe('{{template "b" .}}');
  });

  // Each message is kubectl 1.32's (`error parsing template …, <message>`).
  it.each([
    ['{{.x', 'template: output:1: unclosed action'],
    ['{{if .x}}', 'template: output:1: unexpected EOF'],
    ['{{end}}', 'template: output:1: unexpected {{end}}'],
    ['{{if .x}}{{else}}{{else}}{{end}}', 'template: output:1: expected end; found {{else}}'],
    ['{{break}}', 'template: output:1: {{break}} outside {{range}}'],
    ['{{range .x}}{{break 1}}{{end}}', 'template: output:1: unexpected "1" in {{break}}'],
    ['{{$x}}', 'template: output:1: undefined variable "$x"'],
    ['{{foo}}', 'template: output:1: function "foo" not defined'],
    ['{{}}', 'template: output:1: missing value for command'],
    ['{{.x | 3}}', 'template: output:1: non executable command in pipeline stage 2'],
    ['{{.x.}}', 'template: output:1: unexpected <.> in operand'],
    ['{{range $a, $b, $c := .x}}{{end}}', 'template: output:1: too many declarations in range'],
    ['{{range $i, 3}}{{end}}', 'template: output:1: range can only initialize variables'],
    ['{{define "y"}}a{{end}}{{define "y"}}b{{end}}', 'template: output:1: template: multiple definition of template "y"'],
    ['{{/* c */ x}}', 'template: output:1: comment ends before closing delimiter'],
    ['{{(.x}}', 'template: output:1: unclosed left paren'],
    ['{{.x)}}', 'template: output:1: unexpected right paren'],
    ['{{1e}}', 'template: output:1: illegal number syntax: "1e"'],
    ['{{99999999999999999999}}', 'template: output:1: integer overflow: "99999999999999999999"'],
    ["{{'ab'}}", "template: output:1: malformed character constant: 'ab'"],
    ['{{"\\q"}}', 'template: output:1: invalid syntax'],
    ['{{template .x}}', 'template: output:1: unexpected ".x" in template clause'],
    ['{{if .x}}{{else with .y}}z{{end}}', 'template: output:1: unexpected <with> in input'],
    ['{{"x" 1}}', ''],
    ['a\nb\n{{.x', 'template: output:3: unclosed action'],
    ['{{if .x}}\na\n{{else}}', 'template: output:3: unexpected EOF'],
  ])('%j', (text, message) => {
    if (message === '') {
      expect(() => parseTemplate('output', text, FUNCS)).not.toThrow();
      return;
    }
    expect(() => parseTemplate('output', text, FUNCS)).toThrow(new TemplateParseError(message));
  });
});
