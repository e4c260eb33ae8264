import { describe, expect, it } from 'vitest';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { isPodFailed, matchPodFailurePolicy } from './podFailurePolicy.ts';

const policy: PodFailurePolicy = {
  rules: [
    { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    { action: 'Count', onExitCodes: { operator: 'NotIn', values: [1, 2] } },
    { action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } },
  ],
};

function failedPod(exitCodes: Record<string, number>, conditions: string[] = [], init: Record<string, number> = {}): Pod {
  const status = (codes: Record<string, number>) => Object.entries(codes).map(([name, exitCode]) => ({ name, image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } }));
  return {
    metadata: { name: 'pi-abcde', namespace: 'default' },
    status: { phase: 'Failed', containerStatuses: status(exitCodes), initContainerStatuses: status(init), conditions: conditions.map((type) => ({ type, status: 'True' })) },
  };
}

describe('matchPodFailurePolicy', () => {
  it.each<[string, Pod, ReturnType<typeof matchPodFailurePolicy>]>([
    ['FailJob on the named container', failedPod({ main: 42 }), { jobFailureMessage: 'Container main for pod default/pi-abcde failed with exit code 42 matching FailJob rule at index 0', countFailed: true, action: 'FailJob' }],
    ['another container with 42 skips the named rule', failedPod({ side: 42 }), { countFailed: true, action: 'Count' }],
    ['a condition rule', failedPod({ main: 1 }, ['DisruptionTarget']), { countFailed: false, action: 'Ignore' }],
    ['NotIn', failedPod({ main: 3 }), { countFailed: true, action: 'Count' }],
    ['FailIndex', failedPod({ main: 1 }), { countFailed: true, action: 'FailIndex' }],
    ['init containers too', failedPod({}, [], { setup: 42 }), { countFailed: true, action: 'Count' }],
    ['exit code 0 never matches', failedPod({ main: 0 }), { countFailed: true }],
  ])('%s', (_, pod, want) => {
    expect(matchPodFailurePolicy(policy, pod)).toEqual(want);
  });

  it('without a policy every failure counts', () => {
    expect(matchPodFailurePolicy(undefined, failedPod({ main: 42 }))).toEqual({ countFailed: true });
  });
});

describe('isPodFailed', () => {
  const deleting: Pod = { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Running' } };
  it.each<[string, Pod, Record<string, unknown>, boolean]>([
    ['phase Failed', { status: { phase: 'Failed' } }, {}, true],
    ['deleted while running, TerminatingOrFailed', deleting, { podReplacementPolicy: 'TerminatingOrFailed' }, true],
    ['deleted while running, Failed', deleting, { podReplacementPolicy: 'Failed' }, false],
    ['deleted while running, with a pod failure policy', deleting, { podFailurePolicy: policy }, false],
    ['deleted after it succeeded', { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { phase: 'Succeeded' } }, {}, false],
  ])('%s', (_, pod, spec, want) => {
    expect(isPodFailed(pod, { spec: { template: {}, ...spec } })).toBe(want);
  });
});
