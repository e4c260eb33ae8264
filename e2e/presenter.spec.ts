import { expect, test, type Page } from '@playwright/test';
import { lastLines, run, waitForPrompt } from './terminal.ts';
import { openLab, shoot } from './fixtures.ts';

/**
 * Presenter mode, the audience window, the keyboard shortcuts' help panel and the clock's "advance by".
 * Screenshots go to SHOTS for review.
 */

/** Take the focus out of the terminal, so that keys are shortcuts rather than typing. */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const clockMs = async (page: Page) => Number(await page.getByTestId('clock-time').getAttribute('data-ms'));

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

test('the help panel opens with ? and lists every shortcut; keys typed in the terminal stay in the terminal', async ({ page }) => {
  // In the terminal, ? and . are text.
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('echo ?.');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$ echo ?.']);
  await expect(page.getByTestId('help-panel')).toBeHidden();
  await page.keyboard.press('Control+U');

  await blur(page);
  await page.keyboard.press('?');
  const help = page.getByTestId('help-panel');
  await expect(help).toBeVisible();
  await expect(help.getByRole('heading', { name: 'Keyboard shortcuts' })).toBeVisible();
  for (const group of ['General', 'Clock', 'Diagrams', 'Presenter', 'Terminal (readline)']) await expect(help.getByRole('heading', { name: group })).toBeVisible();
  await expect(help.locator('[data-shortcut=clock-toggle]')).toContainText('Space');
  await expect(help.locator('[data-shortcut=clock-toggle]')).toContainText('Play or pause the cluster');
  await expect(help.locator('[data-shortcut=diagram-open]')).toContainText('1–9');
  await expect(help.locator('[data-shortcut=presenter-next]')).toContainText('PgDn');
  await expect(help.locator('[data-shortcut=presenter-next]')).toContainText('Next lesson step');
  await expect(help.locator('[data-shortcut=term-search]')).toContainText('Ctrl-R');
  await expect(help.getByTestId('shortcut')).toHaveCount(25);
  await shoot(page, 'help-panel');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await page.getByTestId('help-button').click();
  await expect(help).toBeVisible();
  await page.keyboard.press('?');
  await expect(help).toBeHidden();
});

test('the clock: space pauses, "advance by 1 min" moves virtual time by exactly 60 s, "." steps and says where to', async ({ page }) => {
  await blur(page);
  await page.keyboard.press(' ');
  await expect(page.getByTestId('clock-time')).toContainText('paused');
  await expect(page.getByTestId('clock-pending')).toHaveAttribute('data-count', /^[1-9]\d*$/);

  const before = await clockMs(page);
  await page.getByTestId('clock-advance').click();
  await page.getByTestId('clock-advance-1m').click();
  await expect.poll(() => clockMs(page)).toBe(before + 60_000);
  await expect(page.getByTestId('clock-note')).toContainText('Advanced to');
  await expect(page.getByTestId('clock-note')).toContainText('(+1m0s)');

  // Any amount: refused with a reason when it is not a duration, else applied.
  await page.getByTestId('clock-advance').click();
  await page.getByTestId('clock-advance-input').fill('ninety');
  await page.getByTestId('clock-advance-go').click();
  await expect(page.getByTestId('clock-advance-menu').getByRole('alert')).toContainText('Not a duration');
  await page.getByTestId('clock-advance-input').fill('1m30s');
  await page.keyboard.press('Enter');
  await expect.poll(() => clockMs(page)).toBe(before + 150_000);
  await expect(page.getByTestId('clock-advance-menu')).toBeHidden();

  await blur(page);
  const t0 = await clockMs(page);
  await page.keyboard.press('.');
  await expect(page.getByTestId('clock-note')).toContainText('Stepped to');
  const t1 = await clockMs(page);
  expect(t1).toBeGreaterThanOrEqual(t0);
  const shown = new Date(t1).toISOString().slice(11, 23);
  await expect(page.getByTestId('clock-note')).toContainText(shown);

  await page.keyboard.press(']');
  await expect(page.getByTestId('clock-speed')).toHaveValue('2');
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await expect(page.getByTestId('clock-speed')).toHaveValue('0.5');
  await page.keyboard.press(' ');
  await expect(page.getByTestId('clock-time')).not.toContainText('paused');
});

