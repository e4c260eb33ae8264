import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { lastLines, run, screenText, waitForPrompt } from './terminal.ts';
import { freshEnglishLab, shoot } from './fixtures.ts';

/**
 * Saving the lab: the autosave in IndexedDB brings the student's files, the cluster, the settings and the
 * lesson progress back after a reload; export and import round-trip a whole lab; a corrupt file is refused
 * and the lab is unchanged; without IndexedDB the lab runs and says it cannot save; a crashed engine
 * worker is restarted from the autosave and the notice says what was lost. Screenshots go to SHOTS.
 */

test.beforeEach(async ({ page }) => {
  await freshEnglishLab(page);
});

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await waitForPrompt(page);
}

/** The wall time of the last autosave the page reports (0 before the first). */
async function savedAt(page: Page): Promise<number> {
  return Number((await page.getByTestId('lab-menu').getAttribute('data-saved-at')) || 0);
}

/** Wait for an autosave that started after everything done so far. */
async function waitForAutosave(page: Page): Promise<number> {
  const after = await page.evaluate(() => Date.now());
  await expect.poll(() => savedAt(page), { timeout: 20_000 }).toBeGreaterThan(after);
  return savedAt(page);
}

/** Run a line and wait for its output to end with the prompt. */
async function runOk(page: Page, line: string, output: string | RegExp): Promise<void> {
  await run(page, line);
  await expect.poll(async () => (await lastLines(page, 2)).join('\n'), { timeout: 20_000 }).toMatch(typeof output === 'string' ? `${output}\nstudent@laptop:~$` : output);
}

async function exportFile(page: Page): Promise<{ name: string; json: Record<string, unknown> }> {
  await page.getByTestId('lab-menu').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lab-export').click()]);
  const json = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>;
  await page.keyboard.press('Escape');
  return { name: download.suggestedFilename(), json };
}

async function importFile(page: Page, name: string, text: string): Promise<void> {
  if ((await page.getByTestId('lab-menu-popover').count()) === 0) await page.getByTestId('lab-menu').click();
  await page.getByTestId('lab-import-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

/** After the lab was replaced its shell hung up: start a new one. */
async function newShell(page: Page): Promise<void> {
  await expect.poll(() => screenText(page), { timeout: 20_000 }).toContain('Press Enter to start a new one.');
  await run(page, '');
  await waitForPrompt(page);
}

test('a reload restores the student’s files, the cluster and the settings (from IndexedDB when localStorage is gone)', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await runOk(page, 'echo hi > notes.txt', /student@laptop:~\$ echo hi > notes\.txt\nstudent@laptop:~\$$/);
  await runOk(page, 'kubectl create deployment web --image=nginx', 'deployment.apps/web created');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const saved = await waitForAutosave(page);
  await page.getByTestId('lab-menu').click();
  await expect(page.getByTestId('lab-save-status')).toHaveText(/^Saved at \d{1,2}:\d{2}:\d{2} [AP]M$/);
  await shoot(page, 'persistence-lab-menu');
  await page.keyboard.press('Escape');

  await page.reload();
  await waitForPrompt(page);
  const notice = page.getByTestId('notice-restored');
  // The autosave above, or a later one (the page saves again as it hides).
  await expect(notice).toContainText(/Your lab was restored from its autosave of \d{1,2}:\d{2}:\d{2} [AP]M\./);
  expect(await savedAt(page)).toBeGreaterThanOrEqual(saved);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await shoot(page, 'persistence-restored');
  await runOk(page, 'cat notes.txt', 'hi');
  await runOk(page, 'kubectl get deploy -o name', 'deployment.apps/web');
  await notice.getByTestId('notice-dismiss').click();
  await expect(notice).toHaveCount(0);

  // localStorage cleared: the settings come back from IndexedDB.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitForPrompt(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('kubelab.layout.theme'))).toBe('light');
  await expect(page.getByTestId('tagline')).toHaveText('Learn containers and Kubernetes by doing');
});

test('export then import round-trips the lab, its settings and progress, which a reload keeps', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await runOk(page, 'echo one > a.txt', /echo one > a\.txt\nstudent@laptop:~\$$/);
  const { name, json } = await exportFile(page);
  expect(name).toMatch(/^kubelab-\d{4}-\d{2}-\d{2}\.kubelab\.json$/);
  expect(json).toMatchObject({ format: 'kubelab-lab', version: 1, lab: { format: 'kubelab-lab' }, settings: { language: 'en' }, progress: {} });
  expect(Date.parse(json.exportedAt as string)).not.toBeNaN();

  await runOk(page, 'rm a.txt; echo two > b.txt', /echo two > b\.txt\nstudent@laptop:~\$$/);
  // The file as exported, with a lesson's progress (lessons mark steps done; none ship yet).
  const withProgress = { ...json, progress: { 'containers-101': { done: ['run-a-container'], updatedAt: 1_700_000_000_000 } } };
  await importFile(page, name, JSON.stringify(withProgress));
  await expect(page.getByTestId('notice-imported')).toContainText(`${name} was imported.`);
  await newShell(page);
  await runOk(page, 'cat a.txt', 'one');
  await runOk(page, 'ls b.txt', "ls: cannot access 'b.txt': No such file or directory");

  await waitForAutosave(page);
  await page.reload();
  await waitForPrompt(page);
  await runOk(page, 'cat a.txt', 'one');
  const again = await exportFile(page);
  expect(again.json.progress).toEqual({ 'containers-101': { done: ['run-a-container'], updatedAt: 1_700_000_000_000 } });
});

