/**
 * The architecture diagram's side panel: the selected component's last RECENT_EVENTS trace events, newest first;
 * with nothing selected, a hint, or (with reduced motion, where no dot moves) the recent API requests.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { describeEvent, formatTime, isFailure, RECENT_EVENTS, recentOf, type ComponentId } from './architecture.ts';
import { RequestList } from './RequestList.tsx';
import styles from './architecture.module.css';

interface Props {
  selected: ComponentId | null;
  label: string;
  events: readonly TraceEvent[];
  users: ReadonlyMap<string, string>;
  /** List the recent requests when nothing is selected. */
  listRequests: boolean;
  onClose(): void;
}

export function RecentPanel({ selected, label, events, users, listRequests, onClose }: Props) {
  const { t } = useTranslation();
  const recent = useMemo(() => (selected ? recentOf(selected, events, users) : []), [selected, events, users]);
  const node = selected?.includes('@') ? selected.split('@')[1] : undefined;
  return (
    <aside className={styles.panel} aria-label={t('architecture.recent.title', { count: RECENT_EVENTS })} aria-live="polite" data-testid="arch-panel">
      {selected ? (
        <>
          <header>
            <div>
              <div className={styles.panelTitle}>{node ? `${label} · ${node}` : label}</div>
              <div className={styles.panelSub}>{t('architecture.recent.title', { count: RECENT_EVENTS })}</div>
            </div>
            <button type="button" onClick={onClose} aria-label={t('architecture.recent.close')}>
              ✕
            </button>
          </header>
          {recent.length === 0 ? (
            <p className={styles.muted}>{t('architecture.recent.none')}</p>
          ) : (
            <ol className={styles.events}>
              {recent.map((e) => (
                <li key={e.seq} className={isFailure(e) ? styles.failure : undefined} data-testid="arch-event">
                  <span className={styles.time}>{formatTime(e.time)}</span>
                  {e.request !== undefined ? <span className={styles.request}>#{e.request}</span> : null}
                  <span className={styles.what}>{describeEvent(e)}</span>
                  {e.request !== undefined && users.get(e.request) ? <span className={styles.user}>{users.get(e.request)}</span> : null}
                </li>
              ))}
            </ol>
          )}
        </>
      ) : (
        <>
          <p className={styles.muted}>{t('architecture.recent.hint')}</p>
          {listRequests ? <RequestList events={events} users={users} /> : null}
        </>
      )}
    </aside>
  );
}
