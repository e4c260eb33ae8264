/**
 * The object graph (issue 8): one namespace's Deployments, ReplicaSets, DaemonSets, StatefulSets, Pods,
 * EndpointSlices and Services, linked by ownerReferences, endpoints and selectors, live from the lab
 * store. Click (or Enter on) an object for its details; a selected object that is deleted clears itself.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ObjectRecord } from '../../../engine/cluster/clusterView.ts';
import { selectObjectList, useLab } from '../../state/labStore.ts';
import { buildObjectGraph, isGraphRecord, namespacesOf, NODE_HEIGHT, NODE_WIDTH, columnX, type GraphEdge, type GraphNode } from './objectGraph.ts';
import { ObjectDetails } from './ObjectDetails.tsx';
import styles from './objectGraph.module.css';

const HEADER = 30;
const COLUMNS = ['Deployment', 'ReplicaSet · DaemonSet · StatefulSet', 'Pod', 'EndpointSlice', 'Service'];

export function ObjectGraph() {
  const { t } = useTranslation();
  const [namespace, setNamespace] = useState('default');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const objects = useLab(selectObjectList);
  const namespaces = useMemo(() => namespacesOf(objects), [objects]);
  const records = useMemo(() => objects.filter((r): r is ObjectRecord => isGraphRecord(r, namespace)), [objects, namespace]);
  const graph = useMemo(() => buildObjectGraph(records), [records]);
  const byId = useMemo(() => new Map(graph.nodes.map((n) => [n.id, n])), [graph]);
  const selected = selectedId ? byId.get(selectedId) : undefined;
  // A selection that points to a deleted object clears itself (adjusting state while rendering, as React advises).
  if (selectedId && !selected) setSelectedId(null);
  const linked = useMemo(() => {
    const ids = new Set<string>();
    if (!selectedId) return ids;
    for (const e of graph.edges) {
      if (e.from !== selectedId && e.to !== selectedId) continue;
      ids.add(e.id).add(e.from).add(e.to);
    }
    return ids;
  }, [graph, selectedId]);

  return (
    <section className={styles.root} aria-label={t('objectGraph.title')} data-testid="object-graph">
      <div className={styles.toolbar}>
        <label>
          {t('objectGraph.namespace')}{' '}
          <select value={namespace} onChange={(e) => {
              setNamespace(e.target.value);
              setSelectedId(null);
            }} data-testid="object-graph-namespace">
            {namespaces.map((ns) => (
              <option key={ns} value={ns}>
                {ns}
              </option>
            ))}
          </select>
        </label>
        <Legend />
        <span className={styles.count}>{t('objectGraph.count', { count: graph.nodes.length })}</span>
      </div>
      <div className={styles.body}>
        <div className={styles.scroll}>
          {graph.nodes.length === 0 ? (
            <p className={styles.empty}>{t('objectGraph.empty', { namespace })}</p>
          ) : (
            <svg width="100%" viewBox={`0 0 ${graph.width} ${graph.height + HEADER}`} preserveAspectRatio="xMinYMin meet" style={{ maxWidth: graph.width, minWidth: graph.width * 0.7 }} className={styles.svg} role="group" aria-label={t('objectGraph.title')}>
              <defs>
                <marker id="og-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHead} />
                </marker>
                <marker id="og-arrow-warn" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" className={styles.arrowHeadWarn} />
                </marker>
              </defs>
              {COLUMNS.map((label, i) => (
                <text key={label} x={columnX(i) + NODE_WIDTH / 2} y={18} className={styles.columnLabel} textAnchor="middle">
                  {label}
                </text>
              ))}
              <g transform={`translate(0 ${HEADER})`}>
                {graph.edges.map((e) => (
                  <Edge key={e.id} edge={e} from={byId.get(e.from)} to={byId.get(e.to)} dim={selectedId !== null && !linked.has(e.id)} />
                ))}
                {graph.nodes.map((n) => (
                  <Node key={n.id} node={n} selected={n.id === selectedId} dim={selectedId !== null && !linked.has(n.id) && n.id !== selectedId} onSelect={() => setSelectedId(n.id === selectedId ? null : n.id)} />
                ))}
              </g>
            </svg>
          )}
        </div>
        {selected ? <ObjectDetails record={selected.record} onClose={() => setSelectedId(null)} /> : null}
      </div>
    </section>
  );
}

function Legend() {
  const { t } = useTranslation();
  const item = (className: string, label: string) => (
    <span className={styles.legendItem}>
      <svg width="28" height="10" aria-hidden="true">
        <line x1="1" y1="5" x2="27" y2="5" className={className} />
      </svg>
      {label}
    </span>
  );
  return (
    <span className={styles.legend}>
      {item(styles.owner!, t('objectGraph.legend.owner'))}
      {item(styles.endpoint!, t('objectGraph.legend.endpointReady'))}
      {item(styles.endpointNotReady!, t('objectGraph.legend.endpointNotReady'))}
      {item(styles.selector!, t('objectGraph.legend.selector'))}
    </span>
  );
}

function Edge({ edge, from, to, dim }: { edge: GraphEdge; from: GraphNode | undefined; to: GraphNode | undefined; dim: boolean }) {
  if (!from || !to) return null;
  const rightward = from.column < to.column;
  const x1 = rightward ? from.x + NODE_WIDTH : from.x;
  const x2 = rightward ? to.x : to.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2 + (edge.type === 'selector' ? 8 : 0);
  const y2 = to.y + NODE_HEIGHT / 2 + (edge.type === 'selector' ? 8 : 0);
  const bend = Math.max(30, Math.abs(x2 - x1) / 2);
  const d = `M${x1},${y1} C${x1 + (rightward ? bend : -bend)},${y1} ${x2 + (rightward ? -bend : bend)},${y2} ${x2},${y2}`;
  const className = edge.type === 'selector' ? styles.selector : edge.type === 'endpoint' ? (edge.ready ? styles.endpoint : styles.endpointNotReady) : styles.owner;
  const warn = edge.type === 'endpoint' && !edge.ready;
  return (
    <path
      d={d}
      className={`${styles.edge} ${className} ${dim ? styles.dim : ''}`}
      markerEnd={edge.type === 'selector' ? undefined : warn ? 'url(#og-arrow-warn)' : 'url(#og-arrow)'}
      data-testid="og-edge"
      data-type={edge.type}
      data-ready={edge.type === 'endpoint' ? String(edge.ready) : undefined}
      data-from={edge.from}
      data-to={edge.to}
    />
  );
}

/** A pod's health, shown by shape and glyph as well as colour. */
function podHealth(node: GraphNode): 'ready' | 'notReady' | 'failed' | undefined {
  const r = node.record;
  if (r.resource !== 'pods') return undefined;
  if (r.phase === 'Failed' || /Error|BackOff|OOMKilled|Err/.test(r.status)) return 'failed';
  return r.isReady ? 'ready' : 'notReady';
}

