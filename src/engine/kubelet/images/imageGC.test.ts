import { describe, expect, it } from 'vitest';
import type { ObjectReference } from 'kubernetes-types/core/v1';
import type { EventRecorder } from '../../client/record/eventRecorder.ts';
import { advance, settle } from '../../runtime/dockerd/testing.ts';
import { bootCriNode } from '../../runtime/cri/testing.ts';
import { ImageGCManager } from './imageGC.ts';

describe('ImageGCManager', () => {
  it('frees unused images down to the low threshold on a small disk, oldest use first, after the minimum age', async () => {
    const { cri, clock } = bootCriNode();
    for (const image of ['busybox', 'nginx:1.27', 'redis:7']) await settle(clock, cri.pullImage({ image }));
    const sizes = new Map((await cri.listImages()).images.map((i) => [i.repoTags[0]!, i.size]));
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    // A disk exactly the images' size over 90%: 90% used, over the 85% high threshold.
    const capacityBytes = Math.ceil(total / 0.9);
    const used = async () => (await cri.listImages()).images.reduce((n, i) => n + i.size, 0);
    const events: string[] = [];
    const recorder: EventRecorder = { event: (_o, type, reason, message) => void events.push(`${type} ${reason}: ${message}`) } as EventRecorder;
    const nodeRef: ObjectReference = { kind: 'Node', name: 'node-1' };
    const gc = new ImageGCManager({ cri, clock, recorder, nodeRef, imageFsStats: async () => ({ capacityBytes, availableBytes: capacityBytes - (await used()) }) });
    expect(await settle(clock, gc.garbageCollect())).toBe(0);
    await advance(clock, 3 * 60_000);
    const freed = await settle(clock, gc.garbageCollect());
    const left = (await cri.listImages()).images.map((i) => i.repoTags[0]).sort();
    // Equal last use: the first detected (the listing order) goes first, until 80% is reached.
    expect(freed).toBeGreaterThanOrEqual(capacityBytes * 0.2 - (capacityBytes - total));
    expect(left.length).toBeLessThan(3);
    expect((capacityBytes - (await used())) / capacityBytes).toBeGreaterThanOrEqual(0.2);
    // The first pass found every image younger than the minimum age.
    expect(events).toEqual([`Warning FreeDiskSpaceFailed: Failed to garbage collect required amount of images. Attempted to free ${Math.floor((capacityBytes * 20) / 100) - (capacityBytes - total)} bytes, but only found 0 bytes eligible to free.`]);
  });
});
