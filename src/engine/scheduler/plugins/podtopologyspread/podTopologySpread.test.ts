import type { Node, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycleState.ts';
import { Code, type Status } from '../../framework/interface.ts';
import { newTestFramework } from '../../testing/framework.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { PodTopologySpread } from './podTopologySpread.ts';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const foo = { matchExpressions: [{ key: 'foo', operator: 'Exists' }] };

const node = (name: string, zone?: string): Node => {
  const w = makeNode().name(name).label(HOST, name);
  if (zone) w.label(ZONE, zone);
  return w.obj();
};
const fooPods = (nodeName: string, n: number) => Array.from({ length: n }, () => makePod().node(nodeName).labels({ foo: '' }).obj());

function plugin(pods: Pod[], nodes: Node[]) {
  const t = newTestFramework(pods, nodes);
  return { t, pl: new PodTopologySpread(undefined, t.framework) };
}

function verdict(s: Status | null): string {
  if (s === null) return 'fits';
  return `${s.code === Code.Unschedulable ? 'U' : 'UU'}: ${s.reasons.join(', ')}`;
}

const SKEW = "U: node(s) didn't match pod topology spread constraints";

describe('PodTopologySpread Filter (filtering_test.go)', () => {
  it.each<[string, Pod, Node[], Pod[], Record<string, string>]>([
    [
      'zone1 2 pods, zone2 3 pods, maxSkew 1: only zone1 fits',
      makePod().labels({ foo: '' }).spreadConstraint(1, ZONE, 'DoNotSchedule', foo).obj(),
      [node('a', 'z1'), node('b', 'z1'), node('x', 'z2'), node('y', 'z2')],
      [...fooPods('a', 2), ...fooPods('x', 1), ...fooPods('y', 2)],
      { a: 'fits', b: 'fits', x: SKEW, y: SKEW },
    ],
    [
      'a pod that does not match its own selector adds no skew',
      makePod().labels({ bar: '' }).spreadConstraint(1, ZONE, 'DoNotSchedule', foo).obj(),
      [node('a', 'z1'), node('x', 'z2')],
      [...fooPods('a', 2), ...fooPods('x', 3)],
      { a: 'fits', x: 'fits' },
    ],
    [
      'a node without the topology label is unresolvable',
      makePod().labels({ foo: '' }).spreadConstraint(1, ZONE, 'DoNotSchedule', foo).obj(),
      [node('a', 'z1'), node('nolabel')],
      [],
      { a: 'fits', nolabel: "UU: node(s) didn't match pod topology spread constraints (missing required label)" },
    ],
    [
      'minDomains above the domains present makes the global minimum 0',
      makePod().labels({ foo: '' }).spreadConstraint(1, ZONE, 'DoNotSchedule', foo, { minDomains: 3 }).obj(),
      [node('a', 'z1'), node('x', 'z2')],
      [...fooPods('a', 1), ...fooPods('x', 1)],
      { a: SKEW, x: SKEW },
    ],
    [
      'the same without minDomains fits',
      makePod().labels({ foo: '' }).spreadConstraint(1, ZONE, 'DoNotSchedule', foo).obj(),
      [node('a', 'z1'), node('x', 'z2')],
      [...fooPods('a', 1), ...fooPods('x', 1)],
      { a: 'fits', x: 'fits' },
    ],
    [
      'hostname spreading with maxSkew 2',
      makePod().labels({ foo: '' }).spreadConstraint(2, HOST, 'DoNotSchedule', foo).obj(),
      [node('a'), node('b'), node('c')],
      [...fooPods('a', 3), ...fooPods('b', 1)],
      { a: SKEW, b: 'fits', c: 'fits' },
    ],
    [
      'matchLabelKeys narrows the selector to the pod\'s own value',
      makePod().labels({ foo: '', rev: 'v2' }).spreadConstraint(1, HOST, 'DoNotSchedule', foo, { matchLabelKeys: ['rev'] }).obj(),
      [node('a'), node('b')],
      [...fooPods('a', 2).map((p) => ({ ...p, metadata: { ...p.metadata, labels: { foo: '', rev: 'v1' } } })), makePod().node('b').labels({ foo: '', rev: 'v2' }).obj()],
      { a: 'fits', b: SKEW },
    ],
    [
      'terminating pods do not count',
      makePod().labels({ foo: '' }).spreadConstraint(1, HOST, 'DoNotSchedule', foo).obj(),
      [node('a'), node('b')],
      [makePod().node('a').labels({ foo: '' }).terminating().obj(), makePod().node('a').labels({ foo: '' }).terminating().obj()],
      { a: 'fits', b: 'fits' },
    ],
  ])('%s', (_name, pod, nodes, existing, want) => {
    const { t, pl } = plugin(existing, nodes);
    const state = new CycleState();
    expect(pl.preFilter(state, pod).status).toBeNull();
    const got = Object.fromEntries(nodes.map((n) => [n.metadata!.name!, verdict(pl.filter(state, pod, t.snapshot.get(n.metadata!.name!)!))]));
    expect(got).toEqual(want);
  });

  it('skips pods without constraints and without default spreading', () => {
    const { pl } = plugin([], [node('a')]);
    expect(pl.preFilter(new CycleState(), makePod().obj()).status?.code).toBe(Code.Skip);
    expect(pl.preScore(new CycleState(), makePod().obj(), [])?.code).toBe(Code.Skip);
  });
});

describe('PodTopologySpread Score (scoring_test.go)', () => {
  it('scores fewer matching pods higher: log-weighted counts, inverted and scaled', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const { t, pl } = plugin([...fooPods('b', 1), ...fooPods('c', 2)], nodes);
    const pod = makePod().labels({ foo: '' }).spreadConstraint(1, HOST, 'ScheduleAnyway', foo).obj();
    const state = new CycleState();
    expect(pl.preScore(state, pod, t.snapshot.list())).toBeNull();
    const raw = Int32Array.from(t.snapshot.list().map((n) => pl.score(state, pod, n)));
    // log(3 + 2) = 1.609: a 0, b round(1.609) = 2, c round(3.219) = 3.
    expect([...raw]).toEqual([0, 2, 3]);
    pl.normalizeScore(state, pod, t.snapshot.list(), raw);
    expect([...raw]).toEqual([100, 33, 0]);
  });

  it('applies the system default constraints to a ReplicaSet\'s pods', () => {
    const nodes = [node('a', 'z1'), node('b', 'z1'), node('c', 'z2')];
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true };
    const webPod = (n?: string) => {
      const p = makePod().labels({ app: 'web' });
      if (n) p.node(n);
      const o = p.obj();
      o.metadata!.ownerReferences = [owner];
      return o;
    };
    const { t, pl } = plugin([webPod('a'), webPod('a'), webPod('b')], nodes);
    t.add('replicaSets', { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } } } });
    const pod = webPod();
    const state = new CycleState();
    expect(pl.preScore(state, pod, t.snapshot.list())).toBeNull();
    const scores = Int32Array.from(t.snapshot.list().map((n) => pl.score(state, pod, n)));
    pl.normalizeScore(state, pod, t.snapshot.list(), scores);
    // The empty node in the empty zone is best; the node with two replicas worst.
    expect(scores[2]).toBe(100);
    expect(scores[0]).toBeLessThan(scores[1]!);
  });
});
