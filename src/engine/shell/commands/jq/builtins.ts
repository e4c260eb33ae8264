/**
 * jq 1.7.1's builtin library: the functions jq writes in C (src/builtin.c's function_list) as natives,
 * the generators jq writes recursively (recurse, while, until, repeat, range, limit, first, nth,
 * inputs, _nwise) as loops that are also path expressions where jq's are, and the rest in jq itself —
 * the definitions of jq 1.7.1's src/builtin.jq (MIT licence, Copyright (C) 2012 Stephen Dolan), parsed
 * once into the prelude.
 *
 * Not provided, as in Debian's jq 1.7.1 build or because the lab has no modules: `get_search_list`,
 * `get_prog_origin`, `get_jq_origin`, `modulemeta`, `$__prog_args`, the Bessel functions (see math.ts).
 */
import { parseJsonText } from './json.ts';
import { applyFormat } from './formats.ts';
import { HaltSignal, type Closure, type Interpreter, type Library, type Native, type PathValue } from './interpreter.ts';
import { MATH1, MATH2, fma, frexp, lgammaR, modf } from './math.ts';
import { split as splitString } from './operators.ts';
import { type FuncDef, type Node, parse } from './parser.ts';
import { delpaths, getpath, has, setpath, slice } from './paths.ts';
import { matchImpl } from './regex.ts';
import { gmtime, mktime, strftime, strptime } from './time.ts';
import {
  JqError,
  type Value,
  codePoints,
  compare,
  dump,
  dumpTruncated,
  equal,
  identical,
  isNumber,
  isObject,
  kindOf,
  num,
  sortedKeys,
  toText,
  truthy,
  typeError,
  typeError2,
  utf8Length,
} from './value.ts';

