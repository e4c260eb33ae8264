import { describe, expect, it } from 'vitest';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { PodObject } from '../podControl.ts';
import {
  getParentNameAndOrdinal,
  getStatefulSetMaxUnavailable,
  isClaimOwnerUpToDate,
  newVersionedStatefulSetPod,
  updateClaimOwnerRefForSetAndPod,
  type ClaimObject,
  type StatefulSetObject,
} from './statefulSetUtils.ts';

function set(extra: Partial<NonNullable<StatefulSetObject['spec']>> = {}, status: StatefulSetObject['status'] = { replicas: 0 }): StatefulSetObject {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'set-uid' },
    spec: {
      replicas: 2,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: {} }],
      ...extra,
    },
    status,
  };
}

const SET_REF: OwnerReference = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };

function podRef(name: string, uid: string): OwnerReference {
  return { apiVersion: 'v1', kind: 'Pod', name, uid, controller: true, blockOwnerDeletion: true };
}

function claim(refs: OwnerReference[]): ClaimObject {
  return { metadata: { name: 'www-web-1', namespace: 'default', ...(refs.length ? { ownerReferences: refs } : {}) } };
}

function pod(name: string, uid: string): PodObject {
  return { metadata: { name, namespace: 'default', uid } };
}

describe('getParentNameAndOrdinal', () => {
  it.each([
    ['web-0', 'web', 0],
    ['web-12', 'web', 12],
    ['my-web-3', 'my-web', 3],
    ['web', '', -1],
    ['web-x', '', -1],
    ['web-99999999999', 'web', -1],
  ])('%s → parent %j, ordinal %i', (name, parent, ordinal) => {
    expect(getParentNameAndOrdinal({ metadata: { name } })).toEqual({ parent, ordinal });
  });
});

describe('newVersionedStatefulSetPod', () => {
  it.each([
    ['RollingUpdate, partition 2: ordinal 1 stays at the current revision', { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, 0, 1, 'cur'],
    ['RollingUpdate, partition 2: ordinal 2 gets the update', { type: 'RollingUpdate', rollingUpdate: { partition: 2 } }, 0, 2, 'upd'],
    ['RollingUpdate without rollingUpdate: below currentReplicas stays current', { type: 'RollingUpdate' }, 2, 1, 'cur'],
    ['RollingUpdate without rollingUpdate: at currentReplicas gets the update', { type: 'RollingUpdate' }, 2, 2, 'upd'],
    ['OnDelete: a new pod gets the update', { type: 'OnDelete' }, 3, 0, 'upd'],
  ])('%s', (_name, updateStrategy, currentReplicas, ordinal, revision) => {
    const current = set({ updateStrategy, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } } }, { replicas: 3, currentReplicas });
    const update = set({ updateStrategy, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } });
    const made = newVersionedStatefulSetPod(current, update, 'cur', 'upd', ordinal);
    expect(made.metadata?.name).toBe(`web-${ordinal}`);
    expect(made.metadata?.labels?.['controller-revision-hash']).toBe(revision);
    expect(made.spec?.containers[0]?.image).toBe(revision === 'cur' ? 'nginx:1' : 'nginx:2');
  });
});

describe('claim owner references and the retention policy', () => {
  // web-1 is in range with 2 replicas, scaled down with 1.
  it.each<[string, string, string, number, OwnerReference[], boolean, string[]]>([
    ['Retain', 'Retain', 'no refs', 2, [], true, []],
    ['Retain', 'Retain', 'a set ref to drop', 2, [SET_REF], false, []],
    ['Delete', 'Retain', 'no refs yet', 2, [], false, ['StatefulSet/web']],
    ['Delete', 'Retain', 'the set ref', 2, [SET_REF], true, ['StatefulSet/web']],
    ['Retain', 'Delete', 'in range, no refs', 2, [], true, []],
    ['Retain', 'Delete', 'scaled down, no pod ref yet', 1, [], false, ['Pod/web-1']],
    ['Delete', 'Delete', 'scaled down, still the set ref', 1, [SET_REF], false, ['Pod/web-1']],
    ['Delete', 'Delete', 'in range, the set ref', 2, [SET_REF], true, ['StatefulSet/web']],
    ['Delete', 'Delete', 'a stale pod ref: left alone', 1, [podRef('web-1', 'old-uid')], true, ['Pod/web-1']],
  ])('whenDeleted %s, whenScaled %s, %s', (whenDeleted, whenScaled, _case, replicas, refs, upToDate, after) => {
    const s = set({ replicas, persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });
    const c = claim(refs);
    const p = pod('web-1', 'pod-uid');
    expect(isClaimOwnerUpToDate(c, s, p)).toBe(upToDate);
    if (!upToDate) updateClaimOwnerRefForSetAndPod(c, s, p);
    expect((c.metadata?.ownerReferences as OwnerReference[] | undefined)?.map((r) => `${r.kind}/${r.name}`) ?? []).toEqual(after);
    expect(isClaimOwnerUpToDate(c, s, p)).toBe(true);
  });
});

describe('getStatefulSetMaxUnavailable', () => {
  it.each<[number | string | undefined, number, number]>([
    [undefined, 5, 1],
    [2, 5, 2],
    ['50%', 5, 2],
    ['10%', 5, 1],
  ])('maxUnavailable %j of %i replicas → %i', (value, replicas, expected) => {
    expect(getStatefulSetMaxUnavailable(value, replicas)).toBe(expected);
  });
});
