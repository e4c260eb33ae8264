/**
 * The editor panel's store (zustand): the panel's tabs (editorModel.ts), the plain-text mode (remembered),
 * the last Apply's output, and the shells waiting on edit tabs.
 *
 * `requestEdit` is what a shell's `vi`/`nano`/`kubectl edit` reaches (through editorHost.ts): it opens an
 * edit tab and returns a promise that `finishEdit` settles — with the text on "Save & close", undefined on
 * "Cancel" or when the tab is closed. When the shell stops waiting (Ctrl-C), the tab stays open as a plain
 * file tab, so the text is not lost, and the output says so. The settle functions live beside the store,
 * not in its state.
 */
import { create } from 'zustand';
import type { EditMessage } from '../../workers/engineApi.ts';
import { readChoice, writeChoice } from '../layout/paneSize.ts';
import { editorReducer, initialModel, type EditorAction, type EditorModel } from './editorModel.ts';

/** What the panel shows under the editor: a command it ran and what came of it. */
export type EditorOutput =
  | { kind: 'running'; command: string }
  | { kind: 'result'; command: string; status: number; stdout: string; stderr: string }
  | { kind: 'error'; message: string }
  | { kind: 'saved'; path: string }
  /** The shell stopped waiting on the edit of `path` (Ctrl-C): its tab is now a plain file tab. */
  | { kind: 'withdrawn'; path: string };

export interface EditorState extends EditorModel {
  plainText: boolean;
  output: EditorOutput | undefined;
  dispatch(action: EditorAction): void;
  setPlainText(on: boolean): void;
  setOutput(output: EditorOutput | undefined): void;
  /**
   * A shell's edit message: a file to open in an edit tab (resolves with the saved text, or undefined when
   * cancelled), or the news that the shell stopped waiting on one (resolves at once).
   */
  requestEdit(message: EditMessage): Promise<string | undefined>;
  /** Answer an edit tab (text: saved; undefined: cancelled) and close it. */
  finishEdit(id: string, text: string | undefined): void;
}

const ON_OFF = ['on', 'off'] as const;
const waiting = new Map<string, (text: string | undefined) => void>();
/** The tab of each edit the worker sent, by the worker's edit id. */
const tabOfEdit = new Map<string, string>();
let nextId = 1;

/** A fresh tab id. */
export function newTabId(): string {
  return `tab-${nextId++}`;
}

export const useEditor = create<EditorState>()((set, get) => ({
  ...initialModel,
  plainText: readChoice('editor.plainText', ON_OFF, 'off') === 'on',
  output: undefined,
  dispatch: (action) => {
    // Closing an edit tab any other way than finishEdit (its ×, or the tab list) cancels the edit.
    if (action.type === 'close' && waiting.has(action.id)) {
      get().finishEdit(action.id, undefined);
      return;
    }
    set((s) => editorReducer(s, action));
  },
  setPlainText: (on) => {
    writeChoice('editor.plainText', on ? 'on' : 'off');
    set({ plainText: on });
  },
  setOutput: (output) => set({ output }),
  requestEdit: (message) => {
    if (typeof message !== 'object' || message === null || typeof message.id !== 'string') return Promise.reject(new TypeError('an edit message must carry an id'));
    if ('withdrawn' in message) {
      const tab = tabOfEdit.get(message.id);
      tabOfEdit.delete(message.id);
      const path = tab === undefined ? undefined : get().tabs.find((t) => t.id === tab)?.path;
      if (tab !== undefined && waiting.delete(tab)) {
        set((s) => ({ ...editorReducer(s, { type: 'detach', id: tab }), output: { kind: 'withdrawn', path: path ?? '' } }));
      }
      return Promise.resolve(undefined);
    }
    if (typeof message.path !== 'string' || typeof message.content !== 'string') return Promise.reject(new TypeError('the edit request must hold a path and the content'));
    const id = newTabId();
    tabOfEdit.set(message.id, id);
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      set((s) => editorReducer(s, { type: 'openEdit', id, path: message.path, content: message.content }));
    });
  },
  finishEdit: (id, text) => {
    const resolve = waiting.get(id);
    waiting.delete(id);
    for (const [edit, tab] of tabOfEdit) if (tab === id) tabOfEdit.delete(edit);
    set((s) => editorReducer(s, { type: 'close', id }));
    resolve?.(text);
  },
}));
