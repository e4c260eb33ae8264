import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clampFraction, readChoice, readFraction, writeChoice, writeFraction } from './paneSize.ts';

describe('clampFraction', () => {
  it.each([
    [0.5, 1000, 100, 100, 0.5],
    [0.05, 1000, 100, 100, 0.1],
    [0.95, 1000, 100, 200, 0.8],
    [0.5, 150, 100, 200, 1 / 3],
    [0.7, 0, 100, 100, 0.7],
  ])('%f of %ipx with minimums %i and %i → %f', (fraction, total, minFirst, minSecond, expected) => {
    expect(clampFraction(fraction, total, minFirst, minSecond)).toBeCloseTo(expected);
  });
});

describe('remembered sizes and choices', () => {
  beforeEach(() => {
    const store = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    });
  });

  it('reads back what was written, and the fallback for nothing or nonsense', () => {
    expect(readFraction('main', 0.6)).toBe(0.6);
    writeFraction('main', 0.25);
    expect(readFraction('main', 0.6)).toBe(0.25);
    localStorage.setItem('kubelab.layout.main', 'wide');
    expect(readFraction('main', 0.6)).toBe(0.6);
    expect(readChoice('theme', ['dark', 'light'], 'dark')).toBe('dark');
    writeChoice('theme', 'light');
    expect(readChoice('theme', ['dark', 'light'], 'dark')).toBe('light');
    writeChoice('theme', 'purple');
    expect(readChoice('theme', ['dark', 'light'], 'dark')).toBe('dark');
  });

  it('falls back when storage throws (disabled)', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    });
    expect(readFraction('main', 0.6)).toBe(0.6);
    expect(() => writeFraction('main', 0.3)).not.toThrow();
  });
});