/** jq 1.7.1's src/builtin.jq, less what is native here. */
const PRELUDE = `
def halt_error: halt_error(5);
def error(msg): msg|error;
def map(f): [.[] | f];
def select(f): if f then . else empty end;
def sort_by(f): _sort_by_impl(map([f]));
def group_by(f): _group_by_impl(map([f]));
def unique: group_by(.) | map(.[0]);
def unique_by(f): [group_by(f)[] | .[0]];
def max_by(f): _max_by_impl(map([f]));
def min_by(f): _min_by_impl(map([f]));
def add: reduce .[] as $x (null; . + $x);
def del(f): delpaths([path(f)]);
def abs: if type == "number" and . < 0 then - . else . end;
def map_values(f): .[] |= f;
def recurse: recurse(.[]?);
def to_entries: [keys_unsorted[] as $k | {key: $k, value: .[$k]}];
def from_entries: map({(.key // .Key // .name // .Name): (if has("value") then .value else .Value end)}) | add | .//={};
def with_entries(f): to_entries | map(f) | from_entries;
def reverse: [.[length - 1 - range(0;length)]];
def indices($i): if type == "array" and ($i|type) == "array" then .[$i]
  elif type == "array" then .[[$i]]
  elif type == "string" and ($i|type) == "string" then _strindices($i)
  else .[$i] end;
def index($i):   indices($i) | .[0];
def rindex($i):  indices($i) | .[-1:][0];
def paths: path(..)|select(length > 0);
def paths(node_filter): . as $dot|paths|select(. as $p|$dot|getpath($p) | node_filter);
def leaf_paths: paths(scalars);
def isfinite: type == "number" and (isinfinite | not);
def arrays: select(type == "array");
def objects: select(type == "object");
def iterables: select(type|. == "array" or . == "object");
def booleans: select(type == "boolean");
def numbers: select(type == "number");
def normals: select(isnormal);
def finites: select(isfinite);
def strings: select(type == "string");
def nulls: select(. == null);
def values: select(. != null);
def scalars: select(type|. != "array" and . != "object");
def join($x): reduce .[] as $i (null;
            (if .==null then "" else .+$x end) +
            ($i | if type=="boolean" or type=="number" then tostring else .//"" end)
        ) // "";
def _flatten($x): reduce .[] as $i ([]; if $i | type == "array" and $x != 0 then . + ($i | _flatten($x-1)) else . + [$i] end);
def flatten($x): if $x < 0 then error("flatten depth must not be negative") else _flatten($x) end;
def flatten: _flatten(-1);
def range($x): range(0;$x);
def fromdateiso8601: strptime("%Y-%m-%dT%H:%M:%SZ")|mktime;
def todateiso8601: strftime("%Y-%m-%dT%H:%M:%SZ");
def fromdate: fromdateiso8601;
def todate: todateiso8601;
def match(re; mode): _match_impl(re; mode; false)|.[];
def match($val): ($val|type) as $vt | if $vt == "string" then match($val; null)
   elif $vt == "array" and ($val | length) > 1 then match($val[0]; $val[1])
   elif $vt == "array" and ($val | length) > 0 then match($val[0]; null)
   else error( $vt + " not a string or array") end;
def test(re; mode): _match_impl(re; mode; true);
def test($val): ($val|type) as $vt | if $vt == "string" then test($val; null)
   elif $vt == "array" and ($val | length) > 1 then test($val[0]; $val[1])
   elif $vt == "array" and ($val | length) > 0 then test($val[0]; null)
   else error( $vt + " not a string or array") end;
def capture(re; mods): match(re; mods) | reduce ( .captures | .[] | select(.name != null) | { (.name) : .string } ) as $pair ({}; . + $pair);
def capture($val): ($val|type) as $vt | if $vt == "string" then capture($val; null)
   elif $vt == "array" and ($val | length) > 1 then capture($val[0]; $val[1])
   elif $vt == "array" and ($val | length) > 0 then capture($val[0]; null)
   else error( $vt + " not a string or array") end;
def scan($re; $flags):
  match($re; "g" + $flags)
    | if (.captures|length > 0)
      then [ .captures | .[] | .string ]
      else .string
      end;
def scan($re): scan($re; null);
def _nwise(a; $n): a | _nwise($n);
def splits($re; flags): . as $s
  | [ match($re; "g" + flags) | (.offset, .offset + .length) ]
  | [0] + . +[$s|length]
  | _nwise(2)
  | $s[.[0]:.[1] ] ;
def splits($re): splits($re; null);
def split($re; flags): [ splits($re; flags) ];
def sub($re; s; $flags):
   . as $in
   | (reduce match($re; $flags) as $edit
        ({result: [], previous: 0};
            $in[ .previous: ($edit | .offset) ] as $gap
            | [reduce ( $edit | .captures | .[] | select(.name != null) | { (.name) : .string } ) as $pair
                 ({}; . + $pair) | s ] as $inserts
            | reduce range(0; $inserts|length) as $ix (.; .result[$ix] += $gap + $inserts[$ix])
            | .previous = ($edit | .offset + .length ) )
          | .result[] + $in[.previous:] )
      // $in;
def sub($re; s): sub($re; s; "");
def gsub($re; s; flags): sub($re; s; flags + "g");
def gsub($re; s): sub($re; s; "g");
def range($init; $upto; $by):
    if $by > 0 then $init|while(. < $upto; . + $by)
  elif $by < 0 then $init|while(. > $upto; . + $by)
  else empty end;
def isempty(g): first((g|false), true);
def all(generator; condition): isempty(generator|condition and empty);
def any(generator; condition): isempty(generator|condition or empty)|not;
def all(condition): all(.[]; condition);
def any(condition): any(.[]; condition);
def all: all(.[]; .);
def any: any(.[]; .);
def last(g): reduce g as $item (null; $item);
def first: .[0];
def last: .[-1];
def nth($n): .[$n];
def combinations:
    if length == 0 then [] else
        .[0][] as $x
          | (.[1:] | combinations) as $y
          | [$x] + $y
    end;
def combinations(n):
    . as $dot
      | [range(n) | $dot]
      | combinations;
def transpose: [range(0; map(length)|max // 0) as $i | [.[][$i]]];
def in(xs): . as $x | xs | has($x);
def inside(xs): . as $x | xs | contains($x);
def ascii_downcase:
  explode | map( if 65 <= . and . <= 90 then . + 32  else . end) | implode;
def ascii_upcase:
  explode | map( if 97 <= . and . <= 122 then . - 32  else . end) | implode;
def truncate_stream(stream):
  . as $n | null | stream | . as $input | if (.[0]|length) > $n then setpath([0];$input[0][$n:]) else empty end;
def fromstream(i): {x: null, e: false} as $init |
  foreach i as $i ($init
  ; if .e then $init else . end
  | if $i|length == 2
    then setpath(["e"]; $i[0]|length==0) | setpath(["x"]+$i[0]; $i[1])
    else setpath(["e"]; $i[0]|length==1) end
  ; if .e then .x else empty end);
def tostream:
  path(def r: (.[]?|r), .; r) as $p |
  getpath($p) |
  reduce path(.[]?) as $q ([$p, .]; [$p+$q]);
def bsearch($target):
  if length == 0 then -1
  elif length == 1 then
     if $target == .[0] then 0 elif $target < .[0] then -1 else -2 end
  else . as $in
    | [0, length-1, null]
    | until( .[0] > .[1] ;
             if .[2] != null then (.[1] = -1)
             else
               ( ( (.[1] + .[0]) / 2 ) | floor ) as $mid
               | $in[$mid] as $monkey
               | if $monkey == $target  then (.[2] = $mid)
                 elif .[0] == .[1]     then (.[1] = -1)
                 elif $monkey < $target then (.[0] = ($mid + 1))
                 else (.[1] = ($mid - 1))
                 end
             end )
    | if .[2] == null then
         if $in[ .[0] ] < $target then (-2 -.[0])
         else (-1 -.[0])
         end
      else .[2]
      end
  end;
def walk(f):
  def w:
    if type == "object"
    then map_values(w)
    elif type == "array" then map(w)
    else .
    end
    | f;
  w;
def pick(pathexps):
  . as $in
  | reduce path(pathexps) as $a (null;
      setpath($a; $in|getpath($a)) );
def debug(msgs): (msgs | debug | empty), .;
def INDEX(stream; idx_expr):
  reduce stream as $row ({}; .[$row|idx_expr|tostring] = $row);
def INDEX(idx_expr): INDEX(.[]; idx_expr);
def JOIN($idx; idx_expr):
  [.[] | [., $idx[idx_expr]]];
def JOIN($idx; stream; idx_expr):
  stream | [., $idx[idx_expr]];
def JOIN($idx; stream; idx_expr; join_expr):
  stream | [., $idx[idx_expr]] | join_expr;
def IN(s): any(s == .; .);
def IN(src; s): any(src == s; .);
def pow10: "Error: pow10/0 not found at build time"|error;
.
`;

