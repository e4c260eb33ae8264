import { describe, expect, it } from 'vitest';
import type { SuccessPolicy } from 'kubernetes-types/batch/v1';
import { parseIndexesFromString } from './indexedJobUtils.ts';
import { matchSuccessPolicy } from './successPolicy.ts';

describe('matchSuccessPolicy', () => {
  it.each<[string, SuccessPolicy, string, string | undefined]>([
    ['all of the named indexes', { rules: [{ succeededIndexes: '0,2-3' }] }, '0,2-4', 'Matched rules at index 0'],
    ['not yet all of them', { rules: [{ succeededIndexes: '0,2-3' }] }, '0,2', undefined],
    ['succeededCount of the named ones', { rules: [{ succeededIndexes: '0-4', succeededCount: 2 }] }, '3,4', 'Matched rules at index 0'],
    ['a count over all indexes, second rule', { rules: [{ succeededIndexes: '9' }, { succeededCount: 3 }] }, '0,5,7', 'Matched rules at index 1'],
    ['nothing succeeded', { rules: [{ succeededCount: 0 }] }, '', undefined],
  ])('%s', (_, policy, succeeded, want) => {
    expect(matchSuccessPolicy(policy, 10, parseIndexesFromString(succeeded, 10))).toBe(want);
  });
});
