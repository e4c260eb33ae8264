/**
 * The cluster map at scale, on a canvas: a tile per node coloured by fullness, the pods as counts per
 * state. The canvas repaints only when the aggregate, its size, the active tile or the theme change, and
 * when only some nodes' tiles changed since its last paint, only those.
 * Hover a tile, or focus the canvas and move with the arrow keys, for the node's details.
 */
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Aggregate } from './aggregate.ts';
import { drawAggregate, fullnessColour, type Palette } from './drawAggregate.ts';
import { TOOLTIP_ID, useHover } from './hoverStore.ts';
import { POD_STATES, STATE_GLYPH } from './podState.ts';
import { tileAt, tileLayout, type TileLayout } from './tileLayout.ts';

function subscribeTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}
const themeName = () => document.documentElement.dataset.theme ?? 'dark';

const TARGET_HEIGHT = 320;

function readPalette(el: Element): Palette {
  const css = getComputedStyle(el);
  return {
    background: css.getPropertyValue('--panel').trim() || '#151b23',
    notReady: css.getPropertyValue('--tile-not-ready').trim() || '#555',
    cross: css.getPropertyValue('--danger').trim() || '#f07178',
    outline: css.getPropertyValue('--text').trim() || '#fff',
    text: css.getPropertyValue('--text').trim() || '#fff',
  };
}

/** The fullness scale as a CSS gradient. */
const ramp = [0, 0.25, 0.5, 0.75, 1].map((f) => `${fullnessColour(f)} ${f * 100}%`).join(', ');

/** The tiles' key; the same in every frame, so drawn once (memo) rather than with each batch of pods. */
const FullnessLegend = memo(function FullnessLegend() {
  const { t } = useTranslation();
  return (
    <div className="aggregate-legend">
      <span className="ramp-label">{t('clusterMap.fullness')}</span>
      <span className="ramp" style={{ background: `linear-gradient(to right, ${ramp})` }} aria-hidden="true" />
      <span className="ramp-ends">0–100%</span>
      <span className="legend-item">
        <span className="tile-sample not-ready" aria-hidden="true">
          ✕
        </span>
        NotReady
      </span>
      <span className="legend-item">
        <span className="tile-sample cordoned" aria-hidden="true" />
        SchedulingDisabled
      </span>
    </div>
  );
});

export function AggregatedMap({ aggregate }: { aggregate: Aggregate }) {
  const { t } = useTranslation();
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [active, setActive] = useState(-1);
  const theme = useSyncExternalStore(subscribeTheme, themeName);
  const show = useHover((s) => s.show);
  const hide = useHover((s) => s.hide);
  const count = aggregate.tiles.length;
  const layout = useMemo(() => tileLayout(count, width, TARGET_HEIGHT), [count, width]);

  useLayoutEffect(() => {
    const el = wrap.current!;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  /** What the canvas shows now, so a frame that changed a few tiles repaints only those. */
  const painted = useRef<{ tiles: Aggregate['tiles']; layout: TileLayout; active: number; theme: string; ratio: number; palette: Palette } | undefined>(undefined);
  useEffect(() => {
    const el = canvas.current;
    if (!el || width === 0) return;
    const ratio = window.devicePixelRatio || 1;
    const last = painted.current;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    // The theme's colours, read once per theme: reading them every frame forces a style recalculation.
    const palette = last?.theme === theme ? last.palette : readPalette(el);
    const previous = aggregate.previous;
    if (last && previous && last.tiles === previous.tiles && last.layout === layout && last.active === active && last.theme === theme && last.ratio === ratio) {
      drawAggregate(ctx, aggregate, layout, active, palette, previous.changedTiles);
    } else {
      el.width = Math.round(layout.width * ratio);
      el.height = Math.round(layout.height * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      drawAggregate(ctx, aggregate, layout, active, palette);
    }
    painted.current = { tiles: aggregate.tiles, layout, active, theme, ratio, palette };
  }, [aggregate, layout, active, width, theme]);

  const showTile = (index: number) => {
    setActive(index);
    const el = canvas.current;
    if (index < 0 || !el) {
      hide();
      return;
    }
    const r = el.getBoundingClientRect();
    // The layout is in CSS pixels, the rectangle in the viewport's (they differ under presenter mode's zoom).
    const zoom = el.currentCSSZoom || 1;
    const step = (layout.size + layout.gap) * zoom;
    const left = r.left + (index % layout.columns) * step;
    const top = r.top + Math.floor(index / layout.columns) * step;
    show({ kind: 'tile', index, anchor: { left, top, right: left + layout.size * zoom, bottom: top + layout.size * zoom } });
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const zoom = e.currentTarget.currentCSSZoom || 1;
    const index = tileAt(layout, count, (e.clientX - r.left) / zoom, (e.clientY - r.top) / zoom);
    if (index !== active) showTile(index);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      ArrowDown: active + layout.columns,
      ArrowUp: active - layout.columns,
      Home: 0,
      End: count - 1,
    };
    const next = moves[e.key];
    if (next === undefined || count === 0) return;
    e.preventDefault();
    showTile(Math.max(0, Math.min(count - 1, next)));
  };

  const unscheduled = POD_STATES.reduce((n, s) => n + aggregate.unscheduled[s], 0);
  return (
    <div className="aggregated" data-testid="aggregated-map">
      <FullnessLegend />
      <ul className="state-totals" aria-label={t('clusterMap.podsByState')}>
        {POD_STATES.filter((s) => aggregate.totals[s] > 0 || s === 'ready').map((s) => (
          <li key={s} className={`state-total ${s}`} data-state={s}>
            <span className={`pod-chip mini ${s}`} aria-hidden="true">
              <span className="glyph">{STATE_GLYPH[s]}</span>
            </span>
            {t(`clusterMap.state.${s}`)} <strong>{aggregate.totals[s].toLocaleString()}</strong>
          </li>
        ))}
        {unscheduled > 0 ? (
          <li className="state-total unscheduled">
            {t('clusterMap.unscheduled')} <strong>{unscheduled.toLocaleString()}</strong>
          </li>
        ) : null}
      </ul>
      <div className="tiles" ref={wrap}>
        <canvas
          ref={canvas}
          style={{ width: layout.width, height: layout.height }}
          tabIndex={0}
          role="img"
          aria-label={t('clusterMap.tilesLabel', { count })}
          aria-describedby={active >= 0 ? TOOLTIP_ID : undefined}
          data-testid="aggregated-canvas"
          onPointerMove={onPointerMove}
          onPointerLeave={() => showTile(-1)}
          onKeyDown={onKeyDown}
          onBlur={() => showTile(-1)}
        />
      </div>
    </div>
  );
}
