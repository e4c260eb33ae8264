import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH } from '../../../base/clock.ts';
import type { ScheduleExplanation } from '../../../scheduler/explanation.ts';
import { SchedulerTestCluster } from '../../../scheduler/testing/cluster.ts';
import { formatScheduleExplanation } from './explainSchedule.ts';

const base: ScheduleExplanation = {
  namespace: 'default',
  name: 'web-0',
  uid: 'u',
  time: DEFAULT_EPOCH + 5000,
  attempt: 1,
  profile: 'default-scheduler',
  nodesTotal: 3,
  nodesEvaluated: 3,
  feasibleNodes: ['worker-2', 'worker-1'],
  rejected: [{ node: 'control-plane', plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] }],
  scores: {
    nodes: ['worker-2', 'worker-1'],
    plugins: [
      { plugin: 'TaintToleration', weight: 3, raw: Int32Array.of(0, 0), normalized: Int32Array.of(100, 100) },
      { plugin: 'NodeResourcesFit', weight: 1, raw: Int32Array.of(71, 84), normalized: Int32Array.of(71, 84) },
    ],
    totals: Int32Array.of(371, 384),
  },
  outcome: { kind: 'Scheduled', node: 'worker-1' },
};

describe('formatScheduleExplanation', () => {
  it('prints the header, the filter table, the score table best first, and the pick', () => {
    expect(formatScheduleExplanation(base)).toBe(
      [
        'Pod:      default/web-0',
        'Attempt:  1 at 2026-01-01T00:00:05Z',
        'Profile:  default-scheduler',
        'Nodes:    3 in the cluster, 3 evaluated, 2 feasible',
        '',
        'NODE            FILTER   REASON',
        'control-plane   Failed   TaintToleration: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
        'worker-1        Passed   ',
        'worker-2        Passed   ',
        '',
        'NODE       TaintToleration(×3)   NodeResourcesFit(×1)   TOTAL',
        'worker-1   300                   84                     384',
        'worker-2   300                   71                     371',
        '',
        'Picked worker-1: the highest total (384).',
        '',
      ].join('\n'),
    );
  });

  it('prints the failure message and the nomination of a preempting pod', () => {
    const text = formatScheduleExplanation({
      ...base,
      feasibleNodes: [],
      scores: undefined,
      nominatedNode: undefined,
      rejected: [{ node: 'only', plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] }],
      nodesTotal: 1,
      nodesEvaluated: 1,
      outcome: { kind: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient cpu.', nominatedNode: 'only' },
    });
    expect(text.split('\n').slice(5)).toEqual([
      'NODE   FILTER   REASON',
      'only   Failed   NodeResourcesFit: Insufficient cpu',
      '',
      'Unschedulable: 0/1 nodes are available: 1 Insufficient cpu.',
      'Preemption nominated only; the pod waits for its victims to leave.',
      '',
    ]);
  });

  it('explains a PreFilter rejection without a node table', () => {
    const text = formatScheduleExplanation({ ...base, feasibleNodes: [], rejected: [], scores: undefined, preFilterMessage: 'pod affinity terms conflict', outcome: { kind: 'Unschedulable', message: '0/3 nodes are available: pod affinity terms conflict.' } });
    expect(text).toContain('PreFilter rejected the pod before any node was filtered: pod affinity terms conflict\n');
    expect(text).not.toContain('NODE');
  });

  it('formats what a real scheduling attempt recorded', async () => {
    const t = new SchedulerTestCluster();
    try {
      await t.start();
      await t.node('a');
      await t.node('b', { cpu: '8' });
      await t.pod({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '1' } } }] } });
      await t.tick(1000);
      const text = formatScheduleExplanation(t.scheduler.explanation('default', 'p')!);
      expect(text).toContain('\nNODE   TaintToleration(×3)   NodeResourcesFit(×1)   NodeResourcesBalancedAllocation(×1)   ImageLocality(×1)   TOTAL\n');
      expect(text).toMatch(/Picked b: the highest total \(\d+\)\.\n$/);
    } finally {
      t.stop();
    }
  });
});
