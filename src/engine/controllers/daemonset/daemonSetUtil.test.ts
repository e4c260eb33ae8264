import { describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod, PodSpec, Taint, Toleration } from 'kubernetes-types/core/v1';
import { addOrUpdateDaemonPodTolerations, getTargetNodeName, nodeShouldRunDaemonPod, replaceDaemonSetPodNodeNameNodeAffinity, surgeCount, unavailableCount } from './daemonSetUtil.ts';

function daemonSet(podSpec: Partial<PodSpec> = {}, strategy?: NonNullable<DaemonSet['spec']>['updateStrategy']): DaemonSet {
  return {
    metadata: { name: 'fluentd', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'fluentd' } },
      template: { metadata: { labels: { app: 'fluentd' } }, spec: { containers: [{ name: 'fluentd', image: 'fluentd' }], ...podSpec } },
      ...(strategy ? { updateStrategy: strategy } : {}),
    },
  };
}

function node(name: string, labels: Record<string, string> = {}, taints: Taint[] = []): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: taints.length ? { taints } : {} };
}

describe('nodeShouldRunDaemonPod', () => {
  it.each<[string, Partial<PodSpec>, Node, boolean, boolean]>([
    ['a plain node', {}, node('n1'), true, true],
    ['the template names another node', { nodeName: 'n2' }, node('n1'), false, false],
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, node('n1', { disk: 'ssd' }), true, true],
    ['nodeSelector does not match', { nodeSelector: { disk: 'ssd' } }, node('n1'), false, false],
    [
      'required node affinity does not match',
      { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] } } } },
      node('n1', { zone: 'b' }),
      false,
      false,
    ],
    ['an untolerated NoSchedule taint: no new pod, a running one stays', {}, node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]), false, true],
    ['an untolerated NoExecute taint: none at all', {}, node('n1', {}, [{ key: 'evict', effect: 'NoExecute' }]), false, false],
    ['a PreferNoSchedule taint does not matter', {}, node('n1', {}, [{ key: 'soft', effect: 'PreferNoSchedule' }]), true, true],
    ['the taint is tolerated', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }, node('n1', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]), true, true],
    ['not-ready and unschedulable are tolerated by default', {}, node('n1', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), true, true],
    ['network-unavailable only with hostNetwork', {}, node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), false, true],
    ['network-unavailable with hostNetwork', { hostNetwork: true }, node('n1', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), true, true],
  ])('%s', (_name, podSpec, n, shouldRun, shouldContinueRunning) => {
    expect(nodeShouldRunDaemonPod(n, daemonSet(podSpec))).toEqual({ shouldRun, shouldContinueRunning });
  });
});

describe('addOrUpdateDaemonPodTolerations', () => {
  const DEFAULTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/unschedulable'];
  it.each<[string, Toleration[] | undefined, Toleration, string[]]>([
    ['none yet: the six defaults', undefined, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }, DEFAULTS],
    ['an own toleration stays first', [{ key: 'dedicated', operator: 'Exists' }], { key: 'dedicated', operator: 'Exists' }, ['dedicated', ...DEFAULTS]],
    [
      'an equal default keeps its place and is not repeated',
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready', ...DEFAULTS.slice(2)],
    ],
    [
      'a matching default with tolerationSeconds is replaced in place',
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      DEFAULTS,
    ],
  ])('%s', (_name, own, first, keys) => {
    const spec: PodSpec = { containers: [], ...(own ? { tolerations: own } : {}) };
    addOrUpdateDaemonPodTolerations(spec);
    expect(spec.tolerations?.[0]).toEqual(first);
    expect(spec.tolerations?.map((t) => t.key)).toEqual(keys);
  });
});

describe('node affinity pinning', () => {
  it.each<[string, Pod['spec'], string | undefined]>([
    ['bound: spec.nodeName', { containers: [], nodeName: 'n1' }, 'n1'],
    ['pending: the matchFields term', { containers: [], affinity: replaceDaemonSetPodNodeNameNodeAffinity(undefined, 'n2') }, 'n2'],
    ['no affinity', { containers: [] }, undefined],
  ])('getTargetNodeName, %s', (_name, spec, target) => {
    expect(getTargetNodeName({ spec })).toBe(target);
  });

  it('replaces the required terms and keeps the preferred ones', () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }];
    const affinity = replaceDaemonSetPodNodeNameNodeAffinity(
      { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }] }, preferredDuringSchedulingIgnoredDuringExecution: preferred } },
      'n3',
    );
    expect(affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n3'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: preferred,
    });
  });
});

describe('rolling update budgets', () => {
  it.each<[string, NonNullable<DaemonSet['spec']>['updateStrategy'], number, number, number]>([
    ['defaults', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, 10, 0, 1],
    ['percentages round up', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '10%' } }, 10, 1, 3],
    ['OnDelete has none', { type: 'OnDelete' }, 10, 0, 0],
  ])('%s', (_name, strategy, nodes, surge, unavailable) => {
    const ds = daemonSet({}, strategy);
    expect(surgeCount(ds, nodes)).toBe(surge);
    expect(unavailableCount(ds, nodes)).toBe(unavailable);
  });
});
