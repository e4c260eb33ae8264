/**
 * The editor panel: a toolbar (open a lab file by path, Save, Apply, the plain-text switch, close), the
 * open files as tabs (a dot marks unsaved changes), the editor — Monaco, loaded on first use, or a
 * labelled <textarea> for screen-reader users (the switch is remembered) — and an output area for what
 * Save and Apply did.
 *
 * A tab a shell waits on (`vi`, `nano`, `kubectl edit`) has "Save & close" and "Cancel" instead; Ctrl-S
 * there saves and closes, and closing the tab cancels. Apply saves the file, then runs `kubectl apply -f
 * FILE` in a headless laptop shell and shows kubectl's own output.
 */
import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { engine } from '../engine/client.ts';
import { absolutePath, baseName, isDirty, languageFor, shellQuote, type EditorTab } from './editorModel.ts';
import { newTabId, useEditor, type EditorOutput } from './editorStore.ts';
import styles from './editor.module.css';

const MonacoEditor = lazy(() => import('./MonacoEditor.tsx'));

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Open `path` in a tab (a missing file opens empty, as a new file). */
export async function openLabFile(path: string): Promise<void> {
  const { dispatch, setOutput } = useEditor.getState();
  try {
    const content = await engine.readFile(path);
    dispatch({ type: 'openFile', id: newTabId(), path, content, isNew: false });
  } catch (error) {
    if (/: No such file or directory$/.test(message(error))) dispatch({ type: 'openFile', id: newTabId(), path, content: '', isNew: true });
    else setOutput({ kind: 'error', message: message(error) });
  }
}

/** Save a file tab; true when it was written. */
async function saveTab(tab: EditorTab): Promise<boolean> {
  const { dispatch, setOutput } = useEditor.getState();
  const text = tab.text;
  try {
    await engine.writeFile(tab.path, text);
    dispatch({ type: 'saved', id: tab.id, text });
    setOutput({ kind: 'saved', path: tab.path });
    return true;
  } catch (error) {
    setOutput({ kind: 'error', message: message(error) });
    return false;
  }
}

