import { expect, type Page } from '@playwright/test';

/** The text xterm shows, row by row (the DOM renderer draws each row as a div). */
export async function screenText(page: Page): Promise<string> {
  return page.locator('.xterm-rows').evaluate((el) => Array.from(el.children, (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

export async function waitForPrompt(page: Page): Promise<void> {
  await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/student@laptop:~\$ ?$/m);
}

/** Type a line into the terminal and press Enter. */
export async function run(page: Page, line: string): Promise<void> {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The last prompt line and what follows it. */
export async function lastLines(page: Page, n: number): Promise<string[]> {
  const lines = (await screenText(page)).split('\n').filter((l) => l !== '');
  return lines.slice(-n);
}
