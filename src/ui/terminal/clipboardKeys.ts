/**
 * The terminal's copy and paste keys, as GNOME Terminal and Windows Terminal have them: Ctrl-Shift-C
 * copies the selection, Ctrl-Shift-V and Ctrl-V paste (the browser's own paste then reaches xterm, which
 * brackets it when the program asked for bracketed paste). Ctrl-C stays the interrupt; on macOS ⌘C and
 * ⌘V already are the browser's copy and paste.
 */

export type ClipboardAction = 'copy' | 'paste';

export interface KeyLike {
  type: string;
  key: string;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** What a key event means for the clipboard, or undefined when it is an ordinary key for the terminal. */
export function clipboardAction(e: KeyLike): ClipboardAction | undefined {
  if (e.type !== 'keydown' || !e.ctrlKey || e.altKey || e.metaKey) return undefined;
  const key = e.key.toLowerCase();
  if (e.shiftKey && key === 'c') return 'copy';
  if (key === 'v') return 'paste';
  return undefined;
}
