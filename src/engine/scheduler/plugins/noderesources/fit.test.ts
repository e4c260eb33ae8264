import type { Node, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Snapshot } from '../../cache/snapshot.ts';
import { CycleState } from '../../framework/cycleState.ts';
import { Code } from '../../framework/interface.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import type { ResourceSpec, ScoringStrategy } from './args.ts';
import { buildBrokenLinearFunction } from './requestedToCapacityRatio.ts';
import { Fit } from './fit.ts';

const EXT = 'abc.com/xyz';
const defaultResources: ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const extendedResourceSet: ResourceSpec[] = [...defaultResources, { name: EXT, weight: 1 }];

const node = (name: string, cpu: string, memory: string, extra: Record<string, string> = {}) => makeNode().name(name).capacity({ cpu, memory, ...extra }).obj();
/** Upstream's makeNode(name, milliCPU, memory, extended): pods capacity 32. */
const mnode = (name: string, milliCPU: number, memory: number, extended: Record<string, string> = {}) => makeNode().name(name).capacity({ cpu: `${milliCPU}m`, memory: String(memory), pods: '32', ...extended }).obj();

function scoreAll(strategy: ScoringStrategy, pod: Pod, nodes: Node[], existing: Pod[] = []): number[] {
  const snapshot = Snapshot.fromObjects(existing, nodes);
  const fit = new Fit({ scoringStrategy: strategy });
  const state = new CycleState();
  fit.preScore(state, pod);
  return nodes.map((n) => fit.score(state, pod, snapshot.get(n.metadata!.name!)!));
}

const reqPod = () => makePod().req({ cpu: '1000', memory: '2000' }).req({ cpu: '2000', memory: '3000' }).obj();

