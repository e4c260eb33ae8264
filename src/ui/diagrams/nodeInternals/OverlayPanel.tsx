/**
 * The node-internals overlay stack of one container, drawn top to bottom as overlayfs stacks it: the
 * merged mount (what the container sees), the upperdir (its own layer, with every entry and what overlayfs
 * made of it), the workdir, and the lowerdirs (the image's layers, top first). An entry that was not in the
 * previous reading is news: a copy-up slides up out of the lower layer it came from, a whiteout drops in
 * over the name it hides, a new file fades in, and the lower layer involved pulses. Under
 * prefers-reduced-motion nothing moves; the news is outlined and labelled the same.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useView } from '../../state/useView.ts';
import type { ContainerOverlay, UpperEntry } from '../../../workers/views/containerOverlay.ts';
import type { NodeContainer } from '../../../workers/views/nodeContainers.ts';
import { defaultContainer, entryKey, layerNumber, layersTouched, nextOverlayTrend, shortDigest, tailPath, type OverlayTrend } from './overlayStack.ts';
import styles from './nodeInternals.module.css';

type Overlay = Extract<ContainerOverlay, { kind: 'overlay' }>;

const CHANGE_SYMBOL: Record<UpperEntry['change'], string> = { 'copy-up': '⇡', whiteout: '⊘', opaque: '▣', dir: '▸', new: '+' };

function containerLabel(c: NodeContainer): string {
  return `${c.podNamespace}/${c.podName} · ${c.kind === 'sandbox' ? 'pause' : c.name} (${c.id.slice(0, 12)})`;
}

/** `picked` is the container the student chose (kept by the diagram across its tabs); null shows the default one. */
export function OverlayPanel({ node, containers, picked, onPick }: { node: string; containers: readonly NodeContainer[]; picked: string | null; onPick: (id: string) => void }) {
  const { t } = useTranslation();
  const id = picked ?? defaultContainer(containers)?.id;
  const view = useView('container-overlay', id ? { node, container: id } : undefined);
  const overlay = view.status === 'ready' && view.value.kind === 'overlay' ? view.value : undefined;
  const [state, setState] = useState<{ overlay?: Overlay; trend?: OverlayTrend }>({});
  if (overlay && overlay !== state.overlay) setState({ overlay, trend: nextOverlayTrend(state.trend, overlay) });
  const trend = state.overlay === overlay ? state.trend : undefined;
  const news = trend?.news ?? new Set<string>();
  const touched = overlay ? layersTouched(overlay, news) : new Set<number>();
  const known = id !== undefined && containers.some((c) => c.id === id);

  const changeText = (e: UpperEntry, count: number) => {
    const layer = e.fromLayer === undefined ? '' : String(layerNumber(e.fromLayer, count));
    switch (e.change) {
      case 'copy-up':
        return t('nodeInternals.copyUp', { layer });
      case 'whiteout':
        return layer ? t('nodeInternals.whiteoutHides', { layer }) : t('nodeInternals.whiteout');
      case 'opaque':
        return t('nodeInternals.opaque');
      case 'dir':
        return t('nodeInternals.dirCopied');
      default:
        return t('nodeInternals.newEntry');
    }
  };

  return (
    <div className={styles.panel} data-testid="overlay-stack">
      <div className={styles.controls}>
        <label>
          {t('nodeInternals.container')}{' '}
          <select value={id ?? ''} onChange={(e) => onPick(e.target.value)} data-testid="overlay-container" disabled={containers.length === 0}>
            {id !== undefined && !known && <option value={id}>{id.slice(0, 12)}</option>}
            {containers.map((c) => (
              <option key={c.id} value={c.id}>
                {containerLabel(c)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {id === undefined ? (
        <p className={styles.empty}>{t('nodeInternals.noContainers')}</p>
      ) : view.status === 'error' ? (
        <p className={styles.gone} role="alert">
          {t('nodeInternals.error', { message: view.message })}
        </p>
      ) : view.status === 'ready' && view.value.kind === 'gone' ? (
        <p className={styles.gone} role="status" data-testid="overlay-gone">
          {t('nodeInternals.containerGone', { id: id.slice(0, 12) })}
        </p>
      ) : !overlay ? (
        <p className={styles.empty}>{t('nodeInternals.loading')}</p>
      ) : (
        <div className={styles.scroll} tabIndex={0} role="region" aria-label={t('nodeInternals.stack')}>
          <ol className={styles.stack} aria-label={t('nodeInternals.stack')}>
            <li className={`${styles.layer} ${styles.merged}`}>
              <div className={styles.layerHead}>
                <strong>merged</strong> <span className={styles.layerRole}>{t('nodeInternals.mergedRole')}</span>
                <code className={styles.path} title={overlay.merged}>
                  {tailPath(overlay.merged, 3)}
                </code>
              </div>
            </li>
            <li className={`${styles.layer} ${styles.upper}`} data-testid="upperdir">
              <div className={styles.layerHead}>
                <strong>upperdir</strong> <span className={styles.layerRole}>{t('nodeInternals.upperRole')}</span>
                <code className={styles.path}>{overlay.upperdir}</code>
              </div>
              {overlay.entries.length === 0 ? (
                <p className={styles.emptyUpper}>{t('nodeInternals.upperEmpty')}</p>
              ) : (
                <ul className={styles.entries}>
                  {overlay.entries.map((e) => {
                    const key = entryKey(e);
                    const fresh = news.has(key);
                    return (
                      <li
                        key={fresh ? `${key}#${trend?.generation ?? 0}` : key}
                        className={`${styles.entry} ${styles[`change-${e.change}`]} ${fresh ? styles.fresh : ''} ${fresh ? styles[`fresh-${e.change}`] : ''}`}
                        data-testid="upper-entry"
                        data-path={e.path}
                        data-change={e.change}
                        data-fresh={fresh || undefined}
                      >
                        <span className={styles.changeSymbol} aria-hidden="true">
                          {CHANGE_SYMBOL[e.change]}
                        </span>
                        <code className={e.change === 'whiteout' ? styles.hidden : undefined}>{e.path}</code>
                        <span className={styles.changeText}>{changeText(e, overlay.lowerdirs.length)}</span>
                        {fresh && <span className={styles.freshTag}>{t('nodeInternals.justNow')}</span>}
                      </li>
                    );
                  })}
                </ul>
              )}
              {overlay.omitted > 0 && <p className={styles.empty}>{t('nodeInternals.omittedEntries', { count: overlay.omitted })}</p>}
            </li>
            <li className={`${styles.layer} ${styles.work}`}>
              <div className={styles.layerHead}>
                <strong>workdir</strong> <span className={styles.layerRole}>{t('nodeInternals.workRole')}</span>
                <code className={styles.path}>{overlay.workdir}</code>
              </div>
            </li>
            {overlay.lowerdirs.map((l, i) => (
              <li key={l.path} className={`${styles.layer} ${styles.lower} ${touched.has(i) ? styles.touched : ''}`} data-testid="lowerdir" data-touched={touched.has(i) || undefined}>
                <div className={styles.layerHead}>
                  <strong>lowerdir</strong>{' '}
                  <span className={styles.layerRole}>
                    {t('nodeInternals.layer', { n: layerNumber(i, overlay.lowerdirs.length) })}
                    {i === 0 && ` · ${t('nodeInternals.top')}`}
                    {i === overlay.lowerdirs.length - 1 && ` · ${t('nodeInternals.base')}`}
                  </span>
                  {l.diffId && (
                    <code className={styles.digest} title={l.diffId}>
                      {shortDigest(l.diffId)}
                    </code>
                  )}
                  <code className={styles.path}>{l.path}</code>
                </div>
              </li>
            ))}
          </ol>
          <p className={styles.hint}>{t('nodeInternals.overlayHint', { image: overlay.image })}</p>
        </div>
      )}
    </div>
  );
}
