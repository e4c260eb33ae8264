/**
 * The scheduler diagram (issue 8): for a chosen pod, the scheduler's last decision as a node × plugin
 * table — each node's verdict from every Filter plugin (✓ passed, ✗ failed with the plugin's reason, – not
 * run after a failure), each feasible node's Score plugins (weighted score, with raw and normalized) and
 * total; the chosen node marked by a badge and its row; an unschedulable pod's FailedScheduling message.
 * Verdicts are symbols and words, not colour alone.
 *
 * The pod picker lists pods newest first (at most MAX_CHOICES) and follows the newest one until the
 * student picks one. A picked pod that is deleted says so; the decision comes from the worker's
 * `scheduler-decision` view.
 */
import { useMemo, useState } from 'react';
import { useDiagramFocus } from '../../layout/diagramFocus.ts';
import { useTranslation } from 'react-i18next';
import { selectClusterObjects, selectNodeNames, useLab } from '../../state/labStore.ts';
import { useView } from '../../state/useView.ts';
import type { SchedulerDecision } from '../../../workers/views/schedulerDecision.ts';
import { pluginWords, podChoices, schedulerTable, type FilterCell, type TableRow } from './schedulerTable.ts';
import styles from './scheduler.module.css';

const MAX_CHOICES = 200;

type Attempt = Extract<SchedulerDecision, { kind: 'attempt' }>;

function PluginName({ name }: { name: string }) {
  const words = pluginWords(name);
  return (
    <>
      {words.map((w, i) => (
        <span key={i}>
          {w}
          {i < words.length - 1 && <wbr />}
        </span>
      ))}
    </>
  );
}

function FilterVerdict({ cell }: { cell: FilterCell }) {
  const { t } = useTranslation();
  if (cell.kind === 'pass')
    return (
      <span className={styles.pass}>
        <span aria-hidden="true">✓ </span>
        {t('scheduler.pass')}
      </span>
    );
  if (cell.kind === 'not-run')
    return (
      <span className={styles.notRun} title={t('scheduler.notRunHint')}>
        <span aria-hidden="true">– </span>
        {t('scheduler.notRun')}
      </span>
    );
  return (
    <span className={styles.fail}>
      <span className={styles.failHead}>
        <span aria-hidden="true">✗ </span>
        {t('scheduler.fail')}
      </span>
      {cell.reasons.map((r) => (
        <span key={r} className={styles.reason} data-testid="filter-reason">
          {r}
        </span>
      ))}
    </span>
  );
}

function Row({ row, table }: { row: TableRow; table: ReturnType<typeof schedulerTable> }) {
  const { t } = useTranslation();
  const filterCount = Math.max(1, table.filterPlugins.length);
  const scoreCount = table.scorePlugins.length;
  return (
    <tr className={`${styles.row} ${row.chosen ? styles.chosen : ''} ${row.evaluated && !row.feasible ? styles.rejected : ''}`} data-testid="scheduler-row" data-node={row.node} data-chosen={row.chosen || undefined}>
      <th scope="row" className={styles.nodeCell}>
        <span className={styles.nodeName}>{row.node}</span>
        {row.chosen && <span className={styles.badge} data-testid="chosen-badge">{t('scheduler.chosen')}</span>}
        {row.nominated && <span className={styles.badgeNominated}>{t('scheduler.nominated')}</span>}
      </th>
      {!row.evaluated ? (
        <td colSpan={filterCount} className={styles.notEvaluated}>
          {t('scheduler.notEvaluated')}
        </td>
      ) : row.rejection ? (
        <td colSpan={filterCount} className={styles.cell}>
          <FilterVerdict cell={{ kind: 'fail', code: row.rejection.code, reasons: row.rejection.plugin ? row.rejection.reasons.map((r) => `${row.rejection!.plugin}: ${r}`) : row.rejection.reasons }} />
        </td>
      ) : table.filterPlugins.length === 0 ? (
        <td className={styles.cell}>–</td>
      ) : (
        row.filters.map((cell, i) => (
          <td key={table.filterPlugins[i]} className={`${styles.cell} ${cell.kind === 'fail' ? styles.failCell : ''}`} data-plugin={table.filterPlugins[i]} data-verdict={cell.kind}>
            <FilterVerdict cell={cell} />
          </td>
        ))
      )}
      {scoreCount > 0 &&
        table.scorePlugins.map((p, i) => {
          const s = row.scores?.[i];
          return (
            <td key={p.plugin} className={`${styles.cell} ${styles.num}`} data-score-plugin={p.plugin}>
              {s ? (
                <>
                  <span className={styles.weighted}>{s.weighted}</span>
                  <span className={styles.rawLine}>{t('scheduler.rawNormalized', { raw: s.raw, normalized: s.normalized })}</span>
                </>
              ) : (
                <span className={styles.notRun}>–</span>
              )}
            </td>
          );
        })}
      <td className={`${styles.cell} ${styles.num} ${styles.total}`} data-testid="score-total">
        {row.total ?? '–'}
      </td>
    </tr>
  );
}

