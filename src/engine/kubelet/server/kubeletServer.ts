/**
 * KubeletServer — the kubelet's HTTPS server on :10250 (pkg/kubelet/server/server.go) for the requests the
 * apiserver proxies to it: `/containerLogs/{ns}/{pod}/{container}` (getContainerLogs → the kubelet's
 * GetKubeletContainerLogs), `/exec/...` and `/attach/...` (getExec, getAttach → the CRI's Exec and Attach,
 * whose streaming-server URL the server connects the caller to, as the kubelet does when it proxies the
 * runtime's stream) and `/portForward/...` (getPortForward → the CRI's PortForward, one stream per
 * forwarded connection).
 *
 * The pods it knows come from a PodResolver the kubelet gives it (its pod manager and the container ids of
 * its runtime cache). Logs are read from the container's CRI log file; with `follow`, new lines are sent as
 * the runtime writes them (the file is polled on the clock every FOLLOW_POLL_MS, standing in for the
 * kubelet's fsnotify watch) until the container stops — checked when data arrives and every
 * STATE_CHECK_PERIOD_MS, as waitLogs does — or the reader goes away; a log file that shrinks under a
 * follower (rotated) is read again from its start. Which container state allows logs (waiting, terminated,
 * `previous`) is decided from the pod's status when the caller passes it (validateContainerLogStatus).
 *
 * Answers are HTTP-shaped (ApiResponse): errors are the kubelet's plain-text bodies and codes (400 for a
 * log it cannot serve, 404 for an unknown pod, 500 `container not found ("x")` for exec and attach).
 * Exec and attach answer 101 with a StreamConnection; the exit code travels back as the v4 remotecommand
 * protocol's Status; port-forward answers 101 with a PortForwardConnection.
 *
 * For the trace, every request served fires `onDidServe` (its number on this server, method, path, pod,
 * container, status), and an upgraded stream fires `onDidStream` with that number as it goes: the CRI
 * call it makes (`runtimeCall`, just before the call), the streaming URL it connects to (`connect`) and
 * its end (`close`, with the Status sent back). Left out: /stats, /metrics (kubelet/stats), /run, /pods, /debug,
 * authentication and authorization of the kubelet's own API, and compressed rotated logs.
 */
import type { ContainerStatus as ApiContainerStatus, PodStatus } from 'kubernetes-types/core/v1';
import type { Clock, Timer } from '../../base/clock.ts';
import { Emitter, type Event } from '../../base/emitter.ts';
import { BodyStream, textResponse, UpgradeFailure, type ApiResponse, type PortForwardConnection, type StreamConnection, type StreamIO, type StreamStatus } from '../../apiserver/http.ts';
import type { PodLogOptions } from '../../apiserver/registry/subresources.ts';
import { CriError } from '../../runtime/cri/criError.ts';
import type { CriService } from '../../runtime/cri/criService.ts';
import { StreamingError, type PortForwarder } from '../../runtime/cri/streamingServer.ts';
import type { Vfs } from '../../kernel/fs/vfs.ts';
import { completeRecords, LogWriter, tail, type LogOptions } from './logs.ts';

/** How often a follower looks at the log file for new lines (virtual ms). */
export const FOLLOW_POLL_MS = 100;
/** kuberuntime logs' stateCheckPeriod: how often an idle follower asks whether the container still runs. */
export const STATE_CHECK_PERIOD_MS = 5_000;

/** A container of a resolved pod: the current instance and, after a restart, the one before. */
export interface ResolvedContainer {
  id: string;
  logPath: string;
  previous?: { id: string; logPath: string };
}

/** What the kubelet knows of one of its pods. */
export interface ResolvedPod {
  uid: string;
  sandboxId: string | undefined;
  containers: ReadonlyMap<string, ResolvedContainer>;
}

/** The kubelet's lookup of its pods by namespace and name. */
export type PodResolver = (namespace: string, name: string) => ResolvedPod | undefined;

export interface KubeletServerOptions {
  clock: Clock;
  cri: CriService;
  pods: PodResolver;
}

export interface ContainerLogsRequest {
  namespace: string;
  name: string;
  container: string;
  options: PodLogOptions;
  /** The pod's status as last reported, for validateContainerLogStatus; without it only the resolver decides. */
  status?: PodStatus;
}

