/**
 * useShortcuts — the page's keyboard shortcuts (registry.ts) handled on `window`: a key press that is
 * not typing (keys.ts: not in the terminal, the editor, an input) and that no focused widget handles
 * itself (Space on a button, arrows in the tab list) runs its action. A handler returning false did not
 * use the key (Escape with nothing highlighted), which then goes on as if no shortcut had it. Inside an
 * open dialog only the help key acts (it closes the help panel).
 */
import { useEffect } from 'react';
import { usePresenter } from '../presenter/presenterStore.ts';
import { isTypingTarget, keyName, widgetOwnsKey } from './keys.ts';
import { findShortcut, type ShortcutAction, type ShortcutMatch } from './registry.ts';

export type ShortcutHandlers = Record<ShortcutAction, (match: ShortcutMatch) => boolean | void>;

export function useShortcuts(handlers: ShortcutHandlers): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target instanceof Element ? e.target : null;
      if (isTypingTarget(target)) return;
      const match = findShortcut(e, { presenter: usePresenter.getState().enabled });
      if (!match || widgetOwnsKey(target, keyName(e))) return;
      if (target?.closest('dialog[open]') && match.shortcut.action !== 'help.toggle') return;
      if (handlers[match.shortcut.action](match) === false) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [handlers]);
}
