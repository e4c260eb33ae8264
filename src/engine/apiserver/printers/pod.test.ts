import type { ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { printPod } from './pod.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString();

/** A pod created 10m ago with the given containers, init containers and status. */
function pod(status: PodStatus, options: { containers?: number; init?: Array<{ name: string; sidecar?: boolean }>; deleting?: boolean; gates?: string[] } = {}): Pod {
  return {
    metadata: { name: 'p', creationTimestamp: ago(600_000), ...(options.deleting ? { deletionTimestamp: ago(5_000) } : {}) },
    spec: {
      containers: Array.from({ length: options.containers ?? 1 }, (_, i) => ({ name: `c${i}` })),
      ...(options.init ? { initContainers: options.init.map((c) => ({ name: c.name, ...(c.sidecar ? { restartPolicy: 'Always' } : {}) })) } : {}),
      ...(options.gates ? { readinessGates: options.gates.map((conditionType) => ({ conditionType })) } : {}),
    },
    status,
  };
}

const running = (name: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: true,
  restartCount: 0,
  state: { running: { startedAt: ago(60_000) } },
  ...extra,
});
const waiting = (name: string, reason: string, extra: Partial<ContainerStatus> = {}): ContainerStatus => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
  ...extra,
});
const terminated = (name: string, exitCode: number, reason?: string, signal?: number): ContainerStatus => ({
  name,
  image: 'nginx',
  imageID: '',
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode, ...(reason ? { reason } : {}), ...(signal ? { signal } : {}) } },
});

/** NAME READY STATUS RESTARTS AGE, the wide columns left to their own test. */
const cases: Array<[string, Pod, string[]]> = [
  ['a running pod', pod({ phase: 'Running', containerStatuses: [running('c0')] }), ['p', '1/1', 'Running', '0', '10m']],
  ['a pending pod without statuses', pod({ phase: 'Pending' }), ['p', '0/1', 'Pending', '0', '10m']],
  ['a pod with no phase yet', pod({}), ['p', '0/1', '', '0', '10m']],
  ['a scheduling-gated pod', pod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['p', '0/1', 'SchedulingGated', '0', '10m']],
  ['a waiting container', pod({ phase: 'Pending', containerStatuses: [waiting('c0', 'ContainerCreating')] }), ['p', '0/1', 'ContainerCreating', '0', '10m']],
  [
    'a crash-looping container with its last restart',
    pod({ phase: 'Running', containerStatuses: [waiting('c0', 'CrashLoopBackOff', { restartCount: 5, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(150_000) } } })] }),
    ['p', '0/1', 'CrashLoopBackOff', '5 (2m30s ago)', '10m'],
  ],
  // printers_test.go: "test1" — restarts add up over containers; the last container's state wins.
  ['restarts summed over containers', pod({ phase: 'podPhase', containerStatuses: [running('c0', { restartCount: 3 }), { ...running('c1', { restartCount: 3 }), ready: false, state: {} }] }, { containers: 2 }), ['p', '1/2', 'podPhase', '6', '10m']],
  ['a terminated container with a reason', pod({ phase: 'Running', containerStatuses: [terminated('c0', 137, 'OOMKilled')] }), ['p', '0/1', 'OOMKilled', '0', '10m']],
  ['a terminated container without a reason', pod({ phase: 'Running', containerStatuses: [terminated('c0', 2)] }), ['p', '0/1', 'ExitCode:2', '0', '10m']],
  ['a container killed by a signal', pod({ phase: 'Running', containerStatuses: [terminated('c0', 137, undefined, 9)] }), ['p', '0/1', 'Signal:9', '0', '10m']],
  ['a completed pod', pod({ phase: 'Succeeded', containerStatuses: [terminated('c0', 0, 'Completed')] }), ['p', '0/1', 'Completed', '0', '10m']],
  [
    'Completed with a container still running and the pod Ready',
    pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [terminated('c0', 0, 'Completed'), running('c1')] }, { containers: 2 }),
    ['p', '1/2', 'Running', '0', '10m'],
  ],
  [
    'Completed with a container still running and the pod not Ready',
    pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [terminated('c0', 0, 'Completed'), running('c1')] }, { containers: 2 }),
    ['p', '1/2', 'NotReady', '0', '10m'],
  ],
  ['an evicted pod', pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), ['p', '0/1', 'Evicted', '0', '10m']],
  [
    'init containers not started',
    pod({ phase: 'Pending', initContainerStatuses: [waiting('i0', 'PodInitializing'), waiting('i1', 'PodInitializing')], containerStatuses: [waiting('c0', 'PodInitializing')] }, { init: [{ name: 'i0' }, { name: 'i1' }] }),
    ['p', '0/1', 'Init:0/2', '0', '10m'],
  ],
  [
    'the second init container running',
    pod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 0, 'Completed'), { ...running('i1'), ready: false }], containerStatuses: [waiting('c0', 'PodInitializing')] }, { init: [{ name: 'i0' }, { name: 'i1' }] }),
    ['p', '0/1', 'Init:1/2', '0', '10m'],
  ],
  [
    'a crash-looping init container',
    pod(
      { phase: 'Pending', initContainerStatuses: [waiting('i0', 'CrashLoopBackOff', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(60_000) } } })], containerStatuses: [waiting('c0', 'PodInitializing', { restartCount: 0 })] },
      { init: [{ name: 'i0' }] },
    ),
    ['p', '0/1', 'Init:CrashLoopBackOff', '3 (60s ago)', '10m'],
  ],
  ['a failed init container with a reason', pod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 1, 'Error')] }, { init: [{ name: 'i0' }] }), ['p', '0/1', 'Init:Error', '0', '10m']],
  ['a failed init container without a reason', pod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 3)] }, { init: [{ name: 'i0' }] }), ['p', '0/1', 'Init:ExitCode:3', '0', '10m']],
  ['an init container killed by a signal', pod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 143, undefined, 15)] }, { init: [{ name: 'i0' }] }), ['p', '0/1', 'Init:Signal:15', '0', '10m']],
  ['an init container that exited 0 is done, whatever its signal', pod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 0, undefined, 15)] }, { init: [{ name: 'i0' }] }), ['p', '0/1', 'Pending', '0', '10m']],
  [
    'init done, app containers starting',
    pod({ phase: 'Pending', initContainerStatuses: [terminated('i0', 0, 'Completed')], containerStatuses: [waiting('c0', 'PodInitializing')] }, { init: [{ name: 'i0' }] }),
    ['p', '0/1', 'PodInitializing', '0', '10m'],
  ],
  [
    'a sidecar counts as a container, its restarts too',
    pod(
      { phase: 'Running', initContainerStatuses: [running('sidecar', { started: true, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(30_000) } } })], containerStatuses: [running('c0')] },
      { init: [{ name: 'sidecar', sidecar: true }] },
    ),
    ['p', '2/2', 'Running', '2 (30s ago)', '10m'],
  ],
  [
    'a sidecar not started yet',
    pod({ phase: 'Pending', initContainerStatuses: [{ ...waiting('sidecar', 'ContainerCreating'), started: false }] }, { init: [{ name: 'sidecar', sidecar: true }] }),
    ['p', '0/2', 'Init:ContainerCreating', '0', '10m'],
  ],
  ['a pod being deleted', pod({ phase: 'Running', containerStatuses: [running('c0')] }, { deleting: true }), ['p', '1/1', 'Terminating', '0', '10m']],
  ['a pod of a lost node being deleted', pod({ phase: 'Running', reason: 'NodeLost', containerStatuses: [running('c0')] }, { deleting: true }), ['p', '1/1', 'Unknown', '0', '10m']],
  ['a finished pod being deleted keeps its status', pod({ phase: 'Succeeded', containerStatuses: [terminated('c0', 0, 'Completed')] }, { deleting: true }), ['p', '0/1', 'Completed', '0', '10m']],
];

