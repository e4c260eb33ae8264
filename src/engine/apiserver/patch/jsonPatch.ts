/**
 * JSON Patch (RFC 6902) as the 1.32 apiserver applies it: with gopkg.in/evanphx/json-patch.v4, quirks
 * included, so that a patch that works (or fails) against a real cluster works (or fails) here.
 *
 * Contract: `applyJsonPatch(doc, operations)` returns a new document (the input is not changed) or
 * throws a `JsonPatchError` whose message is the library's (`error in remove for path: '/a': Unable to
 * remove nonexistent key: a: missing value`, `testing value /a failed: test failed`). The apiserver
 * hides that message behind a generic 422; `index.ts` does the wrapping.
 *
 * The library's behaviour, kept on purpose: `replace` of a missing object key adds it; `test` of a
 * missing key passes when the expected value is null or absent; `copy` from a missing object key
 * copies null; negative array indexes count from the end; `add` at the root path "" fails; a path
 * without a leading slash addresses the root's last segment; an operation without `value` uses null.
 * Leaves out: the byte-level comparison `test` uses for numbers (`1` and `1.0` compare equal here) and
 * AccumulatedCopySizeLimit (unlimited in the apiserver too). Where v4.12.0 dereferences a nil value
 * (`test` of a missing key, or `replace` of the root, without `value`) the error is marked `panic`.
 */
import { atoi, clone, deepEqual, GoJsonError, isObject, setKey, type Json, type JsonObject } from './goJson.ts';

