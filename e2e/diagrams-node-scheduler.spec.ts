import { expect, test, type Page } from '@playwright/test';
import { lastLines, run } from './terminal.ts';
import { openLab, shoot } from './fixtures.ts';

/**
 * The node-internals and scheduler diagrams, driven from the terminal: a pod's processes with their
 * namespaces' inode numbers, its cgroup, its overlay's copy-up and whiteout; the scheduler's node × plugin
 * table for a pod that fits and for one that fits nowhere. Screenshots go to SHOTS for review.
 */

const prompt = async (page: Page) => expect.poll(() => lastLines(page, 1), { timeout: 20_000 }).toEqual(['student@laptop:~$']);

/** Run a command and wait for the prompt to come back. */
async function sh(page: Page, line: string): Promise<void> {
  await run(page, line);
  await prompt(page);
}

/** The node pod `name` runs on, once it is Running. */
async function nodeOf(page: Page, name: string): Promise<string> {
  let node = '';
  await expect
    .poll(
      async () => {
        await sh(page, `kubectl get pod ${name} -o jsonpath='{.status.phase} {.spec.nodeName}{"\\n"}'`);
        const line = (await lastLines(page, 2))[0] ?? '';
        node = line.split(' ')[1] ?? '';
        return line.split(' ')[0];
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe('Running');
  return node;
}

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

test('node internals: the process tree by namespace, the cgroup tree, and the overlay copy-up and whiteout', async ({ page }) => {
  test.setTimeout(180_000);
  await page.getByTestId('tab-node-internals').click();
  const diagram = page.getByTestId('node-internals');
  await expect(diagram).toBeVisible();
  await page.getByTestId('node-internals-node').selectOption('worker-1');
  await expect(diagram.locator('[data-testid=process-row][data-comm=kubelet]')).toHaveCount(1, { timeout: 20_000 });
  await expect(diagram.locator('[data-testid=process-row][data-comm=containerd]')).toHaveCount(1);

  // A lightweight node has no kernel, and says so.
  await page.getByTestId('node-internals-node').selectOption('control-plane');
  await expect(diagram.getByTestId('node-internals-absent')).toContainText('lightweight node');

  await page.getByTestId('clock-speed').selectOption('10');
  await sh(page, 'kubectl run web --image=nginx');
  const node = await nodeOf(page, 'web');
  expect(node).toMatch(/^worker-[12]$/);
  await page.getByTestId('node-internals-node').selectOption(node);

  // nginx runs in the web pod, grouped with its pause process, in the pod's net namespace (not the host's).
  const nginx = diagram.locator('[data-testid=process-row][data-comm=nginx]');
  await expect(nginx.first()).toBeVisible({ timeout: 20_000 });
  const group = diagram.locator('[data-testid=pod-group][data-pod="default/web"]');
  await expect(group).toContainText(/share the pause process's net:\[\d+\]/);
  const podNet = await nginx.first().getByTestId('ns-inode').textContent();
  expect(podNet).toMatch(/^net:\[40265\d+\]$/);
  const hostNet = await diagram.locator('[data-testid=process-row][data-comm=kubelet] [data-testid=ns-inode]').textContent();
  expect(hostNet).toMatch(/^net:\[\d+\]$/);
  expect(podNet).not.toBe(hostNet);
  await expect(diagram.locator('[data-testid=process-row][data-comm=pause]').filter({ hasText: podNet! })).toHaveCount(1);
  // Coloured by pid namespace, nginx's inode is its own pid namespace's.
  await diagram.getByTestId('ns-type-pid').check();
  await expect(nginx.first().getByTestId('ns-inode')).toHaveText(/^pid:\[\d+\]$/);
  await diagram.getByTestId('ns-type-net').check();
  await expect(diagram.getByTestId('ns-legend')).toContainText('default/web');
  await nginx.first().scrollIntoViewIfNeeded();
  await shoot(page, 'node-internals-processes-dark');

  // The cgroup tree: the pod's cgroup and its container's scope, with memory in use.
  await page.getByTestId('node-internals-tab-cgroups').click();
  const podCgroup = diagram.locator('[data-testid=cgroup-row][data-pod="default/web"]:not([data-container])');
  await expect(podCgroup).toHaveCount(1, { timeout: 20_000 });
  await expect(podCgroup).toHaveAttribute('data-path', /^\/kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod[0-9a-f_]+\.slice$/);
  await expect(podCgroup.getByTestId('memory-current')).toHaveText(/^[\d.]+(Ki|Mi|B) \/ max$/);
  await expect(diagram.locator('[data-testid=cgroup-row][data-container=web]')).toHaveCount(1);
  await diagram.locator('[data-testid=cgroup-row][data-container=web]').scrollIntoViewIfNeeded();
  await shoot(page, 'node-internals-cgroups-dark');

  // The overlay stack of the web container: then a copy-up and a whiteout, animated in.
  await page.getByTestId('node-internals-tab-overlay').click();
  const picker = page.getByTestId('overlay-container');
  const webOption = picker.locator('option', { hasText: 'default/web · web' });
  await picker.selectOption((await webOption.getAttribute('value'))!);
  const stack = diagram.getByTestId('overlay-stack');
  await expect(stack.getByTestId('lowerdir').first()).toBeVisible({ timeout: 20_000 });
  expect(await stack.getByTestId('lowerdir').count()).toBeGreaterThan(1);
  await expect(stack.locator('[data-testid=upper-entry][data-path="/etc/nginx/nginx.conf"]')).toHaveCount(0);
  await sh(page, `kubectl exec web -- sh -c 'echo x >> /etc/nginx/nginx.conf; rm /docker-entrypoint.sh'`);
  const copyUp = stack.locator('[data-testid=upper-entry][data-path="/etc/nginx/nginx.conf"]');
  await expect(copyUp).toHaveAttribute('data-change', 'copy-up', { timeout: 20_000 });
  await expect(copyUp).toHaveAttribute('data-fresh', 'true');
  await expect(copyUp).toContainText(/copied up from layer \d+/);
  const whiteout = stack.locator('[data-testid=upper-entry][data-path="/docker-entrypoint.sh"]');
  await expect(whiteout).toHaveAttribute('data-change', 'whiteout');
  await expect(whiteout).toContainText(/whiteout .*hides it in layer \d+/);
  await expect(stack.locator('[data-testid=lowerdir][data-touched]').first()).toBeVisible();
  await shoot(page, 'node-internals-overlay-dark');
  // Scrolled down: the image layers the copy-up came from and the whiteout hides, pulsing.
  await stack.locator('[data-testid=lowerdir][data-touched]').last().evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await shoot(page, 'node-internals-overlay-layers-dark');
  await stack.getByTestId('upperdir').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'node-internals-overlay-light');
  await page.getByTestId('node-internals-tab-processes').click();
  await diagram.locator('[data-testid=process-row][data-comm=nginx]').first().scrollIntoViewIfNeeded();
  await shoot(page, 'node-internals-processes-light');

  // The pod deleted: its container is gone, said plainly.
  await page.getByTestId('node-internals-tab-overlay').click();
  await sh(page, 'kubectl delete pod web --grace-period=1');
  await expect(diagram.getByTestId('overlay-gone')).toBeVisible({ timeout: 30_000 });
});

test('node internals: the cgroup tree marks throttling and OOM kills as they happen', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('tab-node-internals').click();
  const diagram = page.getByTestId('node-internals');
  await page.getByTestId('node-internals-node').selectOption('worker-1');
  await page.getByTestId('node-internals-tab-cgroups').click();
  await expect(diagram.getByTestId('cgroup-tree')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('clock-speed').selectOption('10');
  const pinned = (name: string, container: string) => `kubectl run ${name} --image=polinux/stress --overrides='{"spec":{"nodeName":"worker-1","containers":[${container}]}}'`;
  await sh(page, pinned('burn', '{"name":"burn","image":"polinux/stress","command":["stress"],"args":["--cpu","1"],"resources":{"limits":{"cpu":"100m"}}}'));
  await sh(page, pinned('hog', '{"name":"hog","image":"polinux/stress","command":["stress"],"args":["--vm","1","--vm-bytes","100M","--vm-hang","1"],"resources":{"limits":{"memory":"64Mi"}}}'));

  // A 100m limit on a CPU-bound process: cpu.stat's nr_throttled grows, and the row says "throttling".
  const burn = diagram.locator('[data-testid=cgroup-row][data-container=burn]');
  await expect(burn).toHaveAttribute('data-throttling', 'true', { timeout: 30_000 });
  await expect(burn).toContainText('throttling');
  await expect(burn).toContainText('100m');
  // 100M under a 64Mi limit: the OOM killer, counted in the pod cgroup's memory.events.
  const hog = diagram.locator('[data-testid=cgroup-row][data-pod="default/hog"]:not([data-container])');
  await expect(hog).toHaveAttribute('data-oom', 'true', { timeout: 30_000 });
  await expect(hog).toContainText('OOM kill');
  // Paused, the clock keeps the highlights for the screenshot (they last 30 s of virtual time).
  await page.getByTestId('clock-toggle').click();
  await expect(hog).toHaveAttribute('data-oom', 'true');
  await hog.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shoot(page, 'node-internals-cgroups-oom-dark');
});

test('scheduler: the node × plugin table for a pod that fits, and for one that fits nowhere', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('tab-scheduler').click();
  const diagram = page.getByTestId('scheduler');
  await expect(diagram).toBeVisible();
  await page.getByTestId('clock-speed').selectOption('10');
  await sh(page, 'kubectl run web --image=nginx');
  const node = await nodeOf(page, 'web');

  await expect(page.getByTestId('scheduler-pod')).toHaveValue('default/web');
  const table = diagram.getByTestId('scheduler-table');
  const row = (n: string) => table.locator(`[data-testid=scheduler-row][data-node="${n}"]`);
  await expect(row('control-plane')).toBeVisible({ timeout: 20_000 });
  const taint = row('control-plane').locator('td[data-plugin=TaintToleration]');
  await expect(taint).toHaveAttribute('data-verdict', 'fail');
  await expect(taint).toContainText('✗ fail');
  await expect(taint).toContainText('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }');
  await expect(row('control-plane').getByTestId('score-total')).toHaveText('–');
  for (const worker of ['worker-1', 'worker-2']) {
    await expect(row(worker).locator('td[data-verdict=fail]')).toHaveCount(0);
    await expect(row(worker).locator('td[data-plugin=NodeResourcesFit]')).toContainText('✓ pass');
    await expect(row(worker).getByTestId('score-total')).toHaveText(/^\d+$/);
    await expect(row(worker).locator('td[data-score-plugin=TaintToleration]')).toContainText(/^\d+raw \d+ · norm \d+$/);
  }
  await expect(table.locator('[data-chosen]')).toHaveCount(1);
  await expect(row(node)).toHaveAttribute('data-chosen', 'true');
  await expect(row(node).getByTestId('chosen-badge')).toHaveText('chosen');
  await expect(diagram.getByTestId('scheduler-outcome')).toContainText(`Scheduled on ${node}`);
  await shoot(page, 'scheduler-scheduled-dark');

  // 100 CPUs fit no node: Insufficient cpu on both workers, the taint on the control plane, and the
  // FailedScheduling message as kubectl describe shows it.
  await sh(page, `kubectl run big --image=nginx --overrides='{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"100"}}}]}}'`);
  await expect(page.getByTestId('scheduler-pod')).toHaveValue('default/big', { timeout: 20_000 });
  for (const worker of ['worker-1', 'worker-2']) {
    const fit = row(worker).locator('td[data-plugin=NodeResourcesFit]');
    await expect(fit).toHaveAttribute('data-verdict', 'fail', { timeout: 20_000 });
    await expect(fit.getByTestId('filter-reason')).toHaveText('Insufficient cpu');
  }
  await expect(row('control-plane').locator('td[data-plugin=TaintToleration]')).toHaveAttribute('data-verdict', 'fail');
  await expect(row('control-plane').locator('td[data-plugin=NodeResourcesFit]')).toHaveAttribute('data-verdict', 'not-run');
  await expect(table.locator('[data-chosen]')).toHaveCount(0);
  const outcome = diagram.getByTestId('scheduler-outcome');
  await expect(outcome).toContainText('FailedScheduling');
  await expect(outcome).toContainText('0/3 nodes are available:');
  await expect(outcome).toContainText('2 Insufficient cpu');
  await shoot(page, 'scheduler-unschedulable-dark');
  await page.getByTestId('theme-switch').click();
  await shoot(page, 'scheduler-unschedulable-light');

  // The picked pod deleted: it says so.
  await page.getByTestId('scheduler-pod').selectOption('default/big');
  await sh(page, 'kubectl delete pod big');
  await expect(diagram.getByTestId('scheduler-gone')).toContainText('Pod default/big is gone', { timeout: 20_000 });
});
