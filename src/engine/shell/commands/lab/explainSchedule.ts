/**
 * `lab explain-schedule` output: why the scheduler put a pod where it did (or nowhere), from the
 * scheduler's explanation of its last attempt. A header in kubectl describe's layout, then two tables in
 * kubectl get's layout (the kubectl tabwriter): every evaluated node with its Filter verdict and, for a
 * rejected node, the plugin and reasons; every feasible node with each Score plugin's weighted score
 * (normalized × weight) and the total, best first; then the pick or the failure message.
 */
import { rfc3339 } from '../../../api/time.ts';
import type { ScheduleExplanation } from '../../../scheduler/explanation.ts';
import { tabwrite } from '../kubectl/printers/tabwriter.ts';

/** kubectl describe's tabwriter setup: minwidth 0, padding 2. */
const DESCRIBE = { minWidth: 0, padding: 2 };

function header(r: ScheduleExplanation): string {
  const lines = [
    `Pod:\t${r.namespace}/${r.name}`,
    `Attempt:\t${r.attempt} at ${rfc3339(r.time)}`,
    `Profile:\t${r.profile}`,
    `Nodes:\t${r.nodesTotal} in the cluster, ${r.nodesEvaluated} evaluated, ${r.feasibleNodes.length} feasible`,
  ];
  if (r.nominatedNode) lines.push(`Nominated:\t${r.nominatedNode} (tried first)`);
  return tabwrite(lines.join('\n') + '\n', DESCRIBE);
}

function filterTable(r: ScheduleExplanation): string {
  const rows: Array<[string, string, string]> = [
    ...r.rejected.map((x): [string, string, string] => [x.node, 'Failed', `${x.plugin ? `${x.plugin}: ` : ''}${x.reasons.join(', ')}`]),
    ...r.feasibleNodes.map((n): [string, string, string] => [n, 'Passed', '']),
  ].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return tabwrite(['NODE\tFILTER\tREASON', ...rows.map((row) => row.join('\t'))].join('\n') + '\n');
}

function scoreTable(r: ScheduleExplanation): string {
  const s = r.scores!;
  const head = ['NODE', ...s.plugins.map((p) => `${p.plugin}(×${p.weight})`), 'TOTAL'];
  const order = s.nodes.map((_, i) => i).sort((a, b) => s.totals[b]! - s.totals[a]! || (s.nodes[a]! < s.nodes[b]! ? -1 : 1));
  const rows = order.map((i) => [s.nodes[i]!, ...s.plugins.map((p) => String(p.normalized[i]! * p.weight)), String(s.totals[i])]);
  return tabwrite([head, ...rows].map((row) => row.join('\t')).join('\n') + '\n');
}

function outcome(r: ScheduleExplanation): string {
  const o = r.outcome;
  if (o.kind === 'Scheduled') {
    if (!r.scores) return `Picked ${o.node}: the only feasible node, so no scoring.\n`;
    const i = r.scores.nodes.indexOf(o.node);
    return `Picked ${o.node}: the highest total (${r.scores.totals[i]}).\n`;
  }
  const lines = [`${o.kind === 'Unschedulable' ? 'Unschedulable' : 'Scheduler error'}: ${o.message}`];
  if (o.nominatedNode) lines.push(`Preemption nominated ${o.nominatedNode}; the pod waits for its victims to leave.`);
  return lines.join('\n') + '\n';
}

/** The explanation as the lab prints it. */
export function formatScheduleExplanation(r: ScheduleExplanation): string {
  const parts = [header(r)];
  if (r.preFilterMessage !== undefined) parts.push(`PreFilter rejected the pod before any node was filtered: ${r.preFilterMessage}\n`);
  else if (r.rejected.length + r.feasibleNodes.length > 0) parts.push(filterTable(r));
  if (r.scores && r.scores.nodes.length > 0) parts.push(scoreTable(r));
  parts.push(outcome(r));
  return parts.join('\n');
}
