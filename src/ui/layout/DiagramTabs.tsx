/**
 * The visuals pane: one tab per diagram of the registry (../diagrams/index.ts), the WAI-ARIA tabs
 * pattern (arrow keys, Home and End move between tabs). Only the open diagram is mounted; which one is
 * open is remembered.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DIAGRAMS } from '../diagrams/index.ts';
import { useDiagram } from './diagramStore.ts';

export function DiagramTabs({ toolbar }: { toolbar?: ReactNode }) {
  const { t } = useTranslation();
  const open = useDiagram((s) => s.id);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const current = DIAGRAMS.find((d) => d.id === open) ?? DIAGRAMS[0]!;

  const select = (index: number) => {
    const d = DIAGRAMS[(index + DIAGRAMS.length) % DIAGRAMS.length]!;
    useDiagram.getState().open(d.id);
    tabs.current[DIAGRAMS.indexOf(d)]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent, index: number) => {
    const moves: Record<string, number> = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: DIAGRAMS.length - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    select(next);
  };

  const Diagram = current.component;
  return (
    <section className="visuals pane-card" aria-label={t('layout.visuals')}>
      <div className="tabbar">
        <div role="tablist" aria-label={t('layout.diagrams')} className="tabs">
          {DIAGRAMS.map((d, i) => (
            <button
              key={d.id}
              ref={(el) => {
                tabs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${d.id}`}
              aria-selected={d.id === current.id}
              aria-controls={`panel-${d.id}`}
              tabIndex={d.id === current.id ? 0 : -1}
              className="tab"
              data-testid={`tab-${d.id}`}
              onClick={() => select(i)}
              onKeyDown={(e) => onKeyDown(e, i)}
            >
              {t(d.titleKey)}
            </button>
          ))}
        </div>
        <div className="tabbar-tools">{toolbar}</div>
      </div>
      <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`} className="tabpanel">
        <Diagram />
      </div>
    </section>
  );
}
