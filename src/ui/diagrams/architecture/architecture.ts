/**
 * architecture — what the architecture diagram knows of the trace, as pure functions: which component
 * each event belongs to (the side panel's "recent work"), which client sent each API request (the user
 * its authentication stage names), and the path a request's dot takes: from its client through the
 * apiserver's handler chain (authentication → authorization → admission → validation → etcd → response)
 * and, for `kubectl exec` / `logs` / `attach`, out to the node's kubelet and containerd.
 *
 * Left out: informer deliveries to watchers and the scheduler's and controllers' own queues (the trace
 * does not carry them yet); kube-proxy's requests are not told apart by node (they share one
 * ServiceAccount).
 */
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';

export const STAGES = ['authentication', 'authorization', 'admission', 'validation', 'storage', 'response'] as const;
export type StageName = (typeof STAGES)[number];

/** A box of the diagram: a control-plane component, a client, or a part of one node. */
export type ComponentId =
  | 'kube-apiserver'
  | 'etcd'
  | 'kube-scheduler'
  | 'kube-controller-manager'
  | 'kubectl'
  | 'other-clients'
  | `kubelet@${string}`
  | `kube-proxy@${string}`
  | `containerd@${string}`;

/** A point a dot passes: a component, or one of the apiserver's stage markers. */
export type Anchor = ComponentId | `stage:${StageName}`;

export type Outcome = 'ok' | 'denied' | 'error';

/** The client box a request comes from, by the user that sent it. */
export function clientOf(user: string | undefined): ComponentId {
  if (user === undefined) return 'other-clients';
  if (user === 'kubernetes-admin') return 'kubectl';
  if (user === 'system:kube-scheduler') return 'kube-scheduler';
  if (user === 'system:kube-controller-manager' || /^system:serviceaccount:kube-system:.*-controller$/.test(user)) return 'kube-controller-manager';
  if (user.startsWith('system:node:')) return `kubelet@${user.slice('system:node:'.length)}`;
  return 'other-clients';
}

/** Where on the diagram an event happens. */
export function anchorOf(e: TraceEvent): Anchor | undefined {
  switch (e.component) {
    case 'apiserver':
      return e.stage === 'storage' ? 'etcd' : `stage:${e.stage}`;
    case 'kubelet':
      return e.node ? `kubelet@${e.node}` : undefined;
    case 'cri':
    case 'streaming':
    case 'runtime':
      return e.node ? `containerd@${e.node}` : undefined;
  }
}

/**
 * The anchors of one request's events, in order: storage passes its stage marker on the way to etcd and
 * back; a request refused or failed at a stage stops there (its error response is not a further hop).
 */
export function anchorsOf(events: readonly TraceEvent[]): Anchor[] {
  const anchors: Anchor[] = [];
  const push = (a: Anchor) => {
    if (anchors.at(-1) !== a) anchors.push(a);
  };
  for (const e of events) {
    const anchor = anchorOf(e);
    if (!anchor) continue;
    if (anchor === 'etcd') {
      push('stage:storage');
      push('etcd');
      push('stage:storage');
    } else push(anchor);
    if (e.component === 'apiserver' && e.outcome !== 'ok') break;
  }
  return anchors;
}

/** A request's outcome: the worst any of its events reports. */
export function outcomeOf(events: readonly TraceEvent[]): Outcome {
  let outcome: Outcome = 'ok';
  for (const e of events) {
    if (e.component === 'apiserver' && e.outcome === 'denied') return 'denied';
    if (e.component === 'apiserver' && e.outcome === 'error') outcome = 'error';
    if (e.component === 'cri' && e.error) outcome = 'error';
    if (e.component === 'streaming' && e.kind === 'refused') outcome = 'error';
  }
  return outcome;
}

