/**
 * The service worker's voice: "offline ready" once the app is cached, and "update available" when a new
 * deployment is waiting — the new version takes over only when the student clicks Reload, never silently.
 */
import { useTranslation } from 'react-i18next';
import { useRegisterSW } from 'virtual:pwa-register/react';

export function UpdatePrompt() {
  const { t } = useTranslation();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError: (error: unknown) => console.error('Service worker registration failed', error),
  });
  if (!needRefresh && !offlineReady) return null;
  const reload = () => {
    // The waiting version takes over (skipWaiting, then it claims this page); reload onto it. The hook
    // reloads by itself only for pages that were controlled when they loaded, not in a first session.
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateServiceWorker(true);
  };
  return (
    <div className="toast" role="status" data-testid={needRefresh ? 'update-available' : 'offline-ready'}>
      <span>{needRefresh ? t('pwa.updateAvailable') : t('pwa.offlineReady')}</span>
      {needRefresh ? (
        <button type="button" onClick={reload}>
          {t('pwa.reload')}
        </button>
      ) : null}
      <button type="button" onClick={() => (setNeedRefresh(false), setOfflineReady(false))}>
        {needRefresh ? t('pwa.later') : t('pwa.dismiss')}
      </button>
    </div>
  );
}
