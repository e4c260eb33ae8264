import { describe, expect, it } from 'vitest';
import { Lab } from '../cluster/lab.ts';
import { RestClient } from '../client/rest/restClient.ts';
import { settle } from '../testing/testCluster.ts';
import { MetricsStorage } from './storage.ts';
import { metricsLab } from './testing.ts';
import { usageQuantities } from './metricsServer.ts';

const MiB = 1024 * 1024;

describe('metrics-server', () => {
  it('serves NodeMetrics and PodMetrics from the last two scrapes, with label selectors', async () => {
    const { lab, client, tick } = await metricsLab(settle);
    const get = async (path: string, query: Record<string, string> = {}) => JSON.parse((await client.raw('GET', path, query)).body ?? '') as unknown;
    // One scrape: no rate yet.
    expect(await get('/apis/metrics.k8s.io/v1beta1/nodes')).toEqual({ kind: 'NodeMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [] });
    await tick(15_000);
    expect(await get('/apis/metrics.k8s.io/v1beta1/nodes/worker-1')).toEqual({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'worker-1', creationTimestamp: '2026-01-01T00:00:15Z', labels: expect.objectContaining({ 'kubernetes.io/hostname': 'worker-1' }) as unknown },
      timestamp: '2026-01-01T00:00:15Z',
      window: '15s',
      usage: { cpu: '800m', memory: '1536Mi' },
    });
    expect(await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', { labelSelector: 'app=web' })).toEqual({
      kind: 'PodMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          kind: 'PodMetrics',
          apiVersion: 'metrics.k8s.io/v1beta1',
          metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2026-01-01T00:00:15Z', labels: { app: 'web' } },
          timestamp: '2026-01-01T00:00:15Z',
          window: '15s',
          containers: [
            { name: 'app', usage: { cpu: '250m', memory: '5243Ki' } },
            { name: 'log', usage: { cpu: '2m', memory: '1Mi' } },
          ],
        },
      ],
    });
    const all = (await get('/apis/metrics.k8s.io/v1beta1/pods')) as { items: Array<{ metadata: { namespace: string; name: string } }> };
    expect(all.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['default/web-1', 'kube-system/coredns']);
    // A pod the kubelet has no stats for, a pod that does not exist, a node with no kubelet stats.
    await expect(client.raw('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/db-1')).rejects.toThrow('podmetrics.metrics.k8s.io "default/db-1" not found');
    await expect(client.raw('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope')).rejects.toThrow('pod "nope" not found');
    await expect(client.raw('GET', '/apis/metrics.k8s.io/v1beta1/nodes/worker-2')).rejects.toThrow('nodemetrics.metrics.k8s.io "worker-2" not found');
    // Discovery lists the group while metrics-server serves it.
    const groups = (await get('/apis')) as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toContain('metrics.k8s.io');
    expect(await get('/apis/metrics.k8s.io/v1beta1')).toEqual({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'metrics.k8s.io/v1beta1',
      resources: [
        { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
        { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
      ],
    });
    lab.cluster.shutdown();
  });

  it('is not in discovery without metrics-server', async () => {
    const lab = new Lab({ seed: 1 });
    const client = new RestClient(lab.kube.transport);
    const groups = JSON.parse((await client.raw('GET', '/apis')).body ?? '') as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).not.toContain('metrics.k8s.io');
    await expect(client.raw('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).rejects.toThrow('the server could not find the requested resource');
  });

  it.each([
    [250_000_000, 5 * MiB, { cpu: '250m', memory: '5Mi' }],
    [12_345, 5_000_000, { cpu: '12345n', memory: '5000000' }],
    [1_500_000, 5236 * 1024, { cpu: '1500u', memory: '5236Ki' }],
  ])('prints %d nanocores and %d bytes as quantities', (cpu, memory, want) => {
    expect(usageQuantities({ cpu, memory })).toEqual(want);
  });

  it('measures a restarted container from its start, and forgets what a scrape no longer has', () => {
    const storage = new MetricsStorage();
    const point = (timestamp: number, cpu: number, startTime = 0) => ({ startTime, timestamp, cumulativeCpuUsed: cpu, memoryUsage: 100 });
    const batch = (p: ReturnType<typeof point>) => new Map([['n', { pods: new Map([['default/a', new Map([['c', p]])]]) }]]);
    storage.store(batch(point(10_000, 5e9)));
    storage.store(batch(point(20_000, 1e9, 15_000)));
    expect(storage.podUsage('default', 'a')).toEqual([{ name: 'c', timestamp: 20_000, windowMs: 5_000, cpu: 200_000_000, memory: 100 }]);
    storage.store(new Map());
    expect(storage.podUsage('default', 'a')).toBeUndefined();
  });
});
