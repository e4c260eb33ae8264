/**
 * JSON Merge Patch (RFC 7386) as the 1.32 apiserver applies it (evanphx/json-patch.v4 MergePatch), and
 * the diff that produces one (CreateMergePatch, which kubectl uses for custom resources).
 *
 * Contract: `applyMergePatch(doc, patch)` merges an object patch into an object document and returns a
 * new object: a null member deletes, an object member merges recursively, anything else (arrays
 * included) replaces. Nulls are pruned from values that do not merge into an existing object, as the
 * library prunes them: inside new objects and, when the old value was not an object, inside new arrays
 * too. `createMergePatch(original, modified)` returns the patch that turns one into the other: changed
 * and added members, null for removed ones, arrays whole.
 * Leaves out: non-object documents and patches (the apiserver rejects a non-object patch before this).
 */
import { clone, deepEqual, isObject, setKey, type Json, type JsonObject } from './goJson.ts';

function pruneNulls(v: Json): Json {
  if (isObject(v)) return pruneDocNulls(v);
  if (Array.isArray(v)) return v.filter((e) => e !== null).map(pruneNulls);
  return v;
}

function pruneDocNulls(doc: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(doc)) {
    if (v === null) delete doc[k];
    else setKey(doc, k, pruneNulls(v));
  }
  return doc;
}

/** merge(cur, patch): objects merge; otherwise the patch wins (pruned only when cur is no object). */
function merge(cur: Json, patch: Json): Json {
  if (!isObject(cur)) return pruneNulls(patch);
  if (!isObject(patch)) return patch;
  mergeDocs(cur, patch);
  return cur;
}

function mergeDocs(doc: JsonObject, patch: JsonObject): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete doc[k];
    else if (!Object.prototype.hasOwnProperty.call(doc, k)) setKey(doc, k, pruneNulls(v));
    else setKey(doc, k, merge(doc[k]!, v));
  }
}

/** Applies an RFC 7386 merge patch to an object; neither argument is changed. */
export function applyMergePatch(doc: JsonObject, patch: JsonObject): JsonObject {
  const out = clone(doc);
  mergeDocs(out, clone(patch));
  return out;
}

/** getDiff: the merge patch that turns `a` into `b`. */
function getDiff(a: JsonObject, b: JsonObject): JsonObject {
  const into: JsonObject = {};
  for (const [key, bv] of Object.entries(b)) {
    if (!Object.prototype.hasOwnProperty.call(a, key)) {
      setKey(into, key, clone(bv));
      continue;
    }
    const av = a[key]!;
    if (isObject(av) && isObject(bv)) {
      const dst = getDiff(av, bv);
      if (Object.keys(dst).length > 0) setKey(into, key, dst);
    } else if (!deepEqual(av, bv)) {
      setKey(into, key, clone(bv));
    }
  }
  for (const key of Object.keys(a)) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) setKey(into, key, null);
  }
  return into;
}

/** CreateMergePatch: the JSON merge patch from `original` to `modified`. */
export function createMergePatch(original: JsonObject, modified: JsonObject): JsonObject {
  return getDiff(original, modified);
}
