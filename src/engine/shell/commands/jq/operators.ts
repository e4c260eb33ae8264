/**
 * jq's arithmetic (src/builtin.c f_plus … f_mod, f_negate): numbers; `+` on strings, arrays and objects
 * (merge, right wins, in place) with null as the identity; `-` on arrays; `*` repeating strings and
 * merging objects deeply; `/` splitting strings; `%` on the truncated integers; and jq's messages
 * ("object ({}) and number (1) cannot be added", "... cannot be divided because the divisor is zero").
 */
import { JqError, type JqObject, type Value, compare, equal, isNumber, isObject, num, typeError, typeError2 } from './value.ts';
import type { BinaryOp } from './parser.ts';

/** Longest string `*` builds before failing as jq does when it cannot allocate it. */
const MAX_REPEAT_BYTES = 268_435_456;

export function add(a: Value, b: Value): Value {
  if (a === null) return b;
  if (b === null) return a;
  if (isNumber(a) && isNumber(b)) return num(a) + num(b);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return b.length === 0 ? a : [...a, ...b];
  if (isObject(a) && isObject(b)) {
    if (b.size === 0) return a;
    const o = new Map(a);
    for (const [k, v] of b) o.set(k, v);
    return o;
  }
  throw typeError2(a, b, 'cannot be added');
}

export function subtract(a: Value, b: Value): Value {
  if (isNumber(a) && isNumber(b)) return num(a) - num(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.filter((x) => !b.some((y) => equal(x, y)));
  throw typeError2(a, b, 'cannot be subtracted');
}

export function multiply(a: Value, b: Value): Value {
  if (isNumber(a) && isNumber(b)) return num(a) * num(b);
  if ((typeof a === 'string' && isNumber(b)) || (isNumber(a) && typeof b === 'string')) {
    const s = typeof a === 'string' ? a : (b as string);
    const n = num((typeof a === 'string' ? b : a) as number);
    if (n < 0 || Number.isNaN(n)) return null;
    const times = Math.trunc(n);
    if (s.length > 0 && s.length * times > MAX_REPEAT_BYTES) throw new JqError('Repeat string result too long');
    return s.repeat(times);
  }
  if (isObject(a) && isObject(b)) return b.size === 0 ? a : deepMerge(a, b);
  throw typeError2(a, b, 'cannot be multiplied');
}

function deepMerge(a: JqObject, b: JqObject): JqObject {
  const o = new Map(a);
  for (const [k, v] of b) {
    const old = o.get(k);
    o.set(k, old !== undefined && isObject(old) && isObject(v) ? deepMerge(old, v) : v);
  }
  return o;
}

export function divide(a: Value, b: Value): Value {
  if (isNumber(a) && isNumber(b)) {
    if (num(b) === 0) throw typeError2(a, b, 'cannot be divided because the divisor is zero');
    return num(a) / num(b);
  }
  if (typeof a === 'string' && typeof b === 'string') return split(a, b);
  throw typeError2(a, b, 'cannot be divided');
}

/** `"a,b" / ","` and split/1. */
export function split(s: string, sep: string): Value[] {
  if (s === '') return [];
  if (sep === '') return Array.from(s);
  return s.split(sep);
}

/** jq's saturating conversion of a double to a 64-bit integer. */
function toInt64(n: number): bigint {
  const max = 2n ** 63n - 1n;
  if (n >= 2 ** 63) return max;
  if (n <= -(2 ** 63)) return -max;
  return BigInt(Math.trunc(n));
}

export function modulo(a: Value, b: Value): Value {
  if (!isNumber(a) || !isNumber(b)) throw typeError2(a, b, 'cannot be divided (remainder)');
  const x = num(a);
  const y = num(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  const d = toInt64(y);
  if (d === 0n) throw typeError2(a, b, 'cannot be divided (remainder) because the divisor is zero');
  const n = toInt64(x);
  const r = Number((n < 0n ? -n : n) % (d < 0n ? -d : d));
  return x < 0 || Object.is(x, -0) ? -r : r;
}

export function negate(v: Value): Value {
  if (!isNumber(v)) throw typeError(v, 'cannot be negated');
  return -num(v);
}

export function binary(op: BinaryOp, a: Value, b: Value): Value {
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return subtract(a, b);
    case '*':
      return multiply(a, b);
    case '/':
      return divide(a, b);
    case '%':
      return modulo(a, b);
  }
  return compareOp(op, a, b);
}


function compareOp(op: BinaryOp, a: Value, b: Value): boolean {
  const c = compare(a, b);
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    default:
      return c >= 0;
  }
}
