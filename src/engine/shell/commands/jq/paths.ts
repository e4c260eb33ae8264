/**
 * jq's indexing and path primitives (src/jv_aux.c and the INDEX/EACH opcodes): `.[k]`, slices, `.[]`,
 * `has`, `getpath`, `setpath` and `delpaths`, with jq 1.7.1's rules and messages ("Cannot index number
 * with string \"a\"", "Out of bounds negative array index", "Cannot delete field at index of array"...).
 * Values are never changed in place: every update builds new arrays and objects along the path.
 */
import { JqError, type JqObject, type Value, codePoints, compare, dumpTruncated, equal, isNumber, isObject, kindOf, num } from './value.ts';

/** Largest array index jq accepts in an update ("Array index too large"). */
const MAX_ARRAY_INDEX = 536_870_912;

function indexError(t: Value, k: Value): JqError {
  if (typeof k === 'string' && new TextEncoder().encode(k).length < 30) return new JqError(`Cannot index ${kindOf(t)} with string "${k}"`);
  return new JqError(`Cannot index ${kindOf(t)} with ${kindOf(k)}`);
}

/** A slice's bounds `{"start": a, "end": b}` resolved against a length, or undefined when they are not numbers. */
export function sliceBounds(length: number, key: JqObject): [number, number] | undefined {
  let from = key.has('start') ? key.get('start')! : null;
  let to = key.has('end') ? key.get('end')! : null;
  if (from === null) from = 0;
  if (to === null) to = length;
  if (!isNumber(from) || !isNumber(to)) return undefined;
  let start = num(from);
  let end = num(to);
  if (start < 0) start += length;
  if (end < 0) end += length;
  start = Math.floor(Math.min(Math.max(start, 0), length));
  end = end > length ? length : Math.ceil(end);
  if (end < start) end = start;
  return [start, Math.max(end, start)];
}

export function sliceKey(from: Value, to: Value): JqObject {
  return new Map<string, Value>([
    ['start', from],
    ['end', to],
  ]);
}

/** `t[k]`: jq's jv_get. */
export function index(t: Value, k: Value): Value {
  if (isObject(t) && typeof k === 'string') return t.get(k) ?? null;
  if (Array.isArray(t) && isNumber(k)) {
    const n = num(k);
    if (Number.isNaN(n)) return null;
    let i = Math.floor(n);
    if (i < 0) i += t.length;
    return i >= 0 && i < t.length ? t[i]! : null;
  }
  if ((Array.isArray(t) || typeof t === 'string') && isObject(k)) {
    const bounds = sliceBounds(Array.isArray(t) ? t.length : codePoints(t).length, k);
    if (!bounds) throw new JqError('Array/string slice indices must be integers');
    return Array.isArray(t) ? t.slice(...bounds) : codePoints(t).slice(...bounds).join('');
  }
  if (Array.isArray(t) && Array.isArray(k)) return indexes(t, k);
  if (t === null && (typeof k === 'string' || isNumber(k) || isObject(k))) return null;
  throw indexError(t, k);
}

/** `t[from:to]`. */
export function slice(t: Value, from: Value, to: Value): Value {
  if (t === null) return null;
  if ((from !== null && !isNumber(from)) || (to !== null && !isNumber(to))) {
    if (Array.isArray(t) || typeof t === 'string') throw new JqError('Array/string slice indices must be integers');
  }
  if (isObject(t)) throw new JqError('Cannot index object with object');
  return index(t, sliceKey(from, to));
}

/** `[1,2,1] | .[[1]]`: where the sub-array starts. */
function indexes(a: Value[], b: Value[]): Value[] {
  const out: Value[] = [];
  if (b.length === 0) return out;
  for (let i = 0; i + b.length <= a.length; i++) {
    if (b.every((x, j) => equal(a[i + j]!, x))) out.push(i);
  }
  return out;
}

/** The values `.[]` gives, or jq's error. */
export function iterate(t: Value): Value[] {
  if (Array.isArray(t)) return t;
  if (isObject(t)) return [...t.values()];
  throw new JqError(`Cannot iterate over ${kindOf(t)} (${dumpTruncated(t, 15)})`);
}

/** `has(k)`. */
export function has(t: Value, k: Value): boolean {
  if (isObject(t) && typeof k === 'string') return t.has(k);
  if (Array.isArray(t) && isNumber(k)) {
    const n = Math.trunc(num(k));
    return n >= 0 && n < t.length;
  }
  throw new JqError(`Cannot check whether ${kindOf(t)} has a ${kindOf(k)} key`);
}

