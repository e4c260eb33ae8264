/**
 * A modal dialog on the native <dialog> element: `showModal` when open (focus moves in, the page behind
 * is inert, Escape closes), a heading that names it, and a close button. `onClose` is called however it
 * closes, so the owner's state follows. The content is rendered only while open.
 *
 * ConfirmDialog asks before something that replaces the lab (reset, a lesson's start): the warning, then
 * Cancel and the action; test ids `<testId>-dialog`, `-cancel` and `-confirm`.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import styles from './settings.module.css';

export function Dialog({ open, title, onClose, children, testId, wide = false }: { open: boolean; title: string; onClose: () => void; children: ReactNode; testId: string; wide?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog ref={ref} className={`${styles.dialog} ${wide ? styles.wide : ''}`} aria-labelledby={titleId} onClose={onClose} data-testid={testId}>
      <header className={styles.header}>
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon" onClick={onClose} aria-label={t('settings.close')} data-testid={`${testId}-close`}>
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      {open ? <div className={styles.body}>{children}</div> : null}
    </dialog>
  );
}

export function ConfirmDialog({ open, title, warning, cancel, confirm, onCancel, onConfirm, testId, danger = false, busy = false }: { open: boolean; title: string; warning: string; cancel: string; confirm: string; onCancel: () => void; onConfirm: () => void; testId: string; danger?: boolean; busy?: boolean }) {
  return (
    <Dialog open={open} title={title} onClose={onCancel} testId={`${testId}-dialog`}>
      <div className={styles.confirm}>
        <p>{warning}</p>
        <div className={styles.actions}>
          <button type="button" onClick={onCancel} data-testid={`${testId}-cancel`}>
            {cancel}
          </button>
          <button type="button" className={danger ? styles.danger : styles.primary} disabled={busy} onClick={onConfirm} data-testid={`${testId}-confirm`}>
            {confirm}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
