import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openLab, shoot } from './fixtures.ts';
import { lastLines, run } from './terminal.ts';
import { clickRuns, expectStep, expectStepPassed, openList } from './lessonPlayer.ts';

/**
 * The lesson player: a student opens the list from the top bar, starts `container-is-a-process`, clicks
 * each step's Run buttons and sees each goal turn to passing (asserted on data-state and the text, not
 * colour); a failing goal shows what differs and a hint; switching the language mid-lesson keeps the step;
 * the place and the progress survive a reload; the presenter's keys move through the steps. Importing a
 * broken lesson file is refused with its line and the lab keeps working; an imported lesson's <script> is
 * shown as text, and the lesson starts and is solved by "Solve this step". A step's diagram opens on its
 * focus. axe finds nothing serious in the pane in either theme. Screenshots go to SHOTS.
 */

const LESSON = 'container-is-a-process';

test('a student completes container-is-a-process with the run buttons; language and reload keep the place', async ({ page }) => {
  test.setTimeout(420_000);
  await openLab(page);
  await openList(page);
  const item = page.getByTestId(`lesson-item-${LESSON}`);
  await expect(item).toBeVisible({ timeout: 15_000 });
  await expect(item.getByTestId('lesson-progress')).toHaveText('0 of 5 steps done');
  await expect(item.getByTestId('lesson-prerequisites')).toContainText('Do first:');
  await expect(page.getByRole('heading', { name: 'M2 · Container internals' })).toBeVisible();
  await shoot(page, 'lessons-list');

  await item.getByTestId('lesson-open').click();
  await expect(page.getByTestId('lesson-intro')).toContainText('A container is not a small virtual machine');
  await expect(page.getByTestId('step-position')).toHaveText('Introduction');

  // Start: a dialog says the lab is replaced; then the lesson's lab builds and step 1 opens.
  await page.getByTestId('lesson-start').click();
  await expect(page.getByTestId('lesson-start-dialog')).toContainText('replaces the lab');
  await page.getByTestId('lesson-start-confirm').click();
  await expect(page.getByTestId('lesson-building')).toBeVisible();
  await expect(page.getByTestId('lesson-building')).toBeHidden({ timeout: 120_000 });
  await expect(page.getByTestId('lesson-start-error')).toHaveCount(0);
  await expectStep(page, 1, 5);

  // Step 1: before anything runs, its goal is not met and Next waits.
  await expect(page.getByTestId('lesson-step').locator('[data-testid^="check-"]').first()).toHaveAttribute('data-state', 'failing', { timeout: 30_000 });
  await expect(page.getByTestId('step-next')).toBeDisabled();
  await clickRuns(page);
  await expectStepPassed(page);
  await page.getByTestId('step-next').click();

  // Step 2, then the language switches mid-lesson: the same step, in Chinese.
  await expectStep(page, 2, 5);
  await clickRuns(page);
  await expectStepPassed(page);
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('lesson-view')).toHaveAttribute('data-language', 'zh-CN');
  await expect(page.getByTestId('step-position')).toHaveText('第 2 步，共 5 步');
  await expect(page.getByTestId('lesson-step').locator('[data-testid^="check-"]').first()).toHaveAttribute('data-state', 'passing');
  await shoot(page, 'lesson-zh-CN');
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByTestId('lesson-view')).toHaveAttribute('data-language', 'en');
  await expectStep(page, 2, 5);
  await page.getByTestId('step-next').click();

  // Step 3: only the laptop's command first — the goal fails, and says what differs and a hint.
  await expectStep(page, 3, 5);
  await clickRuns(page, [1]);
  const goal = page.getByTestId('lesson-step').locator('[data-testid^="check-"][data-state]').first();
  await expect(goal).toHaveAttribute('data-state', 'failing', { timeout: 30_000 });
  await expect(goal.getByTestId('check-detail')).toContainText('What differs: exit status');
  await expect(goal.getByTestId('check-hints')).toContainText('Hint 1:');
  await expect(goal.getByTestId('check-state')).toHaveText('Not yet');
  await goal.scrollIntoViewIfNeeded();
  await shoot(page, 'lesson-failing-hint');
  // The docker-host block opens a docker-host terminal tab and runs there.
  await clickRuns(page, [0]);
  await expect(page.getByTestId('terminal-tabs').getByRole('tab', { selected: true })).toContainText('docker-host');
  await expectStepPassed(page);
  await page.getByTestId('step-status').scrollIntoViewIfNeeded();
  await shoot(page, 'lesson-step-passed');
  await page.getByTestId('step-next').click();

  // Step 4: SIGTERM, docker ps, SIGKILL, docker ps -a; and the quiz.
  await expectStep(page, 4, 5);
  await clickRuns(page);
  await expectStepPassed(page);
  const quiz = page.getByTestId('quiz');
  await quiz.getByLabel('sleep exited with an error of its own.').check();
  await quiz.getByTestId('quiz-check').click();
  await expect(quiz.getByTestId('quiz-result')).toContainText('Not quite.');
  await quiz.getByLabel(/killed by signal 9/).check();
  await quiz.getByTestId('quiz-check').click();
  await expect(quiz.getByTestId('quiz-result')).toContainText('Correct.');
  await quiz.scrollIntoViewIfNeeded();
  await shoot(page, 'lesson-quiz');
  await page.getByTestId('step-next').click();

  // Step 5: a Pod on worker-1; the node-internals diagram opens on worker-1.
  await expectStep(page, 5, 5);
  await expect(page.getByTestId('tab-node-internals')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('node-internals-node')).toHaveValue('worker-1');
  await expect(page.getByTestId('node-internals-tab-processes')).toHaveAttribute('aria-selected', 'true');
  await clickRuns(page);
  await expectStepPassed(page, { timeout: 150_000, last: true });
  await expect(page.getByTestId('step-status')).toContainText('You finished the lesson!');

  // A reload keeps the place and the progress.
  await page.reload();
  await expect(page.getByTestId('lesson-view')).toBeVisible({ timeout: 15_000 });
  await expectStep(page, 5, 5);
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-done', 'true');

  // In presenter mode, PageUp and PageDown move through the steps.
  await page.getByTestId('lesson-view').getByRole('heading', { level: 3 }).click();
  await page.keyboard.press('p');
  await expect(page.getByTestId('app')).toHaveAttribute('data-presenter', 'true');
  await page.keyboard.press('PageUp');
  await expectStep(page, 4, 5);
  await page.keyboard.press('PageDown');
  await expectStep(page, 5, 5);
  await page.keyboard.press('p');

  await page.getByTestId('lessons-back').click();
  await expect(page.getByTestId(`lesson-item-${LESSON}`).getByTestId('lesson-progress')).toHaveText('All 5 steps done');
});

