import { expect, test } from '@playwright/test';
import { lastLines, run, screenText, waitForPrompt } from './terminal.ts';

/** The lab's kubectl in the browser terminal: a deployment, Tab completion, Ctrl-R, and Ctrl-C on a watch. */

test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('kubelab.language', 'en'));
  await page.goto('/');
  await waitForPrompt(page);
});

test('kubectl create deployment, then get deploy prints the table', async ({ page }) => {
  await run(page, 'kubectl create deployment web --image=nginx --replicas=3');
  await expect.poll(() => lastLines(page, 2)).toEqual(['deployment.apps/web created', 'student@laptop:~$']);
  await run(page, 'kubectl get deploy');
  await expect.poll(() => lastLines(page, 3)).toEqual([
    expect.stringMatching(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE$/),
    expect.stringMatching(/^web +\d\/3 +\d +\d +\d+s$/),
    'student@laptop:~$',
  ]);
});

test('Tab completes kubectl get depl as kubectl does, and a second Tab lists candidates', async ({ page }) => {
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.type('kubectl get depl');
  await page.keyboard.press('Tab');
  // kubectl's completion offers `api-resources -o name`: grouped types carry their group.
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$ kubectl get deployments.apps']);
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 2)).toEqual(['No resources found in default namespace.', 'student@laptop:~$']);
  await page.keyboard.type('kubectl get pods,se');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect.poll(() => lastLines(page, 2)).toEqual([expect.stringMatching(/^pods,secrets +pods,serviceaccounts +pods,services$/), 'student@laptop:~$ kubectl get pods,se']);
});

test('Ctrl-R finds an earlier line and Enter runs it', async ({ page }) => {
  await run(page, 'echo first');
  await run(page, 'echo second');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$']);
  await page.keyboard.press('Control+r');
  await page.keyboard.type('fir');
  await expect.poll(() => lastLines(page, 1)).toEqual(["(reverse-i-search)`fir': echo first"]);
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLines(page, 3)).toEqual(['student@laptop:~$ echo first', 'first', 'student@laptop:~$']);
});

test('Ctrl-C stops kubectl get pods -w', async ({ page }) => {
  await run(page, 'kubectl get pods -w');
  await expect.poll(() => screenText(page)).toContain('No resources found in default namespace.');
  await page.keyboard.press('Control+C');
  await expect.poll(() => lastLines(page, 1)).toEqual(['student@laptop:~$']);
  await run(page, 'echo $?');
  await expect.poll(() => lastLines(page, 2)).toEqual(['130', 'student@laptop:~$']);
});
