import { describe, expect, it } from 'vitest';
import { bytesSize, humanDuration, humanSizeWithPrecision, ramInBytes, SizeError } from './index.ts';

describe('go-units', () => {
  it.each([
    [500, 'Less than a second'],
    [1000, '1 second'],
    [45_000, '45 seconds'],
    [60_000, 'About a minute'],
    [119_000, 'About a minute'],
    [12 * 60_000, '12 minutes'],
    [90 * 60_000, '2 hours'],
    [80 * 60_000, 'About an hour'],
    [3 * 86_400_000, '3 days'],
    [15 * 86_400_000, '2 weeks'],
    [90 * 86_400_000, '3 months'],
    [800 * 86_400_000, '2 years'],
  ])('HumanDuration(%d ms) is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it.each([
    [2, 3, '2B'],
    [187_432_110, 3, '187MB'],
    [1_234_567_890, 3, '1.23GB'],
    [999, 4, '999B'],
    [4_096, 3, '4.1kB'],
  ])('HumanSizeWithPrecision(%d, %d) is %s', (size, precision, text) => {
    expect(humanSizeWithPrecision(size, precision)).toBe(text);
  });

  it('prints binary sizes as docker stats does', () => {
    expect(bytesSize(64 * 1024 ** 2)).toBe('64MiB');
    expect(bytesSize(3_068_000)).toBe('2.926MiB');
  });

  it.each([
    ['64m', 64 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['512KiB', 512 * 1024],
    ['100', 100],
  ])('RAMInBytes(%s)', (text, bytes) => {
    expect(ramInBytes(text)).toBe(bytes);
  });

  it('refuses what go-units refuses, in its words', () => {
    expect(() => ramInBytes('64x')).toThrow(new SizeError("invalid size: '64x'"));
  });
});
