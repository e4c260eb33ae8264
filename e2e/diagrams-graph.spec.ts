import { expect, test, type Page } from '@playwright/test';
import { lastLines, run, waitForPrompt } from './terminal.ts';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('kubelab.language', 'en'));
  await page.goto('/');
  await waitForPrompt(page);
});

const node = (page: Page, kind: string, name?: string | RegExp) => {
  const all = page.locator(`[data-testid="og-node"][data-kind="${kind}"]`);
  if (name === undefined) return all;
  return typeof name === 'string' ? page.locator(`[data-testid="og-node"][data-kind="${kind}"][data-name="${name}"]`) : all.filter({ has: page.locator('text', { hasText: name }) });
};
const edges = (page: Page, type: string, from: string) => page.locator(`[data-testid="og-edge"][data-type="${type}"][data-from^="${from}"]`);
const prompt = async (page: Page) => expect.poll(() => lastLines(page, 1), { timeout: 15_000 }).toEqual(['student@laptop:~$']);

test('the object graph draws a Deployment and its Service, live', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('tab-object-graph').click();
  await expect(page.getByTestId('object-graph')).toBeVisible();
  await page.getByTestId('clock-speed').selectOption('10');
  await run(page, 'kubectl create deployment web --image=nginx --replicas=2');
  await prompt(page);
  await run(page, 'kubectl expose deployment web --port=80');
  await prompt(page);

  // Deployment web → ReplicaSet web-<hash> → two Pods.
  await expect(node(page, 'Deployment', 'web')).toBeVisible({ timeout: 20_000 });
  await expect(edges(page, 'owner', 'deployments/default/web')).toHaveCount(1, { timeout: 20_000 });
  const rsId = await edges(page, 'owner', 'deployments/default/web').getAttribute('data-to');
  expect(rsId).toMatch(/^replicasets\/default\/web-[a-z0-9]+$/);
  await expect(edges(page, 'owner', `${rsId}`)).toHaveCount(2, { timeout: 20_000 });
  await expect(node(page, 'Pod')).toHaveCount(2);

  // Service web → EndpointSlice → the same two Pods, drawn as ready once they are; and the selector, dashed.
  await expect(node(page, 'Service', 'web')).toBeVisible({ timeout: 20_000 });
  await expect(edges(page, 'owner', 'services/default/web')).toHaveCount(1, { timeout: 30_000 });
  const sliceId = await edges(page, 'owner', 'services/default/web').getAttribute('data-to');
  expect(sliceId).toMatch(/^endpointslices\/default\/web-/);
  await expect(page.locator(`[data-testid="og-edge"][data-type="endpoint"][data-from="${sliceId}"][data-ready="true"]`)).toHaveCount(2, { timeout: 60_000 });
  await expect(edges(page, 'selector', 'services/default/web')).toHaveCount(2);
  const podIds = await page.locator(`[data-testid="og-edge"][data-type="owner"][data-from="${rsId}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-to')).sort());
  const endpointPods = await page.locator(`[data-testid="og-edge"][data-type="endpoint"][data-from="${sliceId}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-to')).sort());
  expect(endpointPods).toEqual(podIds);
  await expect(node(page, 'Pod').first()).toContainText('1/1 Running');

  // A selected object that is deleted clears its selection, without errors.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await node(page, 'Service', 'web').click();
  await expect(page.getByTestId('object-graph-details')).toContainText('ClusterIP');
  await expect(page.getByTestId('object-graph-details')).toContainText('app=web');
  await page.screenshot({ path: test.info().outputPath('diagrams-object-graph.png') });
  await run(page, 'kubectl delete service web');
  await prompt(page);
  await expect(node(page, 'Service', 'web')).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId('object-graph-details')).toHaveCount(0);
  expect(errors).toEqual([]);

  // Another namespace: kube-system's DaemonSet (kube-proxy) owns its pods.
  await page.getByTestId('object-graph-namespace').selectOption('kube-system');
  await expect(node(page, 'DaemonSet', 'kube-proxy')).toBeVisible();
  await expect(edges(page, 'owner', 'daemonsets/kube-system/kube-proxy').first()).toBeAttached();

  // In Chinese and the light theme, for review: API kinds stay untranslated.
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('theme-switch').click();
  await expect(page.getByTestId('tab-object-graph')).toHaveText('对象关系图');
  await expect(node(page, 'DaemonSet', 'kube-proxy')).toContainText('DaemonSet');
  await page.screenshot({ path: test.info().outputPath('diagrams-object-graph-zh-light.png') });
  expect(errors).toEqual([]);
});

