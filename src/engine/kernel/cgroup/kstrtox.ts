/**
 * kstrtox — the kernel's strict string-to-integer parsers (lib/kstrtox.c) that cgroup files use for their
 * writes: one integer, optional sign for the signed forms, optional trailing newline, nothing else. Anything
 * else is EINVAL; a number that does not fit is ERANGE.
 */
import { KernelError } from '../errno.ts';

const U64_MAX = 18446744073709551615n;
const S64_MAX = 9223372036854775807n;

/** The write's text as a kernfs handler sees it after `strstrip`: surrounding whitespace removed. */
export function strstrip(text: string): string {
  return text.trim();
}

/** kstrtoull(s, 0): a decimal, 0x-hex or 0-octal unsigned integer. Returned as a number (may lose precision past 2^53). */
export function kstrtoull(text: string): number {
  return Number(kstrtou64Big(text));
}

/** kstrtoll(s, 0): a signed integer, as `kstrtoull` with an optional leading sign. */
export function kstrtoll(text: string): number {
  let s = text.replace(/\n$/, '');
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  const magnitude = kstrtou64Big(s);
  if (negative ? magnitude > S64_MAX + 1n : magnitude > S64_MAX) throw new KernelError('ERANGE');
  return Number(negative ? -magnitude : magnitude);
}

function kstrtou64Big(text: string): bigint {
  let s = text.replace(/\n$/, '');
  if (s.startsWith('+')) s = s.slice(1);
  let digits: RegExp;
  let prefix = '';
  if (/^0[xX]/.test(s)) {
    prefix = '0x';
    s = s.slice(2);
    digits = /^[0-9a-fA-F]+$/;
  } else if (/^0[0-7]/.test(s)) {
    prefix = '0o';
    s = s.slice(1);
    digits = /^[0-7]+$/;
  } else digits = /^[0-9]+$/;
  if (!digits.test(s)) throw new KernelError('EINVAL');
  const value = BigInt(prefix + s);
  if (value > U64_MAX) throw new KernelError('ERANGE');
  return value;
}
