/** Play/pause, speed, step, and the virtual time: the instructor's handle on the cluster's time. */
import { useTranslation } from 'react-i18next';
import { engine } from '../engine/client.ts';
import { selectClock, useLab } from '../state/labStore.ts';
import { PauseIcon, PlayIcon, StepIcon } from './icons.tsx';

export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 25, 50, 100] as const;

/** Virtual time as the clock shows it: date and time in UTC, to the second. */
export function formatVirtualTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function ClockControls() {
  const { t } = useTranslation();
  const clock = useLab(selectClock);
  if (!clock) return null;
  const report = (p: Promise<unknown>) => p.catch((error: unknown) => console.error(error));
  return (
    <div className="clock" role="group" aria-label={t('clock.label')}>
      <button type="button" className="icon" onClick={() => report(clock.paused ? engine.play() : engine.pause())} aria-label={clock.paused ? t('clock.play') : t('clock.pause')} title={clock.paused ? t('clock.play') : t('clock.pause')} data-testid="clock-toggle">
        {clock.paused ? <PlayIcon /> : <PauseIcon />}
      </button>
      <button type="button" className="icon" onClick={() => report(engine.step())} aria-label={t('clock.step')} title={t('clock.step')} data-testid="clock-step">
        <StepIcon />
      </button>
      <label className="speed">
        <span className="visually-hidden">{t('clock.speed')}</span>
        <select value={clock.speed} onChange={(e) => report(engine.setSpeed(Number(e.target.value)))} aria-label={t('clock.speed')} data-testid="clock-speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <time className="virtual-time" dateTime={new Date(clock.now).toISOString()} title={`${t('clock.virtualTime')} · ${t('clock.pending', { count: clock.pending })}`} data-testid="clock-time" data-ms={clock.now}>
        {formatVirtualTime(clock.now)}
        {clock.paused ? <span className="paused-badge"> {t('clock.paused')}</span> : null}
      </time>
    </div>
  );
}
