import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A page's localStorage, kept across "reloads" (fresh imports of the store). */
function fakeStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, String(v)),
    removeItem: (k: string) => void map.delete(k),
    clear: () => map.clear(),
  };
}

async function load() {
  vi.resetModules();
  return (await import('./lessonsStore.ts')).useLessons;
}

describe('useLessons', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', fakeStorage());
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('starts closed, on the list, with no place', async () => {
    const s = (await load()).getState();
    expect([s.paneOpen, s.view, s.place, s.imported]).toEqual([false, 'list', undefined, []]);
  });

  it('remembers the pane, the lesson and the step across a reload', async () => {
    const before = await load();
    before.getState().setPaneOpen(true);
    before.getState().openLesson('container-is-a-process', 2);
    before.getState().setPosition(3);
    const after = (await load()).getState();
    expect([after.paneOpen, after.view, after.place]).toEqual([true, 'lesson', { ref: 'container-is-a-process', position: 3 }]);
  });

  it('the picker opens the list, and closes the pane when it shows the list', async () => {
    const store = await load();
    store.getState().openLesson('tour', 1);
    store.getState().pick();
    expect([store.getState().paneOpen, store.getState().view]).toEqual([true, 'list']);
    expect(store.getState().place).toEqual({ ref: 'tour', position: 1 });
    store.getState().pick();
    expect(store.getState().paneOpen).toBe(false);
  });

  it('keeps imported files, one per lesson id, across a reload', async () => {
    const store = await load();
    store.getState().addImported({ id: 'mine', language: 'en', text: 'one' });
    store.getState().addImported({ id: 'other', language: 'zh-CN', text: 'two' });
    store.getState().addImported({ id: 'mine', language: 'en', text: 'three' });
    const after = (await load()).getState();
    expect(after.imported.map((s) => [s.id, s.text])).toEqual([
      ['other', 'two'],
      ['mine', 'three'],
    ]);
  });

  it('ignores a remembered place or imports that are not well formed', async () => {
    localStorage.setItem('kubelab.layout.lessons.place', '../../etc@1');
    localStorage.setItem('kubelab-lessons.imported', '[{"id":1},{"id":"ok","language":"fr","text":"x"},{"id":"ok","language":"en","text":"x"}]');
    const s = (await load()).getState();
    expect(s.place).toBeUndefined();
    expect(s.imported).toEqual([{ id: 'ok', language: 'en', text: 'x' }]);
  });
});
