/**
 * The top bar's Lab menu: when the lab was last saved (or that it cannot be), Export (a download of the
 * whole lab), Import (a file picker; a bad file is refused with the reason and the lab is unchanged) and
 * Reset (after a confirmation: a fresh cluster, the student's files emptied, the saved lab forgotten).
 * The outcome of each shows as a notice (PersistenceBanners.tsx).
 */
import { useRef, useState } from 'react';
import { usePopover } from '../layout/usePopover.ts';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../settings/Dialog.tsx';
import { exportLab, importLab, resetLab } from './labPersistence.ts';
import { usePersistence } from './persistenceStore.ts';
import styles from './persistence.module.css';

export function LabMenu() {
  const { t, i18n } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const storage = usePersistence((s) => s.storage);
  const lastSavedAt = usePersistence((s) => s.lastSavedAt);
  const { open, setOpen, root, button, popoverId, onKeyDown } = usePopover();
  const fileInput = useRef<HTMLInputElement>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };

  const status =
    storage === 'memory'
      ? t('persistence.cannotSave')
      : lastSavedAt === undefined
        ? t('persistence.notSavedYet')
        : t('persistence.savedAt', { time: new Date(lastSavedAt).toLocaleTimeString(i18n.language) });

  return (
    <div className={styles.menu} ref={root} onKeyDown={(e) => onKeyDown(e)}>
      <button ref={button} type="button" aria-expanded={open} aria-controls={popoverId} onClick={() => setOpen(!open)} data-testid="lab-menu" data-saved-at={lastSavedAt ?? ''}>
        {t('persistence.menu')}
      </button>
      {open ? (
        <div id={popoverId} className={`popover ${styles.popover}`} role="group" aria-label={t('persistence.menuLabel')} data-testid="lab-menu-popover">
          <p className={styles.status} data-state={storage} data-saved-at={lastSavedAt ?? ''} data-testid="lab-save-status" role="status">
            {status}
          </p>
          <button type="button" disabled={busy} onClick={() => void run(exportLab)} data-testid="lab-export">
            {t('persistence.export')}
          </button>
          <button type="button" disabled={busy} onClick={() => fileInput.current?.click()} data-testid="lab-import">
            {t('persistence.import')}
          </button>
          <input
            ref={fileInput}
            className={styles.fileInput}
            type="file"
            accept=".json,application/json"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="lab-import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void run(() => importLab(file)).then(() => setOpen(false));
            }}
          />
          <button
            type="button"
            className={styles.danger}
            disabled={busy}
            onClick={() => {
              setOpen(false);
              setConfirming(true);
            }}
            data-testid="lab-reset"
          >
            {t('persistence.reset')}
          </button>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t('persistence.resetTitle')}
        warning={t('persistence.resetWarning')}
        cancel={t('persistence.cancel')}
        confirm={t('persistence.resetConfirm')}
        onCancel={() => {
          setConfirming(false);
          button.current?.focus();
        }}
        onConfirm={() => {
          setConfirming(false);
          setOpen(false);
          void run(resetLab);
        }}
        testId="lab-reset"
        danger
        busy={busy}
      />
    </div>
  );
}
