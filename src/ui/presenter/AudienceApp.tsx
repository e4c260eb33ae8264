/**
 * The audience window (`/?audience=1`, opened by the presenter): the presenter's open diagram and clock,
 * large, read-only, following the presenter over a BroadcastChannel (audience.ts). It starts no engine
 * worker and never loads the engine client (main.tsx imports this instead of App, and starts
 * followPresenter before the first render): it mirrors the presenter's cluster, it does not run one.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { DIAGRAMS } from '../diagrams/index.ts';
import { useDiagram } from '../layout/diagramStore.ts';
import { useApplySettings } from '../settings/settingsStore.ts';
import { VirtualTime } from '../topbar/VirtualTime.tsx';
import { useAudience } from './audience.ts';
import { HighlightRing } from './HighlightRing.tsx';
import styles from './presenter.module.css';

export function AudienceApp() {
  const { t, i18n } = useTranslation();
  useApplySettings();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);
  useEffect(() => {
    document.title = `${t('app.title')} · ${t('presenter.audienceTitle')}`;
  }, [t]);
  const status = useAudience((s) => s.status);
  const id = useDiagram((s) => s.id);
  const current = DIAGRAMS.find((d) => d.id === id) ?? DIAGRAMS[0]!;
  const Diagram = current.component;
  return (
    <div className={`app presenter ${styles.audience}`} data-testid="audience" data-status={status} data-diagram={current.id}>
      <header className={styles.audienceBar}>
        <img src="/icon.svg" alt="" width={24} height={24} />
        <h1>{t('app.title')}</h1>
        <h2 data-testid="audience-diagram">{t(current.titleKey)}</h2>
        <div className="clock" role="group" aria-label={t('clock.label')}>
          <VirtualTime showSpeed />
        </div>
      </header>
      {status === 'waiting' ? (
        <p className={styles.status} role="status" data-status="waiting">
          {t('presenter.waiting')}
        </p>
      ) : (
        <>
          {status === 'ended' ? (
            <p className={styles.status} role="status" data-status="ended">
              {t('presenter.ended')}
            </p>
          ) : null}
          <main className={`visuals pane-card ${styles.audienceBody}`} aria-label={t(current.titleKey)}>
            <div className="tabpanel">
              <Diagram />
            </div>
          </main>
        </>
      )}
      <HighlightRing />
    </div>
  );
}
