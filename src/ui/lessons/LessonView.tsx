/**
 * One lesson in the Lessons pane: its introduction (position 0), then its steps one at a time ("step n of
 * N", previous and next; next once the step's checks all pass or it is already done). "Start lesson" and
 * "Reset lesson" replace the lab with the lesson's starting cluster (engine.startLesson) after a dialog
 * that says so, show that it is building and any error. The place is remembered (lessonsStore.ts); a
 * change of the UI language loads the same lesson's other file and keeps the step. While a lesson is
 * shown, the presenter's keys move through its steps.
 *
 * A step (StepView): its blocks in order; its checks watched (engine.watchChecks) while it is shown, as
 * goals with their live state; when they all pass the step is marked done (progress store) and says so.
 * A failing check's detail and hints wait until the student tried (ran something, or a minute passed);
 * the hints then come one more each minute. "Show solution" reveals the solution blocks, "Solve this
 * step" runs them (engine.solveStep). The step's diagram opens when it is shown.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { checksOf, solutionOf, type Check, type Lesson, type LessonLanguage, type LessonStart, type LessonStep } from '../../lessons/format/types.ts';
import type { CheckResult } from '../../workers/engineApi.ts';
import { Comlink, engine, onDidRestartEngine } from '../engine/client.ts';
import { useProgress } from '../persistence/progressStore.ts';
import { usePresenter } from '../presenter/presenterStore.ts';
import { ConfirmDialog } from '../settings/Dialog.tsx';
import { DiagramBlock, Goals, Prose, QuizBlock, RunBlock } from './blocks.tsx';
import { clearDiagramFocus, openDiagram } from './diagramFocus.ts';
import { useLesson } from './lessonCatalog.ts';
import { allPassing, canGoNext, clampPosition, nextHintAt, type CheckStatus, type LessonRef } from './lessonModel.ts';
import { useLessons } from './lessonsStore.ts';
import styles from './lessons.module.css';

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Building a lesson's lab: one at a time, whichever view asked (it outlives the view). */
interface StartState {
  building: { ref: LessonRef; since: number } | null;
  error: { ref: LessonRef; message: string } | null;
  start(ref: LessonRef, start: LessonStart): Promise<boolean>;
}

const useStart = create<StartState>()((set, get) => ({
  building: null,
  error: null,
  async start(ref, start) {
    if (get().building) return false;
    set({ building: { ref, since: Date.now() }, error: null });
    try {
      await engine.startLesson(start);
      set({ building: null });
      return true;
    } catch (error) {
      set({ building: null, error: { ref, message: describe(error) } });
      return false;
    }
  },
}));

