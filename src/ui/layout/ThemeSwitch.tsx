/** Light or dark: the theme is an attribute of <html> that styles.css keys its colours on, remembered (../settings/settingsStore.ts). */
import { useTranslation } from 'react-i18next';
import { useSettings, type Theme } from '../settings/settingsStore.ts';

export function ThemeSwitch() {
  const { t } = useTranslation();
  const theme = useSettings((s) => s.theme);
  const setTheme = useSettings((s) => s.setTheme);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon theme-switch"
      aria-label={t(next === 'light' ? 'layout.lightTheme' : 'layout.darkTheme')}
      title={t(next === 'light' ? 'layout.lightTheme' : 'layout.darkTheme')}
      data-testid="theme-switch"
      data-theme={theme}
      onClick={() => setTheme(next)}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
