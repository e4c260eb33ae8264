/**
 * The request timeline's capture: the trace events that can belong to a command (timeline.ts,
 * `isTimelineRelevant`), copied from the UI's trace ring as they arrive, so that heartbeats do not push a
 * command's start out before its pods have started. Bounded to CAPTURE events, oldest dropped first. It
 * also notes the id of the last kubectl request it saw, so the diagram can tell when that request has
 * been dropped. A trace that starts over (a fresh cluster after `lab reset`) starts the capture over.
 */
import { create } from 'zustand';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { useTrace } from '../../state/traceStore.ts';
import { isTimelineRelevant, KUBECTL_USER } from './timeline.ts';

/** How many relevant events the capture keeps. */
export const CAPTURE = 8_000;

interface CaptureState {
  events: readonly TraceEvent[];
  /** The last trace event seen (relevant or not). */
  lastSeq: number;
  latestKubectlRequest: string | undefined;
}

export const useTimelineCapture = create<CaptureState>()(() => ({ events: [], lastSeq: 0, latestKubectlRequest: undefined }));

/** `state` after the ring `ring` (oldest first) was appended to: a pure step, for the store and its tests. */
export function capture(state: CaptureState, ring: readonly TraceEvent[], capacity = CAPTURE): CaptureState {
  const last = ring.at(-1);
  if (!last || last.seq === state.lastSeq) return state;
  const restarted = last.seq < state.lastSeq;
  const since = restarted ? 0 : state.lastSeq;
  let events = restarted ? [] : state.events;
  let latest = restarted ? undefined : state.latestKubectlRequest;
  const added: TraceEvent[] = [];
  for (let i = ring.length - 1; i >= 0 && ring[i]!.seq > since; i--) {
    const e = ring[i]!;
    if (isTimelineRelevant(e)) added.push(e);
  }
  added.reverse();
  for (const e of added) if (e.component === 'apiserver' && e.stage === 'authentication' && e.detail === KUBECTL_USER && e.request !== undefined) latest = e.request;
  if (added.length > 0) {
    events = [...events, ...added];
    if (events.length > capacity) events = events.slice(events.length - capacity);
  }
  return { events, lastSeq: last.seq, latestKubectlRequest: latest };
}

useTrace.subscribe((s) => useTimelineCapture.setState((state) => capture(state, s.events)));
