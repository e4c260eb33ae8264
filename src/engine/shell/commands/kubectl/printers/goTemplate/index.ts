/**
 * Go's text/template (Go 1.23, as kubectl 1.32 is built with) for `kubectl -o go-template`: the lexer
 * and parser (lex.ts, parse.ts, node.ts), the executor (exec.ts) with the builtin functions
 * (funcs.ts), and the parts of fmt and strconv they print with (fmt.ts, strconv.ts), over values that
 * carry their Go types (value.ts). Every output, parse error and execution error is Go's, word for
 * word, position for position.
 *
 * Left out: html/template's escaping contexts, custom delimiters, methods on data (JSON data has
 * none), channels and functions as values, and the missingkey=zero option (kubectl sets default or
 * error).
 */
export { Template } from './template.ts';
export { TemplateParseError } from './parse.ts';
export { TemplateExecError, type MissingKey } from './exec.ts';
export { FuncError, type GoFunc, type ParamType } from './funcs.ts';
export { bool, dataValue, elem, str, type GoType, type Maybe, type Value } from './value.ts';
