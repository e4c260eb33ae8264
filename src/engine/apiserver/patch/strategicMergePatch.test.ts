import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { JsonObject } from './goJson.ts';
import { schemaFor, type PatchSchema, type SchemaRef } from './patchMeta.ts';
import { applyStrategicMergePatch, createThreeWayMergePatch, createTwoWayMergePatch, StrategicMergePatchError } from './strategicMergePatch.ts';

/** The MergeItem test type of strategicpatch's patch_test.go, as a schema. */
const mergeItemSchema: PatchSchema = {
  MergeItem: {
    mergingList: { type: 'MergeItem', strategy: 'merge', mergeKey: 'name' },
    nonMergingList: { type: 'MergeItem' },
    mergingIntList: { strategy: 'merge' },
    mergeItemPtr: { type: 'MergeItem', strategy: 'merge', mergeKey: 'name' },
    replacingItem: { strategy: 'replace' },
    retainKeysMap: { type: 'RetainKeysMergeItem', strategy: 'retainKeys' },
    retainKeysMergingList: { type: 'MergeItem', strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  RetainKeysMergeItem: {
    mergingIntList: { strategy: 'merge' },
    mergingList: { type: 'MergeItem', strategy: 'merge', mergeKey: 'name' },
    nonMergingList: { type: 'MergeItem' },
  },
};
const mergeItem: SchemaRef = { schema: mergeItemSchema, type: 'MergeItem' };

/** Order-insensitive view of a patch: every list sorted by its elements' JSON (patch_test sorts too). */
function sortLists(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortLists).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortLists((v as Record<string, unknown>)[k])]));
  return v;
}

function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = normalize((v as Record<string, unknown>)[k]);
      if (x === null || x === undefined || (typeof x === 'object' && !Array.isArray(x) && Object.keys(x as object).length === 0)) continue;
      out[k] = x;
    }
    return out;
  }
  return v;
}

interface TwoWayCase {
  description: string;
  original: JsonObject;
  twoWay: JsonObject;
  modified: JsonObject;
}

// customStrategicMergePatchTestCaseData: patches CreateTwoWayMergePatch would not produce.
const customCases = parse(`
- description: unique scalars when merging lists
  original: {mergingIntList: [1, 2]}
  twoWay: {mergingIntList: [2, 3]}
  modified: {mergingIntList: [1, 2, 3]}
- description: delete map from nested map
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {$patch: delete}}
  modified: {simpleMap: {}}
- description: delete all items from merging list
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{$patch: replace}]}
  modified: {mergingList: []}
- description: merge empty merging lists
  original: {mergingList: []}
  twoWay: {mergingList: []}
  modified: {mergingList: []}
- description: delete all keys from map
  original: {name: 1, value: 1}
  twoWay: {$patch: replace}
  modified: {}
- description: add key and delete all keys from map
  original: {name: 1, value: 1}
  twoWay: {other: a, $patch: replace}
  modified: {other: a}
- description: delete all duplicate entries in a merging list
  original: {mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]}
  modified: {mergingList: [{name: 2, value: a}]}
- description: retainKeys map can add a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo}}
  twoWay: {retainKeysMap: {value: bar}}
  modified: {retainKeysMap: {name: foo, value: bar}}
- description: retainKeys map can delete a field when no retainKeys directive present
  original: {retainKeysMap: {name: foo, value: a}}
  twoWay: {retainKeysMap: {value: null}}
  modified: {retainKeysMap: {name: foo}}
- description: retainKeys list can change a field when no retainKeys directive present
  original: {retainKeysMergingList: [{name: bar}, {name: foo, value: a}]}
  twoWay: {retainKeysMergingList: [{name: foo, value: b}]}
  modified: {retainKeysMergingList: [{name: bar}, {name: foo, value: b}]}
- description: preserve the order from the patch in a merging list
  original: {mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]}
  twoWay: {mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, other: x}]}
  modified: {mergingList: [{name: 3, value: c}, {name: 1, value: a}, {name: 2, value: b, other: x}]}
- description: preserve the order from the patch in a merging list 2
  original: {mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]}
  twoWay: {mergingList: [{name: 3, value: c}, {name: 1, value: a}]}
  modified: {mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]}
- description: preserve the order from the patch in a merging int list
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {mergingIntList: [3, 1, 2]}
  modified: {mergingIntList: [3, 1, 2]}
- description: preserve the order from the patch in a merging int list 2
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {mergingIntList: [3, 1]}
  modified: {mergingIntList: [2, 3, 1]}
- description: $setElementOrder contains item that is not present in the list to be merged
  original: {mergingList: [{name: 1}, {name: 3}]}
  twoWay: {$setElementOrder/mergingList: [{name: 3}, {name: 2}, {name: 1}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}
  modified: {mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}
- description: $setElementOrder contains item that is not present in the int list to be merged
  original: {mergingIntList: [1, 3]}
  twoWay: {$setElementOrder/mergingIntList: [3, 2, 1]}
  modified: {mergingIntList: [3, 1]}
`) as TwoWayCase[];