function DecisionTable({ decision, nodes }: { decision: Attempt; nodes: readonly string[] }) {
  const { t } = useTranslation();
  const table = useMemo(() => schedulerTable(decision, nodes), [decision, nodes]);
  const filterCount = Math.max(1, table.filterPlugins.length);
  return (
    // Focusable so a keyboard can scroll a table wider than the pane.
    <div className={styles.tableScroll} tabIndex={0} role="region" aria-label={t('scheduler.caption', { pod: `${decision.namespace}/${decision.name}` })}>
      <table className={styles.table} data-testid="scheduler-table">
        <caption className={styles.caption}>{t('scheduler.caption', { pod: `${decision.namespace}/${decision.name}` })}</caption>
        <thead>
          <tr>
            <th rowSpan={2} scope="col" className={styles.nodeHead}>
              {t('scheduler.node')}
            </th>
            <th colSpan={filterCount} scope="colgroup" className={styles.groupHead}>
              {t('scheduler.filter')}
            </th>
            {table.scorePlugins.length > 0 && (
              <th colSpan={table.scorePlugins.length} scope="colgroup" className={styles.groupHead}>
                {t('scheduler.score')}
              </th>
            )}
            <th rowSpan={2} scope="col" className={styles.totalHead}>
              {t('scheduler.total')}
            </th>
          </tr>
          <tr>
            {table.filterPlugins.length === 0 ? (
              <th scope="col" className={styles.pluginHead}>
                {t('scheduler.noFilters')}
              </th>
            ) : (
              table.filterPlugins.map((p) => (
                <th key={p} scope="col" className={styles.pluginHead}>
                  <PluginName name={p} />
                </th>
              ))
            )}
            {table.scorePlugins.map((p) => (
              <th key={p.plugin} scope="col" className={styles.pluginHead}>
                <PluginName name={p.plugin} />
                <span className={styles.weight}>×{p.weight}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <Row key={row.node} row={row} table={table} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Outcome({ decision }: { decision: Attempt }) {
  const { t } = useTranslation();
  const o = decision.outcome;
  if (o.kind === 'Scheduled') {
    const total = decision.scores.find((s) => s.node === o.node)?.total;
    return (
      <p className={styles.outcomeOk} data-testid="scheduler-outcome" role="status">
        <span aria-hidden="true">✓ </span>
        {total === undefined ? t('scheduler.scheduledOnly', { node: o.node }) : t('scheduler.scheduled', { node: o.node, total })}
      </p>
    );
  }
  return (
    <div className={styles.outcomeFail} data-testid="scheduler-outcome" role="status">
      <p>
        <span aria-hidden="true">✗ </span>
        <strong>{o.kind === 'Unschedulable' ? 'FailedScheduling' : t('scheduler.schedulerError')}</strong>{' '}
        <span className={styles.message}>{o.message}</span>
      </p>
      {o.nominatedNode && <p>{t('scheduler.nominatedWait', { node: o.nominatedNode })}</p>}
      {decision.preFilterMessage !== undefined && <p>{t('scheduler.preFilter', { message: decision.preFilterMessage })}</p>}
    </div>
  );
}

export function Scheduler() {
  const { t } = useTranslation();
  const { pods } = useLab(selectClusterObjects);
  const nodes = useLab(selectNodeNames);
  const choices = useMemo(() => podChoices(pods).slice(0, MAX_CHOICES), [pods]);
  const [picked, setPicked] = useState<string | null>(null);
  // A lesson's focus (diagramFocus.ts): `pod`, as `name` (in default) or `namespace/name`.
  const focus = useDiagramFocus('scheduler');
  const [focusSeen, setFocusSeen] = useState<number | null>(null);
  if (focus && focus.seq !== focusSeen) {
    setFocusSeen(focus.seq);
    const pod = focus.values.pod;
    if (pod) setPicked(pod.includes('/') ? pod : `default/${pod}`);
  }
  const newest = choices[0] ? `${choices[0].namespace}/${choices[0].name}` : undefined;
  const key = picked ?? newest;
  const exists = key !== undefined && pods.some((p) => `${p.namespace}/${p.name}` === key);
  const [namespace, name] = key ? (key.split('/') as [string, string]) : [undefined, undefined];
  const view = useView('scheduler-decision', namespace && name ? { namespace, name } : undefined);
  const options = picked && !choices.some((p) => `${p.namespace}/${p.name}` === picked) ? [picked, ...choices.map((p) => `${p.namespace}/${p.name}`)] : choices.map((p) => `${p.namespace}/${p.name}`);
  const decision = view.status === 'ready' ? view.value : undefined;

  return (
    <section className={styles.root} aria-label={t('scheduler.title')} data-testid="scheduler">
      <div className={styles.toolbar}>
        <label>
          {t('scheduler.pod')}{' '}
          <select value={key ?? ''} onChange={(e) => setPicked(e.target.value)} data-testid="scheduler-pod" disabled={options.length === 0}>
            {options.map((o) => (
              <option key={o} value={o}>
                {o}
                {picked === null && o === newest ? ` (${t('scheduler.newest')})` : ''}
              </option>
            ))}
          </select>
        </label>
        {picked !== null && (
          <button type="button" className={styles.follow} onClick={() => setPicked(null)}>
            {t('scheduler.followNewest')}
          </button>
        )}
        <span className={styles.legend} aria-label={t('scheduler.legend')}>
          <span className={styles.pass}>✓ {t('scheduler.pass')}</span>
          <span className={styles.fail}>✗ {t('scheduler.fail')}</span>
          <span className={styles.notRun}>– {t('scheduler.notRun')}</span>
          <span className={styles.legendChosen}>{t('scheduler.chosen')}</span>
        </span>
      </div>
      <div className={styles.body}>
        {key === undefined ? (
          <p className={styles.empty}>{t('scheduler.noPods')}</p>
        ) : !exists ? (
          <p className={styles.gone} data-testid="scheduler-gone" role="status">
            {t('scheduler.gone', { pod: key })}
          </p>
        ) : view.status === 'error' ? (
          <p className={styles.gone} role="alert">
            {t('scheduler.error', { message: view.message })}
          </p>
        ) : !decision ? (
          <p className={styles.empty}>{t('scheduler.loading')}</p>
        ) : decision.kind === 'none' ? (
          <p className={styles.empty} data-testid="scheduler-none">
            {t('scheduler.none', { pod: key })}
          </p>
        ) : (
          <>
            <p className={styles.meta}>
              {t('scheduler.meta', { attempt: decision.attempt, profile: decision.profile, total: decision.nodesTotal, evaluated: decision.nodesEvaluated, feasible: decision.filters.filter((f) => f.passed).length })}
            </p>
            <Outcome decision={decision} />
            <DecisionTable decision={decision} nodes={nodes} />
          </>
        )}
      </div>
    </section>
  );
}
