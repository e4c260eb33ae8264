/**
 * The virtual time, read-only: date and time (UTC), a paused badge, the speed when not 1×, and the
 * number of timers queued. Used by the clock controls and by the audience window (which has no engine
 * and so no controls). `data-ms` carries the exact time for tests.
 */
import { useTranslation } from 'react-i18next';
import { selectClock, useLab } from '../state/labStore.ts';
import { formatVirtualTime } from './clockModel.ts';
import { TimerIcon } from './icons.tsx';
import styles from './clock.module.css';

export function VirtualTime({ showSpeed = false }: { showSpeed?: boolean }) {
  const { t } = useTranslation();
  const clock = useLab(selectClock);
  if (!clock) return null;
  return (
    <>
      <time className="virtual-time" dateTime={new Date(clock.now).toISOString()} title={t('clock.virtualTime')} data-testid="clock-time" data-ms={clock.now}>
        {formatVirtualTime(clock.now)}
        {clock.paused ? <span className="paused-badge"> {t('clock.paused')}</span> : null}
        {showSpeed && !clock.paused && clock.speed !== 1 ? <span className="paused-badge"> {clock.speed}×</span> : null}
      </time>
      <span className={styles.pending} title={t('clock.pending', { count: clock.pending })} data-testid="clock-pending" data-count={clock.pending}>
        <TimerIcon />
        <span className="visually-hidden">{t('clock.pending', { count: clock.pending })}</span>
        <span aria-hidden="true">{clock.pending}</span>
      </span>
    </>
  );
}
