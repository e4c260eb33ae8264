import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { schedulingHandlers } from './scheduling.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const metadata = (name: string) => ({ name, creationTimestamp: new Date(NOW - 400 * 86_400_000).toISOString() });

describe('PriorityClass and Lease', () => {
  it.each<[string, keyof typeof schedulingHandlers, object, Cell[]]>([
    ['a system priority class', 'PriorityClass.scheduling.k8s.io', { metadata: metadata('system-node-critical'), value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }, ['system-node-critical', 2000001000, false, '400d', 'PreemptLowerPriority']],
    ['a global default that never preempts', 'PriorityClass.scheduling.k8s.io', { metadata: metadata('batch'), value: -10, globalDefault: true, preemptionPolicy: 'Never' }, ['batch', -10, true, '400d', 'Never']],
    ['a held lease', 'Lease.coordination.k8s.io', { metadata: metadata('kube-scheduler'), spec: { holderIdentity: 'cp-1_5f0c', leaseDurationSeconds: 15 } }, ['kube-scheduler', 'cp-1_5f0c', '400d']],
    ['a free lease', 'Lease.coordination.k8s.io', { metadata: metadata('node-1'), spec: {} }, ['node-1', '', '400d']],
  ])('%s', (_name, kind, object, expected) => {
    expect(schedulingHandlers[kind].print(object as unknown as KubeObject, NOW)).toEqual(expected);
  });
});