export function EditorPanel() {
  const { t } = useTranslation();
  const tabs = useEditor((s) => s.tabs);
  const activeId = useEditor((s) => s.activeId);
  const plainText = useEditor((s) => s.plainText);
  const output = useEditor((s) => s.output);
  const active = tabs.find((tab) => tab.id === activeId);
  const [typed, setTyped] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const listId = useId();
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());

  const refreshFiles = useCallback(() => {
    void Promise.all([engine.listFiles('/home/student'), engine.listFiles('/tmp')])
      .then(([home, tmp]) => setFiles([...home, ...tmp].map((f) => f.path)))
      .catch(() => setFiles([]));
  }, []);
  useEffect(refreshFiles, [refreshFiles]);

  const open = () => {
    const path = absolutePath(typed);
    if (path === undefined) return;
    void openLabFile(path).then(refreshFiles);
  };

  const save = useCallback(() => {
    const tab = useEditor.getState().tabs.find((x) => x.id === useEditor.getState().activeId);
    if (!tab) return;
    if (tab.kind === 'edit') useEditor.getState().finishEdit(tab.id, tab.text);
    else void saveTab(tab).then(refreshFiles);
  }, [refreshFiles]);

  const apply = async () => {
    if (!active || active.kind !== 'file') return;
    const { setOutput } = useEditor.getState();
    if (isDirty(active) && !(await saveTab(active))) return;
    const command = `kubectl apply -f ${shellQuote(active.path)}`;
    setOutput({ kind: 'running', command });
    try {
      const result = await engine.runCommand(command);
      setOutput({ kind: 'result', command, ...result });
    } catch (error) {
      setOutput({ kind: 'error', message: message(error) });
    }
  };

  const close = (tab: EditorTab) => {
    if (tab.kind === 'file' && isDirty(tab) && !window.confirm(t('editor.discard', { name: baseName(tab.path) }))) return;
    useEditor.getState().dispatch({ type: 'close', id: tab.id });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      save();
    }
  };

  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>, index: number) => {
    let next: number | undefined;
    if (e.key === 'ArrowRight') next = (index + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else if (e.key === 'Delete') {
      e.preventDefault();
      close(tabs[index]!);
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    const id = tabs[next]!.id;
    useEditor.getState().dispatch({ type: 'activate', id });
    tabRefs.current.get(id)?.focus();
  };

  const canApply = active?.kind === 'file' && languageFor(active.path) === 'yaml';
  const editorLabel = active ? t('editor.textLabel', { path: active.path }) : t('editor.title');

  return (
    <section className={styles.panel} aria-label={t('editor.title')} data-testid="editor-panel" onKeyDown={onKeyDown}>
      <div className={styles.toolbar} role="toolbar" aria-label={t('editor.toolbar')}>
        <form
          className={styles.openForm}
          onSubmit={(e) => {
            e.preventDefault();
            open();
          }}
        >
          <label className={styles.visuallyHidden} htmlFor={`${listId}-path`}>
            {t('editor.path')}
          </label>
          <input id={`${listId}-path`} className={styles.path} list={`${listId}-files`} value={typed} placeholder={t('editor.pathPlaceholder')} onChange={(e) => setTyped(e.target.value)} onFocus={refreshFiles} data-testid="editor-path" spellCheck={false} autoComplete="off" />
          <datalist id={`${listId}-files`}>
            {files.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
          <button type="submit" data-testid="editor-open">
            {t('editor.open')}
          </button>
        </form>
        {active?.kind === 'edit' ? (
          <>
            <button type="button" className={styles.primary} onClick={() => useEditor.getState().finishEdit(active.id, active.text)} data-testid="editor-save-close" title={t('editor.saveShortcut')}>
              {t('editor.saveAndClose')}
            </button>
            <button type="button" onClick={() => useEditor.getState().finishEdit(active.id, undefined)} data-testid="editor-cancel">
              {t('editor.cancel')}
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={save} disabled={!active} data-testid="editor-save" title={t('editor.saveShortcut')}>
              {t('editor.save')}
            </button>
            <button type="button" className={styles.primary} onClick={() => void apply()} disabled={!canApply || output?.kind === 'running'} data-testid="editor-apply" title={t('editor.applyTitle')}>
              {t('editor.apply')}
            </button>
          </>
        )}
        <span className={styles.spacer} />
        <label className={styles.toggle}>
          <input type="checkbox" checked={plainText} onChange={(e) => useEditor.getState().setPlainText(e.target.checked)} data-testid="editor-plain-text" />
          {t('editor.plainText')}
        </label>
        <button type="button" className="icon" onClick={() => useEditor.getState().dispatch({ type: 'hide' })} aria-label={t('editor.close')} title={t('editor.close')} data-testid="editor-close">
          <span aria-hidden="true">×</span>
        </button>
      </div>

      {tabs.length > 0 && (
        <div className={styles.tabs} role="tablist" aria-label={t('editor.files')}>
          {tabs.map((tab, index) => {
            const dirty = isDirty(tab);
            const name = baseName(tab.path);
            return (
              <button
                key={tab.id}
                type="button"
                role="tab"
                ref={(el) => {
                  if (el) tabRefs.current.set(tab.id, el);
                  else tabRefs.current.delete(tab.id);
                }}
                className={`${styles.tab} ${tab.id === activeId ? styles.activeTab : ''}`}
                aria-selected={tab.id === activeId}
                aria-keyshortcuts="Delete"
                tabIndex={tab.id === activeId ? 0 : -1}
                title={tab.path}
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest('[data-close]')) close(tab);
                  else useEditor.getState().dispatch({ type: 'activate', id: tab.id });
                }}
                onKeyDown={(e) => onTabKey(e, index)}
                data-testid="editor-tab"
                data-dirty={dirty}
              >
                {tab.kind === 'edit' && <span className={styles.badge}>{t('editor.waiting')}</span>}
                <span>{name}</span>
                {dirty && (
                  <span className={styles.dirty} data-testid="editor-dirty">
                    <span aria-hidden="true">●</span>
                    <span className={styles.visuallyHidden}>{t('editor.unsaved')}</span>
                  </span>
                )}
                <span className={styles.closeTab} data-close="" aria-hidden="true" title={t('editor.closeTab', { name })}>
                  ×
                </span>
              </button>
            );
          })}
        </div>
      )}

      {active?.kind === 'edit' && (
        <p className={styles.waitingNote} data-testid="editor-waiting">
          {t('editor.waitingNote', { path: active.path })}
        </p>
      )}

      <div className={styles.body} role={tabs.length > 0 ? 'tabpanel' : undefined}>
        {tabs.length === 0 ? (
          <p className={styles.empty}>{t('editor.empty')}</p>
        ) : plainText ? (
          active && (
            <textarea
              key={active.id}
              className={styles.textarea}
              aria-label={editorLabel}
              value={active.text}
              spellCheck={false}
              onChange={(e) => useEditor.getState().dispatch({ type: 'setText', id: active.id, text: e.target.value })}
              data-testid="editor-textarea"
            />
          )
        ) : (
          <Suspense fallback={<p className={styles.empty}>{t('editor.loading')}</p>}>
            <MonacoEditor onSave={save} label={editorLabel} />
          </Suspense>
        )}
      </div>

      {output && <OutputArea output={output} />}
    </section>
  );
}

function OutputArea({ output }: { output: EditorOutput }) {
  const { t } = useTranslation();
  let text: string;
  let failed = false;
  if (output.kind === 'running') text = `$ ${output.command}\n${t('editor.running')}`;
  else if (output.kind === 'result') {
    text = `$ ${output.command}\n${output.stdout}${output.stderr}`.trimEnd();
    failed = output.status !== 0;
  } else if (output.kind === 'saved') text = t('editor.saved', { path: output.path });
  else if (output.kind === 'withdrawn') {
    text = t('editor.withdrawn', { path: output.path });
    failed = true;
  }
  else {
    text = output.message;
    failed = true;
  }
  return (
    <div className={styles.output}>
      <pre className={failed ? styles.failed : undefined} role="status" aria-live="polite" data-testid="editor-output">
        {text}
      </pre>
      <button type="button" className="icon" aria-label={t('editor.clearOutput')} title={t('editor.clearOutput')} onClick={() => useEditor.getState().setOutput(undefined)}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