export function LessonView({ lessonRef, position, language }: { lessonRef: LessonRef; position: number; language: LessonLanguage }) {
  const { t } = useTranslation();
  const loaded = useLesson(lessonRef, language);
  const lesson = loaded?.lesson;
  const done = useProgress((s) => (lesson ? s.lessons[lesson.id]?.done : undefined));
  const [confirming, setConfirming] = useState(false);
  const building = useStart((s) => (s.building?.ref === lessonRef ? s.building : null));
  const anyBuilding = useStart((s) => s.building !== null);
  const startError = useStart((s) => (s.error?.ref === lessonRef ? s.error.message : null));
  const [statuses, setStatuses] = useState<{ key: string; list: CheckStatus[] }>({ key: '', list: [] });

  const at = lesson ? clampPosition(position, lesson) : 0;
  const step = lesson && at > 0 ? lesson.steps[at - 1] : undefined;
  const stepKey = step ? `${lessonRef}#${step.id}` : '';
  const currentStatuses = statuses.key === stepKey ? statuses.list : [];
  const mayGoNext = lesson ? canGoNext(at, lesson, currentStatuses, done) : false;

  const go = useCallback(
    (to: number) => {
      if (!lesson) return;
      useLessons.getState().setPosition(clampPosition(to, lesson));
    },
    [lesson],
  );
  const nav = useRef({ next: () => {}, previous: () => {} });
  useEffect(() => {
    nav.current = {
      next: () => mayGoNext && go(at + 1),
      previous: () => at > 0 && go(at - 1),
    };
  });
  useEffect(() => {
    usePresenter.getState().setLessonSteps({ next: () => nav.current.next(), previous: () => nav.current.previous() });
    return () => usePresenter.getState().setLessonSteps(null);
  }, []);

  const onStatuses = useCallback((key: string, list: CheckStatus[]) => setStatuses({ key, list }), []);

  const back = (
    <button type="button" className={styles.back} onClick={() => useLessons.getState().showList()} data-testid="lessons-back">
      ← {t('lessons.allLessons')}
    </button>
  );
  if (!loaded)
    return (
      <div className={styles.body}>
        {back}
        <p role="status" className={styles.muted}>
          {t('lessons.loadingLesson')}
        </p>
      </div>
    );
  if (!lesson)
    return (
      <div className={styles.body}>
        {back}
        <p role="alert" className={styles.error}>
          {t('lessons.lessonFailed', { message: loaded.error })}
        </p>
      </div>
    );

  const startLesson = async () => {
    setConfirming(false);
    if ((await useStart.getState().start(lessonRef, lesson.start)) && at === 0) go(1);
  };

  return (
    <div className={styles.body} data-testid="lesson-view" data-lesson={lesson.id} data-language={lesson.language}>
      {back}
      <h3 className={styles.lessonTitle}>{lesson.title}</h3>
      <div className={styles.startBar}>
        <button type="button" className={at === 0 ? styles.primary : undefined} onClick={() => setConfirming(true)} disabled={anyBuilding} data-testid={at === 0 ? 'lesson-start' : 'lesson-reset'}>
          {at === 0 ? t('lessons.start') : t('lessons.reset')}
        </button>
        <StartStatus building={building} error={startError} />
      </div>
      {lesson.warnings.length > 0 ? (
        <details className={styles.warnings} data-testid="lesson-warnings">
          <summary>{t('lessons.warnings', { count: lesson.warnings.length })}</summary>
          <ul>
            {lesson.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}

      {step ? (
        <StepView key={stepKey} lesson={lesson} step={step} index={at} statusKey={stepKey} onStatuses={onStatuses} />
      ) : (
        <section className={styles.step} aria-labelledby="lesson-intro" data-testid="lesson-intro">
          <h4 id="lesson-intro" className="visually-hidden">
            {t('lessons.intro')}
          </h4>
          <p className={styles.summary}>{lesson.summary}</p>
          <Prose text={lesson.intro} />
          <p className={styles.muted}>{t('lessons.introStart', { count: lesson.steps.length, minutes: lesson.minutes })}</p>
        </section>
      )}

      <nav className={styles.stepNav} aria-label={t('lessons.stepNav')}>
        <button type="button" onClick={() => go(at - 1)} disabled={at === 0} data-testid="step-previous">
          ← {t('lessons.previous')}
        </button>
        <span data-testid="step-position">{at === 0 ? t('lessons.introduction') : t('lessons.stepOf', { n: at, total: lesson.steps.length })}</span>
        <button type="button" onClick={() => go(at + 1)} disabled={!mayGoNext} className={mayGoNext && at > 0 ? styles.primary : undefined} data-testid="step-next">
          {t('lessons.next')} →
        </button>
      </nav>

      <ConfirmDialog
        open={confirming}
        title={t('lessons.startTitle', { title: lesson.title })}
        warning={t('lessons.startWarning')}
        cancel={t('lessons.cancel')}
        confirm={t('lessons.startConfirm')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void startLesson()}
        testId="lesson-start"
      />
    </div>
  );
}

function StartStatus({ building, error }: { building: { since: number } | null; error: string | null }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!building) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1_000);
    return () => window.clearInterval(timer);
  }, [building]);
  if (building)
    return (
      <span role="status" className={styles.building} data-testid="lesson-building">
        <span className={styles.spinner} aria-hidden="true" /> {t('lessons.building', { seconds: Math.max(0, Math.round((now - building.since) / 1000)) })}
      </span>
    );
  if (error)
    return (
      <span role="alert" className={styles.error} data-testid="lesson-start-error">
        {t('lessons.startFailed', { message: error })}
      </span>
    );
  return null;
}

