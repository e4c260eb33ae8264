/**
 * Open a lesson's diagram: the tab (remembered, as a click on it is) and the focus its block names, which
 * the diagrams that support it follow (../layout/diagramFocus.ts).
 */
import type { DiagramView } from '../../lessons/format/types.ts';
import { useFocusStore } from '../layout/diagramFocus.ts';
import { useDiagram } from '../layout/diagramStore.ts';

export function openDiagram(view: DiagramView, focus: Record<string, string> | undefined): void {
  useFocusStore.getState().setFocus(view, focus ?? null);
  useDiagram.getState().open(view);
}

/** Forget the focus (the step that asked for it is gone): a diagram shown later opens as the student left it. */
export function clearDiagramFocus(): void {
  if (useFocusStore.getState().focus !== null) useFocusStore.getState().setFocus('', null);
}
