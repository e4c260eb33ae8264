import { describe, expect, it } from 'vitest';
import { missingSettings, readSettings, sameSettings, writeSettings } from './settingsValues.ts';

/** A Storage in memory (localStorage's interface). */
function fakeStorage(entries: Record<string, string>): Storage {
  const m = new Map(Object.entries(entries));
  return {
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
    clear: () => m.clear(),
  };
}

describe('settings values', () => {
  it('reads every kubelab. choice without the prefix, and nothing else', () => {
    const storage = fakeStorage({ 'kubelab.layout.theme': 'light', 'kubelab.language': 'zh-CN', 'kubelab.layout.main': '0.6000', 'other.app': 'x' });
    expect(readSettings(storage)).toEqual({ 'layout.theme': 'light', language: 'zh-CN', 'layout.main': '0.6000' });
  });

  it('leaves out what a lab file could not carry', () => {
    const storage = fakeStorage({ 'kubelab.layout.theme': 'dark', 'kubelab.bad key': 'x', 'kubelab.huge': 'y'.repeat(2000) });
    expect(readSettings(storage)).toEqual({ 'layout.theme': 'dark' });
  });

  it('reads nothing when storage is unavailable or throws', () => {
    expect(readSettings(undefined)).toEqual({});
    const broken = {
      length: 1,
      key: () => 'kubelab.x',
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    };
    expect(readSettings(broken)).toEqual({});
  });

  it('writes them back under the prefix', () => {
    const storage = fakeStorage({});
    writeSettings(storage, { 'layout.theme': 'light', language: 'en' });
    expect(storage.getItem('kubelab.layout.theme')).toBe('light');
    expect(storage.getItem('kubelab.language')).toBe('en');
  });

  it('finds what IndexedDB has and localStorage lost', () => {
    expect(missingSettings({ language: 'en' }, { language: 'zh-CN', 'layout.theme': 'light' })).toEqual({ 'layout.theme': 'light' });
    expect(missingSettings({ language: 'en' }, {})).toEqual({});
  });

  it('compares two values', () => {
    expect(sameSettings({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameSettings({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameSettings({ a: '1' }, { a: '1', b: '2' })).toBe(false);
  });
});
