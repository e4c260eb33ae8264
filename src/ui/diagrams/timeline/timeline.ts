/**
 * The request timeline's model: from trace events, the last kubectl command and the chain of work it
 * caused, as swimlanes on virtual time. A pure function of the events (unit-tested on a real lab's trace).
 *
 * Which events are the command's:
 * - the command is the last burst of requests the student's kubectl sent (user `kubernetes-admin`, as the
 *   lab's kubeconfig authenticates it): the last such request and those before it with gaps of at most
 *   COMMAND_GAP_MS;
 * - a request's writes are the objects its events name; the `watch` events that carry its id are the
 *   informers that saw them (the cache delivers them as the write commits);
 * - a client that saw a chain object and then writes an object of the chain — the same object, or one
 *   named after it as controllers name what they create (`web` → `web-7d4b9` → `web-7d4b9-x2x5k`) — joins
 *   the chain with that request (a Deployment's ReplicaSet, its Pods, the scheduler's binding, the
 *   kubelet's status), up to HORIZON_MS after the command;
 * - the scheduler's decisions for the chain's pods, their lifecycle CRI calls (and the image pulls on
 *   their node between sandbox and container), and runc's task create/start for their sandboxes and
 *   containers.
 * Leases and Events are left out (heartbeats and records, not the command's work), and so is the lab's own
 * diagram feed among the watchers.
 *
 * `truncated` says the events no longer hold the last command: the caller saw a later kubectl request
 * (`latestKubectlRequest`, noted as events arrived) than any whose start the events still hold, so what is
 * drawn is an earlier command.
 */
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';

/** The lab's kubectl user (kubeadm's admin kubeconfig). */
export const KUBECTL_USER = 'kubernetes-admin';
/** The lab's own diagram feed, not a cluster component. */
export const DIAGRAMS_USER = 'kubelab:diagrams';
/** kubectl requests at most this far apart are one command. */
export const COMMAND_GAP_MS = 1_000;
/** How long after the command the chain is followed. */
export const HORIZON_MS = 120_000;
/** Resources whose writes are not part of a command's work. */
const IGNORED_RESOURCES = new Set(['leases', 'events']);
/** The CRI calls that make, start, stop and remove a pod's sandbox and containers (not the status polls). */
export const LIFECYCLE_CALLS = new Set(['RunPodSandbox', 'StopPodSandbox', 'RemovePodSandbox', 'PullImage', 'CreateContainer', 'StartContainer', 'StopContainer', 'RemoveContainer', 'Exec', 'ExecSync', 'Attach', 'PortForward']);
/** The apiserver's stages, in order, as lanes (storage is etcd). */
export const STAGE_LANES = ['authentication', 'authorization', 'admission', 'validation', 'storage', 'response'] as const;
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export type LaneKind = 'kubectl' | 'stage' | 'client' | 'cri' | 'runc';

export interface Lane {
  id: string;
  kind: LaneKind;
  /** The stage (`authentication`…), the client (`kube-scheduler`, `kubelet worker-1`…) or the node. */
  name: string;
}

export type ItemKind = 'request' | 'stage' | 'etcd' | 'watch' | 'decision' | 'cri' | 'runc';

export interface Item {
  id: string;
  lane: string;
  kind: ItemKind;
  /** Virtual time, ms. */
  start: number;
  end: number;
  /**
   * The trace sequence number of the event that places it (its end, for a CRI call): the order within a
   * ms. A write's etcd step is placed just before the first watch event it caused.
   */
  seq: number;
  /** A short label (Kubernetes, CRI and runc terms). */
  label: string;
  /** Lines for the details panel. */
  details: string[];
  failed: boolean;
  request?: string;
  /** For a scheduler decision: the pod, to show its full filter and score table. */
  pod?: { namespace: string; name: string };
}

export interface Timeline {
  /** What the command asked the apiserver, one line per request (`create pods default/pod1`). */
  command: string[];
  start: number;
  end: number;
  lanes: Lane[];
  items: Item[];
  /** The objects the chain wrote (`pods default/pod1`). */
  objects: string[];
  truncated: boolean;
}

export interface TimelineOptions {
  /** The id of the last kubectl request the caller saw, even if its buffer has dropped it since. */
  latestKubectlRequest?: string;
}

type Of<C extends TraceEvent['component']> = Extract<TraceEvent, { component: C }>;

interface Request {
  id: string;
  events: Of<'apiserver'>[];
  user: string | undefined;
  start: number;
  end: number;
  verb: string;
  resource: string;
  namespace: string;
  /** The object's name (the generated one for generateName creates, from the later stages). */
  name: string;
  subresource: string | undefined;
}

