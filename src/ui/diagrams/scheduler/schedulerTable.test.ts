import { describe, expect, it } from 'vitest';
import type { PodView } from '../../../engine/cluster/clusterView.ts';
import type { SchedulerDecision } from '../../../workers/views/schedulerDecision.ts';
import { pluginWords, podChoices, schedulerTable } from './schedulerTable.ts';

type Attempt = Extract<SchedulerDecision, { kind: 'attempt' }>;
const TAINT = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';
const base: Attempt = {
  kind: 'attempt',
  namespace: 'default',
  name: 'web',
  uid: 'u',
  time: 0,
  attempt: 1,
  profile: 'default-scheduler',
  nodesTotal: 3,
  nodesEvaluated: 3,
  filterPlugins: ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeResourcesFit'],
  filters: [
    { node: 'control-plane', passed: false, plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: [TAINT] },
    { node: 'worker-1', passed: true },
    { node: 'worker-2', passed: true },
  ],
  scorePlugins: [
    { plugin: 'TaintToleration', weight: 3 },
    { plugin: 'NodeResourcesFit', weight: 1 },
  ],
  scores: [
    { node: 'worker-1', raw: [0, 86], normalized: [100, 86], weighted: [300, 86], total: 386 },
    { node: 'worker-2', raw: [0, 90], normalized: [100, 90], weighted: [300, 90], total: 390 },
  ],
  outcome: { kind: 'Scheduled', node: 'worker-2' },
};

describe('schedulerTable', () => {
  it('passes the plugins before the failing one, fails it with its reasons, and leaves the rest not run', () => {
    const t = schedulerTable(base, ['worker-2', 'control-plane', 'worker-1']);
    expect(t.rows.map((r) => r.node)).toEqual(['control-plane', 'worker-1', 'worker-2']);
    expect(t.rows[0]!.filters.map((c) => c.kind)).toEqual(['pass', 'pass', 'fail', 'not-run']);
    expect(t.rows[0]!.filters[2]).toEqual({ kind: 'fail', code: 'UnschedulableAndUnresolvable', reasons: [TAINT] });
    expect(t.rows[0]!.scores).toBeUndefined();
    expect(t.rows[1]!.filters.every((c) => c.kind === 'pass')).toBe(true);
    expect(t.rows[2]).toMatchObject({ chosen: true, total: 390, scores: [{ raw: 0, normalized: 100, weighted: 300 }, { raw: 90, normalized: 90, weighted: 90 }] });
    expect(t.rows.filter((r) => r.chosen).map((r) => r.node)).toEqual(['worker-2']);
  });

  it('marks nodes the attempt did not evaluate, rejections from no listed plugin, and the nominated node', () => {
    const t = schedulerTable(
      {
        ...base,
        filters: [{ node: 'worker-1', passed: false, plugin: '', code: 'Unschedulable', reasons: ['node(s) were being nominated'] }],
        scores: [],
        outcome: { kind: 'Unschedulable', message: '0/3 nodes are available', nominatedNode: 'worker-1' },
      },
      ['control-plane', 'worker-1', 'worker-3'],
    );
    expect(t.rows.map((r) => [r.node, r.evaluated, r.filters.length, r.nominated, r.chosen])).toEqual([
      ['control-plane', false, 0, false, false],
      ['worker-1', true, 0, true, false],
      ['worker-3', false, 0, false, false],
    ]);
    expect(t.rows[1]!.rejection).toEqual({ plugin: '', code: 'Unschedulable', reasons: ['node(s) were being nominated'] });
  });

  it('lists pods newest first and breaks plugin names into words', () => {
    const pod = (name: string, created: number) => ({ name, namespace: 'default', created }) as PodView;
    expect(podChoices([pod('a', 1), pod('c', 3), pod('b', 3)]).map((p) => p.name)).toEqual(['b', 'c', 'a']);
    expect(pluginWords('NodeResourcesBalancedAllocation')).toEqual(['Node', 'Resources', 'Balanced', 'Allocation']);
  });
});
