import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { lastLines, run } from './terminal.ts';
import { openLab, SHOTS } from './fixtures.ts';

/**
 * axe-core (4.x, injected from node_modules: @axe-core/playwright needs a newer Node) over the main views:
 * every diagram tab the visuals tablist has — so a diagram added later is checked without touching this
 * file — with the terminal beside it (and the cluster map's overview too), in the dark and the light theme. Any `serious` or `critical`
 * violation fails the test, listed one per line with the rule, the elements and how to fix them.
 * Screenshots of each view go to SHOTS for review.
 */

const AXE = path.resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

/** axe's serious and critical violations on the page as it is now, as readable lines. */
async function audit(page: Page, view: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  const lines: string[] = [];
  for (const v of violations) {
    if (!v.impact || !BLOCKING.has(v.impact)) continue;
    lines.push(`[${view}] ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    ${n.target.join(' ')}  ${n.html.slice(0, 160)}`);
      if (n.failureSummary) lines.push(`      ${n.failureSummary.replace(/\n\s*/g, ' / ')}`);
    }
    if (v.nodes.length > 8) lines.push(`    … and ${v.nodes.length - 8} more`);
  }
  return lines;
}

async function setTheme(page: Page, theme: 'dark' | 'light'): Promise<void> {
  const html = page.locator('html');
  if ((await html.getAttribute('data-theme')) !== theme) await page.getByTestId('theme-switch').click();
  await expect(html).toHaveAttribute('data-theme', theme);
}

test('no serious or critical accessibility violations on each diagram tab and the terminal, in both themes', async ({ page }) => {
  test.setTimeout(180_000);
  // Something to draw: pods on the map, a Deployment → ReplicaSet → Pod chain in the graph, requests in the architecture.
  await page.getByTestId('clock-speed').selectOption('10');
  await run(page, 'kubectl create deployment web --image=nginx --replicas=2');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps/web created', 'student@laptop:~$']);
  await expect(page.locator('[data-group="Deployment/default/web"] [data-state=ready]')).toHaveCount(2, { timeout: 60_000 });

  const tabs = page.locator('.visuals [role=tablist] [role=tab]');
  const count = await tabs.count();
  expect(count).toBeGreaterThanOrEqual(3);
  const found: string[] = [];
  for (const theme of ['dark', 'light'] as const) {
    await setTheme(page, theme);
    for (let i = 0; i < count; i++) {
      const tab = tabs.nth(i);
      const id = (await tab.getAttribute('id')) ?? `tab-${i}`;
      await tab.click();
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      const panel = page.locator(`#${await tab.getAttribute('aria-controls')}`);
      await expect(panel).not.toBeEmpty();
      // Let the diagram draw what it draws from the store (and its first animation frames) before auditing.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const view = `${id.replace(/^tab-/, '')}, ${theme}`;
      found.push(...(await audit(page, view)));
      await page.screenshot({ path: `${SHOTS}/a11y-${id.replace(/^tab-/, '')}-${theme}.png` });
      // The cluster map's overview (the canvas it draws past 300 pods or 50 nodes) is a view of its own.
      const overview = panel.getByTestId('map-view');
      if ((await overview.count()) > 0 && (await overview.isEnabled())) {
        await overview.click();
        await expect(panel.getByTestId('aggregated-canvas')).toBeVisible();
        found.push(...(await audit(page, `${view}, overview`)));
        await page.screenshot({ path: `${SHOTS}/a11y-${id.replace(/^tab-/, '')}-overview-${theme}.png` });
        await overview.click();
      }
    }
  }
  if (found.length > 0) console.log(`axe found serious or critical violations:\n${found.join('\n')}`);
  expect(found, found.join('\n')).toEqual([]);
});
