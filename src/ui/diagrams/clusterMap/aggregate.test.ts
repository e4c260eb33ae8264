import { describe, expect, it } from 'vitest';
import type { NodeView, PodView } from '../../../engine/cluster/clusterView.ts';
import { aggregate, AggregateIndex, emptyCounts } from './aggregate.ts';
import { node, pod } from './testdata.ts';

const Mi = 1024 ** 2;

describe('aggregate', () => {
  const nodes = [
    node('worker-2', { allocatable: { cpu: 1000, memory: 1024 * Mi, pods: 10 } }),
    node('control-plane', { roles: ['control-plane'], unschedulable: true }),
    node('worker-1', { ready: false, allocatable: { cpu: 1000, memory: 1024 * Mi, pods: 4 } }),
  ];
  const pods = [
    pod('a', { node: 'worker-2', requests: { cpu: 500, memory: 128 * Mi } }),
    pod('b', { node: 'worker-2', requests: { cpu: 250, memory: 768 * Mi }, isReady: false }),
    pod('c', { node: 'worker-1', requests: { cpu: 100, memory: 0 } }),
    pod('d', { node: 'worker-1', phase: 'Succeeded', status: 'Completed', requests: { cpu: 900, memory: 0 } }),
    pod('e', { node: 'worker-1', status: 'CrashLoopBackOff', isReady: false }),
    pod('f', { node: '', phase: 'Pending', status: 'Pending', isReady: false }),
    pod('g', { node: 'gone' }),
  ];
  const agg = aggregate(nodes, pods);

  it('orders the tiles as the map does', () => {
    expect(agg.tiles.map((t) => [t.name, t.controlPlane, t.ready, t.unschedulable])).toEqual([
      ['control-plane', true, true, true],
      ['worker-1', false, false, false],
      ['worker-2', false, true, false],
    ]);
  });

  it('sums the requests of the pods that hold resources, and takes the fullest resource as fullness', () => {
    const [, w1, w2] = agg.tiles;
    expect([w2!.cpu, w2!.memory, w2!.pods, w2!.podTotal]).toEqual([750, 896 * Mi, 2, 2]);
    expect(w2!.fullness).toBeCloseTo(0.875); // memory: 896Mi of 1Gi
    expect([w1!.cpu, w1!.pods, w1!.podTotal]).toEqual([200, 2, 3]); // the Completed pod is counted, not charged
    expect(w1!.fullness).toBeCloseTo(0.5); // pods: 2 of 4
    expect(agg.tiles[0]!.fullness).toBe(0);
  });

  it('counts pods per state per node, unscheduled, and in all', () => {
    expect(agg.tiles[2]!.counts).toEqual({ ...emptyCounts(), ready: 1, notReady: 1 });
    expect(agg.tiles[1]!.counts).toEqual({ ...emptyCounts(), ready: 1, completed: 1, failed: 1 });
    expect(agg.unscheduled).toEqual({ ...emptyCounts(), pending: 1 });
    expect(agg.orphaned).toBe(1);
    expect(agg.totals).toEqual({ ...emptyCounts(), ready: 3, notReady: 1, completed: 1, failed: 1, pending: 1 });
  });

  it('aggregates 150,000 pods on 5,000 nodes in one pass', () => {
    const many = Array.from({ length: 5000 }, (_, i) => node(`node-${i}`));
    const states = [{}, { isReady: false }, { phase: 'Pending', status: 'ContainerCreating' }, { status: 'CrashLoopBackOff' }];
    const lots = Array.from({ length: 150_000 }, (_, i) => pod(`p-${i}`, { node: `node-${i % 5000}`, ...states[i % 4] }));
    const start = performance.now();
    const big = aggregate(many, lots);
    const ms = performance.now() - start;
    expect(big.tiles).toHaveLength(5000);
    expect(big.totals.ready + big.totals.notReady + big.totals.pending + big.totals.failed).toBe(150_000);
    expect(big.tiles[0]!.podTotal).toBe(30);
    // A guard against work that grows with nodes × pods (minutes at this size), not a benchmark: a loaded
    // CI machine varies. It takes ~50 ms here.
    expect(ms).toBeLessThan(2000);
  });

  it('kept change by change, equals the aggregate from scratch, and says which tiles changed', () => {
    let seed = 3;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const nodesNow = new Map<string, NodeView>();
    const podsNow = new Map<string, PodView>();
    const index = new AggregateIndex();
    const states = [{}, { isReady: false }, { phase: 'Pending', status: 'ContainerCreating', isReady: false }, { phase: 'Succeeded', status: 'Completed' }, { status: 'Terminating' }];
    const put = <R extends NodeView | PodView>(map: Map<string, R>, r: R) => {
      index.update(map.get(r.name), r);
      map.set(r.name, r);
    };
    for (let i = 0; i < 6; i++) put(nodesNow, node(`n-${i}`));
    let last = index.result();
    for (let round = 0; round < 100; round++) {
      for (let k = 0; k < 8; k++) {
        const name = `p-${rand(40)}`;
        const old = podsNow.get(name);
        if (old && rand(4) === 0) {
          index.update(old, undefined);
          podsNow.delete(name);
        } else {
          put(podsNow, pod(name, { node: rand(8) === 0 ? '' : `n-${rand(8)}`, requests: { cpu: 10 * rand(10), memory: Mi * rand(10) }, ...states[rand(states.length)] }));
        }
      }
      // Now and then a node changes, comes (n-6, n-7 have pods waiting) or goes.
      const n = `n-${rand(8)}`;
      if (rand(5) === 0) {
        if (nodesNow.has(n) && rand(2) === 0) {
          index.update(nodesNow.get(n), undefined);
          nodesNow.delete(n);
        } else put(nodesNow, node(n, { ready: rand(2) === 0, roles: rand(3) === 0 ? ['control-plane'] : [] }));
      }
      const now = index.result();
      expect(index.result()).toBe(now);
      const scratch = aggregate([...nodesNow.values()], [...podsNow.values()]);
      expect({ ...now, previous: undefined }).toEqual({ ...scratch, previous: undefined });
      if (now.previous) {
        expect(now.previous.tiles).toBe(last.tiles);
        now.tiles.forEach((t, i) => {
          if (!now.previous!.changedTiles.includes(i)) expect(t).toBe(last.tiles[i]);
        });
      }
      last = now;
    }
  });
});
