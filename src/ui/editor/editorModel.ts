/**
 * The editor panel's state as a pure reducer: whether the panel is shown, the open files (tabs) and which
 * one is active. A tab is either a lab file opened by the student (`file`) or a file a shell is waiting on
 * (`edit`: `vi`, `nano`, `kubectl edit`), which closes when it is answered. A tab is dirty when its text
 * differs from what was last loaded or saved. Also: the Monaco language for a file name, and how a path
 * the student types is made absolute (relative to the home directory, `~` expanded).
 */

export type TabKind = 'file' | 'edit';

export interface EditorTab {
  id: string;
  kind: TabKind;
  /** The file's absolute path in the lab. */
  path: string;
  /** The text as last loaded or saved. */
  saved: string;
  /** The text as edited now. */
  text: string;
  /** No such file yet: saving creates it. */
  isNew: boolean;
}

export interface EditorModel {
  open: boolean;
  tabs: EditorTab[];
  activeId: string | undefined;
}

export type EditorAction =
  | { type: 'show' }
  | { type: 'hide' }
  | { type: 'openFile'; id: string; path: string; content: string; isNew: boolean }
  | { type: 'openEdit'; id: string; path: string; content: string }
  | { type: 'activate'; id: string }
  | { type: 'setText'; id: string; text: string }
  | { type: 'saved'; id: string; text: string }
  /** The shell stopped waiting on an edit tab: it stays open as a plain file tab, its text kept. */
  | { type: 'detach'; id: string }
  | { type: 'close'; id: string };

export const HOME = '/home/student';

export const initialModel: EditorModel = { open: false, tabs: [], activeId: undefined };

export function isDirty(tab: EditorTab): boolean {
  return tab.isNew || tab.text !== tab.saved;
}

export function editorReducer(state: EditorModel, action: EditorAction): EditorModel {
  switch (action.type) {
    case 'show':
      return state.open ? state : { ...state, open: true };
    case 'hide':
      return state.open ? { ...state, open: false } : state;
    case 'openFile': {
      // A file already open (as the student's own tab) is brought to the front, with its unsaved text.
      const existing = state.tabs.find((t) => t.kind === 'file' && t.path === action.path);
      if (existing) return { ...state, open: true, activeId: existing.id };
      const tab: EditorTab = { id: action.id, kind: 'file', path: action.path, saved: action.content, text: action.content, isNew: action.isNew };
      return { open: true, tabs: [...state.tabs, tab], activeId: tab.id };
    }
    case 'openEdit': {
      const tab: EditorTab = { id: action.id, kind: 'edit', path: action.path, saved: action.content, text: action.content, isNew: false };
      return { open: true, tabs: [...state.tabs, tab], activeId: tab.id };
    }
    case 'activate':
      return state.tabs.some((t) => t.id === action.id) ? { ...state, activeId: action.id } : state;
    case 'setText':
      return mapTab(state, action.id, (t) => (t.text === action.text ? t : { ...t, text: action.text }));
    case 'saved':
      return mapTab(state, action.id, (t) => ({ ...t, saved: action.text, isNew: false }));
    case 'detach':
      return mapTab(state, action.id, (t) => (t.kind === 'edit' ? { ...t, kind: 'file' } : t));
    case 'close': {
      const at = state.tabs.findIndex((t) => t.id === action.id);
      if (at < 0) return state;
      const tabs = state.tabs.filter((t) => t.id !== action.id);
      // The neighbour takes the closed tab's place, as in a browser.
      const activeId = state.activeId === action.id ? (tabs[Math.min(at, tabs.length - 1)]?.id ?? undefined) : state.activeId;
      return { ...state, tabs, activeId };
    }
  }
}

function mapTab(state: EditorModel, id: string, fn: (t: EditorTab) => EditorTab): EditorModel {
  let changed = false;
  const tabs = state.tabs.map((t) => {
    if (t.id !== id) return t;
    const next = fn(t);
    changed ||= next !== t;
    return next;
  });
  return changed ? { ...state, tabs } : state;
}

/** The Monaco language of a file, by its name. */
export function languageFor(path: string): 'yaml' | 'dockerfile' | 'shell' | 'markdown' | 'plaintext' {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (lower === 'dockerfile' || lower === 'containerfile' || lower.startsWith('dockerfile.') || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (/\.(sh|bash)$/.test(lower) || lower === '.bashrc' || lower === '.profile' || lower === '.bash_profile') return 'shell';
  if (lower.endsWith('.md')) return 'markdown';
  return 'plaintext';
}

/** A path as typed (absolute, `~/x`, or relative to the home directory) made absolute and normalised; undefined when empty. */
export function absolutePath(typed: string): string | undefined {
  const text = typed.trim();
  if (text === '') return undefined;
  const full = text === '~' ? HOME : text.startsWith('~/') ? `${HOME}/${text.slice(2)}` : text.startsWith('/') ? text : `${HOME}/${text}`;
  const parts: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** The file's name, for a tab. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/** `path` quoted for bash (single quotes, a quote inside as '\''). */
export function shellQuote(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`;
}
