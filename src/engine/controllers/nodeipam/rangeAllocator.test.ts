import { describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import { SeededRng } from '../../base/seededRng.ts';
import type { KubeObject } from '../../client/rest/restClient.ts';
import { RESOURCES } from '../../client/resources.ts';
import { TestCluster } from '../../testing/testCluster.ts';
import { KubeControllerManager } from '../controllerManager.ts';
import { nodeIpamControllerDescriptorFor } from './nodeIpamController.ts';
import type { CIDRAllocatorParams } from './rangeAllocator.ts';

type NodeObject = Node & KubeObject;

/** A bare cluster (no kube-controller-manager) and a way to start one running only the node IPAM controller. */
async function cluster() {
  const tc = await TestCluster.start();
  const nodes = tc.client.resource<NodeObject>(RESOURCES.nodes);
  const create = async (...names: string[]) => {
    for (const name of names) await nodes.create('', { apiVersion: 'v1', kind: 'Node', metadata: { name } } as NodeObject);
  };
  const podCIDRs = async () => Object.fromEntries((await nodes.list('')).items.map((n) => [n.metadata?.name, n.spec?.podCIDRs?.join(',') ?? '']));
  const startControllerManager = (params: CIDRAllocatorParams, seed = 1) => {
    const kcm = new KubeControllerManager({
      transport: tc.cluster.transportFor({ username: 'system:kube-controller-manager', groups: [] }, 'kube-controller-manager/v1.32.4'),
      clock: tc.clock,
      rng: new SeededRng(seed),
      hostname: 'control-plane',
      descriptors: [nodeIpamControllerDescriptorFor(params)],
      leaderElect: false,
    });
    kcm.start();
    return kcm;
  };
  return { tc, nodes, create, podCIDRs, startControllerManager };
}

const SMALL: CIDRAllocatorParams = { clusterCIDRs: ['10.244.0.0/22'], nodeCIDRMaskSizes: [24] };

describe('node IPAM controller (range allocator)', () => {
  it('gives nodes the next free /24 in the order they come, spec.podCIDR and spec.podCIDRs alike', async () => {
    const { tc, nodes, create, podCIDRs, startControllerManager } = await cluster();
    const kcm = startControllerManager({ clusterCIDRs: ['10.244.0.0/16'], serviceCIDR: '10.96.0.0/12', nodeCIDRMaskSizes: [24] });
    await tc.tick('1s');
    await create('control-plane', 'worker-1', 'worker-2');
    await tc.tick('1s');
    expect(await podCIDRs()).toEqual({ 'control-plane': '10.244.0.0/24', 'worker-1': '10.244.1.0/24', 'worker-2': '10.244.2.0/24' });
    expect((await nodes.get('', 'worker-2')).spec?.podCIDR).toBe('10.244.2.0/24');
    expect(kcm.controllers).toEqual(['node-ipam-controller']);
    kcm.stop();
    tc.stop();
  });

  it('keeps the CIDRs nodes already have when it starts, and hands out the ones nobody holds', async () => {
    const { tc, nodes, create, podCIDRs, startControllerManager } = await cluster();
    await create('a', 'b', 'c');
    await nodes.patch('', 'a', 'strategic', { spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
    await nodes.patch('', 'c', 'strategic', { spec: { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] } });
    // A controller manager that restarts finds a and c holding theirs.
    const kcm = startControllerManager(SMALL);
    await tc.tick('1s');
    await create('d');
    await tc.tick('1s');
    expect(await podCIDRs()).toEqual({ a: '10.244.0.0/24', b: '10.244.1.0/24', c: '10.244.2.0/24', d: '10.244.3.0/24' });
    kcm.stop();
    // And again, with every block held: the next node finds none.
    const again = startControllerManager(SMALL, 2);
    await tc.tick('1s');
    await create('e');
    await tc.tick('1s');
    expect((await podCIDRs())['e']).toBe('');
    again.stop();
    tc.stop();
  });

  it('releases a deleted node’s CIDR; the next node takes the following free block, and the released one once round', async () => {
    const { tc, nodes, create, podCIDRs, startControllerManager } = await cluster();
    const kcm = startControllerManager(SMALL);
    await tc.tick('1s');
    await create('a', 'b');
    await tc.tick('1s');
    await nodes.delete('', 'a');
    await tc.tick('1s');
    await create('c', 'd', 'e');
    await tc.tick('1s');
    expect(await podCIDRs()).toEqual({ b: '10.244.1.0/24', c: '10.244.2.0/24', d: '10.244.3.0/24', e: '10.244.0.0/24' });
    kcm.stop();
    tc.stop();
  });

  it('records CIDRNotAvailable when the range is used up, and retries until a block is free', async () => {
    const { tc, nodes, create, podCIDRs, startControllerManager } = await cluster();
    const kcm = startControllerManager({ clusterCIDRs: ['10.244.0.0/23'], nodeCIDRMaskSizes: [24] });
    await tc.tick('1s');
    await create('a', 'b', 'c');
    await tc.tick('1s');
    expect(await podCIDRs()).toEqual({ a: '10.244.0.0/24', b: '10.244.1.0/24', c: '' });
    await kcm.flushEvents();
    const events = (await tc.list('events')).filter((e) => (e as { involvedObject?: { name?: string } }).involvedObject?.name === 'c');
    expect(events.map((e) => e as unknown as { type: string; reason: string; message: string; source: { component: string }; involvedObject: { kind: string } })).toEqual([
      expect.objectContaining({ type: 'Warning', reason: 'CIDRNotAvailable', message: 'Node c status is now: CIDRNotAvailable', source: { component: 'cidrAllocator' }, involvedObject: expect.objectContaining({ kind: 'Node' }) }),
    ]);
    await nodes.delete('', 'a');
    await tc.tick('5s');
    expect(await podCIDRs()).toEqual({ b: '10.244.1.0/24', c: '10.244.0.0/24' });
    kcm.stop();
    tc.stop();
  });
});
