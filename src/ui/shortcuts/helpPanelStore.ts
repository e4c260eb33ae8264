/** Whether the keyboard shortcuts' help panel is open (the `?` key and the top bar's button toggle it). */
import { create } from 'zustand';

export const useHelpPanel = create<{ open: boolean; setOpen(open: boolean): void; toggle(): void }>()((set, get) => ({
  open: false,
  setOpen: (open) => set({ open }),
  toggle: () => set({ open: !get().open }),
}));