// —— helpers for natives ——

type Gen<T> = Generator<T, void, undefined>;

/** Every combination of the arguments' outputs, the last argument outermost (as jq calls C functions). */
function* combinations(ip: Interpreter, input: Value, args: readonly Closure[], i = args.length - 1, acc: Value[] = []): Gen<Value[]> {
  if (i < 0) {
    yield acc;
    return;
  }
  for (const v of ip.call(args[i]!, input)) yield* combinations(ip, input, args, i - 1, [v, ...acc]);
}

/** A C function of the input and value arguments. */
function fn(f: (input: Value, args: Value[], ip: Interpreter) => Value): Native {
  return {
    *run(ip, input, args) {
      for (const combo of combinations(ip, input, args)) yield f(input, combo, ip);
    },
  };
}

function unbound(pv: PathValue): boolean {
  return !identical(pv.value, pv.target);
}

/** A loop run both on values and on path-mode outputs (recurse, while, until): items visited depth first. */
type Step<T> = { emit: T } | { visit: T };

function* depthFirst<T>(ip: Interpreter, root: T, expand: (x: T) => Iterable<Step<T>>): Gen<T> {
  const stack: Array<Iterator<Step<T>>> = [expand(root)[Symbol.iterator]()];
  while (stack.length > 0) {
    ip.tick();
    const r = stack[stack.length - 1]!.next();
    if (r.done) {
      stack.pop();
      continue;
    }
    if ('emit' in r.value) yield r.value.emit;
    else stack.push(expand(r.value.visit)[Symbol.iterator]());
  }
}

interface Mode<T> {
  valueOf(x: T): Value;
  apply(ip: Interpreter, c: Closure, x: T): Iterable<T>;
}

