/**
 * The bottom pane's dock: the terminals, and beside them — when the editor is open — the editor panel,
 * in a resizable split (SplitPane, remembered as "terminal-editor"). The terminals keep their place in
 * the tree whether the editor is open or not (the split is always there, its editor side hidden while
 * closed), so opening the editor never restarts a shell. The dock's own small bar has the button that
 * opens the editor (EditorButton, also used by the top bar).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SplitPane } from '../layout/SplitPane.tsx';
import { EditorPanel } from './EditorPanel.tsx';
import { useEditor } from './editorStore.ts';
import styles from './editor.module.css';

export function EditorDock({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const open = useEditor((s) => s.open);
  return (
    <div className={`${styles.dock} ${open ? '' : styles.dockClosed}`} data-testid="editor-dock" data-editor-open={open}>
      <SplitPane
        id="terminal-editor"
        direction="row"
        firstId="terminal-pane"
        label={t('editor.resize')}
        defaultFraction={0.45}
        minFirst={240}
        minSecond={320}
        first={children}
        second={open ? <EditorPanel /> : null}
      />
    </div>
  );
}

/** The button that shows the editor panel (or hides it again). */
export function EditorButton() {
  const { t } = useTranslation();
  const open = useEditor((s) => s.open);
  return (
    <button
      type="button"
      className={styles.editorButton}
      aria-pressed={open}
      onClick={() => useEditor.getState().dispatch({ type: open ? 'hide' : 'show' })}
      data-testid="editor-button"
      title={t('editor.buttonTitle')}
    >
      <span aria-hidden="true">✎</span> {t('editor.button')}
    </button>
  );
}
