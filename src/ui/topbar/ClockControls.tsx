/**
 * Play/pause, step, speed, advance by, and the virtual time with the timers queued: the instructor's
 * handle on the cluster's time. What a step or an advance did (the time it moved to, and by how much)
 * is said in a live region beside the time, and fades after a few seconds.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { selectClock, useLab } from '../state/labStore.ts';
import { AdvanceMenu } from './AdvanceMenu.tsx';
import { setSpeed, step, togglePlay, useClockNote, type ClockNote } from './clockActions.ts';
import { formatPreciseTime, SPEEDS } from './clockModel.ts';
import { formatDuration } from './duration.ts';
import { PauseIcon, PlayIcon, StepIcon } from './icons.tsx';
import { VirtualTime } from './VirtualTime.tsx';
import styles from './clock.module.css';

const NOTE_MS = 6_000;

function noteText(note: ClockNote, t: (key: string, options?: Record<string, unknown>) => string): string {
  switch (note.kind) {
    case 'stepped':
      return t('clock.stepped', { time: formatPreciseTime(note.to), by: formatDuration(note.by) });
    case 'advanced':
      return t('clock.advanced', { time: formatPreciseTime(note.to), by: formatDuration(note.by) });
    case 'nothingQueued':
      return t('clock.nothingQueued');
    case 'error':
      return t('clock.error', { message: note.message });
  }
}

export function ClockControls() {
  const { t } = useTranslation();
  const clock = useLab(selectClock);
  const note = useClockNote((s) => s.note);
  const seq = useClockNote((s) => s.seq);
  useEffect(() => {
    if (!note || note.kind === 'error') return;
    const timer = setTimeout(() => useClockNote.getState().set(null), NOTE_MS);
    return () => clearTimeout(timer);
  }, [note, seq]);
  if (!clock) return null;
  return (
    <div className="clock" role="group" aria-label={t('clock.label')}>
      <button type="button" className="icon" onClick={togglePlay} aria-label={clock.paused ? t('clock.play') : t('clock.pause')} title={`${clock.paused ? t('clock.play') : t('clock.pause')} (${t('shortcuts.keySpace')})`} data-testid="clock-toggle">
        {clock.paused ? <PlayIcon /> : <PauseIcon />}
      </button>
      <button type="button" className="icon" onClick={() => void step()} aria-label={t('clock.step')} title={`${t('clock.step')} (.)`} data-testid="clock-step">
        <StepIcon />
      </button>
      <AdvanceMenu />
      <label className="speed">
        <span className="visually-hidden">{t('clock.speed')}</span>
        <select value={clock.speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label={t('clock.speed')} title={`${t('clock.speed')} ([ ])`} data-testid="clock-speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <VirtualTime />
      <output className={styles.note} aria-live="polite" data-testid="clock-note" data-kind={note?.kind}>
        {note ? noteText(note, t) : ''}
      </output>
    </div>
  );
}
