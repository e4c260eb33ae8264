import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { policyHandlers } from './policy.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const metadata = { name: 'web-pdb', creationTimestamp: new Date(NOW - 7 * 3_600_000).toISOString() };

describe('PodDisruptionBudget', () => {
  it.each<[string, PodDisruptionBudget, Cell[]]>([
    ['minAvailable as a number', { metadata, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } }, ['web-pdb', '2', 'N/A', 1, '7h']],
    ['maxUnavailable as a percentage', { metadata, spec: { maxUnavailable: '25%' } }, ['web-pdb', 'N/A', '25%', 0, '7h']],
  ])('%s', (_name, object, expected) => {
    expect(policyHandlers['PodDisruptionBudget.policy'].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});
