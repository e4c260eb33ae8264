/**
 * Quantity — resource.Quantity of k8s.io/apimachinery/pkg/api/resource (Kubernetes 1.32): the fixed-point
 * number behind `cpu: 500m`, `memory: 1.5Gi`, `storage: 10G`, with upstream's parsing, rounding and
 * canonical form.
 *
 * Contract:
 * - `parseQuantity(s)` accepts exactly what upstream accepts (including its oddities: `.` is zero, `1.`
 *   is one) and throws a `QuantityError` with upstream's message otherwise. Values are rounded up (away
 *   from zero) to nano precision; BinarySI values are capped at 2^63-1; a BinarySI value between 0 and 1
 *   becomes DecimalSI.
 * - A parsed quantity remembers its suffix family (format) and `toString()` prints the canonical form in
 *   it: `0.5` → `500m`, `1.5Gi` → `1536Mi`, `1000` → `1k`, `1e3` → `1e3`. As upstream, a string already in
 *   canonical form is kept verbatim (so `+1` prints `+1` and `1.` prints `1.`), and DecimalSI values past
 *   `E` print without a suffix (1.32's behaviour; fixed upstream later).
 * - Quantities are immutable: `add`/`sub`/`neg`/`mul` return new ones in the receiver's format (the other
 *   operand's when the receiver is zero, as upstream). `JSON.stringify` writes the canonical string.
 * - Exact arithmetic on BigInt (value = unscaled × 10^exponent); no float ever holds a value.
 *
 * Left out: RoundUp/ToDec/AsInt64 (the int64/inf.Dec split is an upstream implementation detail), CBOR,
 * protobuf.
 */

export type Format = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

/** The decimal scales upstream names (resource.Nano … resource.Exa). */
export const Scale = { Nano: -9, Micro: -6, Milli: -3, Kilo: 3, Mega: 6, Giga: 9, Tera: 12, Peta: 15, Exa: 18 } as const;

const splitREString = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
/** ErrFormatWrong */
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${splitREString}'`;
/** ErrNumeric */
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
/** ErrSuffix */
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** A quantity that does not parse; `message` is upstream's error text. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);
const maxInt64Factors = 18;

