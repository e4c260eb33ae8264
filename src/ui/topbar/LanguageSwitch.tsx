import { useTranslation } from 'react-i18next';
import { LANGUAGES, changeLanguage, type Language } from '../i18n/i18n.ts';

/** The language select; `testId` tells the top bar's from the settings panel's. */
export function LanguageSwitch({ testId = 'language' }: { testId?: string }) {
  const { t, i18n } = useTranslation();
  return (
    <label className="language" data-chrome="secondary">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={i18n.language} onChange={(e) => void changeLanguage(e.target.value as Language)} aria-label={t('language.label')} data-testid={testId}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
