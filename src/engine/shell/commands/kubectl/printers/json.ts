/**
 * kubectl's JSON printer (cli-runtime/pkg/printers/json.go): `json.MarshalIndent(obj, "", "    ")` of
 * an unstructured object plus a newline. Unstructured objects are Go maps, so every object's keys print
 * sorted; strings are escaped as Go's encoding/json escapes them (`<`, `>`, `&`, U+2028/9 and control
 * characters as `\u00XX`, with `\b`, `\f`, `\n`, `\r`, `\t` short forms).
 *
 * An array prints as the `List` kubectl get prints for a list request (even of one or no objects);
 * commands that print objects one by one (create -f, apply -f) call printJson once per object.
 *
 * Key order: kubectl prints an unstructured object (get, apply, annotate, label, patch…) with its keys
 * sorted, and a typed one it built itself (create/run/expose --dry-run=client) in Go struct field
 * order (`kind`, `apiVersion`, `metadata`…). `{sortKeys: false}` keeps the order the object has, for
 * callers that build the object in struct order.
 */

/** The List kubectl wraps several objects in for `-o json` and `-o yaml`. */
export function listOf(items: readonly unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: [...items], kind: 'List', metadata: { resourceVersion: '' } };
}

/** encoding/json's string literal. */
export function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] ?? '';
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += ch + (s[i + 1] ?? '');
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** json.Marshal (indent "") or json.MarshalIndent(v, "", indent) of a JSON value with sorted map keys. */
export function marshalJson(v: unknown, indent = '', prefix = '', sortKeys = true): string {
  const nl = indent === '' ? '' : '\n';
  const sep = indent === '' ? ':' : ': ';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  const inner = prefix + indent;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${nl}${v.map((x) => inner + marshalJson(x, indent, inner, sortKeys)).join(`,${nl}`)}${nl}${prefix}]`;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (sortKeys) keys.sort();
  if (keys.length === 0) return '{}';
  return `{${nl}${keys.map((k) => `${inner}${jsonString(k)}${sep}${marshalJson(obj[k], indent, inner, sortKeys)}`).join(`,${nl}`)}${nl}${prefix}}`;
}

export interface JsonPrintOptions {
  /** false: keep the object's own key order (a typed object built in Go struct order). Default true. */
  readonly sortKeys?: boolean;
}

/** `kubectl … -o json`: one object as it is, an array of objects as a List. */
export function printJson(obj: unknown, options: JsonPrintOptions = {}): string {
  const value = Array.isArray(obj) ? listOf(obj) : obj;
  return `${marshalJson(value, '    ', '', options.sortKeys ?? true)}\n`;
}
