/**
 * traceCluster — one Trace fed by a cluster's parts: the apiserver's handler stages, and for each full
 * node its CRI calls, its kubelet server, its CRI streaming server and the processes its containerd
 * starts for an exec (the `/tasks/exec-started` and `/tasks/exit` events of its exchange). The cluster
 * calls it once at construction and `attachNode` for each full node it adds.
 *
 * Correlation, derived from how the parts run (each step below happens synchronously inside the one
 * before it, so nothing else can come in between):
 * - an API request is numbered when it enters authentication; every stage after belongs to it, and a
 *   kubelet-server request served while it is open (until its `storage` or `response` stage) is the
 *   apiserver's proxied connect and belongs to it too;
 * - a kubelet stream's steps carry its server's request number, hence the API request;
 * - the kubelet announces a CRI streaming call (`runtimeCall`) just before making it, so the session the
 *   node's streaming server caches next is that call's, and the CRI call's returned URL names it;
 * - a process containerd starts on the node between a session's `connected` and `started` is that
 *   session's exec (the streaming server runs the runtime's handler synchronously up to the process
 *   start); its exit is matched by exec id.
 * Calls made outside these chains (crictl on the node, the kubelet's own syncs) have no `request`.
 *
 * A write's effects: the storage stage of a request that changed etcd's revision carries the new revision
 * (handling is synchronous: nothing else writes in between); the events watch streams send while it is
 * open are that write's, and carry its request id (the cache delivers them synchronously as etcd commits).
 * The scheduler's attempts (`followScheduler`) and each full node's CRI calls and runc task create/start
 * name their pod: a sandbox's pod from RunPodSandbox's config, a container's from its sandbox; a task
 * runc creates for a sandbox during RunPodSandbox is reported before its id is known, without `pod`.
 *
 * Left out: packets (another emitter joins the bus later), and the ContainerStatus call the kubelet makes
 * before Exec, which it does not announce.
 */
import type { Disposable, Event } from '../base/emitter.ts';
import type { StageEvent, WatchDelivery } from '../apiserver/server.ts';
import type { ScheduleExplanation } from '../scheduler/explanation.ts';
import type { Host } from '../kernel/host.ts';
import type { KubeletServe, KubeletStreamEvent } from '../kubelet/server/kubeletServer.ts';
import type { Envelope } from '../runtime/containerd/containerd.ts';
import type { CriCall } from '../runtime/cri/criService.ts';
import { STREAM_TOKEN_TTL_MS, type StreamingEvent } from '../runtime/cri/streamingServer.ts';
import { Trace, type TraceOptions } from './trace.ts';
import type { RuntimeExec } from './traceEvent.ts';

/** The apiserver, as the trace listens to it (KubeApiserver's `server`). */
export interface TracedApiserver {
  readonly onDidHandleStage: Event<StageEvent>;
  /** Each event a watch stream sends (absent: watch deliveries are not traced). */
  readonly onDidDeliverWatch?: Event<WatchDelivery>;
}

/** The scheduler, as the trace listens to it. */
export interface TracedScheduler {
  readonly onDidAttemptSchedule: Event<ScheduleExplanation>;
}

/** How many rejected nodes and scores a decision event lists at most. */
const DECISION_ROWS = 8;

/** A full node's parts, as the trace listens to them. */
export interface TracedNode {
  /** The node's CRI; its `streaming` server is followed too. */
  cri: { readonly onDidCall: Event<CriCall>; readonly streaming: { readonly onDidStream: Event<StreamingEvent> } };
  /** The node's containerd: its exchange, and its host to describe the processes an exec starts. */
  containerd: { readonly onDidPublish: Event<Envelope>; readonly host: Pick<Host, 'table'> };
  kubeletServer: { readonly onDidServe: Event<KubeletServe>; readonly onDidStream: Event<KubeletStreamEvent> };
}

export interface ClusterTraceParts extends TraceOptions {
  apiserver: TracedApiserver;
  /** The etcd the apiserver writes to, for the revision of each write (absent: storage stages carry none). */
  etcd?: { readonly revision: number };
  /** Full nodes to attach at once, by name. */
  nodes?: Iterable<readonly [string, TracedNode]>;
}

/** The containerd namespace the CRI works in. */
const K8S_NAMESPACE = 'k8s.io';

/** A Trace over a cluster's parts. */
export function traceCluster(parts: ClusterTraceParts): ClusterTrace {
  const trace = new ClusterTrace(parts);
  for (const [name, node] of parts.nodes ?? []) trace.attachNode(name, node);
  return trace;
}

/** What the trace knows of a streaming session while it lasts. */
interface Session {
  request: string | undefined;
  requestedAt: number;
  connected: boolean;
}

