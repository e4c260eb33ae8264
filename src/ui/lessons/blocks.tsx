/**
 * A step's blocks as the player shows them: prose (through the sanitizing renderer, markdown.ts), a run
 * block (its commands and a Run button that types them into its session's terminal, terminalInput.ts),
 * a solution block (the same, shown only once asked), a diagram block (a button that opens the diagram,
 * with its focus), a quiz (radio choices, "Check answer", the chosen choice's explanation, the verdict in
 * words), and the step's goals: its checks with their live state, the failing field and the hints due.
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Check, DiagramView, QuizChoice } from '../../lessons/format/types.ts';
import { DIAGRAMS } from '../diagrams/index.ts';
import { typeInto, commandKeys } from '../terminal/terminalInput.ts';
import { hintsToShow, type CheckStatus } from './lessonModel.ts';
import { openDiagram } from './diagramFocus.ts';
import { renderInline, renderMarkdown } from './markdown.ts';
import styles from './lessons.module.css';

export function Prose({ text }: { text: string }) {
  const nodes = useMemo(() => renderMarkdown(text), [text]);
  return <div className={styles.prose}>{nodes}</div>;
}

/** A line of Markdown inside other text (a quiz's question, a choice). */
export function InlineProse({ text }: { text: string }) {
  const nodes = useMemo(() => renderInline(text), [text]);
  return <span className={styles.prose}>{nodes}</span>;
}

/** Commands for a session, with a button that types them there (and presses Enter). */
export function RunBlock({ session, commands, onRun, solution = false }: { session: string; commands: string; onRun(): void; solution?: boolean }) {
  const { t } = useTranslation();
  const where = session === 'laptop' ? t('lessons.run.laptop') : session;
  return (
    <div className={styles.run} data-testid={solution ? 'solution-block' : 'run-block'} data-session={session}>
      <div className={styles.runHeader}>
        <span className={styles.runWhere}>{t('lessons.run.on', { session: where })}</span>
        <button
          type="button"
          className={styles.runButton}
          data-testid="run-button"
          aria-label={t('lessons.run.label', { session: where, command: commands.split('\n')[0] })}
          onClick={() => {
            typeInto(session, commandKeys(commands));
            onRun();
          }}
        >
          ▶ {t('lessons.run.button')}
        </button>
      </div>
      <pre className={styles.runCode}>
        <code>{commands}</code>
      </pre>
    </div>
  );
}

export function diagramTitle(view: DiagramView, t: (key: string) => string): string {
  const entry = DIAGRAMS.find((d) => d.id === view);
  return entry ? t(entry.titleKey) : view;
}

export function DiagramBlock({ view, focus }: { view: DiagramView; focus?: Record<string, string> }) {
  const { t } = useTranslation();
  return (
    <p className={styles.diagram}>
      <button type="button" data-testid="diagram-button" data-view={view} onClick={() => openDiagram(view, focus)}>
        {t('lessons.diagram.show', { diagram: diagramTitle(view, t) })}
      </button>
    </p>
  );
}

export function QuizBlock({ question, choices }: { question: string; choices: QuizChoice[] }) {
  const { t } = useTranslation();
  const name = useId();
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const [checked, setChecked] = useState<number | undefined>(undefined);
  const verdict = checked === undefined ? undefined : choices[checked]!;
  return (
    <fieldset className={styles.quiz} data-testid="quiz">
      <legend>
        <span className={styles.quizLabel}>{t('lessons.quiz.label')}</span> <InlineProse text={question} />
      </legend>
      {choices.map((c, i) => (
        <label key={i} className={styles.choice}>
          <input
            type="radio"
            name={name}
            checked={chosen === i}
            onChange={() => {
              setChosen(i);
              setChecked(undefined);
            }}
          />
          <InlineProse text={c.text} />
        </label>
      ))}
      <button type="button" disabled={chosen === undefined} onClick={() => setChecked(chosen)} data-testid="quiz-check">
        {t('lessons.quiz.check')}
      </button>
      <div aria-live="polite" data-testid="quiz-result" data-correct={verdict ? String(verdict.correct) : undefined}>
        {verdict ? (
          <p className={verdict.correct ? styles.correct : styles.incorrect}>
            <strong>{verdict.correct ? `✓ ${t('lessons.quiz.correct')}` : `✗ ${t('lessons.quiz.incorrect')}`}</strong> <InlineProse text={verdict.explain} />
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}

/** What a check expects, in words. */
function expectation(check: Check, t: (key: string, options?: Record<string, unknown>) => string): string {
  const { expect } = check;
  const parts: string[] = [];
  if (expect.jsonpath !== undefined) {
    if (expect.equals !== undefined) parts.push(t('lessons.expect.equals', { path: expect.jsonpath, value: String(expect.equals) }));
    if (expect.atLeast !== undefined) parts.push(t('lessons.expect.atLeast', { path: expect.jsonpath, value: expect.atLeast }));
    if (expect.atMost !== undefined) parts.push(t('lessons.expect.atMost', { path: expect.jsonpath, value: expect.atMost }));
    if (expect.match !== undefined) parts.push(t('lessons.expect.pathMatch', { path: expect.jsonpath, pattern: expect.match }));
  } else {
    if (expect.output !== undefined) parts.push(t('lessons.expect.output', { output: expect.output }));
    if (expect.match !== undefined) parts.push(t('lessons.expect.match', { pattern: expect.match }));
  }
  if ((expect.status ?? 0) !== 0 || parts.length === 0) parts.push(t('lessons.expect.status', { status: expect.status ?? 0 }));
  return parts.join('; ');
}

const MARK = { pending: '…', passing: '✓', failing: '✗' } as const;

/** The step's goals: each check, its live state, and once the student tried, what differs and the hints due. */
export function Goals({ checks, statuses, shownAt, triedAt, now }: { checks: Check[]; statuses: readonly CheckStatus[]; shownAt: number; triedAt: number | undefined; now: number }) {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <section className={styles.goals} aria-labelledby={headingId}>
      <h4 id={headingId}>{t('lessons.goals.title')}</h4>
      <ul>
        {checks.map((check) => {
          const status = statuses.find((s) => s.id === check.id) ?? { id: check.id, state: 'pending' as const };
          const shown = status.state === 'failing' ? hintsToShow(status.failure ? check.hints[status.failure] : undefined, shownAt, triedAt, now) : undefined;
          return (
            <li key={check.id} className={styles.goal} data-testid={`check-${check.id}`} data-state={status.state}>
              <span className={styles.goalMark} data-state={status.state} aria-hidden="true">
                {MARK[status.state]}
              </span>
              <div className={styles.goalBody}>
                <div>
                  <strong data-testid="check-state">{t(`lessons.goals.${status.state}`)}</strong>
                  {check.session !== 'laptop' ? <span className={styles.goalWhere}> {t('lessons.goals.on', { session: check.session })}</span> : null}
                </div>
                <code className={styles.goalCommand}>{check.command}</code>
                <div className={styles.goalExpect}>{expectation(check, t)}</div>
                {shown?.showDetail && status.detail ? (
                  <p className={styles.detail} data-testid="check-detail">
                    {t('lessons.goals.detail', { detail: status.detail })}
                  </p>
                ) : null}
                {shown && shown.hints.length > 0 ? (
                  <ol className={styles.hints} data-testid="check-hints" aria-label={t('lessons.goals.hints')}>
                    {shown.hints.map((hint, i) => (
                      <li key={i}>
                        <span className={styles.hintLabel}>{t('lessons.goals.hint', { n: i + 1 })}</span> <Prose text={hint} />
                      </li>
                    ))}
                  </ol>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
