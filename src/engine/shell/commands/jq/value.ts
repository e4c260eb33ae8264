/**
 * jq's values (jv): null, booleans, numbers, strings, arrays and objects, with jq 1.7.1's total order,
 * its number printing and its JSON writer (pretty, compact, --tab, --indent n, -S, -a, -C colours).
 *
 * Representation: `null`, `boolean`, `string`, `Value[]` and `Map<string, Value>` (objects keep insertion
 * order, as jq's do) are plain JavaScript values and are never changed once built. A number is a JS
 * `number` when computed, or a `JqNumber` when it was written as a literal (in a program or in JSON input)
 * whose text jq 1.7.1 keeps: `1.0` prints `1.0`, `100000000000000000001` stays exact and compares exactly
 * with another literal. Arithmetic always yields a plain `number`.
 *
 * Left out: strings hold UTF-16 text, so input that is not valid UTF-8 never reaches jq here (the lab's
 * files and pipes carry text), and a lone surrogate is kept rather than replaced by U+FFFD.
 */

export type Value = null | boolean | number | JqNumber | string | Value[] | JqObject;
export type JqObject = Map<string, Value>;

/** A number literal kept as jq 1.7.1 keeps it: its double and its canonical decimal text. */
export class JqNumber {
  constructor(
    readonly value: number,
    readonly literal: string,
  ) {}
}

export type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

/** An error a jq program raises: `error(v)`'s value, or a runtime error's message. */
export class JqError extends Error {
  constructor(readonly value: Value) {
    super(typeof value === 'string' ? value : dump(value));
    this.name = 'JqError';
  }
}

export function kindOf(v: Value): Kind {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
  }
  if (v instanceof JqNumber) return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

export function isNumber(v: Value): v is number | JqNumber {
  return typeof v === 'number' || v instanceof JqNumber;
}

export function isObject(v: Value): v is JqObject {
  return v instanceof Map;
}

/** The double of a number value. */
export function num(v: number | JqNumber): number {
  return typeof v === 'number' ? v : v.value;
}

export function truthy(v: Value): boolean {
  return v !== null && v !== false;
}

// —— numbers ——

/** Largest exponent decNumber keeps; past it a literal becomes an infinity. */
const DEC_EMAX = 999_999_999;

/**
 * The value of a JSON/jq number literal: a `JqNumber` with decNumber's canonical text (to-scientific-string:
 * `1.0`, `1E+2`, `0.000001`, `1E-7`); `nan`, `inf`, `infinity` (any case, with a sign) are accepted as JSON
 * input is and give plain numbers, as does an exponent too large for decNumber. Undefined when `text` is
 * not a number.
 */
export function parseNumberLiteral(text: string): number | JqNumber | undefined {
  const special = /^([+-]?)(nan|snan|inf|infinity)$/i.exec(text);
  if (special) {
    if (/nan/i.test(special[2]!)) return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const negative = m[1] === '-';
  const frac = m[3] ?? '';
  let digits = (m[2]! + frac).replace(/^0+(?=\d)/, '');
  if (digits === '') digits = '0';
  const exponent = Number(m[4] ?? '0') - frac.length;
  const adjusted = exponent + digits.length - 1;
  const value = Number(`${negative ? '-' : ''}${m[2] || '0'}.${frac || '0'}e${m[4] ?? '0'}`);
  if (adjusted > DEC_EMAX) return negative ? -Infinity : Infinity;
  let literal: string;
  if (exponent <= 0 && adjusted >= -6) {
    const point = digits.length + exponent;
    if (exponent === 0) literal = digits;
    else if (point <= 0) literal = `0.${'0'.repeat(-point)}${digits}`;
    else literal = `${digits.slice(0, point)}.${digits.slice(point)}`;
  } else {
    literal = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}E${adjusted >= 0 ? '+' : '-'}${Math.abs(adjusted)}`;
  }
  if (negative) literal = `-${literal}`;
  return new JqNumber(value, literal);
}

const DBL_MAX_TEXT = '1.7976931348623157e+308';

/** A computed number as jq 1.7.1 prints it: shortest round-trip digits (at most 17), jq's layout. */
export function formatDouble(d: number): string {
  if (Number.isNaN(d)) return 'null';
  if (d === Infinity) return DBL_MAX_TEXT;
  if (d === -Infinity) return `-${DBL_MAX_TEXT}`;
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const sign = d < 0 ? '-' : '';
  const [mantissa, exp] = Math.abs(d).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const x = Number(exp);
  const nd = digits.length;
  if (x < -4 || x >= nd + 15) {
    const e = Math.abs(x);
    return `${sign}${digits[0]}${nd > 1 ? `.${digits.slice(1)}` : ''}e${x < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  if (x < 0) return `${sign}0.${'0'.repeat(-x - 1)}${digits}`;
  if (x + 1 >= nd) return `${sign}${digits}${'0'.repeat(x + 1 - nd)}`;
  return `${sign}${digits.slice(0, x + 1)}.${digits.slice(x + 1)}`;
}

export function formatNumber(v: number | JqNumber): string {
  return typeof v === 'number' ? formatDouble(v) : v.literal;
}

/** Exact comparison of two canonical decimal literals. */
function compareLiterals(a: string, b: string): number {
  const pa = decompose(a);
  const pb = decompose(b);
  if (pa.zero && pb.zero) return 0;
  if (pa.negative !== pb.negative) return pa.negative ? -1 : 1;
  const mag = pa.zero ? -1 : pb.zero ? 1 : compareMagnitude(pa, pb);
  return pa.negative ? -mag : mag;
}

interface Decimal {
  negative: boolean;
  zero: boolean;
  /** Significant digits without leading or trailing zeros. */
  digits: string;
  /** Position of the decimal point: value = 0.digits × 10^point. */
  point: number;
}

function decompose(literal: string): Decimal {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]\d+))?$/.exec(literal)!;
  const intPart = m[2]!;
  const frac = m[3] ?? '';
  let digits = intPart + frac;
  let point = intPart.length + Number(m[4] ?? '0');
  const lead = /^0*/.exec(digits)![0].length;
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  return { negative: m[1] === '-', zero: digits === '', digits, point };
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.point !== b.point) return a.point < b.point ? -1 : 1;
  return a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
}