test('presenter mode: large type, an audience window that follows the cluster, the tab and the highlight', async ({ page, context }) => {
  test.setTimeout(120_000);
  await blur(page);
  const app = page.getByTestId('app');
  const termFont = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--terminal-font-size'));
  expect(await termFont()).toBe('14px');
  await page.keyboard.press('p');
  await expect(app).toHaveClass(/presenter/);
  await expect(page.getByTestId('presenter-toggle')).toHaveAttribute('aria-pressed', 'true');
  expect(await page.locator('.visuals').evaluate((el) => el.currentCSSZoom)).toBeCloseTo(1.35, 3);
  expect(await page.locator('.topbar').evaluate((el) => el.currentCSSZoom)).toBeGreaterThan(1);
  expect(await termFont()).toBe('19px');
  const xtermFont = () => page.locator('.xterm-rows').first().evaluate((el) => getComputedStyle(el).fontSize);
  await expect.poll(xtermFont).toBe('19px');
  await expect(page.getByTestId('tagline')).toBeHidden();

  const [audience] = await Promise.all([context.waitForEvent('page'), page.getByTestId('presenter-audience').click()]);
  await audience.waitForLoadState();
  const shown = audience.getByTestId('audience');
  await expect(shown).toHaveAttribute('data-status', 'live');
  const map = audience.getByTestId('cluster-map');
  await expect.poll(() => map.getByTestId('node-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual(['control-plane', 'worker-1', 'worker-2']);
  await expect(audience.getByTestId('clock-time')).toHaveAttribute('data-ms', /\d+/);
  // It mirrors the presenter's cluster: it runs no engine of its own.
  expect(audience.workers()).toHaveLength(0);
  expect(page.workers().length).toBeGreaterThan(0);

  await page.getByTestId('clock-speed').selectOption('10');
  await run(page, 'kubectl create deployment web --image=nginx --replicas=2');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps/web created', 'student@laptop:~$']);
  const web = map.locator('[data-group="Deployment/default/web"] [data-testid=pod-chip]');
  await expect(web).toHaveCount(2, { timeout: 20_000 });
  await expect(map.locator('[data-group="Deployment/default/web"] [data-state=ready]')).toHaveCount(2, { timeout: 60_000 });
  // The audience's clock follows the presenter's.
  await expect.poll(async () => Math.abs(Number(await audience.getByTestId('clock-time').getAttribute('data-ms')) - (await clockMs(page)))).toBeLessThan(5_000);

  // Highlight: Alt-click a pod in the presenter's map; the ring shows on it in both windows.
  const chip = page.getByTestId('cluster-map').locator('[data-group="Deployment/default/web"] [data-testid=pod-chip]').first();
  const pod = await chip.getAttribute('data-pod');
  await chip.click({ modifiers: ['Alt'] });
  for (const p of [page, audience]) {
    await expect(p.getByTestId('highlight-ring')).toBeVisible();
    await expect(p.getByTestId('highlight-ring')).toHaveAttribute('data-for', `pod:${pod}`);
  }
  // The ring sits on the chip.
  const ring = (await audience.getByTestId('highlight-ring').boundingBox())!;
  const target = (await audience.locator(`[data-highlight-id="pod:${pod}"]`).boundingBox())!;
  expect(Math.abs(ring.x + ring.width / 2 - (target.x + target.width / 2))).toBeLessThan(3);
  expect(Math.abs(ring.y + ring.height / 2 - (target.y + target.height / 2))).toBeLessThan(3);
  // Under presenter mode's zoom the map's tooltip still opens right under the chip it describes.
  const tip = page.getByTestId('map-tooltip');
  await chip.hover();
  await expect(tip).toContainText(pod!.split('/')[1]!);
  const tipBox = (await tip.boundingBox())!;
  const chipBox = (await chip.boundingBox())!;
  expect(Math.abs(tipBox.y - (chipBox.y + chipBox.height))).toBeLessThan(20);
  expect(Math.abs(tipBox.x - chipBox.x)).toBeLessThan(20);
  await shoot(page, 'presenter-mode');
  await shoot(audience, 'presenter-audience');

  // Switching the diagram tab in the presenter switches the audience's.
  await blur(page);
  await page.keyboard.press('2');
  await expect(page.getByRole('tab', { name: 'Object graph' })).toHaveAttribute('aria-selected', 'true');
  await expect(shown).toHaveAttribute('data-diagram', 'object-graph');
  await expect(audience.getByTestId('object-graph')).toBeVisible();
  await expect(audience.locator('[data-testid=og-node][data-kind=Deployment][data-name=web]')).toBeVisible();
  // The highlight tool: click an object in the graph.
  await page.getByTestId('presenter-pick').click();
  await page.locator('[data-testid=og-node][data-kind=Deployment][data-name=web]').click();
  await expect(audience.getByTestId('highlight-ring')).toHaveAttribute('data-for', /^object:.*web/);
  await shoot(audience, 'presenter-audience-object-graph');
  await page.getByTestId('tab-architecture').click();
  await expect(shown).toHaveAttribute('data-diagram', 'architecture');
  // A diagram drawn from a worker view (etcd's key tree): the presenter watches it for the audience.
  await page.getByTestId('tab-etcd').click();
  await expect(shown).toHaveAttribute('data-diagram', 'etcd');
  await expect(audience.getByTestId('etcd-tree')).toBeVisible({ timeout: 10_000 });
  await expect(audience.getByTestId('etcd-tree')).toContainText('registry');
  await expect(audience.getByTestId('etcd-revision')).toContainText(/\d+/);
  await shoot(audience, 'presenter-audience-etcd');
  expect(audience.workers()).toHaveLength(0);

  // Theme follows; leaving presenter mode clears the highlight and tells the audience.
  await page.getByTestId('theme-switch').click();
  await expect(audience.locator('html')).toHaveAttribute('data-theme', 'light');
  await blur(page);
  await page.keyboard.press('p');
  await expect(app).not.toHaveClass(/presenter/);
  expect(await termFont()).toBe('14px');
  await expect.poll(xtermFont).toBe('14px');
  await expect(shown).toHaveAttribute('data-status', 'ended');
  await expect(audience.getByTestId('highlight-ring')).toHaveCount(0);
});

test('settings: theme, motion and terminal font size apply at once and are remembered', async ({ page }) => {
  await page.getByTestId('settings-button').click();
  const panel = page.getByTestId('settings-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('settings-theme-light').check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await panel.getByTestId('settings-font-size').selectOption('18');
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--terminal-font-size'))).toBe('18px');
  await panel.getByTestId('settings-motion-reduce').check();
  await expect(page.locator('html')).toHaveAttribute('data-motion', 'reduce');
  await shoot(page, 'settings-panel');
  await panel.getByTestId('settings-language').selectOption('zh-CN');
  await expect(panel.getByRole('heading', { name: '设置' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await panel.getByTestId('settings-language').selectOption('en');
  await expect(panel.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();

  // Forced reduced motion: the architecture diagram lists the requests instead of animating them.
  await page.getByTestId('tab-architecture').click();
  await expect(page.getByTestId('arch-requests')).toBeVisible();
  await expect(page.getByTestId('arch-in-flight')).toHaveCount(0);

  await page.reload();
  await waitForPrompt(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('html')).toHaveAttribute('data-motion', 'reduce');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--terminal-font-size'))).toBe('18px');
  await page.getByTestId('settings-button').click();
  await expect(panel.getByTestId('settings-font-size')).toHaveValue('18');
  await panel.getByTestId('settings-motion-system').check();
  await expect(page.locator('html')).not.toHaveAttribute('data-motion', 'reduce');
});

test("pausing the clock freezes the architecture diagram's dots where they are; playing lets them finish", async ({ page }) => {
  await page.getByTestId('tab-architecture').click();
  await expect(page.getByTestId('architecture')).toBeVisible();
  await page.getByTestId('clock-toggle').click();
  await expect(page.getByTestId('clock-time')).toContainText('paused');
  await run(page, 'kubectl get pods -A');
  const dot = page.locator('[data-testid=arch-flight][data-client=kubectl]').first();
  await expect(dot).toBeVisible();
  const at = await dot.getAttribute('transform');
  // Well past a whole flight (about 600 ms of animation), the dot has not moved.
  await page.waitForTimeout(1_500);
  await expect(dot).toHaveAttribute('transform', at!);
  await page.getByTestId('clock-toggle').click();
  await expect(page.locator('[data-testid=arch-flight][data-client=kubectl]')).toHaveCount(0, { timeout: 5_000 });
});
