/**
 * The node-internals cgroup tree: every cgroup of the node (kubepods.slice → QoS slices → pods →
 * container scopes) named with its pod or container, its memory.current against memory.max as a bar with
 * the numbers, its CPU use (millicores over the last interval) against cpu.max, cpu.stat's nr_throttled
 * and throttled_usec, and memory.events' oom_kill. A cgroup whose throttling or OOM kills just grew is
 * marked with a word and a symbol as well as a colour, for HOLD_MS of virtual time.
 */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useView } from '../../state/useView.ts';
import type { NodeCgroups } from '../../../workers/views/nodeCgroups.ts';
import { cgroupRows, formatBytes, nextTrend, shortCgroupName, type Trend } from './cgroupTree.ts';
import styles from './nodeInternals.module.css';

type Reading = Extract<NodeCgroups, { kind: 'host' }>;

export function CgroupsPanel({ node }: { node: string }) {
  const { t } = useTranslation();
  const view = useView('node-cgroups', { node });
  const reading = view.status === 'ready' && view.value.kind === 'host' ? view.value : undefined;
  // The trend follows the readings: derived while rendering when a new one arrives (React's pattern for
  // state that depends on the previous props).
  const [state, setState] = useState<{ reading?: Reading; trend?: Trend }>({});
  if (reading && reading !== state.reading) setState({ reading, trend: nextTrend(state.reading?.node === reading.node ? state.trend : undefined, reading) });
  const trend = state.reading === reading ? state.trend : undefined;
  const rows = useMemo(() => (reading && trend ? cgroupRows(reading, trend) : []), [reading, trend]);

  if (view.status === 'error')
    return (
      <p className={styles.gone} role="alert">
        {t('nodeInternals.error', { message: view.message })}
      </p>
    );
  if (view.status === 'ready' && view.value.kind === 'absent')
    return (
      <p className={styles.gone} role="status">
        {t('nodeInternals.nodeGone', { node })}
      </p>
    );
  if (!reading) return <p className={styles.empty}>{t('nodeInternals.loading')}</p>;

  return (
    <div className={styles.panel} data-testid="cgroup-tree">
      <p className={styles.hint}>{t('nodeInternals.cgroupHint', { cpus: reading.cpus, memory: formatBytes(reading.memoryBytes) })}</p>
      <div className={styles.scroll} tabIndex={0} role="region" aria-label={t('nodeInternals.tab.cgroups')}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">cgroup</th>
              <th scope="col" title="cgroup.procs">
                {t('nodeInternals.procs')}
              </th>
              <th scope="col">memory.current / memory.max</th>
              <th scope="col">{t('nodeInternals.cpu')}</th>
              <th scope="col">{t('nodeInternals.throttled')}</th>
              <th scope="col">oom_kill</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const c = r.info;
              const pct = Math.min(100, r.memoryFraction * 100);
              return (
                <tr key={c.path} className={`${styles.cgRow} ${r.throttling ? styles.throttling : ''} ${r.oomKilled ? styles.oomKilled : ''}`} data-testid="cgroup-row" data-path={c.path} data-pod={c.pod} data-container={c.container && (c.container.kind === 'sandbox' ? 'pause' : c.container.name)} data-throttling={r.throttling || undefined} data-oom={r.oomKilled || undefined}>
                  <td className={styles.command}>
                    <span style={{ paddingLeft: `${c.depth * 14}px` }} className={styles.indent}>
                      {c.depth > 0 && (
                        <span className={styles.branch} aria-hidden="true">
                          └{' '}
                        </span>
                      )}
                      <span className={styles.cgName} title={c.path}>
                        {shortCgroupName(c.name)}
                      </span>
                      {c.container ? (
                        <span className={styles.ctr}>{c.container.kind === 'sandbox' ? t('nodeInternals.sandboxOf', { pod: c.pod ?? '' }) : t('nodeInternals.containerOf', { name: c.container.name })}</span>
                      ) : (
                        c.pod && <span className={styles.podTag}>{t('nodeInternals.pod', { pod: c.pod })}</span>
                      )}
                    </span>
                  </td>
                  <td className={styles.num}>{c.procs}</td>
                  <td className={styles.memCell}>
                    <span className={styles.bar} role="img" aria-label={t('nodeInternals.memoryOf', { pct: Math.round(r.memoryFraction * 100) })}>
                      <span className={`${styles.barFill} ${r.memoryFraction >= 0.9 && r.limited ? styles.barHot : ''}`} style={{ width: `${pct}%` }} />
                    </span>
                    <span className={styles.memText} data-testid="memory-current">
                      {formatBytes(c.memory.current)} / {c.memory.max === null ? (c.path === '/' ? formatBytes(reading.memoryBytes) : 'max') : formatBytes(c.memory.max)}
                    </span>
                  </td>
                  <td className={styles.num}>
                    {r.millicores === undefined ? '…' : `${r.millicores}m`}
                    <span className={styles.sub}> / {r.limitMillicores === undefined ? 'max' : `${r.limitMillicores}m`}</span>
                  </td>
                  <td className={styles.num}>
                    {r.throttling && (
                      <span className={styles.flag}>
                        <span aria-hidden="true">‖ </span>
                        {t('nodeInternals.throttling')}{' '}
                      </span>
                    )}
                    {c.cpu.nrThrottled}
                    <span className={styles.sub}> · {(c.cpu.throttledUsec / 1e6).toFixed(2)}s</span>
                  </td>
                  <td className={styles.num}>
                    {r.oomKilled && (
                      <span className={styles.flagOom}>
                        <span aria-hidden="true">✗ </span>
                        {t('nodeInternals.oomKill')}{' '}
                      </span>
                    )}
                    {c.memory.oomKill}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {reading.omitted > 0 && <p className={styles.empty}>{t('nodeInternals.omittedCgroups', { count: reading.omitted })}</p>}
      </div>
    </div>
  );
}
