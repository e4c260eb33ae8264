import { describe, expect, it } from 'vitest';
import { ExplanationStore, type ScheduleExplanation } from './explanation.ts';

const record = (name: string, attempt = 1): ScheduleExplanation => ({
  namespace: 'default',
  name,
  uid: name,
  time: 0,
  attempt,
  profile: 'default-scheduler',
  nodesTotal: 1,
  nodesEvaluated: 1,
  feasibleNodes: ['n'],
  rejected: [],
  outcome: { kind: 'Scheduled', node: 'n' },
});

describe('ExplanationStore', () => {
  it('keeps the last record per pod and drops the least recently scheduled pods beyond capacity', () => {
    const store = new ExplanationStore(2);
    store.set(record('a'));
    store.set(record('b'));
    store.set(record('a', 2));
    store.set(record('c'));
    expect(store.get('default', 'a')?.attempt).toBe(2);
    expect(store.get('default', 'b')).toBeUndefined();
    expect(store.get('default', 'c')).toBeDefined();
    expect(store.size).toBe(2);
  });
});
