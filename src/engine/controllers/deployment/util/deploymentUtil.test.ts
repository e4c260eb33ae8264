import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import {
  deploymentTimedOut,
  equalIgnoreHash,
  findActiveOrLatest,
  getProportion,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  setDeploymentCondition,
  setNewReplicaSetAnnotations,
} from './deploymentUtil.ts';

function deployment(replicas: number, maxSurge: number | string, maxUnavail: number | string, extra: Partial<Deployment> = {}): Deployment {
  return { metadata: { name: 'web', generation: 1 }, spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: maxUnavail } } }, ...extra };
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}, created = '2026-01-01T00:00:00Z'): ReplicaSet {
  return { metadata: { name, uid: name, annotations, creationTimestamp: created }, spec: { replicas, selector: {} } };
}

describe('resolveFenceposts', () => {
  it.each([
    ['25%', '25%', 10, 3, 2],
    ['25%', '25%', 4, 1, 1],
    ['25%', '25%', 3, 1, 0],
    ['25%', '25%', 1, 1, 0],
    [1, 0, 4, 1, 0],
    [0, 1, 4, 0, 1],
    ['100%', 0, 4, 4, 0],
    // Both zero: one may be unavailable, or the rollout could never move.
    [0, 0, 5, 0, 1],
    ['10%', '10%', 5, 1, 0],
    ['1%', '1%', 50, 1, 0],
    [undefined, undefined, 3, 0, 1],
  ])('maxSurge %j, maxUnavailable %j of %i → surge %i, unavailable %i', (surge, unavailable, desired, expectedSurge, expectedUnavailable) => {
    expect(resolveFenceposts(surge, unavailable, desired)).toEqual({ surge: expectedSurge, unavailable: expectedUnavailable });
  });

  it.each([
    [deployment(0, '25%', '25%'), 0],
    [deployment(2, 0, 5), 2],
    [{ spec: { replicas: 3, strategy: { type: 'Recreate' } } } as Deployment, 0],
  ])('maxUnavailable is capped by the replicas and 0 for Recreate (%#)', (d, expected) => {
    expect(maxUnavailable(d)).toBe(expected);
  });
});

describe('newRSNewReplicas', () => {
  it.each([
    // replicas, surge, old sizes, new size → new size
    [10, '25%', [10], 0, 3],
    [10, '25%', [8], 3, 5],
    [10, '25%', [3], 7, 10],
    [4, 0, [4], 0, 0],
    [4, 0, [3], 0, 1],
    [4, '100%', [4], 0, 4],
    [3, 1, [3, 1], 0, 0],
  ])('%i replicas, maxSurge %j, old %j, new %i → %i', (replicas, surge, oldSizes, newSize, expected) => {
    const newRS = rs('new', newSize);
    const all = [...oldSizes.map((n, i) => rs(`old-${i}`, n)), newRS];
    expect(newRSNewReplicas(deployment(replicas, surge, 0), all, newRS)).toBe(expected);
  });

  it('Recreate wants all replicas at once', () => {
    const d: Deployment = { spec: { replicas: 5, selector: {}, template: {}, strategy: { type: 'Recreate' } } };
    expect(newRSNewReplicas(d, [rs('a', 5)], rs('b', 0))).toBe(5);
  });
});

describe('getProportion', () => {
  // The documentation's example: 10 replicas, maxSurge 3, stuck at 8 old + 5 new, then scaled to 15.
  it.each([
    ['the larger, old ReplicaSet', 8, 5, 0, 3],
    ['the new ReplicaSet, given what is left', 5, 5, 3, 2],
    ['a ReplicaSet of 0', 0, 5, 0, 0],
    ['nothing left to give', 5, 5, 5, 0],
  ])('%s', (_name, size, toAdd, added, expected) => {
    const d = deployment(15, 3, 2, { status: { replicas: 13 } });
    expect(getProportion(rs('x', size, { 'deployment.kubernetes.io/max-replicas': '13' }), d, toAdd, added)).toBe(expected);
  });

  it('takes the Deployment status when the max-replicas annotation is missing, and gives nothing without either', () => {
    expect(getProportion(rs('x', 8), deployment(15, 3, 2, { status: { replicas: 13 } }), 5, 0)).toBe(3);
    expect(getProportion(rs('x', 8), deployment(15, 3, 2), 5, 0)).toBe(0);
  });

  it('scaling to zero takes each ReplicaSet whole', () => {
    expect(getProportion(rs('x', 8, { 'deployment.kubernetes.io/max-replicas': '13' }), deployment(0, 3, 2), -13, 0)).toBe(-8);
  });
});

