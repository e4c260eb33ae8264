/**
 * The `scheduler-decision` view: the scheduler's explanation of its last attempt to place one pod (what
 * `lab explain schedule` prints), as the scheduler diagram's node × plugin table: per evaluated node, each
 * Filter plugin's verdict in the order they ran (passed, or the first that failed with its reasons — the
 * ones after it did not run), per feasible node each Score plugin's raw, normalized and weighted score and
 * the total; and the outcome (the node picked, or the FailedScheduling message).
 *
 * Args: `{ namespace, name }`. A pod the scheduler has not tried (or tried too long ago: the store keeps the
 * most recent pods) is `{ kind: 'none' }`; the diagram says whether the pod itself is gone from the lab's
 * objects. The version is the attempt (pod uid, attempt number, time): recomputed only after a new one.
 */
import type { ScheduleExplanation } from '../../engine/scheduler/explanation.ts';
import type { Lab } from '../../engine/cluster/lab.ts';
import { defineView } from './view.ts';

export interface FilterVerdict {
  node: string;
  passed: boolean;
  /** For a rejected node: the plugin that rejected it ("" when not a plugin, e.g. a nominated pod's status). */
  plugin?: string;
  /** Its status code: Unschedulable, UnschedulableAndUnresolvable. */
  code?: string;
  /** Its reasons, as the scheduler words them (`Insufficient cpu`). */
  reasons?: string[];
}

export interface ScoreRow {
  node: string;
  /** Per score plugin, in `scorePlugins` order. */
  raw: number[];
  normalized: number[];
  weighted: number[];
  total: number;
}

export type SchedulerDecision =
  | { kind: 'none'; namespace: string; name: string }
  | {
      kind: 'attempt';
      namespace: string;
      name: string;
      uid: string;
      /** Virtual time of the attempt, ms. */
      time: number;
      attempt: number;
      profile: string;
      nodesTotal: number;
      nodesEvaluated: number;
      /** The Filter plugins run on each node, in order (absent when PreFilter rejected the pod). */
      filterPlugins?: string[];
      /** Evaluated nodes by name. */
      filters: FilterVerdict[];
      preFilterMessage?: string;
      nominatedNode?: string;
      scorePlugins: Array<{ plugin: string; weight: number }>;
      scores: ScoreRow[];
      outcome: ScheduleExplanation['outcome'];
    };

export interface PodArgs {
  namespace: string;
  name: string;
}

function parseArgs(args: unknown): PodArgs {
  if (typeof args !== 'object' || args === null) throw new TypeError(`scheduler-decision: expected { namespace, name }, got ${args === null ? 'null' : typeof args}`);
  const { namespace, name } = args as { namespace?: unknown; name?: unknown };
  if (typeof namespace !== 'string' || namespace === '') throw new TypeError('scheduler-decision: namespace must be a non-empty string');
  if (typeof name !== 'string' || name === '') throw new TypeError('scheduler-decision: name must be a non-empty string');
  return { namespace, name };
}

const explanationOf = (lab: Lab, { namespace, name }: PodArgs) => lab.cluster.scheduler?.explanation(namespace, name);

/** The explanation as the diagram's table. */
export function decisionOf(e: ScheduleExplanation): SchedulerDecision {
  const filters: FilterVerdict[] = [
    ...e.rejected.map((r): FilterVerdict => ({ node: r.node, passed: false, plugin: r.plugin, code: r.code, reasons: [...r.reasons] })),
    ...e.feasibleNodes.map((node): FilterVerdict => ({ node, passed: true })),
  ].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const s = e.scores;
  const scores: ScoreRow[] = s
    ? s.nodes.map((node, i) => ({
        node,
        raw: s.plugins.map((p) => p.raw[i]!),
        normalized: s.plugins.map((p) => p.normalized[i]!),
        weighted: s.plugins.map((p) => p.normalized[i]! * p.weight),
        total: s.totals[i]!,
      }))
    : [];
  return {
    kind: 'attempt',
    namespace: e.namespace,
    name: e.name,
    uid: e.uid,
    time: e.time,
    attempt: e.attempt,
    profile: e.profile,
    nodesTotal: e.nodesTotal,
    nodesEvaluated: e.nodesEvaluated,
    ...(e.filterPlugins && { filterPlugins: [...e.filterPlugins] }),
    filters,
    ...(e.preFilterMessage !== undefined && { preFilterMessage: e.preFilterMessage }),
    ...(e.nominatedNode !== undefined && { nominatedNode: e.nominatedNode }),
    scorePlugins: s ? s.plugins.map((p) => ({ plugin: p.plugin, weight: p.weight })) : [],
    scores,
    outcome: { ...e.outcome },
  };
}

export const schedulerDecision = defineView({
  parse: parseArgs,
  version(lab, args) {
    const e = explanationOf(lab, args);
    return e ? `${e.uid}/${e.attempt}/${e.time}` : 'none';
  },
  compute(lab, args): SchedulerDecision {
    const e = explanationOf(lab, args);
    return e ? decisionOf(e) : { kind: 'none', ...args };
  },
});
