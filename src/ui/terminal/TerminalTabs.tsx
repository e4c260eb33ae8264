/**
 * The terminals: one tab per shell session, the WAI-ARIA tabs pattern (←/→, Home/End move between tabs,
 * Delete closes the focused one). The student's laptop comes first; the "+" menu opens a tab on the
 * laptop or directly on a node or lab host (the hosts the engine can open a shell on, with each node's
 * readiness from the lab store). Every tab stays mounted while hidden, so its xterm keeps its scrollback
 * and its session runs on; closing a tab closes its session.
 *
 * A tab's title is where its keys go (tabTitle.ts, from the session's record in the lab store): the
 * session's user@host, or what `ssh`, `kubectl exec -it`, `docker exec -it` attached the terminal to.
 * The bar also holds the screen-reader mode switch (xterm's accessibility tree), remembered. Text typed on
 * the student's behalf (a lesson's Run button, terminalInput.ts) goes to its session's tab, opened if none.
 */
import { useCallback, useEffect, useReducer, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionRecord } from '../../engine/cluster/lab.ts';
import type { NodeView } from '../../engine/cluster/clusterView.ts';
import { engine } from '../engine/client.ts';
import { readChoice, writeChoice } from '../layout/paneSize.ts';
import { useSettings, useTerminalFontSize } from '../settings/settingsStore.ts';
import { selectNodeNames, useLab } from '../state/labStore.ts';
import { TerminalView } from './TerminalView.tsx';
import styles from './TerminalTabs.module.css';
import { tabTitle } from './tabTitle.ts';
import { initialTabs, tabsReducer, type TerminalTab } from './tabsModel.ts';
import { tabFor, useTerminalInput } from './terminalInput.ts';

const ON_OFF = ['on', 'off'] as const;

/** The title of `tab`, whose session is `id`, from the session's record. */
function titleOf(tab: TerminalTab, id: string | undefined, records: ReturnType<typeof useLab.getState>['records']): string {
  const record = id === undefined ? undefined : records[`session:${id}`];
  return tabTitle(record?.typeName === 'session' ? (record as SessionRecord) : undefined, tab.host === undefined ? 'student@laptop' : `root@${tab.host}`);
}

