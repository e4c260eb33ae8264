import { describe, expect, it } from 'vitest';
import { applyLabDiff, emptyMirror, type LabState } from '../../state/labStore.ts';
import type { ObjectRecord } from '../../../engine/cluster/clusterView.ts';
import { chipLabel, createClusterMapSelector, DETAIL_MAX_PODS, ownerOf } from './model.ts';
import { node, pod, replicaSet } from './testdata.ts';

const rs = replicaSet('web-7d9f8c', 'web');
const workloads = new Map([[rs.id, rs]]);
const owned = (kind: string, name: string) => ({ owner: { kind, name, uid: 'u' } });

/** A fresh store holding `objects`. */
function state(objects: ObjectRecord[]): LabState {
  const mirror = applyLabDiff(emptyMirror(), { added: Object.fromEntries(objects.map((r) => [r.id, r])), updated: {}, removed: {} });
  return { ...mirror, engine: { kind: 'ready' }, apply: () => {}, setEngine: () => {} };
}

describe('ownerOf', () => {
  it.each([
    ['a ReplicaSet of a Deployment → the Deployment', pod('web-7d9f8c-x2k4p', owned('ReplicaSet', 'web-7d9f8c')), { kind: 'Deployment', name: 'web' }],
    ['a ReplicaSet not yet seen → the ReplicaSet', pod('api-1-abcde', owned('ReplicaSet', 'api-1')), { kind: 'ReplicaSet', name: 'api-1' }],
    ['a DaemonSet', pod('kube-proxy-q8w7e', owned('DaemonSet', 'kube-proxy')), { kind: 'DaemonSet', name: 'kube-proxy' }],
    ['a mirror pod → its node', pod('etcd-control-plane', owned('Node', 'control-plane')), { kind: 'Node', name: 'control-plane' }],
    ['no owner', pod('debug'), { kind: 'Pod', name: '' }],
  ])('%s', (_, p, expected) => {
    expect(ownerOf(p, workloads)).toEqual(expected);
  });
});

describe('chipLabel', () => {
  it.each([
    ['web-7d9f8c-x2k4p', 'worker-1', 'Deployment', 'web', 'x2k4p'],
    ['kube-proxy-q8w7e', 'worker-1', 'DaemonSet', 'kube-proxy', 'q8w7e'],
    ['etcd-control-plane', 'control-plane', 'Node', 'control-plane', 'etcd'],
    ['db-0', 'worker-2', 'StatefulSet', 'db', '0'],
    ['debug', 'worker-1', 'Pod', '', 'debug'],
  ])('%s on %s under %s %s → %s', (name, nodeName, kind, group, expected) => {
    expect(chipLabel({ name, node: nodeName }, { kind, name: group })).toBe(expected);
  });
});

