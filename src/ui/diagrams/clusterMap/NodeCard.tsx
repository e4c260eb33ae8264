/**
 * A node as a card: its name, roles and kubectl's STATUS (Ready, NotReady, SchedulingDisabled), bars for
 * the CPU, memory and pods its pods request of its allocatable, and its pods grouped by owner. The
 * unscheduled lane is a card with no node. Memoized: a card re-renders only when its node or pods change.
 */
import { scaleThreshold } from 'd3';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatCpu, fraction } from './capacity.ts';
import { chipLabel, type NodeEntry, type OwnerGroup } from './model.ts';
import { PodChip } from './PodChip.tsx';

const level = scaleThreshold<number, 'ok' | 'high' | 'full'>().domain([0.7, 0.9]).range(['ok', 'high', 'full']);

function CapacityBar({ label, used, allocatable, format }: { label: string; used: number; allocatable: number; format: (n: number) => string }) {
  const f = fraction(used, allocatable);
  const percent = Math.round(f * 100);
  return (
    <div className={`capacity ${level(f)}`}>
      <span className="capacity-label">{label}</span>
      <span className="bar" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.min(100, percent)} aria-valuetext={`${format(used)} / ${format(allocatable)} (${percent}%)`}>
        <span className="bar-fill" style={{ width: `${Math.min(100, f * 100)}%` }} />
      </span>
      <span className="capacity-value">
        {format(used)} / {format(allocatable)} <span className="percent">{percent}%</span>
      </span>
    </div>
  );
}

function GroupTitle({ group }: { group: OwnerGroup }) {
  const { t } = useTranslation();
  if (group.kind === 'Node') return <span className="group-kind">{t('clusterMap.staticPods')}</span>;
  if (group.kind === 'Pod') return <span className="group-kind">{t('clusterMap.standalonePods')}</span>;
  return (
    <>
      <span className="group-kind">{group.kind}</span>
      <span className="group-name">
        {group.namespace !== 'default' ? <span className="group-namespace">{group.namespace}/</span> : null}
        {group.name}
      </span>
    </>
  );
}

export const NodeCard = memo(function NodeCard({ entry }: { entry: NodeEntry }) {
  const { t } = useTranslation();
  const { node } = entry;
  const unscheduled = entry.name === '';
  const status = !node ? (unscheduled ? '' : 'Unknown') : `${node.ready ? 'Ready' : 'NotReady'}${node.unschedulable ? ',SchedulingDisabled' : ''}`;
  const podCount = entry.groups.reduce((n, g) => n + g.pods.length, 0);
  return (
    <article
      className={`node-card${unscheduled ? ' unscheduled' : ''}${node && !node.ready ? ' not-ready' : ''}${node?.unschedulable ? ' cordoned' : ''}`}
      data-testid={unscheduled ? 'unscheduled-lane' : 'node-card'}
      data-node={entry.name}
      data-highlight-id={`node:${entry.name}`}
      aria-label={unscheduled ? t('clusterMap.unscheduled') : `${t('clusterMap.node')} ${entry.name}`}
    >
      <header className="node-head">
        <h3 className="node-name">{unscheduled ? t('clusterMap.unscheduled') : entry.name}</h3>
        {/* The node-role.kubernetes.io labels, as kubectl's ROLES column reads them; a node without one has none. */}
        {node && node.roles.length > 0 ? <span className="role">{node.roles.join(',')}</span> : null}
        {status ? (
          <span className={`node-status ${node?.ready ? 'ready' : 'not-ready'}${node?.unschedulable ? ' cordoned' : ''}`} data-testid="node-status">
            <span aria-hidden="true">{node?.ready ? (node.unschedulable ? '⊘' : '✓') : '✕'}</span> {status}
          </span>
        ) : null}
        {unscheduled ? <span className="node-pods">{t('clusterMap.podCount', { count: podCount })}</span> : null}
      </header>
      {node ? (
        <div className="capacities">
          <CapacityBar label={t('clusterMap.cpu')} used={entry.usage.cpu} allocatable={node.allocatable.cpu} format={formatCpu} />
          <CapacityBar label={t('clusterMap.memory')} used={entry.usage.memory} allocatable={node.allocatable.memory} format={formatBytes} />
          <CapacityBar label={t('clusterMap.pods')} used={entry.usage.pods} allocatable={node.allocatable.pods} format={String} />
        </div>
      ) : null}
      {entry.groups.length === 0 ? <p className="empty">{t('clusterMap.noPods')}</p> : null}
      {entry.groups.map((g) => (
        <section key={g.key} className="owner-group" data-group={g.key} data-highlight-id={`group:${entry.name}/${g.key}`} aria-label={g.kind === 'Node' ? t('clusterMap.staticPods') : `${g.kind} ${g.name}`}>
          <h4 className="group-title">
            <GroupTitle group={g} />
            <span className="group-count">{g.pods.length}</span>
          </h4>
          <div className="chips">
            {g.pods.map((p) => (
              <PodChip key={p.id} pod={p} label={chipLabel(p, g)} />
            ))}
          </div>
        </section>
      ))}
    </article>
  );
});
