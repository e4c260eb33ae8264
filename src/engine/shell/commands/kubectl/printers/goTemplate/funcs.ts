/**
 * text/template's builtin functions (funcs.go, Go 1.23): and, or, not, len, index, slice, print,
 * printf, println, html, js, urlquery, call, and the comparisons eq, ne, lt, le, gt, ge with Go's rules
 * (basic kinds only, int and uint compare by value, `incompatible types for comparison`, nil compares
 * equal to nil), each with its Go signature so that argument counts and types fail as Go's do.
 *
 * A function's parameters are typed like Go's: `value` (a reflect.Value: anything, even no value),
 * `any` (interface{}: the value inside, nil for none) or `string`. `and`, `or` and `call` have no body
 * here: the executor evaluates them (and/or short-circuit; call can only fail, a template holds no
 * functions).
 */
import { sprint, sprintf, sprintln, typeName } from './fmt.ts';
import {
  bool, elem, indirect, int, isTrue, kindOf, lengthOf, mapOf, sliceOf, str, utf8, value, compareStrings,
  type Kind, type Maybe, type Value,
} from './value.ts';

export type ParamType = 'value' | 'any' | 'string';

export interface GoFunc {
  readonly params: readonly ParamType[];
  /** The type of the `...` parameter, for a variadic function. */
  readonly variadic?: ParamType;
  /** The body: a value, or a FuncError (Go's second result); none for and, or and call. */
  readonly call?: (args: readonly Maybe[]) => Maybe;
}

/** A function's error result (`error calling index: index out of range: 9`). */
export class FuncError extends Error {}

const ZERO_VALUE = 'reflect: call of reflect.Value.Type on zero Value';

const fail = (message: string): never => {
  throw new FuncError(message);
};

/** indexArg: an int index within cap. */
function indexArg(index: Maybe, cap: number): number {
  const k = kindOf(index);
  if (k === 'invalid') return fail('cannot index slice/array with nil');
  if (k !== 'int' && k !== 'uint') return fail(`cannot index slice/array with type ${index!.type}`);
  const x = index!.raw as number;
  if (x < 0 || x > cap) return fail(`index out of range: ${x}`);
  return x;
}

function index(args: readonly Maybe[]): Maybe {
  let item = elem(args[0]);
  if (item === undefined) return fail('index of untyped nil');
  for (const raw of args.slice(1)) {
    const i = elem(raw);
    const ind = indirect(item);
    if (ind.isNil) return fail('index of nil pointer');
    item = ind.value!;
    switch (kindOf(item)) {
      case 'slice': {
        const s = sliceOf(item);
        const x = indexArg(i, s.length);
        if (x === s.length) return fail('reflect: slice index out of range');
        item = value('interface {}', s[x] ?? null);
        break;
      }
      case 'string': {
        const bytes = utf8(item.raw as string);
        const x = indexArg(i, bytes.length);
        if (x === bytes.length) return fail('reflect: string index out of range');
        item = value('uint8', bytes[x]);
        break;
      }
      case 'map': {
        if (i === undefined) return fail('value is nil; should be of type string');
        if (i.type !== 'string') return fail(`value has type ${i.type}; should be string`);
        const m = mapOf(item);
        item = value('interface {}', Object.hasOwn(m, i.raw as string) ? m[i.raw as string] : null);
        break;
      }
      default:
        return fail(`can't index item of type ${item.type}`);
    }
  }
  return item;
}

