/**
 * Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch): JSON merge patch where the
 * schema decides how lists combine. A list tagged `patchStrategy: merge` with a `patchMergeKey` merges
 * element by element (containers by `name`); a merge list of primitives (finalizers) is a set union;
 * other lists replace. Directives steer it: `$patch: replace|delete|merge`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>`, `$setElementOrder/<field>`.
 *
 * Contract:
 * - `applyStrategicMergePatch(original, patch, ref)` is StrategicMergeMapPatch, as the apiserver runs
 *   it for `application/strategic-merge-patch+json`: it returns the patched object and changes neither
 *   argument. Failures throw a `StrategicMergePatchError` carrying upstream's message and the HTTP code
 *   the apiserver's interpretStrategicMergePatchError gives it (400, 422, or 500 for the rest).
 * - `createTwoWayMergePatch(original, modified, ref)` and `createThreeWayMergePatch(original, modified,
 *   current, ref)` compute the patches kubectl sends (`kubectl apply` uses the three-way one with
 *   original = last-applied configuration and current = the live object).
 * The port follows upstream's algorithm step by step, ordering rules included (`$setElementOrder`
 * first, then the order of the patch list, then the order of the live list), with 1.32's handling of
 * values the patch brings in whole: a new map member loses its nested `$patch` maps and (on the
 * server) its nulls, a `$deleteFromPrimitiveList` for a missing or non-list field does nothing, and a
 * new element of a merge list is appended as sent. Verified against kubectl 1.32 `patch --local`,
 * which runs the same library (testdata/kubectl-patch.json).
 * Leaves out: the conflict check of a three-way patch with overwrite=false (kubectl apply overwrites),
 * Go's block merge in sort.SliceStable for lists longer than 20 (all of a list is insertion-sorted,
 * which gives the same order whenever every element appears in the order list), and the panics Go hits
 * on unhashable values.
 */
import { clone, deepEqual, goFormat, isObject, setKey, type Json, type JsonObject } from './goJson.ts';
import { lookupPatchMeta, type SchemaRef } from './patchMeta.ts';

/** An error from strategicpatch, with the status code the apiserver answers it with. */
export class StrategicMergePatchError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 422 | 500,
  ) {
    super(message);
    this.name = 'StrategicMergePatchError';
  }
}

const directiveMarker = '$patch';
const deleteDirective = 'delete';
const replaceDirective = 'replace';
const mergeDirective = 'merge';
const retainKeysStrategy = 'retainKeys';
const deleteFromPrimitiveListDirectivePrefix = '$deleteFromPrimitiveList';
const retainKeysDirective = '$retainKeys';
const setElementOrderDirectivePrefix = '$setElementOrder';

// mergepatch's sentinel errors, with the codes interpretStrategicMergePatchError maps them to.
const errBadPatchFormatForPrimitiveList = () => new StrategicMergePatchError('invalid patch format of primitive list', 400);
const errBadPatchFormatForRetainKeys = () => new StrategicMergePatchError('invalid patch format of retainKeys', 400);
const errBadPatchFormatForSetElementOrderList = () => new StrategicMergePatchError('invalid patch format of setElementOrder list', 400);
const errNoListOfLists = () => new StrategicMergePatchError('lists of lists are not supported', 422);
const internal = (message: string) => new StrategicMergePatchError(message, 500);

/** reflect.TypeOf(v).String() for a decoded JSON value. */
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** Which Go type a decoded value has, as far as the algorithm compares types. */
type GoKind = 'map' | 'slice' | 'string' | 'number' | 'bool' | 'nil';
function goKind(v: Json | undefined): GoKind {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'object') return 'map';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

const errBadArgType = (expected: 'map' | 'slice', actual: unknown) =>
  internal(`expected a ${expected === 'map' ? 'map[string]interface {}' : '[]interface {}'}, but received a ${goTypeName(actual)}`);
