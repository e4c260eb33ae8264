/**
 * The keyboard shortcuts' help panel: every entry of the registry (registry.ts), grouped, with its keys
 * as key caps. It renders the same data the key handler matches, so the two cannot drift.
 */
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../settings/Dialog.tsx';
import { useHelpPanel } from './helpPanelStore.ts';
import { keyCap, SHORTCUT_GROUPS, SHORTCUTS, type Shortcut } from './registry.ts';
import styles from './shortcuts.module.css';

function Keys({ shortcut }: { shortcut: Shortcut }) {
  const { t } = useTranslation();
  if (shortcut.display) return <kbd>{shortcut.display}</kbd>;
  return (
    <>
      {shortcut.keys.map((k, i) => (
        <Fragment key={k}>
          {i > 0 ? <span className={styles.or}> / </span> : null}
          <kbd>{k === 'Space' ? t('shortcuts.keySpace') : keyCap(k)}</kbd>
        </Fragment>
      ))}
    </>
  );
}

export function HelpPanel() {
  const { t } = useTranslation();
  const open = useHelpPanel((s) => s.open);
  const setOpen = useHelpPanel((s) => s.setOpen);
  return (
    <Dialog open={open} title={t('shortcuts.title')} onClose={() => setOpen(false)} testId="help-panel" wide>
      <p className={styles.intro}>{t('shortcuts.intro')}</p>
      <div className={styles.groups}>
        {SHORTCUT_GROUPS.map((g) => (
          <section key={g} className={styles.group} aria-labelledby={`shortcuts-${g}`}>
            <h3 id={`shortcuts-${g}`}>{t(`shortcuts.groups.${g}`)}</h3>
            <dl>
              {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                <div key={s.id} className={styles.row} data-testid="shortcut" data-shortcut={s.id}>
                  <dt>
                    <Keys shortcut={s} />
                  </dt>
                  <dd>
                    {t(s.labelKey)}
                    {s.when === 'presenter' ? <span className={styles.when}> · {t('shortcuts.presenterOnly')}</span> : null}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