/** A client's lane name from its user. */
export function clientName(user: string): string {
  if (user === KUBECTL_USER) return 'kubectl';
  if (user === 'system:kube-scheduler') return 'kube-scheduler';
  if (user === 'system:kube-controller-manager' || /^system:serviceaccount:kube-system:.*-controller$/.test(user)) return 'kube-controller-manager';
  if (user.startsWith('system:node:')) return `kubelet ${user.slice('system:node:'.length)}`;
  const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(user);
  if (sa) return sa[2]!;
  return user;
}

function requestsOf(events: readonly TraceEvent[]): Map<string, Request> {
  const requests = new Map<string, Request>();
  for (const e of events) {
    if (e.component !== 'apiserver' || e.request === undefined) continue;
    let r = requests.get(e.request);
    if (!r) {
      r = { id: e.request, events: [], user: undefined, start: e.time, end: e.time, verb: e.verb, resource: e.resource, namespace: e.namespace, name: '', subresource: undefined };
      requests.set(e.request, r);
    }
    r.events.push(e);
    r.end = e.time;
    if (e.stage === 'authentication' && e.outcome === 'ok') r.user = e.detail;
    if (e.name) r.name = e.name;
    // The storage stage of a subresource names it (`binding`, `scale`, `exec`); other details have spaces.
    if (e.stage === 'storage' && e.detail && !e.detail.includes(' ')) r.subresource = e.detail;
  }
  return requests;
}

const objectKey = (resource: string, namespace: string, name: string) => `${resource} ${namespace ? `${namespace}/` : ''}${name}`;

/** Whether `name` is a chain name or named after one (generateName: `<owner>-<suffix>`). */
function related(names: ReadonlySet<string>, namespace: string, name: string): boolean {
  if (!name) return false;
  for (const chain of names) {
    const slash = chain.indexOf('/');
    if (chain.slice(0, slash) !== namespace) continue;
    const owner = chain.slice(slash + 1);
    if (name === owner || name.startsWith(`${owner}-`)) return true;
  }
  return false;
}

function requestLabel(r: Request): string {
  return `${r.verb} ${r.resource}${r.subresource ? `/${r.subresource}` : ''}${r.name ? ` ${r.namespace ? `${r.namespace}/` : ''}${r.name}` : ''}`;
}

function failedOf(r: Request): boolean {
  return r.events.some((e) => e.outcome !== 'ok');
}

