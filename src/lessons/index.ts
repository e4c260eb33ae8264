/**
 * The lessons shipped with Kubelab: every `src/lessons/<id>/<language>.md`, loaded on demand (each file is
 * its own chunk, precached for offline use, and none is in the first paint).
 */
import { LESSON_LANGUAGES, type LessonLanguage } from './format/types.ts';

const files = import.meta.glob<string>('./*/*.md', { query: '?raw', import: 'default' });

export interface LessonSource {
  id: string;
  language: LessonLanguage;
  load: () => Promise<string>;
}

/** Every shipped lesson file, by id then language. */
export const LESSON_SOURCES: readonly LessonSource[] = Object.entries(files)
  .flatMap(([path, load]) => {
    const m = /^\.\/([a-z0-9-]+)\/([A-Za-z-]+)\.md$/.exec(path);
    if (!m || !(LESSON_LANGUAGES as readonly string[]).includes(m[2]!)) return [];
    return [{ id: m[1]!, language: m[2] as LessonLanguage, load }];
  })
  .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.language < b.language ? -1 : 1));
