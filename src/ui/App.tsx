import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Workspace } from './layout/Workspace.tsx';
import { startPersistence } from './persistence/labPersistence.ts';
import { PersistenceBanners } from './persistence/PersistenceBanners.tsx';
import { HighlightRing } from './presenter/HighlightRing.tsx';
import { usePresenterMode } from './presenter/PresenterBar.tsx';
import { UpdatePrompt } from './pwa/UpdatePrompt.tsx';
import { useLab } from './state/labStore.ts';
import { useApplySettings } from './settings/settingsStore.ts';
import { APP_SHORTCUTS } from './shortcuts/appShortcuts.ts';
import { HelpPanel } from './shortcuts/HelpPanel.tsx';
import { useShortcuts } from './shortcuts/useShortcuts.ts';
import { TopBar } from './topbar/TopBar.tsx';

export function App() {
  const { t } = useTranslation();
  const engine = useLab((s) => s.engine);
  useApplySettings();
  useShortcuts(APP_SHORTCUTS);
  const presenter = usePresenterMode();
  useEffect(startPersistence, []);
  return (
    <div className={presenter ? 'app presenter' : 'app'} data-testid="app" data-presenter={presenter}>
      <TopBar />
      {engine.kind === 'crashed' ? (
        <div className="banner error" role="alert">
          {t('engine.crashed', { message: engine.message })}
        </div>
      ) : null}
      <PersistenceBanners />
      <Workspace />
      <UpdatePrompt />
      <HelpPanel />
      <HighlightRing />
    </div>
  );
}