// —— order ——

const KIND_RANK = (v: Value): number => {
  if (v === null) return 0;
  if (v === false) return 1;
  if (v === true) return 2;
  if (isNumber(v)) return 3;
  if (typeof v === 'string') return 4;
  return Array.isArray(v) ? 5 : 6;
};

/** jq's total order: null < false < true < numbers < strings < arrays < objects. */
export function compare(a: Value, b: Value): number {
  const ka = KIND_RANK(a);
  const kb = KIND_RANK(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  switch (ka) {
    case 3:
      return compareNumbers(a as number | JqNumber, b as number | JqNumber);
    case 4:
      return compareStrings(a as string, b as string);
    case 5: {
      const x = a as Value[];
      const y = b as Value[];
      for (let i = 0; i < x.length && i < y.length; i++) {
        const c = compare(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    case 6: {
      const x = a as JqObject;
      const y = b as JqObject;
      const kx = sortedKeys(x);
      const ky = sortedKeys(y);
      const c = compare(kx, ky);
      if (c !== 0) return c;
      for (const k of kx) {
        const d = compare(x.get(k)!, y.get(k)!);
        if (d !== 0) return d;
      }
      return 0;
    }
    default:
      return 0;
  }
}

function compareNumbers(a: number | JqNumber, b: number | JqNumber): number {
  const x = num(a);
  const y = num(b);
  // Two literals compare as decimals; when their doubles differ, so do the decimals, the same way.
  if (a instanceof JqNumber && b instanceof JqNumber && (x === y || !Number.isFinite(x) || !Number.isFinite(y))) {
    return a.literal === b.literal ? 0 : compareLiterals(a.literal, b.literal);
  }
  if (Number.isNaN(x)) return -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Strings compare by their UTF-8 bytes, which is code point order. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rankUnit(x) < rankUnit(y) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** UTF-16 code units reordered so that surrogates (astral code points) sort after the rest of the BMP. */
function rankUnit(u: number): number {
  if (u >= 0xe000) return u - 0x800;
  if (u >= 0xd800) return u + 0x2000;
  return u;
}

export function equal(a: Value, b: Value): boolean {
  return compare(a, b) === 0;
}

export function sortedKeys(o: JqObject): string[] {
  return [...o.keys()].sort(compareStrings);
}

/** The very same value (jq's jv_identical): containers by identity, scalars by value. */
export function identical(a: Value, b: Value): boolean {
  if (a instanceof JqNumber || b instanceof JqNumber) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

// —— strings ——

/** Code points of a string (lone surrogates count as one each). */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

// —— the writer ——

export interface DumpOptions {
  /** Spaces per level; 0 is compact. */
  indent?: number;
  tab?: boolean;
  sortKeys?: boolean;
  ascii?: boolean;
  colors?: Colors;
}

/** ANSI SGR parameters per kind, as JQ_COLORS lists them. */
export interface Colors {
  null: string;
  false: string;
  true: string;
  number: string;
  string: string;
  array: string;
  object: string;
  key: string;
}

/** jq 1.7.1's default colours. */
export const DEFAULT_COLORS: Colors = {
  null: '0;90',
  false: '0;39',
  true: '0;39',
  number: '0;39',
  string: '0;32',
  array: '1;39',
  object: '1;39',
  key: '1;34',
};

/**
 * JQ_COLORS ("null:false:true:numbers:strings:arrays:objects:objkeys", each an SGR list like `1;31`) over
 * the defaults; undefined when the text is not such a list (jq then warns "Failed to set $JQ_COLORS").
 */
export function parseColors(spec: string): Colors | undefined {
  const order: Array<keyof Colors> = ['null', 'false', 'true', 'number', 'string', 'array', 'object', 'key'];
  const parts = spec.split(':');
  if (parts.length > order.length) return undefined;
  const colors = { ...DEFAULT_COLORS };
  for (let i = 0; i < parts.length; i++) {
    if (!/^[0-9;]*$/.test(parts[i]!) || parts[i]!.length > 12) return undefined;
    colors[order[i]!] = parts[i]!;
  }
  return colors;
}

/** A value as JSON text, as jv_dump_string writes it (compact unless an indent is given). */
export function dump(v: Value, options: DumpOptions = {}): string {
  const out: string[] = [];
  const unit = options.tab ? '\t' : ' '.repeat(options.indent ?? 0);
  const pretty = options.tab === true || (options.indent ?? 0) > 0;
  write(v, 0);
  return out.join('');

  function color(c: string): string {
    return `\x1b[${c}m`;
  }

  function write(x: Value, level: number): void {
    const colors = options.colors;
    const kind = kindOf(x);
    if (kind === 'array' || kind === 'object') {
      const open = kind === 'array' ? '[' : '{';
      const close = kind === 'array' ? ']' : '}';
      const col = colors ? color(colors[kind]) : '';
      const size = kind === 'array' ? (x as Value[]).length : (x as JqObject).size;
      if (size === 0) {
        out.push(col, open, close, colors ? color('0') : '');
        return;
      }
      out.push(col, open);
      const inner = pretty ? `\n${unit.repeat(level + 1)}` : '';
      if (kind === 'array') {
        (x as Value[]).forEach((item, i) => {
          if (i > 0) out.push(',');
          out.push(inner);
          write(item, level + 1);
          out.push(col);
        });
      } else {
        const o = x as JqObject;
        const keys = options.sortKeys ? sortedKeys(o) : [...o.keys()];
        keys.forEach((k, i) => {
          if (i > 0) out.push(',');
          out.push(inner);
          if (colors) out.push(color('0'), color(colors.key), quote(k, options.ascii), color('0'), col, pretty ? ': ' : ':', color('0'));
          else out.push(quote(k, options.ascii), pretty ? ': ' : ':');
          write(o.get(k)!, level + 1);
          out.push(col);
        });
      }
      if (pretty) out.push(`\n${unit.repeat(level)}`);
      out.push(col, close, colors ? color('0') : '');
      return;
    }
    let text: string;
    let c: string | undefined;
    if (x === null) [text, c] = ['null', colors?.null];
    else if (x === true) [text, c] = ['true', colors?.true];
    else if (x === false) [text, c] = ['false', colors?.false];
    else if (typeof x === 'string') [text, c] = [quote(x, options.ascii), colors?.string];
    else {
      const n = x as number | JqNumber;
      [text, c] = [Number.isNaN(num(n)) ? 'null' : formatNumber(n), Number.isNaN(num(n)) ? colors?.null : colors?.number];
    }
    out.push(c !== undefined ? `${color(c)}${text}${color('0')}` : text);
  }
}

/** A string as a JSON string literal, escaped as jq escapes it. */
export function quote(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (ascii && c > 0x7e) {
      if (c > 0xffff) {
        const v = c - 0x10000;
        out += `\\u${(0xd800 + (v >> 10)).toString(16)}\\u${(0xdc00 + (v & 0x3ff)).toString(16)}`;
      } else out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}"`;
}

/**
 * A value's compact JSON cut to fit a buffer of `size` bytes, as jq's error messages show it: whole when
 * it has at most size-1 bytes, else its first size-4 bytes and "..." (a character cut in two becomes U+FFFD).
 */
export function dumpTruncated(v: Value, size: number): string {
  const text = dump(v);
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= size - 1) return text;
  return `${new TextDecoder().decode(bytes.subarray(0, size - 4))}...`;
}

/** jq's type_error: `<kind> (<value>) <message>`. */
export function typeError(v: Value, message: string): JqError {
  return new JqError(`${kindOf(v)} (${dumpTruncated(v, 15)}) ${message}`);
}

/** jq's type_error2: `<kind> (<a>) and <kind> (<b>) <message>`. */
export function typeError2(a: Value, b: Value, message: string): JqError {
  return new JqError(`${kindOf(a)} (${dumpTruncated(a, 15)}) and ${kindOf(b)} (${dumpTruncated(b, 15)}) ${message}`);
}

/** `tostring`: a string as it is, anything else its compact JSON. */
export function toText(v: Value): string {
  return typeof v === 'string' ? v : dump(v);
}