const DEC_SUFFIX = new Map<number, string>([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);
const BIN_SUFFIX = new Map<number, string>([[10, 'Ki'], [20, 'Mi'], [30, 'Gi'], [40, 'Ti'], [50, 'Pi'], [60, 'Ei']]);
const SUFFIX_DEC = new Map<string, number>([...DEC_SUFFIX].map(([e, s]) => [s, e]));
const SUFFIX_BIN = new Map<string, number>([...BIN_SUFFIX].map(([e, s]) => [s, e]));

const pow10Cache: bigint[] = [];
function pow10(n: number): bigint {
  if (n < 64) {
    let p = pow10Cache[n];
    if (p === undefined) {
      p = 10n ** BigInt(n);
      pow10Cache[n] = p;
    }
    return p;
  }
  return 10n ** BigInt(n);
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

function digitCount(v: bigint): number {
  return v === 0n ? 0 : abs(v).toString().length;
}

export class Quantity {
  /** The value is `unscaled × 10^exponent`. */
  private readonly u: bigint;
  private readonly e: number;
  /** The canonical string, kept from parsing when the input was canonical, else computed once. */
  private s: string | undefined;

  /** Use `parseQuantity`, `newQuantity`, `newMilliQuantity`, `newScaledQuantity` or `newDecimalQuantity`. */
  private constructor(
    unscaled: bigint,
    exponent: number,
    readonly format: Format,
    s?: string,
  ) {
    this.u = unscaled;
    this.e = unscaled === 0n ? 0 : exponent;
    this.s = s;
  }

  /** @internal the constructor for this module's functions. */
  static of(unscaled: bigint, exponent: number, format: Format, s?: string): Quantity {
    return new Quantity(unscaled, exponent, format, s);
  }

  /** -1, 0 or 1. */
  sign(): -1 | 0 | 1 {
    return this.u === 0n ? 0 : this.u < 0n ? -1 : 1;
  }

  isZero(): boolean {
    return this.u === 0n;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const sa = this.sign();
    const sb = other.sign();
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (sa === 0) return 0;
    const m = cmpMagnitude(abs(this.u), this.e, abs(other.u), other.e);
    return sa > 0 || m === 0 ? m : m === 1 ? -1 : 1;
  }

  /** cmp(other) === 0 */
  equal(other: Quantity): boolean {
    return this.cmp(other) === 0;
  }

  /** CmpInt64: compares with an integer. */
  cmpInt(y: number | bigint): -1 | 0 | 1 {
    return this.cmp(new Quantity(BigInt(y), 0, 'DecimalSI'));
  }

  /** this + y, in this quantity's format (y's when this is zero). */
  add(y: Quantity): Quantity {
    const format = this.u === 0n ? y.format : this.format;
    if (y.u === 0n) return new Quantity(this.u, this.e, format);
    if (this.u === 0n) return new Quantity(y.u, y.e, format);
    const e = Math.min(this.e, y.e);
    return new Quantity(this.u * pow10(this.e - e) + y.u * pow10(y.e - e), e, format);
  }

  /** this - y, in this quantity's format (y's when this is zero). */
  sub(y: Quantity): Quantity {
    return this.add(new Quantity(-y.u, y.e, y.format));
  }

  /** -this, same format. */
  neg(): Quantity {
    return new Quantity(-this.u, this.e, this.format);
  }

  /** this × y (an integer), same format. */
  mul(y: number | bigint): Quantity {
    return new Quantity(this.u * BigInt(y), this.e, this.format);
  }

  /** Value: the value rounded up (away from zero) to an integer. */
  value(): number {
    return this.scaledValue(0);
  }

  /** MilliValue: ceil(q × 1000), away from zero. */
  milliValue(): number {
    return this.scaledValue(Scale.Milli);
  }

  /** ScaledValue: ceil(q / 10^scale), away from zero; ±Infinity past what a float holds. */
  scaledValue(scale: number): number {
    return Number(this.scaledBig(scale));
  }

  /** ScaledValue as an exact BigInt. */
  scaledBig(scale: number): bigint {
    if (this.u === 0n) return 0n;
    const shift = this.e - scale;
    if (shift >= 0) {
      if (shift > 400) return this.u < 0n ? -(10n ** 400n) : 10n ** 400n;
      return this.u * pow10(shift);
    }
    const mag = abs(this.u);
    let q: bigint;
    if (-shift > digitCount(mag)) q = 1n;
    else {
      const div = pow10(-shift);
      q = mag / div;
      if (mag % div !== 0n) q += 1n;
    }
    return this.u < 0n ? -q : q;
  }

  /** AsApproximateFloat64: the nearest float (±Infinity past float64's range). */
  asApproximateFloat(): number {
    if (this.u === 0n) return 0;
    return Number(`${this.u}e${this.e}`);
  }

  /** The canonical string (see the module comment). */
  toString(): string {
    if (this.s === undefined) this.s = this.canonicalize();
    return this.s;
  }

  /** A quantity marshals to JSON as its canonical string. */
  toJSON(): string {
    return this.toString();
  }

  private canonicalize(): string {
    if (this.u === 0n) return '0';
    let format: Format = this.format;
    if (format === 'BinarySI') {
      if (this.cmpInt(-1024) > 0 && this.cmpInt(1024) < 0) format = 'DecimalSI';
      else if (this.e < 0 && this.u % pow10(-this.e) !== 0n) format = 'DecimalSI';
    } else if (format !== 'DecimalSI' && format !== 'DecimalExponent') {
      format = 'DecimalExponent';
    }
    if (format === 'BinarySI') {
      let v = this.e >= 0 ? this.u * pow10(this.e) : this.u / pow10(-this.e);
      let exp = 0;
      while (abs(v) >= 1024n && v % 1024n === 0n) {
        v /= 1024n;
        exp += 10;
      }
      return `${v}${BIN_SUFFIX.get(exp) ?? ''}`;
    }
    let v = this.u;
    let exp = this.e;
    while (abs(v) >= 10n && v % 10n === 0n) {
      v /= 10n;
      exp++;
    }
    const r = ((exp % 3) + 3) % 3;
    if (r !== 0) {
      v *= pow10(r);
      exp -= r;
    }
    if (format === 'DecimalSI') return `${v}${DEC_SUFFIX.get(exp) ?? ''}`;
    return exp === 0 ? `${v}` : `${v}e${exp}`;
  }
}

/** Compares a × 10^ea with b × 10^eb, both non-negative and non-zero, without building huge powers. */
function cmpMagnitude(a: bigint, ea: number, b: bigint, eb: number): -1 | 0 | 1 {
  const oa = digitCount(a) + ea;
  const ob = digitCount(b) + eb;
  if (oa !== ob) return oa < ob ? -1 : 1;
  // Same order of magnitude: the exponent gap is below the digit counts, so aligning is cheap.
  const e = Math.min(ea, eb);
  const x = a * pow10(ea - e);
  const y = b * pow10(eb - e);
  return x === y ? 0 : x < y ? -1 : 1;
}

// ---- constructors ----

/** NewQuantity: an integer value. */
export function newQuantity(value: number | bigint, format: Format): Quantity {
  return Quantity.of(BigInt(value), 0, format);
}

/** NewMilliQuantity: value / 1000. */
export function newMilliQuantity(value: number | bigint, format: Format): Quantity {
  return Quantity.of(BigInt(value), -3, format);
}

/** NewScaledQuantity: value × 10^scale, DecimalSI. */
export function newScaledQuantity(value: number | bigint, scale: number): Quantity {
  return Quantity.of(BigInt(value), scale, 'DecimalSI');
}

/** NewDecimalQuantity: unscaled × 10^exponent in the given format (no rounding). */
export function newDecimalQuantity(unscaled: bigint, exponent: number, format: Format): Quantity {
  return Quantity.of(unscaled, exponent, format);
}

// ---- parsing ----

interface Scanned {
  positive: boolean;
  /** The numeric part as written (sign, digits, point). */
  value: string;
  /** Integer digits without leading zeros ('0' when none). */
  num: string;
  /** Fraction digits. */
  denom: string;
  suffix: string;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

const SUFFIX_CHARS = 'eEinumkKMGTP';

/** parseQuantityString: upstream's scanner, split into sign, integer, fraction and suffix. */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, value: '0', num: '0', denom: '', suffix: '' };

  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num: num || '0', denom: '', suffix: '' };
  pos = i;
  if (num.length === 0) num = '0';

  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, value: str, num, denom, suffix: '' };
    pos = i;
  }
  const value = str.slice(0, pos);

  const suffixStart = pos;
  i = pos;
  while (i < end && SUFFIX_CHARS.includes(str[i]!)) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  throw new QuantityError(ERR_FORMAT_WRONG);
}