/** The trace's state for one attached node. */
interface NodeState {
  subscriptions: Disposable[];
  /** Kubelet-server request number → API request. */
  kubeletRequests: Map<number, string | undefined>;
  /** The API request of the CRI streaming call the kubelet announced and has not made yet. */
  calling: { request: string | undefined } | undefined;
  /** Live sessions by token. */
  sessions: Map<string, Session>;
  /** The session whose handler runs now (between `connected` and `started`). */
  connecting: { token: string; session: Session } | undefined;
  /** Exec ids started for a session → its token. */
  execs: Map<string, { token: string; session: Session; pid: number; containerId: string }>;
  /** Exits seen while a session connects, before their exec's start was published (an exec that ended at once). */
  earlyExits: Map<string, Envelope>;
  /** Sandbox and container ids → their pod (`namespace/name`), from the CRI calls that made them. */
  pods: Map<string, string>;
}

export class ClusterTrace extends Trace {
  private readonly nodes = new Map<string, NodeState>();
  private readonly subscriptions: Disposable[] = [];
  private readonly etcd: { readonly revision: number } | undefined;
  private nextRequest = 0;
  /**
   * The API request being handled: its id, whether it is still before its storage or response stage, and
   * etcd's revision when it came in.
   */
  private current: { id: string; open: boolean; revision: number | undefined } | undefined;

  constructor(parts: Omit<ClusterTraceParts, 'nodes'>) {
    super(parts);
    this.etcd = parts.etcd;
    this.subscriptions.push(parts.apiserver.onDidHandleStage((e) => this.onStage(e)));
    if (parts.apiserver.onDidDeliverWatch) this.subscriptions.push(parts.apiserver.onDidDeliverWatch((e) => this.onWatch(e)));
  }

  /** Follow the scheduler's attempts (the cluster's kube-scheduler, once it runs). */
  followScheduler(scheduler: TracedScheduler): Disposable {
    const subscription = scheduler.onDidAttemptSchedule((e) => this.onSchedule(e));
    this.subscriptions.push(subscription);
    return subscription;
  }

  /** Follow full node `name`'s parts (again, after a previous attach of that name is dropped). */
  attachNode(name: string, node: TracedNode): Disposable {
    this.detachNode(name);
    const state: NodeState = { subscriptions: [], kubeletRequests: new Map(), calling: undefined, sessions: new Map(), connecting: undefined, execs: new Map(), earlyExits: new Map(), pods: new Map() };
    this.nodes.set(name, state);
    state.subscriptions.push(
      node.kubeletServer.onDidServe((e) => this.onKubeletServe(name, state, e)),
      node.kubeletServer.onDidStream((e) => this.onKubeletStream(name, state, e)),
      node.cri.onDidCall((e) => this.onCriCall(name, state, e)),
      node.cri.streaming.onDidStream((e) => this.onStreaming(name, state, e)),
      node.containerd.onDidPublish((e) => this.onContainerdEvent(name, state, node.containerd.host, e)),
    );
    return { dispose: () => this.nodes.get(name) === state && this.detachNode(name) };
  }

  /** Stop following node `name` (removed from the cluster). */
  detachNode(name: string): void {
    const state = this.nodes.get(name);
    if (!state) return;
    for (const s of state.subscriptions) s.dispose();
    this.nodes.delete(name);
  }