export function getpath(t: Value, path: Value): Value {
  if (path === null) return t;
  if (!Array.isArray(path)) throw new JqError('Path must be specified as an array');
  let v = t;
  for (const k of path) v = index(v, k);
  return v;
}

/** `t[k] = v`: jq's jv_set. */
function set(t: Value, k: Value, v: Value): Value {
  if (typeof k === 'string' && (isObject(t) || t === null)) {
    const o = new Map(isObject(t) ? t : []);
    o.set(k, v);
    return o;
  }
  if (isNumber(k) && (Array.isArray(t) || t === null)) {
    const a = Array.isArray(t) ? [...t] : [];
    let i = Math.floor(num(k));
    if (i < 0) {
      i += a.length;
      if (i < 0) throw new JqError('Out of bounds negative array index');
    }
    if (i >= MAX_ARRAY_INDEX) throw new JqError('Array index too large');
    while (a.length < i) a.push(null);
    a[i] = v;
    return a;
  }
  if (isObject(k) && (Array.isArray(t) || t === null)) {
    const a = Array.isArray(t) ? t : [];
    const bounds = sliceBounds(a.length, k);
    if (!bounds) throw new JqError('Array/string slice indices must be integers');
    if (!Array.isArray(v)) throw new JqError('A slice of an array can only be assigned another array');
    return [...a.slice(0, bounds[0]), ...v, ...a.slice(bounds[1])];
  }
  if (isObject(k) && typeof t === 'string') throw new JqError('Cannot update string slices');
  if (Array.isArray(k) && Array.isArray(t)) throw new JqError('Cannot update field at array index of array');
  throw indexError(t, k);
}

export function setpath(t: Value, path: Value, v: Value): Value {
  if (!Array.isArray(path)) throw new JqError('Path must be specified as an array');
  return setAt(t, path, 0, v);
}

function setAt(t: Value, path: Value[], i: number, v: Value): Value {
  if (i === path.length) return v;
  const k = path[i]!;
  const sub = index(t, k);
  return set(t, k, setAt(sub, path, i + 1, v));
}

export function delpaths(t: Value, paths: Value): Value {
  if (!Array.isArray(paths)) throw new JqError('Paths must be specified as an array');
  for (const p of paths) if (!Array.isArray(p)) throw new JqError(`Path must be specified as array, not ${kindOf(p)}`);
  if (paths.length === 0) return t;
  const sorted = [...(paths as Value[][])].sort(compare);
  if (sorted[0]!.length === 0) return null;
  return delSorted(t, sorted, 0);
}

/** jq's delpaths_sorted: group the paths by their key at `depth`, recurse into the longer ones, then delete. */
function delSorted(t: Value, paths: Value[][], depth: number): Value {
  const deletions: Value[] = [];
  for (let i = 0; i < paths.length; ) {
    const key = paths[i]![depth]!;
    let j = i;
    while (j < paths.length && equal(paths[j]![depth]!, key)) j++;
    if (paths[i]!.length === depth + 1) deletions.push(key);
    else {
      const sub = index(t, key);
      if (sub !== null) t = set(t, key, delSorted(sub, paths.slice(i, j), depth + 1));
    }
    i = j;
  }
  return dels(t, deletions);
}

/** jq's jv_dels: delete sorted keys from an object or array. */
function dels(t: Value, keys: Value[]): Value {
  if (t === null || keys.length === 0) return t;
  if (Array.isArray(t)) {
    const drop = new Set<number>();
    for (const k of keys) {
      if (isNumber(k)) {
        let i = Math.trunc(num(k));
        if (i < 0) i += t.length;
        drop.add(i);
      } else if (isObject(k)) {
        const bounds = sliceBounds(t.length, k);
        if (!bounds) throw new JqError('Array/string slice indices must be integers');
        for (let i = bounds[0]; i < bounds[1]; i++) drop.add(i);
      } else throw new JqError(`Cannot delete ${kindOf(k)} element of array`);
    }
    return t.filter((_, i) => !drop.has(i));
  }
  if (isObject(t)) {
    const o = new Map(t);
    for (const k of keys) {
      if (typeof k !== 'string') throw new JqError(`Cannot delete ${kindOf(k)} field of object`);
      o.delete(k);
    }
    return o;
  }
  throw new JqError(`Cannot delete fields from ${kindOf(t)}`);
}