interface Interpreted {
  base: 2 | 10;
  exponent: number;
  format: Format;
}

/** suffixHandler.interpret: `Ki` → 2^10 BinarySI, `m` → 10^-3 DecimalSI, `e6` → 10^6 DecimalExponent. */
function interpret(suffix: string): Interpreted | undefined {
  const d = SUFFIX_DEC.get(suffix);
  if (d !== undefined) return { base: 10, exponent: d, format: 'DecimalSI' };
  const b = SUFFIX_BIN.get(suffix);
  if (b !== undefined) return { base: 2, exponent: b, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const digits = suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(digits)) return undefined;
    const parsed = BigInt(digits);
    if (parsed > MAX_INT64 || parsed < MIN_INT64) return undefined;
    // 1.32 stores the exponent in an int32, wrapping values past it.
    return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/** ParseQuantity: parses `str` or throws a QuantityError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
  if (str === '0') return Quantity.of(0n, 0, 'DecimalSI', str);

  const { positive, value, num, denom, suffix } = scan(str);
  const it = interpret(suffix);
  if (!it) throw new QuantityError(ERR_SUFFIX);
  const { base, exponent } = it;
  let format = it.format;

  // The int64 fast path: it decides when upstream keeps the input string as the canonical form.
  let precision: number;
  let scale = 0;
  if (base === 10) {
    scale = exponent;
    precision = maxInt64Factors - (num.length + denom.length);
  } else if (exponent >= 0 && denom.length === 0) {
    precision = 15 - num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= Scale.Nano) {
      const shifted = num + denom;
      const v = BigInt(shifted);
      let result = base === 2 ? v << BigInt(exponent) : v;
      if (result <= MAX_INT64) {
        if (!positive) result = -result;
        const canonical =
          base === 2
            ? exponent % 10 === 0 && (v & 7n) !== 0n
            : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return Quantity.of(result, base === 2 ? 0 : scale, format, canonical ? str : undefined);
      }
    }
  }

  // The inf.Dec path.
  if (!/[0-9]/.test(value)) throw new QuantityError(ERR_NUMERIC);
  let mag = BigInt(num + denom);
  let exp = -denom.length;
  if (base === 10) exp += exponent;
  else mag <<= BigInt(exponent);

  if (mag !== 0n && exp < Scale.Nano) {
    // Round up (away from zero) to nano: asking for a little must still get something.
    const shift = Scale.Nano - exp;
    if (shift > digitCount(mag)) mag = 1n;
    else {
      const div = pow10(shift);
      const q = mag / div;
      mag = mag % div === 0n ? q : q + 1n;
    }
    exp = Scale.Nano;
  }
  if (format === 'BinarySI') {
    if (cmpMagnitude(mag, exp, MAX_INT64, 0) > 0) {
      mag = MAX_INT64;
      exp = 0;
    }
    if (mag !== 0n && cmpMagnitude(mag, exp, 1n, 0) < 0) format = 'DecimalSI';
  }
  return Quantity.of(positive ? mag : -mag, exp, format);
}

/** MustParse: parseQuantity that throws upstream's panic text; for constants known to be valid. */
export function mustParse(str: string): Quantity {
  try {
    return parseQuantity(str);
  } catch (e) {
    throw new Error(`cannot parse '${str}': ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Quantity.UnmarshalJSON: a JSON string (surrounding whitespace allowed) or number; null is zero.
 * Throws a QuantityError for anything that does not parse.
 */
export function quantityFromJSON(v: unknown): Quantity {
  if (v === null) return Quantity.of(0n, 0, 'DecimalSI');
  if (typeof v === 'number') return parseQuantity(String(v));
  if (typeof v === 'string') return parseQuantity(v.trim());
  throw new QuantityError(ERR_FORMAT_WRONG);
}
