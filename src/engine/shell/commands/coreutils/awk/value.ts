/**
 * awk's values as mawk 1.3.4 keeps them: a number (a double), a string, a "maybe number" from input
 * (fields, getline, split, -v and ARGV/ENVIRON: it compares as a number when its text looks like one,
 * mawk's check_strnum), or uninitialized (0 and "" at once).
 *
 * Conversions follow mawk: text becomes a number by C's strtod (a numeric prefix, so "3abc" is 3,
 * "0x1A" is 26, "inf" is infinity); a number becomes text as an integer when it is one within
 * ±2147483647 (mawk's Int) and through CONVFMT (or OFMT for print) otherwise, so 2^31 prints 2.14748e+09.
 */
import { formatDouble, formatInteger, pad, type Spec } from './cformat.ts';

export const UNINIT: unique symbol = Symbol('uninit');
export type Uninit = typeof UNINIT;

/** Input text that may be a number (mawk's C_MBSTRN). */
export class StrNum {
  private checked = false;
  private numeric = false;

  constructor(readonly str: string) {}

  /** mawk's check_strnum: blanks around an optional sign, and a number strtod reads to the end. */
  get looksNumeric(): boolean {
    if (!this.checked) {
      this.checked = true;
      this.numeric = STRNUM.test(this.str);
    }
    return this.numeric;
  }

  get num(): number {
    return strtod(this.str);
  }
}

export type Value = number | string | StrNum | Uninit;

/** mawk's Max_Int: numbers print as integers only within ±MAX_INT. */
export const MAX_INT = 2147483647;
export const MAX_UINT = 4294967295;

/** mawk's d_to_I: truncate toward zero, clamp to ±MAX_INT; NaN gives -MAX_INT. */
export function dToI(d: number): number {
  if (d >= MAX_INT) return MAX_INT;
  if (d > -MAX_INT) return Math.trunc(d) || 0;
  return -MAX_INT;
}

/** mawk's d_to_U: clamp to [0, MAX_UINT]; NaN gives 0. */
export function dToU(d: number): number {
  if (d >= MAX_UINT) return MAX_UINT;
  if (d > 0) return Math.trunc(d);
  return 0;
}

const STRNUM = /^[ \t\n]*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0[xX](?:[0-9a-fA-F]*\.?[0-9a-fA-F]*[0-9])|0[xX][0-9a-fA-F]+\.)[ \t\n]*$/;
const STRTOD = /^[ \t\n\v\f\r]*([-+]?)(?:(inf(?:inity)?)|(nan(?:\([0-9a-z_]*\))?)|0x([0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(?:p([-+]?\d+))?|((?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?))/i;

/** C's strtod: the number at the start of `s` (after blanks), 0 when there is none. */
export function strtod(s: string): number {
  const m = STRTOD.exec(s);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2] !== undefined) return sign * Infinity;
  if (m[3] !== undefined) return NaN;
  if (m[6] !== undefined) return sign * Number(m[6]);
  const [int = '', frac = ''] = m[4]!.split('.');
  let n = 0;
  for (const c of int + frac) n = n * 16 + parseInt(c, 16);
  return sign * n * 2 ** (Number(m[5] ?? 0) - 4 * frac.length);
}

export function toNum(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return strtod(v);
  if (v === UNINIT) return 0;
  return v.num;
}

/** A value's text, numbers through `convfmt` (CONVFMT, or OFMT for output). */
export function toStr(v: Value, convfmt: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numToStr(v, convfmt);
  if (v === UNINIT) return '';
  return v.str;
}

export function numToStr(d: number, fmt: string): string {
  const i = dToI(d);
  if (i === d) return String(i);
  return formatOne(fmt, d);
}

/** A value as a condition: a number is true when non-zero, text when non-empty. */
export function toBool(v: Value): boolean {
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '';
  if (v === UNINIT) return false;
  return v.looksNumeric ? v.num !== 0 : v.str !== '';
}

/** Whether a comparison treats `v` as a number. */
function numeric(v: Value): boolean {
  return typeof v === 'number' || v === UNINIT || (v instanceof StrNum && v.looksNumeric);
}

/** awk's comparison: numeric when both sides are numbers (or look like them), else by bytes. */
export function compare(a: Value, b: Value, convfmt: string): number {
  if (numeric(a) && numeric(b)) {
    const x = toNum(a);
    const y = toNum(b);
    return x > y ? 1 : x < y ? -1 : 0;
  }
  const s = toStr(a, convfmt);
  const t = toStr(b, convfmt);
  return s < t ? -1 : s > t ? 1 : 0;
}

const FORMAT = /%([-+ #0']*)(\d+)?(?:\.(\d*))?([hl]*)([a-zA-Z%])/;

/** `fmt` (CONVFMT or OFMT) applied to one number: its first conversion formats `d`. */
export function formatOne(fmt: string, d: number): string {
  if (fmt === '%.6g') return formatDouble('g', d, { flags: '', width: undefined, precision: 6 });
  const m = FORMAT.exec(fmt);
  if (!m) return fmt;
  const spec: Spec = { flags: m[1] ?? '', width: m[2] === undefined ? undefined : Number(m[2]), precision: m[3] === undefined ? undefined : Number(m[3] || '0') };
  const conv = m[5]!;
  let body: string;
  if ('eEfFgG'.includes(conv)) body = formatDouble(conv, d, spec);
  else if (conv === 'd' || conv === 'i') body = formatInteger(conv, dToI(d), spec);
  else if ('ouxX'.includes(conv)) body = formatInteger(conv, dToU(d), spec);
  else if (conv === 'c') body = pad(String.fromCharCode(dToI(d) & 0xff), spec, false);
  else body = pad(formatDouble('g', d, { flags: '', width: undefined, precision: 6 }), spec, false);
  return fmt.slice(0, m.index) + body + fmt.slice(m.index + m[0].length);
}
