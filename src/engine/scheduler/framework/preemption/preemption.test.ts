import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { makePod } from '../../testing/wrappers.ts';
import { pickOneNodeForPreemption, type Candidate } from './preemption.ts';

const victim = (priority: number, startTime?: string): Pod => {
  const p = makePod().priority(priority).obj();
  return startTime ? { ...p, status: { startTime } } : p;
};
const cand = (name: string, pods: Pod[], numPDBViolations = 0): Candidate => ({ name, victims: { pods, numPDBViolations } });

describe('pickOneNodeForPreemption (preemption.go)', () => {
  it.each<[string, Candidate[], string]>([
    ['fewest PDB violations first', [cand('a', [victim(1)], 1), cand('b', [victim(5)], 0)], 'b'],
    ['then the lowest highest-priority victim', [cand('a', [victim(10), victim(1)]), cand('b', [victim(5), victim(5)])], 'b'],
    ['then the smallest sum of priorities', [cand('a', [victim(5), victim(4)]), cand('b', [victim(5), victim(1)])], 'b'],
    ['then the fewest victims', [cand('a', [victim(5), victim(0), victim(0)]), cand('b', [victim(5), victim(0)])], 'b'],
    ['then the latest start of the highest-priority victims', [cand('a', [victim(5, '2026-01-01T00:00:00Z')]), cand('b', [victim(5, '2026-01-01T01:00:00Z')])], 'b'],
    ['then the first', [cand('a', [victim(5)]), cand('b', [victim(5)])], 'a'],
  ])('%s', (_name, candidates, want) => {
    expect(pickOneNodeForPreemption(candidates, Date.UTC(2026, 0, 2))?.name).toBe(want);
  });
});
