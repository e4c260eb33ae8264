/**
 * Text typed into a terminal on the student's behalf (a lesson's run buttons): `typeInto(session, text)`
 * queues it for the terminal tabs (TerminalTabs.tsx), which show the session's tab — the laptop's
 * (`laptop`) or a host's (`worker-1`, `docker-host`), opening one as the "+" menu does when there is
 * none — and send the text with `engine.write` on that tab's session once it is open: the same path as
 * the keys the student types, so it is echoed, edited and run exactly as typed text is. Text typed
 * while a command runs is the shell's typeahead, as it is at a real terminal.
 */
import { create } from 'zustand';
import type { TerminalTab } from './tabsModel.ts';

export interface TypeRequest {
  seq: number;
  /** `laptop` or a host's name. */
  session: string;
  text: string;
}

export interface TerminalInputState {
  requests: TypeRequest[];
  /** Queue `text` (raw keys: end a line with "\r" to press Enter) for `session`'s terminal. */
  typeInto(session: string, text: string): void;
  /** The tabs delivered (or dropped) the request. */
  consume(seq: number): void;
}

const SESSION = /^(laptop|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
let nextSeq = 1;

export const useTerminalInput = create<TerminalInputState>()((set) => ({
  requests: [],
  typeInto(session, text) {
    if (typeof session !== 'string' || !SESSION.test(session)) throw new TypeError(`typeInto: no terminal session named ${JSON.stringify(session)} (laptop or a host's name)`);
    if (typeof text !== 'string' || text === '') throw new TypeError('typeInto: expected some text to type');
    const request = { seq: nextSeq++, session, text };
    set((s) => ({ requests: [...s.requests, request] }));
  },
  consume(seq) {
    set((s) => ({ requests: s.requests.filter((r) => r.seq !== seq) }));
  },
}));

/** Shorthand: type into `session`'s terminal. */
export function typeInto(session: string, text: string): void {
  useTerminalInput.getState().typeInto(session, text);
}

/** The keys that type `commands` (one per line) and press Enter after each. */
export function commandKeys(commands: string): string {
  return commands
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => `${line}\r`)
    .join('');
}

/**
 * The tab whose session is `session`: the shown tab if it is one, else the first such tab; undefined when
 * none is (the caller opens one).
 */
export function tabFor(tabs: readonly TerminalTab[], active: string, session: string): string | undefined {
  const host = session === 'laptop' ? undefined : session;
  const matches = tabs.filter((t) => t.host === host);
  return (matches.find((t) => t.key === active) ?? matches[0])?.key;
}
