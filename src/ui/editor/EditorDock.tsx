/**
 * The bottom pane's dock: the terminals, and beside them the editor when one is open.
 */
import type { ReactNode } from 'react';

export function EditorDock({ children }: { children: ReactNode }) {
  return <>{children}</>;
}
