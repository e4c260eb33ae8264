import { expect, test } from '@playwright/test';
import { lastLines, run, waitForPrompt } from './terminal.ts';

test('after one online visit, the page reloads and works with the network off', async ({ page, context }) => {
  await page.goto('/');
  await waitForPrompt(page);
  // Once the service worker is active it has precached everything (install waits for the precache).
  // It takes control at the next load: that is the offline reload below.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect(page.getByTestId('offline-ready')).toBeVisible();

  await context.setOffline(true);
  await page.reload();
  await waitForPrompt(page);
  await run(page, 'echo offline');
  await expect.poll(() => lastLines(page, 2)).toEqual(['offline', 'student@laptop:~$']);
  // The network really is off: anything the service worker has not cached fails to load.
  const uncached = await page.evaluate(() => fetch('/not-precached.txt').then((r) => `HTTP ${r.status}`, (e: Error) => e.name));
  expect(uncached).toBe('TypeError');
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
});
