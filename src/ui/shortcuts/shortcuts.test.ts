import { describe, expect, it } from 'vitest';
import { isTypingTarget, keyName, widgetOwnsKey, type ElementLike, type KeyLike } from './keys.ts';
import { findShortcut, keyCap, SHORTCUT_GROUPS, SHORTCUTS } from './registry.ts';
import en from '../i18n/locales/en.json';
import zh from '../i18n/locales/zh-CN.json';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

/** A stand-in element: a tag, attributes, and the selectors its ancestors (itself included) match. */
function element(tagName: string, matches: string[] = [], attrs: Record<string, string> = {}): ElementLike {
  return {
    tagName,
    getAttribute: (n) => attrs[n] ?? null,
    closest: (selector) => (selector.split(',').some((s) => matches.includes(s.trim())) ? {} : null),
  };
}

describe('keyName', () => {
  it.each([
    [key('p'), 'p'],
    [key('P', { shiftKey: true }), 'p'],
    [key('?', { shiftKey: true }), '?'],
    [key(' '), 'Space'],
    [key('PageDown'), 'PageDown'],
    [key('PageDown', { shiftKey: true }), 'Shift+PageDown'],
    [key('a', { ctrlKey: true }), 'Ctrl+a'],
    [key('.', { altKey: true }), 'Alt+.'],
    [key('1', { metaKey: true }), 'Meta+1'],
  ])('%o is %s', (e, name) => expect(keyName(e)).toBe(name));
});

describe('findShortcut', () => {
  const off = { presenter: false };
  const on = { presenter: true };
  it.each([
    [key(' '), 'clock.toggle'],
    [key('.'), 'clock.step'],
    [key('['), 'clock.slower'],
    [key(']'), 'clock.faster'],
    [key('?', { shiftKey: true }), 'help.toggle'],
    [key('P', { shiftKey: true }), 'presenter.toggle'],
  ])('%o runs %s', (e, action) => expect(findShortcut(e, off)?.shortcut.action).toBe(action));

  it('maps the digits to tab indexes', () => {
    expect(findShortcut(key('1'), off)).toMatchObject({ shortcut: { action: 'diagram.open' }, index: 0 });
    expect(findShortcut(key('9'), off)?.index).toBe(8);
    expect(findShortcut(key('0'), off)).toBeUndefined();
  });

  it('acts on the lesson-step keys only in presenter mode', () => {
    for (const k of ['PageDown', 'ArrowRight']) {
      expect(findShortcut(key(k), off)).toBeUndefined();
      expect(findShortcut(key(k), on)?.shortcut.action).toBe('presenter.nextStep');
    }
    for (const k of ['PageUp', 'ArrowLeft']) expect(findShortcut(key(k), on)?.shortcut.action).toBe('presenter.previousStep');
    expect(findShortcut(key('Escape'), off)).toBeUndefined();
    expect(findShortcut(key('Escape'), on)?.shortcut.action).toBe('presenter.clearHighlight');
  });

  it('never matches a key with a modifier the registry does not name, nor the terminal keys', () => {
    expect(findShortcut(key('.', { ctrlKey: true }), on)).toBeUndefined();
    expect(findShortcut(key('p', { ctrlKey: true }), on)).toBeUndefined();
    expect(findShortcut(key('r', { ctrlKey: true }), on)).toBeUndefined();
    expect(findShortcut(key('Tab'), on)).toBeUndefined();
  });

  it('has no two page shortcuts on one key in one context', () => {
    for (const presenter of [false, true]) {
      const seen = new Map<string, string>();
      for (const s of SHORTCUTS) {
        if (!s.action || (s.when === 'presenter' && !presenter)) continue;
        for (const k of s.keys) {
          expect(seen.get(k), `${k} is both ${seen.get(k)} and ${s.id}`).toBeUndefined();
          seen.set(k, s.id);
        }
      }
    }
  });

  it('lists every entry in a known group with a label in both languages', () => {
    const lookup = (dict: unknown, path: string) => path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], dict);
    for (const s of SHORTCUTS) {
      expect(SHORTCUT_GROUPS).toContain(s.group);
      expect(typeof lookup(en, s.labelKey), `en ${s.labelKey}`).toBe('string');
      expect(typeof lookup(zh, s.labelKey), `zh-CN ${s.labelKey}`).toBe('string');
    }
    for (const g of SHORTCUT_GROUPS) expect(typeof lookup(zh, `shortcuts.groups.${g}`)).toBe('string');
  });
});

describe('keyCap', () => {
  it.each([
    ['Ctrl+a', 'Ctrl-A'],
    ['ArrowRight', '→'],
    ['PageDown', 'PgDn'],
    ['?', '?'],
    ['Escape', 'Esc'],
    ['Alt+Click', 'Alt-Click'],
  ])('%s is shown as %s', (name, cap) => expect(keyCap(name)).toBe(cap));
});

describe('isTypingTarget and widgetOwnsKey', () => {
  it('treats the terminal, the editor, inputs and editable text as typing', () => {
    expect(isTypingTarget(element('TEXTAREA', ['.xterm']))).toBe(true);
    expect(isTypingTarget(element('INPUT'))).toBe(true);
    expect(isTypingTarget(element('SELECT'))).toBe(true);
    expect(isTypingTarget(element('DIV', ['.monaco-editor']))).toBe(true);
    expect(isTypingTarget({ ...element('DIV'), isContentEditable: true })).toBe(true);
    expect(isTypingTarget(element('DIV', ['[data-shortcuts="off"]']))).toBe(true);
    expect(isTypingTarget(element('BUTTON', ['button']))).toBe(false);
    expect(isTypingTarget(element('BODY'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('leaves Space to buttons and arrows to tab lists and splitters', () => {
    expect(widgetOwnsKey(element('BUTTON', ['button']), 'Space')).toBe(true);
    expect(widgetOwnsKey(element('BUTTON', ['button']), '.')).toBe(false);
    expect(widgetOwnsKey(element('BUTTON', ['button', '[role="tab"]', '[role="tablist"]']), 'ArrowRight')).toBe(true);
    expect(widgetOwnsKey(element('DIV', ['[role="separator"]']), 'PageDown')).toBe(true);
    expect(widgetOwnsKey(element('BODY'), 'Space')).toBe(false);
    expect(widgetOwnsKey(element('BODY'), 'ArrowRight')).toBe(false);
  });
});
