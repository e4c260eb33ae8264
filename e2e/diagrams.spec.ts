import { expect, test, type Page } from '@playwright/test';
import { lastLines, run, waitForPrompt } from './terminal.ts';
import { openLab, shoot } from './fixtures.ts';

/**
 * The workspace's layout and the cluster map, driven from the terminal. Screenshots go to SHOTS for review:
 * outside test-results, which every Playwright run empties.
 */

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

test('the cluster map shows the nodes; a Deployment adds pods that turn Ready, and scaling down removes them', async ({ page }) => {
  test.setTimeout(120_000);
  const map = page.getByTestId('cluster-map');
  await expect(page.getByRole('tab', { name: 'Cluster map' })).toHaveAttribute('aria-selected', 'true');
  const cards = map.getByTestId('node-card');
  await expect.poll(() => cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual(['control-plane', 'worker-1', 'worker-2']);
  await expect(cards.first().locator('.role')).toHaveText('control-plane');
  for (const node of ['control-plane', 'worker-1', 'worker-2']) {
    await expect(map.locator(`[data-node="${node}"] [data-testid=node-status]`)).toHaveText(/Ready/, { timeout: 20_000 });
  }
  // The control plane's static pods are grouped under the node.
  await expect(map.locator('[data-node="control-plane"] [data-group="Node/kube-system/control-plane"] [data-testid=pod-chip]').first()).toBeVisible();

  await page.getByTestId('clock-speed').selectOption('10');
  await run(page, 'kubectl create deployment web --image=nginx --replicas=3');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps/web created', 'student@laptop:~$']);
  const web = map.locator('[data-group="Deployment/default/web"] [data-testid=pod-chip]');
  await expect(web).toHaveCount(3, { timeout: 15_000 });
  await expect(map.locator('[data-group="Deployment/default/web"] [data-state=ready]')).toHaveCount(3, { timeout: 60_000 });
  await expect(web.first()).toHaveText(/1\/1$/);

  // Hover shows the pod's details; so does keyboard focus; Escape dismisses.
  await web.first().hover();
  const tip = page.getByTestId('map-tooltip');
  await expect(tip).toContainText(/web-[a-z0-9]+-[a-z0-9]+/);
  await expect(tip).toContainText('Namespace');
  await expect(tip).toContainText('BestEffort');
  await expect(tip).toContainText(/10\.244\.\d+\.\d+/);
  await shoot(page, 'cluster-map-dark');
  await page.mouse.move(5, 5);
  await expect(tip).toBeHidden();
  await web.nth(1).focus();
  await expect(tip).toBeVisible();
  await expect(web.nth(1)).toHaveAttribute('aria-describedby', 'cluster-map-tooltip');
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();

  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await web.first().hover();
  await shoot(page, 'cluster-map-light');
  await page.mouse.move(5, 5);

  // The overview: the aggregated canvas, the same cluster as tiles and counts.
  await page.getByTestId('map-view').click();
  await expect(map).toHaveAttribute('data-mode', 'aggregated');
  await expect(map.locator('.state-total.ready strong')).toHaveText(/\d+/);
  const canvas = page.getByTestId('aggregated-canvas');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + 10, box.y + 10);
  await expect(tip).toContainText('control-plane');
  await shoot(page, 'cluster-map-overview-light');
  await page.getByTestId('theme-switch').click();
  await shoot(page, 'cluster-map-overview-dark');
  await page.getByTestId('map-view').click();
  await expect(map).toHaveAttribute('data-mode', 'detailed');

  await run(page, 'kubectl scale deployment web --replicas=1');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps/web scaled', 'student@laptop:~$']);
  await expect(map.locator('[data-group="Deployment/default/web"] [data-state=ready]')).toHaveCount(1, { timeout: 30_000 });
  await expect(web).toHaveCount(1, { timeout: 60_000 });
  await shoot(page, 'cluster-map-scaled-dark');
});

