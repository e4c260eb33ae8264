/**
 * flights — the dots the architecture diagram animates, one per API request: its anchors in order, when
 * it set off (wall time) and how it ended. A dot moves one hop every HOP_MS, so an apiserver request
 * (client → five or six stages → back) takes about 600 ms; events that arrive later for the same request
 * (an exec's kubelet and CRI steps) extend its path while it flies. Pure: the component keeps the list in
 * state and asks where each dot is now.
 */
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { anchorsOf, clientOf, outcomeOf, type Anchor, type Outcome } from './architecture.ts';

export const HOP_MS = 80;
/** How long a finished dot stays at its last anchor; a refused one stays longer, to be read. */
export const LINGER_MS = 300;
export const FAILED_LINGER_MS = 1_500;
/** Dots in flight at most; requests beyond are counted, not drawn. */
export const MAX_FLIGHTS = 40;
/** Requests that arrive in one batch set off this far apart, so a burst is a stream, not one stacked dot. */
export const STAGGER_MS = 35;
const MAX_STAGGER_MS = 600;

export interface Flight {
  request: string;
  anchors: Anchor[];
  outcome: Outcome;
  /** Wall time it set off, ms. */
  start: number;
  /** `verb resource`, for its tooltip. */
  label: string;
}

export function flightEnd(f: Flight): number {
  return f.start + (f.anchors.length - 1) * HOP_MS + (f.outcome === 'ok' ? LINGER_MS : FAILED_LINGER_MS);
}

/** The flights after `events` (new ones, in seq order) arrived at wall time `now`, and how many requests were not drawn. */
export function addEvents(flights: readonly Flight[], events: readonly TraceEvent[], users: ReadonlyMap<string, string>, now: number): { flights: Flight[]; dropped: number } {
  const groups = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.request === undefined) continue;
    const group = groups.get(e.request);
    if (group) group.push(e);
    else groups.set(e.request, [e]);
  }
  if (groups.size === 0) return { flights: [...flights], dropped: 0 };
  const next = flights.filter((f) => flightEnd(f) > now);
  let dropped = 0;
  let started = 0;
  for (const [request, group] of groups) {
    const hops = anchorsOf(group);
    let returns = group.some((e) => e.component === 'apiserver' && (e.stage === 'response' || e.stage === 'storage') && e.outcome === 'ok');
    // A get or list is answered from the watch cache right after authorization, with no stage of its own
    // on the trace (its stages all arrive in one batch): draw its way out through the response.
    const last = [...group].reverse().find((e) => e.component === 'apiserver');
    if (!returns && last?.component === 'apiserver' && last.stage === 'authorization' && last.outcome === 'ok' && (last.verb === 'get' || last.verb === 'list') && group.at(-1) === last) {
      hops.push('stage:response');
      returns = true;
    }
    const i = next.findIndex((f) => f.request === request);
    if (i >= 0) {
      const f = next[i]!;
      const anchors = [...f.anchors];
      for (const a of hops) if (anchors.at(-1) !== a) anchors.push(a);
      const outcome = worst(f.outcome, outcomeOf(group));
      next[i] = { ...f, anchors, outcome };
      continue;
    }
    if (hops.length === 0) continue;
    const first = group.find((e) => e.component === 'apiserver');
    const client = first?.component === 'apiserver' && first.stage === 'authentication' ? clientOf(users.get(request)) : undefined;
    if (next.length >= MAX_FLIGHTS) {
      // The student's own commands and any refusal come first: such a request takes the place of the
      // oldest ordinary one (another client's, answered).
      const ordinary = (f: Flight) => f.anchors[0] !== 'kubectl' && f.outcome === 'ok';
      const urgent = client === 'kubectl' || outcomeOf(group) !== 'ok';
      const oldest = urgent ? next.findIndex(ordinary) : -1;
      dropped++;
      if (oldest < 0) continue;
      next.splice(oldest, 1);
    }
    const anchors: Anchor[] = client ? [client, ...hops] : hops;
    if (client && returns && anchors.at(-1) !== client) anchors.push(client);
    next.push({ request, anchors, outcome: outcomeOf(group), start: now + Math.min(started++ * STAGGER_MS, MAX_STAGGER_MS), label: first?.component === 'apiserver' ? `${first.verb} ${first.resource}` : (group[0]?.component ?? '') });
  }
  return { flights: next, dropped };
}

function worst(a: Outcome, b: Outcome): Outcome {
  if (a === 'denied' || b === 'denied') return 'denied';
  return a === 'error' || b === 'error' ? 'error' : 'ok';
}

export interface Point {
  x: number;
  y: number;
}

/** Where flight `f`'s dot is at wall time `now`, given each anchor's point (anchors with none are skipped). */
export function positionAt(f: Flight, now: number, pointOf: (a: Anchor) => Point | undefined): Point | undefined {
  const points = f.anchors.map(pointOf).filter((p): p is Point => p !== undefined);
  if (points.length === 0) return undefined;
  const progress = Math.max(0, (now - f.start) / HOP_MS);
  const i = Math.min(Math.floor(progress), points.length - 1);
  const a = points[i]!;
  const b = points[Math.min(i + 1, points.length - 1)]!;
  const t = i >= points.length - 1 ? 0 : easeInOut(progress - i);
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
}

function easeInOut(t: number): number {
  return t < 0.5 ? 2 * t * t : 1 - (-2 * t + 2) ** 2 / 2;
}