/** An error as evanphx/json-patch words it. */
export class JsonPatchError extends Error {
  constructor(
    message: string,
    /** The library dereferences a nil value here and panics (an operation without `value`). */
    readonly panic = false,
  ) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

const ErrMissing = 'missing value';
const ErrTestFailed = 'test failed';
const ErrInvalidIndex = 'invalid index referenced';

type Container = JsonObject | Json[];

/** One step of the patch, as decoded into map[string]*json.RawMessage. */
type Operation = JsonObject | null;

/** RFC 6901 unescaping: `~1` is `/`, `~0` is `~`, left to right. */
function decodePatchKey(k: string): string {
  return k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** The op's `path`/`from`, or the library's error for a missing or non-string one. */
function stringField(op: Operation, field: 'path' | 'from', missing: string): string | JsonPatchError {
  const v = op?.[field];
  if (op === null || v === undefined || v === null) return new JsonPatchError(`${missing}: ${ErrMissing}`);
  if (typeof v !== 'string') return new JsonPatchError(`json: cannot unmarshal ${v === true || v === false ? 'bool' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : 'number'} into Go value of type string`);
  return v;
}

function kind(op: Operation): string {
  const v = op?.['op'];
  return typeof v === 'string' ? v : 'unknown';
}

/** The op's value: undefined when the field is absent (a nil *lazyNode). */
function value(op: Operation): Json | undefined {
  return op !== null && has(op, 'value') ? op['value'] : undefined;
}

/** Resolves an array index the way partialArray.get/remove/set do. */
function arrayIndex(a: Json[], key: string): number | JsonPatchError {
  const idx = atoi(key);
  if (idx instanceof GoJsonError) return new JsonPatchError(idx.message);
  if (idx < 0) {
    if (idx < -a.length) return new JsonPatchError(`Unable to access invalid index: ${idx}: ${ErrInvalidIndex}`);
    return idx + a.length;
  }
  if (idx >= a.length) return new JsonPatchError(`Unable to access invalid index: ${idx}: ${ErrInvalidIndex}`);
  return idx;
}

/** container.get: an object never fails (a missing key is undefined); an array checks the index. */
function get(c: Container, key: string): Json | undefined | JsonPatchError {
  if (!Array.isArray(c)) return has(c, key) ? c[key] : undefined;
  const idx = atoi(key);
  if (idx instanceof GoJsonError) return new JsonPatchError(idx.message);
  let i = idx;
  if (i < 0) {
    if (i < -c.length) return new JsonPatchError(`Unable to access invalid index: ${i}: ${ErrInvalidIndex}`);
    i += c.length;
  }
  if (i >= c.length) return new JsonPatchError(`Unable to access invalid index: ${i}: ${ErrInvalidIndex}`);
  return c[i];
}

function add(c: Container, key: string, v: Json): JsonPatchError | undefined {
  if (!Array.isArray(c)) {
    setKey(c, key, v);
    return undefined;
  }
  if (key === '-') {
    c.push(v);
    return undefined;
  }
  const parsed = atoi(key);
  if (parsed instanceof GoJsonError) return new JsonPatchError(`value was not a proper array index: '${key}': ${parsed.message}`);
  let idx = parsed;
  const size = c.length + 1;
  if (idx >= size) return new JsonPatchError(`Unable to access invalid index: ${idx}: ${ErrInvalidIndex}`);
  if (idx < 0) {
    if (idx < -size) return new JsonPatchError(`Unable to access invalid index: ${idx}: ${ErrInvalidIndex}`);
    idx += size;
  }
  c.splice(idx, 0, v);
  return undefined;
}

function remove(c: Container, key: string): JsonPatchError | undefined {
  if (!Array.isArray(c)) {
    if (!has(c, key)) return new JsonPatchError(`Unable to remove nonexistent key: ${key}: ${ErrMissing}`);
    delete c[key];
    return undefined;
  }
  const idx = arrayIndex(c, key);
  if (idx instanceof JsonPatchError) return idx;
  c.splice(idx, 1);
  return undefined;
}

function set(c: Container, key: string, v: Json): JsonPatchError | undefined {
  if (!Array.isArray(c)) {
    setKey(c, key, v);
    return undefined;
  }
  const idx = arrayIndex(c, key);
  if (idx instanceof JsonPatchError) return idx;
  c[idx] = v;
  return undefined;
}

/** findObject: the container holding the path's last segment, and that segment; undefined if none. */
function findObject(root: Container, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc: Container = root;
  for (const part of split.slice(1, -1)) {
    const next = get(doc, decodePatchKey(part));
    if (next instanceof JsonPatchError || next === undefined || next === null) return undefined;
    if (!Array.isArray(next) && !isObject(next)) return undefined;
    doc = next;
  }
  return [doc, decodePatchKey(split[split.length - 1]!)];
}

/** Applies one operation to the document held in `holder.doc`; returns the error, if any. */
function applyOperation(holder: { doc: Container }, op: Operation): JsonPatchError | undefined {
  switch (kind(op)) {
    case 'add': {
      const path = stringField(op, 'path', 'operation missing path field');
      if (path instanceof JsonPatchError) return new JsonPatchError(`add operation failed to decode path: ${ErrMissing}`);
      const found = findObject(holder.doc, path);
      if (!found) return new JsonPatchError(`add operation does not apply: doc is missing path: "${path}": ${ErrMissing}`);
      const err = add(found[0], found[1], clone(value(op) ?? null));
      return err && new JsonPatchError(`error in add for path: '${path}': ${err.message}`);
    }
    case 'remove': {
      const path = stringField(op, 'path', 'operation missing path field');
      if (path instanceof JsonPatchError) return new JsonPatchError(`remove operation failed to decode path: ${ErrMissing}`);
      const found = findObject(holder.doc, path);
      if (!found) return new JsonPatchError(`remove operation does not apply: doc is missing path: "${path}": ${ErrMissing}`);
      const err = remove(found[0], found[1]);
      return err && new JsonPatchError(`error in remove for path: '${path}': ${err.message}`);
    }
    case 'replace': {
      const path = stringField(op, 'path', 'operation missing path field');
      if (path instanceof JsonPatchError) return new JsonPatchError(`replace operation failed to decode path: ${path.message}`);
      if (path === '') {
        const v = value(op);
        if (v === undefined) return new JsonPatchError('runtime error: invalid memory address or nil pointer dereference', true);
        if (!Array.isArray(v) && !isObject(v)) return new JsonPatchError('replace operation value must be object or array: %!w(<nil>)');
        holder.doc = clone(v);
        return undefined;
      }
      const found = findObject(holder.doc, path);
      if (!found) return new JsonPatchError(`replace operation does not apply: doc is missing path: ${path}: ${ErrMissing}`);
      if (get(found[0], found[1]) instanceof JsonPatchError) return new JsonPatchError(`replace operation does not apply: doc is missing key: ${path}: ${ErrMissing}`);
      const err = set(found[0], found[1], clone(value(op) ?? null));
      return err && new JsonPatchError(`error in remove for path: '${path}': ${err.message}`);
    }
    case 'move': {
      const from = stringField(op, 'from', 'operation, missing from field');
      if (from instanceof JsonPatchError) return new JsonPatchError(`move operation failed to decode from: ${from.message}`);
      const source = findObject(holder.doc, from);
      if (!source) return new JsonPatchError(`move operation does not apply: doc is missing from path: ${from}: ${ErrMissing}`);
      const [con, key] = source;
      const val = get(con, key);
      if (val instanceof JsonPatchError) return new JsonPatchError(`error in move for path: '${key}': ${val.message}`);
      const removed = remove(con, key);
      if (removed) return new JsonPatchError(`error in move for path: '${key}': ${removed.message}`);
      const path = stringField(op, 'path', 'operation missing path field');
      if (path instanceof JsonPatchError) return new JsonPatchError(`move operation failed to decode path: ${path.message}`);
      const target = findObject(holder.doc, path);
      if (!target) return new JsonPatchError(`move operation does not apply: doc is missing destination path: ${path}: ${ErrMissing}`);
      const err = add(target[0], target[1], val ?? null);
      return err && new JsonPatchError(`error in move for path: '${path}': ${err.message}`);
    }
    case 'test': {
      const path = stringField(op, 'path', 'operation missing path field');
      if (path instanceof JsonPatchError) return new JsonPatchError(`test operation failed to decode path: ${path.message}`);
      const expected = value(op);
      if (path === '') {
        return deepEqual(holder.doc, expected) ? undefined : new JsonPatchError(`testing value ${path} failed: ${ErrTestFailed}`);
      }
      const found = findObject(holder.doc, path);
      if (!found) return new JsonPatchError(`test operation does not apply: is missing path: ${path}: ${ErrMissing}`);
      const val = get(found[0], found[1]);
      if (val instanceof JsonPatchError) return new JsonPatchError(`error in test for path: '${path}': ${val.message}`);
      if (val === undefined || val === null) {
        if (expected === undefined) return new JsonPatchError('runtime error: invalid memory address or nil pointer dereference', true);
        return expected === null ? undefined : new JsonPatchError(`testing value ${path} failed: ${ErrTestFailed}`);
      }
      if (expected === undefined) return new JsonPatchError(`testing value ${path} failed: ${ErrTestFailed}`);
      return deepEqual(val, expected) ? undefined : new JsonPatchError(`testing value ${path} failed: ${ErrTestFailed}`);
    }
    case 'copy': {
      const from = stringField(op, 'from', 'operation, missing from field');
      if (from instanceof JsonPatchError) return new JsonPatchError(`copy operation failed to decode from: ${from.message}`);
      const source = findObject(holder.doc, from);
      if (!source) return new JsonPatchError(`copy operation does not apply: doc is missing from path: ${from}: ${ErrMissing}`);
      const val = get(source[0], source[1]);
      if (val instanceof JsonPatchError) return new JsonPatchError(`error in copy for from: '${from}': ${val.message}`);
      const path = stringField(op, 'path', 'operation missing path field');
      if (path instanceof JsonPatchError) return new JsonPatchError(`copy operation failed to decode path: ${ErrMissing}`);
      const target = findObject(holder.doc, path);
      if (!target) return new JsonPatchError(`copy operation does not apply: doc is missing destination path: ${path}: ${ErrMissing}`);
      const err = add(target[0], target[1], clone(val ?? null));
      return err && new JsonPatchError(`error while adding value during copy: ${err.message}`);
    }
    default:
      return new JsonPatchError(`Unexpected kind: ${kind(op)}`);
  }
}

/**
 * Applies RFC 6902 operations to a document (an object or an array) and returns the result. Each
 * operation is an object (or null, which the library treats as an operation of kind "unknown").
 */
export function applyJsonPatch(doc: Container, operations: readonly Json[]): Json {
  const holder = { doc: clone(doc) };
  for (const op of operations) {
    const err = applyOperation(holder, isObject(op) ? op : null);
    if (err) throw err;
  }
  return holder.doc;
}
