/**
 * Sizes as go-units prints and parses them: HumanSize (decimal, `%.4g` and kB/MB/GB…), its precision
 * variant (`docker ps -s` and `docker images` use 3 significant digits), BytesSize (binary, KiB/MiB…, as
 * `docker stats` prints memory), RAMInBytes (`64m`, `1.5g`, `512KiB`: binary multiples, the parser of
 * `--memory`) and FromHumanSize (decimal multiples). Go's `%.Ng` drops trailing zeros, as here.
 */

const DECIMAL_ABBRS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_ABBRS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
const SIZE_RE = /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;
const MULTIPLIERS: Record<string, number> = { k: 1, m: 2, g: 3, t: 4, p: 5 };

/** A size that does not parse: go-units' `invalid size: '64x'`. */
export class SizeError extends Error {
  override name = 'SizeError';
}

/** Go's `%.<precision>g` for the magnitudes sizes have: at most `precision` significant digits, no trailing zeros. */
function formatG(value: number, precision: number): string {
  return String(Number(value.toPrecision(precision)));
}

function customSize(size: number, precision: number, base: number, abbrs: readonly string[]): string {
  let i = 0;
  while (size >= base && i < abbrs.length - 1) {
    size /= base;
    i++;
  }
  return `${formatG(size, precision)}${abbrs[i]}`;
}

/** HumanSizeWithPrecision: decimal units with `precision` significant digits (`2B`, `187MB`, `1.23GB`). */
export function humanSizeWithPrecision(size: number, precision: number): string {
  return customSize(size, precision, 1000, DECIMAL_ABBRS);
}

/** HumanSize: decimal units, four significant digits (`187.4MB`). */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}

/** BytesSize: binary units, four significant digits (`2.926MiB`, `3.827GiB`). */
export function bytesSize(size: number): string {
  return customSize(size, 4, 1024, BINARY_ABBRS);
}

function parseSize(text: string, base: number): number {
  const m = SIZE_RE.exec(text);
  if (!m) throw new SizeError(`invalid size: '${text}'`);
  const value = Number(m[1]);
  if (!Number.isFinite(value)) throw new SizeError(`invalid size: '${text}'`);
  const unit = m[3]?.toLowerCase();
  return Math.trunc(value * base ** (unit ? MULTIPLIERS[unit]! : 0));
}

/** RAMInBytes: `64m` → 67108864 (binary multiples; a bare number is bytes). */
export function ramInBytes(text: string): number {
  return parseSize(text, 1024);
}

/** FromHumanSize: `10MB` → 10000000 (decimal multiples). */
export function fromHumanSize(text: string): number {
  return parseSize(text, 1000);
}
