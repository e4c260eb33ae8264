import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../registry/strategy.ts';
import { appsHandlers } from './apps.ts';
import type { Cell } from './tableHandler.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: new Date(NOW - 2 * 86_400_000 - 3 * 3_600_000).toISOString(), ...extra });
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }] } };
const print = (kind: keyof typeof appsHandlers, object: object): Cell[] => appsHandlers[kind].print(object as unknown as KubeObject, NOW);

describe('Deployment', () => {
  it.each<[string, Deployment, Cell[]]>([
    [
      'rolling out',
      { metadata: meta('web'), spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }, template }, status: { replicas: 3, readyReplicas: 2, updatedReplicas: 1, availableReplicas: 2 } },
      ['web', '2/3', 1, 2, '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=web,tier in (be,fe)'],
    ],
    ['new, no status, empty selector', { metadata: meta('new'), spec: { replicas: 1, selector: {}, template }, status: {} }, ['new', '0/1', 0, 0, '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox', '']],
    ['an invalid selector', { metadata: meta('bad'), spec: { replicas: 0, selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] }, template }, status: {} }, ['bad', '0/0', 0, 0, '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox', '<invalid>']],
  ])('%s', (_name, object, expected) => {
    expect(print('Deployment.apps', object)).toEqual(expected);
  });
});

describe('ReplicaSet, StatefulSet, DaemonSet', () => {
  it('ReplicaSet', () => {
    const rs: ReplicaSet = { metadata: meta('web-5d4f'), spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } }, template }, status: { replicas: 3, readyReplicas: 3 } };
    expect(print('ReplicaSet.apps', rs)).toEqual(['web-5d4f', 3, 3, 3, '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=web,pod-template-hash=5d4f']);
  });

  it('StatefulSet', () => {
    const sts: StatefulSet = { metadata: meta('db'), spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template }, status: { replicas: 2, readyReplicas: 1 } };
    expect(print('StatefulSet.apps', sts)).toEqual(['db', '1/3', '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox']);
  });

  it.each<[string, DaemonSet, Cell[]]>([
    [
      'with a node selector',
      { metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'agent' } }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux', disk: 'ssd' } } } }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2, numberMisscheduled: 0 } },
      ['agent', 3, 3, 2, 3, 2, 'disk=ssd,kubernetes.io/os=linux', '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox', 'app=agent'],
    ],
    ['without one', { metadata: meta('proxy'), spec: { selector: { matchLabels: { k8s: 'proxy' } }, template }, status: { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberMisscheduled: 0 } }, ['proxy', 0, 0, 0, 0, 0, '<none>', '2d3h', 'nginx,sidecar', 'nginx:1.27,busybox', 'k8s=proxy']],
  ])('DaemonSet %s', (_name, object, expected) => {
    expect(print('DaemonSet.apps', object)).toEqual(expected);
  });
});

describe('ControllerRevision', () => {
  it.each<[string, ControllerRevision, Cell[]]>([
    ['owned by a StatefulSet', { metadata: meta('db-7c9', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }), revision: 2 }, ['db-7c9', 'statefulset.apps/db', 2, '2d3h']],
    ['owned by a core kind', { metadata: meta('x', { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }] }), revision: 1 }, ['x', 'pod/p', 1, '2d3h']],
    ['without a controller', { metadata: meta('orphan', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'd', uid: 'u' }] }), revision: 5 }, ['orphan', '<none>', 5, '2d3h']],
  ])('%s', (_name, object, expected) => {
    expect(print('ControllerRevision.apps', object)).toEqual(expected);
  });
});
