/**
 * One lab terminal: an xterm wired to a shell session in the worker, on the student's laptop or on a host
 * (`host`). Keystrokes, pastes and IME text go to the session raw (it does the line editing, as bash
 * behind a pty does); the session's output is written back. When the shell exits, Enter starts a new one
 * on the same host — after a worker crash too (its sessions end hung up, status 129, and the new worker
 * takes the next one). The first session waits for `labReady` (the autosave restored). Errors from the
 * bridge are printed in red in the terminal itself, and the terminal keeps working; engine notices
 * appear in every terminal.
 *
 * The view stays mounted while its tab is hidden (the xterm, its scrollback and its session live on);
 * shown again, it refits and takes the focus. The theme, font size and screen-reader mode are options
 * changed in place (a new font size refits). Ctrl-Shift-C copies the selection, Ctrl-Shift-V / Ctrl-V
 * paste through the browser's paste (clipboardKeys.ts); Ctrl-C stays the interrupt. IME composition
 * (Pinyin, Wubi) is xterm's: the composed text arrives once, as data. A laptop session gets the editor
 * panel as its editor host (`vi`, `nano`, `kubectl edit`).
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import i18next from 'i18next';
import { useEffect, useRef } from 'react';
import { Comlink, engine, labReady, onEngineNotice } from '../engine/client.ts';
import { editorHostCallback } from '../editor/editorHost.ts';
import { clipboardAction } from './clipboardKeys.ts';
import { XTERM_THEMES, type AppTheme } from './xtermTheme.ts';

export interface TerminalViewProps {
  /** The host to open the shell on; undefined: the student's laptop. */
  host?: string;
  /** Shown (its tab is selected): refit and focus when it becomes so. */
  active: boolean;
  theme: AppTheme;
  /** In px (the settings' terminal font size, enlarged in presenter mode). */
  fontSize: number;
  screenReader: boolean;
  /** The session now behind the terminal (undefined between an exit and the next start). */
  onSession(id: string | undefined): void;
}

export function TerminalView({ host, active, theme, fontSize, screenReader, onSession }: TerminalViewProps) {
  const el = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | undefined>(undefined);
  const fit = useRef<FitAddon | undefined>(undefined);
  const sessionCallback = useRef(onSession);
  useEffect(() => {
    sessionCallback.current = onSession;
  }, [onSession]);
  const initial = useRef({ theme, fontSize, screenReader });

  useEffect(() => {
    const container = el.current!;
    const t = new Terminal({
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace',
      fontSize: initial.current.fontSize,
      cursorBlink: true,
      scrollback: 5000,
      theme: XTERM_THEMES[initial.current.theme],
      screenReaderMode: initial.current.screenReader,
      allowProposedApi: false,
    });
    const f = new FitAddon();
    t.loadAddon(f);
    t.open(container);
    if (container.clientWidth > 0) f.fit();
    term.current = t;
    fit.current = f;

    let sessionId: string | undefined;
    let opening = false;
    let disposed = false;
    const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));
    const printError = (message: string) => t.write(`\r\n\x1b[31m${i18next.t('terminal.requestFailed', { message })}\x1b[0m\r\n`);
    const setSession = (id: string | undefined) => {
      sessionId = id;
      sessionCallback.current(id);
    };

    // Opened once the lab is ready (restored from the autosave, or fresh), never on one about to be replaced.
    const open = () => {
      opening = true;
      labReady
        .then(() =>
          engine.openSession(
            { cols: t.cols, rows: t.rows, ...(host !== undefined ? { host } : {}) },
            Comlink.proxy((text: string) => t.write(text)),
            Comlink.proxy((status: number) => {
              setSession(undefined);
              if (!disposed) t.write(`\r\n\x1b[2m${i18next.t('terminal.exited', { status })}\x1b[0m\r\n`);
            }),
            // The laptop's vi, nano and kubectl edit open their files in the editor panel.
            host === undefined ? editorHostCallback() : undefined,
          ),
        )
        .then((info) => {
          opening = false;
          if (disposed) void engine.closeSession(info.id).catch(() => {});
          else setSession(info.id);
        })
        .catch((error: unknown) => {
          opening = false;
          printError(describe(error));
        });
    };

    t.attachCustomKeyEventHandler((e) => {
      const action = clipboardAction(e);
      if (action === 'copy') {
        e.preventDefault();
        const text = t.getSelection();
        if (text !== '') navigator.clipboard?.writeText(text).catch((error: unknown) => printError(describe(error)));
        return false;
      }
      // Not a key for the shell: the browser's paste follows, and xterm reads it from its textarea.
      return action !== 'paste';
    });
    const dataSub = t.onData((data) => {
      if (sessionId === undefined) {
        if (!opening && data.includes('\r')) open();
        return;
      }
      engine.write(sessionId, data).catch((error: unknown) => printError(describe(error)));
    });
    const resizeSub = t.onResize(({ cols, rows }) => {
      if (sessionId !== undefined) engine.resize(sessionId, cols, rows).catch(() => {});
    });
    const observer = new ResizeObserver(() => {
      if (container.clientWidth > 0 && container.clientHeight > 0) f.fit();
    });
    observer.observe(container);
    const stopNotices = onEngineNotice((message) => t.write(`\r\n\x1b[31m${i18next.t('terminal.engineError', { message })}\x1b[0m\r\n`));

    open();
    return () => {
      disposed = true;
      stopNotices();
      observer.disconnect();
      dataSub.dispose();
      resizeSub.dispose();
      if (sessionId !== undefined) void engine.closeSession(sessionId).catch(() => {});
      sessionCallback.current(undefined);
      term.current = undefined;
      t.dispose();
    };
  }, [host]);

  useEffect(() => {
    if (term.current) term.current.options.theme = XTERM_THEMES[theme];
  }, [theme]);

  useEffect(() => {
    if (term.current) term.current.options.screenReaderMode = screenReader;
  }, [screenReader]);

  useEffect(() => {
    if (!term.current || term.current.options.fontSize === fontSize) return;
    term.current.options.fontSize = fontSize;
    if (el.current && el.current.clientWidth > 0) fit.current?.fit();
  }, [fontSize]);

  useEffect(() => {
    if (!active || !term.current) return;
    if (el.current && el.current.clientWidth > 0) fit.current?.fit();
    term.current.focus();
  }, [active]);

  return <div className="terminal" ref={el} data-theme={theme} />;
}
