/**
 * Driving the lesson player as a student does: open the list, start a lesson, click a step's Run
 * buttons, and wait for its goals (asserted on data-state and the status text, never on colour).
 */
import { expect, type Page } from '@playwright/test';

export async function openList(page: Page): Promise<void> {
  await page.getByTestId('lessons-button').click();
  await expect(page.getByTestId('lessons-pane')).toBeVisible();
}

/** Open lesson `id` from the list and start it (confirming that the lab is replaced); wait for its cluster. */
export async function startLesson(page: Page, id: string): Promise<void> {
  const item = page.getByTestId(`lesson-item-${id}`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  await item.getByTestId('lesson-open').click();
  await page.getByTestId('lesson-start').click();
  await page.getByTestId('lesson-start-confirm').click();
  await expect(page.getByTestId('lesson-building')).toBeHidden({ timeout: 180_000 });
  await expect(page.getByTestId('lesson-start-error')).toHaveCount(0);
}

/** Every goal of the shown step passes, and the step says so. */
export async function expectStepPassed(page: Page, { timeout = 90_000, last = false } = {}): Promise<void> {
  const goals = page.getByTestId('lesson-step').locator('[data-testid^="check-"][data-state]');
  await expect(goals.first()).toBeVisible();
  const count = await goals.count();
  for (let i = 0; i < count; i++) await expect(goals.nth(i)).toHaveAttribute('data-state', 'passing', { timeout });
  await expect(page.getByTestId('step-status')).toHaveText(/All goals pass/);
  // Next opens once the step passes; the last step has no next.
  if (last) await expect(page.getByTestId('step-next')).toBeDisabled();
  else await expect(page.getByTestId('step-next')).toBeEnabled();
}

/** Click the shown step's run buttons in order (all of them, or those given by index). */
export async function clickRuns(page: Page, which?: number[]): Promise<void> {
  const buttons = page.getByTestId('lesson-step').getByTestId('run-button');
  const count = await buttons.count();
  for (const i of which ?? [...Array(count).keys()]) await buttons.nth(i).click();
}

export async function expectStep(page: Page, n: number, total: number): Promise<void> {
  await expect(page.getByTestId('step-position')).toHaveText(`Step ${n} of ${total}`);
}
