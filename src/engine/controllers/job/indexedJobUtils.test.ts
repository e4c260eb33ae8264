import { describe, expect, it } from 'vitest';
import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { OrderedIntervals, appendDuplicatedIndexPodsForRemoval, firstPendingIndexes, parseIndexesFromString, podGenerateNameWithIndex } from './indexedJobUtils.ts';

function pod(name: string, index?: number, extra: Partial<Pod['metadata']> = {}): Pod {
  return { metadata: { name, ...(index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(index) } } : {}), ...extra }, status: { phase: 'Running' } };
}

const job = (spec: Job['spec'] = { template: {} }): Job => ({ metadata: { name: 'pi' }, spec: { completionMode: 'Indexed', ...spec } as Job['spec'] });

describe('OrderedIntervals', () => {
  it.each<[number[], string, number]>([
    [[], '', 0],
    [[1], '1', 1],
    [[1, 2], '1,2', 2],
    [[1, 3, 4, 5], '1,3-5', 4],
    [[0, 1, 2, 5, 7, 8, 9], '0-2,5,7-9', 7],
  ])('withOrderedIndexes(%j) prints %j', (indexes, text, total) => {
    const oi = new OrderedIntervals().withOrderedIndexes(indexes);
    expect(oi.toString()).toBe(text);
    expect(oi.total()).toBe(total);
  });

  it('merges overlapping and adjacent intervals', () => {
    const a = parseIndexesFromString('0-2,6', 10);
    const b = parseIndexesFromString('3,5,8-9', 10);
    expect(a.merge(b).toString()).toBe('0-3,5,6,8,9');
    expect(a.merge(b).intervals).toEqual([
      { first: 0, last: 3 },
      { first: 5, last: 6 },
      { first: 8, last: 9 },
    ]);
    expect(a.merge(b).has(4)).toBe(false);
    expect(a.merge(b).has(9)).toBe(true);
  });

  it.each<[string, number, string]>([
    ['1,3-5,7', 10, '1,3-5,7'],
    ['1,3-5,7', 5, '1,3,4'],
    ['0,x,2-3', 10, '0,2,3'],
    ['0-1,2-3', 10, '0-3'],
    ['', 10, ''],
  ])('parseIndexesFromString(%j, completions %i) is %j', (text, completions, want) => {
    expect(parseIndexesFromString(text, completions).toString()).toBe(want);
  });
});

describe('firstPendingIndexes', () => {
  it.each<[string, number[], string, number, number[]]>([
    ['nothing done', [], '', 3, [0, 1, 2]],
    ['skips active and succeeded', [1], '0,3', 2, [2, 4]],
    ['stops at completions', [0], '1-3', 5, [4]],
  ])('%s', (_, active, succeeded, count, want) => {
    const activePods = active.map((i) => pod(`p${i}`, i));
    expect(firstPendingIndexes({ job: job({ completions: 5, template: {} }), pods: activePods, activePods, succeededIndexes: parseIndexesFromString(succeeded, 5), failedIndexes: undefined }, count, 5)).toEqual(want);
  });

  it('with podReplacementPolicy Failed, an index whose pod is still terminating is not pending', () => {
    const terminating = pod('t', 0, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const state = { job: job({ completions: 3, podReplacementPolicy: 'Failed', template: {} }), pods: [terminating], activePods: [], succeededIndexes: new OrderedIntervals(), failedIndexes: undefined };
    expect(firstPendingIndexes(state, 3, 3)).toEqual([1, 2]);
  });
});

describe('appendDuplicatedIndexPodsForRemoval', () => {
  it('removes duplicates (the newer one), pods without an index and indexes out of range', () => {
    const pods = [pod('a', 0), pod('b', 1, { creationTimestamp: '2026-01-01T00:00:00Z' }), pod('c', 1, { creationTimestamp: '2026-01-01T00:01:00Z' }), pod('none'), pod('big', 7)];
    const { rm, left } = appendDuplicatedIndexPodsForRemoval(pods, 3);
    expect(rm.map((p) => p.metadata?.name)).toEqual(['none', 'big', 'c']);
    expect(left.map((p) => p.metadata?.name)).toEqual(['a', 'b']);
  });
});

describe('podGenerateNameWithIndex', () => {
  it.each<[string, number, string]>([
    ['pi', 3, 'pi-3-'],
    ['x'.repeat(60), 12, `${'x'.repeat(54)}-12-`],
  ])('%s index %i', (name, index, want) => {
    expect(podGenerateNameWithIndex(name, index)).toBe(want);
    expect(podGenerateNameWithIndex(name, index).length).toBeLessThanOrEqual(58);
  });
});