  override dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    for (const name of [...this.nodes.keys()]) this.detachNode(name);
    super.dispose();
  }

  private onStage(e: StageEvent): void {
    if (e.stage === 'authentication' || !this.current) this.current = { id: `${++this.nextRequest}`, open: true, revision: this.etcd?.revision };
    const { id } = this.current;
    if (e.stage === 'storage' || e.stage === 'response') this.current.open = false;
    const revision = e.stage === 'storage' && this.etcd && this.current.revision !== undefined && this.etcd.revision !== this.current.revision ? this.etcd.revision : undefined;
    this.emit({
      component: 'apiserver',
      kind: 'stage',
      request: id,
      stage: e.stage,
      verb: e.verb,
      resource: e.resource,
      namespace: e.namespace,
      name: e.name,
      outcome: e.outcome,
      ...(e.detail !== undefined ? { detail: e.detail } : {}),
      ...(revision !== undefined ? { revision } : {}),
    });
  }

  private onWatch(e: WatchDelivery): void {
    const request = this.current?.open ? this.current.id : undefined;
    const { user, ...delivered } = e;
    this.emit({ component: 'watch', kind: 'event', ...ids(request), watcher: user, ...delivered });
  }

  private onSchedule(e: ScheduleExplanation): void {
    const scores = e.scores ? e.scores.nodes.map((node, i) => ({ node, total: e.scores!.totals[i] ?? 0 })).sort((a, b) => b.total - a.total || (a.node < b.node ? -1 : 1)) : [];
    this.emit({
      component: 'scheduler',
      kind: 'decision',
      namespace: e.namespace,
      name: e.name,
      attempt: e.attempt,
      ...(e.outcome.kind === 'Scheduled' ? { node: e.outcome.node } : { message: e.outcome.message }),
      nodesTotal: e.nodesTotal,
      nodesEvaluated: e.nodesEvaluated,
      rejected: e.rejected.slice(0, DECISION_ROWS).map((r) => ({ node: r.node, plugin: r.plugin })),
      scores: scores.slice(0, DECISION_ROWS),
    });
  }

  private onKubeletServe(node: string, state: NodeState, e: KubeletServe): void {
    const request = this.current?.open ? this.current.id : undefined;
    if (e.status === 101) state.kubeletRequests.set(e.id, request);
    const { id: _id, time: _time, ...served } = e;
    this.emit({
      component: 'kubelet',
      kind: 'serve',
      node,
      ...ids(request),
      kubeletRequest: e.id,
      ...served,
      ...(e.command ? { command: [...e.command] } : {}),
    });
  }

  private onKubeletStream(node: string, state: NodeState, e: KubeletStreamEvent): void {
    const request = state.kubeletRequests.get(e.id);
    const base = { component: 'kubelet', node, ...ids(request), kubeletRequest: e.id } as const;
    switch (e.phase) {
      case 'runtimeCall':
        state.calling = { request };
        this.emit({ ...base, kind: 'runtimeCall', method: e.method, target: e.target });
        return;
      case 'connect':
        this.emit({ ...base, kind: 'connect', url: e.url, ...ids(undefined, tokenOf(e.url)) });
        return;
      case 'close':
        state.kubeletRequests.delete(e.id);
        this.emit({ ...base, kind: 'close', status: e.status, ...(e.message !== undefined ? { message: e.message } : {}) });
        return;
    }
  }

  private onCriCall(node: string, state: NodeState, call: CriCall): void {
    const url = urlOf(call.response);
    const token = url !== undefined ? tokenOf(url) : undefined;
    let request: string | undefined;
    if (call.method === 'Exec' || call.method === 'Attach' || call.method === 'PortForward') {
      request = token !== undefined ? state.sessions.get(token)?.request : state.calling?.request;
      state.calling = undefined;
    }
    const target = targetOf(call.request) ?? (call.method === 'RunPodSandbox' ? targetOf(call.response) : undefined);
    const pod = podOf(state.pods, call);
    this.emit({
      component: 'cri',
      kind: 'call',
      node,
      ...ids(request, token),
      service: call.service,
      method: call.method,
      ...(target !== undefined ? { target } : {}),
      ...(pod !== undefined ? { pod } : {}),
      ...(url !== undefined ? { url } : {}),
      ...(call.error ? { error: { code: call.error.code, message: call.error.desc } } : {}),
      startedAt: call.time,
      durationMs: call.durationMs,
    });
  }

  private onStreaming(node: string, state: NodeState, e: StreamingEvent): void {
    if (e.phase === 'refused') {
      this.emit({ component: 'streaming', kind: 'refused', node, url: e.url, status: e.status });
      return;
    }
    let session = state.sessions.get(e.token);
    if (e.phase === 'requested') {
      forgetExpired(state.sessions, e.time);
      session = { request: state.calling?.request, requestedAt: e.time, connected: false };
      state.calling = undefined;
      state.sessions.set(e.token, session);
    }
    const request = session?.request;
    const base = { component: 'streaming', node, ...ids(request, e.token), session: e.kind, url: e.url } as const;
    switch (e.phase) {
      case 'requested':
      case 'started':
        if (e.phase === 'started' && state.connecting?.token === e.token) state.connecting = undefined;
        this.emit({ ...base, kind: e.phase });
        return;
      case 'connected':
        // PortForward's handler runs per forwarded connection, not now: nothing is started for it here.
        if (session && e.kind !== 'portforward') {
          session.connected = true;
          state.connecting = { token: e.token, session };
        }
        if (e.kind === 'portforward') state.sessions.delete(e.token);
        this.emit({ ...base, kind: 'connected' });
        return;
      case 'closed':
        if (state.connecting?.token === e.token) state.connecting = undefined;
        state.sessions.delete(e.token);
        this.emit({ ...base, kind: 'closed', ...(e.exitCode !== undefined ? { exitCode: e.exitCode } : {}), ...(e.error !== undefined ? { error: e.error } : {}) });
        return;
    }
  }

  private onContainerdEvent(node: string, state: NodeState, host: Pick<Host, 'table'>, e: Envelope): void {
    if (e.namespace !== K8S_NAMESPACE) return;
    if (e.topic === '/tasks/create' || e.topic === '/tasks/start') {
      const containerId = String(e.event['container_id']);
      const pod = state.pods.get(containerId);
      this.emit({ component: 'runc', kind: e.topic === '/tasks/create' ? 'create' : 'start', node, containerId, pid: Number(e.event['pid']), ...(pod !== undefined ? { pod } : {}) });
    } else if (e.topic === '/tasks/exec-started') {
      const connecting = state.connecting;
      if (!connecting) return;
      const containerId = String(e.event['container_id']);
      const execId = String(e.event['exec_id']);
      const pid = Number(e.event['pid']);
      state.connecting = undefined;
      state.execs.set(execId, { ...connecting, pid, containerId });
      this.emit({ component: 'runtime', kind: 'execStarted', node, ...ids(connecting.session.request, connecting.token), containerId, execId, pid, ...describe(host, pid) });
      const early = state.earlyExits.get(execId);
      state.earlyExits.clear();
      if (early) this.exited(node, state, execId, early);
    } else if (e.topic === '/tasks/exit') {
      const execId = String(e.event['id']);
      if (execId === e.event['container_id']) return;
      if (state.execs.has(execId)) this.exited(node, state, execId, e);
      else if (state.connecting) state.earlyExits.set(execId, e);
    }
  }

  private exited(node: string, state: NodeState, execId: string, e: Envelope): void {
    const exec = state.execs.get(execId);
    if (!exec) return;
    state.execs.delete(execId);
    this.emit({ component: 'runtime', kind: 'execExited', node, ...ids(exec.session.request, exec.token), containerId: exec.containerId, execId, pid: exec.pid, exitCode: Number(e.event['exit_status']) });
  }
}

