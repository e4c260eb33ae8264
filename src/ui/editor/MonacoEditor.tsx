/**
 * The Monaco editor on the panel's tabs (loaded with a dynamic import: Monaco stays out of the first
 * paint). One editor, one model per tab (its language from the file name; YAML checked against the
 * Kubernetes 1.32 schema of each document's apiVersion and kind, fetched from the worker as the text
 * names new kinds); typing updates the tab's text in the store; Ctrl-S (⌘S) saves. The theme follows the
 * app's (vs / vs-dark), the font size the terminal's (enlarged in presenter mode). Each tab keeps its cursor and scroll position while another is shown.
 */
import type { JSONSchema, SchemasSettings } from 'monaco-yaml';
import { useEffect, useRef } from 'react';
import { engine } from '../engine/client.ts';
import { useSettings, useTerminalFontSize } from '../settings/settingsStore.ts';
import { languageFor, type EditorTab } from './editorModel.ts';
import { useEditor } from './editorStore.ts';
import { fileSchema, manifestKinds, type KindRef, type KindSchema } from './manifestSchema.ts';
import { monaco, setFileSchemas } from './monacoSetup.ts';
import styles from './editor.module.css';

/** Each kind's schema, asked of the worker once. */
const kindSchemas = new Map<string, KindSchema | undefined | Promise<void>>();
const kindKey = (k: KindRef) => `${k.apiVersion}/${k.kind}`;

function uriFor(tab: EditorTab): monaco.Uri {
  return monaco.Uri.from({ scheme: 'file', path: `/kubelab/${tab.id}${tab.path}` });
}

export default function MonacoEditor({ onSave, label }: { onSave: () => void; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | undefined>(undefined);
  const models = useRef(new Map<string, monaco.editor.ITextModel>());
  const viewStates = useRef(new Map<string, monaco.editor.ICodeEditorViewState | null>());
  const shownId = useRef<string | undefined>(undefined);
  const saveRef = useRef(onSave);
  const tabs = useEditor((s) => s.tabs);
  const activeId = useEditor((s) => s.activeId);
  const theme = useSettings((s) => s.theme);
  const fontSize = useTerminalFontSize();

  useEffect(() => {
    saveRef.current = onSave;
  }, [onSave]);

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      model: null,
      automaticLayout: true,
      minimap: { enabled: false },
      tabSize: 2,
      insertSpaces: true,
      scrollBeyondLastLine: false,
      renderWhitespace: 'boundary',
      fixedOverflowWidgets: true,
      // The last line's number at full contrast (Monaco dims it below WCAG AA).
      renderFinalNewline: 'on',
    });
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => saveRef.current());
    editorRef.current = editor;
    const owned = models.current;
    return () => {
      editor.dispose();
      for (const model of owned.values()) model.dispose();
      owned.clear();
      editorRef.current = undefined;
      shownId.current = undefined;
    };
  }, []);

  useEffect(() => {
    editorRef.current?.updateOptions({ ariaLabel: label });
  }, [label]);

  // One model per tab: created with the tab, disposed with it; the store follows the typing.
  useEffect(() => {
    const owned = models.current;
    for (const tab of tabs) {
      const model = owned.get(tab.id);
      if (!model) {
        const created = monaco.editor.createModel(tab.text, languageFor(tab.path), uriFor(tab));
        created.onDidChangeContent(() => useEditor.getState().dispatch({ type: 'setText', id: tab.id, text: created.getValue() }));
        owned.set(tab.id, created);
      } else if (model.getValue() !== tab.text) model.setValue(tab.text);
    }
    for (const [id, model] of owned) {
      if (tabs.some((tab) => tab.id === id)) continue;
      model.dispose();
      owned.delete(id);
      viewStates.current.delete(id);
    }
  }, [tabs]);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || shownId.current === activeId) return;
    if (shownId.current !== undefined) viewStates.current.set(shownId.current, editor.saveViewState());
    const model = activeId === undefined ? undefined : models.current.get(activeId);
    editor.setModel(model ?? null);
    shownId.current = model ? activeId : undefined;
    if (model && activeId !== undefined) {
      const state = viewStates.current.get(activeId);
      if (state) editor.restoreViewState(state);
      editor.focus();
    }
  }, [activeId, tabs]);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'light' ? 'vs' : 'vs-dark');
  }, [theme]);

  useEffect(() => {
    editorRef.current?.updateOptions({ fontSize });
  }, [fontSize]);

  // The schema of each YAML tab, from the kinds its documents name (debounced while typing).
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      const wanted = new Map<string, KindRef>();
      const files = tabs.filter((tab) => languageFor(tab.path) === 'yaml').map((tab) => ({ tab, kinds: manifestKinds(tab.text) }));
      for (const { kinds } of files) for (const k of kinds) wanted.set(kindKey(k), k);
      const fetches: Promise<void>[] = [];
      for (const [key, k] of wanted) {
        const known = kindSchemas.get(key);
        if (known instanceof Promise) fetches.push(known);
        else if (!kindSchemas.has(key)) {
          const fetch = engine.jsonSchemaFor(k.apiVersion, k.kind).then(
            (schema) => void kindSchemas.set(key, schema as KindSchema | undefined),
            () => void kindSchemas.delete(key),
          );
          kindSchemas.set(key, fetch);
          fetches.push(fetch);
        }
      }
      void Promise.all(fetches).then(() => {
        if (cancelled) return;
        const lookup = (k: KindRef) => {
          const s = kindSchemas.get(kindKey(k));
          return s instanceof Promise ? undefined : s;
        };
        const settings: SchemasSettings[] = [];
        for (const { tab, kinds } of files) {
          const schema = fileSchema(kinds, lookup);
          if (!schema) continue;
          const known = kinds.filter((k) => lookup(k) !== undefined);
          settings.push({ fileMatch: [uriFor(tab).toString()], uri: `kubelab:schemas/${known.map(kindKey).join('/')}`, schema: schema as JSONSchema });
        }
        setFileSchemas(settings);
      });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [tabs]);

  return <div className={styles.monaco} ref={host} data-testid="monaco-editor" />;
}
