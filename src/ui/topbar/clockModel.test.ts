import { describe, expect, it } from 'vitest';
import { formatPreciseTime, formatVirtualTime, neighbourSpeed } from './clockModel.ts';

describe('clock model', () => {
  it('moves the speed one notch within 0.25×–100×', () => {
    expect(neighbourSpeed(1, 1)).toBe(2);
    expect(neighbourSpeed(1, -1)).toBe(0.5);
    expect(neighbourSpeed(100, 1)).toBe(100);
    expect(neighbourSpeed(0.25, -1)).toBe(0.25);
    expect(neighbourSpeed(3, 1)).toBe(5); // a speed set elsewhere goes to the next offered one
    expect(neighbourSpeed(3, -1)).toBe(2);
  });

  it('shows virtual time to the second, and precisely to the millisecond', () => {
    const t = Date.UTC(2026, 0, 1, 9, 5, 7, 120);
    expect(formatVirtualTime(t)).toBe('2026-01-01 09:05:07');
    expect(formatPreciseTime(t)).toBe('09:05:07.120');
  });
});
