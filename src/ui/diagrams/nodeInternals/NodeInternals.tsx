/**
 * The node-internals diagram (issue 8): what runs inside one full node, live from the worker's views —
 * the process tree coloured by namespace (inode numbers shown; a pod's processes framed together), the
 * cgroup tree with memory, CPU, throttling and OOM kills (highlighted as they grow), and a container's
 * overlay stack whose copy-ups and whiteouts animate as they appear (statically marked under
 * prefers-reduced-motion). Three tabs share one node picker; a lightweight node says it has no kernel,
 * and a node or container that is gone says so.
 */
import { useState, type KeyboardEvent } from 'react';
import { useDiagramFocus } from '../../layout/diagramFocus.ts';
import { useTranslation } from 'react-i18next';
import { selectNodeNames, useLab } from '../../state/labStore.ts';
import { useView } from '../../state/useView.ts';
import { ProcessesPanel } from './ProcessesPanel.tsx';
import { CgroupsPanel } from './CgroupsPanel.tsx';
import { OverlayPanel } from './OverlayPanel.tsx';
import styles from './nodeInternals.module.css';

const TABS = ['processes', 'cgroups', 'overlay'] as const;
type Tab = (typeof TABS)[number];

export function NodeInternals() {
  const { t } = useTranslation();
  const nodes = useLab(selectNodeNames);
  const [picked, setPicked] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('processes');
  const [container, setContainer] = useState<string | null>(null);
  // A lesson's focus (diagramFocus.ts): `node` and `tab`.
  const focus = useDiagramFocus('node-internals');
  const [focusSeen, setFocusSeen] = useState<number | null>(null);
  if (focus && focus.seq !== focusSeen) {
    setFocusSeen(focus.seq);
    if (focus.values.node) setPicked(focus.values.node);
    if ((TABS as readonly string[]).includes(focus.values.tab ?? '')) setTab(focus.values.tab as Tab);
  }
  const node = picked ?? nodes.find((n) => n.startsWith('worker')) ?? nodes[0];
  const processes = useView('node-processes', node ? { node } : undefined);
  const value = processes.status === 'ready' ? processes.value : undefined;
  const exists = node !== undefined && nodes.includes(node);

  const onTabKey = (e: KeyboardEvent, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    const target = TABS[(next + TABS.length) % TABS.length]!;
    setTab(target);
    document.getElementById(`ni-tab-${target}`)?.focus();
  };

  let body;
  if (node === undefined) body = <p className={styles.empty}>{t('nodeInternals.noNodes')}</p>;
  else if (processes.status === 'error')
    body = (
      <p className={styles.gone} role="alert">
        {t('nodeInternals.error', { message: processes.message })}
      </p>
    );
  else if (!value) body = <p className={styles.empty}>{t('nodeInternals.loading')}</p>;
  else if (value.kind === 'absent')
    body = (
      <p className={styles.gone} data-testid="node-internals-absent" role="status">
        {exists ? t('nodeInternals.noKernel', { node }) : t('nodeInternals.nodeGone', { node })}
      </p>
    );
  else if (tab === 'processes') body = <ProcessesPanel value={value} />;
  else if (tab === 'cgroups') body = <CgroupsPanel node={node} />;
  else body = <OverlayPanel node={node} containers={value.containers} picked={container} onPick={setContainer} />;

  return (
    <section className={styles.root} aria-label={t('nodeInternals.title')} data-testid="node-internals">
      <div className={styles.toolbar}>
        <label>
          {t('nodeInternals.node')}{' '}
          <select value={node ?? ''} onChange={(e) => {
              setPicked(e.target.value);
              setContainer(null);
            }}
            data-testid="node-internals-node">
            {node !== undefined && !nodes.includes(node) && <option value={node}>{node}</option>}
            {nodes.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <div role="tablist" aria-label={t('nodeInternals.views')} className={styles.tabs}>
          {TABS.map((id, i) => (
            <button
              key={id}
              id={`ni-tab-${id}`}
              type="button"
              role="tab"
              aria-selected={tab === id}
              aria-controls="ni-panel"
              tabIndex={tab === id ? 0 : -1}
              className={styles.tab}
              onClick={() => setTab(id)}
              onKeyDown={(e) => onTabKey(e, i)}
              data-testid={`node-internals-tab-${id}`}
            >
              {t(`nodeInternals.tab.${id}`)}
            </button>
          ))}
        </div>
      </div>
      <div id="ni-panel" role="tabpanel" aria-labelledby={`ni-tab-${tab}`} className={styles.body}>
        {body}
      </div>
    </section>
  );
}
