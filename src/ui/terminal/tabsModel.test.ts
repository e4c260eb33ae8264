import { describe, expect, it } from 'vitest';
import { initialTabs, tabsReducer, type TabsAction, type TabsState } from './tabsModel.ts';

const after = (...actions: TabsAction[]): TabsState => actions.reduce(tabsReducer, initialTabs());

describe('terminal tabs', () => {
  it('starts with the laptop', () => {
    expect(initialTabs().tabs).toEqual([{ key: 't1' }]);
  });

  it('shows a new tab at once, on the host asked for', () => {
    const s = after({ type: 'open', host: 'worker-1' });
    expect(s.tabs).toEqual([{ key: 't1' }, { key: 't2', host: 'worker-1' }]);
    expect(s.active).toBe('t2');
  });

  it.each([
    ['the shown tab shows the one after it', 't2', 't3'],
    ['the shown last tab shows the one before it', 't3', 't2'],
    ['a hidden tab keeps the shown one', 't1', 't3'],
  ])('closing %s', (_, close, shown) => {
    const base = after({ type: 'open' }, { type: 'open' });
    const s = tabsReducer(close === 't2' ? tabsReducer(base, { type: 'select', key: 't2' }) : base, { type: 'close', key: close });
    expect(s.active).toBe(shown);
    expect(s.tabs.map((t) => t.key)).not.toContain(close);
  });

  it('opens a fresh laptop tab when the last one closes', () => {
    const s = after({ type: 'close', key: 't1' });
    expect(s.tabs).toEqual([{ key: 't2' }]);
    expect(s.active).toBe('t2');
  });

  it('ignores unknown keys', () => {
    const s = initialTabs();
    expect(tabsReducer(s, { type: 'select', key: 'nope' })).toBe(s);
    expect(tabsReducer(s, { type: 'close', key: 'nope' })).toBe(s);
  });
});
