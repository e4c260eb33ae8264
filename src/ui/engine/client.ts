/**
 * The UI's only door to the engine: starts the worker and wraps its API with comlink (the only
 * Comlink.wrap in the project). Diffs from the worker feed the lab store; messages the worker sends
 * outside comlink (its answer to a malformed message) and worker crashes reach `onEngineNotice`.
 *
 * `engine` is stable for the life of the page, though the worker behind it is not: when the worker dies
 * (an uncaught error, or the engine reporting that its lab stopped), the client says so, ends it, clears
 * the lab store, starts a new worker, restores the last autosave into it (../persistence/labStorage.ts,
 * which says what was lost), and subscribes the stores again. Through that:
 * - every call waits until the lab is ready — restored from the autosave, or fresh — so nothing reaches
 *   a lab about to be replaced (`labReady` is that moment for the first worker);
 * - a call the dead worker never answered rejects ("the engine stopped: …") instead of hanging;
 * - each open shell session ends with status 129, as a hung-up shell does (terminals offer a new one);
 * - view watches (`watchView`) are watched again on the new worker under the same id.
 * A worker that dies before it was ever ready, or three times within a minute, is not restarted.
 */
import * as Comlink from 'comlink';
import type { RecordsDiff } from '../../engine/base/recordsDiff.ts';
import type { LabRecord } from '../../engine/cluster/lab.ts';
import type { EngineApi, WorkerErrorMessage, WorkerStoppedMessage } from '../../workers/engineApi.ts';
import type { ViewUpdate } from '../../workers/views/view.ts';
import { restoreLab } from '../persistence/labStorage.ts';
import { useLab } from '../state/labStore.ts';
import { useTrace } from '../state/traceStore.ts';

type NoticeListener = (message: string) => void;
type RestartListener = () => void;
type Remote = Comlink.Remote<EngineApi>;

/** The status a shell ends with when its worker died under it: hung up (128 + SIGHUP). */
export const HANGUP_STATUS = 129;
/** How many restarts within RESTART_WINDOW_MS before the client gives up. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 60_000;

/** What a call gets when the worker it went to died before answering. */
export class EngineStoppedError extends Error {
  constructor(reason: string) {
    super(`the engine stopped: ${reason}`);
    this.name = 'EngineStoppedError';
  }
}


interface Generation {
  worker: Worker;
  remote: Remote;
  /** Resolves when the lab is ready, or when this worker died first (callers then look at `current`). */
  ready: Promise<void>;
  /** Rejects when this worker dies. */
  died: Promise<never>;
  dead: boolean;
  everReady: boolean;
  /** The exits of the sessions open on this worker, to end them if it dies. */
  exits: Set<(status: number) => void>;
  kill(message: string): void;
}

interface Watch {
  name: string;
  args: unknown;
  onUpdate: ((update: ViewUpdate<unknown>) => void) & Comlink.ProxyMarked;
  gen: Generation;
  remoteId: string | undefined;
}

const noticeListeners = new Set<NoticeListener>();
const restartListeners = new Set<RestartListener>();
const watches = new Map<string, Watch>();
let nextWatchId = 1;
const restarts: number[] = [];
let gaveUp: string | undefined;

/** Messages about the engine itself (not a command's output), to be shown in every terminal. */
export function onEngineNotice(listener: NoticeListener): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

/** Called each time a new worker took over after a crash, once its lab is ready. */
export function onDidRestartEngine(listener: RestartListener): () => void {
  restartListeners.add(listener);
  return () => restartListeners.delete(listener);
}

function notice(message: string): void {
  for (const listener of noticeListeners) listener(message);
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

function start(crash?: string): Generation {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'kubelab-engine' });
  const remote = Comlink.wrap<EngineApi>(worker);
  let reject!: (error: Error) => void;
  let resolveReady!: () => void;
  const died = new Promise<never>((_, r) => (reject = r));
  died.catch(() => {});
  const gen: Generation = {
    worker,
    remote,
    ready: new Promise<void>((r) => (resolveReady = r)),
    died,
    dead: false,
    everReady: false,
    exits: new Set(),
    kill(message) {
      if (gen.dead) return;
      gen.dead = true;
      reject(new EngineStoppedError(message));
      resolveReady();
      worker.terminate();
      onDeath(gen, message);
    },
  };

  worker.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data as Partial<WorkerErrorMessage | WorkerStoppedMessage> | null;
    if (!data || typeof data !== 'object' || typeof data.message !== 'string') return;
    if (data.kubelab === 'error') notice(data.message);
    if (data.kubelab === 'stopped') gen.kill(data.message);
  });
  worker.addEventListener('error', (event) => {
    gen.kill(event.message || 'the engine worker failed');
  });

  const live = <T>(p: Promise<T>) => Promise.race([p, died]);
  void (async () => {
    useLab.getState().setEngine({ kind: 'starting' });
    // The autosave first: the student works on the restored lab, never on a fresh one about to be replaced.
    await live(restoreLab((image) => remote.loadLab(image), crash));
    await live(remote.subscribe(Comlink.proxy((diff) => gen === current && !gen.dead && useLab.getState().apply(diff))));
    // The trace feeds the diagrams' animations; a failure here leaves the lab usable, so it is only reported.
    remote.subscribeTrace(Comlink.proxy((events) => gen === current && !gen.dead && useTrace.getState().push(events))).catch((error: unknown) => notice(describe(error)));
    gen.everReady = true;
    useLab.getState().setEngine({ kind: 'ready' });
    rewatch(gen);
    resolveReady();
    if (crash !== undefined) for (const listener of restartListeners) listener();
  })().catch((error: unknown) => {
    if (gen.dead) return;
    const message = describe(error);
    useLab.getState().setEngine({ kind: 'crashed', message });
    notice(message);
    resolveReady();
  });
  return gen;
}

