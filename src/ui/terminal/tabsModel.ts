/**
 * The terminal tabs as data: which tabs exist (each a session on the laptop or on a host), which one is
 * shown. Pure, so the rules are unit-tested: a new tab is shown at once; closing the shown tab shows its
 * neighbour (the one after it, else the one before); closing the last tab opens a fresh laptop tab, so
 * there is always a terminal to type in.
 */

export interface TerminalTab {
  /** Stable for the tab's life (React key, element ids). */
  key: string;
  /** The host its session was opened on; undefined: the student's laptop. */
  host?: string;
}

export interface TabsState {
  tabs: TerminalTab[];
  active: string;
  /** The next key's number. */
  next: number;
}

export type TabsAction = { type: 'open'; host?: string } | { type: 'close'; key: string } | { type: 'select'; key: string };

const tab = (n: number, host?: string): TerminalTab => (host === undefined ? { key: `t${n}` } : { key: `t${n}`, host });

export function initialTabs(): TabsState {
  return { tabs: [tab(1)], active: 't1', next: 2 };
}

export function tabsReducer(state: TabsState, action: TabsAction): TabsState {
  switch (action.type) {
    case 'open': {
      const opened = tab(state.next, action.host);
      return { tabs: [...state.tabs, opened], active: opened.key, next: state.next + 1 };
    }
    case 'select':
      return state.tabs.some((t) => t.key === action.key) && state.active !== action.key ? { ...state, active: action.key } : state;
    case 'close': {
      const index = state.tabs.findIndex((t) => t.key === action.key);
      if (index < 0) return state;
      const tabs = state.tabs.filter((t) => t.key !== action.key);
      if (tabs.length === 0) return tabsReducer({ ...state, tabs }, { type: 'open' });
      const active = state.active === action.key ? (tabs[index] ?? tabs[index - 1])!.key : state.active;
      return { ...state, tabs, active };
    }
  }
}
