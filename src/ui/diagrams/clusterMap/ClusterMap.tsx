/**
 * The cluster map: every node as a card (roles, STATUS, CPU/memory/pods requested against allocatable)
 * with its pods as chips grouped by owner, and the pods not yet scheduled in a lane of their own. Past
 * DETAIL_MAX_PODS pods or DETAIL_MAX_NODES nodes, or when the student asks for the overview, it is
 * drawn aggregated on a canvas instead.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { readChoice, writeChoice } from '../../layout/paneSize.ts';
import { useLab } from '../../state/labStore.ts';
import { AggregatedMap } from './AggregatedMap.tsx';
import { useHover } from './hoverStore.ts';
import { MapTooltip } from './MapTooltip.tsx';
import { createClusterMapSelector, DETAIL_MAX_NODES, DETAIL_MAX_PODS, type MapView } from './model.ts';
import { NodeCard } from './NodeCard.tsx';
import { POD_STATES, STATE_GLYPH } from './podState.ts';

const VIEWS = ['auto', 'aggregated'] as const;

function Legend() {
  const { t } = useTranslation();
  return (
    <ul className="map-legend" aria-label={t('clusterMap.legend')}>
      {POD_STATES.filter((s) => s !== 'unknown').map((s) => (
        <li key={s}>
          <span className={`pod-chip mini ${s}`} aria-hidden="true">
            <span className="glyph">{STATE_GLYPH[s]}</span>
          </span>
          {t(`clusterMap.state.${s}`)}
        </li>
      ))}
    </ul>
  );
}

export function ClusterMap() {
  const { t } = useTranslation();
  const [view, setView] = useState<MapView>(() => readChoice('clusterMap.view', VIEWS, 'auto'));
  const select = useMemo(() => createClusterMapSelector(view), [view]);
  const model = useLab(select);
  const starting = useLab((s) => s.engine.kind === 'starting');
  const forced = model.mode === 'aggregated' && view === 'auto';
  // A tooltip left over from before the map was last closed (another tab) must not come back with it.
  useEffect(() => () => useHover.getState().hide(), []);

  const toggle = () => {
    const next: MapView = view === 'auto' ? 'aggregated' : 'auto';
    setView(next);
    writeChoice('clusterMap.view', next);
  };

  return (
    <div className="cluster-map" data-testid="cluster-map" data-mode={model.mode}>
      <div className="map-toolbar">
        <span className="map-summary" data-testid="map-summary">
          {t('clusterMap.summary', { nodes: model.nodeCount.toLocaleString(), pods: model.podCount.toLocaleString(), count: model.podCount })}
        </span>
        {model.mode === 'detailed' ? <Legend /> : null}
        {forced ? <span className="map-note">{t('clusterMap.autoAggregated', { pods: DETAIL_MAX_PODS, nodes: DETAIL_MAX_NODES })}</span> : null}
        <button type="button" className="map-view" aria-pressed={view === 'aggregated'} onClick={toggle} data-testid="map-view" disabled={forced}>
          {t('clusterMap.overview')}
        </button>
      </div>
      {starting && model.nodeCount === 0 ? <p className="map-empty">{t('engine.starting')}</p> : null}
      {model.mode === 'detailed' ? (
        <div className="map-body">
          {model.unscheduled.groups.length > 0 ? <NodeCard entry={model.unscheduled} /> : null}
          <div className="node-grid">
            {model.nodes.map((entry) => (
              <NodeCard key={entry.name} entry={entry} />
            ))}
          </div>
        </div>
      ) : (
        <div className="map-body">
          <AggregatedMap aggregate={model.aggregate} />
        </div>
      )}
      <MapTooltip aggregate={model.mode === 'aggregated' ? model.aggregate : undefined} />
    </div>
  );
}
