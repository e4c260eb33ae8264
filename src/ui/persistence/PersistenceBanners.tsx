/**
 * The notices about saving (persistenceStore.ts), each dismissible:
 * a restored lab and what a restore cannot bring back, a restarted engine and the work lost with it, an
 * import done or refused (and why), a reset, a failed save (a full disk said as such), and a lab that
 * cannot be saved at all. Errors are alerts; the rest are polite status messages. Problems are banners
 * under the top bar; news (restored, imported, reset) floats at the bottom left, so the panes keep their
 * sizes.
 */
import { useTranslation } from 'react-i18next';
import { usePersistence, type Notice } from './persistenceStore.ts';
import styles from './persistence.module.css';

type Severity = 'info' | 'warn' | 'error';

const FLOATING: ReadonlySet<Notice['kind']> = new Set(['restored', 'imported', 'reset']);

const SEVERITY: Record<Notice['kind'], Severity> = {
  restored: 'info',
  restoreFailed: 'error',
  restarted: 'warn',
  imported: 'info',
  importRefused: 'error',
  reset: 'info',
  resetFailed: 'error',
  exportFailed: 'error',
  saveFailed: 'error',
  noStorage: 'warn',
};

export function PersistenceBanners() {
  const { t, i18n } = useTranslation();
  const notices = usePersistence((s) => s.notices);
  const dismiss = usePersistence((s) => s.dismiss);
  if (notices.length === 0) return null;
  const time = (ms: number) => new Date(ms).toLocaleTimeString(i18n.language);

  const text = (n: Notice): string => {
    switch (n.kind) {
      case 'restored':
        return t('persistence.notice.restored', { time: time(n.savedAt) });
      case 'restoreFailed':
        return t('persistence.notice.restoreFailed', { message: n.message });
      case 'restarted':
        return n.savedAt === undefined
          ? t('persistence.notice.restartedFresh', { message: n.crash })
          : t('persistence.notice.restarted', {
              message: n.crash,
              time: time(n.savedAt),
            });
      case 'imported':
        return t('persistence.notice.imported', { file: n.file });
      case 'importRefused':
        return t('persistence.notice.importRefused', {
          file: n.file,
          message: n.message,
        });
      case 'reset':
        return t('persistence.notice.reset');
      case 'resetFailed':
        return t('persistence.notice.resetFailed', { message: n.message });
      case 'exportFailed':
        return t('persistence.notice.exportFailed', { message: n.message });
      case 'saveFailed':
        return t(n.quota ? 'persistence.notice.quota' : 'persistence.notice.saveFailed', { message: n.message });
      case 'noStorage':
        return t('persistence.notice.noStorage', { reason: n.reason });
    }
  };

  const render = (n: Notice & { id: number }) => {
    const severity = SEVERITY[n.kind];
    const lost = 'lost' in n ? n.lost : [];
    return (
      <div key={n.id} className={styles.notice} data-severity={severity} data-kind={n.kind} data-testid={`notice-${n.kind}`} role={severity === 'error' ? 'alert' : 'status'}>
        <div className={styles.text}>
          {text(n)}
          {lost.length > 0 ? (
            <>
              {' '}
              {t('persistence.notice.lostIntro')}
              <ul>
                {lost.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
        <button type="button" className="icon" onClick={() => dismiss(n.id)} aria-label={t('persistence.dismiss')} data-testid="notice-dismiss">
          <span aria-hidden="true">✕</span>
        </button>
      </div>
    );
  };

  // News of something the student did or expects (a restore, an import, a reset) floats over the page, so
  // the layout does not move; a problem takes its place under the top bar.
  const floating = notices.filter((n) => FLOATING.has(n.kind));
  const banners = notices.filter((n) => !FLOATING.has(n.kind));
  return (
    <>
      {banners.length > 0 ? (
        <div className={styles.notices} data-testid="persistence-banners">
          {banners.map(render)}
        </div>
      ) : null}
      {floating.length > 0 ? (
        <div className={styles.floating} data-testid="persistence-toasts">
          {floating.map(render)}
        </div>
      ) : null}
    </>
  );
}
