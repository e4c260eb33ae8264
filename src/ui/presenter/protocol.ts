/**
 * The presenter ↔ audience protocol, over one BroadcastChannel (same origin, structured clone):
 *
 *   audience → presenter   hello {audience}           (on open, and again when a presenter appears)
 *                          watch {audience, watch, name, args}  (a diagram of the audience's uses a worker
 *                          unwatch {audience, watch}             view: the presenter watches it for it)
 *   presenter → audience   presenting                 (presenter mode switched on: waiting audiences say hello)
 *                          snapshot {diff, trace, view} (answer to hello: the whole lab as one `added` diff,
 *                                                       the trace the UI keeps, what the presenter shows)
 *                          diff {diff}                (each RecordsDiff the presenter's lab store applied)
 *                          trace {events}             (each batch the presenter's trace store took)
 *                          view {view}                (the open diagram, the highlight, theme or language changed)
 *                          viewUpdate {audience, watch, update}  (a watched view's value, or its error)
 *                          bye                        (presenter mode off, or the presenter's window closed)
 *
 * `audience` is a random id per audience window, so that several can follow one presenter.
 *
 * Everything sent is plain data: the diffs and trace events are what the worker already posted to the
 * page (so structured clone takes them), and the view is strings. Messages are checked on arrival;
 * anything else on the channel is ignored.
 */
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { ObjectRecord } from '../../engine/cluster/clusterView.ts';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import type { TraceEvent } from '../../engine/trace/traceEvent.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';

export const CHANNEL = 'kubelab-presenter';

/** What the audience window mirrors besides the lab: the presenter's open diagram, highlight, theme and language. */
export interface PresenterView {
  diagram: string;
  highlight: string | null;
  theme: string;
  language: string;
}

export type PresenterMessage =
  | { type: 'presenting' }
  | { type: 'snapshot'; diff: RecordsDiff<LabRecord>; trace: TraceEvent[]; view: PresenterView }
  | { type: 'diff'; diff: RecordsDiff<LabRecord> }
  | { type: 'trace'; events: TraceEvent[] }
  | { type: 'view'; view: PresenterView }
  | { type: 'viewUpdate'; audience: string; watch: string; update: ViewUpdate<unknown> }
  | { type: 'bye' };

export type AudienceMessage =
  | { type: 'hello'; audience: string }
  | { type: 'watch'; audience: string; watch: string; name: string; args: unknown }
  | { type: 'unwatch'; audience: string; watch: string };

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isDiff(x: unknown): x is RecordsDiff<LabRecord> {
  return isRecord(x) && isRecord(x.added) && isRecord(x.updated) && isRecord(x.removed);
}

function isView(x: unknown): x is PresenterView {
  return isRecord(x) && typeof x.diagram === 'string' && (x.highlight === null || typeof x.highlight === 'string') && typeof x.theme === 'string' && typeof x.language === 'string';
}

/** `data` as a presenter's message, or undefined when it is not one. */
export function asPresenterMessage(data: unknown): PresenterMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case 'presenting':
    case 'bye':
      return { type: data.type };
    case 'snapshot':
      return isDiff(data.diff) && Array.isArray(data.trace) && isView(data.view) ? (data as PresenterMessage) : undefined;
    case 'diff':
      return isDiff(data.diff) ? (data as PresenterMessage) : undefined;
    case 'trace':
      return Array.isArray(data.events) ? (data as PresenterMessage) : undefined;
    case 'view':
      return isView(data.view) ? (data as PresenterMessage) : undefined;
    case 'viewUpdate':
      return typeof data.audience === 'string' && typeof data.watch === 'string' && isRecord(data.update) && ('value' in data.update || typeof data.update.error === 'string') ? (data as PresenterMessage) : undefined;
    default:
      return undefined;
  }
}

/** `data` as an audience window's message, or undefined when it is not one. */
export function asAudienceMessage(data: unknown): AudienceMessage | undefined {
  if (!isRecord(data) || typeof data.audience !== 'string') return undefined;
  switch (data.type) {
    case 'hello':
      return { type: 'hello', audience: data.audience };
    case 'watch':
      return typeof data.watch === 'string' && typeof data.name === 'string' ? { type: 'watch', audience: data.audience, watch: data.watch, name: data.name, args: data.args } : undefined;
    case 'unwatch':
      return typeof data.watch === 'string' ? { type: 'unwatch', audience: data.audience, watch: data.watch } : undefined;
    default:
      return undefined;
  }
}

/** The whole lab as one diff of additions: the lab's own records and the cluster's objects, by record id. */
export function snapshotDiff(records: Readonly<Record<string, LabRecord>>, objects: Readonly<Record<string, ObjectRecord>>): RecordsDiff<LabRecord> {
  return { added: { ...records, ...objects }, updated: {}, removed: {} };
}
