import { describe, expect, it } from 'vitest';
import { Cache } from '../../cache/cache.ts';
import { Snapshot } from '../../cache/snapshot.ts';
import type { NodeInfo } from '../../framework/types.ts';
import { makeNode, makePod } from '../../testing/wrappers.ts';
import { DomainCounts, type DomainQuestion } from './domainCounts.ts';

const ZONE = 'topology.kubernetes.io/zone';
const question: DomainQuestion = {
  domainOf: (ni: NodeInfo) => ni.labels?.[ZONE],
  countOf: (ni: NodeInfo) => ni.pods.filter((p) => p.pod.metadata?.labels?.app === 'web').length,
  totals: true,
};
const node = (name: string, zone?: string) => {
  const w = makeNode().name(name);
  if (zone) w.label(ZONE, zone);
  return w.obj();
};
const web = (nodeName: string) => makePod().labels({ app: 'web' }).node(nodeName).obj();

/** What a fresh count of the snapshot says. */
function fresh(snapshot: Snapshot): Record<string, number> {
  const dc = new DomainCounts();
  dc.sync(snapshot, question);
  return Object.fromEntries([...dc.totals].sort());
}

describe('DomainCounts', () => {
  it('keeps per-domain counts equal to a full recount as pods and nodes come and go', () => {
    const cache = new Cache();
    for (const [n, z] of [['a', 'z1'], ['b', 'z1'], ['c', 'z2'], ['d', undefined]] as const) cache.addNode(node(n, z));
    const snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    const kept = new DomainCounts();
    const steps: Array<() => void> = [
      () => cache.addPod(web('a')),
      () => cache.addPod(web('c')),
      () => cache.addPod(makePod().labels({ app: 'other' }).node('b').obj()),
      () => cache.addPod(web('d')),
      () => cache.updateNode(node('c', 'z2'), node('c', 'z3')),
      () => cache.addNode(node('e', 'z4')),
      () => cache.removeNode(node('b', 'z1')),
    ];
    kept.sync(snapshot, question);
    expect(Object.fromEntries([...kept.totals].sort())).toEqual({ z1: 0, z2: 0 });
    for (const step of steps) {
      step();
      cache.updateSnapshot(snapshot);
      kept.sync(snapshot, question);
      expect(Object.fromEntries([...kept.totals].sort())).toEqual(fresh(snapshot));
    }
    expect(Object.fromEntries([...kept.totals].sort())).toEqual({ z1: 1, z3: 1, z4: 0 });
    expect(kept.countOn(snapshot.get('a')!)).toBe(1);
    expect(kept.countOn(snapshot.get('d')!)).toBeUndefined();
  });
});
