import type { Page } from '@playwright/test';
import { waitForPrompt } from './terminal.ts';

/**
 * What every UI spec starts from: a lab in English with nothing remembered from an earlier test, and a
 * place for screenshots outside test-results (which every Playwright run empties), kept for review.
 */

export const SHOTS = 'playwright-report/screenshots';

/** Save a screenshot of the page as SHOTS/<name>.png, and say where. */
export async function shoot(page: Page, name: string): Promise<void> {
  const path = `${SHOTS}/${name}.png`;
  await page.screenshot({ path });
  console.log(`screenshot: ${path}`);
}

/**
 * On the page's first load in this test: forget what earlier tests left in localStorage and pin the
 * language to English. Reloads within the test keep what the test itself remembered.
 */
export async function freshEnglishLab(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('kubelab.e2e') === null) {
      localStorage.clear();
      localStorage.setItem('kubelab.language', 'en');
      sessionStorage.setItem('kubelab.e2e', '1');
    }
  });
}

/** A fresh English lab, loaded, its terminal at the prompt. */
export async function openLab(page: Page): Promise<void> {
  await freshEnglishLab(page);
  await page.goto('/');
  await waitForPrompt(page);
}