/** The timeline of the last kubectl command in `events` (oldest first), or undefined when there is none. */
export function buildTimeline(events: readonly TraceEvent[], options: TimelineOptions = {}): Timeline | undefined {
  const requests = requestsOf(events);
  const kubectl = [...requests.values()].filter((r) => r.user === KUBECTL_USER);
  if (kubectl.length === 0) return undefined;
  const command: Request[] = [kubectl.at(-1)!];
  for (let i = kubectl.length - 2; i >= 0 && command[0]!.start - kubectl[i]!.end <= COMMAND_GAP_MS; i--) command.unshift(kubectl[i]!);
  const first = command[0]!;
  const start = first.start;
  const horizon = start + HORIZON_MS;
  const truncated = options.latestKubectlRequest !== undefined && options.latestKubectlRequest !== command.at(-1)!.id;

  const chain = new Set(command.map((r) => r.id));
  const names = new Set<string>();
  const objects = new Set<string>();
  const pods = new Set<string>();
  const noteObject = (resource: string, namespace: string, name: string) => {
    if (!name || IGNORED_RESOURCES.has(resource)) return;
    objects.add(objectKey(resource, namespace, name));
    names.add(`${namespace}/${name}`);
    if (resource === 'pods') pods.add(`${namespace}/${name}`);
  };
  for (const r of command) if (WRITE_VERBS.has(r.verb)) noteObject(r.resource, r.namespace, r.name);

  const items: Item[] = [];
  const lanes = new Map<string, Lane>();
  const lane = (id: string, kind: LaneKind, name: string) => {
    if (!lanes.has(id)) lanes.set(id, { id, kind, name });
    return id;
  };
  lane('kubectl', 'kubectl', 'kubectl');
  for (const stage of STAGE_LANES) lane(`stage:${stage}`, 'stage', stage);
  const sawAt = new Map<string, number>();
  const seenRequests = new Set<string>();
  const criIds = new Map<string, string>();
  const pulls: Of<'cri'>[] = [];
  const runcs: Of<'runc'>[] = [];
  const podSpans = new Map<string, { node: string; sandboxEnd: number; started: number }>();
  /** kubectl's discovery requests (`/api`, `/apis/apps/v1`…), drawn as one item. */
  const discovery: Request[] = [];

  for (const e of events) {
    if (e.time < start || e.time > horizon) continue;
    if (e.component === 'apiserver' && e.request !== undefined && !seenRequests.has(e.request)) {
      seenRequests.add(e.request);
      const r = requests.get(e.request)!;
      if (!chain.has(r.id) && r.user !== undefined && r.user !== KUBECTL_USER && WRITE_VERBS.has(r.verb) && !IGNORED_RESOURCES.has(r.resource)) {
        const saw = sawAt.get(r.user);
        if (saw !== undefined && saw <= r.start && related(names, r.namespace, r.name)) {
          chain.add(r.id);
          noteObject(r.resource, r.namespace, r.name);
        }
      }
      if (chain.has(r.id) && r.resource.startsWith('/')) discovery.push(r);
      else if (chain.has(r.id)) addRequest(r, items, lane);
    } else if (e.component === 'watch' && e.request !== undefined && chain.has(e.request) && e.watcher !== DIAGRAMS_USER && !IGNORED_RESOURCES.has(e.resource)) {
      if (!sawAt.has(e.watcher)) sawAt.set(e.watcher, e.time);
      noteObject(e.resource, e.namespace, e.name);
      items.push({
        id: `watch:${e.seq}`,
        seq: e.seq,
        lane: lane(`client:${clientName(e.watcher)}`, 'client', clientName(e.watcher)),
        kind: 'watch',
        start: e.time,
        end: e.time,
        label: `${e.type} ${e.resource}/${e.name}`,
        details: [`${e.type} ${objectKey(e.resource, e.namespace, e.name)}`, `resourceVersion ${e.revision}`, `${e.watcher}${e.userAgent ? ` (${e.userAgent})` : ''}`],
        failed: false,
        request: e.request,
      });
    } else if (e.component === 'scheduler' && pods.has(`${e.namespace}/${e.name}`)) {
      items.push({
        id: `decision:${e.seq}`,
        seq: e.seq,
        lane: lane('client:kube-scheduler', 'client', 'kube-scheduler'),
        kind: 'decision',
        start: e.time,
        end: e.time,
        label: e.node !== undefined ? `→ ${e.node}` : 'Unschedulable',
        details: [
          `${e.namespace}/${e.name} #${e.attempt}`,
          e.node !== undefined ? `node ${e.node}` : (e.message ?? ''),
          `${e.nodesEvaluated}/${e.nodesTotal} nodes evaluated, ${e.scores.length} feasible`,
          ...e.scores.map((s) => `score ${s.node} ${s.total}`),
          ...e.rejected.map((x) => `filtered ${x.node}${x.plugin ? ` (${x.plugin})` : ''}`),
        ].filter((line) => line !== ''),
        failed: e.node === undefined,
        pod: { namespace: e.namespace, name: e.name },
      });
    } else if (e.component === 'cri' && e.node !== undefined && LIFECYCLE_CALLS.has(e.method)) {
      if (e.pod === undefined) {
        if (e.method === 'PullImage') pulls.push(e);
        continue;
      }
      if (!pods.has(e.pod)) continue;
      if (e.target !== undefined) criIds.set(e.target, e.pod);
      const end = e.startedAt + e.durationMs;
      if (e.method === 'RunPodSandbox') podSpans.set(e.pod, { node: e.node, sandboxEnd: end, started: end });
      const span = podSpans.get(e.pod);
      if (e.method === 'StartContainer' && span) span.started = Math.max(span.started, end);
      items.push(criItem(e, lane));
    } else if (e.component === 'runc') {
      runcs.push(e);
    }
  }
  if (discovery.length > 0) {
    const paths = discovery.map((r) => r.resource);
    items.push({ id: `discovery:${discovery[0]!.id}`, seq: discovery[0]!.events[0]!.seq, lane: 'kubectl', kind: 'request', start: discovery[0]!.start, end: discovery.at(-1)!.end, label: `discovery ×${discovery.length}`, details: [`GET ${paths.join(', ')}`], failed: discovery.some(failedOf) });
  }
  for (const pull of pulls) {
    const start = pull.startedAt;
    if ([...podSpans.values()].some((s) => s.node === pull.node && start >= s.sandboxEnd && start <= s.started)) items.push(criItem(pull, lane));
  }
  for (const r of runcs) {
    const pod = r.pod ?? criIds.get(r.containerId);
    if (pod === undefined || !pods.has(pod) || r.node === undefined) continue;
    items.push({
      id: `runc:${r.seq}`,
      seq: r.seq,
      lane: lane(`runc:${r.node}`, 'runc', r.node),
      kind: 'runc',
      start: r.time,
      end: r.time,
      label: `runc ${r.kind} ${r.containerId.slice(0, 12)}`,
      details: [`runc ${r.kind} ${r.containerId}`, `pid ${r.pid}`, pod],
      failed: false,
    });
  }

  const used = new Set(items.map((i) => i.lane));
  const laneList = [...lanes.values()].filter((l) => used.has(l.id) || l.kind === 'kubectl');
  // kubectl, the stages, the clients, then each node's CRI lane with its runc lane, nodes as they appear.
  const nodes = [...new Set(laneList.filter((l) => l.kind === 'cri' || l.kind === 'runc').map((l) => l.name))];
  const rank = (l: Lane) => {
    if (l.kind === 'cri' || l.kind === 'runc') return 3 + nodes.indexOf(l.name) * 2 + (l.kind === 'runc' ? 1 : 0);
    return ['kubectl', 'stage', 'client'].indexOf(l.kind);
  };
  laneList.sort((a, b) => rank(a) - rank(b));
  // A write commits before the watch events it causes are sent, though its storage stage is reported after.
  const firstSeen = new Map<string, number>();
  for (const i of items) if (i.kind === 'watch' && i.request !== undefined && !(i.seq >= (firstSeen.get(i.request) ?? Infinity))) firstSeen.set(i.request, i.seq);
  for (const i of items) {
    const seen = i.kind === 'etcd' && i.request !== undefined ? firstSeen.get(i.request) : undefined;
    if (seen !== undefined && seen < i.seq) i.seq = seen - 0.5;
  }
  items.sort((a, b) => a.start - b.start || a.seq - b.seq);
  return {
    command: command.filter((r) => !r.resource.startsWith('/')).map(requestLabel),
    start,
    end: Math.max(start + 1, ...items.map((i) => i.end)),
    lanes: laneList,
    items,
    objects: [...objects],
    truncated,
  };
}

