/**
 * The node-internals process tree: every process of the node in tree order (init → containerd, kubelet,
 * the container shims → pause and the containers' processes), with its host pid, its pid inside its own
 * pid namespace, its command and its namespaces' inode numbers (`net:[4026532169]`, as
 * `ls -l /proc/<pid>/ns` prints them). The chosen namespace type colours the rows (a legend names each
 * namespace's holder); each pod's rows sit under a header naming the pod. Kernel threads fold into one row.
 */
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NS_TYPES, type NodeProcesses, type NsType } from '../../../workers/views/nodeProcesses.ts';
import { buildProcessTree } from './processTree.ts';
import styles from './nodeInternals.module.css';

const PALETTE = 8;
const groupClass = (group: number | undefined) => (group === undefined ? styles.gNone : styles[`g${Math.min(group, PALETTE - 1)}`]);

export function ProcessesPanel({ value }: { value: Extract<NodeProcesses, { kind: 'host' }> }) {
  const { t } = useTranslation();
  const [nsType, setNsType] = useState<NsType>('net');
  const [kthreads, setKthreads] = useState(false);
  const [allNs, setAllNs] = useState(false);
  const tree = useMemo(() => buildProcessTree(value.processes, value.containers, nsType, !kthreads), [value, nsType, kthreads]);
  // Each pod's network namespace: its sandbox's (the pause process holds it for the pod's containers).
  const podNet = useMemo(() => {
    const pids = new Map(value.processes.map((p) => [p.pid, p]));
    const m = new Map<string, number>();
    for (const c of value.containers) {
      const net = c.kind === 'sandbox' && c.pid !== undefined ? pids.get(c.pid)?.ns.net : undefined;
      if (net !== undefined) m.set(`${c.podNamespace}/${c.podName}`, net);
    }
    return m;
  }, [value]);
  const others = NS_TYPES.filter((n) => n !== nsType);
  const columns = 4 + (allNs ? others.length : 0);
  const spanAt = new Map(tree.pods.map((p) => [p.first, p]));
  const inSpan = new Set(tree.pods.flatMap((p) => Array.from({ length: p.last - p.first + 1 }, (_, i) => p.first + i)));

  return (
    <div className={styles.panel} data-testid="process-tree">
      <div className={styles.controls}>
        <fieldset className={styles.segmented}>
          <legend>{t('nodeInternals.colourBy')}</legend>
          {NS_TYPES.map((n) => (
            <label key={n} className={nsType === n ? styles.segOn : styles.seg}>
              <input type="radio" name="ni-ns-type" value={n} checked={nsType === n} onChange={() => setNsType(n)} data-testid={`ns-type-${n}`} />
              {n}
            </label>
          ))}
        </fieldset>
        <label className={styles.check}>
          <input type="checkbox" checked={allNs} onChange={(e) => setAllNs(e.target.checked)} /> {t('nodeInternals.allNamespaces')}
        </label>
        <label className={styles.check}>
          <input type="checkbox" checked={kthreads} onChange={(e) => setKthreads(e.target.checked)} /> {t('nodeInternals.kernelThreads')}
        </label>
      </div>
      <ul className={styles.legend} aria-label={t('nodeInternals.legend', { type: nsType })} data-testid="ns-legend">
        {tree.legend.map((l) => (
          <li key={l.inode} className={styles.legendItem}>
            <span className={`${styles.chip} ${groupClass(l.group)}`}>
              {nsType}:[{l.inode}]
            </span>
            <span>
              {l.holder === 'host' ? t('nodeInternals.host') : l.holder} · {t('nodeInternals.processCount', { count: l.processes })}
            </span>
          </li>
        ))}
      </ul>
      <div className={styles.scroll} tabIndex={0} role="region" aria-label={t('nodeInternals.tab.processes')}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">PID</th>
              <th scope="col" title={t('nodeInternals.nsPidHint')}>
                {t('nodeInternals.nsPid')}
              </th>
              <th scope="col">{nsType}</th>
              <th scope="col">{t('nodeInternals.command')}</th>
              {allNs && others.map((n) => <th key={n} scope="col">{n}</th>)}
            </tr>
          </thead>
          <tbody>
            {tree.rows.map((r, i) => {
              const span = spanAt.get(i);
              const p = r.process;
              const sharedNet = span ? podNet.get(span.pod) : undefined;
              return (
                <Fragment key={`${p.pid}-${r.folded ?? 0}`}>
                  {span && (
                    <tr className={styles.podHeader} data-testid="pod-group" data-pod={span.pod}>
                      <td colSpan={columns}>
                        <span className={styles.podLabel}>{t('nodeInternals.pod', { pod: span.pod })}</span>
                        {sharedNet !== undefined && <span className={styles.podNote}>{t('nodeInternals.podShares', { inode: sharedNet })}</span>}
                      </td>
                    </tr>
                  )}
                  <tr className={`${styles.procRow} ${groupClass(r.group)} ${inSpan.has(i) ? styles.inPod : ''}`} data-testid="process-row" data-comm={p.comm} data-pid={p.pid}>
                    <td className={styles.num}>{r.folded ? '' : p.pid}</td>
                    <td className={styles.num}>{r.folded ? '' : (p.nsPid ?? '')}</td>
                    <td>{r.inode !== undefined && <span className={`${styles.chip} ${groupClass(r.group)}`} data-testid="ns-inode">{`${nsType}:[${r.inode}]`}</span>}</td>
                    <td className={styles.command}>
                      <span style={{ paddingLeft: `${r.depth * 14}px` }} className={styles.indent}>
                        {r.depth > 0 && <span className={styles.branch} aria-hidden="true">└ </span>}
                        {r.folded ? (
                          <em>{t('nodeInternals.kernelThreadsFolded', { count: r.folded })}</em>
                        ) : (
                          <>
                            <span className={styles.comm}>{p.comm}</span>
                            {r.container && <span className={styles.ctr}>{r.container.kind === 'sandbox' ? t('nodeInternals.sandboxOf', { pod: r.container.podName }) : t('nodeInternals.containerOf', { name: r.container.name })}</span>}
                            {p.args && p.args !== p.comm && <span className={styles.args}>{p.args}</span>}
                          </>
                        )}
                      </span>
                    </td>
                    {allNs &&
                      others.map((n) => (
                        <td key={n} className={styles.inode}>
                          {p.ns[n] ?? ''}
                        </td>
                      ))}
                  </tr>
                </Fragment>
              );
            })}
          </tbody>
        </table>
        {value.omitted > 0 && <p className={styles.empty}>{t('nodeInternals.omitted', { count: value.omitted })}</p>}
      </div>
    </div>
  );
}
