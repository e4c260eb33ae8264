/**
 * The architecture diagram (issue 8): the control plane (kube-apiserver with its handler chain, etcd,
 * kube-scheduler, kube-controller-manager), the clients, and each node's kubelet, kube-proxy and
 * containerd. Each API request on the trace is a dot that runs from its client through the apiserver's
 * stages (and, for exec, out to the node's kubelet and containerd) in about 600 ms; refused requests are
 * a red cross, failed ones an orange triangle. Click a component for its last 50 trace events. With
 * prefers-reduced-motion (or the setting that forces it) nothing moves: the recent requests are listed
 * instead. While the cluster's clock is paused the dots stand still where they are.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TraceEvent } from '../../../engine/trace/traceEvent.ts';
import { useReducedMotion } from '../../settings/settingsStore.ts';
import { selectClock, selectNodeNames, useLab } from '../../state/labStore.ts';
import { requestUsers, useTrace } from '../../state/traceStore.ts';
import { anchorOf, type ComponentId } from './architecture.ts';
import { AnimationTime } from './animationTime.ts';
import { addEvents, flightEnd, positionAt, type Flight } from './flights.ts';
import { layoutArchitecture, type Box } from './layout.ts';
import { useDiagramFocus } from '../../layout/diagramFocus.ts';
import { RecentPanel } from './RecentPanel.tsx';
import styles from './architecture.module.css';

const PULSE_MS = 400;

/** The components' names as shown (Kubernetes component names stay untranslated). */
function componentLabel(id: ComponentId, t: (key: string) => string): string {
  if (id === 'kubectl') return 'kubectl';
  if (id === 'other-clients') return t('architecture.otherClients');
  return id.split('@')[0]!;
}

