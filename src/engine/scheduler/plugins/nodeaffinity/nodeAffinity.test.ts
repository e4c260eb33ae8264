import type { NodeSelectorRequirement, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../cache/snapshot.ts';
import { CycleState } from '../../framework/cycleState.ts';
import { Code } from '../../framework/interface.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { NodeAffinity } from './nodeAffinity.ts';

const plugin = new NodeAffinity();
const req = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });

function filter(pod: Pod, labels: Record<string, string>, name = 'node1') {
  const node = makeNode().name(name).obj();
  node.metadata!.labels = labels;
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod);
  if (pre.status?.code === Code.Skip) return 'skip';
  if (pre.status) return pre.status.reasons[0];
  if (pre.result?.nodeNames && !pre.result.nodeNames.has(name)) return 'not in PreFilterResult';
  const s = plugin.filter(state, pod, Snapshot.fromObjects([], [node]).get(name)!);
  return s === null ? 'fits' : s.reasons[0];
}

const NOT_MATCH = "node(s) didn't match Pod's node affinity/selector";

describe('NodeAffinity Filter (node_affinity_test.go)', () => {
  it.each<[string, Pod, Record<string, string>, string]>([
    ['no selector: PreFilter skips', makePod().obj(), {}, 'skip'],
    ['nodeSelector missing on the node', makePod().nodeSelector({ foo: 'bar' }).obj(), {}, NOT_MATCH],
    ['nodeSelector matches', makePod().nodeSelector({ foo: 'bar' }).obj(), { foo: 'bar', baz: 'blah' }, 'fits'],
    ['In matches', makePod().nodeAffinityTerm([req('foo', 'In', ['bar', 'value2'])]).obj(), { foo: 'bar' }, 'fits'],
    ['Gt matches a larger number', makePod().nodeAffinityTerm([req('kernel-version', 'Gt', ['0204'])]).obj(), { 'kernel-version': '0206' }, 'fits'],
    ['NotIn rejects', makePod().nodeAffinityTerm([req('mem-type', 'NotIn', ['DDR', 'DDR2'])]).obj(), { 'mem-type': 'DDR' }, NOT_MATCH],
    ['Exists matches', makePod().nodeAffinityTerm([req('GPU', 'Exists')]).obj(), { GPU: 'NVIDIA-GRID-K1' }, 'fits'],
    ['DoesNotExist rejects', makePod().nodeAffinityTerm([req('GPU', 'DoesNotExist')]).obj(), { GPU: 'x' }, NOT_MATCH],
    ['requirements of a term are ANDed', makePod().nodeAffinityTerm([req('foo', 'In', ['bar']), req('GPU', 'Exists')]).obj(), { foo: 'bar' }, NOT_MATCH],
    ['terms are ORed', makePod().nodeAffinityTerm([req('foo', 'In', ['nope'])]).nodeAffinityTerm([req('GPU', 'Exists')]).obj(), { GPU: 'x' }, 'fits'],
    ['nodeSelector and affinity are ANDed', makePod().nodeSelector({ foo: 'bar' }).nodeAffinityTerm([req('GPU', 'Exists')]).obj(), { GPU: 'x' }, NOT_MATCH],
    ['an invalid operator matches nothing', makePod().nodeAffinityTerm([req('foo', 'Near', ['bar'])]).obj(), { foo: 'bar' }, NOT_MATCH],
    ['matchFields metadata.name narrows PreFilter to that node', makePod().nodeAffinityTerm([], [req('metadata.name', 'In', ['node2'])]).obj(), {}, 'not in PreFilterResult'],
    ['matchFields metadata.name on the right node', makePod().nodeAffinityTerm([], [req('metadata.name', 'In', ['node1'])]).obj(), {}, 'fits'],
    [
      'terms pinning different nodes in one term conflict',
      makePod().nodeAffinityTerm([], [req('metadata.name', 'In', ['node1']), req('metadata.name', 'In', ['node2'])]).obj(),
      {},
      'pod affinity terms conflict',
    ],
  ])('%s', (_name, pod, labels, want) => {
    expect(filter(pod, labels)).toBe(want);
  });
});

describe('NodeAffinity Score (node_affinity_test.go)', () => {
  it.each<[string, Pod, number[]]>([
    ['no preferences: Skip', makePod().obj(), []],
    [
      'weights of the matching preferred terms add up, normalized by the highest',
      makePod()
        .preferredNodeAffinity(2, [req('foo', 'In', ['bar'])])
        .preferredNodeAffinity(4, [req('key', 'In', ['value'])])
        .preferredNodeAffinity(5, [req('az', 'In', ['az1'])])
        .obj(),
      [18, 36, 100],
    ],
  ])('%s', (_name, pod, want) => {
    const nodes = ([{ foo: 'bar' }, { key: 'value' }, { foo: 'bar', key: 'value', az: 'az1' }] as Array<Record<string, string>>).map((labels, i) => {
      const n = makeNode().name(`n${i}`).obj();
      n.metadata!.labels = labels;
      return n;
    });
    const snapshot = Snapshot.fromObjects([], nodes);
    const state = new CycleState();
    const pre = plugin.preScore(state, pod, snapshot.list());
    if (pre?.code === Code.Skip) {
      expect(want).toEqual([]);
      return;
    }
    const scores = Int32Array.from(snapshot.list().map((n) => plugin.score(state, pod, n)));
    plugin.normalizeScore(state, pod, snapshot.list(), scores);
    expect([...scores]).toEqual(want);
  });
});
