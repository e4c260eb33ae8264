/**
 * The keyboard shortcuts, as data: one list that both the key handler (useShortcuts) and the help panel
 * read, so what the panel says is what the keys do. An entry with an `action` is the page's own; one
 * without is the terminal's readline key (src/engine/shell/lineEditor.ts handles it inside the shell),
 * listed so students can find it. `when: 'presenter'` entries act only in presenter mode.
 *
 * Key names are keys.ts's (`p`, `?`, `Space`, `PageDown`, `Ctrl+a`).
 */
import { keyName, type KeyLike } from './keys.ts';

export const SHORTCUT_GROUPS = ['general', 'clock', 'diagrams', 'presenter', 'terminal'] as const;
export type ShortcutGroup = (typeof SHORTCUT_GROUPS)[number];

export type ShortcutAction =
  | 'help.toggle'
  | 'clock.toggle'
  | 'clock.step'
  | 'clock.slower'
  | 'clock.faster'
  | 'diagram.open'
  | 'presenter.toggle'
  | 'presenter.nextStep'
  | 'presenter.previousStep'
  | 'presenter.clearHighlight';

export interface Shortcut {
  id: string;
  group: ShortcutGroup;
  /** The key names that trigger it (for the terminal's, the keys as a student presses them). */
  keys: readonly string[];
  /** How the help panel writes the keys when not one by one (`1`–`9`). */
  display?: string;
  /** i18n key of what it does. */
  labelKey: string;
  action?: ShortcutAction;
  when?: 'presenter';
}

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'help', group: 'general', keys: ['?'], labelKey: 'shortcuts.help', action: 'help.toggle' },
  { id: 'clock-toggle', group: 'clock', keys: ['Space'], labelKey: 'shortcuts.clockToggle', action: 'clock.toggle' },
  { id: 'clock-step', group: 'clock', keys: ['.'], labelKey: 'shortcuts.clockStep', action: 'clock.step' },
  { id: 'clock-slower', group: 'clock', keys: ['['], labelKey: 'shortcuts.clockSlower', action: 'clock.slower' },
  { id: 'clock-faster', group: 'clock', keys: [']'], labelKey: 'shortcuts.clockFaster', action: 'clock.faster' },
  { id: 'diagram-open', group: 'diagrams', keys: DIGITS, display: '1–9', labelKey: 'shortcuts.diagramOpen', action: 'diagram.open' },
  { id: 'presenter-toggle', group: 'presenter', keys: ['p'], labelKey: 'shortcuts.presenterToggle', action: 'presenter.toggle' },
  { id: 'presenter-next', group: 'presenter', keys: ['PageDown', 'ArrowRight'], labelKey: 'shortcuts.nextStep', action: 'presenter.nextStep', when: 'presenter' },
  { id: 'presenter-previous', group: 'presenter', keys: ['PageUp', 'ArrowLeft'], labelKey: 'shortcuts.previousStep', action: 'presenter.previousStep', when: 'presenter' },
  { id: 'presenter-highlight', group: 'presenter', keys: ['Alt+Click'], labelKey: 'shortcuts.highlight', when: 'presenter' },
  { id: 'presenter-clear', group: 'presenter', keys: ['Escape'], labelKey: 'shortcuts.clearHighlight', action: 'presenter.clearHighlight', when: 'presenter' },
  { id: 'term-start', group: 'terminal', keys: ['Ctrl+a', 'Home'], labelKey: 'shortcuts.term.start' },
  { id: 'term-end', group: 'terminal', keys: ['Ctrl+e', 'End'], labelKey: 'shortcuts.term.end' },
  { id: 'term-char', group: 'terminal', keys: ['ArrowLeft', 'ArrowRight', 'Ctrl+b', 'Ctrl+f'], labelKey: 'shortcuts.term.char' },
  { id: 'term-word', group: 'terminal', keys: ['Alt+b', 'Alt+f'], labelKey: 'shortcuts.term.word' },
  { id: 'term-kill-start', group: 'terminal', keys: ['Ctrl+u'], labelKey: 'shortcuts.term.killStart' },
  { id: 'term-kill-end', group: 'terminal', keys: ['Ctrl+k'], labelKey: 'shortcuts.term.killEnd' },
  { id: 'term-kill-word', group: 'terminal', keys: ['Ctrl+w'], labelKey: 'shortcuts.term.killWord' },
  { id: 'term-clear', group: 'terminal', keys: ['Ctrl+l'], labelKey: 'shortcuts.term.clear' },
  { id: 'term-interrupt', group: 'terminal', keys: ['Ctrl+c'], labelKey: 'shortcuts.term.interrupt' },
  { id: 'term-eof', group: 'terminal', keys: ['Ctrl+d'], labelKey: 'shortcuts.term.eof' },
  { id: 'term-history', group: 'terminal', keys: ['ArrowUp', 'ArrowDown', 'Ctrl+p', 'Ctrl+n'], labelKey: 'shortcuts.term.history' },
  { id: 'term-search', group: 'terminal', keys: ['Ctrl+r'], labelKey: 'shortcuts.term.search' },
  { id: 'term-search-cancel', group: 'terminal', keys: ['Ctrl+g'], labelKey: 'shortcuts.term.searchCancel' },
  { id: 'term-complete', group: 'terminal', keys: ['Tab'], labelKey: 'shortcuts.term.complete' },
];

export interface ShortcutContext {
  presenter: boolean;
}

export interface ShortcutMatch {
  shortcut: Shortcut & { action: ShortcutAction };
  /** For `diagram.open`: the tab's index (0 for key 1). */
  index?: number;
}

/** The page's shortcut for a key press in this context, if any (the terminal's keys are never matched). */
export function findShortcut(e: KeyLike, context: ShortcutContext, shortcuts: readonly Shortcut[] = SHORTCUTS): ShortcutMatch | undefined {
  const name = keyName(e);
  for (const s of shortcuts) {
    if (!s.action || (s.when === 'presenter' && !context.presenter)) continue;
    const i = s.keys.indexOf(name);
    if (i < 0) continue;
    const shortcut = s as ShortcutMatch['shortcut'];
    return s.action === 'diagram.open' ? { shortcut, index: DIGITS.indexOf(name) } : { shortcut };
  }
  return undefined;
}

const ARROWS: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓' };

/** A key name as a key cap: `Ctrl+a` → `Ctrl-A`, `ArrowRight` → `→`, `PageDown` → `PgDn`. */
export function keyCap(name: string): string {
  const parts = name.split('+');
  const base = parts.pop()!;
  const shown = ARROWS[base] ?? (base === 'PageDown' ? 'PgDn' : base === 'PageUp' ? 'PgUp' : base === 'Escape' ? 'Esc' : base.length === 1 ? base.toUpperCase() : base);
  return [...parts, shown].join('-');
}