export function Architecture() {
  const { t } = useTranslation();
  const reduced = useReducedMotion();
  const paused = useLab((s) => selectClock(s)?.paused ?? false);
  const nodeNames = useLab(selectNodeNames);
  const layout = useMemo(() => layoutArchitecture(nodeNames), [nodeNames]);
  const events = useTrace((s) => s.events);
  const users = useMemo(() => requestUsers(events), [events]);

  const [selected, setSelected] = useState<ComponentId | null>(null);
  // A lesson's focus (diagramFocus.ts): `component`, one of the boxes.
  const focus = useDiagramFocus('architecture');
  const [focusSeen, setFocusSeen] = useState<number | null>(null);
  if (focus && focus.seq !== focusSeen) {
    setFocusSeen(focus.seq);
    const box = layout.boxes.find((b) => b.id === focus.values.component);
    if (box) setSelected(box.id);
  }
  if (selected && !layout.boxes.some((b) => b.id === selected)) setSelected(null);

  const [flights, setFlights] = useState<Flight[]>([]);
  const [pulses, setPulses] = useState<ReadonlyMap<string, number>>(new Map());
  const [dropped, setDropped] = useState(0);
  const [now, setNow] = useState(0);
  const live = useRef({ flights: [] as Flight[], pulses: new Map<string, number>() });
  // Dots move on wall time that stands still while the cluster is paused.
  const clock = useRef(new AnimationTime());
  useEffect(() => clock.current.setPaused(paused, performance.now()), [paused]);

  // New trace events start dots (one per request) and light up the components that worked on their own.
  useEffect(() => {
    if (reduced) return;
    let lastSeq = useTrace.getState().events.at(-1)?.seq ?? 0;
    return useTrace.subscribe((s) => {
      const last = s.events.at(-1);
      if (!last) return;
      if (last.seq < lastSeq) lastSeq = 0;
      let i = s.events.length;
      while (i > 0 && s.events[i - 1]!.seq > lastSeq) i--;
      const fresh: TraceEvent[] = s.events.slice(i);
      lastSeq = last.seq;
      if (fresh.length === 0) return;
      const wall = clock.current.now(performance.now());
      const result = addEvents(live.current.flights, fresh, requestUsers(s.events), wall);
      live.current.flights = result.flights;
      setFlights(result.flights);
      if (result.dropped > 0) setDropped((n) => n + result.dropped);
      const pulses = new Map(live.current.pulses);
      for (const e of fresh) {
        const anchor = e.request === undefined ? anchorOf(e) : undefined;
        if (anchor) pulses.set(anchor, wall);
      }
      live.current.pulses = pulses;
      setPulses(pulses);
      setNow(wall);
    });
  }, [reduced]);

  const busy = flights.length > 0 || pulses.size > 0;
  useEffect(() => {
    if (!busy || reduced || paused) return;
    let frame = requestAnimationFrame(function tick() {
      const wall = clock.current.now(performance.now());
      const alive = live.current.flights.filter((f) => flightEnd(f) > wall);
      if (alive.length !== live.current.flights.length) {
        live.current.flights = alive;
        setFlights(alive);
      }
      const pulses = new Map([...live.current.pulses].filter(([, at]) => wall - at < PULSE_MS));
      if (pulses.size !== live.current.pulses.size) {
        live.current.pulses = pulses;
        setPulses(pulses);
      }
      setNow(wall);
      if (alive.length > 0 || pulses.size > 0) frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [busy, reduced, paused]);

  const clients = layout.boxes.filter((b) => b.id === 'kubectl' || b.id === 'other-clients' || b.id === 'kube-scheduler' || b.id === 'kube-controller-manager');
  const authn = layout.pointOf('stage:authentication')!;
  const storage = layout.pointOf('stage:storage')!;
  const etcd = layout.pointOf('etcd')!;

  return (
    <section className={styles.root} aria-label={t('architecture.title')} data-testid="architecture">
      <div className={styles.toolbar}>
        <Legend />
        {!reduced ? (
          <span className={styles.count} data-testid="arch-in-flight">
            {t('architecture.inFlight', { count: flights.length })}
            {dropped > 0 ? ` · ${t('architecture.dropped', { count: dropped })}` : ''}
          </span>
        ) : null}
      </div>
      <div className={styles.body}>
        <div className={styles.scroll}>
          <svg viewBox={`0 0 ${layout.width} ${layout.height}`} preserveAspectRatio="xMidYMin meet" className={styles.svg} role="group" aria-label={t('architecture.title')}>
            <rect x={layout.controlPlane.x} y={layout.controlPlane.y} width={layout.controlPlane.width} height={layout.controlPlane.height} rx={10} className={styles.frame} />
            <text x={layout.controlPlane.x + 12} y={layout.controlPlane.y + 18} className={styles.frameLabel}>
              {t('architecture.controlPlane')}
            </text>
            {layout.nodes.map((n) => (
              <g key={n.name}>
                <rect x={n.x} y={n.y} width={n.width} height={n.height} rx={10} className={styles.frame} />
                <text x={n.x + 10} y={n.y + 18} className={styles.frameLabel}>
                  {t('architecture.node', { name: n.name })}
                </text>
              </g>
            ))}
            {clients.map((c) => {
              const p = layout.pointOf(c.id)!;
              return <line key={c.id} x1={p.x} y1={p.y} x2={authn.x} y2={authn.y} className={styles.wire} />;
            })}
            <line x1={storage.x} y1={storage.y} x2={etcd.x} y2={etcd.y} className={styles.wire} />
            {layout.boxes.map((b) => (
              <ComponentBox key={b.id} box={b} label={componentLabel(b.id, t)} selected={selected === b.id} active={pulses.has(b.id)} onSelect={() => setSelected(selected === b.id ? null : b.id)} />
            ))}
            <line x1={layout.stages[0]!.x} y1={layout.stages[0]!.y} x2={layout.stages.at(-1)!.x} y2={layout.stages[0]!.y} className={styles.chain} />
            {layout.stages.map((s) => (
              <g key={s.stage} data-testid="arch-stage" data-stage={s.stage} data-highlight-id={`stage:${s.stage}`}>
                <circle cx={s.x} cy={s.y} r={8} className={styles.stage} />
                <text x={s.x} y={s.y + 24} textAnchor="middle" className={styles.stageLabel}>
                  {t(`architecture.stages.${s.stage}`)}
                </text>
              </g>
            ))}
            {!reduced ? flights.map((f) => <Dot key={f.request} flight={f} now={now} layout={layout} />) : null}
          </svg>
        </div>
        <RecentPanel selected={selected} label={selected ? componentLabel(selected, t) : ''} events={events} users={users} listRequests={reduced} onClose={() => setSelected(null)} />
      </div>
    </section>
  );
}

function ComponentBox({ box, label, selected, active, onSelect }: { box: Box; label: string; selected: boolean; active: boolean; onSelect: () => void }) {
  const node = box.id.includes('@') ? box.id.split('@')[1] : undefined;
  const isApiserver = box.id === 'kube-apiserver';
  return (
    <g
      className={`${styles.component} ${selected ? styles.selected : ''} ${active ? styles.active : ''}`}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={node ? `${label} (${node})` : label}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        onSelect();
      }}
      data-testid="arch-component"
      data-id={box.id}
      data-highlight-id={`component:${box.id}`}
    >
      <rect x={box.x} y={box.y} width={box.width} height={box.height} rx={7} className={`${styles.box} ${styles[`box-${box.id.split('@')[0]}`] ?? ''}`} />
      <text x={box.x + (isApiserver ? 12 : box.width / 2)} y={isApiserver ? box.y + 20 : box.y + box.height / 2 + 5} textAnchor={isApiserver ? 'start' : 'middle'} className={styles.boxLabel}>
        {label}
      </text>
    </g>
  );
}

function Dot({ flight, now, layout }: { flight: Flight; now: number; layout: ReturnType<typeof layoutArchitecture> }) {
  const p = positionAt(flight, now, layout.pointOf);
  if (!p) return null;
  const client = flight.anchors[0];
  const common = { 'data-testid': 'arch-flight', 'data-request': flight.request, 'data-outcome': flight.outcome, 'data-client': client, className: `${styles.dot} ${styles[flight.outcome]}` };
  return (
    <g transform={`translate(${p.x} ${p.y})`} {...common}>
      <title>{`#${flight.request} ${flight.label} (${flight.outcome})`}</title>
      {flight.outcome === 'denied' ? (
        <path d="M-6,-6 L6,6 M6,-6 L-6,6" className={styles.cross} />
      ) : flight.outcome === 'error' ? (
        <path d="M0,-7 L7,6 L-7,6 z" />
      ) : (
        <circle r={5.5} />
      )}
      {client === 'kubectl' && !flight.label.includes(' /') ? (
        <text y={-11} textAnchor="middle" className={styles.dotLabel}>
          {flight.label}
        </text>
      ) : null}
    </g>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <span className={styles.legend}>
      <span className={styles.legendItem}>
        <svg width="14" height="14" aria-hidden="true" className={`${styles.dot} ${styles.ok}`}>
          <circle cx="7" cy="7" r="5" />
        </svg>
        {t('architecture.legend.ok')}
      </span>
      <span className={styles.legendItem}>
        <svg width="14" height="14" aria-hidden="true" className={`${styles.dot} ${styles.denied}`}>
          <path d="M2,2 L12,12 M12,2 L2,12" className={styles.cross} />
        </svg>
        {t('architecture.legend.denied')}
      </span>
      <span className={styles.legendItem}>
        <svg width="14" height="14" aria-hidden="true" className={`${styles.dot} ${styles.error}`}>
          <path d="M7,1 L13,12 L1,12 z" />
        </svg>
        {t('architecture.legend.error')}
      </span>
      <span className={styles.hint}>{t('architecture.hint')}</span>
    </span>
  );
}
