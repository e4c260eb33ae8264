/**
 * What a diagram should show first when a lesson opens it (a ```diagram block's `focus`:
 * `{ node: 'worker-1', tab: 'cgroups' }`). A diagram that supports focus reads `useDiagramFocus(its id)`
 * and follows each new focus once (`seq` tells them apart), ignoring keys it does not know: node-internals
 * `node` and `tab`, scheduler `pod`, architecture `component`, etcd `key`. Kept apart from diagramStore.ts,
 * which imports the diagrams (that would be an import cycle).
 */
import { create } from 'zustand';

export interface DiagramFocus {
  view: string;
  seq: number;
  values: Readonly<Record<string, string>>;
}

interface FocusState {
  focus: DiagramFocus | null;
  /** Ask diagram `view` to show `values` (null: forget the focus). */
  setFocus(view: string, values: Record<string, string> | null): void;
}

let seq = 0;

export const useFocusStore = create<FocusState>()((set) => ({
  focus: null,
  setFocus: (view, values) => set({ focus: values ? { view, seq: ++seq, values: { ...values } } : null }),
}));

/** The focus asked for diagram `view`, if the last one asked was for it. */
export function useDiagramFocus(view: string): DiagramFocus | null {
  return useFocusStore((s) => (s.focus?.view === view ? s.focus : null));
}
