/**
 * "Advance by": a button that opens a small popover with the usual amounts (1 s … 1 h) and a field for
 * any Go-style duration (`90s`, `2m`, `1h30m`). The clock runs every timer due on the way, as fast as the
 * CPU allows, and lands exactly that much later; the clock's note says where it landed.
 */
import { useId, useState, type FormEvent } from 'react';
import { usePopover } from '../layout/usePopover.ts';
import { useTranslation } from 'react-i18next';
import { advance } from './clockActions.ts';
import { ADVANCE_PRESETS } from './clockModel.ts';
import { parseDuration } from './duration.ts';
import { AdvanceIcon } from './icons.tsx';
import styles from './clock.module.css';

export function AdvanceMenu() {
  const { t } = useTranslation();
  const { open, setOpen, root, button, popoverId, close: closePopover, onKeyDown } = usePopover();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const errorId = useId();

  const close = () => {
    closePopover();
    setError(null);
  };
  const go = (ms: number) => {
    close();
    void advance(ms);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseDuration(text);
    if (!parsed.ok) {
      setError(t(`clock.advanceError.${parsed.error}`));
      return;
    }
    go(parsed.ms);
  };

  return (
    <div className={styles.advance} ref={root} onKeyDown={(e) => onKeyDown(e, close)}>
      <button ref={button} type="button" className="icon" aria-expanded={open} aria-controls={popoverId} title={t('clock.advance')} onClick={() => setOpen(!open)} data-testid="clock-advance">
        <AdvanceIcon />
        <span className="visually-hidden">{t('clock.advance')}</span>
      </button>
      {open ? (
        <div id={popoverId} className={`popover ${styles.popover}`} role="group" aria-label={t('clock.advance')} data-testid="clock-advance-menu">
          <div className={styles.presets}>
            {ADVANCE_PRESETS.map((p) => (
              <button key={p.ms} type="button" onClick={() => go(p.ms)} data-testid={`clock-advance-${p.label}`} aria-label={t('clock.advanceBy', { amount: p.label })}>
                +{p.label}
              </button>
            ))}
          </div>
          <form onSubmit={submit} className={styles.form}>
            <label>
              <span>{t('clock.advanceCustom')}</span>
              <input
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setError(null);
                }}
                placeholder="1h30m"
                size={8}
                aria-invalid={error !== null}
                aria-describedby={error ? errorId : undefined}
                data-testid="clock-advance-input"
                autoFocus
              />
            </label>
            <button type="submit" data-testid="clock-advance-go">
              {t('clock.advanceGo')}
            </button>
          </form>
          {error ? (
            <p id={errorId} className={styles.error} role="alert">
              {error}
            </p>
          ) : (
            <p className={styles.hint}>{t('clock.advanceHint')}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