export interface StreamRequest {
  namespace: string;
  name: string;
  container: string;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface ExecRequest extends StreamRequest {
  command: string[];
}

export interface PortForwardRequest {
  namespace: string;
  name: string;
  /** The pod's uid, when the caller names one: another pod by that name is not found. */
  uid?: string;
}

/** The kubelet server's handlers these requests reach (the first segment of the path). */
export type KubeletHandler = 'containerLogs' | 'exec' | 'attach' | 'portForward';

/** A request the server answered, as the diagrams draw it (plain data). */
export interface KubeletServe {
  /** This server's number for the request; its stream's events carry it. */
  id: number;
  method: 'GET' | 'POST';
  /** `/exec/{namespace}/{pod}/{container}`… */
  path: string;
  handler: KubeletHandler;
  namespace: string;
  pod: string;
  /** Absent for port-forward, which names no container. */
  container?: string;
  /** Exec's command. */
  command?: string[];
  /** The HTTP status answered (101 for an upgraded stream). */
  status: number;
  /** Virtual time, ms. */
  time: number;
}

/** One step of an upgraded stream of request `id` (exec, attach, port-forward). */
export type KubeletStreamEvent =
  | {
      phase: 'runtimeCall';
      id: number;
      /** The CRI method about to be called. */
      method: 'Exec' | 'Attach' | 'PortForward';
      /** The container (Exec, Attach) or sandbox (PortForward) it names. */
      target: string;
      time: number;
    }
  | {
      phase: 'connect';
      id: number;
      /** The runtime's streaming URL the CRI returned. */
      url: string;
      time: number;
    }
  | {
      phase: 'close';
      id: number;
      /** The Status sent back: Success, or Failure with its message. */
      status: StreamStatus['status'];
      message?: string;
      time: number;
    };

const SUCCESS: StreamStatus = { status: 'Success' };

export class KubeletServer {
  private readonly clock: Clock;
  private readonly cri: CriService;
  private readonly pods: PodResolver;
  private readonly vfs: Vfs;
  private nextId = 1;
  private readonly _onDidServe = new Emitter<KubeletServe>();
  /** Every request answered, with its status. */
  readonly onDidServe: Event<KubeletServe> = this._onDidServe.event;
  private readonly _onDidStream = new Emitter<KubeletStreamEvent>();
  /** The steps of each upgraded stream: the CRI call, the connection to the runtime's URL, the end. */
  readonly onDidStream: Event<KubeletStreamEvent> = this._onDidStream.event;

  constructor(options: KubeletServerOptions) {
    this.clock = options.clock;
    this.cri = options.cri;
    this.pods = options.pods;
    this.vfs = options.cri.host.vfsFor(options.cri.host.init);
  }

  /** GET /containerLogs/{namespace}/{pod}/{container}. */
  containerLogs(request: ContainerLogsRequest): ApiResponse {
    const { namespace, name, container } = request;
    return this.serve({ method: 'GET', handler: 'containerLogs', namespace, pod: name, container }, () => this.logs(request));
  }

  private logs(request: ContainerLogsRequest): ApiResponse {
    const { namespace, name, container, options } = request;
    const pod = this.pods(namespace, name);
    if (!pod) return textResponse(404, `pod ${JSON.stringify(name)} does not exist`);
    const problem = request.status ? logStatusProblem(name, request.status, container, options.previous ?? false) : undefined;
    if (problem) return textResponse(400, problem);
    const resolved = pod.containers.get(container);
    const source = options.previous ? resolved?.previous : resolved;
    if (!source) {
      return textResponse(400, options.previous ? `previous terminated container "${container}" in pod "${name}" not found` : `container "${container}" in pod "${name}" is not available`);
    }
    const logOptions: LogOptions = {
      tailLines: options.tailLines,
      since: options.sinceTime !== undefined ? Date.parse(options.sinceTime) : options.sinceSeconds !== undefined ? this.clock.now() - options.sinceSeconds * 1000 : undefined,
      timestamps: options.timestamps,
      limitBytes: options.limitBytes,
      follow: options.follow,
    };
    const writer = new LogWriter(logOptions);
    const content = this.read(source.logPath);
    const { records, length } = completeRecords(content);
    const text = writer.take(tail(records, logOptions.tailLines));
    if (!options.follow || writer.exhausted) return textResponse(200, text);
    const stream = new BodyStream();
    stream.write(text);
    this.follow(source.id, source.logPath, length, writer, stream);
    return { status: 200, headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, body: '', stream };
  }

