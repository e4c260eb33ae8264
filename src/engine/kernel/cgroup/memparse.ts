/**
 * memparse — lib/cmdline.c's parser for memory sizes: an integer (decimal, 0x-hex or 0-octal, as
 * simple_strtoull) followed by an optional K, M, G, T, P or E suffix (either case, powers of 1024).
 * Cgroup files use it through page_counter_memparse, which also accepts "max" and rejects anything left
 * over after the number with EINVAL.
 */
import { KernelError } from '../errno.ts';

const SUFFIX: Record<string, number> = { k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 };

/** Bytes for "512M", "1G", "0x1000"… Throws EINVAL when the text is not exactly one size. */
export function memparse(text: string): number {
  const m = /^\s*(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([kKmMgGtTpPeE]?)\s*$/.exec(text);
  if (!m) throw new KernelError('EINVAL');
  const n = Number(BigInt(m[1]!.startsWith('0') && !/^0[xX]/.test(m[1]!) && m[1]!.length > 1 ? `0o${m[1]!.slice(1)}` : m[1]!));
  const shift = m[2] ? SUFFIX[m[2].toLowerCase()]! : 0;
  return n * 2 ** shift;
}

/**
 * page_counter_memparse: "max" is unlimited (Infinity); otherwise memparse, rounded down to whole pages
 * and clamped to PAGE_COUNTER_MAX. Returns bytes.
 */
export function pageCounterMemparse(text: string, pageSize: number): number {
  const s = text.trim();
  if (s === 'max') return Infinity;
  const bytes = memparse(s);
  const pages = Math.floor(bytes / pageSize);
  return pages >= pageCounterMax(pageSize) ? Infinity : pages * pageSize;
}

/** PAGE_COUNTER_MAX in pages: LONG_MAX / PAGE_SIZE. */
export function pageCounterMax(pageSize: number): number {
  return Number(9223372036854775807n / BigInt(pageSize));
}
