/**
 * keys — how a keyboard event is named for the shortcut registry, and whether the page should leave it
 * alone. Pure functions over the fields of a KeyboardEvent (and an element's tag, role and ancestors), so
 * they are tested in Node.
 *
 * A key's name: a printable character is itself (letters lower-cased, so `P` and `p` are one key; the
 * character already tells `?` from `/`, so Shift is not named), a named key is its `key` (`PageDown`,
 * `ArrowRight`, `Space` for ' '), each preceded by its modifiers in the order `Ctrl+Alt+Shift+Meta+`
 * (Shift only for named keys).
 */

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** The registry's name of a key press, e.g. `p`, `?`, `Space`, `Ctrl+a`, `Shift+PageDown`. */
export function keyName(e: KeyLike): string {
  const printable = e.key.length === 1 && e.key !== ' ';
  const base = e.key === ' ' ? 'Space' : printable ? e.key.toLowerCase() : e.key;
  let mods = '';
  if (e.ctrlKey) mods += 'Ctrl+';
  if (e.altKey) mods += 'Alt+';
  if (e.shiftKey && !printable) mods += 'Shift+';
  if (e.metaKey) mods += 'Meta+';
  return mods + base;
}

/** What the typing check needs of an element (a DOM Element satisfies it). */
export interface ElementLike {
  tagName: string;
  isContentEditable?: boolean;
  getAttribute(name: string): string | null;
  closest(selector: string): unknown;
}

/**
 * Places where keys are text, never shortcuts: the terminal (xterm's textarea and screen), inputs,
 * text areas, selects, the editor, anything editable, and any subtree that opts out with
 * `data-shortcuts="off"`.
 */
const TYPING_SELECTOR = '.xterm, .monaco-editor, [contenteditable=""], [contenteditable="true"], [data-shortcuts="off"]';

export function isTypingTarget(el: ElementLike | null): boolean {
  if (!el) return false;
  const tag = el.tagName.toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select') return true;
  if (el.isContentEditable) return true;
  return el.closest(TYPING_SELECTOR) !== null;
}

/**
 * Widgets that handle a key themselves, so a shortcut on the same key would act twice: Space and Enter
 * press buttons, links and tabs; arrows, Home/End and the page keys move within tabs, sliders,
 * splitters, lists, menus, radio groups and grids.
 */
const PRESSABLE = 'button, a[href], summary, [role="button"], [role="tab"], [role="checkbox"], [role="switch"], [role="menuitem"], [role="option"], [role="radio"]';
const NAVIGABLE = '[role="tablist"], [role="slider"], [role="separator"], [role="listbox"], [role="menu"], [role="radiogroup"], [role="grid"], [role="tree"], [role="spinbutton"], canvas[tabindex]';

export function widgetOwnsKey(el: ElementLike | null, key: string): boolean {
  if (!el) return false;
  if (key === 'Space' || key === 'Enter') return el.closest(PRESSABLE) !== null;
  if (/^(Arrow(Up|Down|Left|Right)|Home|End|PageUp|PageDown)$/.test(key)) return el.closest(NAVIGABLE) !== null;
  return false;
}