interface ThreeWayCase extends TwoWayCase {
  current: JsonObject;
  threeWay: JsonObject;
  result: JsonObject;
  twoWayResult?: JsonObject;
}

// createStrategicMergePatchTestCaseData and strategicMergePatchRawTestCases.
const createCases = parse(`
- description: nil original
  original: {}
  twoWay: {name: 1, value: 1}
  modified: {name: 1, value: 1}
  current: {name: 1, other: a}
  threeWay: {value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field to map with conflict
  original: {name: 1}
  twoWay: {value: 1}
  modified: {name: 1, value: 1}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1}
  result: {name: 1, value: 1, other: a}
- description: add field and delete field from map
  original: {name: 1}
  twoWay: {name: null, value: 1}
  modified: {value: 1}
  current: {name: 1, other: a}
  threeWay: {name: null, value: 1}
  result: {value: 1, other: a}
- description: delete field from nested map with conflict
  original: {simpleMap: {key1: 1, key2: 1}}
  twoWay: {simpleMap: {key2: null}}
  modified: {simpleMap: {key1: 1}}
  current: {simpleMap: {key1: a, key2: 1, other: a}}
  threeWay: {simpleMap: {key1: 1, key2: null}}
  result: {simpleMap: {key1: 1, other: a}}
- description: add field and delete all fields from map with conflict
  original: {name: 1, value: 1}
  twoWay: {name: null, value: null, other: a}
  modified: {other: a}
  current: {name: 1, value: 1, other: b}
  threeWay: {name: null, value: null, other: a}
  result: {other: a}
- description: replace list of scalars with conflict
  original: {nonMergingIntList: [1, 2]}
  twoWay: {nonMergingIntList: [2, 3]}
  modified: {nonMergingIntList: [2, 3]}
  current: {nonMergingIntList: [1, 4]}
  threeWay: {nonMergingIntList: [2, 3]}
  result: {nonMergingIntList: [2, 3]}
- description: delete all maps from merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2}]}
  twoWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  modified: {mergingList: []}
  current: {mergingList: [{name: 1, other: a}, {name: 2, other: b}]}
  threeWay: {mergingList: [{name: 1, $patch: delete}, {name: 2, $patch: delete}]}
  result: {mergingList: []}
- description: defined null values should propagate overwrite current fields (with conflict)
  original: {name: 2}
  twoWay: {name: 1, value: 1, other: null}
  twoWayResult: {name: 1, value: 1}
  modified: {name: 1, value: 1, other: null}
  current: {name: a, other: a}
  threeWay: {name: 1, value: 1, other: null}
  result: {name: 1, value: 1}
- description: retainKeys map with no change should not be present
  original: {name: a, retainKeysMap: {name: foo}}
  twoWay: {value: b}
  modified: {name: a, value: b, retainKeysMap: {name: foo}}
  current: {name: a, other: c, retainKeysMap: {name: foo}}
  threeWay: {value: b}
  result: {name: a, value: b, other: c, retainKeysMap: {name: foo}}
- description: delete items in lists of scalars
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  modified: {mergingIntList: [1, 2]}
  current: {mergingIntList: [1, 2, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: add and delete items in lists of scalars
  original: {mergingIntList: [1, 2, 3]}
  twoWay: {$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3], mergingIntList: [4]}
  modified: {mergingIntList: [1, 2, 4]}
  current: {mergingIntList: [1, 2, 3, 4]}
  threeWay: {$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3]}
  result: {mergingIntList: [1, 2, 4]}
- description: merge lists of maps
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay:
    $setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]
  modified: {mergingList: [{name: 4, value: 4}, {name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]}
  threeWay:
    $setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}]
    mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]
  result: {mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]}
- description: merge lists of maps with conflict
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}]}
  modified: {mergingList: [{name: 1}, {name: 2, value: 2}, {name: 3, value: 3}]}
  current: {mergingList: [{name: 1, other: a}, {name: 2, value: 3, other: b}]}
  threeWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 2, value: 2}, {name: 3, value: 3}]}
  result: {mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]}
- description: add field to map in merging list with conflict
  original: {mergingList: [{name: 1}, {name: 2, value: 2}]}
  twoWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}]}
  modified: {mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}
  current: {mergingList: [{name: 1, other: a}, {name: 3, value: 2, other: b}]}
  threeWay: {$setElementOrder/mergingList: [{name: 1}, {name: 2}], mergingList: [{name: 1, value: 1}, {name: 2, value: 2}]}
  result: {mergingList: [{name: 1, value: 1, other: a}, {name: 2, value: 2}, {name: 3, value: 2, other: b}]}
`) as ThreeWayCase[];

