import { expect, test } from '@playwright/test';
import { lastLines, run, screenText, waitForPrompt } from './terminal.ts';

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('kubelab.language', 'en'));
  await page.goto('/');
  await waitForPrompt(page);
});

test('the page loads and the prompt appears', async ({ page }) => {
  await expect(page).toHaveTitle('Kubelab');
  // kube-ps1's context and namespace, then Debian's prompt.
  expect(await screenText(page)).toMatch(/^\(\u2388\|kubernetes-admin@kubernetes:default\) student@laptop:~\$/m);
});

test('echo hello prints hello', async ({ page }) => {
  await run(page, 'echo hello');
  await expect.poll(() => lastLines(page, 2)).toEqual(['hello', 'student@laptop:~$']);
});

test('an unknown command prints the bash error', async ({ page }) => {
  await run(page, 'kubectx');
  await expect.poll(() => lastLines(page, 2)).toEqual(['bash: kubectx: command not found', 'student@laptop:~$']);
  await run(page, 'echo $?');
  await expect.poll(() => lastLines(page, 2)).toEqual(['127', 'student@laptop:~$']);
});

test('the language switch changes the UI text and is remembered', async ({ page }) => {
  await expect(page.getByTestId('tagline')).toHaveText('Learn containers and Kubernetes by doing');
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('tagline')).toHaveText('动手学习容器与 Kubernetes');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await page.evaluate(() => localStorage.getItem('kubelab.language'))).toBe('zh-CN');
});

test('sleep 2 returns after 2 s of virtual time at 100× speed', async ({ page }) => {
  await page.getByTestId('clock-speed').selectOption('100');
  await expect(page.getByTestId('clock-speed')).toHaveValue('100');
  // First let the workers finish booting (pulling and starting kube-proxy and CoreDNS): while the worker's
  // CPU is busy, virtual time at 100× runs ahead of what a sleep asked for.
  await run(page, 'sleep 60');
  await expect.poll(() => lastLines(page, 1), { timeout: 10_000 }).toEqual(['student@laptop:~$']);
  await run(page, 'date +%s; sleep 2; date +%s');
  await expect.poll(() => lastLines(page, 1), { timeout: 5_000 }).toEqual(['student@laptop:~$']);
  const [before, after] = (await lastLines(page, 3)).slice(0, 2).map(Number);
  // At 100×, 2 s of virtual time is 20 ms of wall time; the real-time driver may overshoot by a tick.
  expect(after! - before!).toBeGreaterThanOrEqual(2);
  expect(after! - before!).toBeLessThanOrEqual(5);
});

test('pause freezes virtual time; step runs the next event', async ({ page }) => {
  await page.getByTestId('clock-toggle').click();
  await expect(page.getByTestId('clock-time')).toContainText('paused');
  await run(page, 'sleep 30');
  const frozen = await page.getByTestId('clock-time').getAttribute('data-ms');
  await page.waitForTimeout(300);
  expect(await page.getByTestId('clock-time').getAttribute('data-ms')).toBe(frozen);
  const elapsed = async () => Number(await page.getByTestId('clock-time').getAttribute('data-ms')) - Number(frozen);
  // One step runs the next event: the cluster's own timers (leases, controllers) come before the sleep ends.
  await page.getByTestId('clock-step').click();
  await expect.poll(elapsed).toBeGreaterThan(0);
  expect(await elapsed()).toBeLessThan(30_000);
  // Step on, one event at a time, until the sleep's timer has run and the prompt is back.
  for (let i = 0; i < 500 && (await lastLines(page, 1))[0] !== 'student@laptop:~$'; i++) {
    const before = await elapsed();
    await page.getByTestId('clock-step').click();
    await expect.poll(elapsed).toBeGreaterThanOrEqual(before);
  }
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$']);
  expect(await elapsed()).toBeGreaterThanOrEqual(30_000);
  expect(await elapsed()).toBeLessThan(40_000);
});

test('Ctrl-C interrupts a running command', async ({ page }) => {
  await run(page, 'sleep 1000');
  await page.keyboard.press('Control+C');
  // As on a real tty: the command line, then ^C echoed on the line the command was writing to.
  await expect.poll(() => lastLines(page, 3)).toEqual(['student@laptop:~$ sleep 1000', '^C', 'student@laptop:~$']);
  await run(page, 'echo $?');
  await expect.poll(() => lastLines(page, 2)).toEqual(['130', 'student@laptop:~$']);
});

test('arrow-key history and backspace edit the line', async ({ page }) => {
  await run(page, 'echo first');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('XY');
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 2)).toEqual(['firXY', 'student@laptop:~$']);
});

test('a Chinese IME commit is typed once, not duplicated', async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('echo ');
  // What a Pinyin IME does: composition updates while the student types "ni hao", then a commit.
  await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
  await cdp.send('Input.imeSetComposition', { text: 'ni hao', selectionStart: 6, selectionEnd: 6 });
  await cdp.send('Input.insertText', { text: '你好' });
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 3)).toEqual(['student@laptop:~$ echo 你好', '你好', 'student@laptop:~$']);
});

test('pasted lines run in turn', async ({ page }) => {
  await page.locator('.xterm-helper-textarea').focus();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'echo one\necho two\n');
    document.querySelector('.xterm-helper-textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect.poll(() => lastLines(page, 5)).toEqual(['student@laptop:~$ echo one', 'one', 'student@laptop:~$ echo two', 'two', 'student@laptop:~$']);
});

test('a 1 MB paste gets a clear error and the lab keeps working', async ({ page }) => {
  await page.locator('.xterm-helper-textarea').focus();
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'x'.repeat(1024 * 1024));
    document.querySelector('.xterm-helper-textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect.poll(() => screenText(page)).toContain('kubelab: input of 1048576 characters refused');
  await run(page, 'echo still here');
  await expect.poll(() => lastLines(page, 2)).toEqual(['still here', 'student@laptop:~$']);
});

test('a malformed message to the worker is reported and the lab keeps working', async ({ page }) => {
  await page.evaluate(() => (window as unknown as { kubelab: { postRawMessage(m: unknown): void } }).kubelab.postRawMessage({ hello: 'not comlink' }));
  await expect.poll(() => screenText(page)).toContain('kubelab: the engine ignored a malformed message: {"hello":"not comlink"}');
  await run(page, 'echo ok');
  await expect.poll(() => lastLines(page, 2)).toEqual(['ok', 'student@laptop:~$']);
});

test('a closed session says so, and Enter starts a new one', async ({ page }) => {
  await run(page, 'exit 3');
  await expect.poll(() => screenText(page)).toContain('[shell exited with status 3. Press Enter to start a new one.]');
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$']);
  await run(page, 'echo back');
  await expect.poll(() => lastLines(page, 2)).toEqual(['back', 'student@laptop:~$']);
});

test('resizing the window refits the terminal', async ({ page }) => {
  const cols = () => page.locator('.xterm-rows > div').first().evaluate((row) => row.getBoundingClientRect().width);
  const wide = await cols();
  await page.setViewportSize({ width: 700, height: 600 });
  await expect.poll(cols).toBeLessThan(wide);
  await run(page, 'echo resized');
  await expect.poll(() => lastLines(page, 2)).toEqual(['resized', 'student@laptop:~$']);
});
