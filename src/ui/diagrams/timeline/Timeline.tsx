/**
 * The request timeline (issue 8): the last kubectl command typed and the work it caused, as swimlanes on
 * virtual time — kubectl, the apiserver's stages (etcd with the revision written), each informer that saw
 * the change and what its component did next (the controllers' requests, the scheduler's decision and
 * binding, the kubelet's status), each node's CRI calls and runc. Built by timeline.ts from the capture
 * (timelineStore.ts); laid out by timelineLayout.ts. Zoom in and out, or fit; hover, focus or click an
 * item for its details (a scheduler decision shows its filter and score table). Says so when the trace no
 * longer holds the last command.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useView } from '../../state/useView.ts';
import { buildTimeline, type Item, type Lane } from './timeline.ts';
import { formatOffset, LABEL_WIDTH, LANE_HEIGHT, labelX, layoutTimeline, type LaidItem } from './timelineLayout.ts';
import { useTimelineCapture } from './timelineStore.ts';
import styles from './timeline.module.css';

const ZOOMS = [1, 2, 4, 8, 16, 32];

export function Timeline() {
  const { t } = useTranslation();
  const events = useTimelineCapture((s) => s.events);
  const latestKubectlRequest = useTimelineCapture((s) => s.latestKubectlRequest);
  const timeline = useMemo(() => buildTimeline(events, { latestKubectlRequest }), [events, latestKubectlRequest]);
  const [zoom, setZoom] = useState(0);
  const [compress, setCompress] = useState(true);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [width, ref] = useWidth();
  const layout = useMemo(() => (timeline ? layoutTimeline(timeline, width, ZOOMS[zoom], compress) : undefined), [timeline, width, zoom, compress]);
  const active = activeId !== null ? timeline?.items.find((i) => i.id === activeId) : undefined;
  const laneName = (lane: Lane) =>
    lane.kind === 'stage'
      ? t(`timeline.stages.${lane.name}`)
      : lane.kind === 'cri'
        ? t('timeline.cri', { node: lane.name })
        : lane.kind === 'runc'
          ? t('timeline.runc', { node: lane.name })
          : lane.name;
  const lanes = new Map(timeline?.lanes.map((l) => [l.id, l]));

  return (
    <section className={styles.root} aria-label={t('timeline.title')} data-testid="timeline">
      <div className={styles.toolbar}>
        {timeline ? (
          <span className={styles.command} data-testid="timeline-command">
            <span className={styles.prompt}>{t('timeline.lastCommand')}</span> kubectl → {timeline.command.join(' · ') || t('timeline.discoveryOnly')}
          </span>
        ) : (
          <span className={styles.command}>{t('timeline.title')}</span>
        )}
        {timeline && <span className={styles.stat}>{t('timeline.span', { span: formatOffset(timeline.end - timeline.start), count: timeline.items.length })}</span>}
        <label className={styles.compress}>
          <input type="checkbox" checked={compress} onChange={(e) => setCompress(e.target.checked)} data-testid="timeline-compress" /> {t('timeline.compress')}
        </label>
        <div className={styles.zoom} role="group" aria-label={t('timeline.zoom')}>
          <button type="button" onClick={() => setZoom((z) => Math.max(0, z - 1))} disabled={zoom === 0} aria-label={t('timeline.zoomOut')}>
            −
          </button>
          <button type="button" onClick={() => setZoom(0)} disabled={zoom === 0} aria-label={t('timeline.fit')}>
            {t('timeline.fit')}
          </button>
          <button type="button" onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))} disabled={zoom === ZOOMS.length - 1} aria-label={t('timeline.zoomIn')}>
            +
          </button>
          <span className={styles.stat}>{ZOOMS[zoom]}×</span>
        </div>
      </div>
      {timeline?.truncated && (
        <p className={styles.warn} role="status" data-testid="timeline-truncated">
          {t('timeline.truncated')}
        </p>
      )}
      <div className={styles.body}>
        <div className={styles.scroll} ref={ref}>
          {!timeline || !layout ? (
            <p className={styles.empty}>{latestKubectlRequest !== undefined ? t('timeline.lost') : t('timeline.empty')}</p>
          ) : (
            <div className={styles.canvas} style={{ width: layout.width, height: layout.height }}>
              <svg className={styles.plot} width={layout.width} height={layout.height} role="group" aria-label={t('timeline.plot', { lanes: timeline.lanes.length, items: timeline.items.length })}>
                {layout.lanes.map(({ lane, y }, i) => (
                  <rect key={lane.id} x={0} y={y - LANE_HEIGHT / 2} width={layout.width} height={LANE_HEIGHT} className={i % 2 ? styles.rowOdd : styles.rowEven} />
                ))}
                {layout.breaks.map((b) => (
                <g key={b.x0} className={styles.break}>
                  <title>{t('timeline.idle', { span: formatOffset(b.ms).slice(1) })}</title>
                  <rect x={b.x0 + 4} y={18} width={Math.max(0, b.x1 - b.x0 - 8)} height={layout.height - 18} className={styles.breakBand} />
                  <text x={(b.x0 + b.x1) / 2} y={layout.height - 2} textAnchor="middle" className={styles.breakLabel}>
                    ≈{formatOffset(b.ms).slice(1)}
                  </text>
                </g>
              ))}
              {layout.ticks.map((tick) => (
                  <g key={tick.x}>
                    <line x1={tick.x} x2={tick.x} y1={18} y2={layout.height} className={styles.grid} />
                    <text x={tick.x} y={13} className={styles.tick} textAnchor="middle">
                      {tick.label}
                    </text>
                  </g>
                ))}
                {layout.items.map((laid) => (
                  <ItemMark key={laid.item.id} laid={laid} active={laid.item.id === activeId} laneName={laneName(lanes.get(laid.item.lane)!)} start={timeline.start} onActivate={setActiveId} />
                ))}
              </svg>
              <div className={styles.labels} style={{ width: LABEL_WIDTH, height: layout.height }}>
                {layout.lanes.map(({ lane, y }) => (
                  <div
                    key={lane.id}
                    className={`${styles.laneLabel} ${styles[`lane_${lane.kind}`]}`}
                    style={{ top: y - LANE_HEIGHT / 2, height: LANE_HEIGHT }}
                    data-testid="timeline-lane"
                    data-lane={lane.id}
                    title={laneName(lane)}
                  >
                    {laneName(lane)}
                  </div>
                ))}
              </div>
            </div>
          )}
        </div>
        <aside className={styles.details} aria-live="polite" aria-label={t('timeline.details')} data-testid="timeline-details">
          {active && timeline ? <Details item={active} lane={laneName(lanes.get(active.lane)!)} start={timeline.start} /> : <p className={styles.hint}>{timeline ? t('timeline.hint') : ''}</p>}
        </aside>
      </div>
    </section>
  );
}

function ItemMark({ laid, active, laneName, start, onActivate }: { laid: LaidItem; active: boolean; laneName: string; start: number; onActivate: (id: string) => void }) {
  const { item, x, w, y } = laid;
  const cls = `${styles.item} ${styles[`kind_${item.kind}`]} ${item.failed ? styles.failed : ''} ${active ? styles.active : ''}`;
  return (
    <g
      className={cls}
      tabIndex={0}
      role="button"
      aria-label={`${laneName}: ${item.label}, ${formatOffset(item.start - start)}`}
      onMouseEnter={() => onActivate(item.id)}
      onFocus={() => onActivate(item.id)}
      onClick={() => onActivate(item.id)}
      data-testid="timeline-item"
      data-kind={item.kind}
    >
      {w > 0 ? <rect x={x} y={y - 7} width={w} height={14} rx={3} className={styles.bar} /> : <Glyph kind={item.kind} x={x} y={y} />}
      {laid.showLabel && (
        <text x={labelX(laid)} y={y + 4} className={styles.label}>
          {item.label}
        </text>
      )}
    </g>
  );
}

/** A shape per kind, so kinds differ by more than colour. */
function Glyph({ kind, x, y }: { kind: Item['kind']; x: number; y: number }) {
  switch (kind) {
    case 'watch':
      return <circle cx={x} cy={y} r={4.5} className={styles.hollow} />;
    case 'decision':
      return <path d={`M${x} ${y - 6}L${x + 6} ${y}L${x} ${y + 6}L${x - 6} ${y}Z`} className={styles.dot} />;
    case 'etcd':
      return <rect x={x - 4.5} y={y - 4.5} width={9} height={9} className={styles.dot} />;
    case 'runc':
      return <path d={`M${x - 5} ${y + 5}L${x} ${y - 5}L${x + 5} ${y + 5}Z`} className={styles.dot} />;
    default:
      return <circle cx={x} cy={y} r={4.5} className={styles.dot} />;
  }
}

