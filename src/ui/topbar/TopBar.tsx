import { useTranslation } from 'react-i18next';
import { EditorButton } from '../editor/EditorDock.tsx';
import { LessonsButton } from '../lessons/LessonsButton.tsx';
import { ClockControls } from './ClockControls.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { PresenterBar } from '../presenter/PresenterBar.tsx';
import { LabMenu } from '../persistence/LabMenu.tsx';
import { SettingsButton } from '../settings/SettingsPanel.tsx';
import { HelpButton } from '../shortcuts/HelpButton.tsx';

export function TopBar() {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      <div className="brand">
        <img src="/icon.svg" alt="" width={24} height={24} />
        <h1>{t('app.title')}</h1>
        <span className="tagline" data-testid="tagline">
          {t('app.tagline')}
        </span>
      </div>
      <LessonsButton />
      <EditorButton />
      <ClockControls />
      <LanguageSwitch />
      <PresenterBar />
      <LabMenu />
      <SettingsButton />
      <HelpButton />
    </header>
  );
}