export function TerminalTabs() {
  const { t } = useTranslation();
  const [state, dispatch] = useReducer(tabsReducer, undefined, initialTabs);
  const [sessions, setSessions] = useState<Record<string, string | undefined>>({});
  const [screenReader, setScreenReader] = useState(() => readChoice('terminal.screenReader', ON_OFF, 'off') === 'on');
  const theme = useSettings((s) => s.theme);
  const fontSize = useTerminalFontSize();
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  /** A tab closed from the keyboard: the focus goes to the tab shown next, not to the page. */
  const refocus = useRef(false);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    tabRefs.current.get(state.active)?.focus();
  }, [state]);

  // One string, so that the frames in which only the clock moved do not re-render the terminals.
  const titles = useLab((s) => state.tabs.map((tab) => titleOf(tab, sessions[tab.key], s.records)).join('\n')).split('\n');

  const onSession = useCallback((key: string, id: string | undefined) => setSessions((s) => (s[key] === id ? s : { ...s, [key]: id })), []);

  // Text typed on the student's behalf (terminalInput.ts): show its session's tab (opened if none), then
  // send it down the same path as typed keys once the tab's session is open.
  const requests = useTerminalInput((s) => s.requests);
  const opening = useRef(new Set<string>());
  const shown = useRef(new Set<number>());
  useEffect(() => {
    for (const request of requests) {
      const key = tabFor(state.tabs, state.active, request.session);
      if (key === undefined) {
        if (opening.current.has(request.session)) continue;
        opening.current.add(request.session);
        dispatch({ type: 'open', ...(request.session !== 'laptop' ? { host: request.session } : {}) });
        continue;
      }
      opening.current.delete(request.session);
      if (!shown.current.has(request.seq)) {
        shown.current.add(request.seq);
        dispatch({ type: 'select', key });
      }
      const session = sessions[key];
      if (session === undefined) continue;
      useTerminalInput.getState().consume(request.seq);
      shown.current.delete(request.seq);
      // A session that ended meanwhile says so in its own terminal; the request is dropped with it.
      engine.write(session, request.text).catch(() => {});
    }
  }, [requests, state, sessions]);
  const select = (key: string) => {
    dispatch({ type: 'select', key });
    tabRefs.current.get(key)?.focus();
  };
  const close = (key: string) => {
    dispatch({ type: 'close', key });
    setSessions(({ [key]: _, ...rest }) => rest);
  };
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const { tabs } = state;
    if (e.key === 'Delete') {
      e.preventDefault();
      refocus.current = true;
      close(tabs[index]!.key);
      return;
    }
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length]!.key);
  };
  const onTabClick = (e: MouseEvent, key: string) => {
    if ((e.target as HTMLElement).closest('[data-close]')) close(key);
    else dispatch({ type: 'select', key });
  };

  return (
    <section className={styles.pane} aria-label={t('terminal.label')}>
      <div className={styles.bar}>
        <div role="tablist" aria-label={t('terminal.sessions')} className={styles.tabs} data-testid="terminal-tabs">
          {state.tabs.map((tab, i) => {
            const title = titles[i]!;
            const selected = tab.key === state.active;
            return (
              <button
                key={tab.key}
                ref={(el) => {
                  if (el) tabRefs.current.set(tab.key, el);
                  else tabRefs.current.delete(tab.key);
                }}
                type="button"
                role="tab"
                id={`terminal-tab-${tab.key}`}
                aria-selected={selected}
                aria-controls={`terminal-panel-${tab.key}`}
                aria-keyshortcuts="Delete"
                tabIndex={selected ? 0 : -1}
                className={`tab ${styles.tab}`}
                title={title}
                onClick={(e) => onTabClick(e, tab.key)}
                onKeyDown={(e) => onKeyDown(e, i)}
              >
                <span>{title}</span>
                <span className={styles.close} data-close="" aria-hidden="true" title={t('terminal.close', { title })}>
                  ×
                </span>
              </button>
            );
          })}
        </div>
        <NewTabMenu onOpen={(host) => dispatch({ type: 'open', ...(host !== undefined ? { host } : {}) })} />
        <div className={styles.tools}>
          <label title={t('terminal.screenReaderHint')}>
            <input
              type="checkbox"
              checked={screenReader}
              data-testid="terminal-screen-reader"
              onChange={(e) => {
                setScreenReader(e.target.checked);
                writeChoice('terminal.screenReader', e.target.checked ? 'on' : 'off');
              }}
            />
            {t('terminal.screenReader')}
          </label>
        </div>
      </div>
      <div className={styles.panels}>
        {state.tabs.map((tab) => {
          const selected = tab.key === state.active;
          return (
            <div
              key={tab.key}
              role="tabpanel"
              id={`terminal-panel-${tab.key}`}
              aria-labelledby={`terminal-tab-${tab.key}`}
              hidden={!selected}
              className={styles.panel}
              {...(selected ? { 'data-testid': 'terminal' } : {})}
            >
              <TerminalView host={tab.host} active={selected} theme={theme} fontSize={fontSize} screenReader={screenReader} onSession={(id) => onSession(tab.key, id)} />
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** The "+" button and its menu: the laptop, then the nodes and lab hosts a shell can open on. */
function NewTabMenu({ onOpen }: { onOpen(host: string | undefined): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [hosts, setHosts] = useState<Array<{ name: string; kind: 'node' | 'lab-host' }> | undefined>(undefined);
  const nodeNames = useLab(selectNodeNames);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (!open) return;
    let live = true;
    engine
      .shellHosts()
      .then((list) => live && setHosts(list))
      .catch(() => live && setHosts([]));
    return () => {
      live = false;
    };
  }, [open, nodeNames]);

  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const choose = (host: string | undefined) => {
    setOpen(false);
    onOpen(host);
  };
  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (e.key === 'Escape' || e.key === 'Tab') {
      setOpen(false);
      if (e.key === 'Escape') {
        e.preventDefault();
        button.current?.focus();
      }
      return;
    }
    const next = moves[e.key];
    if (next === undefined || items.length === 0) return;
    e.preventDefault();
    items[(next + items.length) % items.length]!.focus();
  };

  const nodes = useLab.getState().objects.resource('nodes') as ReadonlyMap<string, NodeView>;
  const ready = (name: string) => [...nodes.values()].find((n) => n.name === name)?.ready !== false;
  const item = (host: string | undefined, label: string) => (
    <li role="none" key={host ?? ''}>
      <button type="button" role="menuitem" className={styles.menuItem} data-host={host ?? 'laptop'} onClick={() => choose(host)}>
        {label}
      </button>
    </li>
  );
  const group = (kind: 'node' | 'lab-host', label: string) => {
    const list = (hosts ?? []).filter((h) => h.kind === kind);
    if (list.length === 0) return null;
    return [
      <li role="presentation" key={`${kind}-label`} className={styles.menuGroup}>
        {label}
      </li>,
      ...list.map((h) => item(h.name, kind === 'node' && !ready(h.name) ? t('terminal.notReady', { name: h.name }) : h.name)),
    ];
  };

  return (
    <div className={styles.newTab}>
      <button
        ref={button}
        type="button"
        className="icon"
        aria-label={t('terminal.newTab')}
        title={t('terminal.newTab')}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="terminal-new-tab"
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">+</span>
      </button>
      {open && (
        <ul ref={menu} role="menu" aria-label={t('terminal.newTab')} className={styles.menu} onKeyDown={onMenuKey}>
          {item(undefined, t('terminal.laptop'))}
          {hosts === undefined ? (
            <li role="presentation" className={styles.menuGroup}>
              {t('terminal.loadingHosts')}
            </li>
          ) : (
            <>
              {group('node', t('terminal.nodes'))}
              {group('lab-host', t('terminal.labHosts'))}
            </>
          )}
        </ul>
      )}
    </div>
  );
}
