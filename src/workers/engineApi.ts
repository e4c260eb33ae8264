/**
 * The worker's API: everything the UI may ask of the engine, as one object that comlink exposes.
 *
 * - Shell sessions: open on the laptop or on a lab host (output streamed to a callback), write raw terminal
 *   input, resize, close; a laptop session's `vi`/`nano`/`kubectl edit` open their files through the UI's
 *   edit callback.
 * - The editor's files, a command run headless, and kinds' JSON Schemas (./editorApi.ts).
 * - The clock: play, pause, speed, step, advance.
 * - A subscription to the lab's records (the clock, the sessions, and the cluster's objects as the
 *   diagrams draw them): first everything as `added`, then one squashed RecordsDiff per animation frame
 *   at most, only when something changed.
 * - A subscription to the trace (the cluster's work step by step): first the recent events, then each
 *   frame's new ones in one batch; after `lab reset`, the fresh cluster's.
 *
 * - Lessons (./lessons/lessonApi.ts): a lesson's starting cluster, a step's solution, its checks watched;
 *   the checks' own API requests are left out of the trace.
 * - The lab as data (saveLab) and back (loadLab), and `lab reset` with empty files (resetLab): see
 *   src/engine/cluster/labImage.ts for what an image holds and what a restore cannot bring back.
 *
 * Every argument is checked: a UI bug or a malformed message gets an Error that says what was wrong,
 * and the lab keeps running. Session output is coalesced per microtask so a burst is one message.
 */
import { RealTimeDriver } from '../engine/base/realTimeDriver.ts';
import type { RecordsDiff } from '../engine/base/recordsDiff.ts';
import { Lab, type LabRecord } from '../engine/cluster/lab.ts';
import { KUBEADM_CLUSTER } from '../engine/cluster/cluster.ts';
import type { Session } from '../engine/shell/session.ts';
import type { TraceEvent } from '../engine/trace/traceEvent.ts';
import { VIEWS, type ViewArgs, type ViewName, type ViewValue } from './views/index.ts';
import { createEditorApi, editorHost, type EditListener, type EditorApi } from './editorApi.ts';
import type { AnyViewProvider, ViewUpdate } from './views/view.ts';
import type { LabImage, LoadReport } from '../engine/cluster/labImage.ts';
import { checksTraceFilter, createLessonApi, type LessonApi } from './lessons/lessonApi.ts';

export { LAB_IMAGE_VERSION } from '../engine/cluster/labImage.ts';
export type { LabImage, LoadReport } from '../engine/cluster/labImage.ts';

export interface WorkerHost {
  /** Wall time in ms. */
  now(): number;
  setTimer(fn: () => void, ms: number): () => void;
  /** Call `fn` before the next frame is painted (or about 16 ms later where there are no frames). */
  onNextFrame(fn: () => void): void;
  /** The lab stopped for good (a timer callback threw): the page should replace this worker. */
  onStopped?(message: string): void;
}

export interface SessionInfo {
  id: string;
  user: string;
  host: string;
}

export interface OpenSessionRequest {
  cols: number;
  rows: number;
  /** A lab host to open the shell on (`docker-host`); default: the student's laptop. */
  host?: string;
}

export type OutputListener = (text: string) => void;
export type ExitListener = (status: number) => void;
export type DiffListener = (diff: RecordsDiff<LabRecord>) => void;
export type TraceListener = (events: TraceEvent[]) => void;
export type ViewListener<N extends ViewName> = (update: ViewUpdate<ViewValue<N>>) => void;
export type { EditListener, EditMessage } from './editorApi.ts';
export type { CheckResult, ChecksListener, CommandResult, SolutionBlock } from './lessons/lessonApi.ts';

export interface EngineApi extends EditorApi, LessonApi {
  /** Versions and the lab's seed, for the UI's about box and for checks that the worker is alive. */
  hello(): { protocol: number; seed: number };
  /** With `onEdit`, the laptop's `vi` and `nano` (and so `kubectl edit`) open their files through it. */
  openSession(request: OpenSessionRequest, onOutput: OutputListener, onExit: ExitListener, onEdit?: EditListener): SessionInfo;
  write(sessionId: string, data: string): void;
  resize(sessionId: string, cols: number, rows: number): void;
  closeSession(sessionId: string): void;
  /** The hosts a session may open on (`openSession({ host })`): the cluster's full nodes, then the lab's own hosts. */
  shellHosts(): Array<{ name: string; kind: 'node' | 'lab-host' }>;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  /** Run the next timer. Returns false when nothing is queued. */
  step(): boolean;
  advance(ms: number): void;
  subscribe(onDiff: DiffListener): void;
  subscribeTrace(onEvents: TraceListener): void;
  /**
   * Watch a view (./views/): its value now, then again whenever it changes, at most once a frame.
   * Returns the watch's id for `unwatchView`. Unknown names and bad arguments throw.
   */
  watchView<N extends ViewName>(name: N, args: ViewArgs<N>, onUpdate: ViewListener<N>): string;
  unwatchView(watchId: string): void;
  /** The whole lab as data, for autosave and export: see LabImage. */
  saveLab(): LabImage;
  /**
   * Replace the lab with the one `image` describes (validated first: a bad image throws an Error that says
   * what is wrong, and the running lab is untouched). Open sessions end; the UI reopens them. Returns what
   * could not be restored.
   */
  loadLab(image: unknown): LoadReport;
  /** `lab reset` from the UI: a fresh cluster and empty student files. */
  resetLab(): Promise<void>;
}