  /** POST /exec/{namespace}/{pod}/{container}?command=…: the CRI's Exec, then its stream. */
  exec(request: ExecRequest): ApiResponse {
    return this.upgrade('exec', request, async (id, containerId, io) => {
      this.fireStream({ phase: 'runtimeCall', id, method: 'Exec', target: containerId, time: this.clock.now() });
      const { url } = await this.cri.exec({ containerId, cmd: request.command, tty: request.tty, stdin: request.stdin, stdout: request.stdout, stderr: request.stderr });
      this.fireStream({ phase: 'connect', id, url, time: this.clock.now() });
      try {
        const code = await this.cri.streaming.connect(url, io);
        return code === 0 ? SUCCESS : exitStatus(code, request.command);
      } catch (e) {
        if (!(e instanceof CriError)) throw e;
        // The runtime could not start the command: remotecommand's server reports an InternalError.
        const message = `error executing command in container: ${e.desc}`;
        return { status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', code: 500, details: { causes: [{ message }] } };
      }
    });
  }

  /** POST /attach/{namespace}/{pod}/{container}: the CRI's Attach, until the container exits. */
  attach(request: StreamRequest): ApiResponse {
    return this.upgrade('attach', request, async (id, containerId, io) => {
      this.fireStream({ phase: 'runtimeCall', id, method: 'Attach', target: containerId, time: this.clock.now() });
      const { url } = await this.cri.attach({ containerId, stdin: request.stdin, tty: request.tty, stdout: request.stdout, stderr: request.stderr });
      this.fireStream({ phase: 'connect', id, url, time: this.clock.now() });
      await this.cri.streaming.connect(url, io);
      return SUCCESS;
    });
  }

  /**
   * POST /portForward/{namespace}/{pod} (getPortForward): the pod (its uid checked when given), then on the
   * upgrade the CRI's PortForward for its sandbox and a connection to the runtime's streaming URL; each
   * forwarded stream goes on to it, a failure coming back on the error stream as the kubelet words it.
   */
  portForward(request: PortForwardRequest): ApiResponse {
    return this.serve({ method: 'POST', handler: 'portForward', namespace: request.namespace, pod: request.name }, (id) => this.forward(id, request));
  }

  private forward(id: number, request: PortForwardRequest): ApiResponse {
    const pod = this.pods(request.namespace, request.name);
    if (!pod) return textResponse(404, 'pod does not exist');
    if (request.uid && pod.uid !== request.uid) return textResponse(404, 'pod not found');
    const connection: PortForwardConnection = {
      open: async () => {
        const sandboxId = pod.sandboxId;
        if (!sandboxId) {
          const message = `pod not found (${JSON.stringify(`${request.name}_${request.namespace}`)})`;
          this.fireStream({ phase: 'close', id, status: 'Failure', message, time: this.clock.now() });
          throw new UpgradeFailure(500, message);
        }
        let forwarder: PortForwarder;
        try {
          this.fireStream({ phase: 'runtimeCall', id, method: 'PortForward', target: sandboxId, time: this.clock.now() });
          const { url } = await this.cri.portForward({ podSandboxId: sandboxId });
          this.fireStream({ phase: 'connect', id, url, time: this.clock.now() });
          forwarder = this.cri.streaming.connectPortForward(url);
        } catch (e) {
          if (e instanceof CriError || e instanceof StreamingError) {
            this.fireStream({ phase: 'close', id, status: 'Failure', message: e.message, time: this.clock.now() });
            throw new UpgradeFailure(500, e.message);
          }
          throw e;
        }
        let closed = false;
        return {
          forward: async (port, stream) => {
            if (closed) {
              stream.close();
              return '';
            }
            try {
              await forwarder(port, stream);
              return '';
            } catch (e) {
              if (!(e instanceof Error)) throw e;
              // The CRI's streaming server has no pod uid to name (httpstream.go's portForwardStreamPair).
              return `error forwarding port ${port} to pod ${sandboxId}, uid : ${e.message}`;
            }
          },
          close: () => {
            if (closed) return;
            closed = true;
            this.fireStream({ phase: 'close', id, status: 'Success', time: this.clock.now() });
          },
        };
      },
    };
    return { status: 101, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' }, body: '', portForward: connection };
  }

  /**
   * The part getExec and getAttach share: the pod and a running container (the kubelet's findContainer
   * looks among running containers only), then the connection.
   */
  private upgrade(handler: 'exec' | 'attach', request: StreamRequest | ExecRequest, run: (id: number, containerId: string, io: StreamIO) => Promise<StreamStatus>): ApiResponse {
    const { namespace, name, container } = request;
    const command = 'command' in request ? { command: [...request.command] } : {};
    return this.serve({ method: 'POST', handler, namespace, pod: name, container, ...command }, (id) => this.stream(id, request, run));
  }

  private stream(id: number, request: StreamRequest, run: (id: number, containerId: string, io: StreamIO) => Promise<StreamStatus>): ApiResponse {
    const pod = this.pods(request.namespace, request.name);
    if (!pod) return textResponse(404, `pod does not exist`);
    const container = pod.containers.get(request.container);
    const notFound = `container not found (${JSON.stringify(request.container)})`;
    if (!container) return textResponse(500, notFound);
    const connection: StreamConnection = {
      open: async (io) => {
        let running: boolean;
        try {
          running = (await this.cri.containerStatus(container.id)).status.state === 'CONTAINER_RUNNING';
        } catch {
          running = false;
        }
        const fail = (message: string) => {
          this.fireStream({ phase: 'close', id, status: 'Failure', message, time: this.clock.now() });
          return new UpgradeFailure(500, message);
        };
        if (!running) throw fail(notFound);
        let status: StreamStatus;
        try {
          status = await run(id, container.id, io);
        } catch (e) {
          if (e instanceof CriError) throw fail(e.message);
          this.fireStream({ phase: 'close', id, status: 'Failure', message: e instanceof Error ? e.message : String(e), time: this.clock.now() });
          throw e;
        }
        this.fireStream({ phase: 'close', id, status: status.status, ...(status.message !== undefined ? { message: status.message } : {}), time: this.clock.now() });
        return status;
      },
    };
    return { status: 101, headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' }, body: '', connection };
  }

  /** Number the request, answer it, and report the answer. */
  private serve(request: Omit<KubeletServe, 'id' | 'path' | 'status' | 'time'>, answer: (id: number) => ApiResponse): ApiResponse {
    const id = this.nextId++;
    const response = answer(id);
    if (this._onDidServe.hasListeners) {
      const path = `/${request.handler}/${request.namespace}/${request.pod}${request.container !== undefined ? `/${request.container}` : ''}`;
      this._onDidServe.fire({ id, path, ...request, status: response.status, time: this.clock.now() });
    }
    return response;
  }

  private fireStream(event: KubeletStreamEvent): void {
    if (this._onDidStream.hasListeners) this._onDidStream.fire(event);
  }

  private read(path: string): string {
    try {
      return this.vfs.readFile(path);
    } catch {
      // A log the runtime has not created yet, or removed: nothing to read.
      return '';
    }
  }

  /** Send what the runtime appends to `path` after `offset` until the container stops or the reader leaves. */
  private follow(containerId: string, path: string, offset: number, writer: LogWriter, stream: BodyStream): void {
    let timer: Timer | undefined;
    let stopped = false;
    let idleMs = 0;
    const stop = () => {
      stopped = true;
      timer?.cancel();
    };
    stream.setStopper(stop);
    const readNew = (): boolean => {
      const content = this.read(path);
      // A file shorter than what was read is a new one (the kubelet rotated the log): start it over.
      if (content.length < offset) offset = 0;
      const { records, length } = completeRecords(content.slice(offset));
      offset += length;
      stream.write(writer.take(records));
      return length > 0;
    };
    const running = async (): Promise<boolean> => {
      try {
        return (await this.cri.containerStatus(containerId)).status.state === 'CONTAINER_RUNNING';
      } catch {
        return false;
      }
    };
    const poll = async (): Promise<void> => {
      if (stopped) return;
      const fresh = readNew();
      idleMs = fresh ? 0 : idleMs + FOLLOW_POLL_MS;
      if (writer.exhausted) return finish();
      if (fresh || idleMs >= STATE_CHECK_PERIOD_MS) {
        idleMs = 0;
        if (!(await running())) {
          if (stopped) return;
          readNew();
          return finish();
        }
      }
      if (!stopped) timer = this.clock.after(FOLLOW_POLL_MS, () => void poll(), 'kubelet: follow container log');
    };
    const finish = () => {
      stop();
      stream.end();
    };
    void (async () => {
      // waitLogs: no need to wait for a container that no longer runs.
      if (!(await running())) {
        readNew();
        return finish();
      }
      if (!stopped) timer = this.clock.after(FOLLOW_POLL_MS, () => void poll(), 'kubelet: follow container log');
    })();
  }
}

/** remotecommand's NonZeroExitCode Status. */
function exitStatus(code: number, command: readonly string[]): StreamStatus {
  return {
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/**
 * The kubelet's validateContainerLogStatus: which instance of a container has logs to show, by its
 * reported state; undefined when the logs can be read.
 */
export function logStatusProblem(podName: string, status: PodStatus, container: string, previous: boolean): string | undefined {
  const all: ApiContainerStatus[] = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])];
  const s = all.find((c) => c.name === container);
  const id = `container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)}`;
  if (!s) return `${id} is not available`;
  const last = s.lastState?.terminated;
  const { waiting, running, terminated } = s.state ?? {};
  if (previous) return last?.containerID ? undefined : `previous terminated container ${JSON.stringify(container)} in pod ${JSON.stringify(podName)} not found`;
  if (running) return undefined;
  if (terminated) return terminated.containerID || last?.containerID ? undefined : `${id} is terminated`;
  if (last) return last.containerID ? undefined : `${id} is terminated`;
  if (waiting) {
    if (waiting.reason === 'ErrImagePull') return `${id} is waiting to start: image can't be pulled`;
    if (waiting.reason === 'ImagePullBackOff') return `${id} is waiting to start: trying and failing to pull image`;
    return `${id} is waiting to start: ${waiting.reason ?? ''}`;
  }
  return `${id} is waiting to start - no logs yet`;
}
