/// <reference lib="webworker" />
// The engine's WebWorker: builds a lab and exposes its API (src/workers/engineApi.ts) with comlink.
// This is the only Comlink.expose in the project; src/ui/engine/client.ts is the only wrap.
import * as Comlink from 'comlink';
import { createEngineApi, isComlinkMessage, type WorkerErrorMessage, type WorkerStoppedMessage } from './engineApi.ts';

declare const self: DedicatedWorkerGlobalScope;

const seed = crypto.getRandomValues(new Uint32Array(1))[0]!;
const api = createEngineApi(
  {
    now: () => performance.now(),
    setTimer: (fn, ms) => {
      const handle = setTimeout(fn, ms);
      return () => clearTimeout(handle);
    },
    onNextFrame: (fn) => {
      // A worker's requestAnimationFrame starves while the engine's timers keep it busy (Chromium: a
      // 1,000-pod rollout sent 14 batches in 15 s): a timeout backs it up, whichever comes first runs `fn`.
      let pending = true;
      const run = () => {
        if (!pending) return;
        pending = false;
        fn();
      };
      if (typeof self.requestAnimationFrame === 'function') self.requestAnimationFrame(run);
      setTimeout(run, 16);
    },
    onStopped: (message) => {
      const stopped: WorkerStoppedMessage = { kubelab: 'stopped', message };
      self.postMessage(stopped);
    },
  },
  { seed, startTime: Math.floor(Date.now() / 1000) * 1000 },
);

// Answer malformed messages instead of letting them vanish; comlink handles the well-formed ones.
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isComlinkMessage(event.data)) return;
  if (isCrashRequest(event.data)) {
    // A debugging hook (window.kubelab.postRawMessage({ kubelab: 'crash' })): an uncaught error from a
    // timer, which reaches the page as the worker's `error` event — the path of any real crash.
    setTimeout(() => {
      throw new Error('the engine crashed on request (debugging hook)');
    });
    return;
  }
  let shown: string;
  try {
    shown = JSON.stringify(event.data)?.slice(0, 80) ?? String(event.data);
  } catch {
    shown = Object.prototype.toString.call(event.data);
  }
  const reply: WorkerErrorMessage = { kubelab: 'error', message: `the engine ignored a malformed message: ${shown}` };
  self.postMessage(reply);
});

Comlink.expose(api);

function isCrashRequest(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { kubelab?: unknown }).kubelab === 'crash';
}
