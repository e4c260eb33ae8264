/**
 * The cluster map at scale, alone on a page, for `npm run bench -- --only ui` (bench/ui.bench.ts): the
 * real ClusterMap and lab store, fed with synthetic records as the worker would send them — 5,000 nodes
 * and 150,000 pods (the engine cannot make that many in a browser quickly) — and then diffs that change
 * about 1% of the pods each frame (status flips, pods replaced by new ones).
 *
 * `window.clusterMapBench.run(frames)` renders, times and returns: the first render (the whole cluster
 * arriving as one diff, from the store's apply to the canvas drawn) and each frame's render (one diff,
 * same span), both measured around `flushSync` so React renders, commits and runs its effects (the
 * canvas paint) inside the span; `draws` counts the frames that painted the canvas, to prove each did, and
 * `incrementalMatchesFull` whether the canvas painted tile by tile equals it painted whole.
 * Not part of the app's build: only the bench builds it.
 */
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { RecordsDiff } from '../../src/engine/base/recordsDiff.ts';
import type { PodView, WorkloadView } from '../../src/engine/cluster/clusterView.ts';
import type { LabRecord } from '../../src/engine/cluster/lab.ts';
import { ClusterMap } from '../../src/ui/diagrams/clusterMap/ClusterMap.tsx';
import { node, pod, replicaSet } from '../../src/ui/diagrams/clusterMap/testdata.ts';
import { initI18n } from '../../src/ui/i18n/i18n.ts';
import { useLab } from '../../src/ui/state/labStore.ts';
import '../../src/ui/styles.css';
import type { HarnessOptions, HarnessResult } from './harness.ts';

/** A small deterministic generator (the figures must not depend on luck). */
function lcg(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const DEPLOYMENTS = 1000;
const STATUSES: Array<Pick<PodView, 'phase' | 'status' | 'isReady' | 'ready'>> = [
  { phase: 'Running', status: 'Running', isReady: true, ready: '1/1' },
  { phase: 'Running', status: 'Running', isReady: false, ready: '0/1' },
  { phase: 'Pending', status: 'ContainerCreating', isReady: false, ready: '0/1' },
  { phase: 'Running', status: 'CrashLoopBackOff', isReady: false, ready: '0/1' },
  { phase: 'Running', status: 'Terminating', isReady: false, ready: '0/1' },
];

function cluster(nodeCount: number, podCount: number, frames: number, changeFraction: number): { initial: RecordsDiff<LabRecord>; diffs: Array<RecordsDiff<LabRecord>> } {
  const rand = lcg(42);
  const added: Record<string, LabRecord> = {};
  for (let i = 0; i < nodeCount; i++) {
    const n = node(`node-${i}`, { allocatable: { cpu: 16000, memory: 64 * 1024 ** 3, pods: 110 }, ready: i % 97 !== 0, unschedulable: i % 211 === 0, roles: i < 3 ? ['control-plane'] : [] });
    added[n.id] = n;
  }
  const sets: WorkloadView[] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const rs = replicaSet(`app-${d}-5d8f7c`, `app-${d}`);
    sets.push(rs);
    added[rs.id] = rs;
  }
  let serial = 0;
  const makePod = (): PodView => {
    const rs = sets[rand(sets.length)]!;
    const state = rand(20) === 0 ? STATUSES[1 + rand(STATUSES.length - 1)]! : STATUSES[0]!;
    return pod(`${rs.name}-p${(serial++).toString(36)}`, {
      node: `node-${rand(nodeCount)}`,
      owner: { kind: 'ReplicaSet', name: rs.name, uid: rs.uid },
      requests: { cpu: 50 + rand(10) * 50, memory: (32 + rand(8) * 32) * 1024 ** 2 },
      ...state,
    });
  };
  const pods: PodView[] = [];
  for (let i = 0; i < podCount; i++) {
    const p = makePod();
    pods.push(p);
    added[p.id] = p;
  }
  const perFrame = Math.round(podCount * changeFraction);
  const diffs: Array<RecordsDiff<LabRecord>> = [];
  let cursor = 0;
  for (let f = 0; f < frames; f++) {
    const diff: RecordsDiff<LabRecord> = { added: {}, updated: {}, removed: {} };
    for (let k = 0; k < perFrame; k++) {
      const i = (cursor = (cursor + 7919) % pods.length);
      const before = pods[i]!;
      if (before.id in diff.updated || before.id in diff.removed) continue;
      if (k % 3 === 0) {
        // A pod replaced: the old one deleted, a new one (another name, maybe another node) created.
        const after = makePod();
        diff.removed[before.id] = before;
        diff.added[after.id] = after;
        pods[i] = after;
      } else {
        const after: PodView = { ...before, ...STATUSES[rand(STATUSES.length)]!, restarts: before.restarts + 1 };
        diff.updated[before.id] = [before, after];
        pods[i] = after;
      }
    }
    diffs.push(diff);
  }
  return { initial: { added, updated: {}, removed: {} }, diffs };
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function run(options: HarnessOptions): Promise<HarnessResult> {
  await initI18n();
  const { initial, diffs } = cluster(options.nodes, options.pods, options.frames, options.changeFraction);
  let fills = 0;
  const fillRect = CanvasRenderingContext2D.prototype.fillRect;
  CanvasRenderingContext2D.prototype.fillRect = function (this: CanvasRenderingContext2D, ...args: Parameters<typeof fillRect>) {
    fills++;
    return fillRect.apply(this, args);
  };
  const root = createRoot(document.getElementById('root')!);
  flushSync(() => root.render(<ClusterMap />));
  flushSync(() => useLab.getState().setEngine({ kind: 'ready' }));
  await nextFrame();

  const apply = useLab.getState().apply;
  const start = performance.now();
  flushSync(() => apply(initial));
  const firstRenderMs = performance.now() - start;
  if (fills === 0) throw new Error('the first render drew nothing on the canvas: is the map aggregated?');
  await nextFrame();
  await nextFrame();

  let draws = 0;
  const renderMs: number[] = [];
  const frameMs: number[] = [];
  let last = await nextFrame();
  for (const diff of diffs) {
    const before = fills;
    const t0 = performance.now();
    flushSync(() => apply(diff));
    renderMs.push(performance.now() - t0);
    if (fills > before) draws++;
    const now = await nextFrame();
    frameMs.push(now - last);
    last = now;
  }
  // The canvas painted tile by tile must equal one painted whole: a theme round trip repaints it all.
  const canvas = document.querySelector('canvas')!;
  const incremental = canvas.toDataURL();
  for (const theme of ['light', 'dark']) {
    document.documentElement.dataset.theme = theme;
    await nextFrame();
    await nextFrame();
  }
  const incrementalMatchesFull = canvas.toDataURL() === incremental;
  const podsChangedPerFrame = Math.round(diffs.reduce((n, d) => n + Object.keys(d.updated).length + Object.keys(d.removed).length, 0) / diffs.length);
  return { nodes: options.nodes, pods: options.pods, podsChangedPerFrame, firstRenderMs, renderMs, frameMs, draws, incrementalMatchesFull };
}

window.clusterMapBench = { run };