test('the architecture diagram animates a kubectl request and lists it under the apiserver', async ({ page }) => {
  test.setTimeout(90_000);
  await page.getByTestId('tab-architecture').click();
  await expect(page.getByTestId('architecture')).toBeVisible();
  await expect(page.locator('[data-testid="arch-component"][data-id^="kubelet@"]').first()).toBeVisible();
  await run(page, 'kubectl get pods');
  await expect(page.locator('[data-testid="arch-flight"][data-client="kubectl"]').first()).toBeAttached({ timeout: 10_000 });
  await page.screenshot({ path: test.info().outputPath('diagrams-architecture.png') });
  await prompt(page);

  await page.locator('[data-testid="arch-component"][data-id="kubectl"]').click();
  await expect(page.getByTestId('arch-panel').getByTestId('arch-event').filter({ hasText: 'list pods -n default' }).first()).toBeVisible();
  await page.locator('[data-testid="arch-component"][data-id="kube-apiserver"]').click();
  await expect(page.getByTestId('arch-panel').getByTestId('arch-event')).toHaveCount(50);

  // A refused request is drawn as a denial.
  await run(page, 'kubectl get pods --as=jane');
  await expect(page.locator('[data-testid="arch-flight"][data-outcome="denied"]').first()).toBeAttached({ timeout: 10_000 });
  await page.screenshot({ path: test.info().outputPath('diagrams-architecture-denied.png') });
});

test('kubectl exec goes out to the node’s kubelet and containerd', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('tab-architecture').click();
  await page.getByTestId('clock-speed').selectOption('10');
  await run(page, 'kubectl run box --image=busybox -- sleep 3600 && kubectl wait --for=condition=Ready pod/box --timeout=60s');
  await expect.poll(() => lastLines(page, 2), { timeout: 60_000 }).toEqual(['pod/box condition met', 'student@laptop:~$']);
  await page.getByTestId('clock-speed').selectOption('1');
  const nodeName = (await run(page, "kubectl get pod box -o jsonpath='{.spec.nodeName}'; echo"), await prompt(page), (await lastLines(page, 2))[0]!.replace('student@laptop:~$', '').trim());
  await run(page, 'kubectl exec box -- hostname');
  await expect(page.locator('[data-testid="arch-flight"][data-client="kubectl"]').first()).toBeAttached({ timeout: 10_000 });
  await prompt(page);
  // Freeze the cluster: the kubelet's own CRI calls (PLEG relists every second) would soon push the exec
  // out of a component's last fifty events.
  await page.getByTestId('clock-toggle').click();
  await expect(page.getByTestId('clock-time')).toContainText('paused');
  const node = await page.evaluate(() => document.querySelector('[data-testid="arch-component"][data-id^="containerd@"]') !== null);
  expect(node).toBe(true);
  await page.locator(`[data-testid="arch-component"][data-id="containerd@${nodeName}"]`).click();
  await expect(page.getByTestId('arch-panel').getByTestId('arch-event').filter({ hasText: 'RuntimeService/Exec' }).first()).toBeVisible();
  await page.locator(`[data-testid="arch-component"][data-id="kubelet@${nodeName}"]`).click();
  await expect(page.getByTestId('arch-panel').getByTestId('arch-event').filter({ hasText: 'serve POST /exec/default/box/box 101' }).first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('diagrams-architecture-exec.png') });
});

test('with reduced motion the architecture lists requests instead of animating them', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.getByTestId('tab-architecture').click();
  await run(page, 'kubectl get pods');
  await prompt(page);
  await expect(page.getByTestId('arch-requests')).toContainText('kubernetes-admin');
  await expect(page.locator('[data-testid="arch-flight"]')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('diagrams-architecture-reduced-motion.png') });
  await page.getByTestId('language').selectOption('zh-CN');
  await page.getByTestId('theme-switch').click();
  await page.locator('[data-testid="arch-component"][data-id="etcd"]').click();
  await expect(page.getByTestId('arch-panel')).toContainText('近期跟踪事件');
  await page.screenshot({ path: test.info().outputPath('diagrams-architecture-zh-light.png') });
});
