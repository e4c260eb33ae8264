import { describe, expect, it } from 'vitest';
import { aggregateMessage, nodeConditions } from './nodeStatus.ts';

const NETWORK = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

describe('nodeConditions', () => {
  it.each<[string, string[], { status: string; reason: string; message: string }]>([
    ['Ready when nothing is wrong', [], { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    ['KubeletNotReady with the network error as the message', [NETWORK], { status: 'False', reason: 'KubeletNotReady', message: NETWORK }],
    ['several errors aggregated', ['a', 'b'], { status: 'False', reason: 'KubeletNotReady', message: '[a, b]' }],
  ])('%s', (_, errors, want) => {
    expect(nodeConditions(Date.UTC(2026, 0, 1), [], errors).find((c) => c.type === 'Ready')).toMatchObject(want);
  });

  it('moves lastTransitionTime when Ready flips, and keeps it while it holds', () => {
    const notReady = nodeConditions(Date.UTC(2026, 0, 1, 0, 0, 0), [], [NETWORK]);
    const ready = nodeConditions(Date.UTC(2026, 0, 1, 0, 0, 5), notReady);
    const still = nodeConditions(Date.UTC(2026, 0, 1, 0, 1, 0), ready);
    const at = (cs: typeof ready, type: string) => cs.find((c) => c.type === type)?.lastTransitionTime;
    expect([at(ready, 'Ready'), at(still, 'Ready'), at(still, 'MemoryPressure')]).toEqual(['2026-01-01T00:00:05Z', '2026-01-01T00:00:05Z', '2026-01-01T00:00:00Z']);
    expect(aggregateMessage(['only'])).toBe('only');
  });
});
