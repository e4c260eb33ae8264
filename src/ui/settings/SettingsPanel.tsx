/**
 * The settings panel: theme, language, motion (follow the system's prefers-reduced-motion, or force it),
 * and the terminal's font size. Each applies at once and is remembered (settingsStore.ts; the language
 * by i18n.ts). The top bar's gear button opens it.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GearIcon } from '../topbar/icons.tsx';
import { LanguageSwitch } from '../topbar/LanguageSwitch.tsx';
import { Dialog } from './Dialog.tsx';
import { MOTIONS, TERMINAL_FONT_SIZES, THEMES, useSettings } from './settingsStore.ts';
import styles from './settings.module.css';

export function SettingsPanel({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { theme, motion, terminalFontSize, setTheme, setMotion, setTerminalFontSize } = useSettings();
  const fontId = useId();
  return (
    <Dialog open={open} title={t('settings.title')} onClose={onClose} testId="settings-panel">
      <fieldset className={styles.field}>
        <legend>{t('settings.theme')}</legend>
        {THEMES.map((th) => (
          <label key={th} className={styles.choice}>
            <input type="radio" name="theme" value={th} checked={theme === th} onChange={() => setTheme(th)} data-testid={`settings-theme-${th}`} />
            {t(`settings.themes.${th}`)}
          </label>
        ))}
      </fieldset>
      <div className={styles.field}>
        <span className={styles.label}>{t('language.label')}</span>
        <LanguageSwitch testId="settings-language" />
      </div>
      <fieldset className={styles.field}>
        <legend>{t('settings.motion')}</legend>
        {MOTIONS.map((m) => (
          <label key={m} className={styles.choice}>
            <input type="radio" name="motion" value={m} checked={motion === m} onChange={() => setMotion(m)} data-testid={`settings-motion-${m}`} />
            {t(`settings.motions.${m}`)}
          </label>
        ))}
      </fieldset>
      <div className={styles.field}>
        <label htmlFor={fontId} className={styles.label}>
          {t('settings.terminalFontSize')}
        </label>
        <select id={fontId} value={terminalFontSize} onChange={(e) => setTerminalFontSize(Number(e.target.value))} data-testid="settings-font-size">
          {TERMINAL_FONT_SIZES.map((s) => (
            <option key={s} value={s}>
              {s}px
            </option>
          ))}
        </select>
      </div>
    </Dialog>
  );
}

/** The top bar's gear button and the panel it opens. */
export function SettingsButton() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="icon" onClick={() => setOpen(true)} aria-label={t('settings.title')} title={t('settings.title')} aria-haspopup="dialog" data-testid="settings-button">
        <GearIcon />
      </button>
      <SettingsPanel open={open} onClose={() => setOpen(false)} />
    </>
  );
}
