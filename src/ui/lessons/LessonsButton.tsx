/**
 * The top bar's lesson picker: opens the Lessons pane on the lesson list (or closes the pane when it
 * shows the list). Its pressed state says whether the pane is open.
 */
import { useTranslation } from 'react-i18next';
import { useLessons } from './lessonsStore.ts';

export function LessonsButton() {
  const { t } = useTranslation();
  const open = useLessons((s) => s.paneOpen);
  return (
    <button type="button" aria-pressed={open} aria-controls="lessons-pane" onClick={() => useLessons.getState().pick()} title={t('lessons.pickerHint')} data-testid="lessons-button">
      {t('lessons.picker')}
    </button>
  );
}
