/** With prefers-reduced-motion, the architecture diagram lists the recent API requests instead of animating them. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { groupByRequest } from '../../state/traceStore.ts';
import { outcomeOf, STAGES } from './architecture.ts';
import styles from './architecture.module.css';

const SHOWN = 15;
const MARK = { ok: '✓', denied: '✕', error: '▲' } as const;

export function RequestList({ events, users }: { events: readonly TraceEvent[]; users: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const requests = useMemo(() => [...groupByRequest(events)].slice(-SHOWN).reverse(), [events]);
  return (
    <section className={styles.requests} aria-label={t('architecture.requests')} data-testid="arch-requests">
      <h3>{t('architecture.requests')}</h3>
      {requests.length === 0 ? <p className={styles.muted}>{t('architecture.recent.none')}</p> : null}
      <ol>
        {requests.map(([id, group]) => {
          const first = group.find((e) => e.component === 'apiserver');
          const outcome = outcomeOf(group);
          return (
            <li key={id} className={outcome !== 'ok' ? styles.failure : undefined} data-testid="arch-request" data-outcome={outcome}>
              <span className={styles.request}>#{id}</span>
              <span className={styles.user}>{users.get(id) ?? ''}</span>
              <span className={styles.what}>{first?.component === 'apiserver' ? `${first.verb} ${first.resource}${first.name ? ` ${first.name}` : ''}` : ''}</span>
              <span className={styles.stages}>
                {STAGES.flatMap((stage) => {
                  const e = group.find((x) => x.component === 'apiserver' && x.stage === stage);
                  return e?.component === 'apiserver' ? [`${t(`architecture.stages.${stage}`)} ${MARK[e.outcome]}`] : [];
                }).join(' → ')}
                {group.some((e) => e.component !== 'apiserver') ? ` → ${[...new Set(group.filter((e) => e.component !== 'apiserver').map((e) => (e.component === 'kubelet' ? 'kubelet' : 'containerd')))].join(' → ')}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
