/**
 * The parts of Go's strconv a template needs: reading the literals of the template language
 * (`Unquote` of "…" and `…` strings, `UnquoteChar` for 'x' constants, `ParseInt`/`ParseUint` with
 * base 0 — 0x, 0o, 0b, a leading 0 for octal, `_` separators — and `ParseFloat`, decimal and hex),
 * and writing values (`FormatFloat` with b, e, E, f, g, G, x, X — shortest digits, or exact decimal
 * rounding half to even for a precision — `QuoteRune`, `QuoteToASCII`, `CanBackquote`). `Quote`
 * itself is goFormat's goQuote. Errors are strconv's ("invalid syntax"), without the function name, as
 * text/template reports them.
 *
 * Left out: 32-bit floats.
 */
import { formatFloatG, goQuote } from '../goFormat.ts';

export class InvalidSyntaxError extends Error {
  constructor() {
    super('invalid syntax');
  }
}

/** A rune as Go's conversions see it: invalid ones (surrogates, out of range) are U+FFFD. */
export function validRune(n: bigint): number {
  return n < 0n || n > 0x10ffffn || (n >= 0xd800n && n <= 0xdfffn) ? 0xfffd : Number(n);
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * strconv.UnquoteChar(s, quote): the first character of s, with escapes: its value, whether it is a
 * raw byte (\x, octal) rather than a rune, and the rest of s.
 */
export function unquoteChar(s: string, quote: string): { value: number; byte: boolean; tail: string } {
  const c = s[0];
  if (c === undefined) throw new InvalidSyntaxError();
  if (c === quote && (quote === "'" || quote === '"')) throw new InvalidSyntaxError();
  if (c !== '\\') {
    const r = String.fromCodePoint(s.codePointAt(0)!);
    return { value: r.codePointAt(0)!, byte: false, tail: s.slice(r.length) };
  }
  if (s.length <= 1) throw new InvalidSyntaxError();
  const e = s[1]!;
  let rest = s.slice(2);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };
  if (Object.hasOwn(simple, e)) return { value: simple[e]!, byte: false, tail: rest };
  if (e === 'x' || e === 'u' || e === 'U') {
    const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
    const hex = rest.slice(0, n);
    if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) throw new InvalidSyntaxError();
    const v = parseInt(hex, 16);
    rest = rest.slice(n);
    if (e === 'x') return { value: v, byte: true, tail: rest };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new InvalidSyntaxError();
    return { value: v, byte: false, tail: rest };
  }
  if (e >= '0' && e <= '7') {
    const oct = e + rest.slice(0, 2);
    if (!/^[0-7]{3}$/.test(oct)) throw new InvalidSyntaxError();
    const v = parseInt(oct, 8);
    if (v > 255) throw new InvalidSyntaxError();
    return { value: v, byte: true, tail: rest.slice(2) };
  }
  if (e === "'" || e === '"') {
    if (e !== quote) throw new InvalidSyntaxError();
    return { value: e.charCodeAt(0), byte: false, tail: rest };
  }
  throw new InvalidSyntaxError();
}

/** strconv.Unquote of a "…" or `…` literal; raw bytes from \\x and octal escapes are read as UTF-8. */
export function unquote(literal: string): string {
  const q = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== q) throw new InvalidSyntaxError();
  const body = literal.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new InvalidSyntaxError();
    return body.replaceAll('\r', '');
  }
  if (q !== '"') throw new InvalidSyntaxError();
  if (body.includes('\n')) throw new InvalidSyntaxError();
  const bytes: number[] = [];
  let rest = body;
  while (rest.length > 0) {
    const { value, byte, tail } = unquoteChar(rest, '"');
    if (byte) bytes.push(value);
    else bytes.push(...encoder.encode(String.fromCodePoint(value)));
    rest = tail;
  }
  return decoder.decode(new Uint8Array(bytes));
}

