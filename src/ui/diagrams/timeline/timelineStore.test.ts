/** The request timeline's capture of relevant trace events. */
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { capture } from './timelineStore.ts';

const stage = (seq: number, resource: string, detail?: string): TraceEvent => ({ seq, time: seq, component: 'apiserver', kind: 'stage', request: `${seq}`, stage: 'authentication', verb: 'create', resource, namespace: 'default', name: 'x', outcome: 'ok', ...(detail ? { detail } : {}) });
const empty = { events: [], lastSeq: 0, latestKubectlRequest: undefined };

describe('timeline capture', () => {
  it('keeps the relevant new events, notes the last kubectl request, and drops the oldest past capacity', () => {
    const ring = [stage(1, 'pods', 'kubernetes-admin'), stage(2, 'leases', 'system:kube-scheduler'), stage(3, 'pods', 'system:kube-scheduler')];
    const a = capture(empty, ring);
    expect(a.events.map((e) => e.seq)).toEqual([1, 3]);
    expect(a.latestKubectlRequest).toBe('1');
    const b = capture(a, [...ring.slice(1), stage(4, 'deployments', 'kubernetes-admin'), stage(5, 'pods')], 3);
    expect(b.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(b.latestKubectlRequest).toBe('4');
    expect(capture(b, ring.slice(0, 1))).toMatchObject({ events: [ring[0]], lastSeq: 1, latestKubectlRequest: '1' });
  });

  it('is unchanged when nothing new arrived', () => {
    const a = capture(empty, [stage(1, 'pods')]);
    expect(capture(a, [stage(1, 'pods')])).toBe(a);
  });
});