describe('setNewReplicaSetAnnotations', () => {
  it.each([
    ['a new ReplicaSet gets the revision and the replica annotations', {}, false, '1', { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '4', 'deployment.kubernetes.io/max-replicas': '5' }],
    ['a ReplicaSet rolled back to keeps its old revision in the history', { 'deployment.kubernetes.io/revision': '1' }, true, '3', { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' }],
    ['the history grows', { 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' }, true, '5', { 'deployment.kubernetes.io/revision': '5', 'deployment.kubernetes.io/revision-history': '1,3' }],
    ['a higher revision is never lowered', { 'deployment.kubernetes.io/revision': '7' }, true, '3', { 'deployment.kubernetes.io/revision': '7' }],
  ])('%s', (_name, annotations, exists, newRevision, expected) => {
    const d = deployment(4, 1, 0, { metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '9', 'kubectl.kubernetes.io/last-applied-configuration': '{}', team: 'blue' } } });
    const target = rs('web-abc', 0, { ...annotations });
    setNewReplicaSetAnnotations(d, target, newRevision, exists);
    expect(target.metadata?.annotations).toEqual({ ...expected, team: 'blue' });
  });

  it('drops the oldest revisions once the history passes its length limit', () => {
    const target = rs('web-abc', 0, { 'deployment.kubernetes.io/revision': '30', 'deployment.kubernetes.io/revision-history': '10,20' });
    expect(setNewReplicaSetAnnotations(deployment(1, 1, 0), target, '40', true, 6)).toBe(true);
    expect(target.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('20,30');
  });
});

describe('equalIgnoreHash', () => {
  const template = (labels: Record<string, string> | undefined, image: string): PodTemplateSpec => ({ metadata: labels ? { labels } : {}, spec: { containers: [{ name: 'c', image }] } });
  it.each([
    ['only the hash differs', template({ app: 'web', 'pod-template-hash': 'abc' }, 'nginx'), template({ app: 'web' }, 'nginx'), true],
    ['the hash was the only label', template({ 'pod-template-hash': 'abc' }, 'nginx'), template(undefined, 'nginx'), true],
    ['the image differs', template({ app: 'web' }, 'nginx:1.27'), template({ app: 'web' }, 'nginx:1.28'), false],
    ['another label differs', template({ app: 'web', tier: 'a' }, 'nginx'), template({ app: 'web' }, 'nginx'), false],
  ])('%s', (_name, a, b, expected) => {
    expect(equalIgnoreHash(a, b)).toBe(expected);
  });
});

describe('findActiveOrLatest', () => {
  const older = rs('older', 0, {}, '2026-01-01T00:00:00Z');
  const newer = rs('newer', 0, {}, '2026-01-01T00:01:00Z');
  it.each([
    ['the only active one', rs('new', 0), [rs('old', 3)], 'old'],
    ['the new one when none is active', rs('new', 0), [older, newer], 'new'],
    ['the newest old one when none is active and there is no new one', undefined, [older, newer], 'newer'],
    ['none when several are active', rs('new', 1), [rs('old', 3)], undefined],
  ])('%s', (_name, newRS, oldRSs, expected) => {
    expect(findActiveOrLatest(newRS, oldRSs)?.metadata?.name).toBe(expected);
  });
});

describe('conditions', () => {
  it('keeps lastTransitionTime when the status stays, and ignores a same-reason update', () => {
    const status = { conditions: [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastUpdateTime: 't0', lastTransitionTime: 't0' }] };
    setDeploymentCondition(status, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', lastUpdateTime: 't1', lastTransitionTime: 't1' });
    expect(status.conditions[0]).toMatchObject({ lastUpdateTime: 't0' });
    setDeploymentCondition(status, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: 't2', lastTransitionTime: 't2' });
    expect(status.conditions).toEqual([{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', lastUpdateTime: 't2', lastTransitionTime: 't0' }]);
  });

  it.each([
    ['before the deadline', 'ReplicaSetUpdated', 59_000, false],
    ['after the deadline', 'ReplicaSetUpdated', 61_000, true],
    ['a complete rollout never times out', 'NewReplicaSetAvailable', 3_600_000, false],
    ['a timed-out rollout stays so', 'ProgressDeadlineExceeded', 0, true],
  ])('deploymentTimedOut: %s', (_name, reason, elapsed, expected) => {
    const d = deployment(1, 1, 0);
    d.spec!.progressDeadlineSeconds = 60;
    const t0 = Date.UTC(2026, 0, 1);
    const status = { conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: '2026-01-01T00:00:00Z', lastTransitionTime: '2026-01-01T00:00:00Z' }] };
    expect(deploymentTimedOut(d, status, t0 + elapsed)).toBe(expected);
  });
});
