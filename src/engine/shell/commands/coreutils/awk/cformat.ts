/**
 * C's printf conversions as glibc performs them, for awk's printf, sprintf, OFMT and CONVFMT: integers
 * (%d %i %o %x %X %u) and doubles (%e %E %f %g %G) with the flags `-` `+` space `#` `0`, a width and a
 * precision. Doubles are converted exactly from their binary value and rounded half to even, as glibc
 * does (`%.0f` of 2.5 is "2"); infinities print as inf/-inf. A NaN prints as "-nan": the NaNs awk
 * programs meet come from invalid operations (log(-1), 5%0), which on x86 carry the sign bit.
 */

export interface Spec {
  /** The flags given, any of `-+ #0`. */
  flags: string;
  width: number | undefined;
  precision: number | undefined;
}

/** Pad `text` to the spec's width: left (default), right (`-`), or with zeros after the sign (`0`). */
export function pad(text: string, spec: Spec, zeros: boolean): string {
  const width = spec.width ?? 0;
  if (text.length >= width) return text;
  if (spec.flags.includes('-')) return text.padEnd(width);
  if (zeros && spec.flags.includes('0')) {
    const sign = /^([-+ ]|0[xX])/.exec(text)?.[0] ?? '';
    return sign + text.slice(sign.length).padStart(width - sign.length, '0');
  }
  return text.padStart(width);
}

/** An integer conversion of an integral `value` (signed for d and i, already in range). */
export function formatInteger(conv: string, value: number, spec: Spec): string {
  const negative = value < 0;
  const abs = Math.abs(value);
  const base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
  let digits = spec.precision === 0 && abs === 0 ? '' : abs.toString(base);
  if (conv === 'X') digits = digits.toUpperCase();
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  if (spec.flags.includes('#')) {
    if (conv === 'o' && !digits.startsWith('0')) digits = `0${digits}`;
    if ((conv === 'x' || conv === 'X') && abs !== 0) digits = `0${conv}${digits}`;
  }
  let sign = '';
  if (conv === 'd' || conv === 'i') sign = negative ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  return pad(sign + digits, spec, spec.precision === undefined);
}

/** A floating-point conversion (e E f F g G) of `x`. */
export function formatDouble(conv: string, x: number, spec: Spec): string {
  const upper = conv === 'E' || conv === 'F' || conv === 'G';
  const negative = x < 0 || Object.is(x, -0) || Number.isNaN(x);
  const sign = negative ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  if (!Number.isFinite(x)) {
    const body = Number.isNaN(x) ? 'nan' : 'inf';
    return pad(sign + (upper ? body.toUpperCase() : body), spec, false);
  }
  const alt = spec.flags.includes('#');
  const precision = spec.precision ?? 6;
  const lower = conv.toLowerCase();
  let body: string;
  if (lower === 'f') body = fixed(Math.abs(x), precision, alt);
  else if (lower === 'e') body = exponential(Math.abs(x), precision, alt);
  else body = general(Math.abs(x), precision, alt);
  return pad(sign + (upper ? body.toUpperCase() : body), spec, true);
}

const TEN = 10n;
const powers: bigint[] = [1n];
function pow10(n: number): bigint {
  while (powers.length <= n) powers.push(powers[powers.length - 1]! * TEN);
  return powers[n]!;
}

const view = new DataView(new ArrayBuffer(8));

/** |x| as m·2^e exactly. */
function decompose(x: number): { m: bigint; e: number } {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  const mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return exp === 0 ? { m: mant, e: -1074 } : { m: mant | (1n << 52n), e: exp - 1075 };
}

/** |x|·10^p rounded to an integer, half to even. */
function scaled(x: number, p: number): bigint {
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (p >= 0) num *= pow10(p);
  else den *= pow10(-p);
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  const q = num / den;
  const r2 = (num % den) * 2n;
  return r2 > den || (r2 === den && (q & 1n) === 1n) ? q + 1n : q;
}

function fixed(x: number, p: number, alt: boolean): string {
  const digits = scaled(x, p).toString().padStart(p + 1, '0');
  const int = digits.slice(0, digits.length - p);
  return p > 0 ? `${int}.${digits.slice(digits.length - p)}` : alt ? `${int}.` : int;
}

/** The p+1 significant digits of x and its decimal exponent. */
function significant(x: number, p: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(p + 1), exp: 0 };
  let exp = Math.floor(Math.log10(x));
  for (;;) {
    const n = scaled(x, p - exp);
    if (n >= pow10(p + 1)) exp++;
    else if (n < pow10(p)) exp--;
    else return { digits: n.toString(), exp };
  }
}

function exponential(x: number, p: number, alt: boolean): string {
  const { digits, exp } = significant(x, p);
  const mantissa = p > 0 || alt ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function general(x: number, precision: number, alt: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { exp } = significant(x, p - 1);
  let body = exp < p && exp >= -4 ? fixed(x, p - 1 - exp, alt) : exponential(x, p - 1, alt);
  if (!alt) {
    const e = body.indexOf('e');
    const mantissa = e < 0 ? body : body.slice(0, e);
    const rest = e < 0 ? '' : body.slice(e);
    body = (mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa) + rest;
  }
  return body;
}
