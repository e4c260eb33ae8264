import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';
import { appendEvents, groupByRequest, requestUsers, useTrace } from './traceStore.ts';

function stage(seq: number, request: string, stage: 'authentication' | 'authorization' | 'storage' = 'authorization', detail?: string): TraceEvent {
  return { seq, time: seq * 10, request, component: 'apiserver', kind: 'stage', stage, verb: 'get', resource: 'pods', namespace: 'default', name: '', outcome: 'ok', ...(detail ? { detail } : {}) };
}

const seqs = (events: readonly TraceEvent[]) => events.map((e) => e.seq);

describe('traceStore', () => {
  it.each([
    ['appends in order', [1, 2], [3, 4], 10, [1, 2, 3, 4]],
    ['drops the oldest past capacity', [1, 2, 3], [4, 5], 4, [2, 3, 4, 5]],
    ['keeps only the newest of a batch larger than capacity', [1], [2, 3, 4, 5, 6], 3, [4, 5, 6]],
    ['sorts a batch sent newest first', [1], [4, 3, 2], 10, [1, 2, 3, 4]],
    ['starts over when the sequence does (lab reset)', [7, 8, 9], [1, 2], 10, [1, 2]],
  ])('%s', (_name, before, batch, capacity, expected) => {
    const events = appendEvents(before.map((s) => stage(s, 'r')), batch.map((s) => stage(s, 'r')), capacity);
    expect(seqs(events)).toEqual(expected);
  });

  it('returns the same array for an empty batch', () => {
    const events = [stage(1, 'r')];
    expect(appendEvents(events, [])).toBe(events);
  });

  it('stays bounded through the store', () => {
    useTrace.getState().clear();
    for (let i = 0; i < 30; i++) useTrace.getState().push(Array.from({ length: 100 }, (_, j) => stage(i * 100 + j + 1, `${i}`)));
    const { events } = useTrace.getState();
    expect(events).toHaveLength(2_000);
    expect(events[0]!.seq).toBe(1_001);
    expect(events.at(-1)!.seq).toBe(3_000);
  });

  it('groups by request id, memoized, and names each request’s user', () => {
    const events = [stage(1, 'a', 'authentication', 'kubernetes-admin'), stage(2, 'b', 'authentication', 'system:kube-scheduler'), stage(3, 'a'), stage(4, 'a', 'storage')];
    const groups = groupByRequest(events);
    expect([...groups.keys()]).toEqual(['a', 'b']);
    expect(seqs(groups.get('a')!)).toEqual([1, 3, 4]);
    expect(groupByRequest(events)).toBe(groups);
    expect(requestUsers(events)).toEqual(new Map([['a', 'kubernetes-admin'], ['b', 'system:kube-scheduler']]));
  });
});
