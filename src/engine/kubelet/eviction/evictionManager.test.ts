import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { kindFor } from '../../api/scheme.ts';
import { advanceSettled } from '../../base/advance.ts';
import { RestClient, type KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { defaultFullNodeSpec } from '../../cluster/cluster.ts';
import { Lab } from '../../cluster/lab.ts';
import type { PodStats } from '../stats/types.ts';
import { evictionMessage, rankPods, thresholdsMet, DEFAULT_EVICTION_HARD, makeSignalObservations } from './evictionManager.ts';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
const Mi = 1024 * 1024;

function pod(name: string, memoryRequest?: string, priority?: number): Pod {
  return { metadata: { name, uid: name }, spec: { ...(priority !== undefined ? { priority } : {}), containers: [{ name: 'app', ...(memoryRequest ? { resources: { requests: { memory: memoryRequest } } } : {}) }] } };
}

function stats(name: string, workingSet: number): PodStats {
  const memory = { time: 't', usageBytes: workingSet, workingSetBytes: workingSet, rssBytes: workingSet, pageFaults: 0, majorPageFaults: 0 };
  return { podRef: { name, namespace: 'default', uid: name }, startTime: 't', containers: [{ name: 'app', startTime: 't', memory }], memory };
}

describe('eviction helpers', () => {
  it.each([
    ['memory.available under 100Mi', 99 * Mi, ['memory.available']],
    ['memory.available at 100Mi', 100 * Mi, []],
  ])('thresholdsMet: %s', (_name, available, met) => {
    const observations = makeSignalObservations({ node: { nodeName: 'n', startTime: 't', memory: { time: 't', availableBytes: available, usageBytes: 0, workingSetBytes: 900 * Mi, rssBytes: 0, pageFaults: 0, majorPageFaults: 0 } }, pods: [] });
    expect(thresholdsMet(DEFAULT_EVICTION_HARD, observations).map((t) => t.signal)).toEqual(met);
  });

  it('ranks pods over their requests first, then by priority, then by usage above requests', () => {
    const pods = [pod('guaranteed-ish', '500Mi'), pod('burstable-over', '100Mi'), pod('besteffort-small'), pod('besteffort-big'), pod('besteffort-high', undefined, 1000)];
    const usage: Record<string, number> = { 'guaranteed-ish': 400 * Mi, 'burstable-over': 300 * Mi, 'besteffort-small': 10 * Mi, 'besteffort-big': 250 * Mi, 'besteffort-high': 600 * Mi };
    const ranked = rankPods(pods, (p) => stats(p.metadata!.name!, usage[p.metadata!.name!]!), 'memory');
    expect(ranked.map((p) => p.metadata?.name)).toEqual(['besteffort-big', 'burstable-over', 'besteffort-small', 'besteffort-high', 'guaranteed-ish']);
  });

  it('writes the upstream message', () => {
    const message = evictionMessage('memory', pod('hog'), stats('hog', 800 * Mi + 4096), DEFAULT_EVICTION_HARD[0], { available: 90 * Mi + 1024, capacity: 1024 * Mi, time: 't' });
    expect(message).toBe('The node was low on resource: memory. Threshold quantity: 100Mi, available: 92161Ki. Container app was using 819204Ki, request is 0, has larger consumption of memory. ');
  });
});

describe('node-pressure eviction on a full node', () => {
  it('evicts the BestEffort memory hog before the Burstable pod, with MemoryPressure and its taint', async () => {
    const lab = new Lab({ seed: 7, cluster: { fullNodes: [defaultFullNodeSpec('worker-1', 1, { memoryBytes: 1024 * Mi })], scheduler: true, controllers: 'all' } });
    const client = new RestClient(lab.kube.transport);
    const tick = (ms: number) => advanceSettled(lab.clock, ms, settle);
    await lab.cluster.boot();
    await tick(2000);
    const apply = async (yaml: string) => {
      for (const doc of parseAllDocuments(yaml)) {
        const obj = doc.toJSON() as KubeObject;
        const info = kindFor(obj.apiVersion ?? '', obj.kind ?? '')!;
        await client.resource({ group: info.group, version: info.version, resource: info.resource, namespaced: info.namespaced }).create('default', obj);
      }
    };
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: steady}
spec:
  containers:
  - name: app
    image: polinux/stress
    command: [stress, --vm, '1', --vm-bytes, 50M, --vm-hang, '1']
    resources: {requests: {memory: 200Mi}}
`);
    await tick(30_000);
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  containers:
  - name: app
    image: polinux/stress
    command: [stress, --vm, '1', --vm-bytes, 900M, --vm-hang, '1']
`);
    const get = async (name: string) => (await client.resource<Pod & KubeObject>(RESOURCES.pods).get('default', name)) as Pod;
    for (let i = 0; i < 12 && (await get('hog')).status?.phase !== 'Failed'; i++) await tick(10_000);
    const hog = await get('hog');
    expect(hog.status?.phase).toBe('Failed');
    expect(hog.status?.reason).toBe('Evicted');
    expect(hog.status?.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+Ki\. Container app was using \d+Ki, request is 0, has larger consumption of memory\. $/);
    expect(hog.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet', message: hog.status?.message });
    expect(hog.status?.containerStatuses?.[0]?.state?.terminated).toBeDefined();
    expect((await get('steady')).status?.phase).toBe('Running');
    const events = (await client.resource<Event & KubeObject>(RESOURCES.events).list('')).items;
    expect(events.filter((e) => e.reason === 'Evicted').map((e) => [e.involvedObject?.name, e.type, e.message])).toEqual([['hog', 'Warning', hog.status?.message]]);
    expect(events.filter((e) => e.reason === 'EvictionThresholdMet').map((e) => [e.involvedObject?.kind, e.message])).toEqual([['Node', 'Attempting to reclaim memory']]);
    await tick(20_000);
    const node = (await client.resource<Node & KubeObject>(RESOURCES.nodes).get('', 'worker-1')) as Node;
    const pressure = node.status?.conditions?.find((c) => c.type === 'MemoryPressure');
    expect([pressure?.status, pressure?.reason, pressure?.message]).toEqual(['True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']);
    expect(node.spec?.taints?.filter((t) => t.key === 'node.kubernetes.io/memory-pressure').map((t) => t.effect)).toEqual(['NoSchedule']);
    // After the transition period without pressure the condition clears.
    await tick(6 * 60_000);
    const later = (await client.resource<Node & KubeObject>(RESOURCES.nodes).get('', 'worker-1')) as Node;
    expect(later.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.reason).toBe('KubeletHasSufficientMemory');
    expect((await get('steady')).status?.phase).toBe('Running');
  }, 120_000);
});