describe('createClusterMapSelector', () => {
  const cp = node('control-plane', { roles: ['control-plane'] });
  const w1 = node('worker-1');
  const w2 = node('worker-2');
  const a = pod('web-7d9f8c-aaaaa', { ...owned('ReplicaSet', 'web-7d9f8c'), node: 'worker-1' });
  const b = pod('web-7d9f8c-bbbbb', { ...owned('ReplicaSet', 'web-7d9f8c'), node: 'worker-2' });
  const pending = pod('web-7d9f8c-ccccc', { ...owned('ReplicaSet', 'web-7d9f8c'), node: '', phase: 'Pending', status: 'Pending', isReady: false, ready: '0/1' });
  const done = pod('job-xyz', { ...owned('Job', 'job'), node: 'worker-1', phase: 'Succeeded', status: 'Completed', isReady: false });

  it('groups pods by node and owner, control plane first, with the unscheduled lane apart', () => {
    const model = createClusterMapSelector('auto')(state([w2, w1, cp, rs, a, b, pending, done]));
    if (model.mode !== 'detailed') throw new Error('expected the detailed map');
    expect(model.nodes.map((n) => n.name)).toEqual(['control-plane', 'worker-1', 'worker-2']);
    expect(model.nodes[1]!.groups.map((g) => [g.key, g.pods.map((p) => p.name)])).toEqual([
      ['Deployment/default/web', ['web-7d9f8c-aaaaa']],
      ['Job/default/job', ['job-xyz']],
    ]);
    expect(model.unscheduled.groups.map((g) => g.pods.length)).toEqual([1]);
    // The completed Job's pod holds no resources.
    expect(model.nodes[1]!.usage).toEqual({ cpu: 100, memory: 64 * 1024 ** 2, pods: 1 });
  });

  it('keeps the entry of a node whose pods did not change, and replaces the one that did', () => {
    const select = createClusterMapSelector('auto');
    const first = select(state([cp, w1, w2, rs, a, b]));
    const second = select(state([cp, w1, w2, rs, a, { ...b, status: 'Terminating' }]));
    if (first.mode !== 'detailed' || second.mode !== 'detailed') throw new Error('expected the detailed map');
    expect(second.nodes[0]).toBe(first.nodes[0]);
    expect(second.nodes[1]).toBe(first.nodes[1]);
    expect(second.nodes[2]).not.toBe(first.nodes[2]);
  });

  it('returns the same model for the same records', () => {
    const select = createClusterMapSelector('auto');
    const s = state([cp, w1, a]);
    expect(select(s)).toBe(select(s));
  });

  it('shows a node that pods name but that does not exist', () => {
    const model = createClusterMapSelector('auto')(state([w1, pod('lost', { node: 'gone' })]));
    if (model.mode !== 'detailed') throw new Error('expected the detailed map');
    expect(model.nodes.map((n) => [n.name, n.node?.name])).toEqual([['worker-1', 'worker-1'], ['gone', undefined]]);
  });

  it.each([
    ['auto', DETAIL_MAX_PODS, 'detailed'],
    ['auto', DETAIL_MAX_PODS + 1, 'aggregated'],
    ['aggregated', 1, 'aggregated'],
  ] as const)('view %s with %i pods → %s', (view, count, mode) => {
    const pods = Array.from({ length: count }, (_, i) => pod(`p-${i}`));
    expect(createClusterMapSelector(view)(state([w1, ...pods])).mode).toBe(mode);
  });

  it('keeps the aggregated model up to date from the store\'s changes, and rebuilds it when it fell behind', () => {
    const mirror = emptyMirror();
    const live = (): LabState => ({ ...mirror, objectsVersion: mirror.objects.version, engine: { kind: 'ready' }, apply: () => {}, setEngine: () => {} });
    const select = createClusterMapSelector('aggregated');
    const pods = Array.from({ length: 20 }, (_, i) => pod(`p-${i}`, { node: i % 2 ? 'worker-1' : 'worker-2' }));
    applyLabDiff(mirror, { added: Object.fromEntries([w1, w2, ...pods].map((r) => [r.id, r])), updated: {}, removed: {} });
    const first = select(live());
    if (first.mode !== 'aggregated') throw new Error('expected the aggregated map');
    expect(first.aggregate.totals.ready).toBe(20);
    const sick = { ...pods[0]!, isReady: false };
    applyLabDiff(mirror, { added: {}, updated: { [sick.id]: [pods[0]!, sick] }, removed: { [pods[1]!.id]: pods[1]! } });
    const second = select(live());
    if (second.mode !== 'aggregated') throw new Error('expected the aggregated map');
    expect([second.aggregate.totals.ready, second.aggregate.totals.notReady, second.podCount]).toEqual([18, 1, 19]);
    expect(second.aggregate.previous?.changedTiles.length).toBe(2);
    // Many frames unseen: the store forgot them, the selector starts again from what the store holds.
    for (let i = 0; i < 100; i++) {
      const p = pod(`q-${i}`, { node: 'worker-1' });
      applyLabDiff(mirror, { added: { [p.id]: p }, updated: {}, removed: {} });
    }
    const third = select(live());
    if (third.mode !== 'aggregated') throw new Error('expected the aggregated map');
    expect([third.aggregate.totals.ready, third.podCount, third.aggregate.tiles[0]!.podTotal]).toEqual([118, 119, 109]);
    expect(select(live())).toBe(third);
  });
});