function onDeath(gen: Generation, message: string): void {
  notice(message);
  for (const exit of gen.exits) exit(HANGUP_STATUS);
  gen.exits.clear();
  // The mirror shows the dead lab no more: everything removed, as one diff (the audience window follows).
  const lab = useLab.getState();
  const removed = { ...lab.records, ...lab.objects.records() } as Record<string, LabRecord>;
  if (Object.keys(removed).length > 0) lab.apply({ added: {}, updated: {}, removed } as RecordsDiff<LabRecord>);
  useTrace.getState().clear();

  const now = Date.now();
  while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
  if (!gen.everReady || restarts.length >= MAX_RESTARTS) {
    gaveUp = message;
    useLab.getState().setEngine({ kind: 'crashed', message });
    return;
  }
  restarts.push(now);
  current = start(message);
}

/** Watch every view again on `gen`, under the ids the UI already holds. */
function rewatch(gen: Generation): void {
  for (const [id, w] of watches) {
    if (w.gen === gen) continue;
    w.gen = gen;
    w.remoteId = undefined;
    gen.remote.watchView(w.name as never, w.args as never, w.onUpdate as never).then(
      (remoteId) => {
        if (watches.get(id) === w && w.gen === gen) w.remoteId = remoteId;
        else void gen.remote.unwatchView(remoteId).catch(() => {});
      },
      (error: unknown) => w.onUpdate({ error: describe(error) }),
    );
  }
}

let current = start();

/** Resolves once the first worker's lab is ready: restored from the autosave, or fresh. */
export const labReady: Promise<void> = current.ready;

/** The worker now, once its lab is ready; rejects when the client gave up restarting it. */
async function readyGeneration(): Promise<Generation> {
  for (;;) {
    const gen = current;
    await gen.ready;
    if (gen === current && !gen.dead) return gen;
    if (gen === current && gaveUp !== undefined) throw new EngineStoppedError(gaveUp);
  }
}

type AnyFunction = (...args: unknown[]) => unknown;

async function call(method: string, args: unknown[]): Promise<unknown> {
  const gen = await readyGeneration();
  const live = <T>(p: Promise<T>) => Promise.race([p, gen.died]);
  const remote = gen.remote as unknown as Record<string, AnyFunction>;
  if (method === 'openSession') {
    const [request, onOutput, onExit, onEdit] = args as [unknown, unknown, ((status: number) => void) & Comlink.ProxyMarked, unknown];
    let ended = false;
    const exit = (status: number) => {
      if (ended) return;
      ended = true;
      gen.exits.delete(exit);
      onExit(status);
    };
    gen.exits.add(exit);
    try {
      return await live(remote[method]!(request, onOutput, Comlink.proxy(exit), onEdit) as Promise<unknown>);
    } catch (error) {
      gen.exits.delete(exit);
      throw error;
    }
  }
  if (method === 'watchView') {
    const [name, viewArgs, onUpdate] = args as [string, unknown, Watch['onUpdate']];
    const remoteId = await live(gen.remote.watchView(name as never, viewArgs as never, onUpdate as never));
    const id = `watch-${nextWatchId++}`;
    watches.set(id, { name, args: viewArgs, onUpdate, gen, remoteId });
    return id;
  }
  if (method === 'unwatchView') {
    const [id] = args;
    const w = typeof id === 'string' ? watches.get(id) : undefined;
    if (!w) throw new Error(`unwatchView: no watch ${JSON.stringify(id)}`);
    watches.delete(id as string);
    if (w.gen === gen && w.remoteId !== undefined) await live(gen.remote.unwatchView(w.remoteId));
    return undefined;
  }
  return live(remote[method]!(...args) as Promise<unknown>);
}

/**
 * The engine's API, forwarded to the worker of the moment (comlink's remote of EngineApi: every method
 * returns a promise).
 */
export const engine = new Proxy({} as Remote, {
  get(_, prop) {
    // Not a thenable, and nothing else but methods.
    if (typeof prop !== 'string' || prop === 'then') return undefined;
    return (...args: unknown[]) => call(prop, args);
  },
});

/**
 * A debugging handle for the browser console and the e2e tests: send the worker of the moment any message
 * at all (`{ kubelab: 'crash' }` makes it crash for real: src/workers/engine.worker.ts).
 */
declare global {
  interface Window {
    kubelab?: { postRawMessage(message: unknown): void };
  }
}
window.kubelab = { postRawMessage: (message) => current.worker.postMessage(message) };

export { Comlink };
