/**
 * The lessons the player can show, loaded on demand: the shipped ones (src/lessons/index.ts, one chunk
 * per file) and the student's imports (lessonsStore.ts), each parsed with parseLesson. A shipped lesson
 * is read in the UI's language, else in English, else in the language it has; a file that does not parse
 * becomes an entry that says why (the list shows it; the other lessons are unaffected).
 */
import { useEffect, useState } from 'react';
import { LESSON_SOURCES } from '../../lessons/index.ts';
import { LessonError, parseLesson } from '../../lessons/format/parse.ts';
import type { Lesson, LessonLanguage } from '../../lessons/format/types.ts';
import { importedRef, type LessonRef } from './lessonModel.ts';
import { useLessons, type ImportedSource } from './lessonsStore.ts';

export type CatalogEntry = { ref: LessonRef; id: string; imported: boolean } & ({ lesson: Lesson; error?: undefined } | { lesson?: undefined; error: string });

const cache = new Map<string, Promise<Lesson>>();

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The shipped lesson `id` in `language` (or the nearest language it has). */
export function loadShipped(id: string, language: LessonLanguage): Promise<Lesson> {
  const sources = LESSON_SOURCES.filter((s) => s.id === id);
  const source = sources.find((s) => s.language === language) ?? sources.find((s) => s.language === 'en') ?? sources[0];
  if (!source) return Promise.reject(new Error(`no lesson named ${JSON.stringify(id)}`));
  const key = `${id}/${source.language}`;
  let lesson = cache.get(key);
  if (!lesson) {
    lesson = source.load().then((text) => parseLesson(text, source.language));
    lesson.catch(() => cache.delete(key));
    cache.set(key, lesson);
  }
  return lesson;
}

/** The shipped lessons' ids. */
export function shippedIds(): string[] {
  return [...new Set(LESSON_SOURCES.map((s) => s.id))];
}

const parsedImports = new WeakMap<ImportedSource, CatalogEntry>();

/** An imported file as a catalog entry (parsed once per file). */
export function importedEntry(source: ImportedSource): CatalogEntry {
  let entry = parsedImports.get(source);
  if (!entry) {
    const ref = importedRef(source.id);
    try {
      entry = { ref, id: source.id, imported: true, lesson: parseLesson(source.text, source.language) };
    } catch (error) {
      entry = { ref, id: source.id, imported: true, error: describe(error) };
    }
    parsedImports.set(source, entry);
  }
  return entry;
}

/**
 * Parse a file the student imports: its front matter's `language`, else `uiLanguage`. Throws the
 * LessonError (its message names the line) for a bad file.
 */
export function parseImport(text: string, uiLanguage: LessonLanguage): ImportedSource & { lesson: Lesson } {
  let lesson: Lesson;
  try {
    lesson = parseLesson(text, undefined);
  } catch (error) {
    if (!(error instanceof LessonError) || !/say the lesson's language/.test(error.message)) throw error;
    lesson = parseLesson(text, uiLanguage);
  }
  return { id: lesson.id, language: lesson.language, text, lesson };
}

/** Every lesson of the list in `language`: undefined until the shipped files are loaded. */
export function useCatalog(language: LessonLanguage): CatalogEntry[] | undefined {
  const [shipped, setShipped] = useState<{ language: LessonLanguage; entries: CatalogEntry[] } | undefined>(undefined);
  const imported = useLessons((s) => s.imported);
  useEffect(() => {
    let live = true;
    void Promise.all(
      shippedIds().map((id) =>
        loadShipped(id, language).then(
          (lesson): CatalogEntry => ({ ref: id, id, imported: false, lesson }),
          (error: unknown): CatalogEntry => ({ ref: id, id, imported: false, error: describe(error) }),
        ),
      ),
    ).then((entries) => live && setShipped({ language, entries }));
    return () => {
      live = false;
    };
  }, [language]);
  if (!shipped || shipped.language !== language) return undefined;
  return [...shipped.entries, ...imported.map(importedEntry)];
}

/** The lesson `ref` in `language`: undefined while it loads. */
export function useLesson(ref: LessonRef | undefined, language: LessonLanguage): { lesson?: Lesson; error?: string } | undefined {
  const imported = useLessons((s) => s.imported);
  const [loaded, setLoaded] = useState<{ key: string; lesson?: Lesson; error?: string } | undefined>(undefined);
  const importedSource = ref?.startsWith('import/') ? imported.find((s) => importedRef(s.id) === ref) : undefined;
  const key = `${ref}/${language}`;
  useEffect(() => {
    if (ref === undefined || ref.startsWith('import/')) return;
    let live = true;
    loadShipped(ref, language).then(
      (lesson) => live && setLoaded({ key, lesson }),
      (error: unknown) => live && setLoaded({ key, error: describe(error) }),
    );
    return () => {
      live = false;
    };
  }, [ref, language, key]);
  if (ref === undefined) return undefined;
  if (ref.startsWith('import/')) {
    if (!importedSource) return { error: `no imported lesson named ${JSON.stringify(ref.slice('import/'.length))}` };
    const entry = importedEntry(importedSource);
    return entry.lesson ? { lesson: entry.lesson } : { error: entry.error };
  }
  // While another language's file loads, the one shown stays (the step stays where it is).
  return loaded?.key.startsWith(`${ref}/`) ? loaded : undefined;
}