/** strconv's underscoreOK: `_` only between digits (or after a base prefix). */
function underscoreOK(text: string): boolean {
  let s = text;
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64), or undefined when s is not one. */
export function parseUint(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const p = s[1]?.toLowerCase();
    if (s.length >= 3 && p === 'b') [base, digits] = [2, s.slice(2)];
    else if (s.length >= 3 && p === 'o') [base, digits] = [8, s.slice(2)];
    else if (s.length >= 3 && p === 'x') [base, digits] = [16, s.slice(2)];
    else [base, digits] = [8, s.slice(1)];
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = parseInt(c, 36);
    if (Number.isNaN(d) || d >= base) return undefined;
    n = n * BigInt(base) + BigInt(d);
  }
  if (underscores && !underscoreOK(s)) return undefined;
  if (n >= 1n << 64n) return undefined;
  return n;
}

/** strconv.ParseInt(s, 0, 64), or undefined. */
export function parseInt64(s: string): bigint | undefined {
  if (s === '') return undefined;
  const neg = s[0] === '-';
  const body = s[0] === '+' || s[0] === '-' ? s.slice(1) : s;
  const u = parseUint(body);
  if (u === undefined) return undefined;
  const n = neg ? -u : u;
  if (n >= 1n << 63n || n < -(1n << 63n)) return undefined;
  return n;
}

/** strconv.ParseFloat(s, 64) for the decimal and hex forms, or undefined (also when out of range). */
export function parseFloat64(s: string): number | undefined {
  if (s.includes('_') && !underscoreOK(s)) return undefined;
  const t = s.replaceAll('_', '');
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/.exec(t);
  let x: number;
  if (hex) {
    const [, sign = '', int = '', frac = '', exp = '0'] = hex;
    if (int === '' && frac === '') return undefined;
    const mant = BigInt(`0x${int}${frac}` === '0x' ? '0' : `0x${int}${frac}`);
    x = Number(mant) * 2 ** (Number(exp) - 4 * frac.length);
    if (sign === '-') x = -x;
  } else {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
    x = Number(t);
  }
  return Number.isFinite(x) ? x : undefined;
}

/** strconv.QuoteRune (or QuoteRuneToASCII). */
export function quoteRune(n: bigint, ascii: boolean): string {
  const ch = String.fromCodePoint(validRune(n));
  if (ch === "'") return "'\\''";
  if (ch === '"') return `'"'`;
  const quoted = ascii ? quoteToAscii(ch) : goQuote(ch);
  return `'${quoted.slice(1, -1)}'`;
}

/** strconv.QuoteToASCII. */
export function quoteToAscii(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out += goQuote(ch).slice(1, -1);
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `"${out}"`;
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '`' || cp === 0xfeff) return false;
    if (cp < 0x20 && ch !== '\t') return false;
    if (cp === 0x7f) return false;
  }
  return true;
}

// —— strconv.FormatFloat ——

/** Decimal digits d1d2… (no trailing zeros) with the point after `dp` of them: 0.d1d2… × 10^dp. */
interface Decimal {
  digits: string;
  dp: number;
}

/** The shortest digits that read back as x (x > 0). */
function shortestDigits(x: number): Decimal {
  const [mantissa = '', exp = '0'] = x.toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return { digits, dp: Number(exp) + 1 };
}

/** The exact decimal expansion of x (x > 0): a double is m × 2^e. */
function exactDigits(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (e >= 0) {
    digits = (mant << BigInt(e)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-e)).toString();
    dp = digits.length + e;
  }
  return { digits: digits.replace(/0+$/, ''), dp };
}

/** decimal.Round to nd digits, halves to even. */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits[nd]!;
  const up = next === '5' && nd + 1 === d.digits.length ? nd > 0 && Number(d.digits[nd - 1]) % 2 === 1 : next >= '5';
  if (!up) {
    const digits = d.digits.slice(0, nd).replace(/0+$/, '');
    return { digits, dp: digits === '' ? 0 : d.dp };
  }
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  return { digits: d.digits.slice(0, i) + String(Number(d.digits[i]) + 1), dp: d.dp };
}

