import { describe, expect, it } from 'vitest';
import { clipboardAction } from './clipboardKeys.ts';

const key = (key: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey', boolean>> = {}, type = 'keydown') => ({ type, key, ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, ...mods });

describe('clipboardAction', () => {
  it.each([
    ['Ctrl-Shift-C copies', key('C', { ctrlKey: true, shiftKey: true }), 'copy'],
    ['Ctrl-Shift-V pastes', key('V', { ctrlKey: true, shiftKey: true }), 'paste'],
    ['Ctrl-V pastes', key('v', { ctrlKey: true }), 'paste'],
    ['Ctrl-C interrupts', key('c', { ctrlKey: true }), undefined],
    ['a plain c is typed', key('c'), undefined],
    ['Ctrl-Alt-V is not a paste', key('v', { ctrlKey: true, altKey: true }), undefined],
    ['only on keydown', key('v', { ctrlKey: true }, 'keyup'), undefined],
  ])('%s', (_, event, action) => {
    expect(clipboardAction(event)).toBe(action);
  });
});