/** The components an event is part of (the side panel of each lists it). */
export function componentsOf(e: TraceEvent, user: string | undefined): ComponentId[] {
  switch (e.component) {
    case 'apiserver': {
      const ids: ComponentId[] = ['kube-apiserver', clientOf(user)];
      if (e.stage === 'storage') ids.push('etcd');
      if (user === 'system:serviceaccount:kube-system:kube-proxy') ids.push('kube-proxy@*');
      return ids;
    }
    case 'kubelet':
      return e.node ? [`kubelet@${e.node}`] : [];
    case 'cri':
    case 'streaming':
    case 'runtime':
    case 'runc':
      return e.node ? [`containerd@${e.node}`] : [];
    case 'watch':
      return [clientOf(e.watcher)];
    case 'scheduler':
      return ['kube-scheduler'];
  }
}

/** Whether component `id`'s panel lists events filed under `filed` (`kube-proxy@*` is every node's kube-proxy). */
function filedUnder(id: ComponentId, filed: readonly ComponentId[]): boolean {
  return filed.includes(id) || (id.startsWith('kube-proxy@') && filed.includes('kube-proxy@*'));
}

/** How many events a component's panel lists: a kubelet's routine CRI calls (a relist every second, a status
 * sync per pod) come a dozen at a time, so fewer would push a student's own request out within a second. */
export const RECENT_EVENTS = 50;

/** The last `limit` events of component `id`, newest first. */
export function recentOf(id: ComponentId, events: readonly TraceEvent[], users: ReadonlyMap<string, string>, limit = RECENT_EVENTS): TraceEvent[] {
  const found: TraceEvent[] = [];
  for (let i = events.length - 1; i >= 0 && found.length < limit; i--) {
    const e = events[i]!;
    if (filedUnder(id, componentsOf(e, e.request !== undefined ? users.get(e.request) : undefined))) found.push(e);
  }
  return found;
}

/** One line for an event, as a log would print it (Kubernetes and CRI terms, untranslated). */
export function describeEvent(e: TraceEvent): string {
  switch (e.component) {
    case 'apiserver': {
      const target = [e.resource, e.namespace && `-n ${e.namespace}`, e.name].filter(Boolean).join(' ');
      return `${e.stage} ${e.verb} ${target} ${e.outcome}${e.detail ? ` (${e.detail})` : ''}`;
    }
    case 'kubelet':
      if (e.kind === 'serve') return `serve ${e.method} ${e.path} ${e.status}`;
      if (e.kind === 'runtimeCall') return `CRI ${e.method} ${e.target}`;
      if (e.kind === 'connect') return `connect ${e.url}`;
      return `stream close ${e.status}${e.message ? ` ${e.message}` : ''}`;
    case 'cri':
      return `${e.service}/${e.method}${e.target ? ` ${e.target.slice(0, 13)}` : ''}${e.error ? ` ${e.error.code}: ${e.error.message}` : ''}`;
    case 'streaming':
      return e.kind === 'refused' ? `streaming refused ${e.status}` : `streaming ${e.session} ${e.kind}${e.kind === 'closed' && e.exitCode !== undefined ? ` exit ${e.exitCode}` : ''}`;
    case 'runtime':
      return e.kind === 'execStarted' ? `exec pid ${e.pid}${e.argv ? ` ${e.argv.join(' ')}` : ''}` : `exec pid ${e.pid} exited ${e.exitCode}`;
    case 'runc':
      return `runc ${e.kind} ${e.containerId.slice(0, 13)} pid ${e.pid}`;
    case 'watch':
      return `watch ${e.type} ${e.resource} ${e.namespace ? `${e.namespace}/` : ''}${e.name} @${e.revision} → ${e.watcher}`;
    case 'scheduler':
      return `schedule ${e.namespace}/${e.name} → ${e.node ?? e.message ?? ''}`;
  }
}

/** Whether an event reports a failure (drawn in the error colour). */
export function isFailure(e: TraceEvent): boolean {
  return (e.component === 'apiserver' && e.outcome !== 'ok') || (e.component === 'cri' && e.error !== undefined) || (e.component === 'streaming' && e.kind === 'refused');
}

/** Virtual time as the clock shows it: HH:MM:SS.mmm (UTC). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}