test('a corrupt file is refused with the reason and the lab is unchanged', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await runOk(page, 'kubectl create deployment web --image=nginx', 'deployment.apps/web created');
  const { json } = await exportFile(page);
  await runOk(page, 'echo keep > keep.txt', /echo keep > keep\.txt\nstudent@laptop:~\$$/);

  await importFile(page, 'broken.kubelab.json', '{"format": "kubelab-lab", "version": 1,');
  const refused = page.getByTestId('notice-importRefused');
  await expect(refused).toContainText('broken.kubelab.json was not imported, and your lab is unchanged. json: not valid JSON');
  await shoot(page, 'persistence-import-refused');

  // Valid JSON, but the etcd snapshot was edited: its checksum no longer matches, and the engine refuses it.
  const lab = json.lab as { cluster: { etcd: string } };
  expect(lab.cluster.etcd).toContain('/registry/deployments/default/web');
  const tampered = { ...json, lab: { ...lab, cluster: { ...lab.cluster, etcd: lab.cluster.etcd.replace('/registry/deployments/default/web', '/registry/deployments/default/wxb') } } };
  await importFile(page, 'tampered.kubelab.json', JSON.stringify(tampered));
  await expect(refused).toContainText('tampered.kubelab.json was not imported, and your lab is unchanged. lab: loadLab: lab image: etcd snapshot: checksum mismatch');

  await importFile(page, 'future.kubelab.json', JSON.stringify({ ...json, version: 99 }));
  await expect(refused).toContainText('version: the file is version 99, newer than this Kubelab reads (up to 1)');
  await importFile(page, 'notes.json', JSON.stringify({ hello: 'world' }));
  await expect(refused).toContainText('format: expected "kubelab-lab", got nothing');
  await importFile(page, 'settings.kubelab.json', JSON.stringify({ ...json, settings: { theme: 7 } }));
  await expect(refused).toContainText('settings: theme: expected a string, got number 7');

  // The same shell, the same files, the same cluster.
  await expect(page.getByTestId('notice-imported')).toHaveCount(0);
  await runOk(page, 'cat keep.txt', 'keep');
  await runOk(page, 'kubectl get deploy -o name', 'deployment.apps/web');
});

test('without IndexedDB the lab runs, says it cannot save, and still exports', async ({ page }) => {
  await page.addInitScript(() => {
    // As in a private window whose IndexedDB is gone.
    delete (window as { indexedDB?: IDBFactory }).indexedDB;
  });
  await open(page);
  const banner = page.getByTestId('notice-noStorage');
  await expect(banner).toContainText('This browser window cannot save the lab (IndexedDB is not available in this browser window)');
  await runOk(page, 'echo still works', 'still works');
  await page.getByTestId('lab-menu').click();
  await expect(page.getByTestId('lab-save-status')).toHaveText('This window cannot save the lab: export it to keep it.');
  await shoot(page, 'persistence-no-indexeddb');
  await page.keyboard.press('Escape');
  const { json } = await exportFile(page);
  expect(json.format).toBe('kubelab-lab');
});

