import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../cache/snapshot.ts';
import { CycleState } from '../../framework/cycleState.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { BalancedAllocation } from './balancedAllocation.ts';

const makeNodeWith = (name: string, milliCPU: number, memory: number, extended: Record<string, string> = {}) =>
  makeNode().name(name).capacity({ cpu: `${milliCPU}m`, memory: String(memory), pods: '32', ...extended }).obj();

const containers = (...reqs: Array<Record<string, string>>) => reqs.map((requests, i) => ({ name: `c${i}`, image: 'busybox', resources: { requests } }));
const cpuAndMemoryAndGPU = containers({ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' });
const cpuOnly = containers({ cpu: '1000m', memory: '0' }, { cpu: '2000m', memory: '0' });
const cpuAndMemory = containers({ cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000' });

let n = 0;
const pod = (spec: PodSpec['containers'], nodeName?: string): Pod => ({ metadata: { name: `p${++n}`, namespace: 'default', uid: `u${n}` }, spec: { containers: spec, ...(nodeName ? { nodeName } : {}) } });

describe('NodeResourcesBalancedAllocation (balanced_allocation_test.go)', () => {
  const gpu = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'nvidia.com/gpu', weight: 1 }];
  it.each([
    ['nothing scheduled, resources requested, differently sized nodes', pod(cpuAndMemory), [makeNodeWith('node1', 4000, 10000), makeNodeWith('node2', 6000, 10000)], [], undefined, [87, 100]],
    ['resources requested, pods scheduled with resources', pod(cpuAndMemory), [makeNodeWith('node1', 10000, 20000), makeNodeWith('node2', 10000, 20000)], [pod(cpuOnly, 'node1'), pod(cpuAndMemory, 'node2')], undefined, [82, 95]],
    ['resources requested, pods scheduled with resources, differently sized nodes', pod(cpuAndMemory), [makeNodeWith('node1', 10000, 20000), makeNodeWith('node2', 10000, 50000)], [pod(cpuOnly, 'node1'), pod(cpuAndMemory, 'node2')], undefined, [82, 80]],
    ['requested resources at node capacity', pod(cpuOnly), [makeNodeWith('node1', 6000, 10000), makeNodeWith('node2', 6000, 10000)], [pod(cpuOnly, 'node1'), pod(cpuAndMemory, 'node2')], undefined, [50, 75]],
    [
      'include scalar resource on a node for balanced resource allocation',
      makePod().req({ memory: '0', 'nvidia.com/gpu': '1' }).obj(),
      [makeNodeWith('node1', 3500, 40000, { 'nvidia.com/gpu': '8' }), makeNodeWith('node2', 3500, 40000, { 'nvidia.com/gpu': '8' })],
      [pod(cpuAndMemory, 'node2'), pod(cpuAndMemoryAndGPU, 'node1')],
      gpu,
      [70, 65],
    ],
    ['node without the scalar resource should skip the scalar resource', pod(cpuAndMemory), [makeNodeWith('node1', 3500, 40000, { 'nvidia.com/gpu': '8' }), makeNodeWith('node2', 3500, 40000)], [], gpu, [63, 63]],
  ] as const)('%s', (_name, p, nodes, existing, resources, want) => {
    const snapshot = Snapshot.fromObjects([...existing], [...nodes]);
    const plugin = new BalancedAllocation(resources ? { resources: [...resources] } : undefined);
    const state = new CycleState();
    expect(plugin.preScore(state, p)).toBeNull();
    expect(nodes.map((nd) => plugin.score(state, p, snapshot.get(nd.metadata!.name!)!))).toEqual(want);
  });

  it('requires weight 1 for every resource', () => {
    expect(() => new BalancedAllocation({ resources: [{ name: 'cpu', weight: 2 }] })).toThrow('resources[0].weight: Invalid value: 2: must be 1');
  });
});
