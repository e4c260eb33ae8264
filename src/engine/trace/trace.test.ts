/**
 * Trace's contract: events stamped with the virtual time and a growing sequence number, fired in emit
 * order, and a ring that keeps the last `capacity` of them, oldest first.
 */
import { describe, expect, it } from 'vitest';
import { Clock } from '../base/clock.ts';
import { Trace, TRACE_CAPACITY } from './trace.ts';
import type { TraceInput } from './traceEvent.ts';

const stage = (name: string): TraceInput => ({ component: 'apiserver', kind: 'stage', stage: 'authentication', verb: 'get', resource: 'pods', namespace: 'default', name, outcome: 'ok' });

describe('Trace', () => {
  it('stamps each event with the virtual time and the next sequence number, and fires it', () => {
    const clock = new Clock({ startTime: 1_000, paused: true });
    const trace = new Trace({ clock });
    const seen: string[] = [];
    trace.onDidTrace((e) => seen.push(`${e.seq}@${e.time} ${e.component === 'apiserver' ? e.name : ''}`));
    trace.emit(stage('a'));
    clock.advance(250);
    const b = trace.emit(stage('b'));
    expect(seen).toEqual(['1@1000 a', '2@1250 b']);
    expect(b).toMatchObject({ seq: 2, time: 1250, name: 'b' });
    expect(trace.capacity).toBe(TRACE_CAPACITY);
  });

  it.each([
    { capacity: 3, emitted: 2, kept: ['a0', 'a1'] },
    { capacity: 3, emitted: 3, kept: ['a0', 'a1', 'a2'] },
    { capacity: 3, emitted: 7, kept: ['a4', 'a5', 'a6'] },
    { capacity: 1, emitted: 4, kept: ['a3'] },
  ])('keeps the last $capacity of $emitted events, oldest first', ({ capacity, emitted, kept }) => {
    const trace = new Trace({ clock: new Clock({ paused: true }), capacity });
    for (let i = 0; i < emitted; i++) trace.emit(stage(`a${i}`));
    expect(trace.recent().map((e) => (e.component === 'apiserver' ? e.name : ''))).toEqual(kept);
  });

  it('forgets what it kept on clear, and numbers on', () => {
    const trace = new Trace({ clock: new Clock({ paused: true }), capacity: 2 });
    for (const name of ['a', 'b', 'c']) trace.emit(stage(name));
    trace.clear();
    expect(trace.recent()).toEqual([]);
    trace.emit(stage('d'));
    expect(trace.recent().map((e) => e.seq)).toEqual([4]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %s', (capacity) => {
    expect(() => new Trace({ clock: new Clock({ paused: true }), capacity })).toThrow(RangeError);
  });
});