const errNoMergeKey = (m: JsonObject, key: string) => internal(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
const errBadPatchType = (t: Json | undefined, m: JsonObject) => internal(`unknown patch type: ${typeof t === 'string' ? t : goFormat(t)} in map: ${goFormat(m)}`);

function has(o: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** Go's `==` on two decoded values (maps and slices never compare equal here). */
function goEqual(a: Json | undefined, b: Json | undefined): boolean {
  return (a ?? null) === (b ?? null);
}

function extractRetainKeysPatchStrategy(strategies: readonly string[]): [boolean, string] {
  switch (strategies.length) {
    case 0:
      return [false, ''];
    case 1:
      return strategies[0] === retainKeysStrategy ? [true, ''] : [false, strategies[0]!];
    case 2:
      if (strategies[0] === retainKeysStrategy) return [true, strategies[1]!];
      if (strategies[1] === retainKeysStrategy) return [true, strategies[0]!];
      throw internal(`unexpected patch strategy: [${strategies.join(' ')}]`);
    default:
      throw internal(`unexpected patch strategy: [${strategies.join(' ')}]`);
  }
}

interface MergeOptions {
  /** Server side: apply parallel lists ($deleteFromPrimitiveList, $setElementOrder, $retainKeys). */
  mergeParallelList: boolean;
  /** Server side: a null for a missing key is dropped rather than kept. */
  ignoreUnmatchedNulls: boolean;
}

interface DiffOptions {
  setElementOrder?: boolean;
  ignoreChangesAndAdditions?: boolean;
  ignoreDeletions?: boolean;
  buildRetainKeysDirective?: boolean;
}

// ---------------------------------------------------------------------------------------------------
// Ordering helpers

/** The type shared by all elements of the slices; errors for lists of lists and mixed lists. */
function sliceElementType(...slices: ReadonlyArray<readonly Json[]>): GoKind {
  let prev: GoKind | undefined;
  for (const s of slices) {
    for (const v of s) {
      const current = goKind(v);
      if (prev === undefined) {
        prev = current;
        if (prev === 'slice') throw errNoListOfLists();
      } else if (prev !== current) {
        throw internal(`list element types are not identical: ${goFormat(slices)}`);
      }
    }
  }
  if (prev === undefined) throw internal('no elements in any of the given slices');
  return prev;
}

/** Index of the item (matched by merge key for maps) in the list, or -1. */
function index(l: readonly Json[] | null, valToLookUp: Json, mergeKey: string, kind: GoKind): number {
  const getVal = (item: Json): Json | undefined => (kind === 'map' ? (isObject(item) ? item[mergeKey] : null) : item);
  const want = getVal(valToLookUp);
  return (l ?? []).findIndex((v) => goEqual(want, getVal(v)));
}

/** sort.SliceStable by insertion sort, with Go's (possibly inconsistent) less function. */
function insertionSort<T>(a: T[], less: (x: T, y: T) => boolean): T[] {
  for (let i = 1; i < a.length; i++) {
    for (let j = i; j > 0 && less(a[j]!, a[j - 1]!); j--) {
      const t = a[j]!;
      a[j] = a[j - 1]!;
      a[j - 1] = t;
    }
  }
  return a;
}

function validateMergeKeyInLists(mergeKey: string, ...lists: ReadonlyArray<readonly Json[] | null>): void {
  for (const list of lists) {
    for (const item of list ?? []) {
      if (!isObject(item)) throw errBadArgType('map', item);
      if (!has(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

function extractToDeleteItems(l: readonly Json[]): [Json[], Json[]] {
  const nonDelete: Json[] = [];
  const toDelete: Json[] = [];
  for (const v of l) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (has(v, directiveMarker) && v[directiveMarker] === deleteDirective) toDelete.push(v);
    else nonDelete.push(v);
  }
  return [nonDelete, toDelete];
}

/** Sorts `toSort` by the order of `order` (maps by merge key); delete directives go last. */
function normalizeSliceOrder(toSort: Json[], order: readonly Json[] | null, mergeKey: string, kind: GoKind): Json[] {
  let toDelete: Json[] = [];
  let items = toSort;
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, items, order);
    [items, toDelete] = extractToDeleteItems(items);
  }
  insertionSort(items, (a, b) => {
    const ia = index(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = index(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...items, ...toDelete];
}

/** Inserts server-only items (left) among patch items (right), keeping both relative orders. */
function mergeSortedSlice(left: readonly Json[], right: readonly Json[], serverOrder: readonly Json[] | null, mergeKey: string, kind: GoKind): Json[] {
  const less = (l: Json, r: Json): [boolean, boolean] => {
    const li = index(serverOrder, l, mergeKey, kind);
    const ri = index(serverOrder, r, mergeKey, kind);
    return li >= 0 && ri >= 0 ? [li < ri, true] : [false, false];
  };
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]!);
    else if (j >= right.length) out.push(left[i++]!);
    else {
      const [isLess, foundBoth] = less(left[i]!, right[j]!);
      if (foundBoth && isLess) out.push(left[i++]!);
      else out.push(right[j++]!);
    }
  }
  return out;
}

function normalizeElementOrder(
  patch: Json[],
  serverOnly: Json[],
  patchOrder: readonly Json[] | null,
  serverOrder: readonly Json[] | null,
  mergeKey: string,
  kind: GoKind,
): Json[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServerOnly = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServerOnly, sortedPatch, serverOrder, mergeKey, kind);
}

function partitionPrimitivesByPresentInList(original: readonly Json[], partitionBy: readonly Json[] | null): [Json[], Json[]] {
  const inPatch = new Set(partitionBy ?? []);
  return [original.filter((v) => inPatch.has(v)), original.filter((v) => !inPatch.has(v))];
}

function findMapInSliceBasedOnKeyValue(m: readonly Json[] | null, key: string, value: Json | undefined): [JsonObject, number] | undefined {
  const list = m ?? [];
  for (let k = 0; k < list.length; k++) {
    const v = list[k];
    if (!isObject(v)) throw internal(`value for key ${k} is not a map.`);
    if (has(v, key) && goEqual(v[key], value)) return [v, k];
  }
  return undefined;
}

function partitionMapsByPresentInList(original: readonly Json[], partitionBy: readonly Json[] | null, mergeKey: string): [Json[], Json[]] {
  const patch: Json[] = [];
  const serverOnly: Json[] = [];
  for (const v of original) {
    if (!isObject(v)) throw errBadArgType('map', v);
    if (!has(v, mergeKey)) throw errNoMergeKey(v, mergeKey);
    if (findMapInSliceBasedOnKeyValue(partitionBy, mergeKey, v[mergeKey])) patch.push(v);
    else serverOnly.push(v);
  }
  return [patch, serverOnly];
}

/** deduplicateScalars, with Go's swap-with-last order. */
function deduplicateScalars(input: Json[]): Json[] {
  const s = input;
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length]!;
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/** sortScalars: by the `%v` text of each value. */
function sortScalars(s: Json[]): Json[] {
  return s.sort((a, b) => {
    const x = goFormat(a);
    const y = goFormat(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

// ---------------------------------------------------------------------------------------------------
// Applying a patch

function mergeKeyValueEqual(left: Json | undefined, right: Json | undefined, mergeKey: string): boolean {
  if (mergeKey === '') return goEqual(left, right);
  if (!isObject(left)) throw errBadArgType('map', left);
  if (!isObject(right)) throw errBadArgType('map', right);
  if (!has(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!has(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return goEqual(left[mergeKey], right[mergeKey]);
}

/** The field a `$prefix/field` directive key names. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === deleteFromPrimitiveListDirectivePrefix) throw errBadPatchFormatForPrimitiveList();
    if (prefix === setElementOrderDirectivePrefix) throw errBadPatchFormatForSetElementOrderList();
    throw internal(`fail to find unknown prefix "${prefix}" in ${s}\n`);
  }
  return s.slice(slash + 1);
}

function containsDirectiveMarker(item: Json): boolean {
  return isObject(item) && has(item, directiveMarker);
}

/** Checks that the patch list's items appear in `$setElementOrder` in the same relative order. */
function validatePatchWithSetOrderList(patchList: Json | undefined, setOrderList: Json | undefined, mergeKey: string): void {
  if (!Array.isArray(setOrderList)) throw errBadPatchFormatForSetElementOrderList();
  const typedPatchList = patchList === undefined ? [] : patchList;
  if (!Array.isArray(typedPatchList)) throw errBadPatchFormatForSetElementOrderList();
  if (setOrderList.length === 0 || typedPatchList.length === 0) return;
  const nonDeleteList = mergeKey !== '' ? extractToDeleteItems(typedPatchList)[0] : typedPatchList;
  let patchIndex = 0;
  let setOrderIndex = 0;
  while (patchIndex < nonDeleteList.length && setOrderIndex < setOrderList.length) {
    if (containsDirectiveMarker(nonDeleteList[patchIndex]!)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(nonDeleteList[patchIndex], setOrderList[setOrderIndex], mergeKey)) patchIndex++;
    setOrderIndex++;
  }
  if (patchIndex < nonDeleteList.length && setOrderIndex >= setOrderList.length) {
    throw internal(`The order in patch list:\n${goFormat(typedPatchList)}\n doesn't match ${setElementOrderDirectivePrefix} list:\n${goFormat(setOrderList)}\n`);
  }
}

function handleDirectiveInMergeMap(directive: Json | undefined, patch: JsonObject): JsonObject {
  if (directive === replaceDirective) {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === deleteDirective) return {};
  throw errBadPatchType(directive, patch);
}

function applyRetainKeysDirective(original: JsonObject, patch: JsonObject, options: MergeOptions): void {
  if (!has(patch, retainKeysDirective)) return;
  const retainKeysInPatch = patch[retainKeysDirective]!;
  delete patch[retainKeysDirective];
  if (!options.mergeParallelList) {
    if (has(original, retainKeysDirective)) {
      if (!deepEqual(original[retainKeysDirective], retainKeysInPatch)) {
        throw internal(`${goFormat(original[retainKeysDirective])} and ${goFormat(retainKeysInPatch)} are not deep equal: this may happen when calculating the 3-way diff patch`);
      }
    } else {
      setKey(original, retainKeysDirective, retainKeysInPatch);
    }
    return;
  }
  if (!Array.isArray(retainKeysInPatch)) throw errBadPatchFormatForRetainKeys();
  const keep = new Set<Json>(retainKeysInPatch);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListDirectivePrefix) || k.startsWith(setElementOrderDirectivePrefix)) continue;
    if (!keep.has(k)) throw errBadPatchFormatForRetainKeys();
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) delete original[k];
  }
}

/** Processes `$setElementOrder/<field>` lists together with the lists they order. */
function mergePatchIntoOriginal(original: JsonObject, patch: JsonObject, ref: SchemaRef, options: MergeOptions): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderDirectivePrefix)) continue;
    const setElementOrderInPatch = patch[key]!;
    if (!options.mergeParallelList) {
      if (has(original, key)) {
        if (!deepEqual(original[key], setElementOrderInPatch)) throw errBadPatchFormatForSetElementOrderList();
      } else {
        setKey(original, key, setElementOrderInPatch);
      }
    }
    delete patch[key];

    if (!Array.isArray(setElementOrderInPatch)) throw errBadArgType('slice', setElementOrderInPatch);
    const originalKey = extractKey(key, setElementOrderDirectivePrefix);
    const foundOriginal = has(original, originalKey);
    const foundPatch = has(patch, originalKey);
    let originalFieldValue: Json[] | null = null;
    let patchFieldValue: Json[] | null = null;
    if (foundOriginal) {
      const v = original[originalKey];
      if (!Array.isArray(v)) throw errBadArgType('slice', v);
      originalFieldValue = v;
    }
    if (foundPatch) {
      const v = patch[originalKey];
      if (!Array.isArray(v)) throw errBadArgType('slice', v);
      patchFieldValue = v;
    }
    const meta = lookupPatchMeta(ref, originalKey);
    const [, patchStrategy] = extractRetainKeysPatchStrategy(meta.strategies);
    validatePatchWithSetOrderList(patchFieldValue ?? undefined, setElementOrderInPatch, meta.mergeKey);

    let merged: Json[];
    if (originalFieldValue && !patchFieldValue) merged = originalFieldValue;
    else if (!originalFieldValue && patchFieldValue) merged = removeDirectives(patchFieldValue) as Json[];
    else if (originalFieldValue && patchFieldValue) merged = mergeSliceHandler(originalFieldValue, patchFieldValue, meta.ref, patchStrategy, meta.mergeKey, false, options);
    else continue;

    const [patchItems, serverOnlyItems] =
      meta.mergeKey === '' ? partitionPrimitivesByPresentInList(merged, setElementOrderInPatch) : partitionMapsByPresentInList(merged, setElementOrderInPatch, meta.mergeKey);
    const kind = sliceElementType(originalFieldValue ?? [], patchFieldValue ?? []);
    setKey(original, originalKey, normalizeElementOrder(patchItems, serverOnlyItems, setElementOrderInPatch, originalFieldValue, meta.mergeKey, kind));
    delete patch[originalKey];
  }
}

/** mergeMap: merges `patch` into `original` (both are changed; the result is `original` or new). */
function mergeMap(originalIn: JsonObject | null, patch: JsonObject, ref: SchemaRef, options: MergeOptions): JsonObject {
  if (has(patch, directiveMarker)) return handleDirectiveInMergeMap(patch[directiveMarker], patch);
  const original = originalIn ?? {};
  applyRetainKeysDirective(original, patch, options);
  mergePatchIntoOriginal(original, patch, ref, options);

  for (const patchKey of Object.keys(patch)) {
    const patchV = patch[patchKey]!;
    let k = patchKey;
    let isDeleteList = false;
    if (k.startsWith(deleteFromPrimitiveListDirectivePrefix)) {
      if (!options.mergeParallelList) {
        setKey(original, k, patchV);
        continue;
      }
      k = extractKey(k, deleteFromPrimitiveListDirectivePrefix);
      isDeleteList = true;
    }

    if (patchV === null) {
      delete original[k];
      if (options.ignoreUnmatchedNulls) continue;
    }
    const originalKind = has(original, k) ? goKind(original[k]) : undefined;
    if (originalKind === undefined || originalKind !== goKind(patchV)) {
      // A new value (or one of another type) is taken from the patch, without its directives and,
      // on the server, without its nulls; a deletion list for a field that is not a list does nothing.
      if (!isDeleteList) takePatchValue(original, k, patchV, options);
      continue;
    }
    const meta = lookupPatchMeta(ref, k);
    const [, patchStrategy] = extractRetainKeysPatchStrategy(meta.strategies);
    if (originalKind === 'map') {
      setKey(original, k, patchStrategy !== replaceDirective ? mergeMap(original[k] as JsonObject, patchV as JsonObject, meta.ref, options) : patchV);
    } else if (originalKind === 'slice') {
      setKey(original, k, mergeSliceHandler(original[k] as Json[], patchV as Json[], meta.ref, patchStrategy, meta.mergeKey, isDeleteList, options));
    } else {
      takePatchValue(original, k, patchV, options);
    }
  }
  return original;
}

/** discardNullValuesFromPatch: drops null members of maps, at any depth. */
function discardNullValuesFromPatch(v: Json): void {
  if (Array.isArray(v)) {
    for (const e of v) discardNullValuesFromPatch(e);
  } else if (isObject(v)) {
    for (const [k, e] of Object.entries(v)) {
      if (e === null) delete v[k];
      else discardNullValuesFromPatch(e);
    }
  }
}

/** removeDirectives: a value without `$patch` maps (dropped wholesale), or undefined if it is one. */
function removeDirectives(v: Json): Json | undefined {
  if (Array.isArray(v)) return v.map(removeDirectives).filter((e): e is Json => e !== undefined);
  if (isObject(v)) {
    if (has(v, directiveMarker)) return undefined;
    for (const [k, e] of Object.entries(v)) {
      const kept = removeDirectives(e);
      if (kept === undefined) delete v[k];
      else setKey(v, k, kept);
    }
  }
  return v;
}

function takePatchValue(original: JsonObject, k: string, patchV: Json, options: MergeOptions): void {
  if (options.ignoreUnmatchedNulls) discardNullValuesFromPatch(patchV);
  const kept = removeDirectives(patchV);
  if (kept === undefined) delete original[k];
  else setKey(original, k, kept);
}

function mergeSliceHandler(original: Json[], patch: Json[], elemRef: SchemaRef, strategy: string, mergeKey: string, isDeleteList: boolean, options: MergeOptions): Json[] {
  return strategy === mergeDirective ? mergeSlice(original, patch, elemRef, mergeKey, options, isDeleteList) : patch;
}

function deleteMatchingEntries(original: Json[], mergeKey: string, mergeValue: Json | undefined): Json[] {
  const out = [...original];
  for (let found = findMapInSliceBasedOnKeyValue(out, mergeKey, mergeValue); found; found = findMapInSliceBasedOnKeyValue(out, mergeKey, mergeValue)) {
    out.splice(found[1], 1);
  }
  return out;
}

/** Handles `$patch` elements of a merge list: returns the new original and the patch without them. */
function mergeSliceWithSpecialElements(original: Json[], patch: Json[], mergeKey: string): [Json[], Json[] | null] {
  const without: Json[] = [];
  let replace = false;
  let out = original;
  for (const v of patch) {
    const typed = v as JsonObject;
    if (!has(typed, directiveMarker)) {
      without.push(v);
      continue;
    }
    const patchType = typed[directiveMarker];
    if (patchType === deleteDirective) {
      if (!has(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
      out = deleteMatchingEntries(out, mergeKey, typed[mergeKey]);
    } else if (patchType === replaceDirective) {
      replace = true;
    } else if (patchType === mergeDirective) {
      throw internal('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(patchType, typed);
    }
  }
  return replace ? [without, null] : [out, without];
}

function mergeSliceWithoutSpecialElements(original: Json[], patch: readonly Json[] | null, mergeKey: string, elemRef: SchemaRef, options: MergeOptions): Json[] {
  const out = [...original];
  for (const v of patch ?? []) {
    const typed = v as JsonObject;
    if (!has(typed, mergeKey)) throw errNoMergeKey(typed, mergeKey);
    const found = findMapInSliceBasedOnKeyValue(out, mergeKey, typed[mergeKey]);
    if (found) out[found[1]] = mergeMap(found[0], typed, elemRef, options);
    else out.push(v);
  }
  return out;
}

function mergeSlice(original: Json[], patch: Json[], elemRef: SchemaRef, mergeKey: string, options: MergeOptions, isDeleteList: boolean): Json[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementType(original, patch);
  let merged: Json[];
  let orig = original;
  let patchList: Json[] | null = patch;
  if (kind !== 'map') {
    if (options.mergeParallelList && isDeleteList) {
      const toDelete = new Set(patch);
      return original.filter((v) => !toDelete.has(v));
    }
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw internal('cannot merge lists without merge key for type struct');
    [orig, patchList] = mergeSliceWithSpecialElements(original, patch, mergeKey);
    merged = mergeSliceWithoutSpecialElements(orig, patchList, mergeKey, elemRef, options);
  }
  const [patchItems, serverOnlyItems] =
    mergeKey === '' ? partitionPrimitivesByPresentInList(merged, patchList) : partitionMapsByPresentInList(merged, patchList, mergeKey);
  return normalizeElementOrder(patchItems, serverOnlyItems, patchList, orig, mergeKey, kind);
}

/**
 * StrategicMergeMapPatch: applies a strategic merge patch to an object, as the apiserver does. Neither
 * argument is changed.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonObject, ref: SchemaRef): JsonObject {
  return mergeMap(clone(original), clone(patch), ref, { mergeParallelList: true, ignoreUnmatchedNulls: true });
}

// ---------------------------------------------------------------------------------------------------
// Computing a patch

function replacePatchFieldIfNotEqual(key: string, original: Json, modified: Json, patch: JsonObject, options: DiffOptions): void {
  if (options.ignoreChangesAndAdditions) return;
  if (deepEqual(original, modified)) return;
  setKey(patch, key, modified);
}

function hasAdditionalNewField(original: JsonObject, modified: JsonObject): boolean {
  return Object.entries(original).some(([k, v]) => v !== null && !has(modified, k));
}

/** diffMaps: the (recursive) patch that turns `original` into `modified`. */
function diffMaps(original: JsonObject, modified: JsonObject, ref: SchemaRef, options: DiffOptions): JsonObject {
  const patch: JsonObject = {};
  const retainKeysList: Json[] = [];
  for (const [key, modifiedValue] of Object.entries(modified)) {
    if (options.buildRetainKeysDirective && modifiedValue !== null) retainKeysList.push(key);
    if (!has(original, key)) {
      if (!options.ignoreChangesAndAdditions) setKey(patch, key, modifiedValue);
      continue;
    }
    const originalValue = original[key]!;
    if (key === directiveMarker) {
      if (typeof originalValue !== 'string' || typeof modifiedValue !== 'string') throw internal(`invalid value for special key: ${directiveMarker}`);
      if (modifiedValue !== originalValue) setKey(patch, directiveMarker, modifiedValue);
      continue;
    }
    const kind = goKind(originalValue);
    if (kind !== goKind(modifiedValue)) {
      if (!options.ignoreChangesAndAdditions) setKey(patch, key, modifiedValue);
      continue;
    }
    if (kind === 'map') handleMapDiff(key, originalValue as JsonObject, modifiedValue as JsonObject, patch, ref, options);
    else if (kind === 'slice') handleSliceDiff(key, originalValue as Json[], modifiedValue as Json[], patch, ref, options);
    else replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, options);
  }
  if (!options.ignoreDeletions) {
    for (const key of Object.keys(original)) {
      if (!has(modified, key)) setKey(patch, key, null);
    }
  }
  if (retainKeysList.length > 0 && (Object.keys(patch).length > 0 || hasAdditionalNewField(original, modified))) {
    setKey(patch, retainKeysDirective, sortScalars(retainKeysList));
  }
  return patch;
}

function handleMapDiff(key: string, originalValue: JsonObject, modifiedValue: JsonObject, patch: JsonObject, ref: SchemaRef, options: DiffOptions): void {
  const meta = lookupPatchMeta(ref, key);
  const [retainKeys, patchStrategy] = extractRetainKeysPatchStrategy(meta.strategies);
  if (patchStrategy === replaceDirective) {
    if (!options.ignoreChangesAndAdditions) setKey(patch, key, modifiedValue);
    return;
  }
  const patchValue = diffMaps(originalValue, modifiedValue, meta.ref, { ...options, buildRetainKeysDirective: retainKeys });
  if (Object.keys(patchValue).length > 0) setKey(patch, key, patchValue);
}

function handleSliceDiff(key: string, originalValue: Json[], modifiedValue: Json[], patch: JsonObject, ref: SchemaRef, options: DiffOptions): void {
  const meta = lookupPatchMeta(ref, key);
  const [retainKeys, patchStrategy] = extractRetainKeysPatchStrategy(meta.strategies);
  if (patchStrategy !== mergeDirective) {
    replacePatchFieldIfNotEqual(key, originalValue, modifiedValue, patch, options);
    return;
  }
  const [addList, deletionList, setOrderList] = diffLists(originalValue, modifiedValue, meta.ref, meta.mergeKey, { ...options, buildRetainKeysDirective: retainKeys });
  if (addList.length > 0) setKey(patch, key, addList);
  if (deletionList.length > 0) setKey(patch, `${deleteFromPrimitiveListDirectivePrefix}/${key}`, deletionList);
  if (setOrderList.length > 0) setKey(patch, `${setElementOrderDirectivePrefix}/${key}`, setOrderList);
}

function isOrderSame(original: readonly Json[], modified: readonly Json[], mergeKey: string): boolean {
  if (original.length !== modified.length) return false;
  return modified.every((m, i) => mergeKeyValueEqual(original[i], m, mergeKey));
}

/** diffListsOfScalars: additions and deletions between two primitive lists (sorts `original`). */
function diffListsOfScalars(original: Json[], modified: readonly Json[], options: DiffOptions): [Json[], Json[]] {
  const originalScalars = sortScalars(original);
  const modifiedScalars = sortScalars([...modified]);
  const addList: Json[] = [];
  const deletionList: Json[] = [];
  let o = 0;
  let m = 0;
  while (o < originalScalars.length || m < modifiedScalars.length) {
    const originalInBounds = o < originalScalars.length;
    const modifiedInBounds = m < modifiedScalars.length;
    const originalString = originalInBounds ? goFormat(originalScalars[o]) : '';
    const modifiedString = modifiedInBounds ? goFormat(modifiedScalars[m]) : '';
    if (originalInBounds && modifiedInBounds && originalString === modifiedString) {
      o++;
      m++;
    } else if (!originalInBounds || (modifiedInBounds && originalString > modifiedString)) {
      if (!options.ignoreChangesAndAdditions) addList.push(modifiedScalars[m]!);
      m++;
    } else {
      if (!options.ignoreDeletions) deletionList.push(originalScalars[o]!);
      o++;
    }
  }
  return [addList, deduplicateScalars(deletionList)];
}

function mapAndMergeKeyValue(list: readonly Json[], i: number, mergeKey: string): [JsonObject, Json] {
  const m = list[i];
  if (!isObject(m)) throw errBadArgType('map', m);
  if (!has(m, mergeKey)) throw errNoMergeKey(m, mergeKey);
  return [m, m[mergeKey]!];
}

/** sortMapsBasedOnField: a copy of the list sorted by the `%v` text of each merge key. */
function sortByMergeKey(s: readonly Json[], mergeKey: string): Json[] {
  if (s.length === 0) return [...s];
  sliceElementType(s);
  const keyText = (v: Json) => goFormat(isObject(v) ? v[mergeKey] : null);
  return [...s].sort((a, b) => {
    const x = keyText(a);
    const y = keyText(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** diffListsOfMaps: a patch list of changes and additions, and delete directives for removals. */
function diffListsOfMaps(original: readonly Json[], modified: readonly Json[], elemRef: SchemaRef, mergeKey: string, options: DiffOptions): [Json[], Json[]] {
  const patch: Json[] = [];
  const deletionList: Json[] = [];
  const originalSorted = sortByMergeKey(original, mergeKey);
  const modifiedSorted = sortByMergeKey(modified, mergeKey);
  let o = 0;
  let m = 0;
  while (o < originalSorted.length || m < modifiedSorted.length) {
    const originalInBounds = o < originalSorted.length;
    const modifiedInBounds = m < modifiedSorted.length;
    const [originalElement, originalKey] = originalInBounds ? mapAndMergeKeyValue(originalSorted, o, mergeKey) : [{}, null];
    const [modifiedElement, modifiedKey] = modifiedInBounds ? mapAndMergeKeyValue(modifiedSorted, m, mergeKey) : [{}, null];
    const originalString = originalInBounds ? goFormat(originalKey) : '';
    const modifiedString = modifiedInBounds ? goFormat(modifiedKey) : '';
    if (originalInBounds && modifiedInBounds && originalString === modifiedString) {
      const patchValue = diffMaps(originalElement, modifiedElement, elemRef, options);
      if (Object.keys(patchValue).length > 0) {
        setKey(patchValue, mergeKey, modifiedKey);
        patch.push(patchValue);
      }
      o++;
      m++;
    } else if (!originalInBounds || (modifiedInBounds && originalString > modifiedString)) {
      if (!options.ignoreChangesAndAdditions) patch.push(modifiedElement);
      m++;
    } else {
      if (!options.ignoreDeletions) deletionList.push({ [mergeKey]: originalKey, [directiveMarker]: deleteDirective });
      o++;
    }
  }
  return [patch, deletionList];
}

/** diffLists: the patch list, the primitive deletion list and the `$setElementOrder` list. */
function diffLists(original: Json[], modified: readonly Json[], elemRef: SchemaRef, mergeKey: string, options: DiffOptions): [Json[], Json[], Json[]] {
  if (original.length === 0) {
    if (modified.length === 0 || options.ignoreChangesAndAdditions) return [[], [], []];
    return [[...modified], [], []];
  }
  const kind = sliceElementType(original, modified);
  if (kind === 'map') {
    const [changes, deletions] = diffListsOfMaps(original, modified, elemRef, mergeKey, options);
    const patchList = [...normalizeSliceOrder(changes, modified, mergeKey, kind), ...deletions];
    const orderSame = isOrderSame(original, modified, mergeKey);
    let setOrderList: Json[] = [];
    if (options.setElementOrder && ((!options.ignoreChangesAndAdditions && (patchList.length > 0 || !orderSame)) || (!options.ignoreDeletions && patchList.length > 0))) {
      setOrderList = modified.map((v) => ({ [mergeKey]: (v as JsonObject)[mergeKey] ?? null }));
    }
    return [patchList, [], setOrderList];
  }
  if (kind === 'slice') throw errNoListOfLists();
  const [additions, deleteList] = diffListsOfScalars(original, modified, options);
  const patchList = normalizeSliceOrder(additions, modified, mergeKey, kind);
  let setOrderList: Json[] = [];
  if (options.setElementOrder && ((!options.ignoreDeletions && deleteList.length > 0) || (!options.ignoreChangesAndAdditions && !deepEqual(original, modified)))) {
    setOrderList = [...modified];
  }
  return [patchList, deleteList, setOrderList];
}

/** CreateTwoWayMergeMapPatch: the strategic merge patch that turns `original` into `modified`. */
export function createTwoWayMergePatch(original: JsonObject, modified: JsonObject, ref: SchemaRef): JsonObject {
  return diffMaps(clone(original), clone(modified), ref, { setElementOrder: true });
}

/**
 * CreateThreeWayMergePatch with overwrite: the changes from `current` to `modified` (without
 * deletions) plus the deletions from `original` to `modified`, so that fields `original` never set
 * (added by controllers or defaulting) survive.
 */
export function createThreeWayMergePatch(original: JsonObject, modified: JsonObject, current: JsonObject, ref: SchemaRef): JsonObject {
  const deltaMap = diffMaps(clone(current), clone(modified), ref, { ignoreDeletions: true, setElementOrder: true });
  const deletionsMap = diffMaps(clone(original), clone(modified), ref, { setElementOrder: true, ignoreChangesAndAdditions: true });
  return mergeMap(deletionsMap, deltaMap, ref, { mergeParallelList: false, ignoreUnmatchedNulls: false });
}