test('the splitter resizes the visuals and the terminal, by keyboard and pointer, and is remembered', async ({ page }) => {
  const splitter = page.getByRole('separator', { name: 'Resize the terminal' });
  const now = async () => Number(await splitter.getAttribute('aria-valuenow'));
  const start = await now();
  await splitter.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  expect(await now()).toBe(start - 4);
  await page.keyboard.press('Shift+ArrowDown');
  expect(await now()).toBe(start + 6);

  const box = (await splitter.boundingBox())!;
  const cx = box.x + box.width / 2;
  await page.mouse.move(cx, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(cx, 250, { steps: 5 });
  await page.mouse.up();
  const dragged = await now();
  expect(dragged).toBeLessThan(start - 10);
  const terminalHeight = await page.getByTestId('terminal').evaluate((el) => el.clientHeight);

  await page.reload();
  await waitForPrompt(page);
  expect(await now()).toBe(dragged);
  expect(await page.getByTestId('terminal').evaluate((el) => el.clientHeight)).toBe(terminalHeight);
  // The terminal fits its new size and works.
  await run(page, 'echo resized');
  await expect.poll(() => lastLines(page, 2)).toEqual(['resized', 'student@laptop:~$']);
  await shoot(page, 'layout-resized-dark');
});

/** Paste text into the terminal as a browser paste does. */
async function paste(page: Page, text: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.querySelector('.xterm-helper-textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

const PODS = `kubectl apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: ssd
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: app
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: unready
spec:
  containers:
  - name: app
    image: nginx
    readinessProbe:
      httpGet:
        port: 9999
        path: /
YAML
`;

test('each pod state has its own chip, and a pod no node fits waits in the unscheduled lane', async ({ page }) => {
  test.setTimeout(120_000);
  const map = page.getByTestId('cluster-map');
  const chip = (name: string) => map.locator(`[data-pod="default/${name}"]`);
  await page.getByTestId('clock-speed').selectOption('10');
  await paste(page, PODS);
  await expect.poll(() => lastLines(page, 1), { timeout: 10_000 }).toEqual(['student@laptop:~$']);
  await run(page, "kubectl run crash --image=busybox -- sh -c 'exit 1'");
  await run(page, 'kubectl run once --image=busybox --restart=Never -- true');
  await run(page, 'kubectl run sleeper --image=busybox -- sleep 3600');

  await expect(page.getByTestId('unscheduled-lane').locator('[data-pod="default/ssd"]')).toHaveAttribute('data-state', 'pending', { timeout: 20_000 });
  await expect(page.getByTestId('unscheduled-lane').locator('[data-group="Pod/default/"]')).toBeVisible();
  await expect(chip('unready')).toHaveAttribute('data-state', 'notReady', { timeout: 30_000 });
  await expect(chip('unready')).toHaveText(/0\/1$/);
  await expect(chip('crash')).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
  await expect(chip('once')).toHaveAttribute('data-state', 'completed', { timeout: 30_000 });
  await expect(chip('sleeper')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  // Each state is drawn with its own glyph, not only its own colour.
  const glyphs = await map.locator('[data-pod^="default/"] .glyph').allTextContents();
  expect(new Set(glyphs).size).toBe(5);

  await page.getByTestId('clock-speed').selectOption('1');
  await run(page, 'kubectl delete pod sleeper --wait=false');
  await expect(chip('sleeper')).toHaveAttribute('data-state', 'terminating', { timeout: 15_000 });
  // Give the visuals the whole height (End on the splitter) so that every card shows.
  await page.getByRole('separator', { name: 'Resize the terminal' }).focus();
  await page.keyboard.press('End');
  await chip('crash').hover();
  await expect(page.getByTestId('map-tooltip')).toContainText(/Restarts\s*[1-9]/);
  await shoot(page, 'cluster-map-states-dark');
  await page.getByTestId('theme-switch').click();
  await shoot(page, 'cluster-map-states-light');

  // The same in Chinese: API kinds and kubectl's STATUS untranslated.
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByRole('tab', { name: '集群地图' })).toBeVisible();
  await expect(page.getByTestId('unscheduled-lane').locator('.node-name')).toHaveText('Pending — 尚未调度');
  await shoot(page, 'cluster-map-states-zh-light');
});

test('the diagram tabs follow the arrow keys, and the open one is remembered', async ({ page }) => {
  const tabs = page.getByRole('tablist', { name: 'Diagrams' }).getByRole('tab');
  const count = await tabs.count();
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('region', { name: 'Visuals' }).getByRole('tabpanel')).toContainText('control-plane');
  if (count < 2) return;
  await tabs.first().focus();
  await page.keyboard.press('ArrowRight');
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(tabs.nth(1)).toBeFocused();
  await expect(page.getByTestId('cluster-map')).toHaveCount(0);
  await page.reload();
  await waitForPrompt(page);
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await tabs.nth(1).focus();
  await page.keyboard.press('Home');
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('cluster-map')).toBeVisible();
});
