/**
 * Which diagram tab is open: one store that the tabs, the keyboard shortcuts (1–9) and the presenter's
 * audience window share. `open` remembers the choice (localStorage) unless told not to, as the audience
 * window is, which only follows the presenter. An unknown id is refused with an Error.
 */
import { create } from 'zustand';
import { DIAGRAMS } from '../diagrams/index.ts';
import { readChoice, writeChoice } from './paneSize.ts';

export interface DiagramState {
  id: string;
  open(id: string, options?: { remember?: boolean }): void;
}

const ids = () => DIAGRAMS.map((d) => d.id);

export const useDiagram = create<DiagramState>()((set) => ({
  id: readChoice('diagram', ids(), ids()[0]!),
  open: (id, options) => {
    if (!ids().includes(id)) throw new Error(`no diagram named ${JSON.stringify(id)} (known: ${ids().join(', ')})`);
    if (options?.remember !== false) writeChoice('diagram', id);
    set({ id });
  },
}));
