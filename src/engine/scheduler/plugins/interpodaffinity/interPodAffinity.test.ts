import type { Node, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycleState.ts';
import { Code, type Status } from '../../framework/interface.ts';
import { newTestFramework } from '../../testing/framework.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { InterPodAffinity } from './interPodAffinity.ts';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const node = (name: string, zone: string): Node => makeNode().name(name).label(HOST, name).label(ZONE, zone).obj();
const sel = (key: string, value: string) => ({ matchLabels: { [key]: value } });
const nodes = [node('n1', 'z1'), node('n2', 'z1'), node('n3', 'z2')];

function verdict(s: Status | null): string {
  if (s === null) return 'fits';
  return `${s.code === Code.Unschedulable ? 'U' : 'UU'}: ${s.reasons.join(', ')}`;
}

describe('InterPodAffinity Filter (filtering_test.go)', () => {
  it.each<[string, Pod, Pod[], Record<string, string> | 'skip']>([
    ['no terms and no existing anti-affinity: Skip', makePod().obj(), [makePod().node('n1').labels({ app: 'db' }).obj()], 'skip'],
    [
      'affinity to a zone that has a matching pod',
      makePod().podAffinity(ZONE, sel('service', 'securityscan')).obj(),
      [makePod().node('n1').labels({ service: 'securityscan' }).obj()],
      { n1: 'fits', n2: 'fits', n3: "UU: node(s) didn't match pod affinity rules" },
    ],
    ['the first pod of a self-affine group may go anywhere', makePod().labels({ app: 'web' }).podAffinity(ZONE, sel('app', 'web')).obj(), [], { n1: 'fits', n2: 'fits', n3: 'fits' }],
    ['affinity nobody satisfies and the pod does not match itself', makePod().podAffinity(ZONE, sel('app', 'web')).obj(), [], { n1: "UU: node(s) didn't match pod affinity rules", n2: "UU: node(s) didn't match pod affinity rules", n3: "UU: node(s) didn't match pod affinity rules" }],
    [
      'anti-affinity keeps the pod out of the matching pod\'s zone',
      makePod().podAntiAffinity(ZONE, sel('app', 'db')).obj(),
      [makePod().node('n2').labels({ app: 'db' }).obj()],
      { n1: "U: node(s) didn't match pod anti-affinity rules", n2: "U: node(s) didn't match pod anti-affinity rules", n3: 'fits' },
    ],
    [
      'an existing pod\'s anti-affinity keeps the pod off its node',
      makePod().labels({ app: 'web' }).obj(),
      [makePod().node('n1').podAntiAffinity(HOST, sel('app', 'web')).obj()],
      { n1: "U: node(s) didn't satisfy existing pods anti-affinity rules", n2: 'fits', n3: 'fits' },
    ],
    [
      'anti-affinity only counts pods in the term\'s namespaces',
      makePod().podAntiAffinity(ZONE, sel('app', 'db')).obj(),
      [makePod().namespace('other').node('n1').labels({ app: 'db' }).obj()],
      { n1: 'fits', n2: 'fits', n3: 'fits' },
    ],
    [
      'a namespaceSelector selects namespaces by label',
      makePod().podAntiAffinity(ZONE, sel('app', 'db'), { namespaceSelector: { matchLabels: { team: 'a' } } }).obj(),
      [makePod().namespace('team-a').node('n3').labels({ app: 'db' }).obj()],
      { n1: 'fits', n2: 'fits', n3: "U: node(s) didn't match pod anti-affinity rules" },
    ],
  ])('%s', (_name, pod, existing, want) => {
    const t = newTestFramework(existing, nodes);
    t.add('namespaces', { metadata: { name: 'team-a', labels: { team: 'a' } } }, { metadata: { name: 'default' } });
    const pl = new InterPodAffinity(undefined, t.framework);
    const state = new CycleState();
    const pre = pl.preFilter(state, pod);
    if (want === 'skip') {
      expect(pre.status?.code).toBe(Code.Skip);
      return;
    }
    expect(pre.status).toBeNull();
    expect(Object.fromEntries(nodes.map((n) => [n.metadata!.name!, verdict(pl.filter(state, pod, t.snapshot.get(n.metadata!.name!)!))]))).toEqual(want);
  });
});

describe('InterPodAffinity Score (scoring_test.go)', () => {
  function scores(pod: Pod, existing: Pod[]): number[] | 'skip' {
    const t = newTestFramework(existing, nodes);
    const pl = new InterPodAffinity(undefined, t.framework);
    const state = new CycleState();
    const pre = pl.preScore(state, pod, t.snapshot.list());
    if (pre?.code === Code.Skip) return 'skip';
    const s = Int32Array.from(t.snapshot.list().map((n) => pl.score(state, pod, n)));
    pl.normalizeScore(state, pod, t.snapshot.list(), s);
    return [...s];
  }

  it.each<[string, Pod, Pod[], number[] | 'skip']>([
    ['nothing to score: Skip', makePod().obj(), [makePod().node('n1').obj()], 'skip'],
    ['preferred affinity favours the matching zone', makePod().preferredPodAffinity(5, ZONE, sel('app', 'cache')).obj(), [makePod().node('n1').labels({ app: 'cache' }).obj()], [100, 100, 0]],
    ['preferred anti-affinity avoids it', makePod().preferredPodAntiAffinity(5, ZONE, sel('app', 'cache')).obj(), [makePod().node('n1').labels({ app: 'cache' }).obj()], [0, 0, 100]],
    [
      'an existing pod\'s required affinity attracts the matching incoming pod (hardPodAffinityWeight)',
      makePod().labels({ app: 'web' }).obj(),
      [makePod().node('n3').podAffinity(HOST, sel('app', 'web')).obj()],
      [0, 0, 100],
    ],
  ])('%s', (_name, pod, existing, want) => {
    expect(scores(pod, existing)).toEqual(want);
  });
});
