import { useTranslation } from 'react-i18next';
import { LANGUAGES, changeLanguage, type Language } from '../i18n/i18n.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={i18n.language} onChange={(e) => void changeLanguage(e.target.value as Language)} aria-label={t('language.label')} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.label}
          </option>
        ))}
      </select>
    </label>
  );
}
