import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, fraction, sortNodes } from './capacity.ts';

describe('capacity', () => {
  it.each([
    [0, '0'],
    [100, '100m'],
    [650, '650m'],
    [2000, '2'],
    [1500, '1500m'],
  ])('CPU %i millicores prints %s', (milli, printed) => {
    expect(formatCpu(milli)).toBe(printed);
  });

  it.each([
    [0, '0'],
    [512, '512'],
    [64 * 1024 ** 2, '64Mi'],
    [70 * 1024 ** 2, '70Mi'],
    [3.85 * 1024 ** 3, '3.9Gi'],
    [16 * 1024 ** 3, '16Gi'],
  ])('memory %i bytes prints %s', (bytes, printed) => {
    expect(formatBytes(bytes)).toBe(printed);
  });

  it.each([
    [1, 2, 0.5],
    [0, 0, 0],
    [3, 0, 1],
  ])('%i of %i is %f', (used, allocatable, expected) => {
    expect(fraction(used, allocatable)).toBe(expected);
  });

  it('sorts control-plane nodes first, then names in natural order', () => {
    const nodes = ['worker-10', 'worker-2', 'cp-b', 'worker-1', 'cp-a'].map((name) => ({ name, roles: name.startsWith('cp') ? ['control-plane'] : [] }));
    expect(sortNodes(nodes).map((n) => n.name)).toEqual(['cp-a', 'cp-b', 'worker-1', 'worker-2', 'worker-10']);
  });
});