describe('printPod', () => {
  it.each(cases)('%s', (_name, object, expected) => {
    expect(printPod(object, NOW).slice(0, 5)).toEqual(expected);
  });

  it('prints <unknown> age without a creation timestamp', () => {
    expect(printPod({ metadata: { name: 'p' }, spec: { containers: [] } }, NOW)).toEqual(['p', '0/0', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>']);
  });

  it.each<[string, Pod, string[]]>([
    ['nothing assigned yet', pod({ phase: 'Pending' }), ['<none>', '<none>', '<none>', '<none>']],
    [
      'IP, node, nominated node and readiness gates',
      { ...pod({ phase: 'Running', podIP: '10.244.1.5', nominatedNodeName: 'node-2', conditions: [{ type: 'example.com/a', status: 'True' }, { type: 'example.com/b', status: 'False' }] }, { gates: ['example.com/a', 'example.com/b'] }), spec: { nodeName: 'node-1', containers: [{ name: 'c0' }], readinessGates: [{ conditionType: 'example.com/a' }, { conditionType: 'example.com/b' }] } },
      ['10.244.1.5', 'node-1', 'node-2', '1/2'],
    ],
    ['the first of podIPs when podIP is unset', pod({ phase: 'Running', podIPs: [{ ip: 'fd00::5' }, { ip: '10.0.0.5' }] }), ['fd00::5', '<none>', '<none>', '<none>']],
  ])('wide columns: %s', (_name, object, expected) => {
    expect(printPod(object, NOW).slice(5)).toEqual(expected);
  });
});