const VALUES: Mode<Value> = { valueOf: (x) => x, apply: (ip, c, x) => ip.call(c, x) };
const PATHS: Mode<PathValue> = { valueOf: (x) => x.value, apply: (ip, c, x) => ip.callPaths(c, x) };

function generator(make: <T>(mode: Mode<T>, ip: Interpreter, input: T, args: readonly Closure[]) => Iterable<T>): Native {
  return {
    run: (ip, input, args) => make(VALUES, ip, input, args),
    paths: (ip, input, args) => make(PATHS, ip, input, args),
  };
}

function recurseWith<T>(mode: Mode<T>, ip: Interpreter, input: T, f: Closure, cond?: Closure): Gen<T> {
  return depthFirst(ip, input, function* (x): Gen<Step<T>> {
    if (x === input) yield { emit: x };
    for (const y of mode.apply(ip, f, x)) {
      if (!cond) {
        yield { emit: y };
        yield { visit: y };
        continue;
      }
      for (const c of ip.call(cond, mode.valueOf(y))) {
        if (!truthy(c)) continue;
        yield { emit: y };
        yield { visit: y };
      }
    }
  });
}

/** `limit(n; f)`, `first(f)` and `nth(n; f)` take outputs of `f` from an index on. */
function* take<T>(source: Iterable<T>, from: number, count: number): Gen<T> {
  if (count <= 0) return;
  let i = 0;
  for (const x of source) {
    if (i >= from) yield x;
    if (++i >= from + count) return;
  }
}

function numberArg(v: Value, input: Value): number {
  if (!isNumber(v)) throw typeError(input, 'number required');
  return num(v);
}

function length(v: Value): Value {
  if (v === null) return 0;
  if (typeof v === 'boolean') throw typeError(v, 'has no length');
  if (isNumber(v)) return Math.abs(num(v));
  if (typeof v === 'string') return codePoints(v).length;
  return Array.isArray(v) ? v.length : (v as Map<string, Value>).size;
}

function contains(a: Value, b: Value): boolean {
  if (kindOf(a) !== kindOf(b) || (typeof a === 'boolean' && a !== b)) return false;
  if (isObject(a) && isObject(b)) {
    for (const [k, v] of b) {
      if (!a.has(k) || !contains(a.get(k)!, v)) return false;
    }
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return b.every((y) => a.some((x) => contains(x, y)));
  if (typeof a === 'string' && typeof b === 'string') return a.includes(b);
  return equal(a, b);
}

/** jq's minmax_by: min keeps the first smallest, max the last largest. */
function minmax(values: Value, keys: Value, min: boolean): Value {
  if (!Array.isArray(values) || !Array.isArray(keys)) throw typeError2(values, keys, 'cannot be iterated over');
  if (values.length !== keys.length) throw typeError2(values, keys, 'have wrong length');
  if (values.length === 0) return null;
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    const c = compare(keys[i]!, keys[best]!);
    if (c < 0 === min) best = i;
  }
  return values[best]!;
}

function sortBy(values: Value, keys: Value, what: string): Array<[Value, Value]> {
  if (!Array.isArray(values) || !Array.isArray(keys) || values.length !== keys.length) {
    throw typeError2(values, keys, `cannot be ${what}, as they are not both arrays`);
  }
  return values.map((v, i) => [keys[i]!, v] as [Value, Value]).sort((a, b) => compare(a[0], b[0]));
}

function implode(v: Value): Value {
  if (!Array.isArray(v)) throw new JqError('implode input must be an array');
  let out = '';
  for (const n of v) {
    if (!isNumber(n) || Number.isNaN(num(n))) throw typeError(n, "can't be imploded, unicode codepoint needs to be numeric");
    let cp = Math.trunc(num(n));
    if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    out += String.fromCodePoint(cp);
  }
  return out;
}

/** Byte offsets of every occurrence of `needle` (overlapping ones too), as jq 1.7.1 reports them. */
function strindices(s: Value, needle: Value): Value {
  if (typeof s !== 'string' || typeof needle !== 'string') throw new JqError('Cannot determine indices of non-strings');
  const out: Value[] = [];
  if (needle === '') return out;
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) out.push(utf8Length(s.slice(0, i)));
  return out;
}

