import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { lastLines, run, screenText, waitForPrompt } from './terminal.ts';
import { openLab, shoot } from './fixtures.ts';

/**
 * The editor panel: Monaco with the Kubernetes 1.32 schemas (an unknown field flagged, hover docs,
 * completion), Save and Apply against the lab, `kubectl edit` and `vi` through the panel, and the
 * plain-text editor. Screenshots go to SHOTS for review.
 */

test.beforeEach(async ({ page }) => {
  await openLab(page);
});

const manifest = (field: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  ${field}: 2
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

/**
 * Replace the whole text of the Monaco editor: select all, then paste (a paste event carrying the text, as
 * the browser sends for Ctrl-V), so that the YAML is not re-indented as typing line by line would.
 */
async function replaceText(page: Page, text: string): Promise<void> {
  await page.locator('[data-testid=monaco-editor] .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // Monaco's input element has the focus (an EditContext div in Chromium, a textarea elsewhere).
  await page.evaluate((value) => {
    const data = new DataTransfer();
    data.setData('text/plain', value);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * The terminal's text with its rows joined and blanks dropped: beside the editor, the terminal is narrow and
 * wraps long lines (a blank at a row's end is trimmed).
 */
async function flatText(page: Page): Promise<string> {
  return (await screenText(page)).replace(/\s+/g, '');
}

/** Wait until the terminal shows `text` (rows joined) right before a fresh prompt. */
async function expectBeforePrompt(page: Page, text: string): Promise<void> {
  const escaped = text.replace(/\s+/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expect.poll(() => flatText(page), { timeout: 20_000 }).toMatch(new RegExp(`${escaped}(\\(.*\\))?student@laptop:~\\$$`));
}

const AXE = path.resolve(import.meta.dirname, '../node_modules/axe-core/axe.min.js');

/** axe-core's serious and critical violations inside the editor panel, as `rule: elements` lines. */
async function auditPanel(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    interface Violation {
      id: string;
      impact: string | null;
      nodes: Array<{ target: unknown[] }>;
    }
    const axe = (window as unknown as { axe: { run(context: string, options: object): Promise<{ violations: Violation[] }> } }).axe;
    const { violations } = await axe.run('[data-testid=editor-panel]', { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** Give the terminal and editor most of the height (the splitter, moved with the keyboard). */
async function tallerBottomPane(page: Page): Promise<void> {
  await page.getByTestId('splitter-visuals-terminal').focus();
  await page.keyboard.press('Home');
}

test('the editor flags an unknown field of a Deployment, and Apply creates it', async ({ page }) => {
  test.setTimeout(120_000);
  // Monaco is not loaded before the editor is first opened.
  const scripts = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /MonacoEditor|editor\.api/.test(n)));
  expect(await scripts()).toEqual([]);

  await page.getByTestId('editor-button').click();
  const panel = page.getByTestId('editor-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText('No file open');
  await tallerBottomPane(page);
  await page.getByTestId('editor-path').fill('web.yaml');
  await page.getByTestId('editor-path').press('Enter');
  const tab = panel.getByTestId('editor-tab');
  await expect(tab).toHaveText(/web\.yaml/);
  await expect(tab).toHaveAttribute('data-dirty', 'true');
  await expect(page.locator('[data-testid=monaco-editor] .monaco-editor')).toBeVisible({ timeout: 20_000 });
  expect((await scripts()).length).toBeGreaterThan(0);

  await replaceText(page, manifest('replica'));
  // The schema of apps/v1 Deployment flags spec.replica.
  const squiggle = page.locator('[data-testid=monaco-editor] :is(.squiggly-error, .squiggly-warning)');
  await expect(squiggle).toHaveCount(1, { timeout: 20_000 });
  // F8 goes to the problem and shows its message.
  await page.keyboard.press('F8');
  await expect(page.locator('.marker-widget')).toContainText('Property replica is not allowed.');
  await shoot(page, 'editor-unknown-field-dark');
  await page.keyboard.press('Escape');

  // Fixed, the marker goes; hover shows the field's documentation from the OpenAPI schema.
  await replaceText(page, manifest('replicas'));
  await expect(squiggle).toHaveCount(0, { timeout: 20_000 });
  await page.locator('[data-testid=monaco-editor] .view-line', { hasText: 'replicas: 2' }).getByText('replicas').hover();
  await expect(page.locator('.monaco-hover:not(.hidden)')).toContainText('Number of desired pods', { timeout: 20_000 });
  await page.mouse.move(5, 5);

  // Completion offers the fields of the object the cursor is in.
  await page.locator('[data-testid=monaco-editor] .view-line', { hasText: 'replicas: 2' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ControlOrMeta+Space');
  await expect(page.locator('.suggest-widget')).toContainText('minReadySeconds', { timeout: 20_000 });
  await page.keyboard.press('Escape');
  await page.keyboard.press('ControlOrMeta+Z');

  // Apply saves the file, then runs kubectl apply -f on it.
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-output')).toHaveText('$ kubectl apply -f /home/student/web.yaml\ndeployment.apps/hello created', { timeout: 20_000 });
  await expect(tab).toHaveAttribute('data-dirty', 'false');
  expect(await auditPanel(page)).toEqual([]);
  await run(page, 'kubectl get deploy hello -o name; cat web.yaml | grep replicas');
  await expectBeforePrompt(page, 'deployment.apps/hello  replicas: 2');

  // A second Apply is kubectl's own "unchanged"; a broken manifest shows kubectl's error.
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-output')).toContainText('deployment.apps/hello unchanged');
  await replaceText(page, 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: broken\n');
  await page.getByTestId('editor-apply').click();
  await expect(page.getByTestId('editor-output')).toContainText('The Deployment "broken" is invalid');

  await replaceText(page, manifest('replicas'));
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(page.locator('[data-testid=monaco-editor] .monaco-editor')).toHaveClass(/\bvs\b/);
  await shoot(page, 'editor-light');
  expect(await auditPanel(page)).toEqual([]);
  await page.getByTestId('theme-switch').click();
  await expect(page.locator('[data-testid=monaco-editor] .monaco-editor')).toHaveClass(/vs-dark/);

  // Ctrl-S saves; closing the panel keeps the terminal working.
  await replaceText(page, manifest('replicas').replace('replicas: 2', 'replicas: 4'));
  await expect(tab).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('ControlOrMeta+S');
  await expect(tab).toHaveAttribute('data-dirty', 'false');
  await expect(page.getByTestId('editor-output')).toHaveText('Saved /home/student/web.yaml');
  await page.getByTestId('editor-close').click();
  await expect(panel).toBeHidden();
  await run(page, 'grep replicas web.yaml');
  await expect.poll(() => lastLines(page, 2)).toEqual(['  replicas: 4', expect.stringMatching(/student@laptop:~\$$/)]);
});

test('kubectl edit and vi open the editor; Save & close hands the file back, Cancel changes nothing', async ({ page }) => {
  test.setTimeout(120_000);
  await run(page, 'kubectl create deployment web --image=nginx');
  await expectBeforePrompt(page, 'deployment.apps/web created');

  await run(page, 'kubectl edit deploy/web');
  const panel = page.getByTestId('editor-panel');
  await expect(panel).toBeVisible();
  await tallerBottomPane(page);
  await expect(panel.getByTestId('editor-tab')).toHaveText(/shell waiting.*kubectl-edit-\d+\.yaml/);
  await expect(page.getByTestId('editor-waiting')).toContainText('A shell is waiting for /tmp/kubectl-edit-');
  const lines = page.locator('[data-testid=monaco-editor] .view-line');
  await expect(lines.filter({ hasText: '# Please edit the object below.' })).toHaveCount(1, { timeout: 20_000 });
  // The first "replicas: 1" is the spec's; select it with Find and type over it.
  await lines.first().click();
  await page.keyboard.press('ControlOrMeta+F');
  await page.keyboard.type('replicas: 1');
  await page.keyboard.press('Escape');
  await page.keyboard.type('replicas: 3');
  await expect(panel.getByTestId('editor-tab')).toHaveAttribute('data-dirty', 'true');
  // No schema errors in what kubectl printed.
  await expect(page.locator('[data-testid=monaco-editor] :is(.squiggly-error, .squiggly-warning)')).toHaveCount(0);
  await shoot(page, 'editor-kubectl-edit');
  await page.getByTestId('editor-save-close').click();
  await expect(panel.getByTestId('editor-tab')).toHaveCount(0);
  await expectBeforePrompt(page, 'deployment.apps/web edited');
  await run(page, 'kubectl get deploy web -o jsonpath={.spec.replicas}; echo');
  await expectBeforePrompt(page, 'echo3');

  // Cancel: quit without saving.
  await run(page, 'kubectl edit deploy web');
  await expect(panel.getByTestId('editor-tab')).toHaveCount(1);
  await page.getByTestId('editor-cancel').click();
  await expectBeforePrompt(page, 'Edit cancelled, no changes made.');

  // Closing the waiting tab cancels too: vi leaves no file.
  await run(page, 'vi notes.txt; ls');
  await expect(panel.getByTestId('editor-tab')).toHaveText(/notes\.txt/);
  await panel.getByTestId('editor-tab').locator('[data-close]').click();
  await expect(panel.getByTestId('editor-tab')).toHaveCount(0);
  await expectBeforePrompt(page, 'vi notes.txt; ls');

  // Ctrl-S in a waiting tab saves and closes it: vi creates the file.
  await run(page, 'vi notes.txt && cat notes.txt');
  await expect(panel.getByTestId('editor-tab')).toHaveCount(1);
  await page.locator('[data-testid=monaco-editor] .view-lines').click();
  await page.keyboard.type('written in the editor panel');
  await page.keyboard.press('ControlOrMeta+S');
  await expectBeforePrompt(page, 'cat notes.txtwritten in the editor panel');
  expect(await screenText(page)).not.toContain('there was a problem');

  // Ctrl-C in the terminal stops vi waiting: the tab stays open as a plain file tab, and the panel says so.
  await run(page, 'vi later.txt');
  await expect(panel.getByTestId('editor-tab')).toHaveText(/shell waiting.*later\.txt/);
  await page.locator('.xterm-helper-textarea').focus();
  await page.keyboard.press('Control+C');
  await expect(page.getByTestId('editor-output')).toContainText('The shell stopped waiting for /home/student/later.txt');
  await expect(panel.getByTestId('editor-tab')).toHaveText(/^later\.txt/);
  await expect(page.getByTestId('editor-save')).toBeVisible();
});

test('the plain-text editor, for screen readers, opens, edits and saves files, and is remembered', async ({ page }) => {
  test.setTimeout(90_000);
  await run(page, 'printf "first line\\n" > notes.txt');
  await page.getByTestId('editor-button').click();
  await page.getByTestId('editor-plain-text').check();
  await page.getByTestId('editor-path').fill('~/notes.txt');
  await page.getByTestId('editor-open').click();
  const area = page.getByRole('textbox', { name: 'Contents of /home/student/notes.txt' });
  await expect(area).toHaveValue('first line\n');
  await area.fill('first line\nsecond line\n');
  await expect(page.getByTestId('editor-dirty')).toBeVisible();
  await area.press('ControlOrMeta+S');
  await expect(page.getByTestId('editor-output')).toHaveText('Saved /home/student/notes.txt');
  await expect(page.getByTestId('editor-dirty')).toHaveCount(0);
  await shoot(page, 'editor-plain-text');
  expect(await auditPanel(page)).toEqual([]);
  await run(page, 'wc -l notes.txt');
  await expectBeforePrompt(page, 'wc -l notes.txt2 notes.txt');

  // nano opens the file in the same plain editor.
  await run(page, 'nano notes.txt && tail -1 notes.txt');
  const edit = page.getByRole('textbox', { name: 'Contents of /home/student/notes.txt' });
  await expect(page.getByTestId('editor-save-close')).toBeVisible();
  await edit.fill('first line\nsecond line\nthird line\n');
  await page.getByTestId('editor-save-close').click();
  await expectBeforePrompt(page, 'tail -1 notes.txtthird line');

  // A file the student may not write is refused with the shell's words.
  await page.getByTestId('editor-path').fill('/etc/hosts.new');
  await page.getByTestId('editor-open').click();
  await page.getByRole('textbox', { name: 'Contents of /etc/hosts.new' }).fill('x');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-output')).toContainText('/etc/hosts.new: Permission denied');

  await page.reload();
  await waitForPrompt(page);
  await page.getByTestId('editor-button').click();
  await expect(page.getByTestId('editor-plain-text')).toBeChecked();
});

test('offline, Monaco and the YAML worker load from the service worker, and each document of a file is checked against its own kind', async ({ page, context }) => {
  test.setTimeout(90_000);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  await context.setOffline(true);
  await page.reload();
  await waitForPrompt(page);

  await page.getByTestId('editor-button').click();
  await tallerBottomPane(page);
  await page.getByTestId('editor-path').fill('app.yaml');
  await page.getByTestId('editor-path').press('Enter');
  await expect(page.locator('[data-testid=monaco-editor] .monaco-editor')).toBeVisible({ timeout: 20_000 });
  await replaceText(
    page,
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPortt: 8080\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n',
  );
  await page.keyboard.press('ControlOrMeta+Home');
  // The Service's port has no field targetPortt; the ConfigMap after it has no problem.
  await expect(async () => {
    await page.keyboard.press('F8');
    await expect(page.locator('.marker-widget')).toContainText('Property targetPortt is not allowed.', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText('1 of 1 problem')).toBeVisible();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
});
