/**
 * The UI's figures, measured in headless Chromium (issue 8):
 * - frame time while 1,000 pods churn: the real app (worker and engine) with light nodes and a 1,000-replica
 *   Deployment rolled over and over at a clock speed where pods change every frame, the cluster map on
 *   screen; every frame's duration from requestAnimationFrame deltas, p95 against the 20 ms budget;
 * - the cluster map's render time at 150,000 pods: bench/ui/clusterMapHarness.tsx (its own Vite entry, built
 *   here and never part of the app) renders the real ClusterMap from a store filled with synthetic records
 *   for 5,000 nodes and 150,000 pods, then applies diffs changing 1% of the pods per frame; the first render
 *   and each frame's render (store apply → React commit → canvas painted), against the 100 ms budget.
 * First-paint JS is the `page` benchmark's (bench/pageLoad.bench.ts); this one reports it again from its own
 * build so `--only ui` shows all three UI budgets.
 *
 * Builds go to the system's temp folder, so a bench run never touches the project's dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build, preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../playwright.config.ts';
import { percentile, type Benchmark, type Figure } from './benchmark.ts';
import { firstPaintJs } from './pageLoad.bench.ts';
import type { HarnessOptions, HarnessResult } from './ui/harness.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const HARNESS = 'bench/ui/clusterMapHarness.html';

const SCALE: HarnessOptions = { nodes: 5000, pods: 150_000, frames: 60, changeFraction: 0.01 };
/**
 * The churn: 1,000 pods on light nodes, rolled `surge` at a time at `speed`× (a speed the engine keeps up
 * with on a small machine, so pods change nearly every frame); KUBELAB_BENCH_CHURN_SPEED overrides it.
 */
const CHURN = { pods: 1000, nodes: 10, seconds: 15, surge: 2, speed: Number(process.env.KUBELAB_BENCH_CHURN_SPEED ?? 10) };

async function serve(outDir: string): Promise<{ server: PreviewServer; url: string }> {
  const server = await preview({ configFile: false, root: ROOT, logLevel: 'warn', build: { outDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

const close = (server: PreviewServer) => new Promise<void>((resolve) => server.httpServer.close(() => resolve()));

async function clusterMapAtScale(browser: Browser, outDir: string): Promise<Figure[]> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    publicDir: false,
    plugins: [react()],
    build: { outDir, emptyOutDir: true, target: 'es2022', rollupOptions: { input: path.join(ROOT, HARNESS) } },
  });
  const { server, url } = await serve(outDir);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (error) => process.stderr.write(`harness: ${error.message}\n`));
    await page.goto(new URL(HARNESS, url).href);
    await page.waitForFunction(() => window.clusterMapBench !== undefined);
    const r: HarnessResult = await page.evaluate((options) => window.clusterMapBench!.run(options), SCALE);
    await page.close();
    const what = `${r.nodes.toLocaleString('en')} nodes, ${r.pods.toLocaleString('en')} pods`;
    const frames = `${r.renderMs.length} frames, ${r.podsChangedPerFrame.toLocaleString('en')} pods changed each, ${r.draws} painted the canvas`;
    const ms = (v: number) => Math.round(v * 10) / 10;
    return [
      { name: 'ui: cluster map first render', value: ms(r.firstRenderMs), unit: 'ms', note: `${what} arriving as one diff` },
      { name: 'ui: cluster map render p50', value: ms(percentile(r.renderMs, 50)), unit: 'ms', budget: { max: 100 }, note: frames },
      { name: 'ui: cluster map render p95', value: ms(percentile(r.renderMs, 95)), unit: 'ms', budget: { max: 100 }, note: 'store apply → React commit → canvas painted' },
      { name: 'ui: cluster map render max', value: ms(Math.max(...r.renderMs)), unit: 'ms', budget: { max: 100 } },
      { name: 'ui: cluster map frame p95', value: ms(percentile(r.frameMs, 95)), unit: 'ms', note: 'requestAnimationFrame deltas in the same run' },
      { name: 'ui: cluster map repaints only changed tiles, exactly', value: r.incrementalMatchesFull ? 1 : 0, unit: 'bool', budget: { min: 1 }, note: 'the canvas after the frames = the canvas repainted whole' },
    ];
  } finally {
    await close(server);
  }
}

/** Records every frame's duration (requestAnimationFrame deltas) while `__recording`, and which frames changed the map. */
const FRAME_RECORDER = `
  window.__frames = { durations: [], changed: 0, updated: 0, longFrames: 0, recording: false };
  window.__startFrames = () => {
    const f = window.__frames;
    f.durations = []; f.changed = 0; f.updated = 0; f.longFrames = 0; f.recording = true;
    let last, dirty = false, ticked = false;
    const map = document.querySelector('[data-testid=cluster-map]');
    const observer = new MutationObserver(() => { dirty = true; });
    observer.observe(map, { subtree: true, childList: true, characterData: true, attributes: true });
    // The virtual time on the top bar changes with every batch the worker sends.
    const clock = new MutationObserver(() => { ticked = true; });
    clock.observe(document.querySelector('.virtual-time'), { subtree: true, childList: true, characterData: true });
    const long = new PerformanceObserver((list) => { f.longFrames += list.getEntries().length; });
    try { long.observe({ type: 'long-animation-frame' }); } catch {}
    const tick = (t) => {
      if (last !== undefined) { f.durations.push(t - last); if (dirty) f.changed++; if (ticked) f.updated++; }
      dirty = false;
      ticked = false;
      last = t;
      if (f.recording) requestAnimationFrame(tick); else { observer.disconnect(); clock.disconnect(); long.disconnect(); }
    };
    requestAnimationFrame(tick);
  };
`;

