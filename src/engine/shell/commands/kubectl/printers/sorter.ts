/**
 * `kubectl get --sort-by` (kubectl/pkg/cmd/get/sorter.go): objects, or a server table's rows by their
 * objects, ordered by the first value a JSONPath finds in each. Strings compare as quantities when both
 * parse as one (`100m` < `1`), otherwise bytewise: sorter.go names sortorder.NaturalLess, but the
 * kubectl 1.32 on the reference machine prints `a1, a10, a2` (tested in testdata/tables.json), and that
 * output is what the lab copies. Integers and floats compare numerically; a missing value sorts first.
 *
 * Sorting is Go's insertion sort with upstream's Less (what sort.Sort does for up to 12 elements, and
 * stable, which sort.Sort's pdqsort is not for more: ties among more than 12 rows may order differently).
 * Mixed or unsortable values (bools, maps, int vs float) make kubectl exit through klog.Fatalf; here
 * they throw PrinterError with the same words.
 */
import { parseQuantity, type Quantity } from '../../../../api/resource/quantity.ts';
import { relaxedJsonPathExpression } from './customColumns.ts';
import { JsonPath, JsonPathExecError } from './jsonpath.ts';
import { JsonPathParseError } from './jsonpathParser.ts';
import { PrinterError } from './printerError.ts';

/** Go's string <: bytewise over UTF-8, which is code point order. */
function byteLess(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]?.codePointAt(0) ?? 0;
    const q = y[i]?.codePointAt(0) ?? 0;
    if (p !== q) return p < q;
  }
  return x.length < y.length;
}

function quantityOf(s: string): Quantity | undefined {
  try {
    return parseQuantity(s);
  } catch {
    return undefined;
  }
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object' && v !== null) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** isLess for two values of unstructured objects. */
function isLess(a: unknown, b: unknown): boolean {
  const nilA = a === null || a === undefined;
  const nilB = b === null || b === undefined;
  if (nilA || nilB) return !nilB ? true : false;
  if (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) === Number.isInteger(b)) return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantityOf(a);
    const qb = qa ? quantityOf(b) : undefined;
    if (qa && qb) return qa.cmp(qb) < 0;
    return byteLess(a, b);
  }
  if (typeof a === 'number' || typeof a === 'string') throw new Error('unsortable interface: interface');
  throw new Error(`unsortable type: ${goType(a)}`);
}

/** Go's insertionSort with `less`. */
function insertionSort<T>(items: T[], less: (x: T, y: T) => boolean): T[] {
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j] as T, items[j - 1] as T); j--) {
      const t = items[j] as T;
      items[j] = items[j - 1] as T;
      items[j - 1] = t;
    }
  }
  return items;
}

/** Sort `items` by the JSONPath `sortBy` over `objectOf(item)`. */
export function sortBy<T>(items: readonly T[], sortByField: string, objectOf: (item: T) => unknown): T[] {
  const field = relaxedJsonPathExpression(sortByField);
  let parser: JsonPath;
  try {
    parser = new JsonPath(field, { allowMissingKeys: true });
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new PrinterError(`sorting error: ${e.message}`);
    throw e;
  }
  const keyed = items.map((item) => {
    let groups: unknown[][];
    try {
      groups = parser.findResults(objectOf(item));
    } catch (e) {
      if (e instanceof JsonPathExecError) throw new PrinterError(`couldn't find any field with path "${field}" in the list of objects`);
      throw e;
    }
    const first = groups[0];
    return { item, has: first !== undefined && first.length > 0, value: first?.[0] };
  });
  const less = (x: (typeof keyed)[number], y: (typeof keyed)[number]): boolean => {
    if (!x.has) return true;
    if (!y.has) return false;
    try {
      return isLess(x.value, y.value);
    } catch (e) {
      throw new PrinterError(`Field ${field} is an unsortable type: ${goType(x.value)}, err: ${(e as Error).message}`);
    }
  };
  return insertionSort(keyed, less).map((k) => k.item);
}

/** TableSorter: a server table's rows by their objects. */
export function sortTableRows<R extends { readonly object?: unknown }>(rows: readonly R[], field: string): R[] {
  return sortBy(rows, field, (row) => row.object);
}

/** RuntimeSort: whole objects (for -o json/yaml/name/jsonpath/custom-columns with --sort-by). */
export function sortObjects<T>(objects: readonly T[], field: string): T[] {
  return sortBy(objects, field, (o) => o);
}
