import { expect, test } from '@playwright/test';
import { lastLines, run } from './terminal.ts';
import { openLab, shoot } from './fixtures.ts';

/**
 * The etcd diagram and the request timeline, driven from the terminal: a new Deployment's key appears in
 * the /registry tree and its revisions in the strip, a revision shows its diff; `kubectl run` draws its
 * lanes from kubectl through the apiserver's stages and etcd to the scheduler's binding, the kubelet's CRI
 * calls and runc. Screenshots go to SHOTS for review.
 */

test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page);
});

test('etcd: the /registry tree gains a new Deployment, the strip its revisions, and a revision shows its diff', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('tab-etcd').click();
  const etcd = page.getByTestId('etcd');
  const tree = etcd.getByTestId('etcd-tree');
  await expect(tree.locator('[data-path="/registry/pods"]')).toBeVisible({ timeout: 20_000 });
  await expect(tree.locator('[data-path="/registry/deployments"]')).toBeVisible();
  await expect(tree.locator('[data-path="/registry/namespaces"]')).toBeVisible();
  const lastRevision = async () => Number(await etcd.getByTestId('etcd-rev').last().getAttribute('data-revision'));
  const before = await lastRevision();

  await etcd.getByRole('button', { name: 'Expand /registry/deployments' }).click();
  await expect(tree.locator('[data-path="/registry/deployments/kube-system"]')).toBeVisible();
  await expect(tree.locator('[data-path="/registry/deployments/default"]')).toHaveCount(0);
  await run(page, 'kubectl create deployment web --image=nginx');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps/web created', 'student@laptop:~$']);
  await etcd.getByRole('button', { name: 'Expand /registry/deployments/default' }).click();
  const key = tree.locator('[data-path="/registry/deployments/default/web"]');
  await expect(key).toBeVisible();
  await expect(key).toContainText(/c\d+ · m\d+ · v\d+/);
  await expect.poll(lastRevision).toBeGreaterThan(before);

  // The key's value, as stored.
  await etcd.getByRole('button', { name: 'Show the value of /registry/deployments/default/web' }).click();
  await expect(etcd.getByTestId('etcd-value')).toContainText('"kind": "Deployment"');
  await expect(etcd.getByTestId('etcd-value')).toContainText('"image": "nginx"');

  // The revision that created it: all added; a later one (the controller's status): a diff.
  const revisions = etcd.locator('[data-testid=etcd-rev][data-changes*="PUT /registry/deployments/default/web"]');
  await expect.poll(() => revisions.count()).toBeGreaterThanOrEqual(2);
  await revisions.first().click();
  const diff = etcd.getByTestId('etcd-diff');
  await expect(diff).toContainText('PUT /registry/deployments/default/web');
  await expect(diff).toContainText('created');
  await revisions.last().click();
  await expect(diff).toContainText(/version [2-9]/);
  await expect(diff).toContainText(/\+\d+ −\d+/);
  await expect(diff.getByText(/unchanged lines?/).first()).toBeVisible();
  await shoot(page, 'etcd-diff');

  // The live watches: the apiserver's watch cache on each resource's prefix.
  await etcd.getByTestId('etcd-panel-watches').click();
  await expect(etcd.getByTestId('etcd-watches')).toContainText('kube-apiserver watch cache');
  await expect(etcd.getByTestId('etcd-watches')).toContainText('/registry/pods/*');

  // A key deleted since it was chosen says so.
  await etcd.getByTestId('etcd-panel-key').click();
  await run(page, 'kubectl delete deployment web');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps "web" deleted', 'student@laptop:~$']);
  await expect(etcd.getByTestId('etcd-key-gone')).toContainText(/was deleted at revision \d+/);
  await expect(key).toBeHidden();
  await revisions.first().click();
  await expect(etcd.getByTestId('etcd-diff')).toBeVisible();

  // Compaction: the chosen revision is gone, and the strip marks where history now starts.
  const current = Number((await etcd.getByTestId('etcd-revision').textContent())!.replace(/\D/g, ''));
  await run(page, `etcdctl compaction ${current}`);
  await expect.poll(() => lastLines(page, 2)).toEqual([`compacted revision ${current}`, 'student@laptop:~$']);
  await expect(etcd.getByTestId('etcd-revision-gone')).toContainText('was compacted');
  await expect(etcd.getByTestId('etcd-revisions')).toContainText(`< ${current}`);
  await shoot(page, 'etcd-compacted');
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'etcd-light');
});

test('timeline: kubectl run pod1 draws kubectl, the apiserver stages, etcd, the scheduler, the kubelet, CRI and runc', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('clock-speed').selectOption('10');
  await page.getByTestId('tab-timeline').click();
  const timeline = page.getByTestId('timeline');
  await run(page, 'kubectl run pod1 --image=nginx');
  await expect.poll(() => lastLines(page, 2)).toEqual(['pod/pod1 created', 'student@laptop:~$']);
  await expect(timeline.getByTestId('timeline-command')).toContainText('create pods default/pod1');

  const lanes = () => timeline.getByTestId('timeline-lane').evaluateAll((els) => els.map((e) => e.getAttribute('data-lane') ?? ''));
  await expect.poll(lanes, { timeout: 60_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^cri:/), expect.stringMatching(/^runc:/)]));
  const names = await lanes();
  expect(names.slice(0, 5)).toEqual(['kubectl', 'stage:authentication', 'stage:authorization', 'stage:admission', 'stage:storage']);
  expect(names).toContain('client:kube-scheduler');
  const node = names.find((n) => n.startsWith('cri:'))!.slice('cri:'.length);
  expect(names).toContain(`client:kubelet ${node}`);

  const item = (label: RegExp) => timeline.getByRole('button', { name: label });
  await expect(item(/^etcd: rev \d+/).first()).toBeAttached();
  await expect(item(/^kube-scheduler: create pods\/binding default\/pod1/)).toBeAttached();
  await expect(item(new RegExp(`^CRI · ${node}: RunPodSandbox`))).toBeAttached();
  await expect(item(new RegExp(`^CRI · ${node}: StartContainer`))).toBeAttached({ timeout: 30_000 });
  await expect(item(new RegExp(`^runc · ${node}: runc start`)).first()).toBeAttached();

  // The scheduler's decision: its details show the chosen node and the filter and score table.
  await item(new RegExp(`^kube-scheduler: → ${node}`)).focus();
  const details = timeline.getByTestId('timeline-details');
  await expect(details).toContainText(`node ${node}`);
  await expect(details.getByRole('table')).toContainText(node);
  await shoot(page, 'timeline');
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'timeline-light');

  // Zoom in and back to fit.
  await timeline.getByRole('button', { name: 'Zoom in' }).click();
  await expect(timeline.getByText('2×')).toBeVisible();
  await timeline.getByRole('button', { name: 'Fit' }).click();
  await expect(timeline.getByText('1×')).toBeVisible();
});
