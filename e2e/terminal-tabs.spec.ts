import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { lastLines, run, screenText, waitForPrompt } from './terminal.ts';
import { openLab, shoot } from './fixtures.ts';

/**
 * The terminal pane: tabs on the laptop and on nodes, titles that follow `ssh`, readline keys, the
 * kube-ps1 prompt, copy and paste, Chinese IME input, screen-reader mode and the light theme.
 * Screenshots go to SHOTS for review.
 */

const tabs = (page: Page) => page.getByTestId('terminal-tabs').getByRole('tab');
const lastLine = async (page: Page) => (await screenText(page)).split('\n').filter((l) => l !== '').at(-1) ?? '';

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

test('"+" opens a tab on a node whose shell is that node; the laptop tab keeps its screen; closing the tab ends it', async ({ page }) => {
  await run(page, 'echo kept-on-the-laptop');
  await expect.poll(() => lastLines(page, 2)).toEqual(['kept-on-the-laptop', 'student@laptop:~$']);
  await expect(tabs(page)).toHaveText(['student@laptop×']);

  await page.getByTestId('terminal-new-tab').click();
  const menu = page.getByRole('menu', { name: 'Open a new terminal' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Laptop (kubectl, docker)', 'worker-1', 'worker-2', 'docker-host']);
  await menu.getByRole('menuitem', { name: 'worker-1' }).click();
  await expect(menu).toBeHidden();
  await expect(tabs(page)).toHaveCount(2);
  await expect(tabs(page).nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(tabs(page).nth(1)).toHaveText('root@worker-1×');
  await expect.poll(() => lastLine(page), { timeout: 15_000 }).toBe('root@worker-1:~#');
  await run(page, 'hostname');
  await expect.poll(() => lastLines(page, 2)).toEqual(['worker-1', 'root@worker-1:~#']);
  await shoot(page, 'terminal-tabs-node');

  // The keyboard moves between tabs; the laptop's screen is as it was.
  await tabs(page).nth(1).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tabs(page).nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => lastLines(page, 2)).toEqual(['kept-on-the-laptop', 'student@laptop:~$']);

  // Close the node's tab with its ×, and a second one with Delete: the focus stays on the tabs.
  await tabs(page).nth(1).locator('[data-close]').click();
  await expect(tabs(page)).toHaveCount(1);
  await expect(tabs(page).first()).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('terminal-new-tab').click();
  await page.getByRole('menuitem', { name: 'worker-2' }).click();
  await expect(tabs(page).nth(1)).toHaveText('root@worker-2×');
  await tabs(page).nth(1).focus();
  await page.keyboard.press('Delete');
  await expect(tabs(page)).toHaveCount(1);
  await expect(tabs(page).first()).toBeFocused();
});

test("ssh renames the tab to where the keys go, and exit names it back", async ({ page }) => {
  await run(page, 'ssh worker-1');
  await expect(tabs(page).first()).toHaveText('root@worker-1×');
  await expect.poll(() => lastLine(page)).toBe('root@worker-1:~#');
  await shoot(page, 'terminal-tabs-ssh');
  await run(page, 'exit');
  await expect(tabs(page).first()).toHaveText('student@laptop×');
  await expect.poll(() => lastLines(page, 2)).toEqual(['Connection to worker-1 closed.', 'student@laptop:~$']);
});

test('kubectl exec -it names the tab pod:container until the shell in the container exits', async ({ page }) => {
  test.setTimeout(120_000);
  await page.getByTestId('clock-speed').selectOption('10');
  await run(page, 'kubectl run box --image=busybox -- sleep 3600 && kubectl wait --for=condition=Ready pod/box --timeout=60s');
  await expect.poll(() => lastLines(page, 2), { timeout: 60_000 }).toEqual(['pod/box condition met', 'student@laptop:~$']);
  await page.getByTestId('clock-speed').selectOption('1');
  await run(page, 'kubectl exec -it box -- sh');
  await expect(tabs(page).first()).toHaveText('box:box×');
  await expect.poll(() => lastLine(page)).toBe('/ #');
  await shoot(page, 'terminal-tabs-exec');
  await run(page, 'exit');
  await expect(tabs(page).first()).toHaveText('student@laptop×');
});

test('Ctrl-R finds an earlier command; Tab completes kubectl get depl', async ({ page }) => {
  await run(page, 'echo alpha-123');
  await run(page, 'echo beta');
  await expect.poll(() => lastLines(page, 2)).toEqual(['beta', 'student@laptop:~$']);
  await page.keyboard.press('Control+r');
  await page.keyboard.type('alpha');
  await expect.poll(() => lastLines(page, 1)).toEqual(["(reverse-i-search)`alpha': echo alpha-123"]);
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 2)).toEqual(['alpha-123', 'student@laptop:~$']);

  await page.keyboard.type('kubectl get depl');
  await page.keyboard.press('Tab');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$ kubectl get deployments.apps']);
  await page.keyboard.press('Control+u');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$']);
});

