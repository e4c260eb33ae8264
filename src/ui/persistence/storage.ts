/**
 * Where the lab keeps what survives a reload: the autosaved lab, the settings and the lesson progress.
 * The UI reaches storage only through `LabStorage`, so the logic above it (autosave, restore, import)
 * is tested against `MemoryStorage` and runs in the browser on IndexedDB (idbStorage.ts). When IndexedDB
 * is unavailable the lab runs on a MemoryStorage: it still restarts a crashed worker from its last save,
 * but nothing survives a reload (and the UI says so).
 *
 * Contract: every method may reject (quota, a closed database); callers show the error, never swallow it.
 * Values go in and come out as structured-clone copies: the caller's objects are not kept.
 */
import type { LabImage } from '../../workers/engineApi.ts';

/** The lab as autosave last kept it. */
export interface Autosave {
  image: LabImage;
  /** Wall time of the save, ms since the Unix epoch. */
  savedAt: number;
}

/** The student's settings: remembered choices by key (`layout.theme` → `dark`, `language` → `zh-CN`). */
export type SettingsValues = Record<string, string>;

/** One lesson's progress: the steps the student completed, in the order they were done. */
export interface LessonProgress {
  lessonId: string;
  done: string[];
  /** Wall time of the last change, ms since the Unix epoch. */
  updatedAt: number;
}

export interface LabStorage {
  /** `indexeddb`, or `memory` when nothing survives a reload. */
  readonly kind: 'indexeddb' | 'memory';
  readAutosave(): Promise<Autosave | undefined>;
  writeAutosave(autosave: Autosave): Promise<void>;
  clearAutosave(): Promise<void>;
  readSettings(): Promise<SettingsValues | undefined>;
  writeSettings(values: SettingsValues): Promise<void>;
  readProgress(): Promise<LessonProgress[]>;
  /** Keep `lessons` (each replaces the lesson's earlier record). */
  writeProgress(lessons: readonly LessonProgress[]): Promise<void>;
  /** Forget every lesson's progress, then keep `lessons` (an import). */
  replaceProgress(lessons: readonly LessonProgress[]): Promise<void>;
}

/** A LabStorage in memory: for tests, and the fallback when IndexedDB is unavailable. */
export class MemoryStorage implements LabStorage {
  readonly kind = 'memory';
  private autosave: Autosave | undefined;
  private settings: SettingsValues | undefined;
  private readonly progress = new Map<string, LessonProgress>();

  async readAutosave(): Promise<Autosave | undefined> {
    return this.autosave && structuredClone(this.autosave);
  }
  async writeAutosave(autosave: Autosave): Promise<void> {
    this.autosave = structuredClone(autosave);
  }
  async clearAutosave(): Promise<void> {
    this.autosave = undefined;
  }
  async readSettings(): Promise<SettingsValues | undefined> {
    return this.settings && { ...this.settings };
  }
  async writeSettings(values: SettingsValues): Promise<void> {
    this.settings = { ...values };
  }
  async readProgress(): Promise<LessonProgress[]> {
    return [...this.progress.values()].map((p) => structuredClone(p));
  }
  async writeProgress(lessons: readonly LessonProgress[]): Promise<void> {
    for (const p of lessons) this.progress.set(p.lessonId, structuredClone(p));
  }
  async replaceProgress(lessons: readonly LessonProgress[]): Promise<void> {
    this.progress.clear();
    await this.writeProgress(lessons);
  }
}
