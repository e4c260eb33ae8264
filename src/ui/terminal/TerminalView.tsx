/**
 * The lab terminal: an xterm wired to a shell session in the worker. Keystrokes, pastes and IME text go
 * to the session raw (it does the line editing, as bash behind a pty does); the session's output is
 * written back. When the shell exits, Enter starts a new one. Errors from the bridge are printed in red
 * in the terminal itself, and the terminal keeps working.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import i18next from 'i18next';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Comlink, engine, onEngineNotice } from '../engine/client.ts';

const THEME = {
  background: '#0f1419',
  foreground: '#e6e1cf',
  cursor: '#f29718',
  selectionBackground: '#253340',
  black: '#000000',
  blue: '#59c2ff',
  brightBlue: '#73d0ff',
  green: '#9ece6a',
  brightGreen: '#b8e986',
  red: '#f07178',
  yellow: '#e6b450',
};

export function TerminalView() {
  const host = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();

  useEffect(() => {
    const el = host.current!;
    const term = new Terminal({
      fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace',
      fontSize: 14,
      cursorBlink: true,
      scrollback: 5000,
      theme: THEME,
      allowProposedApi: false,
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el);
    fit.fit();
    term.focus();

    let sessionId: string | undefined;
    let opening = false;
    let disposed = false;
    const printError = (message: string) => term.write(`\r\n\x1b[31m${i18next.t('terminal.requestFailed', { message })}\x1b[0m\r\n`);

    const open = () => {
      opening = true;
      engine
        .openSession(
          { cols: term.cols, rows: term.rows },
          Comlink.proxy((text: string) => term.write(text)),
          Comlink.proxy((status: number) => {
            sessionId = undefined;
            if (!disposed) term.write(`\r\n\x1b[2m${i18next.t('terminal.exited', { status })}\x1b[0m\r\n`);
          }),
        )
        .then((info) => {
          opening = false;
          if (disposed) void engine.closeSession(info.id).catch(() => {});
          else sessionId = info.id;
        })
        .catch((error: unknown) => {
          opening = false;
          printError(error instanceof Error ? error.message : String(error));
        });
    };

    const dataSub = term.onData((data) => {
      if (sessionId === undefined) {
        if (!opening && data.includes('\r')) open();
        return;
      }
      engine.write(sessionId, data).catch((error: unknown) => printError(error instanceof Error ? error.message : String(error)));
    });
    const resizeSub = term.onResize(({ cols, rows }) => {
      if (sessionId !== undefined) engine.resize(sessionId, cols, rows).catch(() => {});
    });
    const observer = new ResizeObserver(() => {
      if (el.clientWidth > 0 && el.clientHeight > 0) fit.fit();
    });
    observer.observe(el);
    const stopNotices = onEngineNotice((message) => term.write(`\r\n\x1b[31m${i18next.t('terminal.engineError', { message })}\x1b[0m\r\n`));

    open();
    return () => {
      disposed = true;
      stopNotices();
      observer.disconnect();
      dataSub.dispose();
      resizeSub.dispose();
      if (sessionId !== undefined) void engine.closeSession(sessionId).catch(() => {});
      term.dispose();
    };
  }, []);

  return <div className="terminal" ref={host} role="region" aria-label={t('terminal.label')} data-testid="terminal" />;
}
