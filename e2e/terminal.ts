import { expect, type Page } from '@playwright/test';

/** The shown terminal tab's xterm (hidden tabs keep theirs mounted). */
const SHOWN = '[data-testid="terminal"]';

/** The text xterm shows, row by row (the DOM renderer draws each row as a div). */
export async function screenText(page: Page): Promise<string> {
  return page.locator(`${SHOWN} .xterm-rows`).evaluate((el) => Array.from(el.children, (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

export async function waitForPrompt(page: Page): Promise<void> {
  await expect.poll(() => screenText(page), { timeout: 15_000 }).toMatch(/student@laptop:~\$ ?$/m);
}

/** Type a line into the terminal and press Enter. */
export async function run(page: Page, line: string): Promise<void> {
  await page.locator(`${SHOWN} .xterm-helper-textarea`).focus();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The laptop prompt's kube-ps1 part, `(⎈|CONTEXT:NAMESPACE) `, before `student@laptop`. */
export const KUBE_PS1 = /^\(\u2388\|[^)]*\) (?=student@laptop:)/;

/** The last prompt line and what follows it, with the laptop prompt's kube-ps1 part left out. */
export async function lastLines(page: Page, n: number): Promise<string[]> {
  const lines = (await screenText(page)).split('\n').filter((l) => l !== '');
  return lines.slice(-n).map((l) => l.replace(KUBE_PS1, ''));
}