/** Drop the sessions nobody connected to before their token expired (the streaming server has forgotten them). */
function forgetExpired(sessions: Map<string, Session>, now: number): void {
  for (const [token, session] of sessions) if (!session.connected && session.requestedAt + STREAM_TOKEN_TTL_MS < now) sessions.delete(token);
}

/** The correlation ids that are known. */
function ids(request: string | undefined, stream?: string): { request?: string; stream?: string } {
  return { ...(request !== undefined ? { request } : {}), ...(stream !== undefined ? { stream } : {}) };
}

/** The token of a streaming URL (`http://127.0.0.1:<port>/exec/<token>`). */
function tokenOf(url: string): string | undefined {
  return /\/(?:exec|attach|portforward)\/([A-Za-z0-9_-]+)$/.exec(url)?.[1];
}

/** The URL in an Exec, Attach or PortForward response. */
function urlOf(response: unknown): string | undefined {
  const url = isRecord(response) ? response['url'] : undefined;
  return typeof url === 'string' ? url : undefined;
}

/**
 * The pod a CRI call works for, learning the ids it makes: RunPodSandbox names it in its config, a
 * container's calls name its sandbox or itself, PullImage and CreateContainer carry the sandbox's config;
 * Remove* forget the id.
 */
function podOf(pods: Map<string, string>, call: CriCall): string | undefined {
  const request = isRecord(call.request) ? call.request : {};
  const response = isRecord(call.response) ? call.response : {};
  const named = (config: unknown): string | undefined => {
    const meta = isRecord(config) ? config['metadata'] : undefined;
    return isRecord(meta) && typeof meta['name'] === 'string' ? `${String(meta['namespace'] ?? '')}/${meta['name']}` : undefined;
  };
  const id = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const sandbox = id(request['podSandboxId']);
  const container = id(request['containerId']);
  let pod: string | undefined;
  if (call.method === 'RunPodSandbox') pod = named(request['config']);
  else pod = (container !== undefined ? pods.get(container) : undefined) ?? (sandbox !== undefined ? pods.get(sandbox) : undefined) ?? named(request['sandboxConfig']);
  if (pod !== undefined) {
    const made = id(response['podSandboxId']) ?? id(response['containerId']);
    if (made !== undefined) pods.set(made, pod);
  }
  if (call.method === 'RemovePodSandbox' && sandbox !== undefined) pods.delete(sandbox);
  if (call.method === 'RemoveContainer' && container !== undefined) pods.delete(container);
  return pod;
}

/** The container, sandbox or image a CRI request names. */
function targetOf(request: unknown): string | undefined {
  if (!isRecord(request)) return undefined;
  for (const key of ['containerId', 'podSandboxId']) {
    const value = request[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  const image = request['image'];
  if (isRecord(image) && typeof image['image'] === 'string') return image['image'];
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** What the node's process table shows of an exec'd process: its pid inside, argv, cgroup and namespaces. */
function describe(host: Pick<Host, 'table'>, pid: number): Partial<Extract<RuntimeExec, { kind: 'execStarted' }>> {
  const process = host.table.find(pid);
  if (!process) return {};
  const namespaces: Record<string, string> = {};
  for (const link of process.nsLinks()) namespaces[link.name] = link.link;
  return { containerPid: process.pidIn(process.pidNs), argv: [...process.argv], cgroup: process.cgroup.path, namespaces };
}
