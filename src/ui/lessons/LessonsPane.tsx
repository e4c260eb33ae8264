/**
 * The Lessons pane (loaded on demand, beside the visuals and the terminal): the lesson list by module —
 * each lesson with its progress (steps done of its steps, from the progress store) and the lessons to do
 * first (shown, not enforced) — and "Import lesson…", which reads a lesson file the student chose, parses
 * it (a LessonError is shown with its line, and nothing else changes) and lists it under "Imported";
 * or one lesson (LessonView.tsx). The default export, for React.lazy.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LessonLanguage } from '../../lessons/format/types.ts';
import { useProgress } from '../persistence/progressStore.ts';
import { parseImport, useCatalog, type CatalogEntry } from './lessonCatalog.ts';
import { groupByModule, importedRef, progressOf, resumePosition } from './lessonModel.ts';
import { useLessons } from './lessonsStore.ts';
import { LessonView } from './LessonView.tsx';
import styles from './lessons.module.css';

export function uiLanguage(language: string): LessonLanguage {
  return language === 'zh-CN' ? 'zh-CN' : 'en';
}

export default function LessonsPane() {
  const { t, i18n } = useTranslation();
  const view = useLessons((s) => s.view);
  const place = useLessons((s) => s.place);
  const language = uiLanguage(i18n.language);
  return (
    <section className="pane-card" aria-label={t('lessons.title')} data-testid="lessons-pane">
      <header className={styles.paneHeader}>
        <h2>{t('lessons.title')}</h2>
        <button type="button" className="icon" onClick={() => useLessons.getState().setPaneOpen(false)} aria-label={t('lessons.collapse')} title={t('lessons.collapse')} data-testid="lessons-collapse">
          <span aria-hidden="true">«</span>
        </button>
      </header>
      {view === 'lesson' && place ? <LessonView lessonRef={place.ref} position={place.position} language={language} /> : <LessonList language={language} />}
    </section>
  );
}

function LessonList({ language }: { language: LessonLanguage }) {
  const { t } = useTranslation();
  const catalog = useCatalog(language);
  const progress = useProgress((s) => s.lessons);
  const current = useLessons((s) => s.place?.ref);

  const titles = new Map((catalog ?? []).flatMap((e) => (e.lesson && !e.imported ? [[e.id, e.lesson.title] as const] : [])));
  const readable = (catalog ?? []).filter((e): e is CatalogEntry & { lesson: NonNullable<CatalogEntry['lesson']> } => e.lesson !== undefined);
  const shipped = groupByModule(readable.filter((e) => !e.imported).map((e) => ({ ...e, module: e.lesson.module })));
  const imported = readable.filter((e) => e.imported);
  const broken = (catalog ?? []).filter((e) => e.error !== undefined);

  const item = (e: CatalogEntry & { lesson: NonNullable<CatalogEntry['lesson']> }) => {
    const done = progress[e.lesson.id]?.done;
    const { done: n, total } = progressOf(e.lesson, done);
    const prerequisites = e.lesson.prerequisites.filter((p) => p !== e.lesson.id);
    return (
      <li key={e.ref} className={styles.item} data-testid={`lesson-item-${e.ref}`} data-current={e.ref === current || undefined}>
        <button type="button" className={styles.itemTitle} onClick={() => useLessons.getState().openLesson(e.ref, e.ref === current ? (useLessons.getState().place?.position ?? 0) : resumePosition(e.lesson, done))} data-testid="lesson-open">
          {e.lesson.title}
        </button>
        <p className={styles.summary}>{e.lesson.summary}</p>
        <div className={styles.itemMeta}>
          <progress max={total} value={n} aria-label={t('lessons.progress', { done: n, total })} />
          <span data-testid="lesson-progress">{n === total ? t('lessons.complete', { total }) : t('lessons.progress', { done: n, total })}</span>
          <span>· {t('lessons.minutes', { count: e.lesson.minutes })}</span>
        </div>
        {prerequisites.length > 0 ? (
          <p className={styles.prereq} data-testid="lesson-prerequisites">
            {t('lessons.doFirst', { lessons: prerequisites.map((p) => titles.get(p) ?? p).join(t('lessons.listSeparator')) })}
          </p>
        ) : null}
      </li>
    );
  };

  return (
    <div className={styles.body}>
      <ImportLesson language={language} />
      {catalog === undefined ? (
        <p role="status" className={styles.muted}>
          {t('lessons.loading')}
        </p>
      ) : (
        <>
          {shipped.map((g) => (
            <section key={g.module} className={styles.module} aria-labelledby={`lessons-module-${g.module}`}>
              <h3 id={`lessons-module-${g.module}`}>{t('lessons.moduleHeading', { module: g.module, name: t(`lessons.modules.${g.module}`) })}</h3>
              <ul className={styles.list}>{g.entries.map(item)}</ul>
            </section>
          ))}
          {imported.length > 0 ? (
            <section className={styles.module} aria-labelledby="lessons-imported" data-testid="lessons-imported">
              <h3 id="lessons-imported">{t('lessons.imported')}</h3>
              <ul className={styles.list}>{imported.map(item)}</ul>
            </section>
          ) : null}
          {broken.length > 0 ? (
            <section className={styles.module} aria-labelledby="lessons-broken">
              <h3 id="lessons-broken">{t('lessons.unreadable')}</h3>
              <ul className={styles.list}>
                {broken.map((e) => (
                  <li key={e.ref} className={styles.error}>
                    <code>{e.imported ? importedRef(e.id) : e.id}</code>: {e.error}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}

/** "Import lesson…": a .md file parsed here; refused with the parser's message, or listed under "Imported". */
function ImportLesson({ language }: { language: LessonLanguage }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | undefined>(undefined);
  const onFile = async (file: File) => {
    try {
      const text = await file.text();
      const parsed = parseImport(text, language);
      const { lesson, ...source } = parsed;
      useLessons.getState().addImported(source);
      setMessage({ kind: 'ok', text: t('lessons.importDone', { title: lesson.title }) });
    } catch (error) {
      setMessage({ kind: 'error', text: t('lessons.importFailed', { name: file.name, message: error instanceof Error ? error.message : String(error) }) });
    }
  };
  return (
    <div className={styles.import}>
      <button type="button" onClick={() => input.current?.click()} data-testid="lesson-import">
        {t('lessons.import')}
      </button>
      <input
        ref={input}
        type="file"
        accept=".md,.markdown,text/markdown,text/plain"
        className={styles.fileInput}
        tabIndex={-1}
        aria-hidden="true"
        data-testid="lesson-import-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void onFile(file);
        }}
      />
      {message ? (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? styles.error : styles.ok} data-testid={message.kind === 'error' ? 'lesson-import-error' : 'lesson-import-done'}>
          {message.text}
        </p>
      ) : null}
    </div>
  );
}