const BROKEN = `---
id: broken
title: Broken
summary: x
module: M2
notes: []
prerequisites: []
minutes: 5
start: {}
---

## One

\`\`\`chek
command: true
\`\`\`
`;

const SCRIPTED = `---
id: scripted
title: A lesson with a script tag
summary: Its HTML is data.
module: M0
notes: []
prerequisites: []
minutes: 1
start: { workers: 0 }
---

Intro text.

<script>window.__pwned = true</script>

[a bad link](javascript:window.__pwned=true) and [a good one](https://kubernetes.io/)

## Make a file

\`\`\`run
touch /tmp/scripted
\`\`\`

\`\`\`check
command: test -f /tmp/scripted
expect: { status: 0 }
hints:
  status: [Run the command above.]
\`\`\`
`;

test('importing: a broken file is refused with its line; a <script> is shown as text; an imported lesson starts and is solved', async ({ page }) => {
  test.setTimeout(90_000);
  await openLab(page);
  await openList(page);
  await page.getByTestId('lesson-import-file').setInputFiles({ name: 'broken.md', mimeType: 'text/markdown', buffer: Buffer.from(BROKEN) });
  const error = page.getByTestId('lesson-import-error');
  await expect(error).toContainText('broken.md was not imported: line 14: unknown block "chek"');
  await expect(page.getByTestId('lessons-imported')).toHaveCount(0);
  await expect(page.getByTestId(`lesson-item-${LESSON}`)).toBeVisible();
  // The lab keeps working.
  await run(page, 'echo still-here');
  await expect.poll(async () => (await lastLines(page, 2)).join('\n'), { timeout: 10_000 }).toContain('still-here');

  await page.getByTestId('lesson-import-file').setInputFiles({ name: 'scripted.md', mimeType: 'text/markdown', buffer: Buffer.from(SCRIPTED) });
  await expect(page.getByTestId('lesson-import-done')).toContainText('A lesson with a script tag');
  const imported = page.getByTestId('lesson-item-import/scripted');
  await expect(imported).toBeVisible();
  await imported.getByTestId('lesson-open').click();
  const intro = page.getByTestId('lesson-intro');
  await expect(intro).toContainText('<script>window.__pwned = true</script>');
  await expect(page.getByTestId('lessons-pane').locator('script')).toHaveCount(0);
  await expect(intro.getByRole('link')).toHaveCount(1);
  await expect(intro.getByRole('link')).toHaveAttribute('href', 'https://kubernetes.io/');
  await expect(intro.getByRole('link')).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(intro).toContainText('a bad link');
  await expect(page.getByTestId('lesson-warnings')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  await shoot(page, 'lesson-imported-script');

  // The imported lesson is kept (localStorage), and still shown as text, after a reload.
  await page.reload();
  await expect(page.getByTestId('lesson-intro')).toContainText('<script>window.__pwned = true</script>', { timeout: 15_000 });
  await page.getByTestId('lessons-back').click();
  await expect(page.getByTestId('lessons-imported').getByTestId('lesson-item-import/scripted')).toBeVisible();
  await expect(page.getByTestId(`lesson-item-${LESSON}`)).toBeVisible();

  // Its lab starts, and "Solve this step" runs the step's solution: the goal passes. (Opened from the
  // keyboard: under load the list below the shipped lessons settled too slowly for a pointer click.)
  await page.getByTestId('lesson-item-import/scripted').getByTestId('lesson-open').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('lesson-start').click();
  await page.getByTestId('lesson-start-confirm').click();
  await expect(page.getByTestId('step-position')).toHaveText('Step 1 of 1', { timeout: 120_000 });
  await page.getByTestId('show-solution').click();
  await expect(page.getByTestId('solution')).toContainText('touch /tmp/scripted');
  await expect(page.getByTestId('lesson-step').locator('[data-testid^="check-"]').first()).toHaveAttribute('data-state', 'failing', { timeout: 30_000 });
  // The engine worker crashes and is replaced: the step's checks are watched again on the new one.
  await page.evaluate(() => window.kubelab!.postRawMessage({ kubelab: 'crash' }));
  await expect(page.getByTestId('notice-restarted')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('solve-step').click();
  await expectStepPassed(page, { last: true });
  await expect(page.getByTestId('step-status')).toContainText('You finished the lesson!');
});

/** axe-core's serious and critical violations inside the Lessons pane (accessibility.spec.ts audits the rest of the page). */
async function auditPane(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: path.resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ html: string; failureSummary?: string }> }> }> } }).axe;
    const { violations } = await axe.run(document.querySelector('[data-testid="lessons-pane"]')!, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.html.slice(0, 120)} ${n.failureSummary ?? ''}`));
  });
}

test('the Lessons pane passes axe in both themes, resizes and collapses', async ({ page }) => {
  test.setTimeout(90_000);
  await openLab(page);
  await openList(page);
  await expect(page.getByTestId(`lesson-item-${LESSON}`)).toBeVisible({ timeout: 15_000 });
  for (const theme of ['dark', 'light'] as const) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByTestId('theme-switch').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    expect(await auditPane(page), `list, ${theme}`).toEqual([]);
    await page.getByTestId(`lesson-item-${LESSON}`).getByTestId('lesson-open').click();
    await page.getByTestId('step-next').click();
    await expect(page.getByTestId('lesson-step')).toBeVisible();
    expect(await auditPane(page), `step, ${theme}`).toEqual([]);
    await page.getByTestId('step-previous').click();
    if (theme === 'light') await shoot(page, 'lesson-light');
    await page.getByTestId('lessons-back').click();
  }

  // The pane resizes from the keyboard, and collapses; the terminal keeps its session meanwhile.
  await run(page, 'echo before-collapse');
  const splitter = page.getByTestId('splitter-lessons-workspace');
  const before = Number(await splitter.getAttribute('aria-valuenow'));
  await splitter.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect.poll(async () => Number(await splitter.getAttribute('aria-valuenow'))).toBeGreaterThan(before);
  await page.getByTestId('lessons-collapse').click();
  await expect(page.getByTestId('lessons-pane')).toHaveCount(0);
  await expect(splitter).toHaveCount(0);
  await expect(page.getByTestId('lessons-button')).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await lastLines(page, 3)).join('\n')).toContain('before-collapse');
});

const FOCUSED = `---
id: focused
language: en
title: Diagrams in focus
summary: Each step opens a diagram on what it is about.
module: M3
notes: []
prerequisites: []
minutes: 1
start: {}
---

