import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { lastLines, run, waitForPrompt } from './terminal.ts';

const SW = `${process.env.KUBELAB_DIST ?? 'dist'}/sw.js`;

test('a new deployment shows "update available" instead of silently serving stale files', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('kubelab.language', 'en'));
  await page.goto('/');
  await waitForPrompt(page);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const original = readFileSync(SW, 'utf8');
  try {
    // A redeploy: the service worker script changes (any byte is enough for the browser to install it).
    writeFileSync(SW, `${original}\n// e2e: a new deployment\n`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration!.update();
    });
    const prompt = page.getByTestId('update-available');
    await expect(prompt).toBeVisible({ timeout: 10_000 });
    await expect(prompt).toContainText('A new version of Kubelab is available.');
    // The old version keeps working until the student chooses to reload.
    await run(page, 'echo still old');
    await expect.poll(() => lastLines(page, 2)).toEqual(['still old', 'student@laptop:~$']);
    await Promise.all([page.waitForEvent('framenavigated'), prompt.getByRole('button', { name: 'Reload' }).click()]);
    await waitForPrompt(page);
    await expect(page.getByTestId('update-available')).toHaveCount(0);
  } finally {
    writeFileSync(SW, original);
  }
});