test("the laptop's prompt names the kubeconfig's context and namespace, and follows set-context at once", async ({ page }) => {
  expect(await lastLine(page)).toBe('(\u2388|kubernetes-admin@kubernetes:default) student@laptop:~$');
  await run(page, 'kubectl config set-context --current --namespace=kube-system');
  await expect.poll(() => lastLine(page)).toBe('(\u2388|kubernetes-admin@kubernetes:kube-system) student@laptop:~$');
  await shoot(page, 'terminal-prompt-namespace');
});

test('Ctrl-Shift-C copies the selection and Ctrl-Shift-V / Ctrl-V paste it; Ctrl-C still interrupts', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await run(page, 'echo copy-me-please');
  await expect.poll(() => lastLines(page, 2)).toEqual(['copy-me-please', 'student@laptop:~$']);
  // Double-click selects the word xterm finds under the pointer: the output line.
  const rows = page.locator('[data-testid="terminal"] .xterm-rows > div');
  const texts = await rows.allTextContents();
  const row = rows.nth(texts.findLastIndex((t) => t.startsWith('copy-me-please')));
  const box = (await row.boundingBox())!;
  await page.mouse.dblclick(box.x + 20, box.y + box.height / 2);
  await page.keyboard.press('Control+Shift+C');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-please');

  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-once'));
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  await page.keyboard.press('Control+Shift+V');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$ echo pasted-once']);
  await page.keyboard.press('Control+u');
  await page.keyboard.press('Control+V');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$ echo pasted-once']);
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 2)).toEqual(['pasted-once', 'student@laptop:~$']);

  await run(page, 'sleep 100');
  await page.keyboard.press('Control+c');
  await expect.poll(() => lastLines(page, 2)).toEqual(['^C', 'student@laptop:~$']);
});

test('Chinese typed through an IME (Pinyin, then Wubi) arrives once', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await page.locator('[data-testid="terminal"] .xterm-helper-textarea').focus();
  await page.keyboard.type('echo ');
  // Pinyin: the letters compose, the candidate is chosen, the text is committed.
  for (const text of ['n', 'ni', 'nih', 'niha', 'nihao', '你好']) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  await cdp.send('Input.insertText', { text: '你好' });
  await page.keyboard.type(' ');
  // Wubi: four codes for two characters (wq = 你, vb = 好).
  for (const text of ['w', 'wq', 'wqv', 'wqvb', '你好']) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  await cdp.send('Input.insertText', { text: '你好' });
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$ echo 你好 你好']);
  await shoot(page, 'terminal-ime');
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 2)).toEqual(['你好 你好', 'student@laptop:~$']);
  // The line editor measures wide characters: moving over them and deleting one leaves the rest intact.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 2)).toEqual(['你好 好', 'student@laptop:~$']);
});

test('screen-reader mode adds the accessibility tree, and is remembered', async ({ page }) => {
  const toggle = page.getByRole('checkbox', { name: 'Screen-reader mode' });
  await expect(toggle).not.toBeChecked();
  await expect(page.locator('[data-testid="terminal"] .xterm-accessibility-tree')).toHaveCount(0);
  await toggle.check();
  const tree = page.locator('[data-testid="terminal"] .xterm-accessibility-tree');
  await expect(tree).toHaveCount(1);
  await run(page, 'echo read-aloud');
  await expect(tree).toContainText('read-aloud');
  await page.reload();
  await waitForPrompt(page);
  await expect(page.getByRole('checkbox', { name: 'Screen-reader mode' })).toBeChecked();
  await expect(page.locator('[data-testid="terminal"] .xterm-accessibility-tree')).toHaveCount(1);
});

test('the light theme gives the terminal a light palette', async ({ page }) => {
  await run(page, 'ls -la /; kubectl get nodes');
  await expect.poll(() => lastLines(page, 1), { timeout: 15_000 }).toEqual(['student@laptop:~$']);
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const background = () => page.locator('[data-testid="terminal"] .xterm-viewport').evaluate((el) => getComputedStyle(el).backgroundColor);
  await expect.poll(background).toBe('rgb(255, 255, 255)');
  await shoot(page, 'terminal-light');
  await page.getByTestId('theme-switch').click();
  await expect.poll(background).toBe('rgb(15, 20, 25)');
});

test('axe finds no serious violation in the terminal pane, with two tabs and the "+" menu open', async ({ page }) => {
  await page.getByTestId('terminal-new-tab').click();
  await page.getByRole('menuitem', { name: 'docker-host' }).click();
  await expect(tabs(page)).toHaveCount(2);
  await page.getByTestId('terminal-new-tab').click();
  // The menu takes the focus; arrow keys move through it.
  await expect(page.getByRole('menuitem').first()).toBeFocused();
  await expect(page.getByRole('menuitem', { name: 'worker-1' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'worker-1' })).toBeFocused();
  await page.addScriptTag({ path: path.resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ html: string }> }> }> } }).axe;
    const result = await axe.run({ include: [['section[aria-label="Terminal"]']] });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`);
  });
  expect(violations).toEqual([]);
  await shoot(page, 'terminal-new-tab-menu');
});