## etcd

\`\`\`diagram
view: etcd
focus: { key: /registry/namespaces/default }
\`\`\`

\`\`\`check
command: 'true'
expect: { status: 0 }
\`\`\`

## Architecture

\`\`\`diagram
view: architecture
focus: { component: kube-scheduler }
\`\`\`

\`\`\`check
command: 'true'
expect: { status: 0 }
\`\`\`

## Scheduler

\`\`\`diagram
view: scheduler
focus: { pod: web }
\`\`\`

\`\`\`check
command: 'true'
expect: { status: 0 }
\`\`\`
`;

test('a step opens its diagram on the focus its block names', async ({ page }) => {
  test.setTimeout(90_000);
  await openLab(page);
  await openList(page);
  await page.getByTestId('lesson-import-file').setInputFiles({ name: 'focused.md', mimeType: 'text/markdown', buffer: Buffer.from(FOCUSED) });
  await page.getByTestId('lesson-item-import/focused').getByTestId('lesson-open').click();
  await page.getByTestId('step-next').click();

  await expect(page.getByTestId('tab-etcd')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('etcd-panel-key')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('etcd-value')).toContainText('/registry/namespaces/default', { timeout: 15_000 });
  await expectStepPassed(page);
  await page.getByTestId('step-next').click();

  await expect(page.getByTestId('tab-architecture')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid="arch-component"][data-id="kube-scheduler"]')).toHaveAttribute('aria-pressed', 'true');
  await expectStepPassed(page);
  await page.getByTestId('step-next').click();

  await expect(page.getByTestId('tab-scheduler')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('scheduler-pod')).toHaveValue('default/web');
  // The button shows the diagram again after the student moved away.
  await page.getByTestId('tab-cluster-map').click();
  await page.getByTestId('diagram-button').click();
  await expect(page.getByTestId('tab-scheduler')).toHaveAttribute('aria-selected', 'true');
});
