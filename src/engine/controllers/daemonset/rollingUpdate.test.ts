import { describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../api/time.ts';
import { planRollingUpdate } from './rollingUpdate.ts';

const NOW = Date.UTC(2026, 0, 1, 1, 0, 0);

function daemonSet(maxUnavailable: number | string, maxSurge: number | string): DaemonSet {
  return {
    metadata: { name: 'ds', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'ds' } },
      template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } },
    },
  };
}

const nodes: Node[] = ['n1', 'n2', 'n3'].map((name) => ({ metadata: { name } }));

/** `new` or `old` (revision), `+` ready or `-` not ready: e.g. 'old+'. */
function pod(node: string, state: string, index = 0): Pod {
  const ready = state.endsWith('+');
  return {
    metadata: { name: `${node}-${state.slice(0, 3)}-${index}`, labels: { 'controller-revision-hash': state.startsWith('new') ? 'h2' : 'h1' }, creationTimestamp: rfc3339(NOW - 60_000) },
    spec: { containers: [], nodeName: node },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339(NOW - 60_000) }] },
  };
}

describe('planRollingUpdate', () => {
  it.each<[string, number | string, number | string, Record<string, string[]>, string[], string[]]>([
    ['maxUnavailable 1: the first old pod goes', 1, 0, { n1: ['old+'], n2: ['old+'], n3: ['old+'] }, ['n1-old-0'], []],
    ['maxUnavailable 2: two go', 2, 0, { n1: ['old+'], n2: ['old+'], n3: ['old+'] }, ['n1-old-0', 'n2-old-0'], []],
    ['a new pod not ready yet uses the budget', 1, 0, { n1: ['new-'], n2: ['old+'], n3: ['old+'] }, [], []],
    ['a node without a pod uses the budget', 1, 0, { n1: [], n2: ['old+'], n3: ['old+'] }, [], []],
    ['an unavailable old pod is replaced regardless', 1, 0, { n1: ['new-'], n2: ['old-'], n3: ['old+'] }, ['n2-old-0'], []],
    ['surge: a new pod beside an available old one', 0, 1, { n1: ['old+'], n2: ['old+'], n3: ['old+'] }, [], ['n1']],
    ['surge: the old pod goes once the new one is available', 0, 1, { n1: ['old+', 'new+'], n2: ['old+'], n3: ['old+'] }, ['n1-old-0'], ['n2']],
    ['surge: a new pod not yet available holds the budget', 0, 1, { n1: ['old+', 'new-'], n2: ['old+'], n3: ['old+'] }, [], []],
    ['surge: an unavailable old pod gets its replacement at once', 0, 1, { n1: ['old+', 'new-'], n2: ['old-'], n3: ['old+'] }, [], ['n2']],
    ['all updated: nothing to do', 1, 0, { n1: ['new+'], n2: ['new+'], n3: ['new+'] }, [], []],
  ])('%s', (_name, maxUnavailable, maxSurge, layout, podsToDelete, nodesToCreate) => {
    const map = new Map(Object.entries(layout).map(([node, states]) => [node, states.map((s, i) => pod(node, s, i))] as [string, Pod[]]));
    for (const [node, pods] of map) if (pods.length === 0) map.delete(node);
    expect(planRollingUpdate(daemonSet(maxUnavailable, maxSurge), nodes, map, 'h2', NOW)).toEqual({ podsToDelete, nodesToCreate });
  });
});
