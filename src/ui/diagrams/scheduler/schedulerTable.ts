/**
 * The scheduler diagram's node × plugin table, as a pure function of the `scheduler-decision` view and
 * the cluster's nodes: one row per node (every node of the cluster, and any the attempt saw), one column
 * per Filter plugin in the order they ran, then one per Score plugin, then the total.
 *
 * A Filter cell is `pass`, `fail` (the plugin that rejected the node, with its reasons) or `not-run` (a
 * plugin after the one that failed: the framework stops at the first failure); a node the attempt did not
 * evaluate (it found enough feasible nodes first, or the node is newer) has none. A rejection that no
 * listed plugin made (a status from outside the Filter plugins) is kept whole on the row. Score cells
 * hold raw, normalized and weighted (normalized × weight) scores, for feasible nodes that were scored.
 */
import type { PodView } from '../../../engine/cluster/clusterView.ts';
import type { SchedulerDecision } from '../../../workers/views/schedulerDecision.ts';

type Attempt = Extract<SchedulerDecision, { kind: 'attempt' }>;

export type FilterCell = { kind: 'pass' } | { kind: 'fail'; code: string; reasons: string[] } | { kind: 'not-run' };

export interface ScoreCell {
  raw: number;
  normalized: number;
  weighted: number;
}

export interface TableRow {
  node: string;
  evaluated: boolean;
  feasible: boolean;
  /** One per Filter plugin column; empty for a node not evaluated. */
  filters: FilterCell[];
  /** A rejection from no listed Filter plugin (its plugin, possibly "", and reasons). */
  rejection?: { plugin: string; code: string; reasons: string[] };
  /** One per Score plugin column, when the node was scored. */
  scores?: ScoreCell[];
  total?: number;
  chosen: boolean;
  nominated: boolean;
}

export interface SchedulerTable {
  filterPlugins: string[];
  scorePlugins: Array<{ plugin: string; weight: number }>;
  rows: TableRow[];
}

export function schedulerTable(decision: Attempt, clusterNodes: readonly string[]): SchedulerTable {
  const filterPlugins = decision.filterPlugins ?? [];
  const names = [...new Set([...clusterNodes, ...decision.filters.map((f) => f.node), ...decision.scores.map((s) => s.node)])].sort();
  const verdicts = new Map(decision.filters.map((f) => [f.node, f]));
  const scores = new Map(decision.scores.map((s) => [s.node, s]));
  const chosen = decision.outcome.kind === 'Scheduled' ? decision.outcome.node : undefined;
  const nominated = decision.outcome.kind === 'Scheduled' ? undefined : decision.outcome.nominatedNode;
  const rows = names.map((node): TableRow => {
    const v = verdicts.get(node);
    const s = scores.get(node);
    let filters: FilterCell[] = [];
    let rejection: TableRow['rejection'];
    if (v?.passed) filters = filterPlugins.map(() => ({ kind: 'pass' }));
    else if (v) {
      const at = filterPlugins.indexOf(v.plugin ?? '');
      const reasons = v.reasons ?? [];
      const code = v.code ?? '';
      if (at < 0) rejection = { plugin: v.plugin ?? '', code, reasons };
      else filters = filterPlugins.map((_, i): FilterCell => (i < at ? { kind: 'pass' } : i === at ? { kind: 'fail', code, reasons } : { kind: 'not-run' }));
    }
    return {
      node,
      evaluated: v !== undefined,
      feasible: v?.passed ?? false,
      filters,
      ...(rejection && { rejection }),
      ...(s && { scores: s.raw.map((raw, i) => ({ raw, normalized: s.normalized[i]!, weighted: s.weighted[i]! })), total: s.total }),
      chosen: node === chosen,
      nominated: node === nominated,
    };
  });
  return { filterPlugins, scorePlugins: decision.scorePlugins, rows };
}

/** The pods to choose from, newest first (by creation, then name). */
export function podChoices(pods: readonly PodView[]): PodView[] {
  return [...pods].sort((a, b) => b.created - a.created || (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
}

/** A plugin name with break opportunities before its inner capitals: NodeResources·Fit. */
export function pluginWords(name: string): string[] {
  return name.split(/(?<=[a-z])(?=[A-Z])/);
}