/** What the engine runs of the checks (not their hints): a language switch, which changes only the hints, keeps the watch. */
function checksKey(checks: Check[]): string {
  return JSON.stringify(checks.map(({ id, session, command, expect }) => ({ id, session, command, expect, hints: {} })));
}

function toStatuses(checks: Check[], results: CheckResult[] | undefined): CheckStatus[] {
  return checks.map((c) => {
    const r = results?.find((x) => x.id === c.id);
    if (!r) return { id: c.id, state: 'pending' };
    return r.passed ? { id: c.id, state: 'passing' } : { id: c.id, state: 'failing', ...(r.failure ? { failure: r.failure } : {}), ...(r.detail ? { detail: r.detail } : {}) };
  });
}

function StepView({ lesson, step, index, statusKey, onStatuses }: { lesson: Lesson; step: LessonStep; index: number; statusKey: string; onStatuses(key: string, list: CheckStatus[]): void }) {
  const { t } = useTranslation();
  const checks = useMemo(() => checksOf(step), [step]);
  const key = checksKey(checks);
  const [results, setResults] = useState<CheckResult[] | undefined>(undefined);
  // A new engine worker (after a crash) knows no watch of the old one: watch the checks again on it.
  const [engineGeneration, setEngineGeneration] = useState(0);
  useEffect(() => onDidRestartEngine(() => setEngineGeneration((g) => g + 1)), []);
  const [watchError, setWatchError] = useState<string | undefined>(undefined);
  const [shownAt] = useState(() => Date.now());
  const [triedAt, setTriedAt] = useState<number | undefined>(undefined);
  const [now, setNow] = useState(() => Date.now());
  const [showSolution, setShowSolution] = useState(false);
  const [solving, setSolving] = useState(false);
  const [solveError, setSolveError] = useState<string | undefined>(undefined);
  const isDone = useProgress((s) => s.lessons[lesson.id]?.done.includes(step.id) === true);
  const statuses = useMemo(() => toStatuses(checks, results), [checks, results]);
  const passing = allPassing(statuses);

  const tried = useCallback(() => setTriedAt((at) => at ?? Date.now()), []);

  // Watch the step's checks while it is shown.
  useEffect(() => {
    let live = true;
    let id: string | undefined;
    engine
      .watchChecks(
        JSON.parse(key) as Check[],
        Comlink.proxy((r: CheckResult[]) => {
          if (live) setResults(r);
        }),
      )
      .then(
        (watchId) => {
          id = watchId;
          if (!live) void engine.unwatchChecks(watchId).catch(() => {});
        },
        (error: unknown) => live && setWatchError(describe(error)),
      );
    return () => {
      live = false;
      if (id !== undefined) void engine.unwatchChecks(id).catch(() => {});
    };
  }, [key, engineGeneration]);

  useEffect(() => onStatuses(statusKey, statuses), [onStatuses, statusKey, statuses]);

  // All goals pass: the step is done.
  useEffect(() => {
    if (passing) useProgress.getState().markStepDone(lesson.id, step.id);
  }, [passing, lesson.id, step.id]);

  // Enter in a terminal counts as trying.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && e.target instanceof Element && e.target.closest('.terminal')) tried();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [tried]);

  // Wake up when the next hint is due.
  useEffect(() => {
    const due = statuses
      .filter((s) => s.state === 'failing')
      .map((s) => nextHintAt(s.failure ? checks.find((c) => c.id === s.id)?.hints[s.failure] : undefined, shownAt, triedAt, now))
      .filter((d): d is number => d !== undefined);
    if (due.length === 0) return;
    const timer = window.setTimeout(() => setNow(Date.now()), Math.max(50, Math.min(...due) - Date.now() + 50));
    return () => window.clearTimeout(timer);
  }, [statuses, checks, shownAt, triedAt, now]);

  // The step's diagram opens with it.
  const firstDiagram = step.parts.find((p) => p.type === 'diagram');
  const diagramKey = firstDiagram ? JSON.stringify([firstDiagram.view, firstDiagram.focus]) : '';
  useEffect(() => {
    if (!firstDiagram) return;
    openDiagram(firstDiagram.view, firstDiagram.focus);
    return clearDiagramFocus;
    // Once per step shown: diagramKey names the block.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [diagramKey]);

  const solve = async () => {
    tried();
    setSolving(true);
    setSolveError(undefined);
    try {
      await engine.solveStep(solutionOf(step));
    } catch (error) {
      setSolveError(describe(error));
    } finally {
      setSolving(false);
    }
  };

  const hasSolutionBlocks = step.parts.some((p) => p.type === 'solution');
  return (
    <section className={styles.step} data-testid="lesson-step" data-step={step.id} data-done={isDone || passing} aria-labelledby={`lesson-step-${step.id}`}>
      <h4 id={`lesson-step-${step.id}`} className={styles.stepTitle}>
        <span className={styles.stepNumber}>{t('lessons.stepOf', { n: index, total: lesson.steps.length })}</span> {step.title}
      </h4>
      {step.parts.map((part, i) => {
        switch (part.type) {
          case 'markdown':
            return <Prose key={i} text={part.text} />;
          case 'run':
            return <RunBlock key={i} session={part.session} commands={part.commands} onRun={tried} />;
          case 'solution':
            return showSolution ? <RunBlock key={i} session={part.session} commands={part.commands} onRun={tried} solution /> : null;
          case 'diagram':
            return <DiagramBlock key={i} view={part.view} {...(part.focus ? { focus: part.focus } : {})} />;
          case 'quiz':
            return <QuizBlock key={i} question={part.question} choices={part.choices} />;
          case 'check':
            return null;
        }
      })}
      <Goals checks={checks} statuses={statuses} shownAt={shownAt} triedAt={triedAt} now={now} />
      {watchError ? (
        <p role="alert" className={styles.error}>
          {t('lessons.watchFailed', { message: watchError })}
        </p>
      ) : null}
      <p aria-live="polite" className={passing || isDone ? styles.stepDone : styles.muted} data-testid="step-status">
        {passing ? t('lessons.stepPassed') : isDone ? t('lessons.stepWasDone') : t('lessons.stepPending')}
        {passing && index === lesson.steps.length ? ` ${t('lessons.lessonDone')}` : ''}
      </p>
      <div className={styles.stepActions}>
        <button type="button" onClick={() => setShowSolution((s) => !s)} aria-expanded={showSolution} data-testid="show-solution">
          {showSolution ? t('lessons.hideSolution') : t('lessons.showSolution')}
        </button>
        <button type="button" onClick={() => void solve()} disabled={solving} data-testid="solve-step">
          {solving ? t('lessons.solving') : t('lessons.solve')}
        </button>
      </div>
      {showSolution && !hasSolutionBlocks ? (
        <div data-testid="solution">
          <p className={styles.muted}>{t('lessons.solutionIsRun')}</p>
          {solutionOf(step).map((b, i) => (
            <RunBlock key={i} session={b.session} commands={b.commands} onRun={tried} solution />
          ))}
        </div>
      ) : null}
      {solveError ? (
        <p role="alert" className={styles.error} data-testid="solve-error">
          {t('lessons.solveFailed', { message: solveError })}
        </p>
      ) : null}
    </section>
  );
}
