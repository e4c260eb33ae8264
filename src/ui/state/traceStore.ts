/**
 * The UI's window on the cluster's trace: the last TRACE_BUFFER events the worker sent with
 * `subscribeTrace`, oldest first, and the same events grouped by API request (the Audit-ID the trace
 * numbers). Bounded so the main thread stays light however long the lab runs: a batch appends, the oldest
 * events fall off. A batch whose sequence numbers start over is a fresh cluster's (`lab reset`): the old
 * cluster's events are dropped.
 */
import { create } from 'zustand';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';

/** How many recent events the UI keeps. */
export const TRACE_BUFFER = 2_000;

interface TraceState {
  /** The recent events, oldest first, at most TRACE_BUFFER. */
  events: readonly TraceEvent[];
  /** Add one batch from the worker. */
  push(batch: readonly TraceEvent[]): void;
  clear(): void;
}

/** `events` with `batch` appended, in seq order, at most `capacity` long (a pure function, for the store and its tests). */
export function appendEvents(events: readonly TraceEvent[], batch: readonly TraceEvent[], capacity = TRACE_BUFFER): readonly TraceEvent[] {
  if (batch.length === 0) return events;
  let sorted = batch;
  for (let i = 1; i < batch.length; i++) {
    if (batch[i]!.seq < batch[i - 1]!.seq) {
      sorted = [...batch].sort((a, b) => a.seq - b.seq);
      break;
    }
  }
  const last = events.at(-1);
  const base = last !== undefined && sorted[0]!.seq <= last.seq ? [] : events;
  const keepOld = Math.max(0, capacity - sorted.length);
  const next = [...base.slice(Math.max(0, base.length - keepOld)), ...sorted.slice(Math.max(0, sorted.length - capacity))];
  return next;
}

type PushListener = (batch: readonly TraceEvent[]) => void;
const pushListeners = new Set<PushListener>();

/** Each batch pushed, after the store has taken it (the presenter relays them to the audience window). */
export function onDidPushTrace(listener: PushListener): () => void {
  pushListeners.add(listener);
  return () => pushListeners.delete(listener);
}

export const useTrace = create<TraceState>()((set) => ({
  events: [],
  push: (batch) => {
    set((s) => ({ events: appendEvents(s.events, batch) }));
    for (const listener of pushListeners) listener(batch);
  },
  clear: () => set({ events: [] }),
}));

/** The events of each API request, oldest first, by request id. */
export type RequestGroups = ReadonlyMap<string, readonly TraceEvent[]>;

const groupsCache = new WeakMap<readonly TraceEvent[], RequestGroups>();

/** `events` grouped by their `request` (events with none are left out); memoized per events array. */
export function groupByRequest(events: readonly TraceEvent[]): RequestGroups {
  const cached = groupsCache.get(events);
  if (cached) return cached;
  const groups = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.request === undefined) continue;
    const group = groups.get(e.request);
    if (group) group.push(e);
    else groups.set(e.request, [e]);
  }
  groupsCache.set(events, groups);
  return groups;
}

/** Who sent each request: the user its authentication stage names (`kubernetes-admin`, `system:kube-scheduler`…). */
export function requestUsers(events: readonly TraceEvent[]): ReadonlyMap<string, string> {
  const users = new Map<string, string>();
  for (const e of events) {
    if (e.component === 'apiserver' && e.stage === 'authentication' && e.request !== undefined && e.detail !== undefined) users.set(e.request, e.detail);
  }
  return users;
}
