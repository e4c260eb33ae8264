/**
 * The UI's only door to the engine: starts the worker and wraps its API with comlink (the only
 * Comlink.wrap in the project). Diffs from the worker feed the lab store; messages the worker sends
 * outside comlink (its answer to a malformed message) and worker crashes reach `onEngineNotice`.
 */
import * as Comlink from 'comlink';
import type { EngineApi, WorkerErrorMessage } from '../../workers/engineApi.ts';
import { useLab } from '../state/labStore.ts';
import { useTrace } from '../state/traceStore.ts';

type NoticeListener = (message: string) => void;

const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: 'kubelab-engine' });
const noticeListeners = new Set<NoticeListener>();

export const engine = Comlink.wrap<EngineApi>(worker);

/** Messages about the engine itself (not a command's output), to be shown in every terminal. */
export function onEngineNotice(listener: NoticeListener): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

function notice(message: string): void {
  for (const listener of noticeListeners) listener(message);
}

worker.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as Partial<WorkerErrorMessage> | null;
  if (data && typeof data === 'object' && data.kubelab === 'error' && typeof data.message === 'string') notice(data.message);
});

worker.addEventListener('error', (event) => {
  const message = event.message || 'the engine worker failed to start';
  useLab.getState().setEngine({ kind: 'crashed', message });
  notice(message);
});

void engine
  .subscribe(Comlink.proxy((diff) => useLab.getState().apply(diff)))
  .then(() => useLab.getState().setEngine({ kind: 'ready' }))
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    useLab.getState().setEngine({ kind: 'crashed', message });
    notice(message);
  });

// The trace feeds the diagrams' animations; a failure here leaves the lab usable, so it is only reported.
engine.subscribeTrace(Comlink.proxy((events) => useTrace.getState().push(events))).catch((error: unknown) => notice(error instanceof Error ? error.message : String(error)));

/** A debugging handle for the browser console and the e2e tests: send the worker any message at all. */
declare global {
  interface Window {
    kubelab?: { postRawMessage(message: unknown): void };
  }
}
window.kubelab = { postRawMessage: (message) => worker.postMessage(message) };

export { Comlink };
