import { describe, expect, it } from 'vitest';
import { podState, type PodState } from './podState.ts';

describe('podState', () => {
  it.each<[string, string, boolean, PodState]>([
    ['Running', 'Running', true, 'ready'],
    ['Running', 'Running', false, 'notReady'],
    ['Pending', 'Pending', false, 'pending'],
    ['Pending', 'ContainerCreating', false, 'pending'],
    ['Pending', 'Init:0/2', false, 'pending'],
    ['Pending', 'Init:CrashLoopBackOff', false, 'failed'],
    ['Pending', 'ImagePullBackOff', false, 'failed'],
    ['Running', 'CrashLoopBackOff', false, 'failed'],
    ['Running', 'Error', false, 'failed'],
    ['Failed', 'OOMKilled', false, 'failed'],
    ['Running', 'Terminating', true, 'terminating'],
    ['Succeeded', 'Completed', false, 'completed'],
    ['Unknown', 'Unknown', false, 'unknown'],
  ])('phase %s, STATUS %s, ready %s → %s', (phase, status, isReady, expected) => {
    expect(podState({ phase, status, isReady })).toBe(expected);
  });
});
