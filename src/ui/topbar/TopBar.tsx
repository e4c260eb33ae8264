import { useTranslation } from 'react-i18next';
import { ClockControls } from './ClockControls.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

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
      <ClockControls />
      <LanguageSwitch />
    </header>
  );
}