test('a crashed engine worker is restarted from the autosave, and the notice says what was lost', async ({ page }) => {
  test.setTimeout(120_000);
  await open(page);
  await runOk(page, 'echo hi > notes.txt', /echo hi > notes\.txt\nstudent@laptop:~\$$/);
  await runOk(page, 'kubectl create deployment web --image=nginx', 'deployment.apps/web created');
  const saved = await waitForAutosave(page);
  await runOk(page, 'echo later > later.txt', /echo later > later\.txt\nstudent@laptop:~\$$/);
  // Crash before the next autosave (at least 5 s after the last): later.txt is the work lost.
  expect(await savedAt(page)).toBe(saved);
  await page.evaluate(() => window.kubelab!.postRawMessage({ kubelab: 'crash' }));

  const notice = page.getByTestId('notice-restarted');
  await expect(notice).toContainText(
    `The lab's engine crashed (Uncaught Error: the engine crashed on request (debugging hook)) and was restarted from the autosave of ${new Date(saved).toLocaleTimeString('en')}: work done since then is lost.`,
  );
  await expect(notice).toContainText('1 shell session');
  await expect(page.getByTestId('notice-restored')).toHaveCount(0);
  await newShell(page);
  await shoot(page, 'persistence-restarted');
  await runOk(page, 'cat notes.txt', 'hi');
  await runOk(page, 'cat later.txt', 'cat: later.txt: No such file or directory');
  await runOk(page, 'kubectl get deploy -o name', 'deployment.apps/web');
  // The diagrams follow the new worker: the cluster map shows its nodes again.
  await expect(page.getByTestId('cluster-map').getByTestId('node-card')).toHaveCount(3, { timeout: 20_000 });
});

test('reset asks first, then gives a fresh cluster and empty files', async ({ page }) => {
  test.setTimeout(90_000);
  await open(page);
  await runOk(page, 'echo gone > gone.txt', /echo gone > gone\.txt\nstudent@laptop:~\$$/);
  await runOk(page, 'kubectl create deployment web --image=nginx', 'deployment.apps/web created');
  await page.getByTestId('lab-menu').click();
  await page.getByTestId('lab-reset').click();
  const dialog = page.getByTestId('lab-reset-dialog');
  await expect(dialog).toContainText('The cluster starts afresh and your files in /home/student and /tmp are emptied.');
  await shoot(page, 'persistence-reset-dialog');
  await page.getByTestId('lab-reset-cancel').click();
  await expect(dialog).toBeHidden();
  await runOk(page, 'cat gone.txt', 'gone');

  await page.getByTestId('lab-menu').click();
  await page.getByTestId('lab-reset').click();
  await page.getByTestId('lab-reset-confirm').click();
  await expect(page.getByTestId('notice-reset')).toContainText('The lab was reset: a fresh cluster and empty files.');
  await runOk(page, 'cat gone.txt', 'cat: gone.txt: No such file or directory');
  await runOk(page, 'kubectl get deploy', 'No resources found in default namespace.');
  // The reset lab is what a reload brings back.
  await waitForAutosave(page);
  await page.reload();
  await waitForPrompt(page);
  await runOk(page, 'cat gone.txt', 'cat: gone.txt: No such file or directory');
});

test('a full disk is shown, not swallowed', async ({ page }) => {
  await page.addInitScript(() => {
    // The browser's answer when the origin's quota is used up, on every write of the lab.
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'lab') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await open(page);
  await runOk(page, 'echo big > big.txt', /echo big > big\.txt\nstudent@laptop:~\$$/);
  const banner = page.getByTestId('notice-saveFailed');
  await expect(banner).toContainText("The lab could not be saved: the browser's storage is full (QuotaExceededError: The quota has been exceeded.)", { timeout: 20_000 });
  await expect(banner).toHaveAttribute('role', 'alert');
  await shoot(page, 'persistence-quota');
  await runOk(page, 'cat big.txt', 'big');
});
