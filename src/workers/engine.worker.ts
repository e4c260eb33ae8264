/// <reference lib="webworker" />
// The engine's WebWorker: builds a lab and exposes its API (src/workers/engineApi.ts) with comlink.
// This is the only Comlink.expose in the project; src/ui/engine/client.ts is the only wrap.
import * as Comlink from 'comlink';
import { createEngineApi, isComlinkMessage, type WorkerErrorMessage } from './engineApi.ts';

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
      if (typeof self.requestAnimationFrame === 'function') self.requestAnimationFrame(() => fn());
      else setTimeout(fn, 16);
    },
  },
  { seed, startTime: Math.floor(Date.now() / 1000) * 1000 },
);

// Answer malformed messages instead of letting them vanish; comlink handles the well-formed ones.
self.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isComlinkMessage(event.data)) return;
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
