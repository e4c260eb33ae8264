import { describe, expect, it } from 'vitest';
import { KernelError } from '../errno.ts';
import { formatCpulist, parseCpulist } from './cpulist.ts';
import { kstrtoll, kstrtoull } from './kstrtox.ts';
import { memparse, pageCounterMemparse } from './memparse.ts';

const errno = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof KernelError ? e.code : String(e);
  }
  return 'ok';
};

describe('memparse', () => {
  it.each([
    ['4096', 4096],
    ['64M', 64 * 2 ** 20],
    ['64m', 64 * 2 ** 20],
    ['1G', 2 ** 30],
    ['2k', 2048],
    ['0x1000', 4096],
    ['010', 8],
    ['0', 0],
  ])('%s is %d bytes', (text, bytes) => expect(memparse(text)).toBe(bytes));

  it.each([['abc'], ['12abc'], ['-1'], [''], ['1.5G'], ['64MB']])('rejects %j with EINVAL', (text) => {
    expect(errno(() => memparse(text))).toBe('EINVAL');
  });

  it('page_counter_memparse rounds down to pages and takes "max"', () => {
    expect(pageCounterMemparse('100000', 4096)).toBe(98304);
    expect(pageCounterMemparse('max', 4096)).toBe(Infinity);
    expect(pageCounterMemparse('9223372036854775807', 4096)).toBe(Infinity);
  });
});

describe('kstrtox', () => {
  it.each([
    ['42', 42],
    ['42\n', 42],
    ['0x10', 16],
    ['+7', 7],
  ])('kstrtoull(%j) = %d', (text, n) => expect(kstrtoull(text)).toBe(n));

  it.each([
    ['-1', 'EINVAL'],
    ['1 2', 'EINVAL'],
    ['x', 'EINVAL'],
    ['18446744073709551616', 'ERANGE'],
  ])('kstrtoull(%j) fails with %s', (text, code) => expect(errno(() => kstrtoull(text))).toBe(code));

  it('kstrtoll takes a sign and checks the s64 range', () => {
    expect(kstrtoll('-20')).toBe(-20);
    expect(errno(() => kstrtoll('9223372036854775808'))).toBe('ERANGE');
  });
});

describe('cpulist', () => {
  it.each([
    ['0-2,5', [0, 1, 2, 5]],
    ['3', [3]],
    ['', []],
    ['0-7:2/4', [0, 1, 4, 5]],
  ])('parses %j', (text, cpus) => expect(parseCpulist(text)).toEqual(cpus));

  it.each([['2-1'], ['a'], ['1,,2']])('rejects %j', (text) => expect(errno(() => parseCpulist(text))).toBe('EINVAL'));

  it('prints the shortest list', () => expect(formatCpulist([5, 0, 1, 2])).toBe('0-2,5'));
});