const GLYPH = { ready: '✓', notReady: '◌', failed: '✕' } as const;

function subtitle(node: GraphNode): string {
  const r = node.record;
  switch (r.resource) {
    case 'pods':
      return `${r.ready} ${r.status}`;
    case 'deployments':
    case 'replicasets':
    case 'daemonsets':
    case 'statefulsets':
      return `${r.ready}/${r.desired}`;
    case 'services':
      return `${r.type} ${r.clusterIP}`;
    case 'endpointslices':
      return `${r.endpoints.filter((e) => e.ready).length}/${r.endpoints.length}`;
    default:
      return '';
  }
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function Node({ node, selected, dim, onSelect }: { node: GraphNode; selected: boolean; dim: boolean; onSelect: () => void }) {
  const health = podHealth(node);
  const sub = subtitle(node);
  const label = `${node.kind} ${node.name}${sub ? `, ${sub}` : ''}`;
  const shownSub = clip(sub, health ? 18 : 21);
  const shownName = clip(node.name, 20);
  // The accessible name holds the texts as shown (WCAG 2.5.3, label in name); clipped ones, in full after.
  const clipped = shownSub !== sub || shownName !== node.name;
  const name = `${node.kind}${sub ? ` ${shownSub}` : ''} ${shownName}${clipped ? ` (${label})` : ''}`;
  return (
    <g
      transform={`translate(${node.x} ${node.y})`}
      className={`${styles.node} ${styles[`kind${node.kind}`] ?? ''} ${health ? styles[health] : ''} ${selected ? styles.selected : ''} ${dim ? styles.dim : ''}`}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      aria-label={name}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        onSelect();
      }}
      data-testid="og-node"
      data-highlight-id={`object:${node.id}`}
      data-kind={node.kind}
      data-name={node.name}
      data-ready={health}
    >
      <title>{label}</title>
      <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx={node.kind === 'Pod' ? 14 : 5} className={styles.box} />
      <rect width={5} height={NODE_HEIGHT - 10} y={5} x={4} rx={2} className={styles.stripe} />
      <text x={16} y={17} className={styles.kind}>
        {node.kind}
        {sub ? <tspan className={styles.sub}>{`  ${shownSub}`}</tspan> : null}
        {/* Not drawn (SVG drops trailing spaces): it keeps this line's last word apart from the next line's. */}{' '}
      </text>
      <text x={16} y={36} className={styles.name}>
        {shownName}
      </text>
      {health ? (
        <text x={NODE_WIDTH - 8} y={17} textAnchor="end" className={styles.glyph} aria-hidden="true">
          {GLYPH[health]}
        </text>
      ) : null}
    </g>
  );
}
