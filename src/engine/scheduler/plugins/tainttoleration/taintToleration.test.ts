import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../cache/snapshot.ts';
import { CycleState } from '../../framework/cycleState.ts';
import { Code } from '../../framework/interface.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { TaintToleration } from './taintToleration.ts';

const plugin = new TaintToleration();

describe('TaintToleration Filter (taint_toleration_test.go)', () => {
  it.each<[string, Toleration[], Taint[], string | null]>([
    ['a pod with no tolerations on a node with no taints fits', [], [], null],
    ['a NoSchedule taint is not tolerated', [], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], 'node(s) had untolerated taint {dedicated: user1}'],
    ['Equal toleration with the same value fits', [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], null],
    ['Equal toleration with another value does not', [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }], 'node(s) had untolerated taint {dedicated: user1}'],
    ['Exists toleration fits any value', [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }], [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], null],
    ['an empty key with Exists tolerates everything', [{ operator: 'Exists' }], [{ key: 'foo', value: 'bar', effect: 'NoExecute' }], null],
    ['the effect must match when set', [{ key: 'foo', operator: 'Exists', effect: 'PreferNoSchedule' }], [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], 'node(s) had untolerated taint {foo: bar}'],
    ['PreferNoSchedule taints do not filter', [], [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }], null],
    ['the first untolerated taint is reported', [{ key: 'a', operator: 'Exists' }], [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }, { key: 'c', effect: 'NoSchedule' }], 'node(s) had untolerated taint {b: }'],
  ])('%s', (_name, tolerations, taints, reason) => {
    const node = makeNode().name('n').taints(taints).obj();
    const pod = makePod().obj();
    pod.spec!.tolerations = tolerations;
    const s = plugin.filter(new CycleState(), pod, Snapshot.fromObjects([], [node]).get('n')!);
    if (reason === null) expect(s).toBeNull();
    else expect({ code: s?.code, reasons: s?.reasons }).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [reason] });
  });
});

describe('TaintToleration Score (taint_toleration_test.go)', () => {
  const taint = (key: string, value: string): Taint => ({ key, value, effect: 'PreferNoSchedule' });
  it.each<[string, Toleration[], Taint[][], number[]]>([
    ['nodes whose PreferNoSchedule taints the pod tolerates score best', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }], [[taint('foo', 'bar')], [taint('foo', 'blah')]], [100, 0]],
    [
      'the fewer intolerable taints the better',
      [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' }, { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' }],
      [[], [taint('cpu-type', 'arm64')], [taint('cpu-type', 'arm64'), taint('disk-type', 'ssd')]],
      [100, 100, 100],
    ],
    ['one or two intolerable taints', [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }], [[], [taint('cpu-type', 'arm64')], [taint('cpu-type', 'arm64'), taint('disk-type', 'ssd')]], [100, 50, 0]],
    ['only PreferNoSchedule counts', [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }], [[], [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }], [taint('cpu-type', 'arm64')]], [100, 100, 0]],
  ])('%s', (_name, tolerations, nodeTaints, want) => {
    const nodes = nodeTaints.map((t, i) => makeNode().name(`n${i}`).taints(t).obj());
    const snapshot = Snapshot.fromObjects([], nodes);
    const pod = makePod().obj();
    pod.spec!.tolerations = tolerations;
    const state = new CycleState();
    plugin.preScore(state, pod, snapshot.list());
    const scores = Int32Array.from(snapshot.list().map((n) => plugin.score(state, pod, n)));
    plugin.normalizeScore(state, pod, snapshot.list(), scores);
    expect([...scores]).toEqual(want);
  });
});