function slice(args: readonly Maybe[]): Maybe {
  const item = elem(args[0]);
  if (item === undefined) return fail('slice of untyped nil');
  const indexes = args.slice(1);
  if (indexes.length > 3) return fail(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let full: readonly unknown[] = [];
  switch (kindOf(item)) {
    case 'string':
      if (indexes.length === 3) return fail('cannot 3-index slice a string');
      cap = utf8(item.raw as string).length;
      break;
    case 'slice':
      full = [...sliceOf(item), ...(item.capTail ?? [])];
      cap = full.length;
      break;
    default:
      return fail(`can't slice item of type ${item.type}`);
  }
  const idx = [0, kindOf(item) === 'string' ? cap : sliceOf(item).length, cap];
  indexes.forEach((i, n) => (idx[n] = indexArg(elem(i), cap)));
  const [i, j, k] = idx as [number, number, number];
  if (i > j) return fail(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) return fail(`invalid slice index: ${j} > ${k}`);
  if (kindOf(item) === 'string') return str(new TextDecoder().decode(utf8(item.raw as string).slice(i, j)));
  return { type: item.type, raw: full.slice(i, j), capTail: full.slice(j, indexes.length === 3 ? k : cap) };
}

function length(args: readonly Maybe[]): Maybe {
  const { value: item, isNil } = indirect(args[0]);
  if (isNil) return fail('len of nil pointer');
  if (item === undefined) return fail(ZERO_VALUE);
  const k = kindOf(item);
  if (k === 'map' || k === 'slice' || k === 'string') return int(lengthOf(item));
  return fail(`len of type ${item.type}`);
}

type BasicKind = 'bool' | 'complex' | 'int' | 'float' | 'string' | 'uint' | 'invalid';

function basicKind(v: Maybe): BasicKind {
  const k: Kind = kindOf(v);
  return k === 'bool' || k === 'complex' || k === 'int' || k === 'float' || k === 'string' || k === 'uint' ? k : 'invalid';
}

const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
const ERR_BAD_COMPARISON = 'incompatible types for comparison';

const num = (v: Maybe): number => (v as Value).raw as number;

function isNilValue(v: Maybe): boolean {
  return v === undefined || (v.type === 'interface {}' && v.raw === null);
}

function eq(args: readonly Maybe[]): boolean {
  const arg1 = elem(args[0]);
  if (args.length < 2) return fail('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const raw of args.slice(1)) {
    const arg = elem(raw);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) truth = num(arg1) === num(arg);
      else if (arg1 !== undefined && arg !== undefined) return fail(ERR_BAD_COMPARISON);
    } else {
      switch (k1) {
        case 'bool': case 'int': case 'uint': case 'float': case 'string':
          truth = (arg1 as Value).raw === (arg as Value).raw;
          break;
        case 'complex': {
          const [a, b] = (arg1 as Value).raw as [number, number];
          const [c, d] = (arg as Value).raw as [number, number];
          truth = a === c && b === d;
          break;
        }
        default:
          if (arg1 !== undefined && arg !== undefined && kindOf(arg1) !== kindOf(arg)) {
            return fail(`non-comparable types ${sprintf('%s', [arg1])}: ${typeName(arg1)}, ${typeName(arg)}: ${sprintf('%s', [arg])}`);
          }
          if (isNilValue(arg1) || isNilValue(arg)) truth = isNilValue(arg) === isNilValue(arg1);
          else return fail(`non-comparable type ${sprintf('%s', [arg])}: ${typeName(arg)}`);
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(args: readonly Maybe[]): boolean {
  const arg1 = elem(args[0]);
  const k1 = basicKind(arg1);
  if (k1 === 'invalid') return fail(ERR_BAD_COMPARISON_TYPE);
  const arg2 = elem(args[1]);
  const k2 = basicKind(arg2);
  if (k2 === 'invalid') return fail(ERR_BAD_COMPARISON_TYPE);
  if (k1 !== k2) {
    if ((k1 === 'int' && k2 === 'uint') || (k1 === 'uint' && k2 === 'int')) return num(arg1) < num(arg2);
    return fail(ERR_BAD_COMPARISON);
  }
  if (k1 === 'bool' || k1 === 'complex') return fail(ERR_BAD_COMPARISON_TYPE);
  if (k1 === 'string') return compareStrings((arg1 as Value).raw as string, (arg2 as Value).raw as string) < 0;
  return num(arg1) < num(arg2);
}

const le = (args: readonly Maybe[]): boolean => lt(args) || eq(args);

/** evalArgs: the operands as Sprint prints them, a missing one as `<no value>`. */
function evalArgs(args: readonly Maybe[]): string {
  if (args.length === 1 && args[0]?.type === 'string') return args[0].raw as string;
  return sprint(args.map((a) => a ?? str('<no value>')));
}

/** HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}

/** JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp >= 0x80 && !/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of utf8(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>([
  ['and', { params: ['value'], variadic: 'value' }],
  ['or', { params: ['value'], variadic: 'value' }],
  ['call', { params: ['value'], variadic: 'value' }],
  ['not', { params: ['value'], call: (a) => bool(!isTrue(elem(a[0]))) }],
  ['len', { params: ['value'], call: length }],
  ['index', { params: ['value'], variadic: 'value', call: index }],
  ['slice', { params: ['value'], variadic: 'value', call: slice }],
  ['print', { params: [], variadic: 'any', call: (a) => str(sprint(a)) }],
  ['printf', { params: ['string'], variadic: 'any', call: (a) => str(sprintf(a[0]!.raw as string, a.slice(1))) }],
  ['println', { params: [], variadic: 'any', call: (a) => str(sprintln(a)) }],
  ['html', { params: [], variadic: 'any', call: (a) => str(htmlEscape(evalArgs(a))) }],
  ['js', { params: [], variadic: 'any', call: (a) => str(jsEscape(evalArgs(a))) }],
  ['urlquery', { params: [], variadic: 'any', call: (a) => str(queryEscape(evalArgs(a))) }],
  ['eq', { params: ['value'], variadic: 'value', call: (a) => bool(eq(a)) }],
  ['ne', { params: ['value', 'value'], call: (a) => bool(!eq(a)) }],
  ['lt', { params: ['value', 'value'], call: (a) => bool(lt(a)) }],
  ['le', { params: ['value', 'value'], call: (a) => bool(le(a)) }],
  ['gt', { params: ['value', 'value'], call: (a) => bool(!le(a)) }],
  ['ge', { params: ['value', 'value'], call: (a) => bool(!lt(a)) }],
]);
