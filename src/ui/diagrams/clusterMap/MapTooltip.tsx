/**
 * The details of what the pointer or keyboard focus is on, kept live: a pod's name, namespace, STATUS,
 * READY, restarts, IP, node and QoS class (as `kubectl get pod -o wide` and `describe` show them), or a
 * node tile's pods per state and requests in the aggregated map. Escape dismisses it.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PodView } from '../../../engine/cluster/clusterView.ts';
import { useLab } from '../../state/labStore.ts';
import type { Aggregate } from './aggregate.ts';
import { formatBytes, formatCpu } from './capacity.ts';
import { TOOLTIP_ID, useHover, type Anchor } from './hoverStore.ts';
import { POD_STATES, STATE_GLYPH } from './podState.ts';

function Rows({ rows }: { rows: Array<[string, string | number]> }) {
  return (
    <dl>
      {rows.map(([k, v]) => (
        <div key={k} className="tooltip-row">
          <dt>{k}</dt>
          <dd>{v === '' ? '—' : v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MapTooltip({ aggregate }: { aggregate?: Aggregate }) {
  const { t } = useTranslation();
  const target = useHover((s) => s.target);
  const hide = useHover((s) => s.hide);
  const pod = useLab((s) => (target?.kind === 'pod' ? (s.objects.get(target.id) as PodView | undefined) : undefined));
  const box = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | undefined>();

  useEffect(() => {
    if (!target) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') hide();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [target, hide]);

  const anchor: Anchor | undefined = target?.anchor;
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !anchor) return;
    // The anchor is in the viewport's pixels; the tooltip's own are CSS zoomed (presenter mode's large type).
    const zoom = el.currentCSSZoom || 1;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const innerWidth = window.innerWidth / zoom;
    const innerHeight = window.innerHeight / zoom;
    let top = anchor.bottom / zoom + 6;
    if (top + h > innerHeight - 4) top = Math.max(4, anchor.top / zoom - h - 6);
    const left = Math.max(4, Math.min(anchor.left / zoom, innerWidth - w - 4));
    setPosition({ left, top });
  }, [anchor, pod]);

  let body: React.ReactNode = null;
  if (target?.kind === 'pod' && pod) {
    body = (
      <>
        <strong className="tooltip-title">{pod.name}</strong>
        <Rows
          rows={[
            [t('clusterMap.tip.namespace'), pod.namespace],
            [t('clusterMap.tip.status'), pod.status],
            [t('clusterMap.tip.ready'), pod.ready],
            [t('clusterMap.tip.restarts'), pod.restarts],
            [t('clusterMap.tip.ip'), pod.ip],
            [t('clusterMap.tip.node'), pod.node || t('clusterMap.tip.none')],
            [t('clusterMap.tip.qos'), pod.qosClass],
          ]}
        />
      </>
    );
  } else if (target?.kind === 'tile' && aggregate?.tiles[target.index]) {
    const tile = aggregate.tiles[target.index]!;
    body = (
      <>
        <strong className="tooltip-title">{tile.name}</strong>
        <Rows
          rows={[
            [t('clusterMap.tip.status'), `${tile.ready ? 'Ready' : 'NotReady'}${tile.unschedulable ? ',SchedulingDisabled' : ''}`],
            [t('clusterMap.cpu'), `${formatCpu(tile.cpu)} / ${formatCpu(tile.allocatable.cpu)}`],
            [t('clusterMap.memory'), `${formatBytes(tile.memory)} / ${formatBytes(tile.allocatable.memory)}`],
            [t('clusterMap.pods'), `${tile.pods} / ${tile.allocatable.pods}`],
            ...POD_STATES.filter((s) => tile.counts[s] > 0).map((s): [string, number] => [`${STATE_GLYPH[s]} ${t(`clusterMap.state.${s}`)}`, tile.counts[s]]),
          ]}
        />
      </>
    );
  }
  if (!body) return null;
  return (
    <div
      ref={box}
      id={TOOLTIP_ID}
      role="tooltip"
      className="map-tooltip"
      data-testid="map-tooltip"
      style={position ? { left: position.left, top: position.top } : { visibility: 'hidden', left: 0, top: 0 }}
    >
      {body}
    </div>
  );
}