function Details({ item, lane, start }: { item: Item; lane: string; start: number }) {
  const { t } = useTranslation();
  return (
    <div>
      <h3 className={styles.detailsTitle}>
        <span className={styles.detailsLane}>{lane}</span> {item.label}{' '}
        <span className={styles.stat}>
          {item.start === start ? '+0 ms' : formatOffset(item.start - start)}
          {item.end > item.start ? ` – ${formatOffset(item.end - start)}` : ''}
        </span>
      </h3>
      <ul className={styles.detailLines}>
        {item.details.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ul>
      {item.pod && (
        <div className={styles.tableScroll}>
          <DecisionTable namespace={item.pod.namespace} name={item.pod.name} />
        </div>
      )}
      {item.kind === 'decision' && <p className={styles.hint}>{t('timeline.schedulerHint')}</p>}
    </div>
  );
}

/** The scheduler's node × score table for a pod, from the `scheduler-decision` view. */
function DecisionTable({ namespace, name }: { namespace: string; name: string }) {
  const { t } = useTranslation();
  const view = useView('scheduler-decision', { namespace, name });
  if (view.status !== 'ready' || view.value.kind !== 'attempt') return null;
  const d = view.value;
  return (
    <table className={styles.table} aria-label={t('timeline.decisionTable', { pod: `${namespace}/${name}` })}>
      <thead>
        <tr>
          <th scope="col">{t('timeline.node')}</th>
          <th scope="col">{t('timeline.filter')}</th>
          {d.scorePlugins.map((p) => (
            <th scope="col" key={p.plugin}>
              {p.plugin}
            </th>
          ))}
          <th scope="col">{t('timeline.total')}</th>
        </tr>
      </thead>
      <tbody>
        {d.filters.map((f) => {
          const score = d.scores.find((s) => s.node === f.node);
          const chosen = d.outcome.kind === 'Scheduled' && d.outcome.node === f.node;
          return (
            <tr key={f.node} className={chosen ? styles.chosen : undefined}>
              <th scope="row">
                {chosen ? '✓ ' : ''}
                {f.node}
              </th>
              <td>{f.passed ? t('timeline.passed') : `✗ ${f.plugin ?? ''}`}</td>
              {d.scorePlugins.map((p, i) => (
                <td key={p.plugin}>{score ? score.weighted[i] : ''}</td>
              ))}
              <td>{score?.total ?? ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The element's content width, kept up to date. */
function useWidth(): [number, (el: HTMLDivElement | null) => void] {
  const [width, setWidth] = useState(800);
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(() => {
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.floor(entry.contentRect.width));
    });
    observer.current.observe(el);
    return () => observer.current?.disconnect();
  }, [el]);
  return [width, setEl];
}
