/**
 * jq's libm builtins (src/libm.h): the one-, two- and three-argument C math functions jq 1.7.1 exposes,
 * computed with JavaScript's Math where it has them and here where it does not (rint's half-to-even,
 * frexp, logb, significand, nextafter, the gamma and error functions). Results of the functions C computes
 * to the last bit and JavaScript approximates (tgamma, lgamma, erf, erfc) may differ in the last digit.
 * Left out: the Bessel functions j0, j1, jn, y0, y1, yn (no JavaScript equivalent), and pow10, which
 * Debian's build lacks too (jq reports "Error: pow10/0 not found at build time").
 */

const buffer = new DataView(new ArrayBuffer(8));

/** [mantissa in [0.5, 1), exponent] with x = mantissa × 2^exponent. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let scale = 0;
  if (Math.abs(x) < 2 ** -1022) {
    x *= 2 ** 64;
    scale = -64;
  }
  buffer.setFloat64(0, x);
  const hi = buffer.getUint32(0);
  const e = ((hi >>> 20) & 0x7ff) - 1022;
  buffer.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return [buffer.getFloat64(0), e + scale];
}

function rint(x: number): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  const f = Math.floor(x);
  const d = x - f;
  let r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  if (r === 0 && (x < 0 || Object.is(x, -0))) r = -0;
  return r;
}

function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(Math.abs(x));
  return x < 0 || Object.is(x, -0) ? -r : r;
}

function logb(x: number): number {
  if (x === 0) return -Infinity;
  if (!Number.isFinite(x)) return Math.abs(x);
  return frexp(x)[1] - 1;
}

function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) return y > 0 ? 5e-324 : -5e-324;
  buffer.setFloat64(0, x);
  let bits = buffer.getBigUint64(0);
  bits += (y > x) === (x > 0) ? 1n : -1n;
  buffer.setBigUint64(0, bits);
  return buffer.getFloat64(0);
}

/** IEEE remainder: x - n·y with n = x/y rounded half to even. */
function remainder(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || y === 0) return NaN;
  if (!Number.isFinite(y)) return x;
  const r = x - rint(x / y) * y;
  return r === 0 ? (x < 0 ? -0 : 0) : r;
}

const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.61503916999186, 12.507343278686905, -0.13857109526572012,
  9.984369578019572e-6, 1.5056327351493116e-7,
];

function tgamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return Infinity;
  if (x === 0) return Object.is(x, -0) ? -Infinity : Infinity;
  if (Number.isInteger(x)) {
    if (x < 0) return NaN;
    if (x > 171) return Infinity;
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return f;
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * tgamma(1 - x));
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return Math.sqrt(2 * Math.PI) * t ** (z + 0.5) * Math.exp(-t) * a;
}

function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  if (x < 150) return Math.log(Math.abs(tgamma(x)));
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) >= 2.5) return Math.sign(x) * (1 - erfc(Math.abs(x)));
  let sum = x;
  let term = x;
  for (let n = 1; n < 100; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 2.5) return 1 - erf(x);
  if (x > 27) return 0;
  // Continued fraction (Lentz) for erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))).
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const a = n / 2;
    d = x + a * d;
    c = x + a / c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

function significand(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return frexp(x)[0] * 2;
}

/** One-argument functions, applied to the input. */
export const MATH1: ReadonlyMap<string, (x: number) => number> = new Map<string, (x: number) => number>([
  ['acos', Math.acos],
  ['acosh', Math.acosh],
  ['asin', Math.asin],
  ['asinh', Math.asinh],
  ['atan', Math.atan],
  ['atanh', Math.atanh],
  ['cbrt', Math.cbrt],
  ['cos', Math.cos],
  ['cosh', Math.cosh],
  ['exp', Math.exp],
  ['exp2', (x) => 2 ** x],
  ['floor', Math.floor],
  ['log', Math.log],
  ['log10', Math.log10],
  ['log2', Math.log2],
  ['sin', Math.sin],
  ['sinh', Math.sinh],
  ['sqrt', Math.sqrt],
  ['tan', Math.tan],
  ['tanh', Math.tanh],
  ['tgamma', tgamma],
  ['ceil', Math.ceil],
  ['erf', erf],
  ['erfc', erfc],
  ['exp10', (x) => 10 ** x],
  ['expm1', Math.expm1],
  ['fabs', Math.abs],
  ['gamma', lgamma],
  ['lgamma', lgamma],
  ['log1p', Math.log1p],
  ['logb', logb],
  ['nearbyint', rint],
  ['rint', rint],
  ['round', round],
  ['significand', significand],
  ['trunc', Math.trunc],
]);

function pow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

/** Two-argument functions, of their two arguments. */
export const MATH2: ReadonlyMap<string, (x: number, y: number) => number> = new Map<string, (x: number, y: number) => number>([
  ['atan2', Math.atan2],
  ['copysign', (x, y) => Math.abs(x) * (y < 0 || Object.is(y, -0) ? -1 : 1)],
  ['drem', remainder],
  ['fdim', (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x > y ? x - y : 0)],
  ['fmax', (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.max(x, y))],
  ['fmin', (x, y) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : Math.min(x, y))],
  ['fmod', (x, y) => x % y],
  ['hypot', Math.hypot],
  ['ldexp', (x, e) => x * 2 ** Math.trunc(e)],
  ['nextafter', nextafter],
  ['nexttoward', nextafter],
  ['pow', pow],
  ['remainder', remainder],
  ['scalb', (x, e) => (Number.isInteger(e) || !Number.isFinite(e) ? x * 2 ** e : NaN)],
  ['scalbln', (x, e) => x * 2 ** Math.trunc(e)],
]);

/** [modf's fractional part, its integral part]. */
export function modf(x: number): [number, number] {
  if (Number.isNaN(x)) return [NaN, NaN];
  if (!Number.isFinite(x)) return [x < 0 ? -0 : 0, x];
  const i = Math.trunc(x);
  const f = x - i;
  return [f === 0 && (x < 0 || Object.is(x, -0)) ? -0 : f, i];
}

/** [lgamma(x), the sign of Γ(x)]. */
export function lgammaR(x: number): [number, number] {
  const sign = x > 0 || Number.isNaN(x) || (x <= 0 && Number.isInteger(x)) ? 1 : Math.floor(x) % 2 === 0 ? 1 : -1;
  return [lgamma(x), sign];
}

export function fma(x: number, y: number, z: number): number {
  return x * y + z;
}