function fmtE(neg: boolean, d: Decimal, prec: number, e: string): string {
  let out = neg ? '-' : '';
  out += d.digits.length > 0 ? d.digits[0] : '0';
  if (prec > 0) {
    out += '.';
    const more = d.digits.slice(1, prec + 1);
    out += more + '0'.repeat(prec - more.length);
  }
  let exp = d.digits.length === 0 ? 0 : d.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  return `${out}${e}${sign}${exp < 10 ? `0${exp}` : String(exp)}`;
}

function fmtF(neg: boolean, d: Decimal, prec: number): string {
  let out = neg ? '-' : '';
  if (d.dp > 0) {
    const m = Math.min(d.digits.length, d.dp);
    out += d.digits.slice(0, m) + '0'.repeat(d.dp - m);
  } else out += '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.digits.length ? d.digits[j] : '0';
    }
  }
  return out;
}

/** A float64's sign, 53-bit mantissa (with the implicit bit) and unbiased exponent, as genericFtoa has them. */
function floatBits(x: number): { neg: boolean; mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  let exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  return { neg: hi >>> 31 === 1, mant, exp: exp - 1023 };
}

/** %b: mantissa p exponent, in decimal. */
function fmtB(x: number): string {
  const { neg, mant, exp } = floatBits(x);
  const e = exp - 52;
  return `${neg ? '-' : ''}${mant}p${e >= 0 ? '+' : ''}${e}`;
}

/** %x, %X: -0x1.yyyp±dd, the fraction in hex (all of it, or rounded to prec digits). */
function fmtX(x: number, prec: number, fmt: string): string {
  const MASK = (1n << 64n) - 1n;
  const bits = floatBits(x);
  const neg = bits.neg;
  let { mant, exp } = bits;
  if (mant === 0n) exp = 0;
  mant <<= 60n - 52n;
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant <<= 60n - shift;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === 'X' ? '0123456789ABCDEF' : '0123456789abcdef';
  let out = `${neg ? '-' : ''}0${fmt}${(mant >> 60n) & 1n}`;
  mant = (mant << 4n) & MASK;
  if (prec < 0 && mant !== 0n) {
    out += '.';
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  } else if (prec > 0) {
    out += '.';
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  }
  out += fmt === 'X' ? 'P' : 'p';
  out += exp < 0 ? '-' : '+';
  return out + String(Math.abs(exp)).padStart(2, '0');
}

/** strconv.FormatFloat(x, fmt, prec, 64) for fmt in b e E f g G x X (prec < 0: the shortest). */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (fmt === 'b') return fmtB(x);
  if (fmt === 'x' || fmt === 'X') return fmtX(x, prec, fmt);
  if (fmt === 'g' && prec < 0) return formatFloatG(x);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  const shortest = prec < 0;
  let d: Decimal;
  if (a === 0) d = { digits: '', dp: 0 };
  else if (shortest) d = shortestDigits(a);
  else d = exactDigits(a);
  if (shortest) {
    if (fmt === 'e' || fmt === 'E') prec = Math.max(d.digits.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(d.digits.length - d.dp, 0);
    else prec = d.digits.length;
  } else if (a !== 0) {
    if (fmt === 'e' || fmt === 'E') d = roundDecimal(d, prec + 1);
    else if (fmt === 'f') d = roundDecimal(d, d.dp + prec);
    else {
      if (prec === 0) prec = 1;
      d = roundDecimal(d, prec);
    }
  } else if ((fmt === 'g' || fmt === 'G') && prec === 0) prec = 1;
  switch (fmt) {
    case 'e':
    case 'E': return fmtE(neg, d, prec, fmt);
    case 'f': return fmtF(neg, d, prec);
    default: {
      const nd = d.digits.length;
      let eprec = prec;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, d, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > d.dp) prec = nd;
      return fmtF(neg, d, Math.max(prec - d.dp, 0));
    }
  }
}