function addRequest(r: Request, items: Item[], lane: (id: string, kind: LaneKind, name: string) => string): void {
  const label = requestLabel(r);
  const client = r.user === KUBECTL_USER ? lane('kubectl', 'kubectl', 'kubectl') : lane(`client:${clientName(r.user ?? '?')}`, 'client', clientName(r.user ?? '?'));
  items.push({ id: `request:${r.id}`, seq: r.events[0]!.seq, lane: client, kind: 'request', start: r.start, end: r.end, label, details: [label, `${r.user ?? ''}`, `request ${r.id}`], failed: failedOf(r), request: r.id });
  // One item per stage: admission's plugins folded into one.
  const byStage = new Map<string, Of<'apiserver'>[]>();
  for (const e of r.events) {
    const list = byStage.get(e.stage);
    if (list) list.push(e);
    else byStage.set(e.stage, [e]);
  }
  for (const [stage, list] of byStage) {
    const last = list.at(-1)!;
    const failed = list.some((e) => e.outcome !== 'ok');
    const revision = list.find((e) => e.revision !== undefined)?.revision;
    const isEtcd = stage === 'storage';
    items.push({
      id: `stage:${r.id}:${stage}`,
      seq: list[0]!.seq,
      lane: `stage:${stage}`,
      kind: isEtcd ? 'etcd' : 'stage',
      start: list[0]!.time,
      end: last.time,
      label: isEtcd ? (revision !== undefined ? `rev ${revision}` : (last.detail ?? r.verb)) : stage === 'admission' ? `${list.length} plugins` : failed ? last.outcome : stage === 'authentication' && r.user !== undefined ? clientName(r.user) : (last.detail ?? 'ok'),
      details: [label, ...list.map((e) => `${e.stage} ${e.outcome}${e.detail ? ` ${e.detail}` : ''}${e.revision !== undefined ? ` revision ${e.revision}` : ''}`)],
      failed,
      request: r.id,
    });
  }
}

function criItem(e: Of<'cri'>, lane: (id: string, kind: LaneKind, name: string) => string): Item {
  return {
    id: `cri:${e.seq}`,
    seq: e.seq,
    lane: lane(`cri:${e.node ?? ''}`, 'cri', e.node ?? ''),
    kind: 'cri',
    start: e.startedAt,
    end: e.startedAt + e.durationMs,
    label: e.method,
    details: [`${e.service}/${e.method}`, ...(e.target ? [e.target] : []), ...(e.pod ? [e.pod] : []), `${e.durationMs} ms`, ...(e.error ? [`${e.error.code}: ${e.error.message}`] : [])],
    failed: e.error !== undefined,
  };
}

/**
 * Whether an event can be part of a command's timeline: what a capture keeps so that its buffer is not
 * filled by heartbeats (lease renewals, Events, the kubelets' status polls of the CRI, the lab's own feed).
 */
export function isTimelineRelevant(e: TraceEvent): boolean {
  switch (e.component) {
    case 'apiserver':
      return !IGNORED_RESOURCES.has(e.resource);
    case 'watch':
      return e.watcher !== DIAGRAMS_USER && !IGNORED_RESOURCES.has(e.resource);
    case 'cri':
      return LIFECYCLE_CALLS.has(e.method);
    case 'scheduler':
    case 'runc':
      return true;
    default:
      return false;
  }
}
