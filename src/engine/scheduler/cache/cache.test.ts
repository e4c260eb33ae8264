import { describe, expect, it } from 'vitest';
import { PodInfo } from '../framework/types.ts';
import { makeNode, makePod } from '../testing/wrappers.ts';
import { Cache } from './cache.ts';
import { Snapshot } from './snapshot.ts';

const node = (name: string, zone?: string) => {
  const w = makeNode().name(name).capacity({ cpu: '4', memory: '8Gi', pods: '110' });
  if (zone) w.label('topology.kubernetes.io/zone', zone);
  return w.obj();
};

describe('scheduler Cache', () => {
  it('counts assumed pods at once and keeps them when the informer confirms the binding', () => {
    const cache = new Cache();
    cache.addNode(node('n1'));
    const pod = makePod().name('p').req({ cpu: '1', memory: '1Gi' }).obj();
    cache.assumePod(new PodInfo({ ...pod, spec: { ...pod.spec!, nodeName: 'n1' } }));
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n1')!.requested.milliCPU).toBe(1000);
    expect(cache.isAssumedPod(pod)).toBe(true);
    cache.addPod({ ...pod, spec: { ...pod.spec!, nodeName: 'n1' } });
    expect(cache.isAssumedPod(pod)).toBe(false);
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n1')!.pods).toHaveLength(1);
  });

  it('forgets an assumed pod whose binding failed', () => {
    const cache = new Cache();
    cache.addNode(node('n1'));
    const pod = makePod().name('p').node('n1').req({ cpu: '1' }).obj();
    cache.assumePod(new PodInfo(pod));
    cache.forgetPod(pod);
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('n1')!.requested.milliCPU).toBe(0);
    expect(() => cache.forgetPod(pod)).toThrow("wasn't assumed so cannot be forgotten");
  });

  it('updates a snapshot incrementally: only NodeInfos changed since are copied', () => {
    const cache = new Cache();
    for (const n of ['a', 'b', 'c']) cache.addNode(node(n));
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    const before = new Map(snapshot.list().map((ni) => [ni.name, ni.generation]));
    cache.addPod(makePod().name('p').node('b').obj());
    cache.updateSnapshot(snapshot);
    const changed = snapshot.list().filter((ni) => ni.generation !== before.get(ni.name)).map((ni) => ni.name);
    expect(changed).toEqual(['b']);
    expect(snapshot.get('b')!.pods).toHaveLength(1);
  });

  it('lists nodes zone by zone in turn', () => {
    const cache = new Cache();
    for (const [n, z] of [['a1', 'a'], ['a2', 'a'], ['a3', 'a'], ['b1', 'b'], ['c1', 'c'], ['c2', 'c']]) cache.addNode(node(n!, z));
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    expect(snapshot.list().map((n) => n.name)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });

  it('drops removed nodes from the snapshot but keeps their pods until deleted', () => {
    const cache = new Cache();
    cache.addNode(node('a'));
    cache.addNode(node('b'));
    const pod = makePod().name('p').node('b').obj();
    cache.addPod(pod);
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    cache.removeNode(node('b'));
    cache.updateSnapshot(snapshot);
    expect(snapshot.list().map((n) => n.name)).toEqual(['a']);
    expect(cache.podCount()).toBe(1);
    cache.removePod(pod);
    expect(cache.podCount()).toBe(0);
  });

  it('shares image states between nodes, counting the nodes that have each image', () => {
    const cache = new Cache();
    cache.addNode(makeNode().name('a').images({ 'nginx:1.27': 100 }).obj());
    cache.addNode(makeNode().name('b').images({ 'nginx:1.27': 100, 'redis:7': 50 }).obj());
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    expect(snapshot.get('a')!.imageStates.get('nginx:1.27')!.numNodes).toBe(2);
    expect(snapshot.get('b')!.imageStates.get('redis:7')!.numNodes).toBe(1);
  });
});