/** Bumped when the API changes shape, so a stale page and a new worker can tell. */
export const PROTOCOL = 4;

export function createEngineApi(host: WorkerHost, options: { seed: number; startTime: number }): EngineApi & { lab: Lab } {
  const lab = new Lab({ seed: options.seed, startTime: options.startTime, running: true, cluster: KUBEADM_CLUSTER });
  // The OpenAPI documents (kubectl explain, apply's schema) load in the background, off the first paint.
  void lab.cluster.apiserver.openapi.load();
  const listeners: DiffListener[] = [];
  let frameRequested = false;

  const outputs = new Map<string, (text: string) => void>();
  new RealTimeDriver(lab.clock, host, (error) => {
    // A timer callback threw: the engine has a bug. Say so in every open terminal rather than freeze silently.
    for (const write of outputs.values()) write(`\r\n\x1b[31mkubelab: the lab stopped: ${describe(error)}\x1b[0m\r\n`);
    host.onStopped?.(describe(error));
  });

  const traceListeners: TraceListener[] = [];
  let traced: TraceEvent[] = [];

  interface ViewWatch {
    provider: AnyViewProvider;
    args: never;
    onUpdate: (update: ViewUpdate<unknown>) => void;
    lastVersion?: string | number;
    lastPosted?: string;
  }
  const watches = new Map<string, ViewWatch>();
  let nextWatchId = 1;
  /** Recompute a watched view if what it reads changed, and post it if its value did. */
  const refreshView = (w: ViewWatch) => {
    try {
      if (w.provider.version) {
        const version = w.provider.version(lab, w.args);
        if (version === w.lastVersion) return;
        w.lastVersion = version;
        w.onUpdate({ value: w.provider.compute(lab, w.args) });
        return;
      }
      const value = w.provider.compute(lab, w.args);
      const posted = JSON.stringify(value);
      if (posted === w.lastPosted) return;
      w.lastPosted = posted;
      w.onUpdate({ value });
    } catch (error) {
      w.lastVersion = undefined;
      w.lastPosted = undefined;
      w.onUpdate({ error: describe(error) });
    }
  };

  const flushFrame = () => {
    frameRequested = false;
    for (const w of watches.values()) refreshView(w);
    if (traced.length > 0) {
      const events = traced;
      traced = [];
      for (const listener of traceListeners) listener(events);
    }
    if (!lab.hasChanges) return;
    lessons.labChanged();
    const diff = lab.flushChanges();
    for (const listener of listeners) listener(diff);
  };
  const requestFrame = () => {
    if (frameRequested || (listeners.length === 0 && traceListeners.length === 0 && watches.size === 0)) return;
    frameRequested = true;
    host.onNextFrame(flushFrame);
  };
  const lessons = createLessonApi(lab, host);
  // The diagrams do not draw the lesson checks' requests; the filter follows each fresh cluster's numbering.
  let keepEvent = checksTraceFilter();
  // The trace of the cluster now, and of each fresh one after `lab reset`.
  const followTrace = () => {
    lab.cluster.trace.onDidTrace((e) => {
      if (!keepEvent(e) || traceListeners.length === 0) return;
      traced.push(e);
      requestFrame();
    });
  };
  followTrace();
  lab.onDidReset(() => {
    keepEvent = checksTraceFilter();
    followTrace();
  });
  // Anything that can change records ends in a clock change or an API call; both request a frame.
  lab.clock.onDidChangeState(requestFrame);

  const session = (id: unknown, what: string): Session => {
    if (typeof id !== 'string') throw new TypeError(`${what}: session id must be a string, got ${typeof id}`);
    const s = lab.session(id);
    if (!s) throw new Error(`${what}: session ${id} is closed or does not exist`);
    return s;
  };

  const api: EngineApi & { lab: Lab } = {
    lab,
    hello: () => ({ protocol: PROTOCOL, seed: lab.seed }),

    ...createEditorApi(lab),
    startLesson: (start) => lessons.startLesson(start),
    solveStep: (blocks) => lessons.solveStep(blocks),
    evaluateChecks: (checks) => lessons.evaluateChecks(checks),
    watchChecks: (checks, onResults) => lessons.watchChecks(checks, onResults),
    unwatchChecks: (id) => lessons.unwatchChecks(id),

    openSession(request, onOutput, onExit, onEdit) {
      if (typeof request !== 'object' || request === null) throw new TypeError('openSession: expected {cols, rows}');
      checkSize('openSession', request.cols, request.rows);
      if (typeof onOutput !== 'function' || typeof onExit !== 'function') throw new TypeError('openSession: expected output and exit callbacks');
      if (request.host !== undefined && typeof request.host !== 'string') throw new TypeError(`openSession: host must be a string, got ${typeof request.host}`);
      if (onEdit !== undefined && typeof onEdit !== 'function') throw new TypeError('openSession: the edit callback must be a function');
      const editor = onEdit && editorHost(onEdit);
      const s = lab.openSession({ tty: true, cols: request.cols, rows: request.rows, host: request.host, editor });
      let buffered = '';
      const write = (text: string) => {
        if (buffered === '') {
          queueMicrotask(() => {
            const text = buffered;
            buffered = '';
            onOutput(text);
          });
        }
        buffered += text;
      };
      outputs.set(s.id, write);
      s.onDidWrite((chunk) => write(chunk.text));
      s.onDidExit((status) => {
        outputs.delete(s.id);
        // Deliver the last output before the exit.
        queueMicrotask(() => onExit(status));
        requestFrame();
      });
      s.onDidChangeState(requestFrame);
      s.start();
      requestFrame();
      return { id: s.id, user: s.user, host: s.host };
    },

    write(sessionId, data) {
      if (typeof data !== 'string') throw new TypeError(`write: data must be a string, got ${typeof data}`);
      session(sessionId, 'write').input(data);
    },

    resize(sessionId, cols, rows) {
      checkSize('resize', cols, rows);
      session(sessionId, 'resize').resize(cols, rows);
    },

    closeSession(sessionId) {
      session(sessionId, 'closeSession').close();
    },

    shellHosts: () => lab.shellHosts(),

    play: () => lab.clock.play(),
    pause: () => lab.clock.pause(),
    setSpeed(speed) {
      if (typeof speed !== 'number') throw new TypeError(`setSpeed: speed must be a number, got ${typeof speed}`);
      lab.clock.setSpeed(speed);
    },
    step: () => lab.clock.step(),
    advance(ms) {
      if (typeof ms !== 'number') throw new TypeError(`advance: ms must be a number, got ${typeof ms}`);
      lab.clock.advance(ms);
    },

    subscribe(onDiff) {
      if (typeof onDiff !== 'function') throw new TypeError('subscribe: expected a callback');
      listeners.push(onDiff);
      // The diagrams draw the cluster's objects: keep them among the records from now on.
      lab.viewCluster();
      // A new subscriber starts from everything; later frames carry only changes.
      lab.flushChanges();
      onDiff(lab.snapshot());
    },

    subscribeTrace(onEvents) {
      if (typeof onEvents !== 'function') throw new TypeError('subscribeTrace: expected a callback');
      traceListeners.push(onEvents);
      const recent = lab.cluster.trace.recent().filter(checksTraceFilter());
      if (recent.length > 0) onEvents(recent);
    },

    watchView(name, args, onUpdate) {
      if (typeof name !== 'string' || !Object.hasOwn(VIEWS, name)) throw new Error(`watchView: no view named ${JSON.stringify(name)} (known: ${Object.keys(VIEWS).join(', ') || 'none'})`);
      if (typeof onUpdate !== 'function') throw new TypeError('watchView: expected a callback');
      const provider: AnyViewProvider = VIEWS[name];
      const w: ViewWatch = { provider, args: provider.parse(args) as never, onUpdate: onUpdate as ViewWatch['onUpdate'] };
      const id = `view-${nextWatchId++}`;
      watches.set(id, w);
      refreshView(w);
      return id;
    },

    unwatchView(watchId) {
      if (typeof watchId !== 'string' || !watches.delete(watchId)) throw new Error(`unwatchView: no watch ${JSON.stringify(watchId)}`);
    },

    saveLab: () => lab.save(),
    loadLab(image) {
      try {
        return lab.load(image);
      } catch (error) {
        // Comlink sends an Error's message across: name the call, keep the image's own explanation.
        throw new Error(`loadLab: ${describe(error)}`, { cause: error });
      }
    },
    resetLab: () => lab.resetAll(),
  };
  return api;
}

function checkSize(what: string, cols: unknown, rows: unknown): void {
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || (cols as number) < 1 || (rows as number) < 1 || (cols as number) > 1000 || (rows as number) > 1000) {
    throw new RangeError(`${what}: cols and rows must be integers from 1 to 1000, got ${String(cols)}×${String(rows)}`);
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether a message that reached the worker is one comlink sent: an object with a string id and a known
 * type. Anything else is answered with a `kubelab-error` message rather than ignored.
 */
export function isComlinkMessage(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as { id?: unknown; type?: unknown; path?: unknown };
  return typeof m.id === 'string' && typeof m.type === 'string' && ['GET', 'SET', 'APPLY', 'CONSTRUCT', 'ENDPOINT', 'RELEASE'].includes(m.type) && (m.path === undefined || Array.isArray(m.path));
}

/** Sent by the worker when its lab stopped (a timer callback threw): the worker is no use any more. */
export interface WorkerStoppedMessage {
  kubelab: 'stopped';
  message: string;
}

export interface WorkerErrorMessage {
  kubelab: 'error';
  message: string;
}