interface FrameRecord {
  durations: number[];
  /** Frames in which the cluster map changed, and in which a batch from the worker arrived. */
  changed: number;
  updated: number;
  longFrames: number;
}

/** The text of the terminal's rows, as e2e/terminal.ts reads it. */
const screen = (page: Page) => page.locator('.xterm-rows').evaluate((el) => Array.from(el.children, (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));

/** Type `line` into the terminal and press Enter. */
async function type(page: Page, line: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Type `line` into the terminal, press Enter and wait for the next prompt. */
async function run(page: Page, line: string, timeout = 60_000): Promise<void> {
  const prompts = (text: string) => text.match(/student@laptop:~\$/g)?.length ?? 0;
  const before = prompts(await screen(page));
  await type(page, line);
  const deadline = Date.now() + timeout;
  // The screen scrolls, so "one prompt more" may not show as a higher count: wait for a prompt at the end instead.
  while (Date.now() < deadline) {
    const text = await screen(page);
    if (prompts(text) > before || (/student@laptop:~\$ ?$/.test(text.trimEnd()) && !text.trimEnd().endsWith(line))) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the terminal did not come back from: ${line}\n${await screen(page)}`);
}

/** Pods the aggregated map counts as Ready. */
const readyPods = (page: Page) => page.evaluate(() => Number((document.querySelector('.state-total.ready strong')?.textContent ?? '0').replace(/\D/g, '')));

async function churnFrames(browser: Browser, outDir: string): Promise<Figure[]> {
  await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const js = firstPaintJs(outDir);
  const { server, url } = await serve(outDir);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(() => {
      localStorage.clear();
      localStorage.setItem('kubelab.language', 'en');
    });
    await context.addInitScript(FRAME_RECORDER);
    const page = await context.newPage();
    page.on('pageerror', (error) => process.stderr.write(`app: ${error.message}\n`));
    await page.goto(url);
    await page.waitForFunction(() => /student@laptop:~\$/.test(document.querySelector('.xterm-rows')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.getByTestId('tab-cluster-map').click();
    // The cluster, made on a paused clock as fast as the engine can: light nodes, a 1,000-replica Deployment.
    await run(page, 'lab clock pause');
    await run(page, `lab node add --count ${CHURN.nodes} --pods 110`);
    await run(page, `kubectl create deployment churn --image=nginx --replicas=${CHURN.pods}`);
    // Rolled a few pods at a time: the engine then works in small steps and sends a batch nearly every frame
    // (a rollout 25% at a time keeps the worker busy for seconds at a stretch, and the map still for as long).
    await run(page, `kubectl patch deployment churn -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":${CHURN.surge},"maxUnavailable":0}}}}'`);
    await run(page, 'lab clock advance 90s', 300_000);
    const ready = Date.now() + 60_000;
    while ((await readyPods(page)) < CHURN.pods) {
      if (Date.now() > ready) throw new Error(`only ${await readyPods(page)} of ${CHURN.pods} pods Ready on the map`);
      await page.waitForTimeout(250);
    }
    // Then the clock plays and the Deployment rolls, every pod replaced in turn, while the frames are timed.
    await run(page, `lab clock speed ${CHURN.speed}`);
    await run(page, 'lab clock resume');
    await page.evaluate(() => (window as unknown as { __startFrames(): void }).__startFrames());
    await run(page, 'kubectl rollout restart deployment churn');
    await page.waitForTimeout(CHURN.seconds * 1000);
    const frames: FrameRecord = await page.evaluate(() => {
      const f = (window as unknown as { __frames: FrameRecord & { recording: boolean } }).__frames;
      f.recording = false;
      return f;
    });
    await context.close();
    const d = frames.durations;
    const ms = (v: number) => Math.round(v * 10) / 10;
    return [
      { name: 'ui: frame time p95, 1,000 pods churning', value: ms(percentile(d, 95)), unit: 'ms', budget: { max: 20 }, note: `${d.length} frames over ${CHURN.seconds} s: ${frames.updated} with a batch from the worker, ${frames.changed} changed the map` },
      { name: 'ui: frame time p50, 1,000 pods churning', value: ms(percentile(d, 50)), unit: 'ms', note: `max ${ms(Math.max(...d))} ms, ${frames.longFrames} long animation frame(s) > 50 ms; a rollout ${CHURN.surge} pods at a time at ${CHURN.speed}×` },
      { name: 'ui: first-paint JS (gzip)', value: Math.round(js.gzip / 1024), unit: 'KB', budget: { max: 250 }, note: `${js.files.length} file(s), ${Math.round(js.bytes / 1024)} KB raw` },
    ];
  } finally {
    await close(server);
  }
}

export const uiBenchmark: Benchmark = {
  id: 'ui',
  title: 'UI frame and render times in headless Chromium',
  async run() {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'kubelab-bench-ui-'));
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
      return [...(await churnFrames(browser, path.join(tmp, 'app'))), ...(await clusterMapAtScale(browser, path.join(tmp, 'harness')))];
    } finally {
      await browser?.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
