/**
 * The byte form of a JSON document as Go's encoding/json Marshal writes it, which is what docker,
 * containerd and BuildKit hash: no whitespace, object keys in the order given (callers build objects in
 * Go's struct field order, and sort map keys, as Go does), and `<`, `>`, `&`, U+2028 and U+2029 escaped
 * as `\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`.
 */
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** `value` as Go's json.Marshal would write it (see the module comment for the exact form). */
export function marshal(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]!);
}

/** A copy of a string map with its keys sorted, as Go marshals a map. */
export function sortedMap<V>(map: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key]!;
  return out;
}
