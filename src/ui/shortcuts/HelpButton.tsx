/** The top bar's "?" button: opens the keyboard shortcuts' help panel (as the `?` key does). */
import { useTranslation } from 'react-i18next';
import { useHelpPanel } from './helpPanelStore.ts';

export function HelpButton() {
  const { t } = useTranslation();
  const open = useHelpPanel((s) => s.open);
  return (
    <button type="button" className="icon" onClick={() => useHelpPanel.getState().setOpen(true)} aria-label={t('shortcuts.title')} title={`${t('shortcuts.title')} (?)`} aria-haspopup="dialog" aria-expanded={open} data-testid="help-button">
      <span aria-hidden="true">?</span>
    </button>
  );
}
