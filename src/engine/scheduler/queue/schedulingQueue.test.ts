import type { Node, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../base/clock.ts';
import { ActionType, EVENT_NODE_ADD, eventMatches, type ClusterEvent } from '../framework/events.ts';
import type { QueuedPodInfo } from '../framework/types.ts';
import { PrioritySort } from '../plugins/queuesort/prioritySort.ts';
import { SchedulingGates } from '../plugins/schedulinggates/schedulingGates.ts';
import { makeNode, makePod } from '../testing/wrappers.ts';
import { PodNominator } from './nominator.ts';
import { PriorityQueue, type QueueingHintEntry } from './schedulingQueue.ts';

/** A queue whose plugin "NodeWatcher" requeues pods for added nodes labelled ok=true. */
function newQueue() {
  const clock = new Clock({ startTime: 0 });
  const sort = new PrioritySort();
  const gates = new SchedulingGates();
  const hints: QueueingHintEntry[] = [
    { pluginName: 'NodeWatcher', registration: { event: { resource: 'Node', actionType: ActionType.Add }, queueingHintFn: (_pod, _old, n) => ((n as Node).metadata?.labels?.ok === 'true' ? 'Queue' : 'QueueSkip') } },
    ...gates.eventsToRegister().map((registration) => ({ pluginName: gates.name, registration })),
  ];
  const q = new PriorityQueue({
    clock,
    nominator: new PodNominator(),
    less: (a, b) => sort.less(a, b),
    preEnqueuePlugins: () => [gates],
    queueingHints: () => hints,
    isEventOfInterest: (e: ClusterEvent) => hints.some((h) => eventMatches(h.registration.event, e)),
  });
  q.run();
  return { q, clock };
}

async function popName(q: PriorityQueue): Promise<string> {
  return (await q.pop())!.pod.metadata!.name!;
}

function fail(q: PriorityQueue, pi: QueuedPodInfo, ...plugins: string[]): void {
  pi.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(pi);
}

describe('PriorityQueue', () => {
  it('pops higher priority first, then the pod that waited longer', async () => {
    const { q, clock } = newQueue();
    q.add(makePod().name('low').priority(1).obj());
    clock.advance(10);
    q.add(makePod().name('high').priority(100).obj());
    clock.advance(10);
    q.add(makePod().name('high-later').priority(100).obj());
    expect([await popName(q), await popName(q), await popName(q)]).toEqual(['high', 'high-later', 'low']);
  });

  it('backs a failed pod off 1s, 2s, 4s, 8s, 10s, 10s (error: no plugin to wait for)', async () => {
    const { q, clock } = newQueue();
    q.add(makePod().name('p').obj());
    const waited: number[] = [];
    for (let i = 0; i < 6; i++) {
      const pi = (await q.pop())!;
      const failedAt = clock.now();
      fail(q, pi);
      expect(q.whereIs(pi.uid)).toBe('backoffQ');
      clock.runUntil(() => q.whereIs(pi.uid) === 'activeQ', 60_000);
      waited.push(clock.now() - failedAt);
    }
    expect(waited).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('moves an unschedulable pod back only on an event its rejecting plugin says may help', async () => {
    const { q, clock } = newQueue();
    q.add(makePod().name('p').obj());
    const pi = (await q.pop())!;
    fail(q, pi, 'NodeWatcher');
    expect(q.whereIs(pi.uid)).toBe('unschedulablePods');
    q.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, makeNode().label('ok', 'false').obj());
    expect(q.whereIs(pi.uid)).toBe('unschedulablePods');
    q.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, makeNode().label('ok', 'true').obj());
    // Still within its 1s backoff.
    expect(q.whereIs(pi.uid)).toBe('backoffQ');
    clock.advance(1000);
    expect(q.whereIs(pi.uid)).toBe('activeQ');
  });

  it('ignores events for plugins that did not reject the pod', async () => {
    const { q } = newQueue();
    q.add(makePod().name('p').obj());
    const pi = (await q.pop())!;
    fail(q, pi, 'SomethingElse');
    q.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, makeNode().label('ok', 'true').obj());
    expect(q.whereIs(pi.uid)).toBe('unschedulablePods');
  });

  it('retries unschedulable pods after 5 minutes anyway', async () => {
    const { q, clock } = newQueue();
    q.add(makePod().name('p').obj());
    const pi = (await q.pop())!;
    fail(q, pi, 'NodeWatcher');
    clock.advance(5 * 60_000);
    expect(q.whereIs(pi.uid)).toBe('unschedulablePods');
    clock.advance(30_000);
    expect(q.whereIs(pi.uid)).toBe('activeQ');
  });

  it('requeues at once a pod that failed after a helpful event arrived while it was in flight', async () => {
    const { q } = newQueue();
    q.add(makePod().name('p').obj());
    q.add(makePod().name('other').obj());
    const first = (await q.pop())!;
    const second = (await q.pop())!;
    fail(q, second, 'NodeWatcher');
    q.moveAllToActiveOrBackoffQueue(EVENT_NODE_ADD, undefined, makeNode().label('ok', 'true').obj());
    fail(q, first, 'NodeWatcher');
    expect(q.whereIs(first.uid)).toBe('backoffQ');
  });

  it('keeps a gated pod out of activeQ until an update removes its gates', async () => {
    const { q } = newQueue();
    const gated = makePod().name('g').schedulingGates('example.com/gate').obj();
    q.add(gated);
    expect(q.whereIs(gated.metadata!.uid!)).toBe('unschedulablePods');
    const ungated: Pod = { ...gated, metadata: { ...gated.metadata, resourceVersion: '2' }, spec: { ...gated.spec!, schedulingGates: [] } };
    q.update(gated, ungated);
    expect(q.whereIs(gated.metadata!.uid!)).toBe('activeQ');
    expect(await popName(q)).toBe('g');
  });

  it('deletes pods from every sub-queue', async () => {
    const { q } = newQueue();
    const p = makePod().name('p').obj();
    q.add(p);
    q.delete(p);
    expect(q.whereIs(p.metadata!.uid!)).toBeUndefined();
  });
});
