/**
 * Page load, measured as a student meets it: from navigation to a ready terminal prompt, served by
 * `vite preview` on 127.0.0.1 to headless Chromium. Cold = a fresh profile (nothing cached); warm/offline
 * = a profile that visited once, with the network off, served by the service worker. Also the JS a first
 * paint needs (the entry script and what it preloads), gzipped.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../playwright.config.ts';
import { median, type Benchmark, type Figure } from './benchmark.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RUNS = 5;

/** Records, in the page's own clock (ms since navigation start), when the prompt first shows. */
const PROMPT_WATCH = `
  window.__promptAt = undefined;
  new MutationObserver((_, observer) => {
    const rows = document.querySelector('.xterm-rows');
    if (rows && /student@laptop:~\\$/.test(rows.textContent || '')) {
      window.__promptAt = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

async function timeToPrompt(context: BrowserContext, url: string, reload = false): Promise<number> {
  const page = context.pages()[0] ?? (await context.newPage());
  if (reload) await page.reload();
  else await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __promptAt?: number }).__promptAt !== undefined, undefined, { timeout: 30_000, polling: 50 });
  return page.evaluate(() => (window as unknown as { __promptAt: number }).__promptAt);
}

export function firstPaintJs(distDir: string): { bytes: number; gzip: number; files: string[] } {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<script[^>]+src="([^"]+\.js)"|<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => (m[1] ?? m[2])!);
  let bytes = 0;
  let gzip = 0;
  for (const file of files) {
    const content = readFileSync(path.join(distDir, file));
    bytes += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { bytes, gzip, files };
}

export const pageLoadBenchmark: Benchmark = {
  id: 'page',
  title: 'Page load in headless Chromium',
  async run() {
    await build({ root: ROOT, logLevel: 'warn' });
    const js = firstPaintJs(path.join(ROOT, 'dist'));
    const monacoInFirstPaint = js.files.some((f) => readFileSync(path.join(ROOT, 'dist', f), 'utf8').includes('monaco-editor'));
    const server = await preview({ root: ROOT, logLevel: 'warn', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('vite preview did not report a port');
    const url = `http://127.0.0.1:${address.port}/`;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
      const cold: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext();
        await context.addInitScript(PROMPT_WATCH);
        cold.push(await timeToPrompt(context, url));
        await context.close();
      }
      const context = await browser.newContext();
      await context.addInitScript(PROMPT_WATCH);
      await timeToPrompt(context, url);
      await context.pages()[0]!.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await context.setOffline(true);
      const warm: number[] = [];
      for (let i = 0; i < RUNS; i++) warm.push(await timeToPrompt(context, url, true));
      await context.close();
      const figures: Figure[] = [
        { name: 'page: cold load to prompt', value: Math.round(median(cold)), unit: 'ms', note: `median of ${RUNS}` },
        { name: 'page: warm offline load to prompt', value: Math.round(median(warm)), unit: 'ms', budget: { max: 1000 }, note: `median of ${RUNS}, service worker, network off` },
        { name: 'page: first-paint JS (gzip)', value: Math.round(js.gzip / 1024), unit: 'KB', budget: { max: 250 }, note: `${js.files.length} file(s), ${Math.round(js.bytes / 1024)} KB raw` },
        { name: 'page: Monaco in first-paint JS', value: monacoInFirstPaint ? 1 : 0, unit: 'bool', budget: { max: 0 }, note: '0 = not loaded until the editor opens' },
      ];
      return figures;
    } finally {
      await browser?.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  },
};