const golden = JSON.parse(readFileSync(new URL('./testdata/kubectl-patch.json', import.meta.url), 'utf8')) as {
  strategic: { groupKind: string; object: JsonObject; cases: Array<{ patch: JsonObject; result?: unknown; error?: string }> };
};

describe('applyStrategicMergePatch', () => {
  it.each(customCases.map((c) => [c.description, c] as const))('patch_test.go: %s', (_name, c) => {
    expect(applyStrategicMergePatch(c.original, c.twoWay, mergeItem)).toEqual(c.modified);
  });

  it.each(golden.strategic.cases.map((c) => [JSON.stringify(c.patch), c] as const))('matches kubectl 1.32 on a Pod: %s', (_name, c) => {
    const ref = schemaFor(golden.strategic.groupKind)!;
    const run = () => applyStrategicMergePatch(golden.strategic.object, c.patch, ref);
    if (c.error !== undefined) {
      expect(run).toThrow(StrategicMergePatchError);
      expect(() => run()).toThrow(c.error);
    } else {
      const out = run();
      expect(normalize({ metadata: out['metadata'], spec: out['spec'] })).toEqual(c.result);
    }
  });

  it.each<[string, JsonObject, string, number]>([
    ['a missing merge key', { mergingList: [{ value: 'b' }] }, 'map: map[value:b] does not contain declared merge key: name', 500],
    ['$setElementOrder out of order', { '$setElementOrder/mergingList': [{ name: 1 }, { name: 2 }, { name: 3 }], mergingList: [{ name: 3 }, { name: 1 }] }, "doesn't match", 500],
    ['a bad $retainKeys', { $retainKeys: 'x' }, 'invalid patch format of retainKeys', 400],
    ['a list of lists', { mergingIntList: [[1]] }, 'lists of lists are not supported', 422],
    ['a bad deletion list key', { $deleteFromPrimitiveListX: [1] }, 'invalid patch format of primitive list', 400],
  ])('fails on %s with the apiserver code', (_name, patch, message, code) => {
    const original: JsonObject = { mergingList: [{ name: 1, value: 'a' }, { name: 2 }, { name: 3 }], mergingIntList: [] };
    try {
      applyStrategicMergePatch(original, patch, mergeItem);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StrategicMergePatchError);
      expect((e as StrategicMergePatchError).message).toContain(message);
      expect((e as StrategicMergePatchError).code).toBe(code);
    }
  });

  it('changes neither argument', () => {
    const original: JsonObject = { mergingList: [{ name: 1, value: 'a' }], mergingIntList: [1] };
    const patch: JsonObject = { mergingList: [{ name: 1, value: 'b' }], '$setElementOrder/mergingIntList': [2, 1], mergingIntList: [2] };
    const before = [structuredClone(original), structuredClone(patch)];
    expect(applyStrategicMergePatch(original, patch, mergeItem)).toEqual({ mergingList: [{ name: 1, value: 'b' }], mergingIntList: [2, 1] });
    expect([original, patch]).toEqual(before);
  });

  it('replaces lists of a kind without patch metadata, as a merge patch does', () => {
    const original: JsonObject = { spec: { items: [{ name: 'a' }, { name: 'b' }] }, metadata: { finalizers: ['x'] } };
    const patch: JsonObject = { spec: { items: [{ name: 'c' }] }, metadata: { finalizers: ['y'] } };
    expect(applyStrategicMergePatch(original, patch, { schema: {}, type: undefined })).toEqual({ spec: { items: [{ name: 'c' }] }, metadata: { finalizers: ['y'] } });
  });
});

describe('createTwoWayMergePatch and createThreeWayMergePatch', () => {
  it.each(createCases.map((c) => [c.description, c] as const))('patch_test.go: %s', (_name, c) => {
    const twoWay = createTwoWayMergePatch(c.original, c.modified, mergeItem);
    expect(sortLists(twoWay)).toEqual(sortLists(c.twoWay));
    expect(applyStrategicMergePatch(c.original, twoWay, mergeItem)).toEqual(c.twoWayResult ?? c.modified);

    const threeWay = createThreeWayMergePatch(c.original, c.modified, c.current, mergeItem);
    expect(sortLists(threeWay)).toEqual(sortLists(c.threeWay));
    expect(applyStrategicMergePatch(c.current, threeWay, mergeItem)).toEqual(c.result);
  });

  it.each(customCases.filter((c) => !JSON.stringify(c.twoWay).includes('$patch')).map((c) => [c.description, c] as const))(
    'round-trips %s',
    (_name, c) => {
      expect(applyStrategicMergePatch(c.original, createTwoWayMergePatch(c.original, c.modified, mergeItem), mergeItem)).toEqual(c.modified);
    },
  );
});
