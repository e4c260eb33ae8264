/**
 * How Go's fmt and strconv spell the values kubectl prints: `fmt.Sprint` of an unstructured value
 * (custom-columns cells, jsonpath text), `%#v` of one (the object dump in a jsonpath error),
 * `strconv.Quote`, and `strconv.FormatFloat(f, 'g', -1, 64)` (also how go-yaml writes floats).
 *
 * Contract: values are parsed JSON, as kubectl's unstructured objects hold them — an integral number is
 * Go's int64, any other number a float64, maps print with sorted keys as fmt prints them.
 *
 * Left out: Go types other than those JSON decodes into (structs, pointers, typed maps).
 */

/** strconv.FormatFloat(x, 'g', -1, 64): the shortest digits, in `%e` form when the exponent is < -4 or >= 6. */
export function formatFloatG(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mantissa = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const digits = String(Math.abs(exp)).padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return fixed(x);
}

/** A float in plain decimal notation, as Go's 'f' with the shortest digits writes it. */
function fixed(x: number): string {
  const s = String(x);
  if (!s.includes('e')) return s;
  // JS switches to exponent form below 1e-6; Go's %f never does.
  const [mantissa = '', expText = '0'] = s.split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = (mantissa.replace('-', '').indexOf('.') === -1 ? mantissa.replace('-', '').length : mantissa.replace('-', '').indexOf('.')) + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** A JSON number as Go prints it with %v: int64 digits when integral, else FormatFloat 'g'. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return BigInt(n).toString();
  return formatFloatG(n);
}

/** unicode.IsPrint, approximated: letters, marks, numbers, punctuation, symbols and U+0020. */
function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

/** strconv.Quote: a double-quoted Go string literal; printable Unicode stays as it is. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (isPrint(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** fmt.Sprint(v) of an unstructured value: `map[a:1 b:x]`, `[a b]`, `<nil>`, strings bare. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (isMap(v)) {
    return `map[${Object.keys(v).sort().map((k) => `${k}:${goSprint(v[k])}`).join(' ')}]`;
  }
  return String(v);
}

/** fmt.Sprintf("%#v", v) of an unstructured value, as kubectl dumps the object in a jsonpath error. */
export function goSyntax(v: unknown): string {
  if (v === null || v === undefined) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x)).join(', ')}}`;
  if (isMap(v)) {
    const entries = Object.keys(v).sort().map((k) => `${goQuote(k)}:${goSyntax(v[k])}`);
    return `map[string]interface {}{${entries.join(', ')}}`;
  }
  return String(v);
}