function tonumber(v: Value): Value {
  if (isNumber(v)) return v;
  if (typeof v === 'string') {
    const parsed = parseJsonText(v);
    if ('error' in parsed) throw new JqError(parsed.error);
    if (isNumber(parsed.value)) return parsed.value;
  }
  throw typeError(v, 'cannot be parsed as a number');
}

// —— the registry ——

function natives(): Map<string, Native> {
  const m = new Map<string, Native>();
  const add0 = (name: string, f: (input: Value, ip: Interpreter) => Value) => m.set(`${name}/0`, fn((input, _args, ip) => f(input, ip)));
  const addN = (name: string, arity: number, f: (input: Value, args: Value[], ip: Interpreter) => Value) => m.set(`${name}/${arity}`, fn(f));

  m.set('empty/0', {
    *run() {},
    *paths() {},
  });
  m.set('error/0', {
    // eslint-disable-next-line require-yield -- raises instead of producing an output
    *run(_ip, input) {
      throw new JqError(input);
    },
  });
  add0('not', (v) => !truthy(v));
  add0('length', length);
  add0('utf8bytelength', (v) => {
    if (typeof v !== 'string') throw typeError(v, 'only strings have UTF-8 byte length');
    return utf8Length(v);
  });
  add0('type', kindOf);
  add0('keys', (v) => {
    if (isObject(v)) return sortedKeys(v);
    if (Array.isArray(v)) return v.map((_, i) => i);
    throw typeError(v, 'has no keys');
  });
  add0('keys_unsorted', (v) => {
    if (isObject(v)) return [...v.keys()];
    if (Array.isArray(v)) return v.map((_, i) => i);
    throw typeError(v, 'has no keys');
  });
  addN('has', 1, (v, [k]) => has(v, k!));
  addN('contains', 1, (a, [b]) => {
    if (kindOf(a) !== kindOf(b!) || (typeof a === 'boolean' && a !== b)) throw typeError2(a, b!, 'cannot have their containment checked');
    return contains(a, b!);
  });
  add0('tostring', toText);
  add0('tojson', (v) => dump(v));
  add0('fromjson', (v) => {
    if (typeof v !== 'string') throw typeError(v, 'only strings can be parsed');
    const parsed = parseJsonText(v);
    if ('error' in parsed) throw new JqError(parsed.error);
    return parsed.value;
  });
  add0('tonumber', tonumber);
  add0('explode', (v) => {
    if (typeof v !== 'string') throw new JqError('explode input must be a string');
    return codePoints(v).map((c) => c.codePointAt(0)!);
  });
  add0('implode', implode);
  addN('ltrimstr', 1, (v, [p]) => (typeof v === 'string' && typeof p === 'string' && v.startsWith(p) ? v.slice(p.length) : v));
  addN('rtrimstr', 1, (v, [p]) => (typeof v === 'string' && typeof p === 'string' && v.endsWith(p) && p !== '' ? v.slice(0, v.length - p.length) : v));
  addN('startswith', 1, (v, [p]) => {
    if (typeof v !== 'string' || typeof p !== 'string') throw new JqError('startswith() requires string inputs');
    return v.startsWith(p);
  });
  addN('endswith', 1, (v, [p]) => {
    if (typeof v !== 'string' || typeof p !== 'string') throw new JqError('endswith() requires string inputs');
    return v.endsWith(p);
  });
  addN('split', 1, (v, [sep]) => {
    if (typeof v !== 'string' || typeof sep !== 'string') throw new JqError('split input and separator must be strings');
    return splitString(v, sep);
  });
  addN('_strindices', 1, (v, [needle]) => strindices(v, needle!));
  add0('sort', (v) => {
    if (!Array.isArray(v)) throw typeError(v, 'cannot be sorted, as it is not an array');
    return [...v].sort(compare);
  });
  addN('_sort_by_impl', 1, (v, [keys]) => sortBy(v, keys!, 'sorted').map(([, x]) => x));
  addN('_group_by_impl', 1, (v, [keys]) => {
    const groups: Value[][] = [];
    let last: Value | undefined;
    for (const [k, x] of sortBy(v, keys!, 'sorted')) {
      if (groups.length > 0 && equal(k, last!)) groups[groups.length - 1]!.push(x);
      else groups.push([x]);
      last = k;
    }
    return groups;
  });
  add0('min', (v) => minmax(v, v, true));
  add0('max', (v) => minmax(v, v, false));
  addN('_min_by_impl', 1, (v, [keys]) => minmax(v, keys!, true));
  addN('_max_by_impl', 1, (v, [keys]) => minmax(v, keys!, false));
  add0('infinite', () => Infinity);
  add0('nan', () => NaN);
  add0('isinfinite', (v) => isNumber(v) && Math.abs(num(v)) === Infinity);
  add0('isnan', (v) => isNumber(v) && Number.isNaN(num(v)));
  add0('isnormal', (v) => isNumber(v) && Number.isFinite(num(v)) && Math.abs(num(v)) >= 2.2250738585072014e-308);
  add0('have_literal_numbers', () => true);
  add0('have_decnum', () => true);
  addN('format', 1, (v, [f]) => {
    if (typeof f !== 'string') throw typeError(f!, 'is not a valid format');
    return applyFormat(f, v);
  });
  addN('setpath', 2, (v, [p, x]) => setpath(v, p!, x!));
  addN('delpaths', 1, (v, [ps]) => delpaths(v, ps!));
  m.set('getpath/1', {
    *run(ip, input, args) {
      for (const [p] of combinations(ip, input, args)) yield getpath(input, p!);
    },
    *paths(ip, pv, args) {
      for (const [p] of combinations(ip, pv.value, args)) {
        const v = getpath(pv.value, p!);
        if (unbound(pv)) throw new JqError(`Invalid path expression with result ${dumpTruncated(pv.value, 30)}`);
        yield { value: v, path: Array.isArray(p) ? [...pv.path, ...p] : pv.path, target: v };
      }
    },
  });
  m.set('path/1', {
    *run(ip, input, [f]) {
      yield* ip.pathsOf(f!, input);
    },
  });
  add0('env', (_v, ip) => ip.host.env);
  add0('now', (_v, ip) => ip.host.now());
  add0('input_filename', (_v, ip) => ip.host.inputFilename());
  add0('input_line_number', (_v, ip) => ip.host.inputLineNumber());
  m.set('input/0', {
    *run(ip) {
      const v = ip.host.nextInput();
      if (v === undefined) throw new JqError('break');
      yield v;
    },
  });
  m.set('inputs/0', {
    *run(ip) {
      for (let v = ip.host.nextInput(); v !== undefined; v = ip.host.nextInput()) {
        ip.tick();
        yield v;
      }
    },
  });
  add0('debug', (v, ip) => {
    ip.host.stderr(`${ip.host.debugText(['DEBUG:', v])}\n`);
    return v;
  });
  add0('stderr', (v, ip) => {
    ip.host.stderr(toText(v));
    return v;
  });
  m.set('halt/0', {
    // eslint-disable-next-line require-yield -- stops the program instead of producing an output
    *run() {
      throw new HaltSignal(0);
    },
  });
  m.set('halt_error/1', {
    // eslint-disable-next-line require-yield -- stops the program instead of producing an output
    *run(ip, input, args) {
      for (const [code] of combinations(ip, input, args)) {
        if (!isNumber(code!)) throw typeError(input, 'halt_error/1: number required');
        throw new HaltSignal(num(code), input);
      }
    },
  });
  add0('mktime', mktime);
  add0('gmtime', (v) => gmtime(v));
  add0('localtime', (v) => gmtime(v, 'localtime'));
  addN('strftime', 1, (v, [f]) => strftime(v, f!, 'strftime'));
  addN('strflocaltime', 1, (v, [f]) => strftime(v, f!, 'strflocaltime'));
  addN('strptime', 1, (v, [f]) => strptime(v, f!));
  addN('_match_impl', 3, (v, [re, flags, test]) => matchImpl(v, re!, flags!, test === true));
  for (const [name, f] of MATH1) add0(name, (v) => f(numberArg(v, v)));
  for (const [name, f] of MATH2) addN(name, 2, (_v, [a, b]) => f(numberArg(a!, a!), numberArg(b!, b!)));
  addN('fma', 3, (_v, [a, b, c]) => fma(numberArg(a!, a!), numberArg(b!, b!), numberArg(c!, c!)));
  add0('frexp', (v) => frexp(numberArg(v, v)));
  add0('modf', (v) => modf(numberArg(v, v)));
  add0('lgamma_r', (v) => lgammaR(numberArg(v, v)));

  m.set('range/2', {
    *run(ip, input, [from, upto]) {
      for (const f of ip.call(from!, input)) {
        for (const u of ip.call(upto!, input)) {
          if (!isNumber(f) || !isNumber(u)) throw new JqError('Range bounds must be numeric');
          const end = num(u);
          for (let x: Value = f; num(x as number) < end; x = num(x as number) + 1) {
            ip.tick();
            yield x;
          }
        }
      }
    },
  });
  m.set('_nwise/1', {
    *run(ip, input, args) {
      for (const [n] of combinations(ip, input, args)) {
        let x = input;
        for (;;) {
          ip.tick();
          const len = length(x);
          if (compare(len, n!) <= 0) {
            yield x;
            break;
          }
          yield slice(x, 0, n!);
          x = slice(x, n!, null);
        }
      }
    },
  });
  m.set('recurse/1', generator((mode, ip, input, [f]) => recurseWith(mode, ip, input, f!)));
  m.set('recurse/2', generator((mode, ip, input, [f, cond]) => recurseWith(mode, ip, input, f!, cond!)));
  m.set(
    'while/2',
    generator((mode, ip, input, [cond, update]) =>
      depthFirst(ip, input, function* (x) {
        for (const c of ip.call(cond!, mode.valueOf(x))) {
          if (!truthy(c)) continue;
          yield { emit: x };
          for (const u of mode.apply(ip, update!, x)) yield { visit: u };
        }
      }),
    ),
  );
  m.set(
    'until/2',
    generator((mode, ip, input, [cond, next]) =>
      depthFirst(ip, input, function* (x) {
        for (const c of ip.call(cond!, mode.valueOf(x))) {
          if (truthy(c)) yield { emit: x };
          else for (const u of mode.apply(ip, next!, x)) yield { visit: u };
        }
      }),
    ),
  );
  m.set(
    'repeat/1',
    generator(function* (mode, ip, input, [f]) {
      for (;;) {
        ip.tick();
        yield* mode.apply(ip, f!, input);
      }
    }),
  );
  m.set(
    'limit/2',
    generator(function* (mode, ip, input, [n, f]) {
      for (const count of ip.call(n!, mode.valueOf(input))) {
        if (!isNumber(count)) {
          if (compare(count, 0) > 0) for (const _ of mode.apply(ip, f!, input)) throw typeError2(count, 1, 'cannot be subtracted');
          continue;
        }
        const c = num(count);
        if (c > 0) yield* take(mode.apply(ip, f!, input), 0, Math.ceil(c));
        else if (c < 0) yield* mode.apply(ip, f!, input);
      }
    }),
  );
  m.set(
    'first/1',
    generator((mode, ip, input, [f]) => take(mode.apply(ip, f!, input), 0, 1)),
  );
  m.set(
    'nth/2',
    generator(function* (mode, ip, input, [n, f]) {
      for (const index of ip.call(n!, mode.valueOf(input))) {
        if (compare(index, 0) < 0) throw new JqError("nth doesn't support negative indices");
        if (!isNumber(index)) throw typeError2(index, 1, 'cannot be added');
        yield* take(mode.apply(ip, f!, input), Math.ceil(num(index)), 1);
      }
    }),
  );
  m.set('builtins/0', {
    *run(ip) {
      const names = [...ip.library.natives.keys(), ...ip.library.prelude.keys()].filter((k) => !k.startsWith('_'));
      yield [...new Set(names)];
    },
  });
  return m;
}

/** Every builtin, natives first looked up after the prelude (a jq definition shadows a native). */
let library: Library | undefined;

export function builtins(): Library {
  if (library) return library;
  const parsed = parse(PRELUDE);
  if (!parsed.ast) throw new Error(`jq prelude: ${parsed.errors.map((e) => e.message).join('; ')}`);
  const prelude = new Map<string, FuncDef>();
  for (let node: Node = parsed.ast; node.type === 'FuncDef'; node = node.body) prelude.set(`${node.def.name}/${node.def.params.length}`, node.def);
  library = { natives: natives(), prelude };
  return library;
}
