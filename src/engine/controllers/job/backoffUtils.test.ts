import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { BackoffStore, getFinishedTime, getRemainingTimeForFailuresCount } from './backoffUtils.ts';

const T0 = Date.UTC(2026, 0, 1);
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z');

function finished(name: string, s: number, phase: 'Succeeded' | 'Failed' = 'Failed'): Pod {
  return { metadata: { name }, status: { phase, containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at(s) } } }] } };
}

describe('getRemainingTimeForFailuresCount', () => {
  it.each<[number, number, number]>([
    [0, 0, 0],
    [1, 0, 10_000],
    [1, 4_000, 6_000],
    [2, 0, 20_000],
    [3, 0, 40_000],
    [6, 0, 320_000],
    [7, 0, 600_000],
    [12, 0, 600_000],
    [3, 50_000, 0],
  ])('%i failures, %ims after the last: wait %ims', (failures, elapsed, want) => {
    expect(getRemainingTimeForFailuresCount(T0 + elapsed, 10_000, 600_000, failures, T0)).toBe(want);
  });
});

describe('getFinishedTime', () => {
  it.each<[string, Pod, number]>([
    ['the latest container finish', { status: { containerStatuses: [finished('a', 5).status!.containerStatuses![0]!, finished('a', 9).status!.containerStatuses![0]!] } }, T0 + 9000],
    ['Ready turning False when a container still runs', { status: { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: at(3) }], containerStatuses: [{ name: 'm', image: 'x', imageID: '', ready: false, restartCount: 0, state: { running: {} } }] } }, T0 + 3000],
    ['deletion less the grace period', { metadata: { deletionTimestamp: at(40), deletionGracePeriodSeconds: 30 } }, T0 + 10_000],
    ['creation as a last resort', { metadata: { creationTimestamp: at(1) } }, T0 + 1000],
  ])('%s', (_, pod, want) => {
    expect(getFinishedTime(pod)).toBe(want);
  });
});

describe('BackoffStore.newBackoffRecord', () => {
  it.each<[string, { failures: number; last?: number } | undefined, Pod[], Pod[], { failures: number; last?: number }]>([
    ['first failure', undefined, [], [finished('a', 5)], { failures: 1, last: 5 }],
    ['adds to stored failures', { failures: 2, last: 3 }, [], [finished('a', 5), finished('b', 8)], { failures: 4, last: 8 }],
    ['a success resets', { failures: 2, last: 3 }, [finished('s', 9, 'Succeeded')], [], { failures: 0 }],
    ['only failures after the last success count', { failures: 2, last: 3 }, [finished('s', 6, 'Succeeded')], [finished('a', 5), finished('b', 8), finished('c', 7)], { failures: 2, last: 8 }],
  ])('%s', (_, stored, succeeded, failed, want) => {
    const store = new BackoffStore();
    if (stored) store.updateBackoffRecord({ key: 'ns/pi', failuresAfterLastSuccess: stored.failures, ...(stored.last !== undefined ? { lastFailureTime: T0 + stored.last * 1000 } : {}) });
    const record = store.newBackoffRecord('ns/pi', succeeded, failed);
    expect({ failures: record.failuresAfterLastSuccess, ...(record.lastFailureTime !== undefined ? { last: (record.lastFailureTime - T0) / 1000 } : {}) }).toEqual(want);
  });
});
