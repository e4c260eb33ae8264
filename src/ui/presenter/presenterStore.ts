/**
 * The presenter's state: whether presenter mode is on (remembered), the diagram element in the spotlight,
 * and the interface the lesson pane implements so the presenter's keys move through a lesson's steps.
 *
 * Lesson steps: a lesson pane calls `setLessonSteps({ next, previous })` while it shows a lesson and
 * `setLessonSteps(null)` when it closes; `nextStep()` / `previousStep()` (PageDown/PageUp, →/← in presenter
 * mode) call it and say whether anything handled the key. With no lesson open they do nothing.
 *
 * Highlight: the value of a diagram element's `data-highlight-id` (`node:worker-1`, `pod:default/web-…`),
 * or null. The audience window receives it and shows the same spotlight.
 */
import { create } from 'zustand';
import { readChoice, writeChoice } from '../layout/paneSize.ts';

export interface LessonSteps {
  next(): void;
  previous(): void;
}

export interface PresenterState {
  enabled: boolean;
  highlight: string | null;
  /** The highlight tool is armed: the next click on a diagram element highlights it (without Alt). */
  picking: boolean;
  lessonSteps: LessonSteps | null;
  setEnabled(enabled: boolean): void;
  toggle(): void;
  setHighlight(id: string | null): void;
  setPicking(picking: boolean): void;
  setLessonSteps(steps: LessonSteps | null): void;
  /** Go to the lesson's next step; false when no lesson takes it. */
  nextStep(): boolean;
  previousStep(): boolean;
}

const ON_OFF = ['on', 'off'] as const;

export const usePresenter = create<PresenterState>()((set, get) => ({
  enabled: readChoice('presenter', ON_OFF, 'off') === 'on',
  highlight: null,
  picking: false,
  lessonSteps: null,
  setEnabled: (enabled) => {
    writeChoice('presenter', enabled ? 'on' : 'off');
    set(enabled ? { enabled } : { enabled, highlight: null, picking: false });
  },
  toggle: () => get().setEnabled(!get().enabled),
  setHighlight: (highlight) => set({ highlight, picking: false }),
  setPicking: (picking) => set({ picking }),
  setLessonSteps: (lessonSteps) => set({ lessonSteps }),
  nextStep: () => {
    const steps = get().lessonSteps;
    steps?.next();
    return steps !== null;
  },
  previousStep: () => {
    const steps = get().lessonSteps;
    steps?.previous();
    return steps !== null;
  },
}));
