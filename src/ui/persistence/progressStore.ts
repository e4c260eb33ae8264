/**
 * Lesson progress: which steps of which lesson the student completed. Lessons mark their steps with
 * `markStepDone(lessonId, stepId)` and read `progress(lessonId)`; the persistence wiring
 * (labPersistence.ts) loads the saved progress at startup (`hydrate`), keeps each change in IndexedDB
 * (`onDidChangeProgress`), and an import replaces it all (`replaceAll`).
 *
 * Hydration merges: a step marked before the saved progress arrived is kept.
 */
import { create } from 'zustand';
import type { LessonProgress } from './storage.ts';

export interface ProgressState {
  lessons: Readonly<Record<string, LessonProgress>>;
  /** Mark `stepId` of `lessonId` done (again is a no-op). */
  markStepDone(lessonId: string, stepId: string): void;
  /** The lesson's progress, or undefined when no step is done. */
  progress(lessonId: string): LessonProgress | undefined;
  /** Merge saved progress in (startup). */
  hydrate(saved: readonly LessonProgress[]): void;
  /** Replace all progress (an import). */
  replaceAll(lessons: readonly LessonProgress[]): void;
}

type ChangeListener = (changed: LessonProgress[]) => void;
const changeListeners = new Set<ChangeListener>();

/** The lessons a `markStepDone` changed (not hydrate or replaceAll, which their callers save themselves). */
export function onDidChangeProgress(listener: ChangeListener): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

function checkId(what: string, id: unknown): asserts id is string {
  if (typeof id !== 'string' || id === '' || id.length > 200) throw new TypeError(`${what} must be a string of 1 to 200 characters, got ${JSON.stringify(id)}`);
}

export const useProgress = create<ProgressState>()((set, get) => ({
  lessons: {},
  markStepDone(lessonId, stepId) {
    checkId('lessonId', lessonId);
    checkId('stepId', stepId);
    const before = get().lessons[lessonId];
    if (before?.done.includes(stepId)) return;
    const next: LessonProgress = { lessonId, done: [...(before?.done ?? []), stepId], updatedAt: Date.now() };
    set((s) => ({ lessons: { ...s.lessons, [lessonId]: next } }));
    for (const listener of changeListeners) listener([next]);
  },
  progress: (lessonId) => get().lessons[lessonId],
  hydrate(saved) {
    set((s) => {
      const lessons = { ...s.lessons };
      for (const p of saved) {
        const mine = lessons[p.lessonId];
        lessons[p.lessonId] = mine ? { lessonId: p.lessonId, done: [...new Set([...p.done, ...mine.done])], updatedAt: Math.max(p.updatedAt, mine.updatedAt) } : { ...p, done: [...p.done] };
      }
      return { lessons };
    });
  },
  replaceAll(lessons) {
    set({ lessons: Object.fromEntries(lessons.map((p) => [p.lessonId, { ...p, done: [...p.done] }])) });
  },
}));
