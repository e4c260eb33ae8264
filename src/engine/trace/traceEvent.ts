/**
 * TraceEvent — what the diagrams animate: one step of the cluster's work, stamped with the virtual time it
 * happened at and its place on the bus. Events are plain data (strings, numbers, arrays and plain
 * objects): the worker posts them to the UI as they are, so none carries a function or a class instance.
 *
 * Each names the `component` that did it and, for the parts of a node, the `node`. Two correlation ids
 * chain the steps of one user action across components: `request`, the id of the API request it serves
 * (the apiserver's per-request id — the Audit-ID a real apiserver stamps — numbered by the trace), and
 * `stream`, the token of the CRI streaming session it belongs to (the last segment of the URL Exec,
 * Attach and PortForward return). `kubectl exec` reads, in order: the apiserver's stages of
 * `POST pods/<name>/exec` → the kubelet serving `/exec/<ns>/<pod>/<container>` → its CRI Exec call → the
 * URL the CRI returns → the connection to the streaming server → the process started in the container.
 *
 * A write's causes and effects chain the same way: the apiserver's storage stage carries the etcd
 * `revision` it wrote; each event a watch stream then sends to a client (an informer's reflector) is a
 * `watch` event carrying the writing request's id; the scheduler's decision for a pod is a `scheduler`
 * event; CRI calls and runc's task create/start name the `pod` they work for.
 *
 * Left out: packets — their emitter joins the same bus later, as a new member of the union.
 */
import type { Stage, WatchDelivery } from '../apiserver/server.ts';
import type { KubeletServe } from '../kubelet/server/kubeletServer.ts';
import type { StreamKind } from '../runtime/cri/streamingServer.ts';

/** Who did it. */
export type TraceComponent = TraceEvent['component'];

/** What every event carries. */
export interface TraceStamp {
  /** Its place on this bus: events of the same virtual time keep their order by it. */
  seq: number;
  /** Virtual time, ms. */
  time: number;
  /** The node it happened on, for a node's components. */
  node?: string;
  /** The API request it belongs to, when known. */
  request?: string;
  /** The streaming session's token, for the steps of an exec, attach or port-forward. */
  stream?: string;
}

/** A request through one stage of the apiserver's handler chain (authentication, authorization…). */
export interface ApiserverStage {
  component: 'apiserver';
  kind: 'stage';
  stage: Stage;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  outcome: 'ok' | 'denied' | 'error';
  detail?: string;
  /** On the storage stage of a request that wrote to etcd: the revision of its (last) write. */
  revision?: number;
}

/**
 * An event a watch stream sent to its client, as the write that caused it commits (its `request` is the
 * writing request's id): who saw which object change, at which etcd revision.
 */
export type WatchDelivered = {
  component: 'watch';
  kind: 'event';
  /** The watching client's user (`system:kube-scheduler`, `system:node:worker-1`…). */
  watcher: string;
} & Omit<WatchDelivery, 'user'>;

/** One scheduling attempt's outcome, with a summary of its filter and score table (scheduler/explanation.ts). */
export interface SchedulerDecision {
  component: 'scheduler';
  kind: 'decision';
  namespace: string;
  name: string;
  attempt: number;
  /** The chosen node, when it was scheduled. */
  node?: string;
  /** Why not, when it was not. */
  message?: string;
  nodesTotal: number;
  nodesEvaluated: number;
  /** The nodes a filter rejected, with the plugin that did. */
  rejected: Array<{ node: string; plugin: string }>;
  /** The feasible nodes' total scores, best first. */
  scores: Array<{ node: string; total: number }>;
}

/** runc creating or starting a container's task (containerd's `/tasks/create`, `/tasks/start`). */
export interface RuncTask {
  component: 'runc';
  kind: 'create' | 'start';
  containerId: string;
  pid: number;
  /** The pod the container (or sandbox) belongs to, `namespace/name`, when the CRI made it. */
  pod?: string;
}

/** The kubelet's server answered a request (the apiserver's proxied logs, exec, attach, port-forward). */
export type KubeletServed = {
  component: 'kubelet';
  kind: 'serve';
  /** The kubelet server's number for the request. */
  kubeletRequest: number;
} & Omit<KubeletServe, 'id' | 'time'>;

/** A step of a kubelet's upgraded stream: the CRI call it makes, the URL it connects to, the end. */
export type KubeletStreamStep = { component: 'kubelet'; kubeletRequest: number } & (
  | { kind: 'runtimeCall'; method: 'Exec' | 'Attach' | 'PortForward'; target: string }
  | { kind: 'connect'; url: string }
  | { kind: 'close'; status: 'Success' | 'Failure'; message?: string }
);

/** One CRI call (RuntimeService or ImageService), reported when it returns. */
export interface CriCalled {
  component: 'cri';
  kind: 'call';
  service: 'RuntimeService' | 'ImageService';
  method: string;
  /** The container, sandbox or image the call names, when it names one. */
  target?: string;
  /** The streaming URL Exec, Attach and PortForward return. */
  url?: string;
  /** The gRPC code and message of a failed call. */
  error?: { code: string; message: string };
  /** Virtual time the call came in, ms. */
  startedAt: number;
  durationMs: number;
  /** The pod the call works for, `namespace/name`, when the request or an earlier call names it. */
  pod?: string;
}

/** A step of a session on a node's CRI streaming server. */
export type StreamingStep = { component: 'streaming' } & (
  | { kind: 'requested' | 'connected' | 'started'; session: StreamKind; url: string }
  | { kind: 'closed'; session: StreamKind; url: string; exitCode?: number; error?: string }
  | { kind: 'refused'; url: string; status: number }
);

/** A process the runtime started in a container for an exec (runc exec), and its end. */
export type RuntimeExec = { component: 'runtime'; containerId: string; execId: string; pid: number } & (
  | {
      kind: 'execStarted';
      /** The process's pid in the container's pid namespace. */
      containerPid?: number;
      argv?: string[];
      /** Its cgroup (the container's), from the cgroup root. */
      cgroup?: string;
      /** The namespaces it joined, as /proc/<pid>/ns shows them (`net:[4026532…]`). */
      namespaces?: Record<string, string>;
    }
  | { kind: 'execExited'; exitCode: number }
);

/** One event on the bus. */
export type TraceEvent = TraceStamp & (ApiserverStage | WatchDelivered | SchedulerDecision | KubeletServed | KubeletStreamStep | CriCalled | RuncTask | StreamingStep | RuntimeExec);

/** An event before the bus stamps it: what `Trace.emit` takes. */
export type TraceInput = DistributiveOmit<TraceEvent, 'seq' | 'time'>;

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
