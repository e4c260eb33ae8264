/** Light or dark: the theme is an attribute of <html> that styles.css keys its colours on, remembered. */
import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readChoice, writeChoice } from './paneSize.ts';

const THEMES = ['dark', 'light'] as const;
type Theme = (typeof THEMES)[number];

export function ThemeSwitch() {
  const { t } = useTranslation();
  const [theme, setTheme] = useState<Theme>(() => readChoice('theme', THEMES, 'dark'));
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon theme-switch"
      aria-label={t(next === 'light' ? 'layout.lightTheme' : 'layout.darkTheme')}
      title={t(next === 'light' ? 'layout.lightTheme' : 'layout.darkTheme')}
      data-testid="theme-switch"
      data-theme={theme}
      onClick={() => {
        setTheme(next);
        writeChoice('theme', next);
      }}
    >
      <span aria-hidden="true">{theme === 'dark' ? '☀' : '☾'}</span>
    </button>
  );
}