describe('NodeResourcesFit LeastAllocated (least_allocated_test.go)', () => {
  it.each([
    ['nothing scheduled, nothing requested', makePod().obj(), [node('node1', '4000', '10000'), node('node2', '4000', '10000')], [], defaultResources, [100, 100]],
    ['nothing scheduled, resources requested, differently sized nodes', reqPod(), [node('node1', '4000', '10000'), node('node2', '6000', '10000')], [], defaultResources, [37, 50]],
    ['no resources requested, pods scheduled', makePod().obj(), [node('node1', '4000', '10000'), node('node2', '4000', '10000')], [makePod().node('node1').obj(), makePod().node('node1').obj(), makePod().node('node2').obj(), makePod().node('node2').obj()], defaultResources, [100, 100]],
    [
      'no resources requested, pods scheduled with resources',
      makePod().obj(),
      [node('node1', '10000', '20000'), node('node2', '10000', '20000')],
      [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      defaultResources,
      [70, 57],
    ],
    [
      'resources requested, pods scheduled with resources',
      reqPod(),
      [node('node1', '10000', '20000'), node('node2', '10000', '20000')],
      [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      defaultResources,
      [57, 45],
    ],
    [
      'resources requested, pods scheduled with resources, differently sized nodes',
      reqPod(),
      [node('node1', '10000', '20000'), node('node2', '10000', '50000')],
      [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      defaultResources,
      [57, 60],
    ],
    [
      'requested resources exceed node capacity',
      makePod().req({ cpu: '3000', memory: '0' }).obj(),
      [node('node1', '4000', '10000'), node('node2', '4000', '10000')],
      [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      defaultResources,
      [50, 25],
    ],
    [
      'zero node resources, pods scheduled with resources',
      makePod().obj(),
      [makeNode().name('node1').obj(), makeNode().name('node2').obj()],
      [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      defaultResources,
      [0, 0],
    ],
    [
      'nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes',
      reqPod(),
      [node('node1', '4000', '10000'), node('node2', '6000', '10000')],
      [],
      [
        { name: 'memory', weight: 2 },
        { name: 'cpu', weight: 1 },
      ],
      [41, 50],
    ],
    ['bypass extended resource if the pod does not request', reqPod(), [node('node1', '6000', '10000'), node('node2', '6000', '10000', { [EXT]: '4' })], [], extendedResourceSet, [50, 50]],
    [
      'honor extended resource if the pod requests',
      makePod().req({ cpu: '3000', memory: '5000', [EXT]: '2' }).obj(),
      [node('node1', '6000', '10000', { [EXT]: '4' }), node('node2', '6000', '10000', { [EXT]: '10' })],
      [],
      extendedResourceSet,
      [50, 60],
    ],
  ] as const)('%s', (_name, pod, nodes, existing, resources, want) => {
    expect(scoreAll({ type: 'LeastAllocated', resources: [...resources] }, pod, [...nodes], [...existing])).toEqual(want);
  });

  it('fails the score when no resources are configured', () => {
    expect(() => scoreAll({ type: 'LeastAllocated', resources: [] }, reqPod(), [node('node1', '4000', '10000')])).toThrow('resources not found');
  });

  it.each([
    [[{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight: Invalid value: -1: resource weight of memory not in valid range [1, 100]'],
    [[{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 0 }], 'scoringStrategy.resources[1].weight: Invalid value: 0: resource weight of cpu not in valid range [1, 100]'],
    [[{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], 'scoringStrategy.resources[1].weight: Invalid value: 101: resource weight of cpu not in valid range [1, 100]'],
  ])('rejects resource weights %j', (resources, message) => {
    expect(() => new Fit({ scoringStrategy: { type: 'LeastAllocated', resources } })).toThrow(message);
  });
});

describe('NodeResourcesFit MostAllocated (most_allocated_test.go)', () => {
  it.each([
    ['nothing scheduled, nothing requested', makePod().obj(), [node('node1', '4000', '10000'), node('node2', '4000', '10000')], [], defaultResources, [0, 0]],
    ['nothing scheduled, resources requested, differently sized nodes', reqPod(), [node('node1', '4000', '10000'), node('node2', '6000', '10000')], [], defaultResources, [62, 50]],
    [
      'no resources requested, pods scheduled with resources',
      makePod().obj(),
      [node('node1', '10000', '20000'), node('node2', '10000', '20000')],
      [
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '0' }).obj(),
        makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj(),
      ],
      defaultResources,
      [30, 42],
    ],
    [
      'resources requested, pods scheduled with resources',
      reqPod(),
      [node('node1', '10000', '20000'), node('node2', '10000', '20000')],
      [makePod().node('node1').req({ cpu: '3000', memory: '0' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      defaultResources,
      [42, 55],
    ],
    [
      'resources requested equal node capacity',
      makePod().req({ cpu: '2000', memory: '4000' }).req({ cpu: '3000', memory: '5000' }).obj(),
      [node('node1', '5000', '10000'), node('node2', '10000', '9000')],
      [],
      defaultResources,
      [95, 75],
    ],
    [
      'nothing scheduled, resources requested, differently sized nodes, weighted',
      reqPod(),
      [node('node1', '4000', '10000'), node('node2', '6000', '10000')],
      [],
      [
        { name: 'memory', weight: 2 },
        { name: 'cpu', weight: 1 },
      ],
      [58, 50],
    ],
    [
      'no resources requested, pods scheduled, nonzero request for resource',
      makePod().container().obj(),
      [node('node1', '250m', '1000Mi'), node('node2', '250m', '1000Mi')],
      [makePod().node('node1').container().obj(), makePod().node('node1').container().obj()],
      defaultResources,
      [80, 30],
    ],
    ['bypass extended resource if the pod does not request', reqPod(), [node('node1', '6000', '10000'), node('node2', '6000', '10000', { [EXT]: '4' })], [], extendedResourceSet, [50, 50]],
    [
      'honor extended resource if the pod request',
      makePod().req({ cpu: '3000', memory: '5000', [EXT]: '2' }).obj(),
      [node('node1', '6000', '10000', { [EXT]: '4' }), node('node2', '6000', '10000', { [EXT]: '10' })],
      [],
      extendedResourceSet,
      [50, 40],
    ],
    [
      "if the node doesn't have a resource",
      makePod().req({ cpu: '3000', memory: '4000' }).obj(),
      [node('node1', '6000', '10000'), node('node2', '6000', '10000', { [EXT]: '4' })],
      [],
      [
        { name: EXT, weight: 2 },
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
      [45, 45],
    ],
  ] as const)('%s', (_name, pod, nodes, existing, resources, want) => {
    expect(scoreAll({ type: 'MostAllocated', resources: [...resources] }, pod, [...nodes], [...existing])).toEqual(want);
  });
});

describe('NodeResourcesFit RequestedToCapacityRatio (requested_to_capacity_ratio_test.go)', () => {
  const shape = [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];
  it.each([
    ['nothing scheduled, nothing requested', makePod().obj(), [node('node1', '4000', '10000'), node('node2', '4000', '10000')], [makePod().node('node1').obj(), makePod().node('node1').obj()], [100, 100]],
    ['nothing scheduled, resources requested, differently sized nodes', reqPod(), [node('node1', '4000', '10000'), node('node2', '6000', '10000')], [makePod().node('node1').obj(), makePod().node('node1').obj()], [38, 50]],
    [
      'no resources requested, pods scheduled with resources',
      makePod().obj(),
      [node('node1', '4000', '10000'), node('node2', '6000', '10000')],
      [makePod().node('node1').req({ cpu: '3000', memory: '5000' }).obj(), makePod().node('node2').req({ cpu: '3000', memory: '5000' }).obj()],
      [38, 50],
    ],
  ] as const)('%s', (_name, pod, nodes, existing, want) => {
    expect(scoreAll({ type: 'RequestedToCapacityRatio', resources: defaultResources, requestedToCapacityRatio: { shape } }, pod, [...nodes], [...existing])).toEqual(want);
  });

  it.each([
    [[{ utilization: 10, score: 1 }, { utilization: 90, score: 9 }], [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]]],
    [[{ utilization: 0, score: 2 }, { utilization: 40, score: 10 }, { utilization: 100, score: 0 }], [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]]],
    [[{ utilization: 0, score: 2 }, { utilization: 40, score: 2 }, { utilization: 100, score: 2 }], [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]]],
  ])('BuildBrokenLinearFunction %j', (points, assertions) => {
    const f = buildBrokenLinearFunction(points);
    for (const [p, want] of assertions) expect(f(p!)).toBe(want);
  });

  const binPacking = { type: 'RequestedToCapacityRatio' as const, resources: [{ name: 'intel.com/foo', weight: 1 }], requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 1 }] } };
  it.each([
    ['nothing scheduled, nothing requested', makePod().obj(), [], [0, 0]],
    ['resources requested, pods scheduled with less resources', makePod().req({ 'intel.com/foo': '2' }).obj(), [makePod().obj()], [2, 5]],
    ['resources requested, pods scheduled with resources, on node with existing pod running', makePod().req({ 'intel.com/foo': '2' }).obj(), [makePod().req({ 'intel.com/foo': '2' }).node('node2').obj()], [2, 10]],
    ['resources requested, pods scheduled with more resources', makePod().req({ 'intel.com/foo': '4' }).obj(), [makePod().obj()], [5, 10]],
  ] as const)('single extended resource: %s', (_name, pod, existing, want) => {
    const nodes = [mnode('node1', 4000, 10000 * 1024 * 1024, { 'intel.com/foo': '8' }), mnode('node2', 4000, 10000 * 1024 * 1024, { 'intel.com/foo': '4' })];
    expect(scoreAll(binPacking, pod, nodes, [...existing])).toEqual(want);
  });
});

describe('NodeResourcesFit Filter', () => {
  const fit = new Fit();
  const filter = (pod: Pod, n: Node, existing: Pod[] = []) => {
    const snapshot = Snapshot.fromObjects(existing, [n]);
    const state = new CycleState();
    fit.preFilter(state, pod);
    return fit.filter(state, pod, snapshot.get(n.metadata!.name!)!);
  };
  const small = () => makeNode().name('n').capacity({ cpu: '2', memory: '4Gi', pods: '2' }).obj();

  it.each([
    ['fits', makePod().req({ cpu: '1', memory: '1Gi' }).obj(), [], null, []],
    ['Insufficient cpu (preemption can help)', makePod().req({ cpu: '1500m' }).obj(), [makePod().node('n').req({ cpu: '1' }).obj()], Code.Unschedulable, ['Insufficient cpu']],
    ['every shortfall is a reason', makePod().req({ cpu: '1500m', memory: '3Gi' }).obj(), [makePod().node('n').req({ cpu: '1', memory: '2Gi' }).obj()], Code.Unschedulable, ['Insufficient cpu', 'Insufficient memory']],
    ['Too many pods', makePod().obj(), [makePod().node('n').obj(), makePod().node('n').obj()], Code.Unschedulable, ['Too many pods']],
    ['more than the node has is unresolvable', makePod().req({ cpu: '3' }).obj(), [], Code.UnschedulableAndUnresolvable, ['Insufficient cpu']],
    ['an extended resource the node lacks', makePod().req({ 'example.com/gpu': '1' }).obj(), [], Code.UnschedulableAndUnresolvable, ['Insufficient example.com/gpu']],
    ['init containers count by their peak', makePod().req({ cpu: '500m' }).initReq({ cpu: '1800m' }).obj(), [makePod().node('n').req({ cpu: '500m' }).obj()], Code.Unschedulable, ['Insufficient cpu']],
    ['sidecars add to the containers', makePod().req({ cpu: '1' }).initReq({ cpu: '600m' }, 'Always').obj(), [makePod().node('n').req({ cpu: '500m' }).obj()], Code.Unschedulable, ['Insufficient cpu']],
  ] as const)('%s', (_name, pod, existing, code, reasons) => {
    const s = filter(pod, small(), [...existing]);
    if (code === null) expect(s).toBeNull();
    else expect({ code: s?.code, reasons: s?.reasons }).toEqual({ code, reasons });
  });

  it('ignores resources in ignoredResources', () => {
    const f = new Fit({ ignoredResources: ['example.com/gpu'] });
    const pod = makePod().req({ 'example.com/gpu': '1' }).obj();
    const snapshot = Snapshot.fromObjects([], [small()]);
    const state = new CycleState();
    f.preFilter(state, pod);
    expect(f.filter(state, pod, snapshot.get('n')!)).toBeNull();
  });
});
