/**
 * The top bar's presenter controls: the presenter-mode toggle (also the P key) and, in presenter mode,
 * "open audience window", the highlight tool and "clear highlight". `usePresenterMode` (mounted once by
 * the app) does the rest while presenter mode is on: relays the lab to audience windows (relay.ts) and
 * lets Alt-click highlight a diagram element.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenIcon } from '../topbar/icons.tsx';
import { useHighlightPicker } from './HighlightRing.tsx';
import { usePresenter } from './presenterStore.ts';
import { startRelay } from './relay.ts';
import styles from './presenter.module.css';

/** The audience page's address: the app with `?audience=1` (main.tsx starts AudienceApp for it). */
export const AUDIENCE_URL = '/?audience=1';

export function usePresenterMode(): boolean {
  const enabled = usePresenter((s) => s.enabled);
  useEffect(() => (enabled ? startRelay() : undefined), [enabled]);
  useHighlightPicker(enabled);
  return enabled;
}

export function PresenterBar() {
  const { t } = useTranslation();
  const enabled = usePresenter((s) => s.enabled);
  const picking = usePresenter((s) => s.picking);
  const highlight = usePresenter((s) => s.highlight);
  const { toggle, setPicking, setHighlight } = usePresenter.getState();
  const [blocked, setBlocked] = useState(false);

  const openAudience = () => {
    const w = window.open(AUDIENCE_URL, 'kubelab-audience', 'popup,width=1280,height=720');
    setBlocked(w === null);
    w?.focus();
  };

  return (
    <div className={styles.bar} role="group" aria-label={t('presenter.label')}>
      <button type="button" className="icon" onClick={toggle} aria-pressed={enabled} aria-label={t('presenter.mode')} title={`${t('presenter.toggle')} (P)`} data-testid="presenter-toggle">
        <ScreenIcon />
      </button>
      {enabled ? (
        <>
          <button type="button" onClick={openAudience} title={t('presenter.openAudienceHint')} data-testid="presenter-audience">
            {t('presenter.openAudience')}
          </button>
          <button type="button" onClick={() => setPicking(!picking)} aria-pressed={picking} title={t('presenter.highlightHint')} data-testid="presenter-pick">
            {t('presenter.highlight')}
          </button>
          {highlight !== null ? (
            <button type="button" onClick={() => setHighlight(null)} aria-label={t('presenter.clearHighlight')} title={`${t('presenter.clearHighlight')} (Esc)`} data-testid="presenter-clear">
              {t('presenter.clear')}
            </button>
          ) : null}
          {blocked ? (
            <span role="alert" className="paused-badge">
              {t('presenter.popupBlocked')}
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
