import { describe, expect, it } from 'vitest';
import { getValueFromIntOrPercent } from './intstr.ts';

describe('getValueFromIntOrPercent', () => {
  it.each([
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['25%', 3, true, 1],
    ['25%', 3, false, 0],
    ['100%', 7, false, 7],
    ['0%', 7, true, 0],
  ])('%j of %i (round up: %s) is %i', (value, total, roundUp, expected) => {
    expect(getValueFromIntOrPercent(value, total, roundUp)).toBe(expected);
  });

  it.each([['3'], ['x%']])('refuses %j', (value) => {
    expect(() => getValueFromIntOrPercent(value, 10, true)).toThrow();
  });
});
